#!/bin/sh
# End-to-end tests: runs ticks on every case under logs/ and compares
# stdout (and stderr and the exit code, where the case pins them) with the
# expected files; then the differential test against node, if present.
#
# A case is a directory logs/NAME/ with:
#   cmd           the arguments, one line (word-split; run inside the case dir)
#   expected.out  the expected standard output
#   expected.err  (optional) the expected standard error
#   expected.rc   (optional) the expected exit code, default 0
#   gen.sh        (optional) run first as `sh gen.sh OUTDIR` to make inputs
#                 (e.g. a log that names the ELF fixtures built by make);
#                 its exit code 77 skips the case (its last line says why)
# Env: TICKS (the binary), TK_FIXTURES (ELF fixtures dir), UPDATE=1 rewrites
# the expected files from the current output (review the diff!).
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
TICKS=${TICKS:-$top/ticks}
case $TICKS in /*) ;; *) TICKS=$top/$TICKS ;; esac
TK_FIXTURES=${TK_FIXTURES:-$top/build/fixtures}
case $TK_FIXTURES in /*) ;; *) TK_FIXTURES=$top/$TK_FIXTURES ;; esac
export TICKS TK_FIXTURES
out=${TMPDIR:-/tmp}/ticks-e2e.$$
mkdir -p "$out" || exit 3
trap 'rm -rf "$out"' EXIT INT TERM
pass=0
fail=0
skip=0

for dir in "$top"/logs/*/; do
	name=$(basename "$dir")
	[ -f "$dir/cmd" ] || continue
	work=$dir
	if [ -f "$dir/gen.sh" ]; then
		work=$out/$name
		mkdir -p "$work"
		(cd "$dir" && sh gen.sh "$work") >"$out/$name.gen" 2>&1
		grc=$?
		if [ $grc = 77 ]; then
			echo "skip $name: $(tail -n 1 "$out/$name.gen")"; skip=$((skip + 1))
			continue
		elif [ $grc != 0 ]; then
			echo "FAIL $name: gen.sh failed:"; cat "$out/$name.gen"
			fail=$((fail + 1))
			continue
		fi
	fi
	(cd "$work" && exec "$TICKS" $(cat "$dir/cmd")) >"$out/$name.out" 2>"$out/$name.err" </dev/null
	rc=$?
	want_rc=0
	[ -f "$dir/expected.rc" ] && want_rc=$(cat "$dir/expected.rc")
	if [ "${UPDATE:-}" = 1 ]; then
		cp "$out/$name.out" "$dir/expected.out"
		[ -f "$dir/expected.err" ] && cp "$out/$name.err" "$dir/expected.err"
		[ "$rc" != 0 ] && echo "$rc" >"$dir/expected.rc"
	fi
	ok=1
	if [ "$rc" != "$want_rc" ]; then
		echo "FAIL $name: exit code $rc, expected $want_rc"; ok=0
		sed 's/^/    /' "$out/$name.err" | head -20
	fi
	if ! diff -u "$dir/expected.out" "$out/$name.out" >"$out/$name.diff"; then
		echo "FAIL $name: standard output differs:"; head -60 "$out/$name.diff"; ok=0
	fi
	if [ -f "$dir/expected.err" ] && ! diff -u "$dir/expected.err" "$out/$name.err" >"$out/$name.ediff"; then
		echo "FAIL $name: standard error differs:"; head -40 "$out/$name.ediff"; ok=0
	fi
	if [ $ok = 1 ]; then
		echo "ok   $name"
		pass=$((pass + 1))
	else
		fail=$((fail + 1))
	fi
done

for t in "$top"/tests/e2e/t_*.sh; do
	[ -f "$t" ] || continue
	name=$(basename "$t" .sh)
	sh "$t" >"$out/$name.log" 2>&1
	rc=$?
	if [ $rc = 0 ]; then
		echo "ok   $name"; pass=$((pass + 1))
	elif [ $rc = 77 ]; then
		echo "skip $name: $(tail -n 1 "$out/$name.log")"; skip=$((skip + 1))
	else
		echo "FAIL $name:"; tail -n 40 "$out/$name.log"; fail=$((fail + 1))
	fi
done

echo "e2e: $pass passed, $fail failed, $skip skipped"
[ $fail = 0 ]
