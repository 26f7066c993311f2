// Checks a Chrome .cpuprofile or a speedscope file written by ticks
// against the format's invariants and against ticks' own text reports of
// the same logs. Used by t_cpuprofile.sh and t_speedscope.sh.
//
//   node check_export.js cpuprofile|speedscope FILE INTERVAL [--merge] REPORT...
//
// INTERVAL: the logs' sampling interval (us, from profiler,begin); REPORT:
// the text report of each log, in the order the logs were given. Prints
// the first broken invariant and exits 1; exits 0 when all hold.
'use strict';
const fs = require('fs');

function fail(msg) {
	console.log('FAIL: ' + msg);
	process.exit(1);
}
function check(cond, msg) {
	if (!cond)
		fail(msg);
}
const isInt = v => typeof v === 'number' && Number.isInteger(v);

// header counts and the flat rows of one text report
function readReport(path) {
	const lines = fs.readFileSync(path, 'utf8').split('\n');
	const h = /\((\d+) ticks, (\d+) unaccounted, (\d+) excluded\)/.exec(lines[0]);
	check(h, path + ': no header: ' + lines[0]);
	const r = { ticks: +h[1], unaccounted: +h[2], excluded: +h[3], js: [], libs: [], cpp: [] };
	let sec = null;
	for (const l of lines.slice(1)) {
		const s = /^ \[(.*)\]:$/.exec(l);
		if (s) {
			sec = s[1];
			continue;
		}
		if (sec !== 'JavaScript' && sec !== 'Shared libraries' && sec !== 'C++')
			continue;
		const m = /^\s*(\d+)\s+[\d.]+%\s+(?:[\d.]+%\s+)?(\S.*)$/.exec(l);
		if (!m)
			continue;
		(sec === 'Shared libraries' ? r.libs : sec === 'C++' ? r.cpp : r.js).push({ ticks: +m[1], name: m[2] });
	}
	return r;
}

// a flat report name split as src/base/frame.c splits it
function parseName(name) {
	const m = /^(JS|LazyCompile|Function|Script|Eval): [~^+*-]?(?:(.*) )?(\S+):(\d+):(\d+)$/.exec(name);
	if (!m)
		return { fn: name, file: null, line: 0, col: 0 };
	let fn = m[2] || '';
	if (fn === '<anonymous>')
		fn = '';
	return { fn, file: m[3], line: +m[4], col: +m[5] };
}

// the report's rows summed by the key the export gives them
function reportKeys(r, keyOf) {
	const js = new Map(), libs = new Map();
	for (const row of r.js) {
		const k = keyOf(parseName(row.name));
		js.set(k, (js.get(k) || 0) + row.ticks);
	}
	for (const row of r.libs) {
		const k = keyOf({ fn: row.name, file: row.name, line: 0, col: 0, lib: true });
		libs.set(k, (libs.get(k) || 0) + row.ticks);
	}
	return { js, libs };
}

// every report row has the same self count in the export (counts: key ->
// self), and the export's top self-time JS functions are the report's
function compareFlat(counts, r, keyOf, what) {
	const want = reportKeys(r, keyOf);
	for (const [k, n] of want.js)
		check(counts.get(k) === n, what + ': [JavaScript] ' + JSON.stringify(k) + ': ' + n +
		      ' ticks in the report, ' + counts.get(k) + ' in the export');
	for (const [k, n] of want.libs)
		check(counts.get(k) === n, what + ': [Shared libraries] ' + JSON.stringify(k) + ': ' + n +
		      ' ticks in the report, ' + counts.get(k) + ' in the export');
	// (C++ rows, named by symbol, are not compared: run with --no-symbols)
	const libKeys = new Set(want.libs.keys());
	const top = [...counts].filter(([k, n]) => n > 0 && !libKeys.has(k) && !/^\(/.test(k))
		.sort((a, b) => b[1] - a[1]);
	const topWant = [...want.js].sort((a, b) => b[1] - a[1]);
	for (let i = 0; i < 5 && i < topWant.length; i++) {
		check(top[i] && top[i][1] === topWant[i][1], what + ': self-time rank ' + (i + 1) + ': ' +
		      JSON.stringify(top[i]) + ', the report has ' + JSON.stringify(topWant[i]));
		const same = topWant.filter(e => e[1] === top[i][1]).map(e => e[0]);
		check(same.includes(top[i][0]), what + ': self-time rank ' + (i + 1) + ' is ' +
		      JSON.stringify(top[i][0]) + ', the report has ' + JSON.stringify(same));
	}
	return top;
}

function cpuprofile(p, interval, merge, reports) {
	check(p && Array.isArray(p.nodes) && p.nodes.length > 0, 'no nodes');
	for (const k of ['startTime', 'endTime'])
		check(isInt(p[k]) && p[k] >= 0, k + ' is not a time: ' + p[k]);
	check(Array.isArray(p.samples) && Array.isArray(p.timeDeltas), 'no samples/timeDeltas');
	const byId = new Map();
	for (const n of p.nodes) {
		check(isInt(n.id) && n.id > 0, 'bad id ' + n.id);
		check(!byId.has(n.id), 'duplicate id ' + n.id);
		byId.set(n.id, n);
		const f = n.callFrame;
		check(f && typeof f.functionName === 'string' && typeof f.url === 'string' &&
		      typeof f.scriptId === 'string' && /^\d+$/.test(f.scriptId) &&
		      isInt(f.lineNumber) && f.lineNumber >= -1 && isInt(f.columnNumber) && f.columnNumber >= -1,
		      'bad callFrame in node ' + n.id + ': ' + JSON.stringify(f));
		check(isInt(n.hitCount) && n.hitCount >= 0, 'bad hitCount in node ' + n.id);
	}
	const root = p.nodes[0];
	check(root.id === 1 && root.callFrame.functionName === '(root)', 'nodes[0] is not the root "(root)" id 1');
	// one parent each, the root none, all reachable from the root
	const parent = new Map();
	for (const n of p.nodes)
		for (const c of n.children || []) {
			check(byId.has(c), 'node ' + n.id + ' has a missing child ' + c);
			check(!parent.has(c), 'node ' + c + ' has two parents: ' + parent.get(c) + ' and ' + n.id);
			parent.set(c, n.id);
		}
	check(!parent.has(1), 'the root has a parent');
	check(parent.size === p.nodes.length - 1, (p.nodes.length - 1 - parent.size) + ' nodes have no parent');
	const seen = new Set([1]), todo = [root];
	while (todo.length)
		for (const c of todo.pop().children || [])
			if (!seen.has(c)) {
				seen.add(c);
				todo.push(byId.get(c));
			}
	check(seen.size === p.nodes.length, 'nodes not reachable from the root (a cycle)');
	// one scriptId per url
	const sid = new Map(), urlOf = new Map();
	for (const n of p.nodes) {
		const f = n.callFrame;
		if (f.scriptId === '0')
			continue;
		check(f.url !== '', 'node ' + n.id + ': scriptId ' + f.scriptId + ' without a url');
		check(!sid.has(f.url) || sid.get(f.url) === f.scriptId, 'url ' + f.url + ' has two scriptIds');
		check(!urlOf.has(f.scriptId) || urlOf.get(f.scriptId) === f.url, 'scriptId ' + f.scriptId + ' has two urls');
		sid.set(f.url, f.scriptId);
		urlOf.set(f.scriptId, f.url);
	}
	// samples and hit counts
	check(p.samples.length === p.timeDeltas.length, 'samples.length ' + p.samples.length +
	      ' != timeDeltas.length ' + p.timeDeltas.length);
	const hits = new Map();
	for (const s of p.samples) {
		check(byId.has(s), 'sample of a missing node ' + s);
		check(byId.get(s).hitCount > 0, 'sample of node ' + s + ' whose hitCount is 0');
		hits.set(s, (hits.get(s) || 0) + 1);
	}
	let sumHits = 0;
	for (const n of p.nodes) {
		check(n.hitCount === (hits.get(n.id) || 0), 'node ' + n.id + ': hitCount ' + n.hitCount + ', ' +
		      (hits.get(n.id) || 0) + ' samples');
		sumHits += n.hitCount;
	}
	check(sumHits === p.samples.length, 'sum of hitCount ' + sumHits + ' != ' + p.samples.length + ' samples');
	const want = reports.reduce((a, r) => a + r.ticks - r.excluded, 0);
	check(p.samples.length === want, p.samples.length + ' samples, the reports count ' + want +
	      ' ticks (minus excluded)');
	// times: sum(timeDeltas) = last sample's time - startTime = endTime - startTime - interval
	let sum = 0;
	for (const d of p.timeDeltas) {
		check(isInt(d) && d >= 0, 'bad time delta ' + d);
		sum += d;
	}
	if (p.samples.length)
		check(sum === p.endTime - p.startTime - interval, 'sum(timeDeltas) ' + sum + ' != endTime - startTime - ' +
		      interval + ' = ' + (p.endTime - p.startTime - interval));
	// per-log subtrees
	const label = n => /^isolate (\d+): /.exec(n.callFrame.functionName);
	const tops = (root.children || []).map(c => byId.get(c));
	const subtreeHits = n => n.hitCount + (n.children || []).reduce((a, c) => a + subtreeHits(byId.get(c)), 0);
	const keyOf = f => f.lib ? f.fn + '\0' + f.file + '\0-1\0-1' :
		f.file === null ? f.fn + '\0\0-1\0-1' : f.fn + '\0' + f.file + '\0' + (f.line - 1) + '\0' + (f.col - 1);
	const flat = (top, r, what) => {
		const counts = new Map();
		const walk = n => {
			const f = n.callFrame;
			const k = f.functionName + '\0' + f.url + '\0' + f.lineNumber + '\0' + f.columnNumber;
			counts.set(k, (counts.get(k) || 0) + n.hitCount);
			(n.children || []).forEach(c => walk(byId.get(c)));
		};
		(top.children || []).forEach(c => walk(byId.get(c)));
		const unk = (counts.get('(program)\0\0-1\0-1') || 0) + (counts.get('(unknown)\0\0-1\0-1') || 0);
		check(unk >= r.unaccounted, what + ': ' + unk + ' (program)/(unknown) hits, ' + r.unaccounted + ' unaccounted');
		return compareFlat(counts, r, keyOf, what);
	};
	if (reports.length > 1 && !merge) {
		check(tops.length === reports.length, 'the root has ' + tops.length + ' children, not one per log');
		let at = 0;
		tops.forEach((t, i) => {
			const m = label(t);
			check(m && +m[1] === i + 1, 'root child ' + (i + 1) + ' is ' + t.callFrame.functionName);
			const r = reports[i], n = r.ticks - r.excluded;
			check(subtreeHits(t) === n, 'isolate ' + (i + 1) + ': ' + subtreeHits(t) + ' hits, ' + n + ' ticks');
			// samples concatenated in log order
			const ids = new Set();
			const collect = x => { ids.add(x.id); (x.children || []).forEach(c => collect(byId.get(c))); };
			collect(t);
			for (let s = at; s < at + n; s++)
				check(ids.has(p.samples[s]), 'sample ' + s + ' is not in isolate ' + (i + 1));
			at += n;
			flat(t, r, 'isolate ' + (i + 1));
		});
	} else {
		check(!tops.some(label), 'an isolate root node without several logs or with --merge');
		if (reports.length === 1)
			return flat(root, reports[0], 'profile');
	}
	return null;
}

function speedscope(p, interval, merge, reports) {
	check(p.$schema === 'https://www.speedscope.app/file-format-schema.json', 'bad $schema ' + p.$schema);
	check(typeof p.exporter === 'string' && /^ticks /.test(p.exporter), 'bad exporter ' + p.exporter);
	check(p.shared && Array.isArray(p.shared.frames), 'no shared.frames');
	const frames = p.shared.frames, keys = new Set();
	frames.forEach((f, i) => {
		check(typeof f.name === 'string' && f.name !== '', 'frame ' + i + ': bad name');
		check(f.file === undefined || typeof f.file === 'string', 'frame ' + i + ': bad file');
		for (const k of ['line', 'col'])
			check(f[k] === undefined || (isInt(f[k]) && f[k] > 0), 'frame ' + i + ': bad ' + k);
		const key = f.name + '\0' + (f.file === undefined ? '' : f.file) + '\0' + (f.line || 0) + '\0' + (f.col || 0);
		check(!keys.has(key), 'frame ' + i + ' repeats an earlier one: ' + JSON.stringify(f));
		keys.add(key);
	});
	check(Array.isArray(p.profiles), 'no profiles');
	const n = merge ? 1 : reports.length;
	check(p.profiles.length === n, p.profiles.length + ' profiles, expected ' + n);
	const keyOf = f => f.lib ? f.fn + '\0' + f.file + '\0\0' : f.file === null ? f.fn + '\0\0\0' :
		(f.fn || '(anonymous)') + '\0' + f.file + '\0' + f.line + '\0' + f.col;
	const stacks = [];
	p.profiles.forEach((q, i) => {
		const what = 'profile ' + (i + 1);
		check(q.type === 'sampled' && q.unit === 'microseconds' && typeof q.name === 'string',
		      what + ': not a sampled profile in microseconds with a name');
		check(Array.isArray(q.samples) && Array.isArray(q.weights) && q.samples.length === q.weights.length,
		      what + ': samples.length != weights.length');
		const rs = merge ? reports : [reports[i]];
		const want = rs.reduce((a, r) => a + r.ticks - r.excluded, 0);
		check(q.samples.length === want, what + ': ' + q.samples.length + ' samples, the report counts ' + want);
		let sum = 0;
		for (const w of q.weights) {
			check(w === interval, what + ': weight ' + w + ', not the interval ' + interval);
			sum += w;
		}
		check(isInt(q.startValue) && isInt(q.endValue) && q.endValue - q.startValue === sum,
		      what + ': endValue - startValue ' + (q.endValue - q.startValue) + ' != sum(weights) ' + sum);
		const counts = new Map();
		for (const s of q.samples) {
			check(Array.isArray(s) && s.length > 0, what + ': an empty stack');
			for (const f of s)
				check(isInt(f) && f >= 0 && f < frames.length, what + ': frame index ' + f + ' out of range');
			const leaf = frames[s[s.length - 1]];
			const k = leaf.name + '\0' + (leaf.file || '') + '\0' + (leaf.line || '') + '\0' + (leaf.col || '');
			counts.set(k, (counts.get(k) || 0) + 1);
			stacks.push(s.map(f => frames[f].name).join(';'));
		}
		if (rs.length === 1) {
			const r = rs[0];
			const unk = (counts.get('(program)\0\0\0') || 0) + (counts.get('(unknown)\0\0\0') || 0);
			check(unk >= r.unaccounted, what + ': ' + unk + ' (program)/(unknown) leaves, ' + r.unaccounted + ' unaccounted');
			compareFlat(counts, r, keyOf, what);
		}
	});
	return stacks;
}

function main() {
	const a = process.argv.slice(2);
	const kind = a.shift(), file = a.shift(), interval = +a.shift();
	const merge = a[0] === '--merge';
	if (merge)
		a.shift();
	const reports = a.map(readReport);
	let p;
	try {
		p = JSON.parse(fs.readFileSync(file, 'utf8'));
	} catch (e) {
		fail(file + ': not JSON: ' + e.message);
	}
	const out = kind === 'cpuprofile' ? cpuprofile(p, interval, merge, reports) :
		kind === 'speedscope' ? speedscope(p, interval, merge, reports) : fail('unknown kind ' + kind);
	// the stacks, for the caller to compare merged and separate profiles
	if (process.env.STACKS_OUT && out)
		fs.writeFileSync(process.env.STACKS_OUT, out.slice().sort().join('\n') + '\n');
}

main();
