#!/bin/sh
# TICKS_THREADS=1 and 2 (as --threads=N) print the same: every
# case of logs/ with its own arguments, and, when this machine has node,
# a fresh log of it with symbols (node's .symtab is large enough to be
# read in two halves on two threads) in every format and the main views.
# Bad values are usage errors.
set -u
: "${TICKS:?TICKS not set}"
top=$(cd "$(dirname "$0")/../.." && pwd)
dir=$(mktemp -d "${TMPDIR:-/tmp}/ticks-threads.XXXXXX") || exit 3
trap 'rm -rf "$dir"' EXIT INT TERM
fails=0
bad() { echo "$*"; fails=$((fails + 1)); }
# same DIR NAME ARGS...: threads 1 and 2 agree on stdout, stderr, exit code
same() {
	d=$1 n=$2; shift 2
	(cd "$d" && TICKS_THREADS=1 "$TICKS" "$@") >"$dir/1.out" 2>"$dir/1.err" </dev/null; r1=$?
	(cd "$d" && TICKS_THREADS=2 "$TICKS" "$@") >"$dir/2.out" 2>"$dir/2.err" </dev/null; r2=$?
	cmp -s "$dir/1.out" "$dir/2.out" || bad "$n: stdout differs"
	cmp -s "$dir/1.err" "$dir/2.err" || bad "$n: stderr differs"
	[ $r1 = $r2 ] || bad "$n: exit $r1 vs $r2"
}
for c in "$top"/logs/*/; do
	name=$(basename "$c")
	[ -f "$c/cmd" ] || continue
	work=$c
	if [ -f "$c/gen.sh" ]; then
		work=$dir/gen-$name; mkdir -p "$work"
		(cd "$c" && sh gen.sh "$work") >/dev/null 2>&1 || continue
	fi
	# shellcheck disable=SC2046
	same "$work" "$name" $(cat "$c/cmd")
done
if command -v node >/dev/null 2>&1; then
	(cd "$dir" && node --prof -e 'let s=0;for(let i=0;i<3e7;i++)s+=Math.sqrt(i);' >/dev/null 2>&1)
	log=$(ls "$dir"/isolate-*.log 2>/dev/null | head -n 1)
	if [ -n "$log" ]; then
		b=$(basename "$log")
		for opts in "" "--bottom-up" "--top-down" "-v" "--pcs" "--json" "--format=folded" \
			"--format=pprof" "--format=cpuprofile" "--format=speedscope" "--format=html" \
			"--format=preprocess"; do
			# shellcheck disable=SC2086
			same "$dir" "node log [$opts]" -q $opts "$b"
		done
	fi
fi
if [ -n "${log:-}" ]; then
	TICKS_THREADS=1 "$TICKS" -q "$log" >"$dir/a.out"
	"$TICKS" -q --threads=2 "$log" >"$dir/b.out"
	cmp -s "$dir/a.out" "$dir/b.out" || bad "--threads=2 differs from TICKS_THREADS=1"
	grep -q 'C++' "$dir/a.out" || bad "node log: no C++ symbols in the report"
fi
for v in 0 -1 x 1025 ""; do
	"$TICKS" --threads="$v" /dev/null >/dev/null 2>&1
	[ $? = 2 ] || bad "--threads='$v': want exit 2"
done
TICKS_THREADS=abc "$TICKS" /dev/null >/dev/null 2>&1
[ $? = 2 ] || bad "TICKS_THREADS=abc: want exit 2"
[ $fails = 0 ]
