#!/bin/sh
# Every numeric option (and --separate-X's BOOL) rejects an empty,
# negative, overflowing, non-numeric or trailing-garbage value with a
# usage error (exit 2) that names the option as it was typed: --depth, not
# --call-graph-size; an abbreviation as given; "--opt VALUE" as well as
# "--opt=VALUE". Good values still run (exit 0).
set -u
: "${TICKS:?TICKS not set}"
top=$(cd "$(dirname "$0")/../.." && pwd)
log=$top/logs/node16-fib/node16-fib.log.gz
dir=$(mktemp -d "${TMPDIR:-/tmp}/ticks-options.XXXXXX") || exit 3
trap 'rm -rf "$dir"' EXIT INT TERM
fail=0

# bad OPTION-AS-TYPED ARG...: exit 2, "ticks: OPTION-AS-TYPED wants ..."
bad() {
	name=$1
	shift
	"$TICKS" --no-symbols "$@" "$log" >"$dir/out" 2>"$dir/err"
	rc=$?
	if [ $rc != 2 ]; then
		echo "FAIL: $*: exit $rc, want 2"; fail=1
	elif ! grep -q "^ticks: $name wants .*, not '" "$dir/err"; then
		echo "FAIL: $*: message does not name $name: $(cat "$dir/err")"; fail=1
	fi
}
good() {
	"$TICKS" --no-symbols "$@" "$log" >/dev/null 2>"$dir/err" || { echo "FAIL: $*: exit $?: $(cat "$dir/err")"; fail=1; }
}

for v in "" abc -1 +5 " 5" "5 " 5x 0x10 1.5 99999999999999999999 10001; do
	bad --depth "--depth=$v"
	bad --call-graph-size "--call-graph-size=$v"
done
bad --depth --depth abc
bad --dep --dep=abc
bad --call-graph-size --call-graph-size abc
for v in "" abc -1 0 +5 " 5" 5x 0x10 1.5 1e3 99999999999999999999; do
	bad --top "--top=$v"
done
bad --top --top -3
for v in "" abc -1 +5 " 5" 5x 0x10 101 1e999 inf nan 50%; do
	bad --cutoff "--cutoff=$v"
done
for v in "" abc -1 0 +5 " 5" 5x 0x10 1.5 1001 99999999999999999999; do
	bad --timeline "--timeline=$v"
done
for v in "" 5 abc -5,10 1,-1 1,inf nan,5 0x10,20 " 1,2" "1,2 " 1x,2 1,2,3 1e999,; do
	bad --range "--range=$v"
done
for v in "" abc -1 +5 " 5" 5x 0x10 inf nan 101% -5% 5%% 1e999; do
	bad --from "--from=$v"
	bad --to "--to=$v"
done
bad --from --from abc
for v in maybe "" 2 TRUE; do
	bad --separate-ic "--separate-ic=$v"
done

# ticks diff --fail-above
for v in "" abc -1 +5 5x 0x10 101 inf nan 1e999; do
	"$TICKS" diff --no-symbols "--fail-above=$v" "$log" "$log" >/dev/null 2>"$dir/err"
	rc=$?
	[ $rc = 2 ] && grep -q "^ticks: --fail-above wants .*, not '" "$dir/err" ||
		{ echo "FAIL: diff --fail-above=$v: exit $rc: $(cat "$dir/err")"; fail=1; }
done

good --depth=0
good --call-graph-size 7
good --top=3
good --cutoff=2.5
good --cutoff=.5
good --cutoff=1e1
good --timeline=5
good --timeline
good --range=10,
good --range=,50.5
good --range=,
good --from=10 --to=90%
good --separate-ic=false
"$TICKS" diff --no-symbols --fail-above=5 "$log" "$log" >/dev/null || { echo "FAIL: diff --fail-above=5"; fail=1; }
# an unknown short option is named as typed (it once printed a byte of a
# pointer: '-@', '-\x10', different every run)
for o in x Z 9; do
	"$TICKS" "-$o" "$log" >/dev/null 2>"$dir/err"
	rc=$?
	[ $rc = 2 ] && grep -qx "ticks: unknown option '-$o' (try 'ticks --help')" "$dir/err" ||
		{ echo "FAIL: -$o: exit $rc: $(cat "$dir/err")"; fail=1; }
done
# a value given to an option that takes none: named without the value
for o in --pcs=1 --verbose=yes --json= --quiet=x; do
	"$TICKS" "$o" "$log" >/dev/null 2>"$dir/err"
	rc=$?
	[ $rc = 2 ] && grep -qx "ticks: option '${o%%=*}' takes no value (try 'ticks --help')" "$dir/err" ||
		{ echo "FAIL: $o: exit $rc: $(cat "$dir/err")"; fail=1; }
done
exit $fail
