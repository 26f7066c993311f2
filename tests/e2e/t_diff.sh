#!/bin/sh
# ticks diff: a log against its own --json report changes nothing (the
# JSON reader and the tree walk agree with the log's profile); then, with
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
exit 0
