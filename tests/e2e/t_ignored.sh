#!/bin/sh
# No option is silently ignored: an option that shapes only some outputs
# (--cutoff, --top, --verbose, --focus, ...) given where it shapes nothing
# says so on stderr ("has no effect ... ignored"), and never where it
# changes the output (every mode x option on a logs/ sample, with and
# without the option); two different formats are a usage error naming
# both. Needs no node.
set -u
: "${TICKS:?TICKS not set}"
top=$(cd "$(dirname "$0")/../.." && pwd)
d=$(mktemp -d "${TMPDIR:-/tmp}/ticks-ignored.XXXXXX") || exit 3
trap 'rm -rf "$d"' EXIT INT TERM
L=$top/logs/node22-gc/node22-gc.log.gz
L2=$top/logs/node22-workers/node22-workers-1.log.gz
[ -f "$L" ] && [ -f "$L2" ] || { echo "samples missing"; exit 1; }
fail=0
opts="--only-summary --bottom-up --top-down --call-graph-size=2 --depth=2 --cutoff=20 --top=2 --ignore-unknown
--verbose --focus=Builtin --ignore=Builtin --hide=Builtin --separate-ic=false --separate-bytecodes
--separate-builtins=false --separate-stubs=false"
: >"$d/warned"
for m in text json folded pprof cpuprofile speedscope html preprocess pcs timeline annotate diff; do
	case $m in
	pcs) set -- --pcs "$L" ;; timeline) set -- --timeline "$L" ;; annotate) set -- --annotate=. "$L" ;;
	diff) set -- "$L" "$L2" ;; *) set -- "--format=$m" "$L" ;;
	esac
	run() { # OPTION... : the output of mode m in $d/o, stderr in $d/e
		if [ $m = diff ]; then "$TICKS" diff --no-symbols "$@" >"$d/o" 2>"$d/e"
		else "$TICKS" --no-symbols "$@" -o "$d/o" 2>"$d/e"; fi
	}
	run "$@" || { echo "$m: failed"; cat "$d/e"; fail=1; continue; }
	mv "$d/o" "$d/base"
	for o in $opts; do
		run "$o" "$@"
		rc=$?
		if grep -q "^ticks: ${o%%=*} has no effect .*: ignored\$" "$d/e"; then
			echo "$m $o" >>"$d/warned"
			[ $rc = 0 ] || { echo "$m $o: exit $rc with a warning"; fail=1; }
			cmp -s "$d/base" "$d/o" || { echo "$m $o: said to be ignored, but the output changed"; fail=1; }
		elif grep -q "has no effect" "$d/e"; then
			echo "$m $o: a warning about another option:"; cat "$d/e"; fail=1
		fi
	done
done
# what must be said (a sample of the table; the loop proves each is true)
for want in "pprof --cutoff=20" "json --top=2" "json --verbose" "folded --only-summary" "html --bottom-up" \
	"preprocess --focus=Builtin" "preprocess --separate-ic=false" "pcs --hide=Builtin" "diff --verbose" \
	"timeline --top=2" "annotate --cutoff=20" "cpuprofile --ignore-unknown" "speedscope --depth=2"; do
	grep -qx -- "$want" "$d/warned" || { echo "not said: $want ignored"; fail=1; }
done
for never in "text --cutoff=20" "text --verbose" "json --bottom-up" "diff --top=2" "folded --focus=Builtin"; do
	grep -qx -- "$never" "$d/warned" && { echo "said, wrongly: $never ignored"; fail=1; }
done
# -q: nothing said
"$TICKS" --no-symbols -q --format=folded --cutoff=3 "$L" >/dev/null 2>"$d/e"
[ -s "$d/e" ] && { echo "-q: warned anyway"; cat "$d/e"; fail=1; }
# two formats: a usage error naming both; the same one twice is fine
"$TICKS" --no-symbols --json --format=html "$L" >/dev/null 2>"$d/e"
rc=$?
[ $rc = 2 ] && grep -q -- '--json and --format=html ask for two formats' "$d/e" ||
	{ echo "--json --format=html: exit $rc"; cat "$d/e"; fail=1; }
"$TICKS" --no-symbols --format=folded --format=pprof -o "$d/x" "$L" >/dev/null 2>"$d/e"
[ $? = 2 ] && grep -q -- '--format=folded and --format=pprof' "$d/e" || { echo "two --format: not refused"; fail=1; }
"$TICKS" --no-symbols --json --format=json "$L" >/dev/null 2>"$d/e" || { echo "--json --format=json refused"; fail=1; }
exit $fail
