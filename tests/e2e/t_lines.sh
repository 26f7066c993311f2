#!/bin/sh
# --lines: C++ frames of the synthetic log (logs/synthetic-elf, over the ELF
# fixtures built with -g) are named "NAME FILE:LINE" with FILE the
# fixture's source and LINE inside the function's definition in it; a file
# without DWARF (the stripped copy) keeps the bare name. Skipped (77) when
# ticks was built without libdwarf.
set -u
: "${TICKS:?TICKS not set}"
: "${TK_FIXTURES:?TK_FIXTURES not set}"
top=$(cd "$(dirname "$0")/../.." && pwd)
dir=$(mktemp -d "${TMPDIR:-/tmp}/ticks-lines.XXXXXX") || exit 3
trap 'rm -rf "$dir"' EXIT INT TERM
(cd "$top/logs/synthetic-elf" && sh gen.sh "$dir") || { echo "gen.sh failed"; exit 1; }
cd "$dir" || exit 3
"$TICKS" -q --lines synthetic.log >lines.txt || { echo "ticks --lines failed"; exit 1; }
if ! grep -q 'fx\.c:[0-9]' lines.txt; then
	if grep -q 'HAVE_LIBDWARF = 0' "$top/config.mk" 2>/dev/null; then
		echo "built without libdwarf"; exit 77
	fi
	echo "no C++ frame has a source line:"; cat lines.txt; exit 1
fi
src=$top/tests/fixtures/fx.c
fail=0
# check NAME DEFINITION-PATTERN: every row of NAME carries fx.c:LINE with
# LINE from the definition's line to the line before the next function
check() {
	def=$(grep -n "$2" "$src" | head -n 1 | cut -d: -f1)
	[ -n "$def" ] || { echo "no '$2' in fx.c"; fail=1; return; }
	rows=$(sed -n '/^ \[C++\]:/,/^ \[Summary\]:/p' lines.txt | grep -F "  $1 " || true)
	[ -n "$rows" ] || { echo "no [C++] row for $1"; fail=1; return; }
	echo "$rows" | while IFS= read -r row; do
		ln=$(echo "$row" | sed -n 's/.*fx\.c:\([0-9][0-9]*\)$/\1/p')
		if [ -z "$ln" ] || [ "$ln" -lt "$def" ] || [ "$ln" -gt $((def + 4)) ]; then
			echo "$1: '$row' is not at fx.c:$def..$((def + 4))"; exit 1
		fi
	done || fail=1
}
check tk_fixture_a 'int tk_fixture_a(int x)'
check tk_fixture_b 'int tk_fixture_b(int x)'
check tk_fixture_static 'int tk_fixture_static(int x)'
check 'tk::fixture::foo()' 'void tk_fixture_mangled(void)'
# the stripped copy has no DWARF: its symbol stays bare
grep -q '  tk_fixture_a@@TKFX_1.0$' lines.txt || { echo "the stripped copy's row changed:"; grep TKFX lines.txt; fail=1; }
# without --lines nothing changes
"$TICKS" -q synthetic.log | grep -q 'fx\.c:' && { echo "source lines without --lines"; fail=1; }
exit $fail
