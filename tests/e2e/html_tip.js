// node html_tip.js PAGE.html: runs the flame graph page's script against a
// stub DOM (no browser) and checks the tooltip: hovering a frame names it;
// a click zooms into that frame and the tooltip, without a mouse move,
// describes the zoomed view ("... of the zoomed frame"); Escape zooms out
// and the tooltip says so again. Exit 0, or 1 naming what failed.
'use strict';
const fs = require('fs');
const vm = require('vm');
const page = fs.readFileSync(process.argv[2], 'utf8');
const data = page.match(/<script type="application\/json" id="tk-data">([\s\S]*?)<\/script>/)[1];
// the page's script without its (function () { ... })() wrapper, so that
// its variables (the tree arrays, zoom) can be read here
const code = [...page.matchAll(/<script>([\s\S]*?)<\/script>/g)].pop()[1]
	.replace(/^\s*\(function \(\) \{\s*'use strict';/, '').replace(/\}\)\(\);\s*$/, '');

const ctx2d = new Proxy({}, {
	get: (t, p) => p === 'measureText' ? (s) => ({ width: String(s).length * 7 }) : (p in t ? t[p] : () => {}),
	set: (t, p, v) => { t[p] = v; return true; },
});
const els = {};
function el(id) {
	const handlers = {};
	return {
		id, handlers, style: {}, textContent: '', innerHTML: '', value: '', disabled: false, children: [],
		clientWidth: 1000, offsetWidth: 120, offsetHeight: 40,
		addEventListener(t, f) { (handlers[t] = handlers[t] || []).push(f); },
		setAttribute(k, v) { this['attr:' + k] = v; }, getAttribute(k) { return this['attr:' + k]; },
		appendChild(c) { this.children.push(c); return c; }, focus() {}, blur() {},
		getBoundingClientRect() { return { left: 0, top: 0, width: 1000, height: 2000 }; },
		classList: { add() {}, remove() {}, toggle() {}, contains() { return false; } },
		getContext() { return ctx2d; },
	};
}
const docHandlers = {};
const document = {
	documentElement: el('html'),
	getElementById(id) {
		if (!els[id]) { els[id] = el(id); if (id === 'tk-data') els[id].textContent = data; }
		return els[id];
	},
	createElement: () => el(''), createTextNode: (t) => ({ textContent: t }),
	addEventListener(t, f) { (docHandlers[t] = docHandlers[t] || []).push(f); },
	activeElement: null, body: el('body'),
};
const window = {
	devicePixelRatio: 1, innerWidth: 1400, innerHeight: 900,
	addEventListener() {},
	matchMedia: () => ({ matches: false, addEventListener() {}, addListener() {} }),
	getComputedStyle: () => ({ getPropertyValue: () => '' }),
};
const sandbox = { document, window, location: { hash: '', pathname: '/p.html', search: '' },
	history: { replaceState() {} }, setTimeout: () => 0, clearTimeout() {}, console, navigator: { platform: 'Linux' } };
vm.createContext(sandbox);
vm.runInContext(code, sandbox);
const g = sandbox;
const fire = (target, type, ev) => (target.handlers[type] || []).forEach((f) => f.call(target, ev));
const canvas = els.fg, tip = els.tip;
let failed = 0;
const bad = (msg) => { console.log('html tooltip: ' + msg); failed = 1; };
if (!canvas || !tip) { console.log('html tooltip: no canvas or tip element'); process.exit(1); }

// the biggest frame two levels down (a child of a child of the root)
let k = -1;
for (let i = 1; i < g.N; i++)
	if (g.dep[i] === 2 && (k < 0 || g.tot[i] > g.tot[k]) && g.tot[i] < g.tot[0]) k = i;
if (k < 0) { console.log('html tooltip: no frame at depth 2 in the page'); process.exit(1); }
const x = (g.start[k] - g.start[0] + g.tot[k] / 2) * g.sc, y = g.dep[k] * g.RH + g.RH / 2;
const at = { clientX: x, clientY: y, preventDefault() {} };
fire(canvas, 'mousemove', at);
const name = g.names[g.nm[k]].replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
if (!tip.innerHTML.includes(name)) bad('hover: the tip does not name the frame: ' + tip.innerHTML);
if (tip.innerHTML.includes('of the zoomed frame')) bad('hover before a zoom speaks of a zoomed frame');
fire(canvas, 'click', at);
if (g.zoom !== k) bad('click: zoom is ' + g.zoom + ', not ' + k);
if (!tip.innerHTML.includes('of the zoomed frame')) bad('after the click (no move) the tip is stale: ' + tip.innerHTML);
if (tip.style.display !== 'block') bad('after the click the tip is hidden');
(docHandlers.keydown || []).forEach((f) => f({ key: 'Escape', preventDefault() {} }));
if (g.zoom !== 0) bad('Escape: zoom is ' + g.zoom);
if (tip.innerHTML.includes('of the zoomed frame')) bad('after Escape the tip still speaks of the zoom: ' + tip.innerHTML);
fire(canvas, 'mouseleave', {});
fire(canvas, 'click', at);
if (tip.style.display === 'block') bad('after the pointer left, a zoom showed the tip again');
process.exit(failed);
