// shifted-diff workload: new.log's run had one comment line more at the top
'use strict';
function transform(a) { let s = 0; for (let i = 0; i < a.length; i++) s += (a[i] * 3) % 7; return s; }
function build(n) { const a = []; for (let i = 0; i < n; i++) a.push(i & 255); return a; }
let acc = 0;
for (let r = 0; r < 300; r++) acc += transform(build(20000));
console.log(acc > 0 ? 'ok' : 'ok.');
