#!/bin/sh
# gen.sh OUTDIR: a log whose libraries are a missing file, a directory and
# a FIFO (never opened: opening it would block), with a tick in each.
set -eu
out=$1
mkdir -p "$out/lib/dir.so"
rm -f "$out/lib/fifo.so"
mkfifo "$out/lib/fifo.so"
{
	echo "v8-version,11,3,244,8,-node.38,0"
	echo "shared-library,lib/missing.so,0x7f0000000000,0x7f0000100000,0"
	echo "shared-library,lib/dir.so,0x7f1000000000,0x7f1000100000,0"
	echo "shared-library,lib/fifo.so,0x7f2000000000,0x7f2000100000,0"
	echo "code-creation,JS,10,100,0x3e0000001000,256,jsCaller /app/x.js:1:1,0x3e0000009000,*"
	echo "tick,0x7f0000000100,1000,0,0x0,6,0x3e0000001010"
	echo "tick,0x7f1000000100,1001,0,0x0,6,0x3e0000001010"
	echo "tick,0x7f2000000100,1002,0,0x0,6,0x3e0000001010"
	echo "tick,0x3e0000001010,1003,0,0x0,0"
} >"$out/libs.log"
