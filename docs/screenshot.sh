#!/bin/sh
# Makes docs/flamegraph.png, the README's picture of --format=html: the
# page for a profile, rendered by headless Chromium.
#
#   sh docs/screenshot.sh [-o OUT.png] [-s WIDTH,HEIGHT] [LOG...]
#
# Without LOG it profiles a small mixed workload (JS at several tiers,
# regexps, JSON, GC, crypto, zlib) with this machine's node, symbols
# resolved so C++ frames have names; without node it falls back to
# logs/node22-gc. Env: TICKS (default ./ticks), CHROMIUM (default
# chromium). The page must report itself rendered (<html data-ticks="ok
# ...">) or nothing is written.
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
out=$top/docs/flamegraph.png
size=1400,900
while getopts o:s: opt; do
	case $opt in
	o) out=$OPTARG ;;
	s) size=$OPTARG ;;
	*) echo "usage: sh docs/screenshot.sh [-o OUT.png] [-s W,H] [LOG...]" >&2; exit 2 ;;
	esac
done
shift $((OPTIND - 1))
case $out in /*) ;; *) out=$(pwd)/$out ;; esac
TICKS=${TICKS:-$top/ticks}
chromium=${CHROMIUM:-chromium}
[ -x "$TICKS" ] || { echo "screenshot: $TICKS not built (make ticks)" >&2; exit 1; }
command -v "$chromium" >/dev/null 2>&1 || { echo "screenshot: $chromium not found (apt-get install chromium)" >&2; exit 1; }
dir=$(mktemp -d "${TMPDIR:-/tmp}/ticks-shot.XXXXXX") || exit 3
case $dir in /*) ;; *) dir=$(pwd)/$dir ;; esac
trap 'rm -rf "$dir"' EXIT INT TERM

if [ $# -gt 0 ]; then
	for f; do
		case $f in /*) ;; *) f=$(pwd)/$f ;; esac
		set -- "$@" "$f"
		shift
	done
	(cd "$dir" && "$TICKS" -q --format=html -o page.html "$@") || exit 1
elif command -v node >/dev/null 2>&1; then
	cat >"$dir/workload.js" <<'JS'
'use strict';
const crypto = require('crypto'), zlib = require('zlib');
function fib(n) { return n < 2 ? n : fib(n - 1) + fib(n - 2); }
function makeText(n) {
  let s = '';
  for (let i = 0; i < n; i++) s += 'k' + (i % 97) + '=' + i + ';t' + (i % 13) + '\n';
  return s;
}
function parseRecords(text) {
  const out = [];
  for (const line of text.split('\n')) {
    const m = /^(\w+)=(\d+);(\w+)$/.exec(line);
    if (m) out.push({ key: m[1], value: +m[2], tag: m[3].toUpperCase() });
  }
  return out;
}
function sortAndSum(recs) {
  recs.sort((a, b) => a.value - b.value || (a.key < b.key ? -1 : 1));
  let sum = 0;
  for (const r of recs) sum += r.value;
  return sum;
}
function churn(n) {
  let keep = [];
  for (let i = 0; i < n; i++) {
    keep.push({ i, a: new Array(16).fill(i), s: 'x' + i });
    if (keep.length > 5000) keep = [];
  }
  return keep.length;
}
function roundTrip(recs) { return JSON.parse(JSON.stringify(recs)).length; }
function digest(buf) { return crypto.createHash('sha256').update(buf).digest('hex'); }
function compress(buf) { return zlib.deflateSync(buf).length; }
const end = Date.now() + 2500;
let acc = 0;
while (Date.now() < end) {
  const text = makeText(20000), recs = parseRecords(text);
  acc += sortAndSum(recs) + roundTrip(recs.slice(0, 3000)) + fib(22) + churn(60000);
  const buf = Buffer.from(text);
  acc += digest(buf).length + compress(buf);
}
if (acc < 0) console.log(acc);
JS
	(cd "$dir" && node --prof workload.js) || { echo "screenshot: node --prof failed" >&2; exit 1; }
	log=$(cd "$dir" && ls isolate-*.log | head -n 1)
	[ -n "$log" ] || { echo "screenshot: node wrote no log" >&2; exit 1; }
	mv "$dir/$log" "$dir/workload.log"
	(cd "$dir" && "$TICKS" -q --format=html -o page.html workload.log) || exit 1
else
	(cd "$top/logs/node22-gc" && "$TICKS" -q --format=html -o "$dir/page.html" node22-gc.log.gz) || exit 1
fi

run() { # URL ARGS...
	url=$1
	shift
	"$chromium" --headless --no-sandbox --disable-gpu --disable-background-networking \
		--disable-component-update --disable-sync --no-first-run --hide-scrollbars \
		--user-data-dir="$(mktemp -d "$dir/profile.XXXXXX")" "$@" "$url" 2>>"$dir/chromium.err"
}
status=$(run "file://$dir/page.html" --dump-dom | grep -o 'data-ticks="[^"]*"' | head -n 1)
case $status in
'data-ticks="ok '*) ;;
*) echo "screenshot: the page did not render: ${status:-no DOM}" >&2; tail -n 5 "$dir/chromium.err" >&2; exit 1 ;;
esac
run "file://$dir/page.html" --screenshot="$dir/shot.png" --window-size="$size" >/dev/null
[ -s "$dir/shot.png" ] || { echo "screenshot: chromium wrote no PNG" >&2; tail -n 5 "$dir/chromium.err" >&2; exit 1; }
cp "$dir/shot.png" "$out" || exit 3
echo "$out: $(wc -c <"$out") bytes, page $(wc -c <"$dir/page.html") bytes, $status"
