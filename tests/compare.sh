#!/bin/sh
# tests/compare.sh OLD NEW [LOG...]: runs two ticks binaries over the same
# inputs and diffs what they print, for restructurings and merges that must
# not change behaviour. Inputs: every case of logs/ (its own arguments,
# as tests/e2e/run.sh runs it) and every log given or found under logs/,
# each in every output format and the main views. Prints one line per
# difference and a summary; exit 1 when anything differs. Not part of
# `make check` (it needs a second binary): run it by hand, e.g.
#   git worktree add /tmp/old HEAD~5 && (cd /tmp/old && ./configure && make)
#   sh tests/compare.sh /tmp/old/ticks ./ticks
set -u
[ $# -ge 2 ] || { echo "usage: tests/compare.sh OLD NEW [LOG...]" >&2; exit 2; }
top=$(cd "$(dirname "$0")/.." && pwd)
abs() { case $1 in /*) echo "$1" ;; *) echo "$(pwd)/$1" ;; esac; }
OLD=$(abs "$1"); NEW=$(abs "$2"); shift 2
TK_FIXTURES=${TK_FIXTURES:-$top/build/fixtures}
export TK_FIXTURES
tmp=$(mktemp -d "${TMPDIR:-/tmp}/ticks-compare.XXXXXX") || exit 3
trap 'rm -rf "$tmp"' EXIT INT TERM
same=0 differ=0

# (a case's gen.sh runs with the old binary, so both read the same inputs)
# run1 DIR NAME ARGS...: both binaries in DIR; compares stdout, stderr, rc
run1() {
	d=$1 n=$2; shift 2
	(cd "$d" && "$OLD" "$@") >"$tmp/o.out" 2>"$tmp/o.err" </dev/null; orc=$?
	(cd "$d" && "$NEW" "$@") >"$tmp/n.out" 2>"$tmp/n.err" </dev/null; nrc=$?
	what=
	cmp -s "$tmp/o.out" "$tmp/n.out" || what="$what stdout"
	cmp -s "$tmp/o.err" "$tmp/n.err" || what="$what stderr"
	[ $orc = $nrc ] || what="$what exit($orc->$nrc)"
	if [ -n "$what" ]; then
		echo "DIFF $n:$what"; differ=$((differ + 1))
		[ -n "${VERBOSE:-}" ] && diff -u "$tmp/o.out" "$tmp/n.out" | head -20
	else
		same=$((same + 1))
	fi
}

for dir in "$top"/logs/*/; do
	name=$(basename "$dir")
	[ -f "$dir/cmd" ] || continue
	work=$dir
	if [ -f "$dir/gen.sh" ]; then
		work=$tmp/gen-$name; mkdir -p "$work"
		(cd "$dir" && TICKS=$OLD sh gen.sh "$work") >/dev/null 2>&1 || { echo "SKIP $name: gen.sh failed"; continue; }
	fi
	# shellcheck disable=SC2046
	run1 "$work" "$name" $(cat "$dir/cmd")
done

[ $# -gt 0 ] || set -- $(find "$top/logs" -name '*.log.gz' -o -name '*.log' | sort)
for log in "$@"; do
	log=$(abs "$log"); d=$(dirname "$log"); b=$(basename "$log")
	for opts in "" "--bottom-up" "--top-down" "-v" "--lines" "--pcs" "--timeline" \
		"--json" "--bottom-up --json" "--format=folded" "--format=pprof" \
		"--format=cpuprofile" "--format=speedscope" "--format=html" "--format=preprocess" \
		"--from=25% --to=75%"; do
		# shellcheck disable=SC2086
		run1 "$d" "$b [$opts]" -q --no-symbols $opts "$b"
	done
done
echo "compare: $same same, $differ different"
[ $differ = 0 ]
