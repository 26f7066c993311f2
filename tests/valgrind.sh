#!/bin/sh
# valgrind.sh [CASE...]: every golden case of logs/ (or the ones named) run
# under valgrind memcheck: no invalid read or write, no use of
# uninitialised memory, no leak (definite, indirect or possible), and the
# case's own exit code. Env: TICKS (the binary), TK_FIXTURES (gen.sh).
# `make check-valgrind` runs it; it takes minutes, so it is not part of
# `make check`.
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
TICKS=${TICKS:-$top/ticks}
case $TICKS in /*) ;; *) TICKS=$top/$TICKS ;; esac
TK_FIXTURES=${TK_FIXTURES:-$top/build/fixtures}
export TICKS TK_FIXTURES
command -v valgrind >/dev/null 2>&1 || { echo "valgrind.sh: valgrind is not installed" >&2; exit 77; }
out=$(mktemp -d "${TMPDIR:-/tmp}/ticks-valgrind.XXXXXX") || exit 3
trap 'rm -rf "$out"' EXIT INT TERM
[ $# -gt 0 ] || set -- $(cd "$top/logs" && ls)
pass=0
fail=0
for name in "$@"; do
	dir=$top/logs/$name
	[ -f "$dir/cmd" ] || continue
	work=$dir
	if [ -f "$dir/gen.sh" ]; then
		work=$out/$name
		mkdir -p "$work"
		(cd "$dir" && sh gen.sh "$work") >"$out/$name.gen" 2>&1
		grc=$?
		# 77: the case's inputs cannot be made here (run.sh skips it too)
		[ $grc = 77 ] && { echo "skip $name: $(tail -n 1 "$out/$name.gen")"; continue; }
		[ $grc = 0 ] || { echo "FAIL $name: gen.sh failed"; fail=$((fail + 1)); continue; }
	fi
	(cd "$work" && exec valgrind -q --error-exitcode=99 --leak-check=full \
		--errors-for-leak-kinds=definite,indirect,possible --show-leak-kinds=definite,indirect,possible \
		--log-file="$out/$name.vg" "$TICKS" $(cat "$dir/cmd")) >/dev/null 2>&1 </dev/null
	rc=$?
	want=0
	[ -f "$dir/expected.rc" ] && want=$(cat "$dir/expected.rc")
	if [ $rc = "$want" ] && ! [ -s "$out/$name.vg" ]; then
		echo "ok   $name"
		pass=$((pass + 1))
	else
		echo "FAIL $name: exit $rc (want $want)"
		head -n 40 "$out/$name.vg"
		fail=$((fail + 1))
	fi
	rm -rf "$work.tmp"
	[ "$work" = "$dir" ] || rm -rf "$work"
done
echo "valgrind: $pass passed, $fail failed"
[ $fail = 0 ]
