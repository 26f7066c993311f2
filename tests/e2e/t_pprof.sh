#!/bin/sh
# --format=pprof, checked with the consumers: protoc decodes the gunzipped
# output against tests/e2e/profile.proto; `go tool pprof -top` gives every
# row of the flat report (libraries, JS, C++) the same flat tick count and
# the same total (a JS function's rows, one per tier, summed under its bare
# name, as pprof names the function); `-list` shows one routine of a
# function that ran in two tiers, with both tiers' ticks, and the leaf
# frame's tier is a sample label (-tags); binary output to a terminal is refused (exit 2); '-o
# f-%i.pb.gz' writes one file per log; several logs get one root frame per
# isolate, --merge none. C++ rows come from logs/synthetic-elf when the ELF
# fixtures are built ($TK_FIXTURES, set by run.sh). Skipped (exit 77) without protoc or go.
set -u
: "${TICKS:?TICKS not set}"
command -v protoc >/dev/null 2>&1 || { echo "protoc not found (apt-get install protobuf-compiler)"; exit 77; }
command -v go >/dev/null 2>&1 || { echo "go not found (apt-get install golang-go)"; exit 77; }
top=$(cd "$(dirname "$0")/../.." && pwd)
proto=$top/tests/e2e/profile.proto
dir=$(mktemp -d "${TMPDIR:-/tmp}/ticks-pprof.XXXXXX") || exit 3
trap 'rm -rf "$dir"' EXIT INT TERM
# pprof writes its cache and settings under these
GOCACHE=$dir/gocache HOME=$dir XDG_CONFIG_HOME=$dir PPROF_TMPDIR=$dir
export GOCACHE HOME XDG_CONFIG_HOME PPROF_TMPDIR
go tool pprof -h >/dev/null 2>&1 || { echo "go tool pprof does not run"; exit 77; }
fail() { echo "$*"; exit 1; }

# decodes $1 (gzipped) with protoc into $1.txt
decode() {
	gzip -dc "$1" >"$1.raw" || fail "$1: not gzip"
	protoc -I"$(dirname "$proto")" --decode=perftools.profiles.Profile "$proto" \
		<"$1.raw" >"$1.txt" 2>"$1.err" || fail "$1: protoc cannot decode it: $(cat "$1.err")"
	grep -q '^sample {' "$1.txt" || fail "$1: no samples"
	head -n 1 "$1.txt" | grep -q '^sample_type {' || fail "$1: does not start with sample_type"
	grep -q '^string_table: ""$' "$1.txt" || fail "$1: no empty string in the string table"
}

# "NAME<TAB>FLAT" per function with flat samples, and the total, from pprof
pprof_flat() {
	go tool pprof -top -nodecount=100000 -nodefraction=0 -edgefraction=0 -sample_index=samples \
		"$1" >"$1.top" 2>"$1.toperr" || fail "$1: go tool pprof failed: $(cat "$1.toperr")"
	awk '/^ *flat +flat%/ { on = 1; next }
	     on && $1 + 0 > 0 { n = $1; sub(/^ *[^ ]+ +[^ ]+ +[^ ]+ +[^ ]+ +[^ ]+ +/, ""); s[$0] += n }
	     END { for (k in s) print k "\t" s[k] }' \
		"$1.top" | LC_ALL=C sort >"$1.flat"
}

# the flat report's rows of $1 as "NAME<TAB>TICKS" (the sections before
# the summary), sorted, into $1.flat
report_flat() {
	awk '/^ \[(Shared libraries|JavaScript|C\+\+)\]:/ { on = 1; next } /^ \[/ { on = 0 }
	     on && $1 ~ /^[0-9]+$/ { n = $1; sub(/^ *[0-9]+ +[0-9.]+% +([0-9.]+% +)?/, "")
		# a JS function: pprof names it without type, tier and position
		if (sub(/^(JS|LazyCompile|Function|Script|Eval): /, "")) {
			sub(/^[~^+*-]/, ""); sub(/ [^ ]*:[0-9]+:[0-9]+$/, "")
		}
		s[$0] += n }
	     END { for (k in s) print k "\t" s[k] }' \
		"$1" | LC_ALL=C sort >"$1.flat"
}

# compare NAME: report $dir/NAME.txt against pprof $dir/NAME.pb.gz: every
# report row appears with the same count, pprof adds only UNKNOWN (the
# unaccounted ticks), and the totals agree
compare() {
	r=$dir/$1.txt pb=$dir/$1.pb.gz
	report_flat "$r"
	pprof_flat "$pb"
	LC_ALL=C comm -23 "$r.flat" "$pb.flat" >"$dir/missing"
	[ -s "$dir/missing" ] && fail "$1: report rows not in pprof -top (name, ticks):
$(cat "$dir/missing")
pprof -top:
$(head -40 "$pb.top")"
	LC_ALL=C comm -13 "$r.flat" "$pb.flat" | grep -v '^UNKNOWN	' >"$dir/extra"
	[ -s "$dir/extra" ] && fail "$1: pprof rows not in the report: $(cat "$dir/extra")"
	total=$(sed -n '1s/.*(\([0-9]*\) ticks.*/\1/p' "$r")
	grep -q "Total samples = $total *\$" "$pb.top" ||
		fail "$1: total: report $total, pprof: $(grep 'Total samples' "$pb.top")"
}

# 1, 2: a real log (libraries and JS rows)
log=$top/logs/node20-regexjson/node20-regexjson.log.gz
"$TICKS" --no-symbols "$log" >"$dir/one.txt" || fail "ticks (text) failed"
"$TICKS" --no-symbols --format=pprof -o "$dir/one.pb.gz" "$log" || fail "ticks --format=pprof failed"
decode "$dir/one.pb.gz"
grep -q '^period: 1000000$' "$dir/one.pb.gz.txt" || fail "period is not 1 ms in ns"
grep -q '^duration_nanos: [1-9]' "$dir/one.pb.gz.txt" || fail "no duration_nanos"
compare one
[ "$(wc -l <"$dir/one.txt.flat")" -ge 10 ] || fail "fewer than 10 report rows: $(cat "$dir/one.txt.flat")"

# one routine for a function in two tiers (*mix 61 ticks, ~mix 1); tier labels
sd=$top/logs/diff-slowdown/new.log.gz
"$TICKS" -q --no-symbols --format=pprof -o "$dir/sd.pb.gz" "$sd" || fail "ticks --format=pprof (diff-slowdown) failed"
"$TICKS" -q --no-symbols "$sd" >"$dir/sd.txt" || fail "ticks (diff-slowdown) failed"
[ "$(grep -c '^ *[0-9].*JS: [~*]mix /tmp/views-diff/work.js:4:13$' "$dir/sd.txt")" -ge 2 ] ||
	fail "diff-slowdown: mix is not in two tiers: $(grep mix "$dir/sd.txt")"
go tool pprof -list '^mix$' -sample_index=samples "$dir/sd.pb.gz" >"$dir/sd.list" 2>&1
[ "$(grep -c '^ROUTINE' "$dir/sd.list")" = 1 ] || fail "-list mix: not one routine: $(cat "$dir/sd.list")"
grep -q '^ROUTINE =* mix in /tmp/views-diff/work.js$' "$dir/sd.list" || fail "-list mix: $(head -3 "$dir/sd.list")"
grep -Eq '^ +62 +[0-9]+ \(flat, cum\)' "$dir/sd.list" || fail "-list mix: not 61+1 flat: $(head -3 "$dir/sd.list")"
go tool pprof -tags "$dir/sd.pb.gz" >"$dir/sd.tags" 2>&1 || fail "pprof -tags failed"
for t in 'tier:' 'turbofan' 'kind:' 'code_type:'; do
	grep -q "$t" "$dir/sd.tags" || fail "-tags: no $t: $(cat "$dir/sd.tags")"
done
go tool pprof -top -tagfocus=tier=turbofan -sample_index=samples "$dir/sd.pb.gz" >"$dir/sd.tf" 2>&1
grep -Eq '^ +61 .* mix$' "$dir/sd.tf" || fail "-tagfocus=tier=turbofan: not mix's 61: $(head -12 "$dir/sd.tf")"

# C++ rows (names with '::' and '()', kept whole), from the synthetic log
# over the ELF fixtures, when make has built them
syn=$top/logs/synthetic-elf
if [ -f "${TK_FIXTURES:-}/fx.so" ] && [ -f "$syn/gen.sh" ]; then
	mkdir "$dir/syn" && (cd "$syn" && sh gen.sh "$dir/syn") >"$dir/syn.gen" 2>&1 ||
		fail "synthetic-elf gen.sh failed: $(cat "$dir/syn.gen")"
	(cd "$dir/syn" && "$TICKS" -q $(cat "$syn/cmd")) >"$dir/syn.txt" || fail "ticks (synthetic) failed"
	(cd "$dir/syn" && "$TICKS" -q --format=pprof -o "$dir/syn.pb.gz" $(cat "$syn/cmd")) ||
		fail "ticks --format=pprof (synthetic) failed"
	decode "$dir/syn.pb.gz"
	compare syn
	grep -q '^mapping {' "$dir/syn.pb.gz.txt" || fail "synthetic: no mappings"
	grep -q '  mapping_id: ' "$dir/syn.pb.gz.txt" || fail "synthetic: no location has a mapping"
	[ -n "$(sed -n '/^ \[C++\]:/,/^ \[Summary/p' "$dir/syn.txt" | grep -E '^ +[0-9]+ ')" ] ||
		fail "synthetic: no C++ rows to compare"
else
	echo "note: ELF fixtures not built (TK_FIXTURES), C++ rows not compared"
fi

# 3: binary output is not written to a terminal
if command -v script >/dev/null 2>&1 && script -qec true /dev/null >/dev/null 2>&1; then
	script -qec "'$TICKS' --no-symbols --format=pprof '$log'" /dev/null >"$dir/tty.out" 2>&1
	rc=$?
	[ $rc = 2 ] || fail "pprof to a terminal: exit $rc, expected 2: $(head -c 300 "$dir/tty.out")"
	grep -q 'binary' "$dir/tty.out" || fail "pprof to a terminal: message: $(head -c 300 "$dir/tty.out")"
else
	echo "note: script(1) not usable, terminal check skipped"
fi

# 4: one file per log with %i; one file with an isolate root per log; --merge
w=$top/logs/node22-workers
(cd "$dir" && "$TICKS" -q --no-symbols --format=pprof -o 'f-%i.pb.gz' \
	"$w/node22-workers-1.log.gz" "$w/node22-workers-2.log.gz" "$w/node22-workers-3.log.gz") ||
	fail "-o f-%i.pb.gz failed"
for i in 1 2 3; do
	[ -s "$dir/f-$i.pb.gz" ] || fail "f-$i.pb.gz not written"
	decode "$dir/f-$i.pb.gz"
	! grep -q '"isolate [0-9]*: ' "$dir/f-$i.pb.gz.txt" || fail "f-$i.pb.gz: one log has an isolate root"
done
[ -e "$dir/f-4.pb.gz" ] && fail "a fourth file was written"
"$TICKS" -q --no-symbols --format=pprof -o "$dir/all.pb.gz" \
	"$w/node22-workers-1.log.gz" "$w/node22-workers-2.log.gz" "$w/node22-workers-3.log.gz" ||
	fail "three logs in one file failed"
decode "$dir/all.pb.gz"
pprof_flat "$dir/all.pb.gz"
for i in 1 2 3; do
	"$TICKS" -q --no-symbols "$w/node22-workers-$i.log.gz" >"$dir/w$i.txt" || fail "ticks (text) failed"
	n=$(sed -n '1s/.*(\([0-9]*\) ticks.*/\1/p' "$dir/w$i.txt")
	# the root frame has no self time: its cum is the isolate's ticks
	awk -v n="$n" -v p="isolate $i: $w/node22-workers-$i.log.gz" \
		'index($0, p) && $4 == n { ok = 1 } END { exit !ok }' "$dir/all.pb.gz.top" ||
		fail "no root frame 'isolate $i' with cum $n: $(grep 'isolate' "$dir/all.pb.gz.top")"
done
"$TICKS" -q --no-symbols --merge --format=pprof -o "$dir/merged.pb.gz" \
	"$w/node22-workers-1.log.gz" "$w/node22-workers-2.log.gz" "$w/node22-workers-3.log.gz" ||
	fail "--merge failed"
decode "$dir/merged.pb.gz"
! grep -q '"isolate [0-9]*: ' "$dir/merged.pb.gz.txt" || fail "--merge output has isolate roots"
pprof_flat "$dir/merged.pb.gz"
cmp -s "$dir/all.pb.gz.flat" "$dir/merged.pb.gz.flat" || fail "--merge changes the flat counts"
exit 0
