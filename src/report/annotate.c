/* annotate: names -> (function, line) slots, flat from the self counts,
 * cum from one walk of the top-down tree, then one listing per function. */
#include <regex.h>
#include <stdlib.h>
#include <string.h>
#include "report/annotate.h"
#include "base/diag.h"
#include "base/escape.h"
#include "base/frame.h"
#include "base/hashidx.h"
#include "base/rematch.h"
#include "js/srcpos.h"

struct fn {
	char *key;                  /* "FUNC\tFILE" */
	size_t func_len;            /* FUNC is key[0..func_len) */
	uint64_t flat, cum;
	uint32_t on_path;
	unsigned lo, hi;            /* lines with ticks */
	uint32_t slots;             /* its first slot + 1, 0: none */
};

struct slot {
	uint32_t fn;
	unsigned line;
	uint64_t flat, cum;
	uint32_t on_path;
	uint32_t next;              /* the function's next slot + 1, 0: none */
};

struct ann {
	struct fn *fns;
	size_t n_fns, cap_fns;
	struct slot *slots;
	size_t n_slots, cap_slots;
	uint32_t *by_name;          /* name id -> slot + 1 (0: not a listed frame) */
	struct tk_hashidx fn_idx, slot_idx;
	const struct tk_tree *t;
};

static int fn_eq(const void *ctx, uint32_t i, const void *key)
{
	const struct fn *v = ctx;
	return strcmp(v[i].key, key) == 0;
}

/* key: NUL-terminated at kn */
static uint32_t fn_index(struct ann *a, const char *key, size_t kn, size_t func_len)
{
	uint32_t h = tk_hash(key, kn);
	uint32_t i = tk_hashidx_find(&a->fn_idx, h, fn_eq, a->fns, key);
	if (i != TK_HASHIDX_NONE)
		return i;
	tk_hashidx_add(&a->fn_idx, h, (uint32_t)a->n_fns);
	tk_xgrow((void **)&a->fns, &a->cap_fns, a->n_fns + 1, sizeof *a->fns);
	struct fn *f = &a->fns[a->n_fns];
	memset(f, 0, sizeof *f);
	f->key = tk_xmalloc(kn + 1);
	memcpy(f->key, key, kn);
	f->key[kn] = 0;
	f->func_len = func_len;
	return (uint32_t)a->n_fns++;
}

static int slot_eq(const void *ctx, uint32_t i, const void *key)
{
	const struct slot *v = ctx, *k = key;
	return v[i].fn == k->fn && v[i].line == k->line;
}

static uint32_t slot_index(struct ann *a, uint32_t fn, unsigned line)
{
	struct slot key = { .fn = fn, .line = line };
	uint32_t h = tk_hashidx_u64((uint64_t)fn << 32 | line);
	uint32_t i = tk_hashidx_find(&a->slot_idx, h, slot_eq, a->slots, &key);
	if (i != TK_HASHIDX_NONE)
		return i;
	tk_hashidx_add(&a->slot_idx, h, (uint32_t)a->n_slots);
	tk_xgrow((void **)&a->slots, &a->cap_slots, a->n_slots + 1, sizeof *a->slots);
	a->slots[a->n_slots] = (struct slot){ .fn = fn, .line = line, .next = a->fns[fn].slots };
	a->fns[fn].slots = (uint32_t)a->n_slots + 1;
	return (uint32_t)a->n_slots++;
}

/* a node entered: its ticks count once per slot and function on the path */
static void enter(struct ann *a, uint32_t node)
{
	uint32_t k = a->by_name[a->t->v[node].name];
	if (k) {
		struct slot *s = &a->slots[k - 1];
		struct fn *f = &a->fns[s->fn];
		if (!s->on_path++)
			s->cum += a->t->v[node].total;
		if (!f->on_path++)
			f->cum += a->t->v[node].total;
	}
}

static void leave(struct ann *a, uint32_t node)
{
	uint32_t k = a->by_name[a->t->v[node].name];
	if (k) {
		a->slots[k - 1].on_path--;
		a->fns[a->slots[k - 1].fn].on_path--;
	}
}

/* every node below the root, depth first without recursion (a path can
 * be TK_MAX_FRAMES deep): down the first child, else the next sibling,
 * else back up through the parents */
static void walk(struct ann *a)
{
	const struct tk_node *v = a->t->v;
	uint32_t node = v[0].first_child;
	while (node) {
		enter(a, node);
		if (v[node].first_child) {
			node = v[node].first_child;
			continue;
		}
		for (;;) {
			leave(a, node);
			if (v[node].next) {
				node = v[node].next;
				break;
			}
			node = v[node].parent;
			if (!node)
				break;
		}
	}
}

static int cmp_fn(const void *x, const void *y)
{
	const struct fn *p = *(struct fn *const *)x, *q = *(struct fn *const *)y;
	if (p->cum != q->cum)
		return p->cum > q->cum ? -1 : 1;
	if (p->flat != q->flat)
		return p->flat > q->flat ? -1 : 1;
	return strcmp(p->key, q->key);
}

static void dot(FILE *out, uint64_t v)
{
	if (v)
		fprintf(out, "%10llu", (unsigned long long)v);
	else
		fprintf(out, "%10s", ".");
}

static void listing(FILE *out, const struct tk_isolate *iso, struct ann *a, struct fn *f, uint32_t fi)
{
	const char *file = f->key + f->func_len + 1;
	unsigned first = f->lo, last = f->hi;
	tk_srcpos_func_lines(iso->srcpos, f->key, strlen(f->key), &first, &last);
	if (f->lo < first)
		first = f->lo;
	if (f->hi > last)
		last = f->hi;
	if (first == 0)
		first = 1;
	size_t n = last >= first ? last - first + 1 : 0;
	uint64_t *flat = tk_xcalloc(n + 1, sizeof *flat), *cum = tk_xcalloc(n + 1, sizeof *cum);
	for (uint32_t k = f->slots; k; k = a->slots[k - 1].next) {
		const struct slot *sl = &a->slots[k - 1];
		if (sl->fn == fi && sl->line >= first && sl->line <= last) {
			flat[sl->line - first] += sl->flat;
			cum[sl->line - first] += sl->cum;
		}
	}
	fputs("ROUTINE ======================== ", out);
	tk_esc_fwrite(out, f->key, f->func_len);
	fputs(" in ", out);
	tk_esc_fputs(out, file);
	fputc('\n', out);
	uint64_t total = iso->prof.total;
	fprintf(out, "%10llu %10llu (flat, cum) %.2f%% of Total\n", (unsigned long long)f->flat,
		(unsigned long long)f->cum, total ? 100.0 * (double)f->cum / (double)total : 0.0);
	/* cold runs longer than 2 * ctx + 1 lines lose their middle */
	const size_t ctx = TK_ANNOTATE_CONTEXT;
	char *hide = tk_xcalloc(n + 1, 1);
	for (size_t i = 0; i < n;) {
		size_t j = i;
		while (j < n && !flat[j] && !cum[j])
			j++;
		if (j - i > 2 * ctx + 1)
			memset(hide + i + ctx, 1, j - i - 2 * ctx);
		i = j == i ? i + 1 : j;
	}
	for (size_t i = 0; i < n; i++) {
		if (hide[i]) {
			if (i == 0 || !hide[i - 1])
				fprintf(out, "%10s %10s %6s\n", ".", ".", "...");
			continue;
		}
		const char *s = "";
		size_t sn = 0;
		tk_srcpos_line_text(iso->srcpos, f->key, strlen(f->key), (unsigned)(first + i), &s, &sn);
		dot(out, flat[i]);
		fputc(' ', out);
		dot(out, cum[i]);
		fprintf(out, " %6zu:", first + i);
		tk_esc_fwrite_flags(out, s, sn, TK_ESC_KEEP_TAB);
		fputc('\n', out);
	}
	free(hide);
	free(flat);
	free(cum);
}

void tk_annotate(FILE *out, const struct tk_isolate *iso, const void *regex)
{
	struct ann a = { 0 };
	const struct tk_profile *p = &iso->prof;
	size_t nn = iso->names->count;
	a.by_name = tk_xcalloc(nn + 1, sizeof *a.by_name);
	a.t = &p->top_down;
	struct tk_buf key = { 0 };
	uint8_t *seen = tk_xcalloc(nn + 1, 1); /* each name looked at (and matched) once */
	/* the names the tree uses */
	for (size_t i = 1; i < a.t->n; i++) {
		uint32_t id = a.t->v[i].name;
		if (id >= nn || seen[id])
			continue;
		seen[id] = 1;
		const struct tk_name *nm = tk_names_get(iso->names, id);
		const struct tk_frame_rec *fi = &nm->frame;
		if (!fi->is_func || !fi->script || !fi->line)
			continue;
		tk_buf_reset(&key);
		tk_buf_add(&key, fi->func, fi->func_len);
		if (!tk_rematch(regex, key.p ? key.p : "", key.len))
			continue;
		tk_buf_addc(&key, '\t');
		tk_buf_add(&key, fi->script, fi->script_len);
		uint32_t f = fn_index(&a, key.p, key.len, fi->func_len);
		uint32_t s = slot_index(&a, f, fi->line);
		a.by_name[id] = s + 1;
		uint64_t self = id < p->self_cap ? p->self[id] : 0;
		a.slots[s].flat += self;
		a.fns[f].flat += self;
		if (!a.fns[f].lo || fi->line < a.fns[f].lo)
			a.fns[f].lo = fi->line;
		if (fi->line > a.fns[f].hi)
			a.fns[f].hi = fi->line;
	}
	tk_buf_free(&key);
	free(seen);
	walk(&a);
	struct fn **order = tk_xcalloc(a.n_fns + 1, sizeof *order);
	for (size_t i = 0; i < a.n_fns; i++)
		order[i] = &a.fns[i];
	qsort(order, a.n_fns, sizeof *order, cmp_fn);
	fprintf(out, "Total: %llu ticks\n", (unsigned long long)p->total);
	for (size_t i = 0; i < a.n_fns; i++)
		listing(out, iso, &a, order[i], (uint32_t)(order[i] - a.fns));
	if (!a.n_fns && !iso->opts->quiet)
		TK_WARN(ANNOTATE_NONE, iso->path);
	free(order);
	for (size_t i = 0; i < a.n_fns; i++)
		free(a.fns[i].key);
	free(a.fns);
	free(a.slots);
	free(a.by_name);
	tk_hashidx_release(&a.fn_idx);
	tk_hashidx_release(&a.slot_idx);
}
