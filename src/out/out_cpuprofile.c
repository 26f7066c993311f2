/* out_cpuprofile: Chrome DevTools .cpuprofile (the DevTools protocol's
 * Profiler.Profile as one JSON object), for DevTools, VS Code, speedscope.
 *
 * Nodes: the top-down tree, root "(root)" id 1, nodes in tree order
 * (parents before children), id = tree index + the tree's base id. With
 * several logs and no merge, the root's children are one node per log
 * ("isolate N: PATH"), each heading that log's tree; with --merge the
 * trees are summed under the root. hitCount is the number of samples
 * whose leaf is the node, so it sums to samples.length. A --lines JS
 * frame ("JS: *f a.js:12", no column) with hits also has positionTicks
 * [{line: 12, ticks: hitCount}] (1-based, as DevTools wants them).
 *
 * callFrame from the frame's record (frame.h): JS function code gives
 * functionName = the function ("" when anonymous: DevTools shows
 * "(anonymous)"), url = the script as V8 logged it (what V8's own profiler
 * puts there), 0-based lineNumber/columnNumber (the log's are 1-based),
 * scriptId a number per distinct url in order of first use ("0": none).
 * Other JIT code (builtins, stubs, regexps, handlers) keeps its whole name
 * ("Builtin: SubString") with url "". C++ symbols: functionName = the
 * symbol, url = its library; a library-level frame: both are the library.
 * UNKNOWN (a pc nothing covers) is "(program)" directly under a root, as
 * DevTools names unattributed native time, and "(unknown)" deeper down: a
 * nested "(program)" would be moved onto the previous stack by speedscope.
 * A tick with no frame left (all dropped by --separate-*=false) goes to a
 * pseudo-node under its root by VM state: "(garbage collector)", "(idle)",
 * else "(program)" (the root's UNKNOWN child when there is one). Positions are -1 when unknown. Tiers are not shown:
 * one function at two tiers is two sibling nodes with one callFrame.
 *
 * Times (us): samples in log order; startTime = the first log's earliest
 * tick, endTime = the last tick + the sampling interval (profiler,begin;
 * 1000 if the log has none), so that each sample owns one interval, as in
 * profiles V8 writes. timeDeltas are differences of the running maximum
 * of the tick times (never negative; a tick logged out of order gets 0),
 * so sum(timeDeltas) = last tick - startTime = endTime - startTime -
 * interval. Several logs without merge: each log's timeline is shifted to
 * start where the previous one ended (its last tick + interval), samples
 * concatenated in argument order. With merge: all samples ordered by their
 * logged times (ties: argument order, then log order); each log's clock
 * starts when its isolate's logger did, so workers line up only roughly. */
#include <stdlib.h>
#include <string.h>
#include "out/export.h"
#include "base/frame.h"
#include "base/hashidx.h"
#include "base/json.h"
#include "base/util.h"


static const char *const syn_name[TK_SYN_COUNT] = { "(program)", "(garbage collector)", "(idle)" };

struct script {
	const char *s;
	size_t n;
};

/* url -> scriptId: script i has id i + 1 */
struct scripts {
	struct script *v;
	size_t count, cap;
	struct tk_hashidx idx;   /* url -> index into v */
};

/* one tree to write: nodes get ids base + index, its pseudo-nodes
 * base + n + SYN_* */
struct part {
	const struct tk_tree *t;
	const struct tk_names *names;
	uint32_t base;
	uint64_t *hits;       /* t->n + TK_SYN_COUNT */
	char *label;          /* node 0 is this isolate root; NULL: "(root)" */
	uint32_t program;     /* the root's UNKNOWN child, 0 if none */
};

/* one sample on the output timeline */
struct tl {
	uint64_t time;
	uint32_t iso;
	uint32_t node;        /* tree node, or (with syn) 0 */
	size_t seq;
	int syn;              /* SYN_* when node is 0 */
};

static uint32_t script_id(struct scripts *t, const char *s, size_t n)
{
	struct tk_hashidx_probe pr;
	uint32_t i = tk_hashidx_first(&t->idx, &pr, tk_hash(s, n));
	for (; i != TK_HASHIDX_NONE; i = tk_hashidx_next(&t->idx, &pr))
		if (t->v[i].n == n && memcmp(t->v[i].s, s, n) == 0)
			return i + 1;
	tk_xgrow((void **)&t->v, &t->cap, t->count + 1, sizeof *t->v);
	t->v[t->count] = (struct script){ s, n };
	tk_hashidx_add_at(&t->idx, &pr, (uint32_t)t->count);
	return (uint32_t)++t->count;
}

static void frame(struct tk_json *j, const char *fn, size_t fnl, const char *url, size_t urll,
		  uint32_t sid, long line, long col)
{
	char id[16];
	snprintf(id, sizeof id, "%u", (unsigned)sid);
	tk_json_key(j, "callFrame");
	tk_json_obj(j);
	tk_json_key(j, "functionName");
	tk_json_strn(j, fn, fnl);
	tk_json_key(j, "scriptId");
	tk_json_str(j, id);
	tk_json_key(j, "url");
	tk_json_strn(j, url, urll);
	tk_json_key(j, "lineNumber");
	tk_json_i64(j, line);
	tk_json_key(j, "columnNumber");
	tk_json_i64(j, col);
	tk_json_end(j);
}

static void pseudo_frame(struct tk_json *j, const char *fn)
{
	frame(j, fn, strlen(fn), "", 0, 0, -1, -1);
}

/* the callFrame of a tree node's name; top: directly under a root */
static void name_frame(struct tk_json *j, struct scripts *sc, const struct tk_name *nm, int top)
{
	const struct tk_frame_rec *fi = &nm->frame;
	const char *fn = nm->str, *url = "";
	size_t fnl = nm->len, urll = 0;
	uint32_t sid = 0;
	long line = -1, col = -1;
	switch (fi->kind) {
	case TK_KIND_UNKNOWN:
		fn = top ? "(program)" : "(unknown)";
		fnl = strlen(fn);
		break;
	case TK_KIND_CPP:
		if (nm->frame.lib) {
			url = nm->frame.lib->str;
			urll = nm->frame.lib->len;
		}
		break;
	case TK_KIND_LIB:
		url = nm->str;
		urll = nm->len;
		break;
	default:
		if (!fi->is_func)
			break;
		fn = fi->func;
		fnl = fi->func_len;
		if (fnl == 11 && memcmp(fn, "<anonymous>", 11) == 0)
			fnl = 0;
		if (fi->script) {
			url = fi->script;
			urll = fi->script_len;
			sid = script_id(sc, url, urll);
			line = fi->line ? (long)fi->line - 1 : -1;
			col = fi->column ? (long)fi->column - 1 : -1;
		}
	}
	frame(j, fn, fnl, url, urll, sid, line, col);
}

/* --lines: a JS frame at one line has all its hits there (DevTools'
 * per-line costs) */
static void position_ticks(struct tk_json *j, const struct tk_name *nm, uint64_t hits)
{
	const struct tk_frame_rec *fi = &nm->frame;
	if (!fi->is_func || !fi->script || !fi->line || fi->column)
		return;
	tk_json_key(j, "positionTicks");
	tk_json_arr(j);
	tk_json_obj(j);
	tk_json_key(j, "line");
	tk_json_u64(j, fi->line);
	tk_json_key(j, "ticks");
	tk_json_u64(j, hits);
	tk_json_end(j);
	tk_json_end(j);
}

static void write_part(struct tk_json *j, struct scripts *sc, const struct part *p)
{
	const struct tk_tree *t = p->t;
	for (size_t i = 0; i < t->n; i++) {
		const struct tk_node *nd = &t->v[i];
		tk_json_obj(j);
		tk_json_key(j, "id");
		tk_json_u64(j, p->base + i);
		if (i > 0)
			name_frame(j, sc, tk_names_get(p->names, nd->name), nd->parent == 0);
		else
			pseudo_frame(j, p->label ? p->label : "(root)");
		tk_json_key(j, "hitCount");
		tk_json_u64(j, p->hits[i]);
		if (i > 0 && p->hits[i])
			position_ticks(j, tk_names_get(p->names, nd->name), p->hits[i]);
		int any = nd->first_child != 0;
		for (int k = 0; i == 0 && k < TK_SYN_COUNT; k++)
			any |= p->hits[t->n + k] != 0;
		if (any) {
			tk_json_key(j, "children");
			tk_json_arr(j);
			for (uint32_t c = nd->first_child; c; c = t->v[c].next)
				tk_json_u64(j, p->base + c);
			for (int k = 0; i == 0 && k < TK_SYN_COUNT; k++)
				if (p->hits[t->n + k])
					tk_json_u64(j, p->base + t->n + k);
			tk_json_end(j);
		}
		tk_json_end(j);
	}
	for (int k = 0; k < TK_SYN_COUNT; k++) {
		if (!p->hits[t->n + k])
			continue;
		tk_json_obj(j);
		tk_json_key(j, "id");
		tk_json_u64(j, p->base + t->n + k);
		pseudo_frame(j, syn_name[k]);
		tk_json_key(j, "hitCount");
		tk_json_u64(j, p->hits[t->n + k]);
		tk_json_end(j);
	}
}

static int cmp_tl(const void *a, const void *b)
{
	const struct tl *x = a, *y = b;
	if (x->time != y->time)
		return x->time < y->time ? -1 : 1;
	if (x->iso != y->iso)
		return x->iso < y->iso ? -1 : 1;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

/* the merged tree of all logs; fills v[k].node with merged leaves */
static void merge_trees(const struct tk_export *x, struct tk_tree *m, struct tl *v)
{
	uint32_t *path = NULL;
	size_t path_cap = 0, k = 0;
	for (size_t i = 0; i < x->n; i++) {
		const struct tk_profile *p = &x->isos[i]->prof;
		const struct tk_tree *t = &p->top_down;
		uint32_t *map = tk_xcalloc(t->n, sizeof *map);
		for (size_t s = 0; s < p->n_samples; s++, k++) {
			uint32_t node = p->samples[s].node;
			if (node && !map[node]) {
				size_t depth = 0;
				for (uint32_t a = node; a; a = t->v[a].parent) {
					tk_xgrow((void **)&path, &path_cap, depth + 1, sizeof *path);
					path[depth++] = t->v[a].name;
				}
				map[node] = tk_tree_add(m, path, depth, 1);
			}
			v[k].node = map[node];
		}
		free(map);
	}
	free(path);
}

int tk_export_cpuprofile(FILE *out, const struct tk_export *x, struct tk_diag *d)
{
	size_t total = 0;
	for (size_t i = 0; i < x->n; i++) {
		total += x->isos[i]->prof.n_samples;
		if (x->merge && x->isos[i]->names != x->isos[0]->names) {
			/* merging matches frames by name id */
			tk_diag_set(d, TK_EXIT_SYSTEM, "cpuprofile: logs read with different name tables");
			return -1;
		}
	}
	/* the samples in output order, with their unshifted times */
	struct tl *v = tk_xmalloc((total ? total : 1) * sizeof *v);
	size_t k = 0;
	for (size_t i = 0; i < x->n; i++) {
		const struct tk_profile *p = &x->isos[i]->prof;
		for (size_t s = 0; s < p->n_samples; s++, k++) {
			const struct tk_sample *sm = &p->samples[s];
			v[k] = (struct tl){ sm->time, (uint32_t)i, sm->node, s,
					    sm->node ? 0 : tk_export_syn_of(x->isos[i], sm->state) };
		}
	}
	uint64_t start = 0, end = 0;
	int have = 0;
	struct tk_tree merged;
	int use_merged = x->n > 1 && x->merge;
	size_t nparts = tk_export_isolate_root(x) ? x->n : 1;
	struct part *parts = tk_xcalloc(nparts, sizeof *parts);
	if (nparts == 1) {
		const struct tk_tree *t = &x->isos[0]->prof.top_down;
		if (use_merged) {
			tk_tree_init(&merged);
			merge_trees(x, &merged, v);
			qsort(v, total, sizeof *v, cmp_tl);
			t = &merged;
		}
		parts[0] = (struct part){ t, x->isos[0]->names, 1, NULL, NULL, 0 };
		for (size_t i = 0; i < total; i++) {
			uint64_t e = v[i].time + tk_export_interval_us(x->isos[v[i].iso]);
			if (!have || v[i].time < start)
				start = v[i].time;
			if (!have || e > end)
				end = e;
			have = 1;
		}
	} else {
		uint32_t base = 2;
		size_t at = 0;
		for (size_t i = 0; i < x->n; i++) {
			const struct tk_isolate *iso = x->isos[i];
			struct tk_buf b = {0};
			tk_buf_printf(&b, "isolate %zu: %s", i + 1, iso->path);
			parts[i] = (struct part){ &iso->prof.top_down, iso->names, base, NULL, b.p, 0 };
			base += (uint32_t)(iso->prof.top_down.n + TK_SYN_COUNT);
			size_t n = iso->prof.n_samples;
			if (!n)
				continue;
			uint64_t lo = v[at].time, hi = v[at].time;
			for (size_t s = at; s < at + n; s++) {
				lo = v[s].time < lo ? v[s].time : lo;
				hi = v[s].time > hi ? v[s].time : hi;
			}
			if (!have)
				start = end = lo;
			have = 1;
			/* this log starts where the previous one ended */
			for (size_t s = at; s < at + n; s++)
				v[s].time = v[s].time - lo + end;
			end += hi - lo + tk_export_interval_us(iso);
			at += n;
		}
	}
	/* hits and ids; frameless ticks in no particular state join the
	 * root's "(program)" child when it has one */
	for (size_t i = 0; i < nparts; i++) {
		const struct tk_tree *t = parts[i].t;
		parts[i].hits = tk_xcalloc(t->n + TK_SYN_COUNT, sizeof *parts[i].hits);
		for (uint32_t c = t->v[0].first_child; c; c = t->v[c].next)
			if (tk_names_get(parts[i].names, t->v[c].name)->kind == TK_KIND_UNKNOWN)
				parts[i].program = c;
	}
	uint32_t *ids = tk_xmalloc((total ? total : 1) * sizeof *ids);
	for (size_t s = 0; s < total; s++) {
		struct part *p = &parts[nparts == 1 ? 0 : v[s].iso];
		size_t leaf = v[s].node ? v[s].node :
			      v[s].syn == TK_SYN_PROGRAM && p->program ? p->program : p->t->n + (size_t)v[s].syn;
		p->hits[leaf]++;
		ids[s] = p->base + (uint32_t)leaf;
	}

	struct tk_json *j = tk_xmalloc(sizeof *j);
	struct scripts sc = {0};
	tk_json_init(j, out, 0);
	tk_json_obj(j);
	tk_json_key(j, "nodes");
	tk_json_arr(j);
	if (nparts > 1) {
		tk_json_obj(j);
		tk_json_key(j, "id");
		tk_json_u64(j, 1);
		pseudo_frame(j, "(root)");
		tk_json_key(j, "hitCount");
		tk_json_u64(j, 0);
		tk_json_key(j, "children");
		tk_json_arr(j);
		for (size_t i = 0; i < nparts; i++)
			tk_json_u64(j, parts[i].base);
		tk_json_end(j);
		tk_json_end(j);
	}
	for (size_t i = 0; i < nparts; i++)
		write_part(j, &sc, &parts[i]);
	tk_json_end(j);
	tk_json_key(j, "startTime");
	tk_json_u64(j, start);
	tk_json_key(j, "endTime");
	tk_json_u64(j, end);
	tk_json_key(j, "samples");
	tk_json_arr(j);
	for (size_t s = 0; s < total; s++)
		tk_json_u64(j, ids[s]);
	tk_json_end(j);
	tk_json_key(j, "timeDeltas");
	tk_json_arr(j);
	uint64_t prev = start;
	for (size_t s = 0; s < total; s++) {
		uint64_t t = v[s].time > prev ? v[s].time : prev;
		tk_json_u64(j, t - prev);
		prev = t;
	}
	tk_json_end(j);
	tk_json_end(j);

	for (size_t i = 0; i < nparts; i++) {
		free(parts[i].hits);
		free(parts[i].label);
	}
	free(parts);
	if (use_merged)
		tk_tree_release(&merged);
	free(sc.v);
	tk_hashidx_release(&sc.idx);
	free(j);
	free(ids);
	free(v);
	if (ferror(out)) {
		tk_diag_set(d, TK_EXIT_SYSTEM, "error writing the cpuprofile");
		return -1;
	}
	return 0;
}
