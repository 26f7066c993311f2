#!/bin/sh
# bench/run.sh TICKS [SECONDS...]: records logs with this machine's node
# (a deep-stack workload, 100 us sampling, for each duration given;
# default 2 and 10 s), then times `node --prof-process` and ticks on the
# same log and prints wall time, user time, peak RSS, MB/s and the ratios.
# Not a test: figures only. Needs node and GNU time (/usr/bin/time).
set -u
TICKS=${1:-./ticks}
shift 2>/dev/null || true
[ $# -gt 0 ] || set -- 2 10
command -v node >/dev/null 2>&1 || { echo "bench: node not found"; exit 0; }
[ -x /usr/bin/time ] || { echo "bench: /usr/bin/time not found (apt-get install time)"; exit 0; }
case $TICKS in /*) ;; *) TICKS=$(pwd)/$TICKS ;; esac
dir=$(mktemp -d "${TMPDIR:-/tmp}/ticks-bench.XXXXXX") || exit 3
trap 'rm -rf "$dir"' EXIT INT TERM
cd "$dir" || exit 3
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
echo "machine: $(nproc) cores, $(uname -srm); node $(node --version); $(date -u +%Y-%m-%d)"
printf '%-8s %8s %8s | %9s %9s %8s %7s | %9s %9s %8s %8s | %7s %7s\n' log MB ticks \
	node_wall node_user node_MB node_MBs ticks_wall ticks_usr ticks_MB ticks_MBs wall_x rss_x
for secs in "$@"; do
	rm -f isolate-*.log
	node --prof --prof-sampling-interval=100 deep.js $((secs * 1000)) >/dev/null 2>&1
	log=$(ls isolate-*.log | head -n 1)
	[ -n "$log" ] || { echo "bench: no log"; continue; }
	bytes=$(wc -c <"$log")
	nt=$(grep -c '^tick,' "$log")
	/usr/bin/time -f '%e %U %M' -o node.t node --prof-process "$log" >/dev/null 2>&1
	/usr/bin/time -f '%e %U %M' -o ticks.t "$TICKS" -q "$log" >/dev/null 2>&1
	read -r nw nu nm <node.t
	read -r tw tu tm <ticks.t
	awk -v b="$bytes" -v nt="$nt" -v s="${secs}s" -v nw="$nw" -v nu="$nu" -v nm="$nm" \
		-v tw="$tw" -v tu="$tu" -v tm="$tm" 'BEGIN {
		mb = b / 1048576; if (tw < 0.005) tw = 0.005; if (nw < 0.005) nw = 0.005
		printf "%-8s %8.1f %8d | %9.2f %9.2f %8.1f %7.1f | %9.3f %9.3f %8.1f %8.1f | %6.0fx %6.1fx\n",
			s, mb, nt, nw, nu, nm / 1024, mb / nw, tw, tu, tm / 1024, mb / tw, nw / tw, nm / tm }'
done
