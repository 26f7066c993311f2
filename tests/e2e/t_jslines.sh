#!/bin/sh
# --lines on JS frames, --annotate and source maps, on the fixture logs
# (logs/jslines-js and, from Node 10, logs/jslines-node10:
# tests/fixtures/js/hot.js; logs/jslines-ts: the tsc
# output of tests/fixtures/ts/hot.ts; logs/jslines-inline-map: a
# synthetic log whose script carries its map as a data: URL):
# - the fixture's hot line (found by its text in the source) ranks first
#   among the function's line rows and in --annotate;
# - a function's per-line ticks add up to its self ticks without --lines
#   (all tiers), and --annotate's flat column adds up to its header;
# - the TypeScript fixture is reported at hot.ts lines, not at hot.js ones;
#   --no-source-maps gives the hot.js lines back;
# - without --lines nothing changes but source-mapped names;
# - go tool pprof -top -lines (when installed) ranks the hot line of work first.
# With node installed, a fresh profile of hot.js must rank the hot line
# first too.
set -u
: "${TICKS:?TICKS not set}"
top=$(cd "$(dirname "$0")/../.." && pwd)
dir=$(mktemp -d "${TMPDIR:-/tmp}/ticks-jslines.XXXXXX") || exit 3
trap 'rm -rf "$dir"' EXIT INT TERM
fail=0
bad() { echo "FAIL: $*"; fail=1; }
js=$top/logs/jslines-js/jslines-js.log.gz
ts=$top/logs/jslines-ts/jslines-ts.log.gz
maps=$top/tests/fixtures/ts/dist

# rows FILE FUNC: the [JavaScript] rows of FUNC (any tier), "TICKS NAME"
rows() {
	sed -n '/^ \[JavaScript\]:/,/^ \[C++\]:/p' "$1" |
		awk -v f="$2" '$4 ~ /^(JS|LazyCompile|Function|Script|Eval):$/ && ($5 == f || substr($5, 2) == f) { print $1, $0 }' | cut -d' ' -f1,6-
}
sum() { awk '{ s += $1 } END { print s + 0 }'; }

# check_lines LOG FUNC SOURCE HOTPATTERN FILEPATTERN [ARGS...]
check_lines() {
	log=$1 fn=$2 src=$3 pat=$4 file=$5
	shift 5
	hot=$(grep -n -- "$pat" "$src" | head -n 1 | cut -d: -f1)
	[ -n "$hot" ] || { bad "no '$pat' in $src"; return; }
	"$TICKS" -q --no-symbols "$@" "$log" >"$dir/plain.txt" || { bad "ticks failed on $log"; return; }
	"$TICKS" -q --no-symbols --lines "$@" "$log" >"$dir/lines.txt" || { bad "ticks --lines failed on $log"; return; }
	"$TICKS" -q --no-symbols --annotate="^$fn\$" "$@" "$log" >"$dir/ann.txt" || { bad "--annotate failed on $log"; return; }
	rows "$dir/lines.txt" "$fn" >"$dir/rows.txt"
	first=$(grep -v ':[0-9]*:[0-9]*$' "$dir/rows.txt" | head -n 1)
	case $first in
	*"/$file:$hot") ;;
	*) bad "$fn: first line row is '$first', not $file:$hot"; cat "$dir/rows.txt" ;;
	esac
	other=$(awk -v f="/$file" '{ n = $NF; sub(/:[0-9]+(:[0-9]+)?$/, "", n)
		if (substr(n, length(n) - length(f) + 1) != f) print }' "$dir/rows.txt")
	[ -z "$other" ] || bad "$fn: rows not in $file: $other"
	self=$(rows "$dir/plain.txt" "$fn" | sum)
	bylines=$(sum <"$dir/rows.txt")
	[ "$self" -gt 0 ] || bad "$fn has no self ticks in $log"
	[ "$self" = "$bylines" ] || bad "$fn: per-line ticks add up to $bylines, its self ticks are $self"
	# --annotate: header flat = sum of the flat column = self; the hot line has the most
	hdr=$(sed -n 3p "$dir/ann.txt" | awk '{ print $1 }')
	col=$(awk 'NR > 3 && $3 ~ /^[0-9]+:/ && $1 != "." { s += $1 } END { print s + 0 }' "$dir/ann.txt")
	[ "$hdr" = "$self" ] || bad "$fn: --annotate header flat $hdr, self ticks $self"
	[ "$col" = "$self" ] || bad "$fn: --annotate flat column adds up to $col, self ticks $self"
	best=$(awk 'NR > 3 && $3 ~ /^[0-9]+:/ && $1 != "." { print $1, $3 }' "$dir/ann.txt" | sort -rn | head -n 1 |
		cut -d' ' -f2)
	[ "$best" = "$hot:" ] || bad "$fn: --annotate's hottest line is $best, not $hot"
	sed -n 2p "$dir/ann.txt" | grep -qF "/$file" || bad "$fn: --annotate header: $(sed -n 2p "$dir/ann.txt")"
}

check_lines "$js" work "$top/tests/fixtures/js/hot.js" 'acc += Math.sqrt' hot.js
# Node 10 (node --prof --log-source-code): "script" events carry the text
check_lines "$top/logs/jslines-node10/jslines-node10.log.gz" work "$top/tests/fixtures/js/hot.js" \
	'acc += Math.sqrt' hot.js
check_lines "$ts" mix "$top/tests/fixtures/ts/hot.ts" '// hot$' hot.ts --source-map-dir="$maps"
# without the map: the compiled file's lines
check_lines "$ts" mix "$maps/hot.js" '// hot$' dist/hot.js --no-source-maps
# an inline (data: URL) map with sourcesContent
"$TICKS" -q --lines "$top/logs/jslines-inline-map/inline-map.log" | grep -q '^ *8 .*JS: \*sq /app/dist/app\.ts:6$' ||
	bad "inline map: sq's ticks are not at app.ts:6"
# without --lines and without maps the report is the plain one
"$TICKS" -q --no-symbols --no-source-maps "$js" >"$dir/a.txt"
"$TICKS" -q --no-symbols "$js" >"$dir/b.txt"
cmp -s "$dir/a.txt" "$dir/b.txt" || bad "a log without source maps reports differently with --no-source-maps"
grep -q 'hot\.js:[0-9]*$' "$dir/b.txt" && bad "line rows without --lines"

# pprof: go tool pprof (when installed) sees work's hot line first
if command -v go >/dev/null 2>&1 && go tool pprof -h >/dev/null 2>&1; then
	hot=$(grep -n 'acc += Math.sqrt' "$top/tests/fixtures/js/hot.js" | cut -d: -f1)
	"$TICKS" -q --no-symbols --lines --format=pprof -o "$dir/p.pb.gz" "$js" || bad "--format=pprof --lines failed"
	first=$(go tool pprof -top -lines "$dir/p.pb.gz" 2>/dev/null | grep '/hot\.js:' | head -n 1)
	case $first in
	*" work /"*"/hot.js:$hot") ;;
	*) bad "pprof -top -lines: first JS row '$first', not work at hot.js:$hot" ;;
	esac
else
	echo "no go tool pprof: pprof check skipped"
fi

# a fresh profile, when node is here
if command -v node >/dev/null 2>&1; then
	cp "$top/tests/fixtures/js/hot.js" "$dir/hot.js"
	if (cd "$dir" && node --prof hot.js >/dev/null 2>&1); then
		log=$(ls "$dir"/isolate-*-v8.log 2>/dev/null | head -n 1)
		[ -n "$log" ] && check_lines "$log" work "$dir/hot.js" 'acc += Math.sqrt' hot.js
	else
		echo "node --prof failed: fresh profile skipped"
	fi
else
	echo "no node: fresh profile skipped"
fi
exit $fail
