#!/bin/sh
# An unreadable log is exit 1 with the reason; an unreadable library is
# reported once and its ticks stay at library level, the rest of the log
# is profiled. Skipped as root (root reads every file).
set -u
: "${TICKS:?TICKS not set}"
[ "$(id -u)" != 0 ] || { echo "running as root: every file is readable"; exit 77; }
dir=$(mktemp -d "${TMPDIR:-/tmp}/ticks-unreadable.XXXXXX") || exit 3
trap 'chmod -R u+rw "$dir"; rm -rf "$dir"' EXIT INT TERM
cd "$dir" || exit 3
cat >ok.log <<'LOG'
v8-version,11,3,244,8,-node.38,0
shared-library,secret.so,0x7f0000000000,0x7f0000100000,0
code-creation,JS,10,100,0x3e0000001000,256,f /app/x.js:1:1,0x3e0000009000,*
tick,0x7f0000000100,1000,0,0x0,6,0x3e0000001010
tick,0x3e0000001010,1001,0,0x0,0
LOG
cp ok.log closed.log
printf '\177ELF' >secret.so
chmod 000 secret.so closed.log
"$TICKS" --only-summary closed.log >out 2>err
rc=$?
[ $rc = 1 ] || { echo "unreadable log: exit $rc, expected 1"; cat err; exit 1; }
grep -q "closed.log: cannot open: Permission denied" err || { echo "unreadable log:"; cat err; exit 1; }
"$TICKS" --only-summary ok.log >out 2>err
rc=$?
[ $rc = 0 ] || { echo "unreadable library: exit $rc, expected 0"; cat err; exit 1; }
grep -q "cannot read ELF file 'secret.so': Permission denied" err || { echo "unreadable library:"; cat err; exit 1; }
grep -q "(2 ticks, 0 unaccounted" out || { echo "unreadable library: report:"; cat out; exit 1; }
echo ok
