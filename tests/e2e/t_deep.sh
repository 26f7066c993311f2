#!/bin/sh
# Deep trees on a small C stack (ulimit -s 256): no tree walk recurses
# once per level.
#
# The log (written here, 121 KB): 2 ticks of 4000 frames in one optimized
# function whose position has a 63-deep inlining chain; with --lines or
# --annotate each frame stands for 64, a 256,000-frame path, which is cut
# to the innermost 4090 (TK_MAX_FRAMES) and the rest counted in
# frames_over_cap. Every format, --annotate, --call-graph-size=10000, the
# timeline and --merge must then succeed; and `ticks diff` must read a
# --json report nested 2000 nodes (4000 JSON levels) deep. Before the
# walks were made iterative, folded, html, --annotate, the deep text tree
# and the JSON reader died with SIGSEGV here.
set -u
: "${TICKS:?TICKS not set}"
dir=$(mktemp -d "${TMPDIR:-/tmp}/ticks-deep.XXXXXX") || exit 3
trap 'rm -rf "$dir"' EXIT INT TERM
fail() { echo "$*"; exit 1; }
cd "$dir" || exit 3

SRC='function f(a) {\n  a++;\n  return g(a);\n}\nfunction g(b) {\n  return b * 2;\n}\n'
{
	echo "v8-version,11,3,244,8,-node.38,0"
	printf '%s\n' "script-source,3,/app/x.js,$SRC"
	echo "code-creation,JS,10,100,0x3e0000004000,256,g /app/x.js:5:11,0x3e00000000b0,~"
	echo "code-source-info,0x3e0000004000,3,41,70,C0O58,,"
	echo "code-creation,JS,10,101,0x3e0000001000,4096,f /app/x.js:1:11,0x3e00000000a0,*"
	# inlining entry 0: g inlined at g(a); entry i: g inlined into entry i-1
	inl=F0O32
	i=1
	while [ $i -lt 63 ]; do
		inl="${inl}F0O58I$((i - 1))"
		i=$((i + 1))
	done
	echo "code-source-info,0x3e0000001000,3,0,40,C0O0C16O58I62,$inl,S0x3e00000000b0"
	for t in 1000 1001; do
		printf 'tick,0x3e0000001020,%s,0,0x0,0' $t
		awk 'BEGIN { for (i = 0; i < 3999; i++) printf ",0x3e0000001020"; print "" }'
	done
} >deep.log

# a --json report whose top-down tree is 2000 nodes deep
awk 'BEGIN {
	printf "{\"schema\":\"ticks/1\",\"profiles\":[{\"totals\":{\"ticks\":1},\"top_down\":{\"name\":\"(root)\",\"self\":0,\"total\":1"
	for (i = 0; i < 2000; i++) printf ",\"children\":[{\"name\":\"f%d\",\"self\":%d,\"total\":1", i, i == 1999
	for (i = 0; i < 2000; i++) printf "}]"
	print "}}]}"
}' >deep.json

ulimit -s 256 || fail "cannot set the stack limit"
run() {
	case $1 in diff) "$TICKS" "$@" ;; *) "$TICKS" -q "$@" ;; esac >out 2>err
	rc=$?
	[ $rc = 0 ] || fail "ticks $*: exit $rc: $(head -c 300 err)"
}
for f in text json folded html speedscope cpuprofile pprof preprocess; do
	run --lines --format=$f -o out.$f deep.log
	run --format=$f -o out.$f deep.log
	[ -s out.$f ] || fail "--format=$f wrote nothing"
done
run --lines --format=folded --merge deep.log deep.log
run --lines --call-graph-size=10000 deep.log
run --lines --top-down --call-graph-size=10000 deep.log
run --lines --json --call-graph-size=10000 deep.log
run --annotate=. deep.log
grep -q '^ROUTINE ======================== g in /app/x.js$' out || fail "--annotate lists no g: $(head -5 out)"
run --lines --timeline=100 deep.log
run --lines --pcs deep.log
run diff deep.json deep.json
run diff --json deep.json deep.json

# the cut: the innermost 4090 frames kept, the rest counted
"$TICKS" --lines --format=folded deep.log >folded 2>err || fail "folded failed"
n=$(awk '{ print split($0, a, ";") }' folded)
[ "$n" = 4090 ] || fail "the folded stack has $n frames, not 4090"
grep -q 'with its inlined frames: the 251910 outermost are dropped' err || fail "no warning: $(cat err)"
"$TICKS" -q --lines --json deep.log >json || fail "json failed"
grep -q '"frames_over_cap": 503820,' json || fail "frames_over_cap: $(grep frames_over_cap json)"
grep -q '"stack_too_deep": 2,' json || fail "stack_too_deep: $(grep stack_too_deep json)"
# without --lines the stack fits: nothing cut
"$TICKS" -q --json deep.log >json || fail "json failed"
grep -q '"frames_over_cap": 0,' json || fail "frames_over_cap without --lines: $(grep frames_over_cap json)"
exit 0
