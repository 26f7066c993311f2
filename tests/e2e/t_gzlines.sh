#!/bin/sh
# --lines on compressed DWARF (gcc -gz=zlib: SHF_COMPRESSED sections):
# FILE:LINE as for plain DWARF; and when libdwarf refuses the compressed
# line table (here an unknown compression type, as a libdwarf without
# zlib refuses every one), one warning names the file and says why,
# instead of FILE:LINE missing without a word. Skipped (77) without
# libdwarf or where the toolchain could not build fx-gz.so.
set -u
: "${TICKS:?TICKS not set}"
: "${TK_FIXTURES:?TK_FIXTURES not set}"
top=$(cd "$(dirname "$0")/../.." && pwd)
grep -q 'HAVE_LIBDWARF = 0' "$top/config.mk" 2>/dev/null && { echo "built without libdwarf"; exit 77; }
[ -f "$TK_FIXTURES/fx-gz.so" ] || { echo "no fx-gz.so (toolchain without -gz)"; exit 77; }
dir=$(mktemp -d "${TMPDIR:-/tmp}/ticks-gzlines.XXXXXX") || exit 3
trap 'rm -rf "$dir"' EXIT INT TERM
cd "$dir" || exit 3
cp "$TK_FIXTURES/fx-gz.so" gz.so && cp gz.so bad.so || exit 3
# ch_type (the first word of the Elf64_Chdr) of .debug_line := 99
off=$(readelf -SW bad.so | awk '{ sub(/^ *\[ *[0-9]+\]/, "") } $1 == ".debug_line" { print $4 }')
[ -n "$off" ] || { echo "no .debug_line in fx-gz.so"; exit 1; }
printf 'c' | dd of=bad.so bs=1 seek=$((0x$off)) conv=notrunc 2>/dev/null || exit 3
a=$(nm gz.so | awk '$3 == "tk_fixture_a" { print $1; exit }')
e=0
for seg in $(readelf -lW gz.so | awk '$1 == "LOAD" && $0 ~ / R E / { print $2 ":" $5 }'); do
	x=$(( ${seg%%:*} + ${seg#*:} ))
	[ $x -gt $e ] && e=$x
done
e=$(( (e + 4095) / 4096 * 4096 ))
GZ=0x7f0000000000
BAD=0x7f1000000000
{
	echo "v8-version,11,3,244,8,-node.38,0"
	printf 'shared-library,%s/gz.so,0x%x,0x%x,0\n' "$dir" $((GZ)) $((GZ + e))
	printf 'shared-library,%s/bad.so,0x%x,0x%x,0\n' "$dir" $((BAD)) $((BAD + e))
	printf 'tick,0x%x,1000,0,0x0,6\n' $((GZ + 0x$a + 1))
	printf 'tick,0x%x,1001,0,0x0,6\n' $((BAD + 0x$a + 1))
	printf 'tick,0x%x,1002,0,0x0,6\n' $((BAD + 0x$a + 2))
} >gz.log
"$TICKS" --lines gz.log >out.txt 2>err.txt || { echo "ticks --lines failed:"; cat err.txt; exit 1; }
fail=0
grep -q '  tk_fixture_a .*/fx\.c:[0-9][0-9]*$' out.txt || { echo "gz.so gave no FILE:LINE:"; cat out.txt; fail=1; }
grep -q '  tk_fixture_a$' out.txt || { echo "bad.so's row is not the bare name:"; cat out.txt; fail=1; }
n=$(grep -c "^ticks: $dir/bad.so: no line could be read from its DWARF (compressed, as gcc -gz writes it): libdwarf: .*: its functions are shown without FILE:LINE$" err.txt)
[ "$n" = 1 ] || { echo "want one warning for bad.so, got:"; cat err.txt; fail=1; }
grep -q 'gz\.so:' err.txt && { echo "a warning for the readable gz.so:"; cat err.txt; fail=1; }
exit $fail
