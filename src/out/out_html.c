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
 * "ok ..." after drawing (or "error: ...") for headless checks. The
 * page's fixed text (CSS, markup, script) is out_html_page.c. */
#include <stdlib.h>
#include <string.h>
#include "out/export.h"
#include "out/out_html_page.h"
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
	put_lines(out, tk_html_page_a);
	fputs("ticks: ", out);
	put_paths(out, x);
	put_lines(out, tk_html_page_b);
	put_paths(out, x);
	put_lines(out, tk_html_page_c);
	if (put_data(out, x, &pg, d) < 0)
		rc = -1;
	put_lines(out, tk_html_page_d);
	for (size_t i = 0; i < pg.n_owned; i++)
		free(pg.owned[i]);
	free(pg.owned);
	free(pg.names);
	tk_hashidx_release(&pg.idx);
	free(pg.nodes);
	return rc;
}
