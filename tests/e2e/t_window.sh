#!/bin/sh
# --from/--to with percentages read standard input twice (it is copied to
# a temporary file first): the same report as from the file; ticks diff
# takes '-' for one side; --from=0% --to=100% keeps every tick.
set -u
: "${TICKS:?TICKS not set}"
top=$(cd "$(dirname "$0")/../.." && pwd)
log=$top/logs/node22-gc/node22-gc.log.gz
dir=$(mktemp -d "${TMPDIR:-/tmp}/ticks-window.XXXXXX") || exit 3
trap 'rm -rf "$dir"' EXIT INT TERM
"$TICKS" --no-symbols --from=30% --to=60% "$log" | tail -n +2 >"$dir/file.txt" || exit 1
gzip -dc "$log" | "$TICKS" --no-symbols --from=30% --to=60% - | tail -n +2 >"$dir/stdin.txt" ||
	{ echo "stdin failed"; exit 1; }
cmp -s "$dir/file.txt" "$dir/stdin.txt" || { echo "stdin differs from the file"; exit 1; }
"$TICKS" --no-symbols "$log" >"$dir/all.txt" || exit 1
"$TICKS" --no-symbols --from=0% --to=100% "$log" >"$dir/pct.txt" || exit 1
cmp -s "$dir/all.txt" "$dir/pct.txt" || { echo "--from=0% --to=100% is not the whole log"; exit 1; }
base=$top/logs/diff-slowdown/base.log.gz
new=$top/logs/diff-slowdown/new.log.gz
"$TICKS" diff --no-symbols "$base" "$new" | tail -n +2 >"$dir/d1.txt" || exit 1
"$TICKS" diff --no-symbols - "$new" <"$base" | tail -n +2 >"$dir/d2.txt" || { echo "diff - failed"; exit 1; }
cmp -s "$dir/d1.txt" "$dir/d2.txt" || { echo "diff with '-' differs"; exit 1; }
exit 0
