#!/bin/sh
# Compressed and odd inputs: concatenated gzip members are read as gzip
# -d reads them; bytes after the last member are a counted warning (exit
# 1 with --strict); xz, zstd, bzip2, lz4 and compress data is named by
# its magic bytes, and so are ELF, zip and Mach-O files; a file of NUL bytes is called that, not "empty".
set -u
: "${TICKS:?TICKS not set}"
top=$(cd "$(dirname "$0")/../.." && pwd)
log=$top/logs/node16-fib/node16-fib.log.gz
dir=$(mktemp -d "${TMPDIR:-/tmp}/ticks-compressed.XXXXXX") || exit 3
trap 'rm -rf "$dir"' EXIT INT TERM
cd "$dir" || exit 3
fail() { echo "$*"; exit 1; }
T() { "$TICKS" --no-symbols --no-progress "$@"; }

# two members: twice the ticks, as from the plain concatenation
cat "$log" "$log" >two.gz
gzip -dc "$log" >plain.log
cat plain.log plain.log >two.log
T two.gz | tail -n +2 >a.txt || fail "two members: exit $?"
T two.log | tail -n +2 >b.txt
cmp -s a.txt b.txt || fail "two gzip members: not the report of the concatenation"
T two.gz | head -n 1 | grep -q "(2764 ticks" || fail "two members: $(T two.gz | head -n 1)"

# trailing bytes, even log lines: a warning naming their count; --strict: 1
cp "$log" trail.gz
printf 'tick,0x1,2,0,0x0,0\ntick,0x1,3,0,0x0,0\n' >>trail.gz
T trail.gz >t.txt 2>err; rc=$?
[ $rc = 0 ] || fail "trailing bytes: exit $rc"
grep -q "^ticks: trail.gz: 38 bytes after the end of the gzip data: ignored (trailing garbage)$" err ||
	fail "trailing bytes: $(cat err)"
T --strict trail.gz >/dev/null 2>&1; rc=$?
[ $rc = 1 ] || fail "trailing bytes with --strict: exit $rc"
T --strict "$log" >/dev/null 2>&1 || fail "--strict on a clean gzip log: exit $?"

# other compressors by magic bytes (no tool needed: the first bytes suffice)
check() { # NAME FILE
	T "$2" >out.txt 2>err; rc=$?
	[ $rc = 1 ] || fail "$1: exit $rc"
	[ -s out.txt ] && fail "$1: a report was printed"
	grep -q "^ticks: $2: compressed with $1, not a V8 log: decompress it first" err || fail "$1: $(cat err)"
}
{ printf '\3757zXZ\0\0\4\346\326\264F\2\0!\1\26\0\0\0'; cat plain.log; } >l.xz; check xz l.xz
{ printf '\50\265\57\375\44\0\0\0'; cat plain.log; } >l.zst; check zstd l.zst
{ printf 'BZh91AY&SY'; cat plain.log; } >l.bz2; check bzip2 l.bz2
{ printf '\4\42\115\30\144\100\247\12'; cat plain.log; } >l.lz4; check lz4 l.lz4
{ printf '\37\235\220v8'; cat plain.log; } >l.Z; check compress l.Z
T - <l.xz >/dev/null 2>err; grep -q "compressed with xz" err || fail "xz on stdin: $(cat err)"

# a program or an archive: named, no binary bytes echoed, no report
bincheck() { # WHAT FILE
	T "$2" >out.txt 2>err; rc=$?
	[ $rc = 1 ] || fail "$1: exit $rc"
	[ -s out.txt ] && fail "$1: a report was printed"
	[ "$(cat err)" = "ticks: $2: not a V8 log: $1" ] || fail "$1: $(cat -v err)"
}
{ printf '\177ELF\2\1\1\0\0\0\0\0'; cat plain.log; } >prog; bincheck "an ELF file" prog
{ printf 'PK\3\4\24\0\0\0\10\0'; cat plain.log; } >l.zip; bincheck "a zip archive" l.zip
if [ -r /bin/sh ] && head -c 4 /bin/sh | grep -q ELF; then
	cp /bin/sh sh.bin; bincheck "an ELF file" sh.bin
fi
T - <prog >/dev/null 2>err; grep -q "^ticks: -: not a V8 log: an ELF file$" err || fail "ELF on stdin: $(cat -v err)"

# NUL bytes: over the line cap, read in bounded memory; and a short run
dd if=/dev/zero of=nul.log bs=1048576 count=80 2>/dev/null || exit 3
T nul.log >/dev/null 2>err; rc=$?
[ $rc = 1 ] || fail "NUL file: exit $rc"
grep -q "^ticks: nul.log: only NUL bytes (83886080 of them): not a V8 log$" err || fail "NUL file: $(cat err)"
head -c 10 nul.log >nul10.log
T nul10.log >/dev/null 2>err
grep -q "only NUL bytes (10 of them)" err || fail "short NUL file: $(cat err)"
: >empty.log
T empty.log >/dev/null 2>err
grep -q "empty file" err || fail "empty file: $(cat err)"
exit 0
