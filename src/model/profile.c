/* profile: call trees with a (parent, name) -> child hash, so adding a
 * stack costs one probe per frame and no allocation once seen. */
#include <stdlib.h>
#include <string.h>
#include "model/profile.h"
#include "base/util.h"

void tk_tree_init(struct tk_tree *t)
{
	memset(t, 0, sizeof *t);
	tk_xgrow((void **)&t->v, &t->cap, 1, sizeof *t->v);
	memset(&t->v[0], 0, sizeof t->v[0]);
	t->v[0].name = UINT32_MAX;
	t->n = 1;
	tk_hashidx_init(&t->idx);
}

void tk_tree_release(struct tk_tree *t)
{
	free(t->v);
	tk_hashidx_release(&t->idx);
	free(t->memo_name);
	free(t->memo_node);
	free(t->pending);
	memset(t, 0, sizeof *t);
}

static uint32_t child_hash(uint32_t parent, uint32_t name)
{
	return (uint32_t)((((uint64_t)parent << 32 | name) * 0x9e3779b97f4a7c15ull) >> 29);
}

/* inlined: tk_tree_add is the hot caller (tree_merge calls it too); the
 * likely hit keeps the found child on the straight path (measured: without
 * the hint this lookup cost ~4 more instructions per frame) */
static inline __attribute__((always_inline)) uint32_t child(struct tk_tree *t, uint32_t parent, uint32_t name)
{
	struct tk_hashidx_probe pr;
	uint32_t i = tk_hashidx_first(&t->idx, &pr, child_hash(parent, name));
	for (; i != TK_HASHIDX_NONE; i = tk_hashidx_next(&t->idx, &pr))
		if (__builtin_expect(t->v[i].parent == parent && t->v[i].name == name, 1))
			return i;
	tk_xgrow((void **)&t->v, &t->cap, t->n + 1, sizeof *t->v);
	i = (uint32_t)t->n++;
	struct tk_node *c = &t->v[i];
	memset(c, 0, sizeof *c);
	c->name = name;
	c->parent = parent;
	c->next = t->v[parent].first_child;
	t->v[parent].first_child = i;
	tk_hashidx_add_at(&t->idx, &pr, i);
	return i;
}

/* Consecutive ticks of deep stacks share their outer frames (top-down)
 * or inner ones (bottom-up): the steps a path shares with the last one
 * reach the same nodes (a child is a function of parent and name), so
 * they cost a compare instead of a hash probe. */
uint32_t tk_tree_add(struct tk_tree *t, const uint32_t *path, size_t n, int reverse)
{
	uint32_t node = 0;
	t->v[0].total++;
	if (n > t->memo_cap) {
		size_t c = t->memo_cap;
		tk_xgrow((void **)&t->memo_name, &c, n, sizeof *t->memo_name);
		t->memo_node = tk_xrealloc(t->memo_node, c * sizeof *t->memo_node);
		t->memo_cap = c;
	}
	size_t k = 0, same = n < t->memo_n ? n : t->memo_n;
	for (; k < same; k++) {
		uint32_t name = path[reverse ? n - 1 - k : k];
		if (name != t->memo_name[k])
			break;
		node = t->memo_node[k];
		t->v[node].total++;
	}
	for (; k < n; k++) {
		uint32_t name = path[reverse ? n - 1 - k : k];
		node = child(t, node, name);
		t->v[node].total++;
		t->memo_name[k] = name;
		t->memo_node[k] = node;
	}
	t->memo_n = n;
	t->v[node].self++;
	return node;
}

size_t tk_tree_children(const struct tk_tree *t, uint32_t node, uint32_t **out)
{
	size_t k = 0;
	for (uint32_t c = t->v[node].first_child; c; c = t->v[c].next)
		k++;
	uint32_t *v = tk_xmalloc((k ? k : 1) * sizeof *v);
	k = 0;
	for (uint32_t c = t->v[node].first_child; c; c = t->v[c].next)
		v[k++] = c;
	*out = v;
	return k;
}

void tk_profile_init(struct tk_profile *p)
{
	memset(p, 0, sizeof *p);
	tk_tree_init(&p->bottom_up);
	tk_tree_init(&p->top_down);
}

void tk_profile_release(struct tk_profile *p)
{
	free(p->self);
	free(p->entry);
	free(p->why_libs);
	tk_hashidx_release(&p->why_idx);
	free(p->samples);
	tk_tree_release(&p->bottom_up);
	tk_tree_release(&p->top_down);
	memset(p, 0, sizeof *p);
}

static void bump(uint64_t **v, size_t *cap, uint32_t id)
{
	if (id >= *cap) {
		size_t old = *cap;
		tk_xgrow((void **)v, cap, (size_t)id + 1, sizeof **v);
		memset(*v + old, 0, (*cap - old) * sizeof **v);
	}
	(*v)[id]++;
}

static void keep_sample(struct tk_profile *p, uint64_t time, uint32_t leaf, uint32_t state)
{
	tk_xgrow((void **)&p->samples, &p->samples_cap, p->n_samples + 1, sizeof *p->samples);
	p->samples[p->n_samples++] = (struct tk_sample){ time, leaf, state };
}

void tk_profile_add(struct tk_profile *p, const uint32_t *path, size_t n, uint64_t time, uint32_t state,
		    uint32_t leaves[2])
{
	uint32_t td = 0, bu = 0;
	if (n > 0) {
		bump(&p->self, &p->self_cap, path[0]);
		bu = tk_tree_add(&p->bottom_up, path, n, 0);
		td = tk_tree_add(&p->top_down, path, n, 1);
	}
	if (leaves) {
		leaves[0] = td;
		leaves[1] = bu;
	}
	if (p->keep_samples)
		keep_sample(p, time, td, state);
}

/* Adds the pending counts to the totals: children have higher indices
 * than their parents, so one pass from the end carries each count up. */
static void tree_flush(struct tk_tree *t)
{
	if (!t->pending)
		return;
	size_t n = t->n < t->pending_cap ? t->n : t->pending_cap;
	uint64_t *acc = tk_xcalloc(t->n, sizeof *acc);
	for (size_t i = n; i-- > 1;)
		acc[i] += t->pending[i];
	for (size_t i = t->n; i-- > 1;) {
		t->v[i].total += acc[i];
		acc[t->v[i].parent] += acc[i];
	}
	t->v[0].total += acc[0];
	free(acc);
	memset(t->pending, 0, t->pending_cap * sizeof *t->pending);
}

/* one more tick along the path from the root to leaf: counted at the
 * leaf now, in the totals of the path at tk_profile_finish (deep stacks
 * repeat; walking 200 parents per tick was most of a replay) */
static void tree_bump(struct tk_tree *t, uint32_t leaf)
{
	if (leaf >= t->pending_cap) {
		size_t old = t->pending_cap;
		tk_xgrow((void **)&t->pending, &t->pending_cap, (size_t)leaf + 1, sizeof *t->pending);
		memset(t->pending + old, 0, (t->pending_cap - old) * sizeof *t->pending);
	}
	if (t->pending[leaf] == UINT32_MAX)
		tree_flush(t);
	t->pending[leaf]++;
	t->v[leaf].self++;
}

void tk_profile_replay(struct tk_profile *p, uint32_t first, const uint32_t leaves[2], uint64_t time,
		       uint32_t state)
{
	if (first != UINT32_MAX) {
		bump(&p->self, &p->self_cap, first);
		tree_bump(&p->top_down, leaves[0]);
		tree_bump(&p->bottom_up, leaves[1]);
	}
	if (p->keep_samples)
		keep_sample(p, time, first != UINT32_MAX ? leaves[0] : 0, state);
}

void tk_profile_finish(struct tk_profile *p)
{
	tree_flush(&p->top_down);
	tree_flush(&p->bottom_up);
}

/* the nodes only: the hash and memos serve tk_tree_add */
static void tree_compact(struct tk_tree *t)
{
	tk_hashidx_release(&t->idx);
	free(t->memo_name);
	free(t->memo_node);
	free(t->pending);
	t->memo_name = t->memo_node = t->pending = NULL;
	t->memo_n = t->memo_cap = t->pending_cap = 0;
	if (t->cap > t->n) {
		t->v = tk_xrealloc(t->v, t->n * sizeof *t->v);
		t->cap = t->n;
	}
}

void tk_profile_compact(struct tk_profile *p)
{
	tk_profile_finish(p);
	tree_compact(&p->top_down);
	tree_compact(&p->bottom_up);
	/* by name id, so as long as the run's name table (with many logs,
	 * quadratic in all): the bottom-up tree's first level has the same
	 * counts */
	free(p->self);
	free(p->entry);
	p->self = p->entry = NULL;
	p->self_cap = p->entry_cap = 0;
	if (p->samples_cap > p->n_samples) {
		struct tk_sample *v = NULL;
		if (p->n_samples)
			v = tk_xrealloc(p->samples, p->n_samples * sizeof *p->samples);
		else
			free(p->samples);
		p->samples = v;
		p->samples_cap = p->n_samples;
	}
}

void tk_profile_add_entry(struct tk_profile *p, uint32_t name)
{
	bump(&p->entry, &p->entry_cap, name);
	p->entry_total++;
}

static int why_eq(const void *ctx, uint32_t i, const void *key)
{
	const struct tk_why_lib *v = ctx, *k = key;
	return v[i].name == k->name && v[i].why == k->why;
}

static void add_why_lib(struct tk_profile *p, uint32_t name, enum tk_why why, uint64_t ticks)
{
	/* a handful of libraries, or 10^5 in a hostile log: hashed */
	struct tk_why_lib key = { name, (uint8_t)why, 0 };
	uint32_t h = tk_hashidx_u64((uint64_t)name << 8 | (uint8_t)why);
	uint32_t i = tk_hashidx_find(&p->why_idx, h, why_eq, p->why_libs, &key);
	if (i != TK_HASHIDX_NONE) {
		p->why_libs[i].ticks += ticks;
		return;
	}
	tk_xgrow((void **)&p->why_libs, &p->why_libs_cap, p->n_why_libs + 1, sizeof *p->why_libs);
	tk_hashidx_add(&p->why_idx, h, (uint32_t)p->n_why_libs);
	p->why_libs[p->n_why_libs++] = (struct tk_why_lib){ name, (uint8_t)why, ticks };
}

void tk_profile_add_why_lib(struct tk_profile *p, uint32_t name, enum tk_why why)
{
	add_why_lib(p, name, why, 1);
}

void tk_profile_add_unaccounted(struct tk_profile *p)
{
	p->unaccounted++;
}

void tk_profile_add_excluded(struct tk_profile *p)
{
	p->excluded++;
}

void tk_profile_add_why(struct tk_profile *p, enum tk_why why, uint32_t lib)
{
	p->why[why]++;
	if (lib != UINT32_MAX)
		tk_profile_add_why_lib(p, lib, why);
}

/* by name id: dst[id] += src[id] */
static void add_counts(uint64_t **dst, size_t *dcap, const uint64_t *src, size_t n)
{
	if (n > *dcap) {
		size_t old = *dcap;
		tk_xgrow((void **)dst, dcap, n, sizeof **dst);
		memset(*dst + old, 0, (*dcap - old) * sizeof **dst);
	}
	for (size_t i = 0; i < n; i++)
		(*dst)[i] += src[i];
}

/* src's nodes into dst, matched by name from the root: a parent's index
 * is below its children's, so one pass in index order maps every parent
 * before its children */
static void tree_merge(struct tk_tree *dst, const struct tk_tree *src)
{
	uint32_t *map = tk_xmalloc(src->n * sizeof *map);
	map[0] = 0;
	dst->v[0].self += src->v[0].self;
	dst->v[0].total += src->v[0].total;
	for (size_t i = 1; i < src->n; i++) {
		const struct tk_node *s = &src->v[i];
		uint32_t d = child(dst, map[s->parent], s->name);
		dst->v[d].self += s->self;
		dst->v[d].total += s->total;
		map[i] = d;
	}
	free(map);
	dst->memo_n = 0; /* the next tk_tree_add starts from the root */
}

void tk_profile_merge(struct tk_profile *dst, const struct tk_profile *src, const int state_map[TK_VM_STATES])
{
	dst->total += src->total;
	dst->unaccounted += src->unaccounted;
	dst->excluded += src->excluded;
	dst->gc += src->gc;
	for (int k = 0; k < TK_VM_STATES; k++)
		dst->states[state_map[k]] += src->states[k];
	add_counts(&dst->self, &dst->self_cap, src->self, src->self_cap);
	add_counts(&dst->entry, &dst->entry_cap, src->entry, src->entry_cap);
	dst->entry_total += src->entry_total;
	for (int w = 0; w < TK_WHY_COUNT; w++)
		dst->why[w] += src->why[w];
	for (size_t i = 0; i < src->n_why_libs; i++)
		add_why_lib(dst, src->why_libs[i].name, (enum tk_why)src->why_libs[i].why, src->why_libs[i].ticks);
	if (src->have_time) {
		if (!dst->have_time || src->first_time < dst->first_time)
			dst->first_time = src->first_time;
		if (!dst->have_time || src->last_time > dst->last_time)
			dst->last_time = src->last_time;
		dst->have_time = 1;
	}
	tree_merge(&dst->bottom_up, &src->bottom_up);
	tree_merge(&dst->top_down, &src->top_down);
}
