/* out_html: one self-contained HTML page with an interactive flame graph
 * (an icicle by default: root at the top, callees below; a button flips
 * it). No network: the CSS and the script are inline, the top-down tree
 * is embedded as JSON in a <script type="application/json"> element and
 * drawn on a canvas.
 *
 * The data stays small for big profiles: frame names go once into a
 * string table ("names", with "nameKinds" and "frames" parallel to it:
 * a JS function's frame record as [tier, function, script, line, column],
 * else 0, so the page shortens labels without parsing names), and the nodes
 * are one flat integer array in pre-order, three numbers per node: name
 * index, self ticks, number of children. Totals, offsets and depths are
 * recomputed by the page. Children are sorted heaviest first (name as the
 * tie-break), so equal input gives equal bytes.
 *
 * Several isolates without merge get one root child per isolate ("isolate
 * N: PATH", as out_folded); with merge, equal paths of all isolates are
 * summed into one tree (by name text, so the isolates need not share a
 * name table).
 *
 * Kinds colour the frames: JS functions by tier, builtins, bytecode
 * handlers, stubs/ICs, regexps, C++, GC (a heuristic: C++ names in V8's
 * heap), shared libraries, unknown. The page marks <html data-ticks=...>
 * "ok ..." after drawing (or "error: ...") for headless checks. */
#include <stdlib.h>
#include <string.h>
#include "out/export.h"
#include "base/frame.h"
#include "base/hashidx.h"
#include "base/json.h"
#include "base/util.h"

/* frame kinds, in the order of the "kinds" array the page reads */
enum {
	TK_HK_ROOT, TK_HK_ISOLATE, TK_HK_IGNITION, TK_HK_SPARKPLUG, TK_HK_MAGLEV, TK_HK_TURBOFAN,
	TK_HK_JS, TK_HK_BUILTIN, TK_HK_BYTECODE, TK_HK_STUB, TK_HK_REGEXP, TK_HK_CPP, TK_HK_GC,
	TK_HK_LIB, TK_HK_UNKNOWN, TK_HK_COUNT
};

static const char *const kind_keys[TK_HK_COUNT] = {
	"root", "isolate", "ignition", "sparkplug", "maglev", "turbofan", "js", "builtin",
	"bytecode", "stub", "regexp", "cpp", "gc", "lib", "unknown"
};

/* parts of C++ names that place a frame in V8's garbage collector */
static const char *const gc_words[] = {
	"Heap::", "heap::", "cppgc::", "Scaveng", "MarkCompact", "Marking", "Sweep", "Evacuat",
	"GCTracer", "MinorMS", "MinorMarkSweep", "RememberedSet", "SlotSet", "SemiSpace",
	"NewSpace", "PagedSpace", "LargeObjectSpace", "CollectGarbage", "GarbageCollect",
	"Compactor", "ConcurrentMarking", "IncrementalMarking", NULL
};

static int has(const char *s, size_t n, const char *w)
{
	return memmem(s, n, w, strlen(w)) != NULL;
}

static int same(const char *a, size_t an, const char *b)
{
	return strlen(b) == an && memcmp(a, b, an) == 0;
}

static int frame_kind(const struct tk_name *nm)
{
	switch (nm->kind) {
	case TK_KIND_UNKNOWN: return TK_HK_UNKNOWN;
	case TK_KIND_LIB: return TK_HK_LIB;
	case TK_KIND_CPP:
		for (const char *const *w = gc_words; *w; w++)
			if (has(nm->str, nm->len, *w))
				return TK_HK_GC;
		return TK_HK_CPP;
	default: break;
	}
	const struct tk_frame_rec *fi = &nm->frame;
	if (fi->is_func) {
		switch (fi->tier) {
		case '~': return TK_HK_IGNITION;
		case '^': return TK_HK_SPARKPLUG;
		case '+': return TK_HK_MAGLEV;
		case '*': case '-': return TK_HK_TURBOFAN;
		default: return TK_HK_JS;
		}
	}
	if (!fi->type)
		return TK_HK_STUB;
	if (same(fi->type, fi->type_len, "Builtin"))
		return TK_HK_BUILTIN;
	if (same(fi->type, fi->type_len, "BytecodeHandler"))
		return TK_HK_BYTECODE;
	if (same(fi->type, fi->type_len, "RegExp"))
		return TK_HK_REGEXP;
	return TK_HK_STUB; /* Stub, Handler, the ICs, anything else V8 generates */
}

/* one entry of the page's string table */
struct hname {
	const char *s;
	size_t len;
	int kind;
	const struct tk_frame_rec *fr; /* of a frame name; NULL for the page's own */
};

/* a node of one isolate's top-down tree */
struct member {
	const struct tk_isolate *iso;
	uint32_t node;
};

/* a child of some member, to be grouped with equal names */
struct kid {
	const struct tk_name *name;
	struct member m;
};

/* children of equal name: kids[first .. first+n) */
struct group {
	const struct tk_name *name;
	size_t first, n;
	uint64_t total;
};

struct page {
	struct hname *names;
	size_t n_names, names_cap;
	struct tk_hashidx idx;        /* frame name -> its index in names */
	uint64_t *nodes;              /* name index, self, child count; pre-order */
	size_t n_nodes, nodes_cap;
	char **owned;                 /* isolate frame names */
	size_t n_owned;
};

static uint32_t add_name(struct page *pg, const char *s, size_t len, int kind)
{
	tk_xgrow((void **)&pg->names, &pg->names_cap, pg->n_names + 1, sizeof *pg->names);
	pg->names[pg->n_names] = (struct hname){ s, len, kind, NULL };
	return (uint32_t)pg->n_names++;
}

static int name_eq(const void *ctx, uint32_t item, const void *key)
{
	return ((const struct page *)ctx)->names[item].fr == &((const struct tk_name *)key)->frame;
}

/* the string-table index of nm, added on first use */
static uint32_t name_index(struct page *pg, const struct tk_name *nm)
{
	uint32_t h = tk_hashidx_u64((uintptr_t)nm);
	uint32_t i = tk_hashidx_find(&pg->idx, h, name_eq, pg, nm);
	if (i != TK_HASHIDX_NONE)
		return i;
	i = add_name(pg, nm->str, nm->len, frame_kind(nm));
	pg->names[i].fr = &nm->frame;
	tk_hashidx_add(&pg->idx, h, i);
	return i;
}

static void put_node(struct page *pg, uint32_t name, uint64_t self, uint64_t nchildren)
{
	tk_xgrow((void **)&pg->nodes, &pg->nodes_cap, pg->n_nodes + 3, sizeof *pg->nodes);
	pg->nodes[pg->n_nodes++] = name;
	pg->nodes[pg->n_nodes++] = self;
	pg->nodes[pg->n_nodes++] = nchildren;
}

static int cmp_text(const struct tk_name *a, const struct tk_name *b)
{
	if (a == b)
		return 0;
	int c = memcmp(a->str, b->str, a->len < b->len ? a->len : b->len);
	return c ? c : a->len < b->len ? -1 : a->len > b->len;
}

static int cmp_kid(const void *a, const void *b)
{
	return cmp_text(((const struct kid *)a)->name, ((const struct kid *)b)->name);
}

/* heaviest first; names are distinct among siblings */
static int cmp_group(const void *a, const void *b)
{
	const struct group *x = a, *y = b;
	if (x->total != y->total)
		return x->total > y->total ? -1 : 1;
	return cmp_text(x->name, y->name);
}

static const struct tk_node *node_of(const struct member *m)
{
	return &m->iso->prof.top_down.v[m->node];
}

/* a node being written: its children grouped by name, group k next */
struct hlevel {
	struct kid *kids;
	struct group *g;
	size_t ng, k;
};

/* Writes the node standing for the members (equal paths of one or more
 * isolates): its children grouped by name (into l), then put_node. */
static void open_node(struct page *pg, const struct member *mem, size_t n, uint32_t name, struct hlevel *l)
{
	uint64_t self = 0;
	size_t nk = 0;
	for (size_t i = 0; i < n; i++) {
		const struct tk_tree *t = &mem[i].iso->prof.top_down;
		self += node_of(&mem[i])->self;
		for (uint32_t c = node_of(&mem[i])->first_child; c; c = t->v[c].next)
			nk++;
	}
	struct kid *kids = tk_xmalloc((nk ? nk : 1) * sizeof *kids);
	nk = 0;
	for (size_t i = 0; i < n; i++) {
		const struct tk_tree *t = &mem[i].iso->prof.top_down;
		for (uint32_t c = node_of(&mem[i])->first_child; c; c = t->v[c].next)
			kids[nk++] = (struct kid){ tk_names_get(mem[i].iso->names, t->v[c].name), { mem[i].iso, c } };
	}
	qsort(kids, nk, sizeof *kids, cmp_kid);
	struct group *g = tk_xmalloc((nk ? nk : 1) * sizeof *g);
	size_t ng = 0;
	for (size_t i = 0; i < nk; i++) {
		if (!ng || cmp_text(g[ng - 1].name, kids[i].name) != 0)
			g[ng++] = (struct group){ kids[i].name, i, 0, 0 };
		g[ng - 1].n++;
		g[ng - 1].total += node_of(&kids[i].m)->total;
	}
	qsort(g, ng, sizeof *g, cmp_group);
	put_node(pg, name, self, ng);
	*l = (struct hlevel){ kids, g, ng, 0 };
}

/* The node of the members and everything below it, depth first in
 * group order, with the levels on the heap (a path can be
 * TK_MAX_FRAMES deep). */
static void emit(struct page *pg, const struct member *mem, size_t n, uint32_t name)
{
	struct hlevel *st = NULL;
	size_t depth = 0, cap = 0;
	struct member *sub = NULL;
	size_t sub_cap = 0;
	tk_xgrow((void **)&st, &cap, 1, sizeof *st);
	open_node(pg, mem, n, name, &st[0]);
	for (;;) {
		struct hlevel *l = &st[depth];
		if (l->k == l->ng) {
			free(l->g);
			free(l->kids);
			if (depth-- == 0)
				break;
			continue;
		}
		const struct group *g = &l->g[l->k++];
		tk_xgrow((void **)&sub, &sub_cap, g->n, sizeof *sub);
		for (size_t i = 0; i < g->n; i++)
			sub[i] = l->kids[g->first + i].m;
		uint32_t nm = name_index(pg, g->name);
		tk_xgrow((void **)&st, &cap, depth + 2, sizeof *st);
		depth++;
		open_node(pg, sub, g->n, nm, &st[depth]);
	}
	free(sub);
	free(st);
}

/* text for HTML element content and attributes */
static void put_html(FILE *out, const char *s)
{
	for (; *s; s++) {
		switch (*s) {
		case '&': fputs("&amp;", out); break;
		case '<': fputs("&lt;", out); break;
		case '>': fputs("&gt;", out); break;
		case '"': fputs("&quot;", out); break;
		default: fputc((unsigned char)*s < 0x20 ? ' ' : *s, out); break;
		}
	}
}

static void put_paths(FILE *out, const struct tk_export *x)
{
	for (size_t i = 0; i < x->n; i++) {
		if (i)
			fputs(", ", out);
		put_html(out, x->isos[i]->path);
	}
}

/* the data's header: the logs read and their tick counts */
static void put_counts(struct tk_json *j, const struct tk_export *x)
{
	uint64_t ticks = 0, unacc = 0, excl = 0, shown = 0;
	tk_json_key(j, "format");
	tk_json_str(j, "ticks-flamegraph-1");
	tk_json_key(j, "paths");
	tk_json_arr(j);
	for (size_t i = 0; i < x->n; i++) {
		const struct tk_isolate *iso = x->isos[i];
		const struct tk_profile *p = &iso->prof;
		ticks += p->total;
		unacc += p->unaccounted;
		excl += p->excluded;
		shown += p->top_down.v[0].total;
		tk_json_obj(j);
		tk_json_key(j, "path");
		tk_json_str(j, iso->path);
		tk_json_key(j, "v8");
		tk_json_str(j, iso->have_version ? iso->v8_text : "");
		tk_json_key(j, "ticks");
		tk_json_u64(j, p->total);
		tk_json_end(j);
	}
	tk_json_end(j);
	tk_json_key(j, "merged");
	tk_json_bool(j, x->n > 1 && x->merge);
	tk_json_key(j, "ticks");
	tk_json_u64(j, ticks);
	tk_json_key(j, "unaccounted");
	tk_json_u64(j, unacc);
	tk_json_key(j, "excluded");
	tk_json_u64(j, excl);
	tk_json_key(j, "frameless");
	tk_json_u64(j, ticks - excl > shown ? ticks - excl - shown : 0);
	tk_json_key(j, "total");
	tk_json_u64(j, shown);
}

/* a name's entry of "frames": [tier, function, script, line, column] for a
 * JS function with a script position, else 0 */
static void put_frame(struct tk_json *j, const struct tk_frame_rec *fr)
{
	if (!fr || !fr->is_func || !fr->script || fr->script == fr->func) {
		tk_json_u64(j, 0);
		return;
	}
	char tier[2] = { fr->tier, 0 };
	tk_json_arr(j);
	tk_json_str(j, tier);
	tk_json_strn(j, fr->func, fr->func_len);
	tk_json_strn(j, fr->script, fr->script_len);
	tk_json_u64(j, fr->line);
	tk_json_u64(j, fr->column);
	tk_json_end(j);
}

/* the data's tables: kinds, names, their kinds and frames, the tree's nodes */
static void put_tables(struct tk_json *j, const struct page *pg)
{
	tk_json_key(j, "kinds");
	tk_json_arr(j);
	for (size_t k = 0; k < TK_HK_COUNT; k++)
		tk_json_str(j, kind_keys[k]);
	tk_json_end(j);
	tk_json_key(j, "names");
	tk_json_arr(j);
	for (size_t i = 0; i < pg->n_names; i++)
		tk_json_strn(j, pg->names[i].s, pg->names[i].len);
	tk_json_end(j);
	tk_json_key(j, "nameKinds");
	tk_json_arr(j);
	for (size_t i = 0; i < pg->n_names; i++)
		tk_json_u64(j, (uint64_t)pg->names[i].kind);
	tk_json_end(j);
	tk_json_key(j, "frames");
	tk_json_arr(j);
	for (size_t i = 0; i < pg->n_names; i++)
		put_frame(j, pg->names[i].fr);
	tk_json_end(j);
	tk_json_key(j, "nodes");
	tk_json_arr(j);
	for (size_t i = 0; i < pg->n_nodes; i++)
		tk_json_u64(j, pg->nodes[i]);
	tk_json_end(j);
}

/* the JSON data; '<' only occurs inside strings, where \u003c keeps
 * "</script>" and "<!--" out of the script element */
static int put_data(FILE *out, const struct tk_export *x, const struct page *pg, struct tk_diag *d)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *m = open_memstream(&buf, &len);
	if (!m) {
		tk_diag_set(d, TK_EXIT_SYSTEM, "html: no memory for the data");
		return -1;
	}
	struct tk_json j;
	tk_json_init(&j, m, 0);
	tk_json_obj(&j);
	put_counts(&j, x);
	put_tables(&j, pg);
	tk_json_end(&j);
	if (fclose(m) != 0) {
		free(buf);
		tk_diag_set(d, TK_EXIT_SYSTEM, "html: no memory for the data");
		return -1;
	}
	for (size_t i = 0; i < len; i++) {
		if (buf[i] == '<')
			fputs("\\u003c", out);
		else
			fputc(buf[i], out);
	}
	free(buf);
	return 0;
}

/* the page around the title, the heading and the data, a line per string
 * (ISO C caps a string literal at 4095 bytes) */
static const char *const page_a[] = {
	"<!DOCTYPE html>\n",
	"<html lang=\"en\" data-ticks=\"loading\">\n",
	"<head>\n",
	"<meta charset=\"utf-8\">\n",
	"<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n",
	"<meta name=\"generator\" content=\"ticks\">\n",
	"<title>",
	NULL
};

static const char *const page_b[] = {
	"</title>\n",
	"<style>\n",
	":root { --fg: #1d232a; --mute: #5b6670; --line: #d5dadf; }\n",
	"* { box-sizing: border-box; }\n",
	"body { margin: 0; padding: 10px 14px; color: var(--fg); background: #fff;\n",
	"  font: 13px/1.35 'DejaVu Sans', 'Liberation Sans', Arial, Helvetica, sans-serif; }\n",
	"h1 { font-size: 16px; margin: 0 0 2px; font-weight: 600; word-break: break-all; }\n",
	"#sub { color: var(--mute); margin-bottom: 6px; }\n",
	"#bar { display: flex; flex-wrap: wrap; gap: 8px; align-items: center; margin-bottom: 6px; }\n",
	"#bar button { font: inherit; padding: 2px 10px; border: 1px solid #aab3bc; border-radius: 3px;\n",
	"  background: #f4f6f8; cursor: pointer; }\n",
	"#bar button:disabled { color: #a0a8b0; cursor: default; }\n",
	"#search { font: inherit; width: 22em; padding: 2px 6px; border: 1px solid #aab3bc; border-radius: 3px; }\n",
	"#match { font-weight: 600; }\n",
	"#zoomed { color: var(--mute); overflow: hidden; text-overflow: ellipsis; white-space: nowrap; max-width: 60em; }\n",
	"#legend { display: flex; flex-wrap: wrap; gap: 4px 14px; margin-bottom: 8px; color: var(--fg); font-size: 12px; }\n",
	"#legend span.sw { display: inline-block; width: 11px; height: 11px; margin-right: 5px; vertical-align: -1px;\n",
	"  border: 1px solid rgba(0,0,0,.25); }\n",
	"#wrap { position: relative; width: 100%; border-top: 1px solid var(--line); }\n",
	"#fg { display: block; cursor: pointer; }\n",
	"#hl { position: absolute; pointer-events: none; border: 1.5px solid #000; display: none; }\n",
	"#tip { position: fixed; pointer-events: none; display: none; z-index: 2; max-width: 640px;\n",
	"  background: #fffff4; border: 1px solid #8a8f94; border-radius: 3px; padding: 5px 8px;\n",
	"  box-shadow: 0 2px 6px rgba(0,0,0,.2); font-size: 12px; word-break: break-all; }\n",
	"#tip b { font-weight: 600; }\n",
	"#tip .k { color: var(--mute); }\n",
	"#help { color: var(--mute); font-size: 12px; margin-top: 6px; }\n",
	"</style>\n",
	"</head>\n",
	"<body>\n",
	"<h1>Flame graph: ",
	NULL
};

static const char *const page_c[] = {
	"</h1>\n",
	"<div id=\"sub\"></div>\n",
	"<div id=\"bar\">\n",
	"<button id=\"reset\" disabled>Reset zoom</button>\n",
	"<button id=\"flip\" title=\"Root at the top (icicle) or at the bottom (flame)\">Root at bottom</button>\n",
	"<input id=\"search\" type=\"search\" placeholder=\"Search frames (text or /regex/)\" spellcheck=\"false\">\n",
	"<span id=\"match\"></span>\n",
	"<span id=\"zoomed\"></span>\n",
	"</div>\n",
	"<div id=\"legend\"></div>\n",
	"<div id=\"wrap\"><canvas id=\"fg\"></canvas><div id=\"hl\"></div></div>\n",
	"<div id=\"help\">Hover a frame for its ticks; click to zoom into it, click a frame below it (or Reset, or Esc) to zoom out; &lsquo;/&rsquo; focuses the search.</div>\n",
	"<div id=\"tip\"></div>\n",
	"<script type=\"application/json\" id=\"tk-data\">\n",
	NULL
};

static const char *const page_d[] = {
	"</script>\n",
	"<script>\n",
	"(function () {\n",
	"'use strict';\n",
	"var html = document.documentElement;\n",
	"window.addEventListener('error', function (e) { html.setAttribute('data-ticks', 'error: ' + e.message); });\n",
	"var D = JSON.parse(document.getElementById('tk-data').textContent);\n",
	"var KINDS = {\n",
	"  root: ['all', 0, 0, 84],\n",
	"  isolate: ['isolate', 210, 18, 42],\n",
	"  ignition: ['JS, ignition (interpreted)', 52, 88, 60],\n",
	"  sparkplug: ['JS, sparkplug (baseline)', 32, 90, 62],\n",
	"  maglev: ['JS, maglev (mid-tier)', 310, 60, 70],\n",
	"  turbofan: ['JS, turbofan (optimized)', 118, 50, 58],\n",
	"  js: ['JS, no tier logged', 75, 50, 62],\n",
	"  builtin: ['builtin', 195, 65, 66],\n",
	"  bytecode: ['bytecode handler', 170, 45, 58],\n",
	"  stub: ['stub / IC / handler', 228, 55, 72],\n",
	"  regexp: ['regexp', 268, 55, 72],\n",
	"  cpp: ['C++', 4, 68, 66],\n",
	"  gc: ['GC (C++ in the heap)', 22, 45, 45],\n",
	"  lib: ['shared library', 345, 35, 76],\n",
	"  unknown: ['unknown', 0, 0, 68]\n",
	"};\n",
	"var names = D.names, kindOf = D.nameKinds, frames = D.frames, raw = D.nodes, kinds = D.kinds;\n",
	"var N = Math.floor(raw.length / 3);\n",
	"var nm = new Int32Array(N), self = new Float64Array(N), tot = new Float64Array(N);\n",
	"var par = new Int32Array(N), dep = new Int32Array(N), end = new Int32Array(N), start = new Float64Array(N);\n",
	"var i, p;\n",
	"(function () {\n",
	"  var sn = [], sl = [];\n",
	"  for (var k = 0; k < N; k++) {\n",
	"    nm[k] = raw[3 * k]; self[k] = tot[k] = raw[3 * k + 1]; end[k] = k + 1;\n",
	"    while (sl.length && sl[sl.length - 1] === 0) { sl.pop(); sn.pop(); }\n",
	"    if (sn.length) { par[k] = sn[sn.length - 1]; sl[sl.length - 1]--; } else par[k] = -1;\n",
	"    dep[k] = sn.length;\n",
	"    sn.push(k); sl.push(raw[3 * k + 2]);\n",
	"  }\n",
	"})();\n",
	"for (i = N - 1; i > 0; i--) { p = par[i]; tot[p] += tot[i]; if (end[i] > end[p]) end[p] = end[i]; }\n",
	"(function () {\n",
	"  var cur = new Float64Array(N);\n",
	"  for (var k = 1; k < N; k++) { var q = par[k]; start[k] = cur[q]; cur[q] += tot[k]; cur[k] = start[k]; }\n",
	"})();\n",
	"var TOTAL = N ? tot[0] : 0;\n",
	"\n",
	"function hash(s) {\n",
	"  var h = 2166136261;\n",
	"  for (var k = 0; k < s.length; k++) { h ^= s.charCodeAt(k); h = Math.imul(h, 16777619); }\n",
	"  return h >>> 0;\n",
	"}\n",
	"var col = [], faded = [], label = [];\n",
	"function shortName(s, kind, f) {\n",
	"  if (kind === 'cpp' || kind === 'gc') {\n",
	"    var e = s.length;\n",
	"    if (s.slice(-6) === ' const') e -= 6;\n",
	"    if (s.charAt(e - 1) === ')') {\n",
	"      var d = 0;\n",
	"      for (var k = e - 1; k > 0; k--) {\n",
	"        var c = s.charAt(k);\n",
	"        if (c === ')') d++;\n",
	"        else if (c === '(' && --d === 0) { if (k > 0) return s.slice(0, k); break; }\n",
	"      }\n",
	"    }\n",
	"    return s;\n",
	"  }\n",
	"  if (kind === 'lib') return s.replace(/^.*\\/(?=.)/, '');\n",
	"  /* a JS function with a script position: TIER FUNCTION FILE:LINE */\n",
	"  var file = f && f[4] ? f[2].slice(f[2].lastIndexOf('/') + 1) : '';\n",
	"  if (file) return f[0] + (f[1] || '(anonymous)') + ' ' + file + ':' + f[3];\n",
	"  return s;\n",
	"}\n",
	"for (i = 0; i < names.length; i++) {\n",
	"  var kd = KINDS[kinds[kindOf[i]]] || KINDS.unknown, h = hash(names[i]);\n",
	"  var dh = kd[2] ? (h % 13) - 6 : 0, dl = ((h >>> 8) % 11) - 5;\n",
	"  col.push('hsl(' + (kd[1] + dh) + ',' + kd[2] + '%,' + (kd[3] + dl) + '%)');\n",
	"  faded.push('hsl(' + (kd[1] + dh) + ',' + Math.round(kd[2] / 4) + '%,' + Math.min(93, kd[3] + 22) + '%)');\n",
	"  label.push(shortName(names[i], kinds[kindOf[i]], frames[i]));\n",
	"}\n",
	"\n",
	"var $ = function (id) { return document.getElementById(id); };\n",
	"var canvas = $('fg'), ctx = canvas.getContext('2d'), wrap = $('wrap'), tip = $('tip'), hl = $('hl');\n",
	"var RH = 17, MINW = 1, FONT = '11.5px \"DejaVu Sans\", \"Liberation Sans\", Arial, Helvetica, sans-serif';\n",
	"var zoom = 0, flipped = false, match = null, W = 0, H = 0, sc = 0, drawn = 0;\n",
	"\n",
	"function fmt(n) { return String(n).replace(/\\B(?=(\\d{3})+(?!\\d))/g, ','); }\n",
	"function pct(a, b) { return b > 0 ? (100 * a / b).toFixed(a === b || a === 0 ? 0 : 2) + '%' : '-'; }\n",
	"\n",
	"(function () {\n",
	"  var s = D.paths.map(function (f) { return f.path + (f.v8 ? ' (V8 ' + f.v8 + ')' : ''); }).join(', ');\n",
	"  var t = fmt(D.ticks) + ' ticks';\n",
	"  if (D.unaccounted) t += ', ' + fmt(D.unaccounted) + ' unaccounted';\n",
	"  if (D.excluded) t += ', ' + fmt(D.excluded) + ' excluded';\n",
	"  if (D.frameless) t += ', ' + fmt(D.frameless) + ' without frames (not shown)';\n",
	"  t += '; ' + fmt(TOTAL) + ' in the graph' + (D.merged ? ' (logs merged)' : '') + '. ' + s;\n",
	"  $('sub').textContent = t;\n",
	"  var sum = {}, order = [];\n",
	"  for (var k = 0; k < N; k++) { var kn = kinds[kindOf[nm[k]]]; sum[kn] = (sum[kn] || 0) + self[k]; }\n",
	"  for (var key in KINDS) if (key in sum && key !== 'root') order.push(key);\n",
	"  var lg = $('legend'), hd = document.createElement('span');\n",
	"  hd.textContent = 'Self time by kind:';\n",
	"  lg.appendChild(hd);\n",
	"  order.forEach(function (key) {\n",
	"    var kd = KINDS[key], e = document.createElement('span'), sw = document.createElement('span');\n",
	"    sw.className = 'sw'; sw.style.background = 'hsl(' + kd[1] + ',' + kd[2] + '%,' + kd[3] + '%)';\n",
	"    e.appendChild(sw); e.appendChild(document.createTextNode(kd[0] + ' ' + pct(sum[key], TOTAL)));\n",
	"    e.title = fmt(sum[key]) + ' ticks in frames of this kind (self)';\n",
	"    lg.appendChild(e);\n",
	"  });\n",
	"})();\n",
	"\n",
	"function rowY(d) { return flipped ? H - (d + 1) * RH : d * RH; }\n",
	"\n",
	"function box(k, x, w, c) {\n",
	"  var y = rowY(dep[k]);\n",
	"  ctx.fillStyle = c;\n",
	"  ctx.fillRect(x, y, w > 2 ? w - 0.5 : w, RH - 1);\n",
	"  drawn++;\n",
	"  if (w < 24) return;\n",
	"  var t = k === 0 ? 'all (' + fmt(TOTAL) + ' ticks)' : label[nm[k]], avail = w - 6;\n",
	"  var tw = ctx.measureText(t).width;\n",
	"  if (tw > avail) {\n",
	"    var n = Math.floor(t.length * avail / tw);\n",
	"    for (; n > 0; n--) { var u = t.slice(0, n) + '\\u2026'; if (ctx.measureText(u).width <= avail) { t = u; break; } }\n",
	"    if (n <= 0) return;\n",
	"  }\n",
	"  var kn = kinds[kindOf[nm[k]]];\n",
	"  ctx.fillStyle = kn === 'isolate' ? '#fff' : '#111';\n",
	"  ctx.fillText(t, x + 3, y + RH / 2);\n",
	"}\n",
	"\n",
	"function color(k, inZoom) {\n",
	"  if (match && !match[nm[k]]) return faded[nm[k]];\n",
	"  return inZoom ? col[nm[k]] : faded[nm[k]];\n",
	"}\n",
	"\n",
	"function draw() {\n",
	"  var dpr = window.devicePixelRatio || 1;\n",
	"  W = Math.max(200, wrap.clientWidth);\n",
	"  var md = dep[zoom];\n",
	"  for (var j = zoom; j < end[zoom]; j++) if (dep[j] > md) md = dep[j];\n",
	"  H = (md + 1) * RH;\n",
	"  canvas.width = Math.round(W * dpr); canvas.height = Math.round(H * dpr);\n",
	"  canvas.style.width = W + 'px'; canvas.style.height = H + 'px';\n",
	"  ctx.setTransform(dpr, 0, 0, dpr, 0, 0);\n",
	"  ctx.clearRect(0, 0, W, H);\n",
	"  ctx.font = FONT; ctx.textBaseline = 'middle';\n",
	"  drawn = 0;\n",
	"  if (!N || TOTAL <= 0) { ctx.fillStyle = '#555'; ctx.fillText('no ticks with frames in this profile', 4, RH / 2); return; }\n",
	"  sc = W / tot[zoom];\n",
	"  for (var a = par[zoom]; a >= 0; a = par[a]) box(a, 0, W, color(a, false));\n",
	"  var z0 = start[zoom], k = zoom, e = end[zoom];\n",
	"  while (k < e) {\n",
	"    var w = tot[k] * sc;\n",
	"    if (w < MINW) { k = end[k]; continue; }\n",
	"    box(k, (start[k] - z0) * sc, w, color(k, true));\n",
	"    k++;\n",
	"  }\n",
	"  $('reset').disabled = zoom === 0;\n",
	"  $('zoomed').textContent = zoom ? 'Zoomed into: ' + label[nm[zoom]] + ' (' + pct(tot[zoom], TOTAL) + ')' : '';\n",
	"  if (pointer) showTip(pointer[0], pointer[1]); /* the tip of what is under it now */\n",
	"}\n",
	"\n",
	"function hit(mx, my) {\n",
	"  if (!N || TOTAL <= 0) return -1;\n",
	"  var row = Math.floor(flipped ? (H - my) / RH : my / RH);\n",
	"  if (row < 0 || (row + 1) * RH > H) return -1;\n",
	"  if (row < dep[zoom]) { var a = zoom; while (dep[a] > row) a = par[a]; return a; }\n",
	"  var t = start[zoom] + mx / sc, k = zoom;\n",
	"  if (t < start[zoom] || t >= start[zoom] + tot[zoom]) return -1;\n",
	"  while (dep[k] < row) {\n",
	"    var c = k + 1, f = -1;\n",
	"    while (c < end[k]) { if (t >= start[c] && t < start[c] + tot[c]) { f = c; break; } c = end[c]; }\n",
	"    if (f < 0) return -1;\n",
	"    k = f;\n",
	"  }\n",
	"  return tot[k] * sc >= MINW ? k : -1;\n",
	"}\n",
	"\n",
	"function esc(s) { return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;'); }\n",
	"\n",
	"function frameX(k) {\n",
	"  return dep[k] < dep[zoom] || k === zoom ? [0, W] : [(start[k] - start[zoom]) * sc, tot[k] * sc];\n",
	"}\n",
	"\n",
	"/* the tip and highlight of the frame under the pointer at (cx, cy); redone\n",
	" * after every redraw (a zoom, a flip, a search), so they never describe a\n",
	" * frame the pointer is no longer over */\n",
	"var pointer = null;\n",
	"function showTip(cx, cy) {\n",
	"  var r = canvas.getBoundingClientRect(), k = hit(cx - r.left, cy - r.top);\n",
	"  if (k < 0) { tip.style.display = hl.style.display = 'none'; return; }\n",
	"  var kn = kinds[kindOf[nm[k]]], s = '<b>' + esc(k === 0 ? 'all' : names[nm[k]]) + '</b><br>';\n",
	"  s += '<span class=\"k\">' + esc((KINDS[kn] || KINDS.unknown)[0]) + '</span><br>';\n",
	"  s += 'total: ' + fmt(tot[k]) + ' ticks, ' + pct(tot[k], TOTAL);\n",
	"  if (zoom && dep[k] >= dep[zoom]) s += ' (' + pct(tot[k], tot[zoom]) + ' of the zoomed frame)';\n",
	"  s += '<br>self: ' + fmt(self[k]) + ' ticks, ' + pct(self[k], TOTAL);\n",
	"  tip.innerHTML = s;\n",
	"  tip.style.display = 'block';\n",
	"  var tx = cx + 14, ty = cy + 16;\n",
	"  if (tx + tip.offsetWidth > window.innerWidth - 4) tx = Math.max(4, cx - tip.offsetWidth - 10);\n",
	"  if (ty + tip.offsetHeight > window.innerHeight - 4) ty = Math.max(4, cy - tip.offsetHeight - 10);\n",
	"  tip.style.left = tx + 'px'; tip.style.top = ty + 'px';\n",
	"  var fx = frameX(k);\n",
	"  hl.style.display = 'block';\n",
	"  hl.style.left = fx[0] + 'px'; hl.style.width = Math.max(1, fx[1]) + 'px';\n",
	"  hl.style.top = rowY(dep[k]) + 'px'; hl.style.height = RH + 'px';\n",
	"}\n",
	"canvas.addEventListener('mousemove', function (ev) { pointer = [ev.clientX, ev.clientY]; showTip(ev.clientX, ev.clientY); });\n",
	"canvas.addEventListener('mouseleave', function () { pointer = null; tip.style.display = hl.style.display = 'none'; });\n",
	"canvas.addEventListener('click', function (ev) {\n",
	"  var r = canvas.getBoundingClientRect(), k = hit(ev.clientX - r.left, ev.clientY - r.top);\n",
	"  if (k >= 0) setZoom(k);\n",
	"});\n",
	"\n",
	"function saveState() {\n",
	"  var h = [];\n",
	"  if (zoom) h.push('zoom=' + zoom);\n",
	"  if ($('search').value) h.push('search=' + encodeURIComponent($('search').value));\n",
	"  if (flipped) h.push('flip=1');\n",
	"  try { history.replaceState(null, '', h.length ? '#' + h.join('&') : location.pathname + location.search); } catch (e) { }\n",
	"}\n",
	"function setZoom(k) { zoom = k; hl.style.display = 'none'; draw(); saveState(); }\n",
	"\n",
	"function search(q) {\n",
	"  match = null;\n",
	"  var out = $('match');\n",
	"  out.textContent = '';\n",
	"  if (q) {\n",
	"    var re = null, m = /^\\/(.+)\\/([a-z]*)$/.exec(q);\n",
	"    if (m) { try { re = new RegExp(m[1], m[2].replace(/[gy]/g, '')); } catch (e) { out.textContent = 'bad regex'; } }\n",
	"    var lq = q.toLowerCase();\n",
	"    match = new Uint8Array(names.length);\n",
	"    for (var k = 0; k < names.length; k++) {\n",
	"      if (kinds[kindOf[k]] === 'root') continue;\n",
	"      match[k] = re ? re.test(names[k]) : names[k].toLowerCase().indexOf(lq) >= 0;\n",
	"    }\n",
	"    var sum = 0, n = 0, j = 0;\n",
	"    while (j < N) { if (match[nm[j]]) { sum += tot[j]; n++; j = end[j]; } else j++; }\n",
	"    if (!out.textContent) out.textContent = 'Matched: ' + pct(sum, TOTAL) + ' (' + fmt(sum) + ' of ' + fmt(TOTAL) + ' ticks)';\n",
	"  }\n",
	"  draw(); saveState();\n",
	"}\n",
	"\n",
	"$('reset').addEventListener('click', function () { setZoom(0); });\n",
	"$('flip').addEventListener('click', function () {\n",
	"  flipped = !flipped;\n",
	"  this.textContent = flipped ? 'Root at top' : 'Root at bottom';\n",
	"  hl.style.display = 'none';\n",
	"  draw(); saveState();\n",
	"});\n",
	"$('search').addEventListener('input', function () { search(this.value); });\n",
	"document.addEventListener('keydown', function (ev) {\n",
	"  if (ev.key === 'Escape') { if (document.activeElement === $('search')) { $('search').value = ''; search(''); } else setZoom(0); }\n",
	"  else if (ev.key === '/' && document.activeElement !== $('search')) { ev.preventDefault(); $('search').focus(); }\n",
	"});\n",
	"var rt = 0;\n",
	"window.addEventListener('resize', function () { clearTimeout(rt); rt = setTimeout(draw, 60); });\n",
	"\n",
	"(function () {\n",
	"  var h = location.hash.slice(1).split('&');\n",
	"  for (var k = 0; k < h.length; k++) {\n",
	"    var kv = h[k].split('='), v = decodeURIComponent(kv.slice(1).join('=') || '');\n",
	"    if (kv[0] === 'zoom' && +v > 0 && +v < N) zoom = +v;\n",
	"    if (kv[0] === 'search') $('search').value = v;\n",
	"    if (kv[0] === 'flip' && v === '1') { flipped = true; $('flip').textContent = 'Root at top'; }\n",
	"  }\n",
	"})();\n",
	"if ($('search').value) search($('search').value); else draw();\n",
	"html.setAttribute('data-ticks', 'ok nodes=' + N + ' drawn=' + drawn + ' total=' + TOTAL + ' zoom=' + zoom + ($('match').textContent ? ' ' + $('match').textContent : ''));\n",
	"})();\n",
	"</script>\n",
	"</body>\n",
	"</html>\n",
	NULL
};

static void put_lines(FILE *out, const char *const *v)
{
	for (; *v; v++)
		fputs(*v, out);
}

int tk_export_html(FILE *out, const struct tk_export *x, struct tk_diag *d)
{
	struct page pg = {0};
	tk_hashidx_init(&pg.idx);
	add_name(&pg, "all", 3, TK_HK_ROOT);
	if (tk_export_isolate_root(x)) {
		size_t n = 0;
		for (size_t i = 0; i < x->n; i++)
			n += x->isos[i]->prof.top_down.v[0].total > 0;
		put_node(&pg, 0, 0, n);
		pg.owned = tk_xcalloc(x->n, sizeof *pg.owned);
		for (size_t i = 0; i < x->n; i++) {
			if (x->isos[i]->prof.top_down.v[0].total == 0)
				continue;
			struct tk_buf b = {0};
			tk_buf_printf(&b, "isolate %zu: %s", i + 1, x->isos[i]->path);
			pg.owned[pg.n_owned++] = b.p;
			struct member m = { x->isos[i], 0 };
			emit(&pg, &m, 1, add_name(&pg, b.p, b.len, TK_HK_ISOLATE));
		}
	} else {
		struct member *m = tk_xmalloc((x->n ? x->n : 1) * sizeof *m);
		for (size_t i = 0; i < x->n; i++)
			m[i] = (struct member){ x->isos[i], 0 };
		emit(&pg, m, x->n, 0);
		free(m);
	}
	int rc = 0;
	put_lines(out, page_a);
	fputs("ticks: ", out);
	put_paths(out, x);
	put_lines(out, page_b);
	put_paths(out, x);
	put_lines(out, page_c);
	if (put_data(out, x, &pg, d) < 0)
		rc = -1;
	put_lines(out, page_d);
	for (size_t i = 0; i < pg.n_owned; i++)
		free(pg.owned[i]);
	free(pg.owned);
	free(pg.names);
	tk_hashidx_release(&pg.idx);
	free(pg.nodes);
	return rc;
}
