#!/bin/sh
# ticks DIR: every isolate-*-v8.log and isolate-*-v8.log.gz of DIR (not
# other files, not subdirectories), ordered by the pid in the name; the
# table of processes sums the logs' ticks, names the command line of a
# .ticks-PID.cmd; --json has it as "directories"; a directory without a
# log is an error. Needs no node (logs/ samples).
set -u
: "${TICKS:?TICKS not set}"
top=$(cd "$(dirname "$0")/../.." && pwd)
dir=$(mktemp -d "${TMPDIR:-/tmp}/ticks-logdir.XXXXXX") || exit 3
trap 'rm -rf "$dir"' EXIT INT TERM
d=$dir/logs
mkdir -p "$d/sub" "$dir/empty" || exit 3
w=$top/logs/node22-workers
cp "$w/node22-workers-1.log.gz" "$d/isolate-0x1000-200-v8.log.gz" || exit 3
gzip -dc "$w/node22-workers-2.log.gz" >"$d/isolate-0x2000-30-30-v8.log" || exit 3
cp "$w/node22-workers-3.log.gz" "$d/isolate-0x3000-200-v8.log.gz" || exit 3
cp "$w/node22-workers-3.log.gz" "$d/sub/isolate-0x4000-5-v8.log.gz" || exit 3
cp "$w/node22-workers-3.log.gz" "$d/other-v8.log.gz" || exit 3
echo 'node app.js --port 80' >"$d/.ticks-200.cmd"
"$TICKS" --no-symbols "$d" >"$dir/out" 2>"$dir/err" || { echo "ticks DIR failed"; cat "$dir/err"; exit 1; }
t1=$("$TICKS" --no-symbols --only-summary "$w/node22-workers-1.log.gz" | sed -n '1s/.*, (\([0-9]*\) ticks, .*/\1/p')
t2=$("$TICKS" --no-symbols --only-summary "$w/node22-workers-2.log.gz" | sed -n '1s/.*, (\([0-9]*\) ticks, .*/\1/p')
t3=$("$TICKS" --no-symbols --only-summary "$w/node22-workers-3.log.gz" | sed -n '1s/.*, (\([0-9]*\) ticks, .*/\1/p')
[ "$t1" -gt 0 ] && [ "$t2" -gt 0 ] && [ "$t3" -gt 0 ] || { echo "no ticks in the samples"; exit 1; }
cat >"$dir/want" <<EOT
Logs of $d: 2 processes, 3 isolates, $((t1 + t2 + t3)) ticks
      pid    ticks  isolates  command
EOT
printf ' %8d %8d  %8d  %s\n' 30 "$t2" 1 - 200 $((t1 + t3)) 2 'node app.js --port 80' >>"$dir/want"
echo >>"$dir/want"
head -5 "$dir/out" >"$dir/got"
diff -u "$dir/want" "$dir/got" || { echo "the table differs"; exit 1; }
order=$(sed -n 's/^Statistical profiling result from .*\/\(isolate-[^,]*\), .*/\1/p' "$dir/out" | tr '\n' ' ')
[ "$order" = "isolate-0x2000-30-30-v8.log isolate-0x1000-200-v8.log.gz isolate-0x3000-200-v8.log.gz " ] ||
	{ echo "logs read: $order"; exit 1; }
"$TICKS" --no-symbols --json "$d" >"$dir/json" || { echo "--json failed"; exit 1; }
grep -q '"directories"' "$dir/json" && grep -q '"command": "node app.js --port 80"' "$dir/json" &&
	grep -q '"ticks": '$((t1 + t3)) "$dir/json" || { echo "--json: no processes"; tail -30 "$dir/json"; exit 1; }
[ "$(grep -c '"path"' "$dir/json")" = 3 ] || { echo "--json: not 3 profiles"; exit 1; }
"$TICKS" "$dir/empty" >/dev/null 2>"$dir/err"
rc=$?
[ $rc = 1 ] && grep -q 'a directory without a V8 log' "$dir/err" || { echo "empty directory: exit $rc: $(cat "$dir/err")"; exit 1; }
exit 0
