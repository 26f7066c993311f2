#!/bin/sh
# gen.sh OUTDIR: a log with a 100 MB line (over the 64 MiB line cap: skipped
# without being held in memory) and a code name of 2 MiB (over the 1 MiB
# name cap: cut), with ticks before and after both.
set -eu
out=$1
{
	echo "v8-version,11,3,244,8,-node.38,0"
	echo "code-creation,JS,10,100,0x3e0000001000,256,jsCaller /app/x.js:1:1,0x3e0000009000,*"
	echo "tick,0x3e0000001010,1000,0,0x0,0"
	printf 'code-creation,JS,10,101,0x3e0000002000,64,'
	head -c 2097152 /dev/zero | tr '\0' n
	echo " /app/long.js:1:1,0x3e000000a000,~"
	printf 'code-creation,JS,10,102,0x3e0000003000,64,'
	head -c 104857600 /dev/zero | tr '\0' x
	echo
	echo "tick,0x3e0000001010,1001,0,0x0,0"
	echo "tick,0x3e0000003010,1002,0,0x0,0,0x3e0000001020"
} >"$out/long.log"
