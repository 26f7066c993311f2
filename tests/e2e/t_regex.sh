#!/bin/sh
# Pattern options at a bounded cost: --focus/--ignore/--hide/--annotate
# with '(a|aa)*c' over 3 names of 300,000 characters. glibc's regexec is
# quadratic in the subject for such a pattern (over 300 s on the whole
# names); ticks matches each distinct name once, on its first
# TK_MATCH_PREFIX (1024) bytes, which takes milliseconds. Not a timing
# test: `timeout 60` only catches a hang (generous for ASan builds).
set -u
: "${TICKS:?TICKS not set}"
command -v timeout >/dev/null 2>&1 || { echo "no timeout command"; exit 77; }
dir=$(mktemp -d "${TMPDIR:-/tmp}/ticks-regex.XXXXXX") || exit 3
trap 'rm -rf "$dir"' EXIT INT TERM
fail() { echo "$*"; exit 1; }
cd "$dir" || exit 3
{
	echo "v8-version,11,3,244,8,-node.38,0"
	for k in 1 2 3; do
		printf 'code-creation,JS,10,100,0x3e000000%d000,256,' $k
		awk 'BEGIN { s = "a"; while (length(s) < 300000) s = s s; printf "%s", substr(s, 1, 300000) }'
		printf ' /app/x.js:%d:1,0x3e00000000b%d,~\n' $k $k
	done
	for t in 1 2 3 4 5 6; do
		echo "tick,0x3e000000$((t % 3 + 1))010,$t,0,0x0,0,0x3e000000$(((t + 1) % 3 + 1))010"
	done
} >re.log
run() {
	timeout 60 "$TICKS" -q "$@" re.log >out 2>err
	rc=$?
	[ $rc = 0 ] || fail "ticks $*: exit $rc $(head -c 300 err)"
}
P='(a|aa)*c'
run --focus="$P"
grep -q '(6 ticks, 0 unaccounted, 6 excluded)' out || fail "--focus: $(head -n 1 out)"
run --ignore="$P"
grep -q '(6 ticks, 0 unaccounted, 0 excluded)' out || fail "--ignore: $(head -n 1 out)"
run --hide="$P" --format=folded
[ "$(wc -l <out)" = 3 ] || fail "--hide: $(cut -c 1-100 out)"
run --annotate="$P"
grep -q '^Total: 6 ticks$' out || fail "--annotate: $(head -n 2 out)"
run --focus="$P" --ignore="$P" --hide="$P" --lines --format=json
# the names are matched on their first 1024 bytes: the end is not seen
run --focus='x\.js'
grep -q '(6 ticks, 0 unaccounted, 6 excluded)' out || fail "--focus past the prefix: $(head -n 1 out)"
run --focus='^JS: ~a+'
grep -q '(6 ticks, 0 unaccounted, 0 excluded)' out || fail "--focus on the prefix: $(head -n 1 out)"
exit 0
