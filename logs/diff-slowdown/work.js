// diff workload: three functions; 'slow' does SLOW times the work in the "after" run
'use strict';
const SLOW = Number(process.argv[2] || 1);
function mix(n) { let h = 7; for (let i = 0; i < n; i++) h = (h * 31 + i) | 0; return h; }
function steady(n) { let s = 0; for (let i = 0; i < n; i++) s += Math.sqrt(i); return s; }
function slow(n) { let x = 0; for (let i = 0; i < n * SLOW; i++) x ^= (i * 2654435761) >>> 3; return x; }
let acc = 0;
for (let r = 0; r < 60; r++) { acc += mix(200000) + steady(200000) + slow(200000); }
console.log(acc > 0 ? 'ok' : 'ok.');
