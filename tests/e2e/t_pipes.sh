#!/bin/sh
# Inputs that cannot seek (pipes, FIFOs, <(...), /dev/stdin) are copied
# once where ticks reads an input twice (diff sniffs it, --from=P% scans
# it first): the same report as from the files. A FIFO is opened
# blocking: opened before its writer, it does not read as empty.
set -u
: "${TICKS:?TICKS not set}"
top=$(cd "$(dirname "$0")/../.." && pwd)
base=$top/logs/diff-slowdown/base.log.gz
new=$top/logs/diff-slowdown/new.log.gz
log=$top/logs/node22-gc/node22-gc.log.gz
dir=$(mktemp -d "${TMPDIR:-/tmp}/ticks-pipes.XXXXXX") || exit 3
trap 'rm -rf "$dir"' EXIT INT TERM
cd "$dir" || exit 3
jobs_=
fail() { echo "$*"; [ -n "$jobs_" ] && kill $jobs_ 2>/dev/null; exit 1; }
mkfifo a b || { echo "no mkfifo"; exit 77; }
# the header lines name the inputs: compared without them
strip() { grep -v -e "^Difference from" -e "^ticks diff" -e "^Statistical profiling" -e "^ *base:" -e "^ *new:" "$1"; }

"$TICKS" diff --no-symbols --top=12 "$base" "$new" >files.txt || fail "diff of files failed"
gzip -dc "$base" >a &
jobs_="$jobs_ $!"
gzip -dc "$new" >b &
jobs_="$jobs_ $!"
"$TICKS" diff --no-symbols --top=12 a b >fifos.txt 2>err.txt; rc=$?
[ $rc = 0 ] || { cat err.txt; fail "diff of FIFOs: exit $rc"; }
wait $jobs_; jobs_=
strip files.txt >f1; strip fifos.txt >f2
cmp -s f1 f2 || { diff f1 f2 | head; fail "diff of FIFOs differs from diff of files"; }
# a gzip pipe, a plain FIFO on standard input
gzip -dc "$new" >b &
jobs_="$jobs_ $!"
cat "$base" | "$TICKS" diff --no-symbols --top=12 - b >mixed.txt 2>err.txt; rc=$?
[ $rc = 0 ] || { cat err.txt; fail "diff of - and a FIFO: exit $rc"; }
wait $jobs_; jobs_=
strip mixed.txt >f3
cmp -s f1 f3 || { diff f1 f3 | head; fail "diff of - and a FIFO differs"; }

# --from=P% on a FIFO and on /dev/stdin
opt="--no-symbols --only-summary --from=25% --to=50%"
"$TICKS" $opt "$log" | tail -n +2 >pct.txt || fail "--from=P% on the file failed"
gzip -dc "$log" >a &
jobs_="$jobs_ $!"
"$TICKS" $opt a >pf.txt 2>err.txt; rc=$?
[ $rc = 0 ] || { cat err.txt; fail "--from=P% on a FIFO: exit $rc"; }
wait $jobs_; jobs_=
tail -n +2 pf.txt | cmp -s - pct.txt || fail "--from=P% on a FIFO differs"
if [ -e /dev/stdin ]; then
	gzip -dc "$log" | "$TICKS" $opt /dev/stdin >ps.txt 2>err.txt; rc=$?
	[ $rc = 0 ] || { cat err.txt; fail "--from=P% on /dev/stdin: exit $rc"; }
	tail -n +2 ps.txt | cmp -s - pct.txt || fail "--from=P% on /dev/stdin differs"
fi

# a FIFO opened before its writer: read whole, not "empty"
"$TICKS" --no-symbols --only-summary a >early.txt 2>err.txt &
pid=$!
sleep 1
gzip -dc "$log" >a &
jobs_=$!
wait $pid; rc=$?
[ $rc = 0 ] || { cat err.txt; fail "FIFO opened before its writer: exit $rc"; }
"$TICKS" --no-symbols --only-summary "$log" | tail -n +2 >sum.txt
tail -n +2 early.txt | cmp -s - sum.txt || fail "FIFO opened before its writer: report differs"
wait $jobs_
exit 0
