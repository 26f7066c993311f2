/* preprocess_map: the reference's CodeMap (codemap.mjs) as JsonProfile
 * uses it: JIT code and SFI entries share one ordered tree (otree.h, a
 * treap; a splay tree there: only the observable semantics matter); library
 * ranges mark "static" pages, which are never looked up as JIT code. */
#include <stdlib.h>
#include <string.h>
#include "preprocess/preprocess_int.h"

/* Pages marked at most, per library and in all (4 GiB of 4 KiB pages; a
 * process maps well under 1 GiB of code): beyond, every page counts as
 * static, so a hostile range costs neither seconds nor gigabytes. */
#ifndef TK_PRE_MAX_PAGES   /* the fuzz build (FUZZ_SMALL) sets fewer */
#define TK_PRE_MAX_PAGES (1ull << 20)
#endif
#define MAX_PAGES ((uint64_t)TK_PRE_MAX_PAGES)

#define DYN(n) ((struct tk_pre_dyn *)(n)) /* node is first in it */

struct tk_pre_dyn *tk_pre_dyn_new(struct tk_pre *p, int64_t size, struct tk_pre_str name)
{
	struct tk_pre_dyn *d = p->free_dyn;
	if (d)
		p->free_dyn = d->next;
	else
		d = tk_arena_alloc(&p->arena, sizeof *d);
	memset(d, 0, sizeof *d);
	d->size = size;
	d->name = name;
	d->code_id = -1;
	d->func_id = -1;
	return d;
}

/* Freed once the current line is done: its handler may still use it. */
static void dyn_retire(struct tk_pre *p, struct tk_pre_dyn *d)
{
	d->next = p->retired;
	p->retired = d;
}

struct tk_pre_dyn *tk_pre_dyn_find(struct tk_pre *p, uint64_t key)
{
	return DYN(tk_otree_at(&p->dyn, key));
}

/* The entry with the greatest key <= key (findGreatestLessThan). */
static struct tk_pre_dyn *dyn_floor(struct tk_pre *p, uint64_t key)
{
	return DYN(tk_otree_floor(&p->dyn, key));
}

/* Inserts d at d->key unless the key is taken (then 0: the tree keeps
 * the old entry, as SplayTree.insert does). */
static int dyn_insert(struct tk_pre *p, struct tk_pre_dyn *d)
{
	return tk_otree_insert(&p->dyn, &d->node);
}

/* Takes the entry at key out of the tree (NULL if none). */
struct tk_pre_dyn *tk_pre_dyn_take(struct tk_pre *p, uint64_t key)
{
	return DYN(tk_otree_take(&p->dyn, key));
}

/* Removes the entry at key; it is retired (valid until the line ends). */
struct tk_pre_dyn *tk_pre_dyn_remove(struct tk_pre *p, uint64_t key)
{
	struct tk_pre_dyn *out = tk_pre_dyn_take(p, key);
	if (out)
		dyn_retire(p, out);
	return out;
}

/* CodeMap.deleteAllCoveredNodes_ on [start, end). */
static void dyn_delete_covered(struct tk_pre *p, int64_t start, int64_t end)
{
	int64_t a = end - 1;
	while (a >= start && a >= 0) {
		struct tk_pre_dyn *d = dyn_floor(p, (uint64_t)a);
		if (!d)
			break;
		int64_t s2 = (int64_t)d->key, e2 = s2 + d->size;
		a = s2 - 1;
		if (s2 < end && start < e2)
			tk_pre_dyn_remove(p, (uint64_t)s2);
	}
}

/* CodeMap.addCode: 1 if d went into the tree. */
int tk_pre_dyn_add(struct tk_pre *p, uint64_t start, struct tk_pre_dyn *d)
{
	dyn_delete_covered(p, (int64_t)start, (int64_t)start + d->size);
	d->key = start;
	if (dyn_insert(p, d))
		return 1;
	dyn_retire(p, d);
	return 0;
}

/* NameGenerator.getName on an entry's first lookup. */
static void dedupe(struct tk_pre *p, struct tk_pre_dyn *d)
{
	d->name_updated = 1;
	uint32_t h = tk_hash(d->name.s, d->name.n);
	if (p->n_known * 2 >= p->known_mask) {
		size_t nm = p->known_mask ? p->known_mask * 2 + 1 : 255;
		struct tk_pre_nameslot *nt = tk_xcalloc(nm + 1, sizeof *nt);
		for (size_t i = 0; p->known && i <= p->known_mask; i++) {
			if (!p->known[i].s)
				continue;
			size_t k = p->known[i].hash & nm;
			while (nt[k].s)
				k = (k + 1) & nm;
			nt[k] = p->known[i];
		}
		free(p->known);
		p->known = nt;
		p->known_mask = nm;
	}
	size_t k = h & p->known_mask;
	for (; p->known[k].s; k = (k + 1) & p->known_mask) {
		struct tk_pre_nameslot *s = &p->known[k];
		if (s->hash == h && s->n == d->name.n && memcmp(s->s, d->name.s, s->n) == 0) {
			tk_buf_reset(&p->tmp);
			tk_buf_add(&p->tmp, d->name.s, d->name.n);
			tk_buf_printf(&p->tmp, " {%u}", ++s->count);
			d->name = tk_pre_keep(p, p->tmp.p, p->tmp.len);
			return;
		}
	}
	p->known[k].s = d->name.s;
	p->known[k].n = d->name.n;
	p->known[k].hash = h;
	p->known[k].count = 0;
	p->n_known++;
}

/* The dynamic part of CodeMap.findAddress. */
struct tk_pre_dyn *tk_pre_dyn_lookup(struct tk_pre *p, uint64_t a)
{
	struct tk_pre_dyn *mn = DYN(tk_otree_first(&p->dyn)), *mx = DYN(tk_otree_last(&p->dyn));
	if (!mn)
		return NULL;
	if (a < mn->key || (int64_t)a >= (int64_t)mx->key + mx->size)
		return NULL;
	struct tk_pre_dyn *d = dyn_floor(p, a);
	if (!d || (int64_t)a >= (int64_t)d->key + d->size)
		return NULL;
	if (!d->name_updated)
		dedupe(p, d);
	return d;
}

/* --------------------------------------------------- libraries, pages */

static void page_mark(struct tk_pre *p, uint32_t key)
{
	if (p->n_pages * 2 >= p->pages_mask) {
		size_t nm = p->pages_mask ? p->pages_mask * 2 + 1 : 4095;
		uint64_t *nt = tk_xcalloc(nm + 1, sizeof *nt);
		for (size_t i = 0; p->pages && i <= p->pages_mask; i++) {
			if (!p->pages[i])
				continue;
			size_t k = (size_t)((p->pages[i] * 0x9e3779b97f4a7c15ull) >> 32) & nm;
			while (nt[k])
				k = (k + 1) & nm;
			nt[k] = p->pages[i];
		}
		free(p->pages);
		p->pages = nt;
		p->pages_mask = nm;
	}
	uint64_t v = (uint64_t)key + 1;
	size_t k = (size_t)((v * 0x9e3779b97f4a7c15ull) >> 32) & p->pages_mask;
	for (; p->pages[k]; k = (k + 1) & p->pages_mask)
		if (p->pages[k] == v)
			return;
	p->pages[k] = v;
	p->n_pages++;
}

/* Whether addr's page key ((addr / 4096) | 0) is marked. */
static int page_static(const struct tk_pre *p, uint64_t addr)
{
	if (p->all_pages)
		return 1;
	if (!p->pages)
		return 0;
	uint64_t v = (uint64_t)(uint32_t)(addr >> 12) + 1;
	size_t k = (size_t)((v * 0x9e3779b97f4a7c15ull) >> 32) & p->pages_mask;
	for (; p->pages[k]; k = (k + 1) & p->pages_mask)
		if (p->pages[k] == v)
			return 1;
	return 0;
}

/* CodeMap.addLibrary: pages start..end (inclusive) marked; the range
 * kept only if no library starts there yet. */
void tk_pre_lib_add(struct tk_pre *p, uint64_t start, int64_t size, int32_t code_id)
{
	if (size >= 0) {
		uint64_t pages = (uint64_t)size / 4096 + 1;
		if (pages > MAX_PAGES || p->n_pages + pages > MAX_PAGES)
			p->all_pages = 1;
		if (!p->all_pages)
			for (uint64_t a = start, i = 0; i < pages; i++, a += 4096)
				page_mark(p, (uint32_t)(a >> 12));
	}
	size_t lo = 0, hi = p->n_libs;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (p->libs[mid].start < start)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo < p->n_libs && p->libs[lo].start == start)
		return;
	tk_xgrow((void **)&p->libs, &p->cap_libs, p->n_libs + 1, sizeof *p->libs);
	memmove(p->libs + lo + 1, p->libs + lo, (p->n_libs - lo) * sizeof *p->libs);
	p->libs[lo].start = start;
	p->libs[lo].size = size;
	p->libs[lo].code_id = code_id;
	p->n_libs++;
}

/* CodeMap.findAddress with no static symbols: 1 and *id, *off when a
 * is code. */
int tk_pre_ref_find(struct tk_pre *p, double a, int32_t *id, double *off)
{
	uint64_t u;
	if (!tk_pre_to_addr(a, &u))
		return 0;
	if (page_static(p, u)) {
		size_t lo = 0, hi = p->n_libs;
		while (lo < hi) {
			size_t mid = (lo + hi) / 2;
			if (p->libs[mid].start <= u)
				lo = mid + 1;
			else
				hi = mid;
		}
		if (lo == 0)
			return 0;
		const struct tk_pre_lib *l = &p->libs[lo - 1];
		if ((int64_t)u >= (int64_t)l->start + l->size)
			return 0;
		*id = l->code_id;
		*off = (double)(u - l->start);
		return 1;
	}
	struct tk_pre_dyn *d = tk_pre_dyn_lookup(p, u);
	if (!d)
		return 0;
	*id = d->code_id;
	*off = (double)(u - d->key);
	return 1;
}

void tk_pre_dyn_flush(struct tk_pre *p)
{
	while (p->retired) {
		struct tk_pre_dyn *d = p->retired;
		p->retired = d->next;
		d->next = p->free_dyn;
		p->free_dyn = d;
	}
}
