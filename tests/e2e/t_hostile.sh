#!/bin/sh
# Hostile names in every output format: a real node 20 log of a script
# whose file name holds terminal escapes (ESC, BEL) plus a vm script named
# with NUL, tab, newline, ';', U+009B, U+2028, "</script><!--", quotes and
# a backslash (logs/node20-escape-names), and a synthetic log adding raw
# bytes that are not UTF-8 and a library path with an OSC title sequence
# (logs/hostile-names/gen.sh).
#  - text outputs (report, -v, --pcs, --annotate, --timeline, --lines,
#    folded, diff) and standard error (warnings, --progress; a log
#    whose own file name holds escapes too): no control byte but newline (and
#    tab as --pcs's separator or in --annotate's source lines), no C1
#    control, valid UTF-8;
#  - folded: one "stack count" line each, names differing after a NUL not
#    merged; --pcs: six tab-separated fields a row;
#  - JSON outputs (json, cpuprofile, speedscope, preprocess, diff --json,
#    html's data) parse, and keep the names exactly (NUL, ESC included);
#    html: the names never close the data's <script> or open a comment;
#    pprof decodes (protoc, when present).
set -u
: "${TICKS:?TICKS not set}"
top=$(cd "$(dirname "$0")/../.." && pwd)
dir=$(mktemp -d "${TMPDIR:-/tmp}/ticks-hostile.XXXXXX") || exit 3
trap 'rm -rf "$dir"' EXIT INT TERM
sh "$top/logs/hostile-names/gen.sh" "$dir" || { echo "gen.sh failed"; exit 1; }
real=$top/logs/node20-escape-names/node20-escape-names.log.gz
syn=$dir/hostile.log
fail=0
bad() { echo "FAIL: $*"; fail=1; }

# clean FILE [tab]: only printable ASCII, newline (tab), valid UTF-8 past
# U+009F
clean() {
	keep='\n -~\200-\377'
	[ "${2:-}" = tab ] && keep='\t\n -~\200-\377'
	n=$(LC_ALL=C tr -d "$keep" <"$1" | wc -c)
	[ "$n" -eq 0 ] || bad "$1: $n control bytes"
	if command -v iconv >/dev/null 2>&1; then
		iconv -f UTF-8 -t UTF-8 "$1" >/dev/null 2>&1 || bad "$1: not valid UTF-8"
	fi
	if LC_ALL=C grep -q "$(printf '\302[\200-\237]')" "$1"; then bad "$1: a C1 control"; fi
}

i=0
for log in "$real" "$syn"; do
	i=$((i + 1))
	for args in "" "-v" "--pcs" "--timeline" "--lines" "--annotate=." "--format=folded" "--bottom-up"; do
		i=$((i + 1))
		"$TICKS" --no-symbols $args "$log" >"$dir/o$i" 2>"$dir/e$i" || bad "ticks $args $log: exit $?"
		case $args in
		--pcs|--annotate=.) clean "$dir/o$i" tab ;;
		*) clean "$dir/o$i" ;;
		esac
		clean "$dir/e$i"
		case $args in
		--pcs) awk -F '\t' '!/^#/ && NF != 6 { print "row " NR ": " NF " fields"; x = 1 } END { exit x }' \
			"$dir/o$i" || bad "--pcs $log: rows not of 6 fields" ;;
		--format=folded) grep -qv '^..* [0-9][0-9]*$' "$dir/o$i" && bad "folded $log: a line not 'stack count'" ;;
		esac
	done
	# reading the library (not --no-symbols): its warning quotes the path
	"$TICKS" -v "$log" >"$dir/s$i" 2>"$dir/se$i"
	clean "$dir/s$i"
	clean "$dir/se$i"
	"$TICKS" diff --no-symbols "$log" "$log" >"$dir/d$i" 2>"$dir/de$i" || bad "diff $log: exit $?"
	clean "$dir/d$i"
	clean "$dir/de$i"
done
# a log whose own file name holds escapes: the report's header, the
# warnings and the --progress line quote it
esc=$dir/$(printf 'log\033]0;pwned\007.log')
cp "$top/logs/node18-async/node18-async.log.gz" "$esc" # past the first progress update
"$TICKS" --no-symbols --progress "$esc" >"$dir/p.out" 2>"$dir/p.err" || bad "--progress: exit $?"
clean "$dir/p.out"
tr -d '\r' <"$dir/p.err" >"$dir/p.err2"
clean "$dir/p.err2"
grep -q 'log\\x1b]0;pwned\\x07.log' "$dir/p.err2" || bad "--progress: no escaped path"
printf 'v8-version,11,3,244,8,-node.38,0\n\n' >"$esc"
"$TICKS" "$esc" >"$dir/w.out" 2>"$dir/w.err"
clean "$dir/w.out"
clean "$dir/w.err"
grep -q 'pwned\\x07.log:2: ' "$dir/w.err" || bad "a warning does not quote the escaped path"
"$TICKS" --format=folded --no-symbols "$syn" >"$dir/f"
grep -q 'nul\\x00a ' "$dir/f" && grep -q 'nul\\x00b ' "$dir/f" || bad "folded: names differing after a NUL merged"
grep -q 'semi:colon tab\\tnl\\nname /app/b:c.js' "$dir/f" || bad "folded: ';' or controls in a name not as documented"

[ $fail = 0 ] || exit 1
command -v node >/dev/null 2>&1 || { echo "node not found: cannot parse the JSON outputs"; exit 77; }
for log in "$real" "$syn"; do
	for f in json cpuprofile speedscope preprocess html; do
		"$TICKS" --no-symbols --format=$f -o "$dir/x.$f" "$log" 2>/dev/null || bad "--format=$f $log: exit $?"
	done
	"$TICKS" diff --json --no-symbols "$log" "$log" >"$dir/x.diff" 2>/dev/null || bad "diff --json $log: exit $?"
	"$TICKS" --format=pprof -o "$dir/x.pb.gz" --no-symbols "$log" || bad "--format=pprof $log"
	gzip -t "$dir/x.pb.gz" || bad "pprof $log: not gzip"
	if command -v protoc >/dev/null 2>&1; then # proto3 strings: valid UTF-8
		gzip -dc "$dir/x.pb.gz" | protoc -I"$top/tests/e2e" --decode=perftools.profiles.Profile \
			"$top/tests/e2e/profile.proto" >"$dir/x.pb.txt" 2>&1 || bad "pprof $log: protoc: $(head -3 "$dir/x.pb.txt")"
		grep -q 'string_table: ".*vmhot\|string_table: "JS: \*nul' "$dir/x.pb.txt" || bad "pprof $log: names missing"
	fi
	node -e '
const fs = require("fs"), d = process.argv[1];
let bad = 0;
const fail = (m) => { console.log("FAIL: " + m); bad = 1; };
const names = [];
for (const f of ["json", "cpuprofile", "speedscope", "preprocess", "diff"]) {
	const t = fs.readFileSync(d + "/x." + f, "utf8");
	try { JSON.parse(t); } catch (e) { fail(f + ": " + e.message); }
	names.push([f, t]);
}
const h = fs.readFileSync(d + "/x.html", "utf8");
const m = h.match(/<script type="application\/json" id="tk-data">\n([^]*?)<\/script>/);
if (!m) fail("html: no data element");
else {
	if (/<!--|<\/script/i.test(m[1])) fail("html: the data holds </script or <!--");
	try { JSON.parse(m[1]); names.push(["html", m[1]]); } catch (e) { fail("html data: " + e.message); }
}
if ((h.match(/<script/g) || []).length !== 2 || (h.match(/<\/script>/g) || []).length !== 2)
	fail("html: a name opened or closed a script element");
if (/<b>"q"/.test(h)) fail("html: a name opened a tag");
// the names survive exactly (JSON escapes them, it does not drop them)
for (const [f, t] of names) {
	const s = JSON.stringify(JSON.parse(t));
	if (/evil|nul\\u0000/.test(s) && !/\\u001b\[|\\u0000/.test(s)) fail(f + ": controls lost");
}
process.exit(bad);
' "$dir" || fail=1
done
exit $fail
