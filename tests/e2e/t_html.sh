#!/bin/sh
# --format=html: one self-contained page with the top-down tree embedded.
#
# Checked on logs/node20-regexjson (--no-symbols), against the text report
# and the folded stacks of the same binary:
#   - self-contained: no http(s):// reference (but the SVG namespace), no
#     <link>, no src= attribute, no @import or url(), two <script>s only;
#   - the data's "ticks"/"total"/"frameless" agree with the text report:
#     total = JavaScript + C++ + shared libraries + unaccounted (one first
#     frame per tick with frames) = ticks - frameless;
# with node: the embedded JSON parses, its nodes sum to that total, the
# self ticks per frame name equal the report's flat rows (so the top
# frames match), every stack equals --format=folded (one log, two logs
# with an isolate frame each, and --merge); with chromium: the page runs
# without a script error (it marks <html data-ticks="ok ...">), a search
# from the URL reports a match, and a screenshot is a non-trivial PNG;
# with node, html_tip.js runs the page's script on a stub DOM: hover,
# click-zoom and Escape keep the tooltip true without a mouse move.
# Exit 77 (after the checks that need neither) without node; without
# chromium the rendering part is only skipped.
set -u
: "${TICKS:?TICKS not set}"
top=$(cd "$(dirname "$0")/../.." && pwd)
log=$top/logs/node20-regexjson/node20-regexjson.log.gz
w1=$top/logs/node22-workers/node22-workers-1.log.gz
w2=$top/logs/node22-workers/node22-workers-2.log.gz
dir=$(mktemp -d "${TMPDIR:-/tmp}/ticks-html.XXXXXX") || exit 3
case $dir in /*) ;; *) dir=$(pwd)/$dir ;; esac
trap 'rm -rf "$dir"' EXIT INT TERM
fail() { echo "$*"; exit 1; }

"$TICKS" --no-symbols "$log" >"$dir/report.txt" 2>"$dir/report.err" || fail "text report failed: $(cat "$dir/report.err")"
"$TICKS" --no-symbols --format=html -o "$dir/fg.html" "$log" 2>"$dir/html.err" ||
	fail "html failed: $(cat "$dir/html.err")"
[ -s "$dir/html.err" ] && fail "html wrote to stderr: $(cat "$dir/html.err")"
h=$dir/fg.html

# self-contained and well-formed at the ends
head -n 1 "$h" | grep -q '^<!DOCTYPE html>$' || fail "no doctype: $(head -n 1 "$h")"
tail -n 1 "$h" | grep -q '^</html>$' || fail "does not end with </html>"
if grep -o 'https\{0,1\}://[^"'\'' )<]*' "$h" | grep -v '^http://www\.w3\.org/2000/svg$' >"$dir/urls"; then
	fail "network references: $(head -n 3 "$dir/urls")"
fi
grep -qi '<link' "$h" && fail "has a <link> element"
grep -qiE '[[:space:]]src[[:space:]]*=' "$h" && fail "has a src= attribute"
grep -qiE '@import|url\(' "$h" && fail "has a CSS import or url()"
[ "$(grep -oi '<script' "$h" | wc -l)" -eq 2 ] || fail "expected 2 <script> elements"
[ "$(grep -oi '</script' "$h" | wc -l)" -eq 2 ] || fail "expected 2 </script> (a name not escaped?)"
size=$(wc -c <"$h")
[ "$size" -lt 100000 ] || fail "page is $size bytes, expected well under 100 KB for this log"

# the data block: the line after its opening tag
sed -n '/^<script type="application\/json" id="tk-data">$/{n;p;}' "$h" >"$dir/data.json"
[ -s "$dir/data.json" ] || fail "no <script type=\"application/json\" id=\"tk-data\"> block"
num() { grep -o "\"$1\":[0-9]*" "$dir/data.json" | head -n 1 | cut -d: -f2; }

# what the text report says
read -r ticks unacc excl <<EOF
$(sed -n '1s/.*(\([0-9]*\) ticks, \([0-9]*\) unaccounted, \([0-9]*\) excluded).*/\1 \2 \3/p' "$dir/report.txt")
EOF
[ -n "${excl:-}" ] || fail "report header: $(head -n 1 "$dir/report.txt")"
summary() { sed -n '/^ \[Summary\]:/,/^$/p' "$dir/report.txt" | awk -v k="$1" '$NF == k || ($(NF-1) " " $NF) == k { print $1; exit }'; }
js=$(summary JavaScript)
cpp=$(summary C++)
lib=$(summary "Shared libraries")
[ -n "$js" ] && [ -n "$cpp" ] && [ -n "$lib" ] || fail "no [Summary] rows in the report"
want=$((js + cpp + lib + unacc))
frameless=$((ticks - excl - want))
[ "$frameless" -ge 0 ] || fail "report: $want ticks with frames but only $ticks - $excl counted"
[ "$(num ticks)" = "$ticks" ] || fail "data ticks $(num ticks), report $ticks"
[ "$(num total)" = "$want" ] || fail "data total $(num total), expected $want = $ticks ticks - $frameless frameless"
[ "$(num frameless)" = "$frameless" ] || fail "data frameless $(num frameless), expected $frameless"

# the report's flat rows as "ticks name", UNKNOWN for the unaccounted ones
sed -nE '/^ \[(Shared libraries|JavaScript|C\+\+)\]:/,/^$/p' "$dir/report.txt" |
	sed -nE 's/^ *([0-9]+) +[0-9.]+%( +[0-9.]+%)? +(.*)$/\1 \3/p' >"$dir/flat.txt"
[ "$unacc" -gt 0 ] && echo "$unacc UNKNOWN" >>"$dir/flat.txt"
sort -k1,1nr -k2 "$dir/flat.txt" >"$dir/flat.sorted"
[ "$(awk '{ s += $1 } END { print s + 0 }' "$dir/flat.sorted")" = "$want" ] ||
	fail "the report's flat rows do not add up to $want"

command -v node >/dev/null 2>&1 && node -e 0 >/dev/null 2>&1 || {
	echo "node not found: the embedded data was not parsed"; exit 77; }

# data.js HTML MODE: MODE=self prints "ticks name" per frame name with
# self ticks; MODE=folded prints the stacks as --format=folded does;
# MODE=check prints "total ROOT_CHILDREN..." after checking the structure
cat >"$dir/data.js" <<'JS'
'use strict';
const fs = require('fs');
const html = fs.readFileSync(process.argv[2], 'utf8');
const m = /<script type="application\/json" id="tk-data">\n([^\n]*)\n<\/script>/.exec(html);
if (!m) { console.error('no data block'); process.exit(1); }
const D = JSON.parse(m[1]);
const r = D.nodes, names = D.names;
if (!Array.isArray(r) || r.length % 3 || !r.length) { console.error('bad nodes'); process.exit(1); }
if (D.nameKinds.length !== names.length) { console.error('nameKinds length'); process.exit(1); }
if (D.frames.length !== names.length) { console.error('frames length'); process.exit(1); }
let i = 0, total = 0;
const self = new Map(), folded = [], path = [];
function walk(depth) {
  const name = r[i], s = r[i + 1], c = r[i + 2];
  i += 3;
  if (!(name >= 0 && name < names.length) || !(s >= 0) || !(c >= 0) || (depth && !name)) {
    console.error('bad node at ' + (i / 3 - 1)); process.exit(1);
  }
  if (depth) path.push(names[name].replace(/;/g, ':').replace(/[\r\n]/g, ' '));
  let t = s;
  total += s;
  if (depth && s) {
    self.set(names[name], (self.get(names[name]) || 0) + s);
    folded.push(path.join(';') + ' ' + s);
  }
  for (let k = 0; k < c; k++) {
    if (i >= r.length) { console.error('truncated nodes'); process.exit(1); }
    t += walk(depth + 1);
  }
  if (depth) path.pop();
  return t;
}
walk(0);
if (i !== r.length) { console.error('nodes left over'); process.exit(1); }
const mode = process.argv[3];
if (mode === 'labels') {
  // the page's shortName over the data's frame records against the labels
  // the page once made by parsing names; prints the JS labels
  const src = /\nfunction shortName\(s, kind, f\) \{\n[\s\S]*?\n\}\n/.exec(html);
  if (!src) { console.error('no shortName in the page'); process.exit(1); }
  const shortName = new Function(src[0] + 'return shortName;')();
  let bad = 0;
  for (let k = 0; k < names.length; k++) {
    const s = names[k], kind = D.kinds[D.nameKinds[k]], got = shortName(s, kind, D.frames[k]);
    let want = s;
    const x = /^[A-Za-z]+: ([~^+*-]?)(.*) (\S*?)([^ /]+):(\d+):(\d+)$/.exec(s);
    /* C++ and library labels come not from frame fields; the old regex
     * did not cross a line break in a name, the records do */
    if (kind === 'cpp' || kind === 'gc' || kind === 'lib' || /[\r\n\u2028\u2029]/.test(s)) want = got;
    else if (x) want = x[1] + (x[2] || '(anonymous)') + ' ' + x[4] + ':' + x[5];
    if (got !== want) { console.error('label of ' + s + ': ' + got + ', expected ' + want); bad++; }
    else if (D.frames[k]) console.log(got);
  }
  if (bad) process.exit(1);
} else if (mode === 'self') for (const [k, v] of self) console.log(v + ' ' + k);
else if (mode === 'folded') console.log(folded.join('\n'));
else {
  const kids = [];
  for (let k = 0, j = 3; k < r[2]; k++) { kids.push(names[r[j]]); j = skip(j); }
  console.log([total, D.total].concat(kids).join('\n'));
}
function skip(j) { const c = r[j + 2]; j += 3; for (let k = 0; k < c; k++) j = skip(j); return j; }
JS
node "$dir/data.js" "$h" check >"$dir/check.txt" || fail "the embedded data does not parse"
# labels from the frame records, as the page made them from the names
node "$dir/data.js" "$h" labels >"$dir/labels.txt" || fail "labels: $(head -5 "$dir/labels.txt")"
[ -s "$dir/labels.txt" ] || fail "no JS labels from frame records"
[ "$(sed -n 1p "$dir/check.txt")" = "$want" ] || fail "nodes sum to $(sed -n 1p "$dir/check.txt"), expected $want"
node "$dir/data.js" "$h" self | sort -k1,1nr -k2 >"$dir/self.sorted" || fail "data.js self failed"
if ! cmp -s "$dir/flat.sorted" "$dir/self.sorted"; then
	echo "self ticks per frame differ from the report's flat rows:"
	diff -u "$dir/flat.sorted" "$dir/self.sorted" | head -n 20
	exit 1
fi
head -n 5 "$dir/self.sorted" | sed 's/^/top: /'

# every stack, for one log, two logs (an isolate frame each) and --merge
folded_same() { # ARGS...: html and folded of the same arguments agree
	"$TICKS" -q --no-symbols --format=html -o "$dir/x.html" "$@" || fail "html $* failed"
	"$TICKS" -q --no-symbols --format=folded "$@" | LC_ALL=C sort >"$dir/want.folded" || fail "folded $* failed"
	node "$dir/data.js" "$dir/x.html" folded | LC_ALL=C sort >"$dir/got.folded" || fail "data.js folded failed"
	if ! cmp -s "$dir/want.folded" "$dir/got.folded"; then
		echo "stacks differ from --format=folded for $*:"
		diff -u "$dir/want.folded" "$dir/got.folded" | head -n 20 | cut -c1-300
		exit 1
	fi
}
folded_same "$log"
folded_same "$w1" "$w2"
node "$dir/data.js" "$dir/x.html" check | sed -n '3,$p' >"$dir/roots.txt"
printf 'isolate 1: %s\nisolate 2: %s\n' "$w1" "$w2" | cmp -s - "$dir/roots.txt" ||
	fail "two logs: root children are not the isolate frames: $(cat "$dir/roots.txt")"
folded_same --merge "$w1" "$w2"
grep -q '"isolate 1: ' "$dir/x.html" && fail "--merge still has isolate frames"

# the page's script on a stub DOM (html_tip.js): the tooltip follows a
# click-zoom and Escape without a mouse move
node "$top/tests/e2e/html_tip.js" "$h" || fail "the tooltip after a zoom (html_tip.js)"

# rendering, where Debian's chromium (or $CHROMIUM) is installed
chromium=${CHROMIUM:-}
[ -n "$chromium" ] || chromium=$(command -v chromium 2>/dev/null || true)
if [ -z "$chromium" ]; then
	echo "note: chromium not found: rendering not checked"
	exit 0
fi
to=""
command -v timeout >/dev/null 2>&1 && to="timeout 120"
browse() { # URL ARGS...
	url=$1
	shift
	$to "$chromium" --headless --no-sandbox --disable-gpu --disable-background-networking \
		--disable-component-update --disable-sync --no-first-run --hide-scrollbars \
		--user-data-dir="$(mktemp -d "$dir/profile.XXXXXX")" "$@" "$url" 2>>"$dir/chromium.err"
}
browse "file://$h" --dump-dom >"$dir/dom.html"
status=$(grep -o 'data-ticks="[^"]*"' "$dir/dom.html" | head -n 1)
case $status in
'data-ticks="ok '*) echo "rendered: $status" ;;
*) echo "the page did not render: ${status:-no DOM}"; tail -n 5 "$dir/chromium.err"; exit 1 ;;
esac
browse "file://$h#search=RegExp" --dump-dom >"$dir/dom2.html"
grep -q 'data-ticks="ok [^"]*Matched: [0-9.]*% ([0-9,]* of [0-9,]* ticks)' "$dir/dom2.html" ||
	fail "search from the URL: $(grep -o 'data-ticks="[^"]*"' "$dir/dom2.html")"
browse "file://$h" --screenshot="$dir/out.png" --window-size=1400,900 >/dev/null
[ -f "$dir/out.png" ] || fail "no screenshot written"
[ "$(od -An -tx1 -N4 "$dir/out.png" | tr -d ' \n')" = 89504e47 ] || fail "the screenshot is not a PNG"
psize=$(wc -c <"$dir/out.png")
[ "$psize" -gt 20000 ] || fail "the screenshot is only $psize bytes (a blank page?)"
echo "screenshot: $psize bytes"
exit 0
