#!/bin/sh
# --format=speedscope: speedscope's file format, parsed by node and checked
# (tests/e2e/check_export.js): frames valid and distinct, one sampled
# profile per log (or one with --merge), samples as long as weights and as
# many as the report's ticks, weights the interval, leaf self counts equal
# to the text report's; --merge keeps every stack of the separate
# profiles; a synthetic log pins the mapping.
set -u
: "${TICKS:?TICKS not set}"
command -v node >/dev/null 2>&1 || { echo "node not found: cannot parse the JSON"; exit 77; }
top=$(cd "$(dirname "$0")/../.." && pwd)
check=$top/tests/e2e/check_export.js
dir=$(mktemp -d "${TMPDIR:-/tmp}/ticks-speedscope.XXXXXX") || exit 3
trap 'rm -rf "$dir"' EXIT INT TERM

interval() { gzip -dc -f "$1" | sed -n 's/^profiler,begin,\([0-9][0-9]*\).*/\1/p' | head -n 1; }

# one log
log=$top/logs/node20-regexjson/node20-regexjson.log.gz
"$TICKS" --no-symbols "$log" >"$dir/r.txt" || { echo "text report failed"; exit 1; }
"$TICKS" --no-symbols --format=speedscope -o "$dir/p.json" "$log" || { echo "speedscope failed"; exit 1; }
iv=$(interval "$log")
[ -n "$iv" ] || { echo "no profiler,begin in $log"; exit 1; }
node "$check" speedscope "$dir/p.json" "$iv" "$dir/r.txt" || exit 1

# three worker logs: three profiles; merged: one, with the same stacks
w=$top/logs/node22-workers
set -- "$w/node22-workers-1.log.gz" "$w/node22-workers-2.log.gz" "$w/node22-workers-3.log.gz"
i=0
for f in "$@"; do
	i=$((i + 1))
	"$TICKS" --no-symbols "$f" >"$dir/w$i.txt" || { echo "text report of $f failed"; exit 1; }
	[ "$(interval "$f")" = "$(interval "$1")" ] || { echo "the worker logs' intervals differ"; exit 1; }
done
iv=$(interval "$1")
"$TICKS" --no-symbols --format=speedscope -o "$dir/w.json" "$@" || { echo "speedscope of 3 logs failed"; exit 1; }
STACKS_OUT=$dir/w.stacks node "$check" speedscope "$dir/w.json" "$iv" "$dir/w1.txt" "$dir/w2.txt" "$dir/w3.txt" || exit 1
"$TICKS" --no-symbols --merge --format=speedscope -o "$dir/m.json" "$@" || { echo "speedscope --merge failed"; exit 1; }
STACKS_OUT=$dir/m.stacks node "$check" speedscope "$dir/m.json" "$iv" --merge "$dir/w1.txt" "$dir/w2.txt" "$dir/w3.txt" || exit 1
cmp -s "$dir/w.stacks" "$dir/m.stacks" || { echo "--merge changed the stacks"; diff "$dir/w.stacks" "$dir/m.stacks" | head; exit 1; }
node -e '
const p = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
const names = p.profiles.map(q => q.name.replace(/.*\//, ""));
if (names.join() !== "node22-workers-1.log.gz,node22-workers-2.log.gz,node22-workers-3.log.gz") {
	console.log("FAIL: profile names " + names); process.exit(1);
}' "$dir/w.json" || exit 1

# the mapping, on a synthetic log (see t_cpuprofile.sh): 1-based
# positions, "(anonymous)", tiers of one function one frame, pseudo-frames
cat >"$dir/syn.log" <<'EOF'
v8-version,11,3,244,8,-node.38,0
profiler,begin,500
code-creation,JS,10,100,0x1000,256,foo /app/a.js:3:5,0x9000,*
code-creation,JS,10,100,0x1800,256,foo /app/a.js:3:5,0x9000,~
code-creation,JS,10,100,0x2000,256, /app/a.js:1:1,0x9100,~
code-creation,Builtin,2,100,0x3000,64,StringAdd
code-creation,JS,10,100,0x4000,256,we\x2Cird"na\\me\x0A\xE9\x01 /app/b.js:7:2,0x9200,^
tick,0x1010,1000,0,0x0,0,0x2010
tick,0x3010,1500,0,0x0,1
tick,0x3010,1400,0,0x0,0
tick,0x3010,2000,0,0x0,8
tick,0xdead0,2500,0,0x0,0,0x1010,0x2010
tick,0xdead0,3000,0,0x0,6
tick,0x4010,3500,0,0x0,0,0x2010
tick,0x1810,3600,0,0x0,0,0x2010
EOF
"$TICKS" -q --separate-builtins=false --format=speedscope -o "$dir/syn.json" "$dir/syn.log" ||
	{ echo "speedscope of the synthetic log failed"; exit 1; }
node - "$dir/syn.json" <<'EOF' || exit 1
const p = JSON.parse(require('fs').readFileSync(process.argv[2], 'utf8'));
const fail = m => { console.log('FAIL: synthetic: ' + m); process.exit(1); };
const eq = (a, b, what) => { if (JSON.stringify(a) !== JSON.stringify(b)) fail(what + ': ' + JSON.stringify(a) + ', expected ' + JSON.stringify(b)); };
const fr = p.shared.frames;
eq(p.profiles.length, 1, 'profiles');
const q = p.profiles[0];
eq([q.type, q.unit, q.startValue, q.endValue, q.weights], ['sampled', 'microseconds', 0, 4000, [500, 500, 500, 500, 500, 500, 500, 500]], 'profile');
eq(q.samples.map(s => s.map(i => fr[i])), [
	[{ name: '(anonymous)', file: '/app/a.js', line: 1, col: 1 }, { name: 'foo', file: '/app/a.js', line: 3, col: 5 }],
	[{ name: '(garbage collector)' }],
	[{ name: '(program)' }],
	[{ name: '(idle)' }],
	[{ name: '(anonymous)', file: '/app/a.js', line: 1, col: 1 }, { name: 'foo', file: '/app/a.js', line: 3, col: 5 }, { name: '(unknown)' }],
	[{ name: '(program)' }],
	[{ name: '(anonymous)', file: '/app/a.js', line: 1, col: 1 }, { name: 'we,ird"na\\me\n\u00e9\u0001', file: '/app/b.js', line: 7, col: 2 }],
	[{ name: '(anonymous)', file: '/app/a.js', line: 1, col: 1 }, { name: 'foo', file: '/app/a.js', line: 3, col: 5 }],
], 'stacks');
eq(q.samples[0][1], q.samples[7][1], 'foo at two tiers');
EOF
exit 0
