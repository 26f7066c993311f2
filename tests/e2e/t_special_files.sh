#!/bin/sh
# Source maps and annotated scripts are read only when they are regular
# files (at most 256 MiB): a FIFO (which would wait for a writer forever)
# or /dev/zero (256 MiB of NULs per script) is skipped with one warning.
set -u
: "${TICKS:?TICKS not set}"
top=$(cd "$(dirname "$0")/../.." && pwd)
log=$top/logs/jslines-ts/jslines-ts.log.gz
dir=$(mktemp -d "${TMPDIR:-/tmp}/ticks-special.XXXXXX") || exit 3
trap 'rm -rf "$dir"' EXIT INT TERM
command -v timeout >/dev/null 2>&1 || { echo "no timeout(1)"; exit 77; }
mkdir "$dir/fifo" "$dir/zero" "$dir/src" "$dir/src/dist" || exit 3
mkfifo "$dir/fifo/hot.js.map" || { echo "no mkfifo"; exit 77; }
ln -s /dev/zero "$dir/zero/hot.js.map" || exit 3
for k in fifo zero; do
	timeout 20 "$TICKS" --no-symbols --lines --source-map-dir="$dir/$k" "$log" >"$dir/$k.out" 2>"$dir/$k.err"
	rc=$?
	[ $rc = 0 ] || { echo "$k map: exit $rc (124: it hung)"; cat "$dir/$k.err"; exit 1; }
	n=$(grep -c "source map: $dir/$k/hot.js.map: not a regular file" "$dir/$k.err")
	[ "$n" = 1 ] || { echo "$k map: want one warning, got:"; cat "$dir/$k.err"; exit 1; }
	grep -q "not found" "$dir/$k.err" && { echo "$k map said 'not found'"; exit 1; }
done
# an annotated source that is a FIFO: skipped, one warning
cp "$top/tests/fixtures/ts/dist/hot.js.map" "$dir/src/dist/" || exit 3
mkfifo "$dir/src/hot.ts" || exit 3
timeout 20 "$TICKS" --no-symbols --annotate='^mix$' --source-map-dir="$dir/src/dist" "$log" \
	>"$dir/ann.out" 2>"$dir/ann.err"
rc=$?
[ $rc = 0 ] || { echo "annotate: exit $rc (124: it hung)"; cat "$dir/ann.err"; exit 1; }
n=$(grep -c "hot.ts: source not read: not a regular file" "$dir/ann.err")
[ "$n" = 1 ] || { echo "annotate: want one warning, got:"; cat "$dir/ann.err"; exit 1; }
exit 0
