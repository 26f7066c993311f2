#!/bin/sh
# bench/mklog.sh MB OUT [RATE]: records a V8 log of about MB megabytes into
# OUT with this machine's node: deep.js (12 functions calling each other
# 60 deep) under `node --prof --prof-sampling-interval=100`. A bigger log
# is a longer run, never a log concatenated with itself. RATE is the
# workload's log bytes per second here (bench/run.sh measures it once);
# without it a 2 s run measures it first. Prints the rate it used.
#
# Environment: BENCH_NODE (default node), BENCH_INTERVAL (default 100 us).
set -u
[ $# -ge 2 ] || { echo "usage: bench/mklog.sh MB OUT [RATE]" >&2; exit 2; }
mb=$1 out=$2 rate=${3:-}
NODE=${BENCH_NODE:-node}
INTERVAL=${BENCH_INTERVAL:-100}
case $out in /*) ;; *) out=$(pwd)/$out ;; esac
tmp=$(mktemp -d "${TMPDIR:-/tmp}/ticks-mklog.XXXXXX") || exit 3
trap 'rm -rf "$tmp"' EXIT INT TERM
cd "$tmp" || exit 3
cat >deep.js <<'JS'
'use strict';
const ms = +process.argv[2] || 2000;
const fns = [];
for (let i = 0; i < 12; i++) {
  fns.push(new Function('next', 'depth', 'x',
    `return depth <= 0 ? (x * 31 + ${i}) % 1000003 : next[(depth + ${i}) % next.length](next, depth - 1, x + ${i});`));
}
const end = Date.now() + ms;
let s = 0;
while (Date.now() < end) for (let k = 0; k < 200; k++) s = fns[k % 12](fns, 60, s);
if (s < 0) console.log(s);
JS
# record MS milliseconds of the workload into $1
record() {
	rm -f isolate-*.log
	"$NODE" --prof --prof-sampling-interval="$INTERVAL" deep.js "$2" >/dev/null 2>&1
	set -- "$1" isolate-*.log
	[ -f "$2" ] || { echo "mklog: $NODE wrote no log" >&2; exit 1; }
	mv "$2" "$1"
}
if [ -z "$rate" ]; then
	record cal.log 2000
	rate=$(($(wc -c <cal.log) / 2))
	rm -f cal.log
fi
[ "$rate" -gt 0 ] || { echo "mklog: no log written" >&2; exit 1; }
record "$out" $((mb * 1048576 / rate * 1000 + (mb * 1048576 % rate) * 1000 / rate))
echo "$rate"
