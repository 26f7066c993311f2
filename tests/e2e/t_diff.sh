#!/bin/sh
# ticks diff: a log against its own --json report changes nothing (the
# JSON reader and the tree walk agree with the log's profile); a log
# against a copy with every line of its script moved down one (as if a
# line were added at its top) changes nothing either, for logs and --json
# reports alike, and --fail-above=0 passes; then, with
# the machine's node, a fresh before/after recording of a deliberate
# slowdown ranks the slowed function first and trips --fail-above.
set -u
: "${TICKS:?TICKS not set}"
top=$(cd "$(dirname "$0")/../.." && pwd)
dir=$(mktemp -d "${TMPDIR:-/tmp}/ticks-diff.XXXXXX") || exit 3
trap 'rm -rf "$dir"' EXIT INT TERM
for log in "$top/logs/diff-slowdown/new.log.gz" "$top/logs/node22-gc/node22-gc.log.gz"; do
	"$TICKS" --no-symbols --json "$log" | gzip >"$dir/r.json.gz" || exit 1
	"$TICKS" diff --no-symbols --fail-above=0 "$log" "$dir/r.json.gz" >"$dir/same.txt"
	rc=$?
	[ $rc = 0 ] || { echo "$log against its report: exit $rc"; exit 1; }
	rows=$(tail -n +6 "$dir/same.txt" | wc -l)
	zero=$(tail -n +6 "$dir/same.txt" | awk '$3 == "+0.00" && $6 == "+0.00"' | wc -l)
	[ "$rows" -gt 10 ] && [ "$rows" = "$zero" ] ||
		{ echo "$log against its report: $zero of $rows rows unchanged"; head -20 "$dir/same.txt"; exit 1; }
done
# every "app.js:LINE:" of the log one line lower
sh_log=$top/logs/diff-shifted/base.log.gz
gzip -dc "$sh_log" | awk '{
	out = ""; s = $0
	while (match(s, /app\.js:[0-9]+:/)) {
		out = out substr(s, 1, RSTART + 6) (substr(s, RSTART + 7, RLENGTH - 8) + 1) ":"
		s = substr(s, RSTART + RLENGTH)
	}
	print out s }' >"$dir/shifted.log" || exit 3
grep -q 'transform /tmp/diff-shift/app\.js:4:19' "$dir/shifted.log" ||
	{ echo "shifted.log: transform is not at 4:19"; grep transform "$dir/shifted.log" | head -3; exit 1; }
"$TICKS" --no-symbols --json "$sh_log" >"$dir/b.json" || exit 1
"$TICKS" --no-symbols --json "$dir/shifted.log" >"$dir/s.json" || exit 1
for pair in "$sh_log $dir/shifted.log" "$dir/b.json $dir/s.json"; do
	# shellcheck disable=SC2086
	"$TICKS" diff --no-symbols --fail-above=0 $pair >"$dir/shift.txt"
	rc=$?
	[ $rc = 0 ] || { echo "shifted ($pair): exit $rc"; head -12 "$dir/shift.txt"; exit 1; }
	rows=$(tail -n +6 "$dir/shift.txt" | wc -l)
	zero=$(tail -n +6 "$dir/shift.txt" | awk '$3 == "+0.00" && $6 == "+0.00"' | wc -l)
	[ "$rows" -gt 10 ] && [ "$rows" = "$zero" ] ||
		{ echo "shifted ($pair): $zero of $rows rows unchanged"; head -20 "$dir/shift.txt"; exit 1; }
	grep -q 'JS: transform /tmp/diff-shift/app\.js:4:19$' "$dir/shift.txt" ||
		{ echo "shifted ($pair): no row named as the new side names transform"; exit 1; }
done
command -v node >/dev/null 2>&1 || { echo "no node: fresh recording not tested"; exit 77; }
cp "$top/logs/diff-slowdown/work.js" "$dir/" || exit 3
cd "$dir" || exit 3
node --prof --no-log-source-code work.js 1 >/dev/null && mv isolate-*-v8.log base.log || exit 1
node --prof --no-log-source-code work.js 5 >/dev/null && mv isolate-*-v8.log new.log || exit 1
"$TICKS" diff -q base.log new.log >out.txt || { echo "diff failed"; exit 1; }
first=$(sed -n 6p out.txt)
case $first in
*"JS: slow $dir/work.js:"*) ;;
*) echo "first row is not slow: $first"; head -12 out.txt; exit 1 ;;
esac
"$TICKS" diff -q --fail-above=5 base.log new.log >/dev/null 2>err.txt
rc=$?
[ $rc = 4 ] || { echo "--fail-above=5: exit $rc, expected 4"; exit 1; }
grep -q "slow" err.txt || { echo "--fail-above named: $(cat err.txt)"; exit 1; }
"$TICKS" diff -q --fail-above=90 base.log new.log >/dev/null || { echo "--fail-above=90 failed"; exit 1; }
# --annotate and --merge have no meaning in a diff: refused, not ignored
for o in --annotate=. --merge; do
	"$TICKS" diff -q "$o" base.log new.log >/dev/null 2>err.txt
	rc=$?
	[ $rc = 2 ] || { echo "diff $o: exit $rc, expected 2"; cat err.txt; exit 1; }
done
exit 0
