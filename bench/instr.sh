#!/bin/sh
# bench/instr.sh OLD NEW LOG...: instructions (valgrind's callgrind) of two
# ticks binaries on the same logs, for a before/after table that the
# machine's load cannot move: the same binary, log and arguments give the
# same count whatever else runs. Runs: the default report, --no-symbols,
# --format=pprof and --format=preprocess (written to a scratch file).
# A binary that knows --threads runs with --threads=1 (the count of a
# second thread's work would depend on scheduling). Prints a Markdown
# table: log, run, OLD, NEW (millions) and the change.
set -u
[ $# -ge 3 ] || { echo "usage: bench/instr.sh OLD NEW LOG..." >&2; exit 2; }
command -v valgrind >/dev/null 2>&1 || { echo "bench/instr.sh: valgrind not found" >&2; exit 2; }
OLD=$1 NEW=$2
shift 2
tmp=$(mktemp -d "${TMPDIR:-/tmp}/ticks-instr.XXXXXX") || exit 3
trap 'rm -rf "$tmp"' EXIT INT TERM
threads() { "$1" --help 2>&1 | grep -q -- '--threads' && echo --threads=1; }
TO=$(threads "$OLD") TN=$(threads "$NEW")
# count BIN THREADS ARGS...: the binary's instructions in all
count() {
	b=$1 t=$2
	shift 2
	# shellcheck disable=SC2086
	valgrind --tool=callgrind --callgrind-out-file="$tmp/cg" "$b" $t "$@" >/dev/null 2>"$tmp/err"
	sed -n 's/.*Collected : \([0-9]*\).*/\1/p' "$tmp/err"
}
echo "| log | run | old | new | change |"
echo "|---|---|---|---|---|"
for log in "$@"; do
	mb=$(awk -v b="$(wc -c <"$log")" 'BEGIN { printf "%.1f MB", b / 1e6 }')
	for run in default no-symbols pprof preprocess; do
		case $run in
		default) set -- ;;
		no-symbols) set -- --no-symbols ;;
		pprof) set -- --format=pprof -o "$tmp/out" ;;
		preprocess) set -- --format=preprocess -o "$tmp/out" ;;
		esac
		o=$(count "$OLD" "$TO" "$@" "$log") n=$(count "$NEW" "$TN" "$@" "$log")
		awk -v l="$mb" -v r="$run" -v o="$o" -v n="$n" 'BEGIN {
			if (o + 0 == 0 || n + 0 == 0) { printf "| %s | %s | failed | failed | |\n", l, r; exit }
			printf "| %s | %s | %.2f M | %.2f M | %+.1f %% |\n", l, r, o / 1e6, n / 1e6, (n - o) * 100 / o }'
	done
done
