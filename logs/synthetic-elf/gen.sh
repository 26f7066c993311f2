#!/bin/sh
# gen.sh OUTDIR: a synthetic log whose shared-library lines name the ELF
# fixtures built by make ($TK_FIXTURES, linked as OUTDIR/fx), loaded at
# chosen addresses, with ticks at known offsets into known functions.
# Symbol addresses come from nm, so the expected report does not depend on
# the compiler's layout, nor on the architecture (x86-64 or aarch64
# fixtures give the same report).
set -eu
out=$1
fx=${TK_FIXTURES:?TK_FIXTURES not set}
rm -rf "$out/fx"
mkdir "$out/fx"
for f in "$fx"/*; do ln -s "$f" "$out/fx/"; done
# fx-2seg.so padded to a fixed size: the warning names it
rm "$out/fx/fx-2seg.so"
cp "$fx/fx-2seg.so" "$out/fx/fx-2seg.so"
[ "$(wc -c <"$out/fx/fx-2seg.so")" -le 131072 ] && truncate -s 131072 "$out/fx/fx-2seg.so"
cd "$out"

# sym FILE NAME: the symbol's address (hex, no 0x) in FILE's .symtab
sym() { nm "fx/$1" | awk -v n="$2" '$3 == n { print $1; exit }'; }
dsym() { nm -D "fx/$1" | awk -v n="$2" '$3 ~ "^" n "(@|$)" { print $1; exit }'; }
hex() { printf '0x%x' "$1"; }
# cend FILE: where FILE's last executable segment ends, page-rounded (what
# V8 logs as END - START for a mapping of it)
cend() {
	e=0
	for seg in $(readelf -lW "fx/$1" | awk '$1 == "LOAD" && $0 ~ / R E / { print $2 ":" $5 }'); do
		x=$(( ${seg%%:*} + ${seg#*:} ))
		[ $x -gt $e ] && e=$x
	done
	echo $(( (e + 4095) / 4096 * 4096 ))
}

SO=0x7f0000000000
ST=0x7f1000000000
PIE=0x555555554000
a=$(sym fx.so tk_fixture_a); b=$(sym fx.so tk_fixture_b)
plt=$(sym fx.so tk_fixture_plt); mg=$(sym fx.so _ZN2tk7fixture3fooEv)
st=$(sym fx.so tk_fixture_static)
sa=$(dsym fx-stripped.so tk_fixture_a)
na=$(sym fx-nopie tk_fixture_a); nb=$(sym fx-nopie tk_fixture_b)
pa=$(sym fx-pie tk_fixture_a)
pltstub=$(objdump -d fx/fx.so | awk '/<strlen@plt>:$/ { print $1; exit }')
init2=$(sym fx-2seg.so _init)
for v in "$a" "$b" "$plt" "$mg" "$st" "$sa" "$na" "$nb" "$pa" "$pltstub" "$init2"; do
	[ -n "$v" ] || { echo "gen.sh: a fixture symbol is missing" >&2; exit 1; }
done
JS=0x3e0000001000
DL=0x7f2000000000
SEG=0x7f3000000000

{
	echo "v8-version,11,3,244,8,-node.38,0"
	echo "shared-library,fx/fx-nopie,0x400000,$(hex $((0x400000 + $(cend fx-nopie)))),0"
	echo "shared-library,fx/fx-pie,$PIE,$(hex $((PIE + $(cend fx-pie)))),0"
	echo "shared-library,fx/fx.so,$SO,$(hex $((SO + $(cend fx.so)))),0"
	echo "shared-library,fx/fx-stripped.so,$ST,$(hex $((ST + $(cend fx-stripped.so)))),0"
	echo "shared-library,[vdso],0x7ffd00000000,0x7ffd00002000,0"
	# stripped, its symbols in fx-debuglink.so.debug beside it (debuglink)
	echo "shared-library,fx/fx-debuglink.so,$DL,$(hex $((DL + $(cend fx-debuglink.so)))),0"
	# a log that maps more than the file holds: not the file profiled
	echo "shared-library,fx/fx-2seg.so,$SEG,$(hex $((SEG + 0x400000))),0"
	echo "code-creation,JS,10,100,$JS,256,jsCaller /app/x.js:1:1,0x3e0000009000,*"
	echo "code-creation,Builtin,2,100,0x3e0000002000,64,LoadIC"
	# 3 ticks in tk_fixture_a of fx.so (PIC: bias = load address), called from JS
	for i in 1 2 3; do
		echo "tick,$(hex $((SO + 0x$a + 1))),$((1000 + i)),0,0x0,0,$(hex $((JS + 16)))"
	done
	# 2 in tk_fixture_b (called from tk_fixture_a, from JS): entry point is b's caller chain
	for i in 1 2; do
		echo "tick,$(hex $((SO + 0x$b + 2))),$((2000 + i)),0,0x0,6,$(hex $((SO + 0x$a + 4))),$(hex $((JS + 32)))"
	done
	# the mangled one, demangled
	echo "tick,$(hex $((SO + 0x$mg))),3000,0,0x0,6,$(hex $((JS + 8)))"
	# a local function of fx.so, present in .symtab
	echo "tick,$(hex $((SO + 0x$st + 1))),3001,0,0x0,6"
	# the stripped copy: exported functions still named from .dynsym
	echo "tick,$(hex $((ST + 0x$sa + 1))),3002,0,0x0,6"
	# non-PIE executable: symbols at their own addresses (bias 0)
	echo "tick,$(hex $((0x$na + 1))),3003,0,0x0,6"
	echo "tick,$(hex $((0x$nb + 1))),3004,0,0x0,6"
	# PIE executable: bias = its load address
	echo "tick,$(hex $((PIE + 0x$pa + 1))),3005,0,0x0,6"
	# the static function of the stripped copy, named from its debug file
	echo "tick,$(hex $((DL + 0x$st + 1))),3011,0,0x0,6"
	# a PLT stub of fx.so, named as objdump names it
	echo "tick,$(hex $((SO + 0x$pltstub + 2))),3012,0,0x0,6,$(hex $((SO + 0x$a + 4)))"
	# inside the mismatched file: named, with a warning
	echo "tick,$(hex $((SEG + 0x$init2 + 0x10))),3013,0,0x0,6"
	# vdso: named as the pseudo-library, never opened
	echo "tick,0x7ffd00000100,3006,0,0x0,6"
	# JIT code and a builtin
	echo "tick,$(hex $((JS + 40))),3007,0,0x0,0"
	echo "tick,0x3e0000002010,3008,0,0x0,0,$(hex $((JS + 40)))"
	# no code at all: UNKNOWN; pc 0
	echo "tick,0x1234,3009,0,0x0,5"
	echo "tick,0x0,3010,0,0x0,5"
} >synthetic.log
