'use strict';
function fib(n) { return n < 2 ? n : fib(n - 1) + fib(n - 2); }
const re = /([a-z]+)@([a-z]+)\.(com|org)/g;
function text() { let s = ''; for (let i = 0; i < 200; i++) s += 'user' + i + '@host.org, '; return s; }
function garbage() { const a = []; for (let i = 0; i < 2000; i++) a.push({ i, s: 'x' + i, v: [i, i + 1] }); return a.length; }
const end = Date.now() + 3000;
let n = 0;
while (Date.now() < end) {
  n += fib(16);
  const t = text();
  let m; while ((m = re.exec(t)) !== null) n += m[1].length;
  n += JSON.parse(JSON.stringify({ a: [1, 2, 3], 'b,c': 'x' })).a.length;
  n += garbage();
}
if (n < 0) console.log(n);
