#!/bin/sh
# --format=preprocess: the document `node --prof-process --preprocess`
# prints. With --no-symbols it must be byte for byte the reference's as
# run with --nm=/bin/false --objdump=/bin/false (no C++ symbols), on a
# fresh log of this machine's node and on a synthetic log full of the
# reference's quirks (SFI entries blocking lookups, inserts that never
# overwrite, static pages, {N} names, escapes and lone surrogates, NaN
# fields, relative frames, moves, deletes, script name collisions).
# With symbols (the default) the document must parse and its ids must
# index "code".
set -u
: "${TICKS:?TICKS not set}"
command -v node >/dev/null 2>&1 || { echo "node not found: no reference to compare with"; exit 77; }
dir=$(mktemp -d "${TMPDIR:-/tmp}/ticks-preprocess.XXXXXX") || exit 3
trap 'rm -rf "$dir"' EXIT INT TERM

# ref LOG OUT: the reference's document, without the version-mismatch line
ref() {
	node --prof-process --preprocess --nm=/bin/false --objdump=/bin/false "$1" 2>"$dir/ref.err" |
		sed '1{/^Testing v8 version/d;/^Unable to read v8-version/d;}' >"$2"
}

# same NAME A B: byte comparison, with the first difference shown
same() {
	if ! cmp "$2" "$3"; then
		echo "FAIL: $1: ticks differs from node --prof-process --preprocess:"
		diff "$2" "$3" | head -20
		exit 1
	fi
}

# 1. a fresh log: functions, a regexp, eval, new Function, a small vm
# script with a duplicate file name, non-ASCII names, a deopt
cat >"$dir/work.js" <<'EOF'
'use strict';
const vm = require('vm');
function fib(n) { return n < 2 ? n : fib(n - 1) + fib(n - 2); }
function sümme(n) { let s = 0; for (let i = 0; i < n; i++) s += i % 7; return s; }
const re = /([a-z]+)-(\d+)\s*"q"/g;
function useRe(s) { let c = 0; for (const m of s.matchAll(re)) c += m[1].length; return c; }
const evalFib = eval('(function evalFib(n) { return n < 2 ? n : evalFib(n - 1) + evalFib(n - 2); })');
const nf = new Function('n', 'let s = 0; for (let i = 0; i < n; i++) s += Math.sin(i); return s;');
const a = new vm.Script('function inA(k) {\n  let s = 0;\n  for (let i = 0; i < k; i++) s += Math.sqrt(i);\n  return s;\n}\ninA',
	{ filename: '/one/dup.js' }).runInThisContext();
const b = new vm.Script('function inB(k) { return k * 2; }\ninB', { filename: '/two/dup.js' }).runInThisContext();
function add(o) { return o.x + o.y; }
const t0 = Date.now();
let acc = 0, k = 0;
while (Date.now() - t0 < 800) {
	acc += fib(18) + evalFib(16) + sümme(2000) + nf(300) + a(1000) + b(k++);
	acc += useRe('abc-12 "q" déf-3 "q" '.repeat(20)) + add({ x: 1, y: 2 });
	if (k % 400 === 0) acc += add({ y: 'a', x: 'b', z: 1 }).length;
}
console.log(acc > 0 ? 'ok' : 'no');
EOF
(cd "$dir" && node --prof --log-deopt work.js) >"$dir/node.out" 2>&1 || { echo "node --prof failed:"; cat "$dir/node.out"; exit 1; }
log=$(ls "$dir"/isolate-*-v8.log 2>/dev/null | head -n 1)
[ -n "$log" ] || { echo "node --prof wrote no log"; exit 1; }
ref "$log" "$dir/ref.json" || { echo "node --prof-process --preprocess failed"; cat "$dir/ref.err"; exit 1; }
"$TICKS" -q --no-symbols --format=preprocess "$log" >"$dir/nosym.json" || { echo "ticks --no-symbols failed"; exit 1; }
same "fresh log" "$dir/ref.json" "$dir/nosym.json"
gzip -c "$log" >"$dir/log.gz"
"$TICKS" -q --no-symbols --format=preprocess - <"$dir/log.gz" >"$dir/stdin.json" || { echo "ticks from stdin failed"; exit 1; }
same "fresh log, gzip on stdin" "$dir/ref.json" "$dir/stdin.json"

# 2. with symbols: valid JSON, ids inside "code", CPP elements named
"$TICKS" -q --format=preprocess "$log" >"$dir/sym.json" || { echo "ticks (symbols) failed"; exit 1; }
node - "$dir/sym.json" "$dir/ref.json" <<'EOF' || exit 1
const fs = require('fs');
const fail = m => { console.log('FAIL: symbols: ' + m); process.exit(1); };
const p = JSON.parse(fs.readFileSync(process.argv[2], 'utf8'));
const r = JSON.parse(fs.readFileSync(process.argv[3], 'utf8'));
const n = p.code.length;
for (const [i, t] of p.ticks.entries()) {
	if (!Number.isFinite(t.tm) || !Number.isInteger(t.vm) || t.s.length % 2) fail('tick ' + i + ': ' + JSON.stringify(t));
	for (let k = 0; k < t.s.length; k += 2)
		if (!(t.s[k] === -1 || (Number.isInteger(t.s[k]) && t.s[k] >= 0 && t.s[k] < n)))
			fail('tick ' + i + ' refers to code ' + t.s[k] + ' of ' + n);
}
for (const f of p.functions) for (const c of f.codes) if (!(c >= 0 && c < n) || p.code[c].type !== 'JS') fail('function code ' + c);
for (const c of p.code) {
	if (c.type === 'JS' && !(c.func >= 0 && c.func < p.functions.length)) fail('func of ' + c.name);
	if (!['SHARED_LIB', 'CPP', 'CODE', 'JS'].includes(c.type)) fail('type ' + c.type);
}
if (!p.code.some(c => c.type === 'CPP')) fail('no C++ symbol was named');
if (p.ticks.length !== r.ticks.length) fail(p.ticks.length + ' ticks, the reference has ' + r.ticks.length);
if (JSON.stringify(p.scripts) !== JSON.stringify(r.scripts)) fail('scripts differ from the reference');
const unres = q => q.ticks.reduce((a, t) => a + t.s.filter((v, k) => k % 2 === 0 && v === -1).length, 0);
if (unres(p) > unres(r)) fail('more unresolved frames than the reference: ' + unres(p) + ' > ' + unres(r));
EOF

# 3. a synthetic log of the reference's quirks
cat >"$dir/syn.log" <<'EOF'
v8-version,11,3,244,8,-node.38,0
shared-library,/usr/bin/node,0x400000,0xb71000,0
shared-library,/usr/bin/node,0x400000,0x25fe000,0
shared-library,/lib/x\x2Cy\u00e9\ud83d\ude00\ud800z.so,0x7f0000000000,0x7f0000010000,0
shared-library,[vdso],0x7fff00000000,0x7fff00002000,0
code-creation,Builtin,2,100,0x18c4000,768,DeoptimizationEntry_Eager
code-creation,JS,10,200,0x10000,256,foo /a.js:1:1,0x90000,~
code-creation,JS,10,201,0x10100,256,bar /a.js:2:1,0x90100,*
code-creation,JS,10,202,0x10000,256,foo /a.js:1:1,0x90000,^
code-creation,JS,10,203,0x10200,256,foo /a.js:1:1,0x90000,+
code-creation,JS,10,204,0x10300,256,baz /a.js:3:1,0x90000,*
code-creation,JS,10,205,0x20000,256,w\x01\x1f"q\\ \u2028\uDC00lone\uD800\x4 \u12 /b.js:1:1,0x90200,
code-creation,RegExp,3,206,0x30000,128,^(?:a|b)\\d+$,0x1,~
code-creation,Stub,3,207,0x30100,16,x
code-creation,RegExp,3,208,0x30200,16,x
code-creation,JS,11,209,0x30300,64,nope /c.js:1:1,0x90300,*'
code-creation,JS,11,210,0x30400,64,nomarker /c.js:1:1,0x90400
code-creation,JS,11,211,0x40000,4096,big /c.js:9:1,0x90500,~
code-creation,JS,11,212,0x40100,16,inner /c.js:10:1,0x40200,~
code-creation,JS,11,213,0x50000,64,atSfi /c.js:11:1,0x50000,~
code-source-info,0x10100,3,10,20,C0O10C4O20,F0O1,S0x90000S0x12345Szz
code-source-info,0x10200,3,10,20,C0O10,,
code-deopt,300,256,0x10200,-1,12,deopt-eager,<x.js:1:2>,reason\x2C1
code-deopt,301,256,0x10200,-1,13,deopt-lazy,<x.js:1:3>,second
code-deopt,302,256,0x10100,0,14
code-source-info,0x10100,3,11,21,C0O11,,
code-source-info,0x90000,3,0,1,C0O0,,
script-source,3,/x/a.js,line1\nline2\x2C\u00e9\uD800\\end
script-source,6,/y/a.js,other
script-source,7,noslash
script-source,-1,/z/a.js,neg
script-source,1,/v/a.js,again
tick,0x10010,1000,0,0x0,0,0x10110,0x4000f0,+0x10,-5,overflow,,zz,0x7f0000000010,0x7fff00000010
tick,0x18c4010,1001,0,0x0,6,0x1000010,0x25fd000,0x25fe000
tick,0x999,1002,1,0x10120,6,0x10010
tick,0x10010,1003,0,0x10110,5
tick,0x30010,1004,0,0x0,0,0x30110,0x30210,0x20010,0x40050,0x40150,0x40250,0x50010
code-move,0x10000,0x60000
code-move,0xdead,0x60000
sfi-move,0x90100,0x91100
code-creation,JS,10,400,0x61000,256,bar /a.js:2:1,0x91100,*
code-delete,0x10100
tick,0x60010,1005,0,0x0,0,0x10110,0x61010
tick,0x100000400100,1006,0,0x0,0
tick,zz,1007.5,0,0x0,x
tick,0x1fffffffffffff,1e3,0,0x0,0
tick,18446744073709551615,12345678901234567890,0,0x0,0
code-creation,Builtin,2,500,0x7f0000000100,16,InLib
tick,0x7f0000000108,1010,0,0x0,0
EOF
# raw bytes: invalid UTF-8 (one U+FFFD per maximal subpart), escapes
# that swallow multi-byte characters, numbers with blanks and junk
{
	printf 'code-creation,Stub,3,207,0x70100,16,a\377b\300\257c\355\240\200d\360\237\230e\303g\360\237\230\200h\364\220\200\200i\n'
	printf 'code-creation,Stub,3,207,0x70500,16,x\\u\360\237\230\200\360\237\230\200zz\\x\303\251\303\251\n'
	printf '%s\n' 'code-creation,Stub,3,207,0x70200,16,t\x7f\x80\u00ff\u0000\x\u\x-1\u-001\x0x\uFfFf\\\\' \
		'code-creation,Stub,3,207,0x70300,16,trail\' \
		'script-source,2,\ud83d\ude00/a\u2028b/\ud83d,\ud83d\ude00\ud83d\ud83d\ude00\udc00'
	printf 'code-creation,Builtin,  0x10,\t0x20, +0x70400,  12abc,name\n'
	printf 'tick,0x70110,1011,0,0x0,0,0x70210,0x70310,0x70410,0x70510\n'
	printf '\ntick,0x10010,2000,0,0x0,0\n' # node reads no further than an empty line
} >>"$dir/syn.log"
ref "$dir/syn.log" "$dir/syn.ref.json" || { echo "the reference failed on the synthetic log"; exit 1; }
"$TICKS" -q --no-symbols --format=preprocess "$dir/syn.log" >"$dir/syn.json" || { echo "ticks failed on the synthetic log"; exit 1; }
same "synthetic log" "$dir/syn.ref.json" "$dir/syn.json"

# sparse script ids: runs of nulls up to a large id (written in blocks)
printf '%s\n' 'v8-version,11,3,244,8,-node.38,0' 'script-source,5,/a.js,a' 'script-source,300000,/b.js,b' \
	'script-source,1,/c.js,c' 'script-source,-3,/d.js,d' >"$dir/sparse.log"
ref "$dir/sparse.log" "$dir/sparse.ref.json" || { echo "the reference failed on the sparse log"; exit 1; }
"$TICKS" -q --no-symbols --format=preprocess "$dir/sparse.log" >"$dir/sparse.json" 2>/dev/null
same "sparse script ids" "$dir/sparse.ref.json" "$dir/sparse.json"
[ "$(grep -c '^  null,$' "$dir/sparse.json")" = 299998 ] || { echo "FAIL: sparse script ids: not 299,998 nulls"; exit 1; }

# 4. one document per log: several logs need -o FILE-%i.json
"$TICKS" -q --no-symbols --format=preprocess "$log" "$dir/syn.log" >/dev/null 2>"$dir/two.err"
rc=$?
[ $rc = 2 ] || { echo "FAIL: two logs without -o %i: exit $rc, expected 2"; exit 1; }
"$TICKS" -q --no-symbols --format=preprocess -o "$dir/out-%i.json" "$log" "$dir/syn.log" ||
	{ echo "FAIL: -o out-%i.json with two logs"; exit 1; }
same "first of two logs" "$dir/ref.json" "$dir/out-1.json"
same "second of two logs" "$dir/syn.ref.json" "$dir/out-2.json"
exit 0
