#!/bin/sh
# Memory per kept log: an export keeps every log's profile until it is
# written, but not the caches of reading (tk_isolate_shrink). 1,000 and
# 4,000 three-line logs (a function of its own each) to --format=folded
# and --merge: the peak RSS may grow by at most 16 KB a log between them
# (about 110 KB a log before). Not a timing test. Needs GNU time (-f %M);
# skipped (77) without it and for sanitizer builds (their allocator keeps
# freed memory in quarantine).
set -u
: "${TICKS:?TICKS not set}"
T=/usr/bin/time
[ -x $T ] && $T -f %M true >/dev/null 2>&1 || { echo "no GNU time"; exit 77; }
if grep -q __asan_init "$TICKS" 2>/dev/null; then echo "a sanitizer build"; exit 77; fi
dir=$(mktemp -d "${TMPDIR:-/tmp}/ticks-memory.XXXXXX") || exit 3
trap 'rm -rf "$dir"' EXIT INT TERM
fail() { echo "$*"; exit 1; }
cd "$dir" || exit 3
awk 'BEGIN {
	for (i = 1; i <= 4000; i++) {
		f = "l" i ".log"
		print "v8-version,11,3,244,8,-node.38,0" >f
		print "code-creation,JS,10,100,0x3e0000001000,256,f" i " /app/x.js:1:1,0x3e00000000b0,~" >f
		print "tick,0x3e0000001010,1,0,0x0,0" >f
		close(f)
	}
}'
rss() { # max RSS in KB of ticks on the first $1 logs, further args before them
	n=$1
	shift
	$T -f %M -o rss "$TICKS" -q "$@" $(awk -v n=$n 'BEGIN { for (i = 1; i <= n; i++) print "l" i ".log" }') \
		>out 2>err || fail "ticks $* ($n logs) failed: $(head -c 300 err)"
	tail -n 1 rss
}
for args in "--format=folded" "--format=pprof --merge -o out.pb.gz"; do
	a=$(rss 1000 $args)
	b=$(rss 4000 $args)
	per=$(( (b - a) / 3000 ))
	echo "$args: $a KB for 1000 logs, $b KB for 4000: $per KB a log"
	[ "$per" -le 16 ] || fail "$args: $per KB more a log ($a KB for 1000 logs, $b KB for 4000)"
done
exit 0
