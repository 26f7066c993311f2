#!/bin/sh
# bench/scaling.sh [TICKS]: the time and peak RSS of ticks on generated
# logs of 10^4, 10^5 and 10^6 events of each kind (code-creation,
# code-move, code-delete, sfi-move, shared-library, script-source with
# code-source-info under --lines and --annotate, deep-stack ticks), and
# the ratio of each step's CPU time (user + sys: steadier than wall time
# on a shared machine) to the one before: linear time shows ~10x per
# step, quadratic ~100x. Every kind comes with ticks that hit what it
# made, interleaved where a hostile log would interleave them. Not a
# test: figures only (bench/RESULTS.md).
#
# Environment:
#   SCALING_SIZES  event counts (default "10000 100000 1000000")
#   SCALING_KINDS  kinds to run (default: all, as listed above)
#   SCALING_MAX    seconds: a step predicted (from the last ratio) to
#                  take longer is skipped, and said so (default 120)
#   BENCH_DIR      where logs go (default: a temporary directory, removed)
# Needs awk and GNU time (/usr/bin/time).
set -u
TICKS=${1:-./ticks}
[ -x /usr/bin/time ] || { echo "scaling: /usr/bin/time not found (apt-get install time)"; exit 0; }
case $TICKS in /*) ;; *) TICKS=$(pwd)/$TICKS ;; esac
SIZES=${SCALING_SIZES:-10000 100000 1000000}
KINDS=${SCALING_KINDS:-code-creation code-move code-delete sfi-move shared-library script-lines script-annotate deep-ticks}
MAX=${SCALING_MAX:-120}
if [ -n "${BENCH_DIR:-}" ]; then
	dir=$BENCH_DIR
	mkdir -p "$dir" || exit 3
else
	dir=$(mktemp -d "${TMPDIR:-/tmp}/ticks-scaling.XXXXXX") || exit 3
	trap 'rm -rf "$dir"' EXIT
	trap 'exit 130' INT TERM
fi

# gen KIND N: a log of N events of KIND on standard output
gen() {
	awk -v kind="$1" -v n="$2" 'BEGIN {
	print "v8-version,11,3,244,8,-node.38,0"
	print "v8-platform,linux,linux"
	base = 1048576 * 16; t = 1000
	if (kind == "shared-library") {
		# distinct files, none on disk, each followed by a tick in it
		# (awk prints %x of 32 bits at most: 64-bit addresses in two halves)
		for (i = 0; i < n; i++) {
			hi = 32512 + int(i / 65536); lo = (i % 65536) * 65536
			printf "shared-library,/no/such/lib%d.so,0x%x%08x,0x%x%08x,0\n", i, hi, lo, hi, lo + 32768
			printf "tick,0x%x%08x,%d,0,0x0,6\n", hi, lo + 256, t++
		}
		exit
	}
	if (kind == "script-lines" || kind == "script-annotate") {
		for (i = 0; i < n; i++) {
			a = base + i * 256
			printf "script-source,%d,/app/s%d.js,function f%d(a) {\\n  a++;\\n  return a;\\n}\\n\n", i + 1, i, i
			printf "code-creation,JS,10,%d,0x%x,200,f%d /app/s%d.js:1:10,0x%x,*\n", t++, a, i, i, 268435456 + i * 8
			printf "code-source-info,0x%x,%d,0,40,C0O0C10O18C20O25,,\n", a, i + 1
			printf "tick,0x%x,%d,0,0x0,0,0x%x\n", a + 12, t++, base + ((i * 7) % (i + 1)) * 256 + 22
		}
		exit
	}
	if (kind == "deep-ticks") {
		# 1,000 functions, then n ticks of 64 frames each
		for (i = 0; i < 1000; i++)
			printf "code-creation,JS,10,%d,0x%x,200,f%d /app/a.js:%d:1,0x%x,*\n", t++, base + i * 256, i, i + 1, 268435456 + i * 8
		for (i = 0; i < n; i++) {
			line = sprintf("tick,0x%x,%d,0,0x0,0", base + (i % 1000) * 256 + 8, t++)
			for (k = 1; k < 64; k++)
				line = line sprintf(",0x%x", base + ((i + k * 37) % 1000) * 256 + 16)
			print line
		}
		exit
	}
	for (i = 0; i < n; i++)
		printf "code-creation,JS,10,%d,0x%x,200,f%d /app/a.js:%d:1,0x%x,*\n", t++, base + i * 256, i, i + 1, 268435456 + i * 8
	for (i = 0; i < n; i++) {
		a = base + i * 256
		if (kind == "code-move") {
			printf "code-move,0x%x,0x%x\n", a, a + 1073741824
			a += 1073741824
		} else if (kind == "sfi-move") {
			printf "sfi-move,0x%x,0x%x\n", 268435456 + i * 8, 805306368 + i * 8
		}
		printf "tick,0x%x,%d,0,0x0,0,0x%x\n", a + 8, t++, a + 16
		if (kind == "code-delete")
			printf "code-delete,0x%x\n", a
	}
	}'
}

opts() {
	case $1 in
	script-lines) echo "--lines" ;;
	script-annotate) echo "--annotate=." ;;
	*) echo "" ;;
	esac
}

printf '%-16s %9s %7s %8s %8s %7s %9s\n' kind events MB wall_s cpu_s ratio RSS_MB
for kind in $KINDS; do
	prev=""
	for n in $SIZES; do
		if [ -n "$prev" ]; then
			# predicted time of this step: the last time times its ratio
			skip=$(awk -v p="$prev" -v r="${ratio:-10}" -v m="$MAX" -v k="$n" -v pk="$pn" \
				'BEGIN { f = k / pk; if (r > f) f = r; if (p * f > m) print 1; else print 0 }')
			if [ "$skip" = 1 ]; then
				printf '%-16s %9s %7s %8s %8s %7s %9s\n' "$kind" "$n" - - "skipped" - "(> ${MAX}s predicted)"
				continue
			fi
		fi
		log=$dir/$kind-$n.log
		gen "$kind" "$n" >"$log"
		mb=$(awk -v b="$(wc -c <"$log")" 'BEGIN { printf "%.1f", b / 1048576 }')
		# shellcheck disable=SC2046
		/usr/bin/time -f '%e %U %S %M' -o "$dir/time" "$TICKS" -q $(opts "$kind") "$log" >/dev/null 2>&1
		read -r wall usr sys rss <"$dir/time"
		secs=$(awk -v u="$usr" -v s="$sys" 'BEGIN { printf "%.2f", u + s }')
		ratio=""
		[ -n "$prev" ] && ratio=$(awk -v a="$secs" -v b="$prev" 'BEGIN { if (b > 0) printf "%.1f", a / b; else print "-" }')
		printf '%-16s %9s %7s %8s %8s %7s %9s\n' "$kind" "$n" "$mb" "$wall" "$secs" "${ratio:--}" \
			"$(awk -v k="$rss" 'BEGIN { printf "%.1f", k / 1024 }')"
		prev=$secs
		pn=$n
		rm -f "$log"
	done
done
