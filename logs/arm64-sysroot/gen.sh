#!/bin/sh
# gen.sh OUTDIR: a SYNTHETIC log, as an aarch64 machine would write it,
# read on any host with --sysroot: its shared-library lines name the
# aarch64 paths /usr/lib/aarch64-linux-gnu/libfx.so and /opt/app/fx-pie,
# which OUTDIR/sysroot holds as the aarch64 ELF fixtures cross-built by
# make ($TK_FIXTURES/aarch64). libfx.so is logged as a 64 KiB-page kernel
# maps it, fx-pie as a 4 KiB one. Ticks in functions, in PLT stubs
# (strlen@plt, tk_fixture_a@plt: the R_AARCH64_JUMP_SLOT order of
# .rela.plt after the 32-byte PLT0), in an object in .text that the
# assembler's mapping symbol $d also marks, and in JIT code. Addresses
# come from nm and readelf (any host's binutils read aarch64 files), so
# the report is the same on every host. Exit 77 (skipped) without the
# aarch64 fixtures (no aarch64-linux-gnu-gcc where make ran).
set -eu
out=$1
fx=${TK_FIXTURES:?TK_FIXTURES not set}/aarch64
[ -f "$fx/fx.so" ] || { echo "no aarch64 fixtures in $fx (make builds them where aarch64-linux-gnu-gcc is)"; exit 77; }
mkdir -p "$out/sysroot/usr/lib/aarch64-linux-gnu" "$out/sysroot/opt/app"
ln -sf "$fx/fx.so" "$out/sysroot/usr/lib/aarch64-linux-gnu/libfx.so"
ln -sf "$fx/fx-pie" "$out/sysroot/opt/app/fx-pie"
cd "$out"

sym() { nm "$1" | awk -v n="$2" '$3 == n { print $1; exit }'; }
hex() { printf '0x%x' "$1"; }
# cend FILE PAGE: the end of FILE's last executable segment, rounded to PAGE
cend() {
	e=0
	for seg in $(readelf -lW "$1" | awk '$1 == "LOAD" && $0 ~ / R E / { print $2 ":" $5 }'); do
		x=$(( ${seg%%:*} + ${seg#*:} ))
		[ $x -gt $e ] && e=$x
	done
	echo $(( (e + $2 - 1) / $2 * $2 ))
}
# plt FILE NAME: the address of NAME's PLT entry (its JUMP_SLOT's index)
plt() {
	base=$(readelf -SW "$1" | awk '{ for (i = 1; i < NF; i++) if ($i == ".plt") { print $(i + 2); exit } }')
	i=$(readelf -rW "$1" | awk -v n="$2" '/R_AARCH64_JUMP_SLOT/ { if ($5 ~ "^" n "(@|$)") { print k + 0; exit } k++ }')
	[ -n "$base" ] && [ -n "$i" ] && printf '%x\n' $(( 0x$base + 32 + 16 * i ))
}
so=$fx/fx.so
a=$(sym "$so" tk_fixture_a); b=$(sym "$so" tk_fixture_b); st=$(sym "$so" tk_fixture_static)
tb=$(sym "$so" tk_fixture_table); pa=$(sym "$fx/fx-pie" tk_fixture_a)
ps=$(plt "$so" strlen); pfa=$(plt "$so" tk_fixture_a); pps=$(plt "$fx/fx-pie" strlen)
for v in "$a" "$b" "$st" "$tb" "$pa" "$ps" "$pfa" "$pps"; do
	[ -n "$v" ] || { echo "gen.sh: a fixture symbol is missing" >&2; exit 1; }
done
SO=0x7f80000000
PIE=0xaaaab0000000
JS=0x3e0000001000
{
	echo "v8-version,12,4,254,21,-node.57,0"
	echo "v8-platform,linux,linux"
	echo "shared-library,/usr/lib/aarch64-linux-gnu/libfx.so,$SO,$(hex $((SO + $(cend "$so" 65536)))),0"
	echo "shared-library,/opt/app/fx-pie,$PIE,$(hex $((PIE + $(cend "$fx/fx-pie" 4096)))),0"
	echo "code-creation,JS,10,100,$JS,256,jsCaller /app/x.js:1:1,0x3e0000009000,*"
	echo "code-creation,Builtin,2,100,0x3e0000002000,64,LoadIC"
	for i in 1 2 3; do
		echo "tick,$(hex $((SO + 0x$a + 4))),$((1000 + i)),0,0x0,0,$(hex $((JS + 16)))"
	done
	echo "tick,$(hex $((SO + 0x$b + 4))),2001,0,0x0,6,$(hex $((SO + 0x$a + 8))),$(hex $((JS + 32)))"
	echo "tick,$(hex $((SO + 0x$st + 4))),2002,0,0x0,6"
	echo "tick,$(hex $((SO + 0x$tb + 4))),2003,0,0x0,6"
	# PLT stubs: strlen's called from tk_fixture_a, tk_fixture_a's from JS
	echo "tick,$(hex $((SO + 0x$ps + 8))),2004,0,0x0,6,$(hex $((SO + 0x$a + 8)))"
	echo "tick,$(hex $((SO + 0x$ps + 12))),2005,0,0x0,6,$(hex $((SO + 0x$a + 8)))"
	echo "tick,$(hex $((SO + 0x$pfa))),2006,0,0x0,6,$(hex $((JS + 40)))"
	echo "tick,$(hex $((PIE + 0x$pa + 4))),2007,0,0x0,6"
	echo "tick,$(hex $((PIE + 0x$pps + 4))),2008,0,0x0,6,$(hex $((PIE + 0x$pa + 8)))"
	echo "tick,$(hex $((JS + 40))),2009,0,0x0,0"
	echo "tick,0x3e0000002010,2010,0,0x0,0,$(hex $((JS + 40)))"
} >arm64.log
