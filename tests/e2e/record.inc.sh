# The body of t_record*.sh (sourced): ticks record on the node that PATH
# finds first. A parent forks two children in other directories and
# starts a worker (where the node has worker_threads): every isolate's log
# lands in the one directory, the table's ticks are the sum of the logs',
# the command's exit status comes back; SIGINT to ticks reaches the
# command and its log is still reported.
: "${TICKS:?TICKS not set}"
dir=$(mktemp -d "${TMPDIR:-/tmp}/ticks-record.XXXXXX") || exit 3
trap 'rm -rf "$dir"' EXIT INT TERM
cd "$dir" || exit 3
mkdir a b || exit 3
major=$(node -p 'process.versions.node.split(".")[0]') || { echo "node does not run"; exit 1; }
cat >main.js <<'JS'
const { fork } = require('child_process');
const path = require('path');
try {
  const { Worker } = require('worker_threads');
  new Worker('let s = 0; for (let i = 0; i < 3e6; i++) s += Math.sqrt(i);', { eval: true });
} catch (e) { /* node 10 without --experimental-worker */ }
let left = 2;
for (const d of ['a', 'b']) {
  const c = fork(path.join(__dirname, 'child.js'), [d], { cwd: path.join(__dirname, d) });
  c.on('exit', () => { if (--left === 0) process.exitCode = Number(process.argv[2]); });
}
let s = 0; for (let i = 0; i < 3e6; i++) s += Math.sin(i);
JS
cat >child.js <<'JS'
let s = 0; for (let i = 0; i < 3e6; i++) s += Math.cos(i);
JS
"$TICKS" record --no-symbols -q -d logs -- node main.js 3 >report.txt 2>err.txt
rc=$?
[ $rc = 3 ] || { echo "node $major: exit $rc, expected the command's 3"; cat err.txt; exit 1; }
grep -q '^ticks record: logs in logs$' err.txt || { echo "the log directory not named:"; cat err.txt; exit 1; }
isolates=4
[ "$major" -le 10 ] && isolates=3 # no worker_threads without a flag
grep -q "^ticks record: 3 processes, $isolates isolates$" err.txt ||
	{ echo "node $major: processes and isolates:"; cat err.txt; exit 1; }
n=$(ls logs/isolate-*-v8.log | wc -l)
[ "$n" = $isolates ] || { echo "node $major: $n logs in logs/, expected $isolates"; ls -la logs; exit 1; }
stray=$(find a b . -maxdepth 1 -name 'isolate-*.log' | wc -l)
[ "$stray" = 0 ] || { echo "logs outside the directory"; find . -name 'isolate-*.log'; exit 1; }
# one report, the sum of every log (as --merge); the table's total is its
# total and the sum of the logs read one by one
[ "$(grep -c '^Statistical profiling result from ' report.txt)" = 1 ] &&
	grep -q "^Statistical profiling result from $isolates logs (" report.txt ||
	{ echo "node $major: not one merged report of $isolates logs:"; grep '^Statistical' report.txt; exit 1; }
total=$(sed -n '1s/^Logs of .*: 3 processes, [0-9]* isolates, \([0-9]*\) ticks$/\1/p' report.txt)
[ -n "$total" ] || { echo "no table header:"; head -5 report.txt; exit 1; }
sum=0
for n in $(sed -n 's/^Statistical profiling result from .*, (\([0-9]*\) ticks, .*/\1/p' report.txt); do
	sum=$((sum + n))
done
[ "$sum" = "$total" ] && [ "$sum" -gt 0 ] || { echo "node $major: table $total ticks, reports $sum"; exit 1; }
sum=0
for log in logs/isolate-*-v8.log; do
	n=$("$TICKS" --no-symbols -q --only-summary "$log" | sed -n '1s/.*, (\([0-9]*\) ticks, .*/\1/p')
	sum=$((sum + n))
done
[ "$sum" = "$total" ] || { echo "node $major: table $total ticks, logs read one by one $sum"; exit 1; }
rows=$(sed -n '3,5p' report.txt | awk '$1 ~ /^[0-9]+$/ { t += $2; n++ } END { print n, t }')
[ "$rows" = "3 $total" ] || { echo "node $major: process rows '$rows', expected '3 $total'"; head -6 report.txt; exit 1; }
grep -q ' node main.js 3$' report.txt || { echo "the parent's command line is missing"; head -6 report.txt; exit 1; }
# --json: the processes' ticks are the profiles' ticks
"$TICKS" --no-symbols -q --json logs >report.json || { echo "--json of the directory failed"; exit 1; }
node -e '
const j = JSON.parse(require("fs").readFileSync("report.json", "utf8"));
const p = j.profiles.reduce((s, x) => s + x.totals.ticks, 0);
const procs = j.directories[0].processes;
const t = procs.reduce((s, x) => s + x.ticks, 0);
const logs = procs.reduce((s, x) => s + x.logs.length, 0);
if (p !== t || procs.length !== 3 || logs !== j.profiles.length || !(t > 0)) {
  console.log("json: profiles", p, "processes", t, procs.length, logs); process.exit(1);
}' || exit 1
# a signal: exit 128+N
"$TICKS" record -q -d sig -- sh -c 'kill -TERM $$' >/dev/null 2>&1
rc=$?
[ $rc = 143 ] || { echo "killed by SIGTERM: exit $rc, expected 143"; exit 1; }
# a command not found; one that starts no node
"$TICKS" record -q -d nf -- ticks-no-such-command >/dev/null 2>err.txt
rc=$?
[ $rc = 127 ] && grep -q 'ticks-no-such-command: command not found' err.txt ||
	{ echo "not found: exit $rc"; cat err.txt; exit 1; }
"$TICKS" record -q -d none -- true >/dev/null 2>err.txt
rc=$?
[ $rc != 0 ] && grep -q 'started no node' err.txt || { echo "no node: exit $rc"; cat err.txt; exit 1; }
# Ctrl-C: SIGINT to ticks goes to the command; its log is reported
cat >forever.js <<'JS'
let s = 0;
for (let i = 0; i < 3e7; i++) s += Math.sqrt(i); // some ticks first
require('fs').writeFileSync('ready', String(s));
for (;;) s += Math.sqrt(s);
JS
"$TICKS" record --no-symbols -q -d int -- node forever.js >int.txt 2>int.err &
tp=$!
while [ ! -f ready ] && kill -0 $tp 2>/dev/null; do sleep 0.1; done
[ -f ready ] || { echo "the command did not start:"; cat int.err; exit 1; }
kill -INT $tp
wait $tp
rc=$?
[ $rc = 130 ] || { echo "node $major: SIGINT: exit $rc, expected 130"; cat int.err; exit 1; }
grep -q '^Logs of .*: 1 process, 1 isolate, [1-9][0-9]* ticks$' int.txt ||
	{ echo "node $major: SIGINT: no report"; head -5 int.txt; cat int.err; exit 1; }
grep -q '^Statistical profiling result from ' int.txt || { echo "SIGINT: no report"; exit 1; }
echo "node $major: ok"
exit 0
