#!/bin/sh
# Differential test: profile a fresh workload with this machine's node and
# compare ticks with `node --prof-process` on the same log. Skipped (exit
# 77) where node is absent.
#
# Must be equal: the header's tick count, every [JavaScript] row (ticks,
# total %, name) of the reference, and the GC row's ticks. ticks may show
# more [JavaScript] rows only for builtins and bytecode handlers, which the
# reference loses on some Node versions (reference notes §10.4); the
# JavaScript summary row must then grow by exactly their ticks.
set -u
command -v node >/dev/null 2>&1 || { echo "node not found"; exit 77; }
node --version >/dev/null 2>&1 || { echo "node does not run"; exit 77; }
: "${TICKS:?TICKS not set}"
dir=$(mktemp -d "${TMPDIR:-/tmp}/ticks-diff.XXXXXX") || exit 3
trap 'rm -rf "$dir"' EXIT INT TERM
cd "$dir" || exit 3
cat >work.js <<'JS'
'use strict';
function fib(n) { return n < 2 ? n : fib(n - 1) + fib(n - 2); }
const re = /([a-z]+)@([a-z]+)\.(com|org)/g;
function text() { let s = ''; for (let i = 0; i < 200; i++) s += 'user' + i + '@host.org, '; return s; }
const end = Date.now() + 1200;
let n = 0;
while (Date.now() < end) {
  n += fib(18);
  const t = text();
  let m; while ((m = re.exec(t)) !== null) n += m[1].length;
  n += JSON.parse(JSON.stringify({ a: [1, 2, 3], 'b,c': 'x' })).a.length;
}
if (n < 0) console.log(n);
JS
node --prof work.js || { echo "node --prof failed"; exit 1; }
log=$(ls isolate-*.log | head -n 1)
[ -n "$log" ] || { echo "no log written"; exit 1; }
node --prof-process "$log" >ref.txt 2>ref.err || { echo "node --prof-process failed"; cat ref.err; exit 77; }
"$TICKS" -q "$log" >ticks.txt 2>ticks.err || { echo "ticks failed:"; cat ticks.err; exit 1; }

# section SECTION FILE: the rows of " [SECTION]:" without its header line
section() {
	awk -v s=" [$1]:" '$0 == s { on = 1; getline; next } on && /^ \[/ { on = 0 } on && NF' "$2"
}
hdr() { sed -n 's/^Statistical profiling result from [^,]*, (\([0-9]*\) ticks.*/\1/p' "$1"; }
# rows without the nonlib column: "ticks total% name"
strip() { sed -E 's/^ +([0-9]+) +([0-9.]+%) +([0-9.NaInfity]+%)? +/\1 \2 /'; }

fail=0
rt=$(hdr ref.txt); tt=$(hdr ticks.txt)
if [ "$rt" != "$tt" ] || [ -z "$rt" ]; then echo "header ticks: node $rt, ticks $tt"; fail=1; fi

section JavaScript ref.txt | strip | sort >ref.js
section JavaScript ticks.txt | strip | sort >ticks.js
missing=$(comm -23 ref.js ticks.js)
if [ -n "$missing" ]; then echo "[JavaScript] rows of node missing in ticks:"; echo "$missing"; fail=1; fi
extra=$(comm -13 ref.js ticks.js)
bad_extra=$(printf '%s\n' "$extra" | grep -v -E '^[0-9]+ [0-9.]+% (Builtin|BytecodeHandler): ' | grep -v '^$')
if [ -n "$bad_extra" ]; then echo "[JavaScript] rows only in ticks that are not builtins:"; echo "$bad_extra"; fail=1; fi
extra_ticks=$(printf '%s\n' "$extra" | awk 'NF { s += $1 } END { print s + 0 }')

sumrow() { section Summary "$2" | awk -v n="$1" '{ name = $0; sub(/^ *[0-9]+ +[0-9.]+% +([0-9.NaInfity]+% +)?/, "", name) } name == n { print $1 }'; }
rj=$(sumrow JavaScript ref.txt); tj=$(sumrow JavaScript ticks.txt)
if [ -z "$rj" ] || [ "$tj" != $((rj + extra_ticks)) ]; then
	echo "summary JavaScript: node $rj + $extra_ticks builtin ticks, ticks $tj"; fail=1
fi
rg=$(sumrow GC ref.txt); tg=$(sumrow GC ticks.txt)
if [ -z "$rg" ] || [ "$rg" != "$tg" ]; then echo "summary GC: node $rg, ticks $tg"; fail=1; fi

ru=$(sed -n 's/.*ticks, \([0-9]*\) unaccounted.*/\1/p' ref.txt)
tu=$(sed -n 's/.*ticks, \([0-9]*\) unaccounted.*/\1/p' ticks.txt)
echo "node $(node --version): $rt ticks; unaccounted: node $ru, ticks $tu; extra builtin ticks: $extra_ticks"
if [ "$tu" -gt "$ru" ]; then echo "ticks leaves more ticks unaccounted than node"; fail=1; fi
exit $fail
