#!/bin/sh
# --merge for the text report and --json: several logs give one report
# whose flat rows, summary and header totals are the sums of the logs'
# own reports; the header names the logs; --json has one profile with
# "merged_logs"; without --merge each log keeps its own report; --merge
# with a view that cannot be summed is a usage error. Needs no node.
set -u
: "${TICKS:?TICKS not set}"
top=$(cd "$(dirname "$0")/../.." && pwd)
dir=$(mktemp -d "${TMPDIR:-/tmp}/ticks-merge.XXXXXX") || exit 3
trap 'rm -rf "$dir"' EXIT INT TERM
w=$top/logs/node22-workers
set -- "$w/node22-workers-1.log.gz" "$w/node22-workers-2.log.gz" "$w/node22-workers-3.log.gz"
fail=0

# the flat rows of a text report as NAME<TAB>TICKS, and its summary
rows() {
	awk '/^ \[Shared libraries\]:/ { on = 1; next }
	     /^ \[Summary\]:/ { on = 0; sum = 1; next }
	     /^ \[/ && sum { sum = 0 }
	     on && $1 ~ /^[0-9]+$/ && $2 ~ /%$/ {
		n = $1; $1 = ""; $2 = ""; if ($3 ~ /%$/) $3 = ""
		sub(/^ +/, ""); print $0 "\t" n }
	     sum && $1 ~ /^[0-9]+$/ && $2 ~ /%$/ {
		n = $1; $1 = ""; $2 = ""; if ($3 ~ /%$/) $3 = ""
		sub(/^ +/, ""); print "SUMMARY " $0 "\t" n }' "$1"
}
# NAME<TAB>TICKS lines summed by name, sorted
total() {
	awk -F '\t' '{ t[$1] += $2 } END { for (k in t) print k "\t" t[k] }' "$@" | LC_ALL=C sort
}

k=0
for log in "$@"; do
	k=$((k + 1))
	"$TICKS" --no-symbols "$log" >"$dir/one$k" || { echo "log $k failed"; exit 1; }
	rows "$dir/one$k" >"$dir/rows$k"
done
"$TICKS" --no-symbols --merge "$@" >"$dir/merged" 2>"$dir/err" || { echo "--merge failed"; cat "$dir/err"; exit 1; }
[ "$(grep -c '^Statistical profiling result from' "$dir/merged")" = 1 ] ||
	{ echo "--merge: not one report"; fail=1; }
total "$dir/rows1" "$dir/rows2" "$dir/rows3" >"$dir/want"
rows "$dir/merged" | total >"$dir/got"
[ -s "$dir/want" ] || { echo "no rows in the logs' reports"; exit 1; }
diff -u "$dir/want" "$dir/got" >"$dir/d" || { echo "--merge: rows are not the sums"; head -30 "$dir/d"; fail=1; }

# the header: total, unaccounted and excluded summed; the logs named
sum_of() { # field of the header line: 1 ticks, 2 unaccounted, 3 excluded
	sed -n "1s/.*, (\([0-9]*\) ticks, \([0-9]*\) unaccounted, \([0-9]*\) excluded)\.\$/\\$1/p" "$2"
}
for f in 1 2 3; do
	want=$(($(sum_of $f "$dir/one1") + $(sum_of $f "$dir/one2") + $(sum_of $f "$dir/one3")))
	got=$(sum_of $f "$dir/merged")
	[ "$want" = "$got" ] || { echo "--merge: header field $f is '$got', want $want"; fail=1; }
done
head -1 "$dir/merged" | grep -q "^Statistical profiling result from 3 logs ($w/node22-workers-1.log.gz, $w/node22-workers-2.log.gz, $w/node22-workers-3.log.gz), (" ||
	{ echo "--merge: header does not name the logs:"; head -1 "$dir/merged"; fail=1; }
[ "$(($(sum_of 1 "$dir/one1") > 0))" = 1 ] || { echo "no ticks in the sample"; exit 1; }

# without --merge: a report each, as before
"$TICKS" --no-symbols "$@" >"$dir/each" || exit 1
[ "$(grep -c '^Statistical profiling result from' "$dir/each")" = 3 ] || { echo "no --merge: not 3 reports"; fail=1; }

# one log: --merge changes nothing
"$TICKS" --no-symbols --merge "$1" >"$dir/m1" || exit 1
cmp -s "$dir/m1" "$dir/one1" || { echo "--merge of one log differs from its report"; fail=1; }

# --bottom-up and --only-summary apply to the sum
"$TICKS" --no-symbols --merge --only-summary "$@" >"$dir/sum" || exit 1
rows "$dir/sum" | grep '^SUMMARY' >"$dir/s1"
grep '^SUMMARY' "$dir/got" | sed 's/\t/ /' | sort >"$dir/s2"
sed 's/\t/ /' "$dir/s1" | LC_ALL=C sort >"$dir/s3"
# (the summary's ticks equal the full merged report's)
cmp -s "$dir/s2" "$dir/s3" || { echo "--merge --only-summary: summary differs"; diff "$dir/s2" "$dir/s3"; fail=1; }

# JSON: one profile, merged_logs with each log's ticks, totals summed
"$TICKS" --no-symbols --merge --json "$@" >"$dir/json" || { echo "--merge --json failed"; exit 1; }
[ "$(grep -c '"merged_logs"' "$dir/json")" = 1 ] || { echo "--json: no merged_logs"; fail=1; }
[ "$(grep -c '"path"' "$dir/json")" = 4 ] || { echo "--json: not 1 profile of 3 logs"; fail=1; }
t=$(sum_of 1 "$dir/merged")
tr -d ' \n' <"$dir/json" | grep -q '"totals":{"ticks":'"$t"',' || { echo "--json: totals.ticks is not $t"; fail=1; }
for k in 1 2 3; do
	tr -d ' \n' <"$dir/json" | grep -q '{"path":"[^"]*node22-workers-'$k'.log.gz","ticks":'"$(sum_of 1 "$dir/one$k")"'}' ||
		{ echo "--json: merged_logs lacks log $k"; fail=1; }
done

# views that stay one per log: --merge is a usage error with them
for v in --pcs --timeline --annotate=. --format=preprocess; do
	"$TICKS" --no-symbols --merge $v "$@" >/dev/null 2>"$dir/err"
	rc=$?
	[ $rc = 2 ] && grep -q -- '--merge' "$dir/err" || { echo "--merge $v: exit $rc, not a usage error"; cat "$dir/err"; fail=1; }
done
"$TICKS" diff --merge "$1" "$2" >/dev/null 2>&1
[ $? = 2 ] || { echo "diff --merge: not a usage error"; fail=1; }
exit $fail
