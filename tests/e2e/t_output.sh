#!/bin/sh
# -o writes a temporary file beside the target and renames it into place
# once the report is made: a failed, killed or interrupted run leaves the
# previous file as it was; an output that is one of the logs (standard
# input included) or a V8 log (plain or gzip) is refused; '%i' is the
# log's position among the arguments, for every format; descriptors 0-2
# closed at start do not make the output standard error.
set -u
: "${TICKS:?TICKS not set}"
top=$(cd "$(dirname "$0")/../.." && pwd)
log=$top/logs/node16-fib/node16-fib.log.gz
dir=$(mktemp -d "${TMPDIR:-/tmp}/ticks-output.XXXXXX") || exit 3
trap 'rm -rf "$dir"' EXIT INT TERM
cd "$dir" || exit 3
fail() { echo "$*"; exit 1; }
T() { "$TICKS" --no-symbols --no-progress "$@"; }
leftover() { ls -A | grep -q '^\.' && fail "temporary file left: $(ls -A | grep '^\.')"; return 0; }

T "$log" >ref.txt || fail "reference run failed"
echo precious >out.txt
T -o out.txt missing.log 2>/dev/null; rc=$?
[ $rc = 1 ] || fail "missing log: exit $rc"
[ "$(cat out.txt)" = precious ] || fail "a failed run destroyed the previous -o file"
printf 'hello\nworld\n' >notalog.txt
T -o out.txt notalog.txt 2>/dev/null
[ "$(cat out.txt)" = precious ] || fail "a non-log destroyed the previous -o file"
leftover
# one log of two read: the report of that one is written, exit 1
T -o out.txt missing.log "$log" 2>/dev/null; rc=$?
[ $rc = 1 ] || fail "one log of two missing: exit $rc"
tail -n +2 out.txt | cmp -s - ref.txt || fail "one log of two: output differs"

# the output is the log being read, stdin included, or a gzip V8 log
cp "$log" x.gz
T -o x.gz - <x.gz 2>err; rc=$?
[ $rc = 2 ] || fail "-o X.gz - < X.gz: exit $rc"
cmp -s x.gz "$log" || fail "-o X.gz - < X.gz destroyed the log"
grep -q "refusing to write over x.gz: it is the log on standard input" err || fail "message: $(cat err)"
cp "$log" other.gz
T -o other.gz ref.txt 2>err; rc=$?
[ $rc = 2 ] || fail "-o GZIP-V8-LOG: exit $rc"
cmp -s other.gz "$log" || fail "a gzip V8 log was overwritten"
grep -q "other.gz: it is a V8 log" err || fail "message: $(cat err)"

# mode: what a new file gets under the umask, not mkstemp's 0600
rm -f out.txt
(umask 022 && "$TICKS" --no-symbols --no-progress -o out.txt "$log") || fail "-o new file failed"
[ "$(stat -c %a out.txt 2>/dev/null || echo 644)" = 644 ] || fail "mode $(stat -c %a out.txt)"
cmp -s out.txt ref.txt || fail "-o output differs from stdout"
T -o /dev/null "$log" || fail "-o /dev/null failed"
T -o - "$log" | cmp -s - ref.txt || fail "-o - is not standard output"
ln -s out.txt link.txt
T --only-summary -o link.txt "$log" || fail "-o SYMLINK failed"
[ -L link.txt ] || fail "-o SYMLINK replaced the link"
leftover

# SIGTERM or SIGINT mid-run: the previous file stays, the temporary file
# goes. A background job of sh ignores SIGINT: env --default-signal
# (coreutils 8.31) undoes that where it exists.
mkfifo slow || { echo "no mkfifo"; exit 77; }
sigs=TERM
env --default-signal=INT true 2>/dev/null && sigs="TERM INT"
for sig in $sigs; do
	echo precious >out.txt
	(gzip -dc "$log" | head -n 100; sleep 3) >slow &
	writer=$!
	if [ $sig = INT ]; then
		env --default-signal=INT "$TICKS" --no-symbols --no-progress -o out.txt slow 2>/dev/null &
	else
		"$TICKS" --no-symbols --no-progress -o out.txt slow 2>/dev/null &
	fi
	pid=$!
	sleep 1
	kill -$sig $pid
	wait $pid; rc=$?
	kill $writer 2>/dev/null; wait $writer 2>/dev/null
	[ $rc -gt 128 ] || fail "SIG$sig: exit $rc"
	[ "$(cat out.txt)" = precious ] || fail "SIG$sig destroyed the previous -o file"
	leftover
done

# standard error closed: no warning inside the output file
printf 'v8-version,11,3,0,0,0\nbogus-line,1\n' >warn.log
T -o w1.txt warn.log 2>/dev/null
T -o w2.txt warn.log 2>&-
cmp -s w1.txt w2.txt || fail "2>&-: the output holds warnings: $(head -3 w2.txt)"
T --format=pprof -o p1.pb.gz "$log" 2>&-
gzip -t p1.pb.gz 2>/dev/null || fail "2>&-: pprof output is no longer gzip"
T --json -o j.json warn.log "$log" 2>&- 1>&-
head -c 1 j.json | grep -q '{' || fail "2>&- 1>&-: JSON output broken"

# %i: the argument's position, for every format
for f in text json pcs timeline folded pprof; do
	case $f in
	text) opt= ;; json) opt=--json ;; pcs) opt=--pcs ;; timeline) opt=--timeline ;; *) opt=--format=$f ;;
	esac
	rm -f rep-*
	T $opt -o "rep-%i.$f" "$log" missing.log notalog.txt "$log" >stdout.txt 2>/dev/null; rc=$?
	[ $rc = 1 ] || fail "%i $f: exit $rc"
	[ -s stdout.txt ] && fail "%i $f: wrote to standard output"
	[ "$(ls rep-* | tr '\n' ' ')" = "rep-1.$f rep-4.$f " ] || fail "%i $f: files $(ls rep-* | tr '\n' ' ')"
	cmp -s "rep-1.$f" "rep-4.$f" || fail "%i $f: the two files differ"
done
T --json -o "rep-%i.json" "$log" >/dev/null
head -c 1 rep-1.json | grep -q '{' || fail "%i json: not a document"
"$TICKS" diff --no-symbols -o "d-%i.txt" "$log" "$log" 2>err; rc=$?
[ $rc = 2 ] || fail "diff -o %i: exit $rc"
T --merge --format=folded -o "m-%i.txt" "$log" "$log" 2>err; rc=$?
[ $rc = 2 ] || fail "--merge -o %i: exit $rc"
leftover
exit 0
