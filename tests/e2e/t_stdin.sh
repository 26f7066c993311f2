#!/bin/sh
# '-' reads standard input, plain or gzip-compressed, and gives the same
# report as the file (the header names '-').
set -u
: "${TICKS:?TICKS not set}"
top=$(cd "$(dirname "$0")/../.." && pwd)
log=$top/logs/node16-fib/node16-fib.log.gz
dir=$(mktemp -d "${TMPDIR:-/tmp}/ticks-stdin.XXXXXX") || exit 3
trap 'rm -rf "$dir"' EXIT INT TERM
"$TICKS" --no-symbols "$log" | tail -n +2 >"$dir/file.txt" || exit 1
gzip -dc "$log" | "$TICKS" --no-symbols - >"$dir/plain.txt" || { echo "plain stdin failed"; exit 1; }
"$TICKS" --no-symbols - <"$log" >"$dir/gz.txt" || { echo "gzip stdin failed"; exit 1; }
head -n 1 "$dir/plain.txt" | grep -q '^Statistical profiling result from -, (1382 ticks' ||
	{ echo "header: $(head -n 1 "$dir/plain.txt")"; exit 1; }
tail -n +2 "$dir/plain.txt" | cmp -s - "$dir/file.txt" || { echo "plain stdin differs from the file"; exit 1; }
tail -n +2 "$dir/gz.txt" | cmp -s - "$dir/file.txt" || { echo "gzip stdin differs from the file"; exit 1; }
# '-' twice is a usage error
"$TICKS" - - </dev/null >/dev/null 2>"$dir/err"
rc=$?
[ $rc = 2 ] || { echo "'- -' exit $rc, expected 2"; exit 1; }
grep -q "standard input) given twice" "$dir/err" || { echo "'- -' message: $(cat "$dir/err")"; exit 1; }
exit 0
