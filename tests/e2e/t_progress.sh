#!/bin/sh
# --progress writes "\r"-rewritten lines to standard error (how far into
# the file, ticks so far) and erases them at the end; the report is the
# same byte for byte; without --progress a standard error that is not a
# terminal gets none, and --no-progress turns a forced one off.
set -u
: "${TICKS:?TICKS not set}"
top=$(cd "$(dirname "$0")/../.." && pwd)
log=$top/logs/node18-async/node18-async.log.gz   # 5815 lines: past the first update
dir=$(mktemp -d "${TMPDIR:-/tmp}/ticks-progress.XXXXXX") || exit 3
trap 'rm -rf "$dir"' EXIT INT TERM
cr=$(printf '\r')
"$TICKS" --no-symbols "$log" >"$dir/plain.out" 2>"$dir/plain.err" || exit 1
[ ! -s "$dir/plain.err" ] || { echo "progress (or warnings) on a file by default: $(od -c "$dir/plain.err" | head -3)"; exit 1; }
for fmt in text json; do
	"$TICKS" --no-symbols --format=$fmt "$log" >"$dir/a.out" 2>/dev/null || exit 1
	"$TICKS" --no-symbols --format=$fmt --progress "$log" >"$dir/b.out" 2>"$dir/b.err" || exit 1
	cmp -s "$dir/a.out" "$dir/b.out" || { echo "$fmt: --progress changed the report"; exit 1; }
	# one update at least: "\rticks: FILE: NN% of X MB, N ticks"
	tr '\r' '\n' <"$dir/b.err" | grep -Eq '^ticks: .*node18-async\.log\.gz: +[0-9]+% of [0-9.]+ MB, [0-9]+ ticks' ||
		{ echo "$fmt: no progress line: $(od -c "$dir/b.err" | head -5)"; exit 1; }
	# erased at the end: the last thing written is "\r", spaces, "\r"
	tail -c 2 "$dir/b.err" | od -c | grep -q "$(printf ' \\\\r')" ||
		{ echo "$fmt: not erased: $(tail -c 40 "$dir/b.err" | od -c)"; exit 1; }
	# (lines joined with \036, which no path holds: the log's may hold N)
	[ "$(tr -d ' \r' <"$dir/b.err" | tr '\n' '\036' | sed "s/ticks:[^$(printf '\036')]*ticks//g")" = "" ] ||
		{ echo "$fmt: something besides progress on stderr: $(od -c "$dir/b.err" | head)"; exit 1; }
done
# standard input: no size known, bytes read instead of a share
"$TICKS" --no-symbols --progress - <"$log" >/dev/null 2>"$dir/stdin.err" || exit 1
tr '\r' '\n' <"$dir/stdin.err" | grep -Eq '^ticks: -: [0-9.]+ MB, [0-9]+ ticks' ||
	{ echo "stdin: no progress line: $(od -c "$dir/stdin.err" | head -5)"; exit 1; }
# the last of --progress/--no-progress wins
"$TICKS" --no-symbols --progress --no-progress "$log" >/dev/null 2>"$dir/off.err" || exit 1
[ ! -s "$dir/off.err" ] || { echo "--no-progress: $(od -c "$dir/off.err" | head -3)"; exit 1; }
case $(cat "$dir/b.err") in *"$cr"*) ;; *) echo "no carriage return"; exit 1 ;; esac
exit 0
