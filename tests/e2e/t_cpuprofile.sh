#!/bin/sh
# --format=cpuprofile: a Chrome DevTools profile that node parses and whose
# tree, hit counts, samples and times hold together and agree with the
# text report (tests/e2e/check_export.js): one log; three worker logs,
# with and without --merge; and a small synthetic log that pins the
# mapping (callFrames, pseudo-nodes, escapes, times).
set -u
: "${TICKS:?TICKS not set}"
command -v node >/dev/null 2>&1 || { echo "node not found: cannot parse the JSON"; exit 77; }
top=$(cd "$(dirname "$0")/../.." && pwd)
check=$top/tests/e2e/check_export.js
dir=$(mktemp -d "${TMPDIR:-/tmp}/ticks-cpuprofile.XXXXXX") || exit 3
trap 'rm -rf "$dir"' EXIT INT TERM

# interval LOG: the sampling interval (us) the log was written with
interval() { gzip -dc -f "$1" | sed -n 's/^profiler,begin,\([0-9][0-9]*\).*/\1/p' | head -n 1; }

# one log
log=$top/logs/node20-regexjson/node20-regexjson.log.gz
"$TICKS" --no-symbols "$log" >"$dir/r.txt" || { echo "text report failed"; exit 1; }
"$TICKS" --no-symbols --format=cpuprofile -o "$dir/p.cpuprofile" "$log" ||
	{ echo "cpuprofile failed"; exit 1; }
iv=$(interval "$log")
[ -n "$iv" ] || { echo "no profiler,begin in $log"; exit 1; }
node "$check" cpuprofile "$dir/p.cpuprofile" "$iv" "$dir/r.txt" || exit 1

# three worker logs: one isolate root per log, samples concatenated; merged
w=$top/logs/node22-workers
set -- "$w/node22-workers-1.log.gz" "$w/node22-workers-2.log.gz" "$w/node22-workers-3.log.gz"
i=0
for f in "$@"; do
	i=$((i + 1))
	"$TICKS" --no-symbols "$f" >"$dir/w$i.txt" || { echo "text report of $f failed"; exit 1; }
	[ "$(interval "$f")" = "$(interval "$1")" ] || { echo "the worker logs' intervals differ"; exit 1; }
done
iv=$(interval "$1")
"$TICKS" --no-symbols --format=cpuprofile -o "$dir/w.cpuprofile" "$@" || { echo "cpuprofile of 3 logs failed"; exit 1; }
node "$check" cpuprofile "$dir/w.cpuprofile" "$iv" "$dir/w1.txt" "$dir/w2.txt" "$dir/w3.txt" || exit 1
"$TICKS" --no-symbols --merge --format=cpuprofile -o "$dir/m.cpuprofile" "$@" ||
	{ echo "cpuprofile --merge failed"; exit 1; }
node "$check" cpuprofile "$dir/m.cpuprofile" "$iv" --merge "$dir/w1.txt" "$dir/w2.txt" "$dir/w3.txt" || exit 1

# the mapping, on a synthetic log: interval 500; an anonymous function
# and foo (scripts, 0-based positions); a name with a comma, quote,
# backslash, newline, non-ASCII and a control character; ticks with no
# frame left (builtins dropped) in the GC, JS and IDLE states; a tick
# logged out of time order; an unknown pc under JS frames and alone
cat >"$dir/syn.log" <<'EOF'
v8-version,11,3,244,8,-node.38,0
profiler,begin,500
code-creation,JS,10,100,0x1000,256,foo /app/a.js:3:5,0x9000,*
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
EOF
"$TICKS" -q --separate-builtins=false --format=cpuprofile -o "$dir/syn.cpuprofile" "$dir/syn.log" ||
	{ echo "cpuprofile of the synthetic log failed"; exit 1; }
node - "$dir/syn.cpuprofile" <<'EOF' || exit 1
const p = JSON.parse(require('fs').readFileSync(process.argv[2], 'utf8'));
const fail = m => { console.log('FAIL: synthetic: ' + m); process.exit(1); };
const eq = (a, b, what) => { if (JSON.stringify(a) !== JSON.stringify(b)) fail(what + ': ' + JSON.stringify(a) + ', expected ' + JSON.stringify(b)); };
const byId = new Map(p.nodes.map(n => [n.id, n]));
const find = fn => p.nodes.filter(n => n.callFrame.functionName === fn);
const one = fn => { const v = find(fn); if (v.length !== 1) fail(v.length + ' nodes named ' + JSON.stringify(fn)); return v[0]; };
const root = p.nodes[0], anon = one(''), foo = one('foo'), weird = one('we,ird"na\\me\n\u00e9\u0001');
eq(anon.callFrame, { functionName: '', scriptId: anon.callFrame.scriptId, url: '/app/a.js', lineNumber: 0, columnNumber: 0 }, 'anonymous');
eq(foo.callFrame, { functionName: 'foo', scriptId: anon.callFrame.scriptId, url: '/app/a.js', lineNumber: 2, columnNumber: 4 }, 'foo');
eq(weird.callFrame.url + ':' + weird.callFrame.lineNumber + ':' + weird.callFrame.columnNumber, '/app/b.js:6:1', 'escaped name');
if (anon.callFrame.scriptId === '0' || weird.callFrame.scriptId === anon.callFrame.scriptId) fail('scriptIds');
eq(anon.children.slice().sort(), [foo.id, weird.id].sort(), 'children of the anonymous function');
const unk = one('(unknown)');
eq([foo.children, unk.hitCount], [[unk.id], 1], 'unknown pc under foo');
const top = fn => root.children.map(c => byId.get(c)).filter(n => n.callFrame.functionName === fn).map(n => n.hitCount);
eq([top('(program)'), top('(garbage collector)'), top('(idle)')], [[2], [1], [1]], 'pseudo-nodes under the root');
eq(find('Builtin: StringAdd').length, 0, 'dropped builtin');
eq(p.samples.map(s => byId.get(s).callFrame.functionName),
   ['foo', '(garbage collector)', '(program)', '(idle)', '(unknown)', '(program)', weird.callFrame.functionName], 'samples');
eq([p.startTime, p.endTime, p.timeDeltas], [1000, 4000, [0, 500, 0, 500, 500, 500, 500]], 'times');
EOF

# no ticks: an empty but valid profile
printf 'v8-version,11,3,244,8,-node.38,0\n' >"$dir/empty.log"
"$TICKS" -q --format=cpuprofile -o "$dir/empty.cpuprofile" "$dir/empty.log" || { echo "empty log failed"; exit 1; }
node -e '
const p = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
if (p.nodes.length !== 1 || p.samples.length || p.timeDeltas.length || p.startTime !== p.endTime) {
	console.log("FAIL: empty log: " + JSON.stringify(p)); process.exit(1);
}' "$dir/empty.cpuprofile" || exit 1
exit 0
