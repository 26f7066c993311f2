/* codemap: a treap keyed by start address. A treap keeps insert, delete
 * and predecessor search at O(log n) expected with little code; the
 * priorities come from a xorshift generator seeded per map, so the shape
 * (and so the speed) does not depend on the address pattern. The seed
 * differs from run to run: with a fixed one a log could order its
 * addresses by the known priorities and make the treap a list (100,000
 * code objects: over 10 minutes, and split/merge recursing 100,000
 * deep). The shape never changes a result. */
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include "model/codemap.h"

uint32_t tk_treap_seed(void)
{
	static uint64_t calls;
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	uint64_t x = (uint64_t)ts.tv_nsec ^ (uint64_t)ts.tv_sec << 30 ^ (uint64_t)getpid() << 44 ^
		     (uint64_t)(uintptr_t)&calls ^ ++calls * 0x9e3779b97f4a7c15ull;
	/* splitmix64's finalizer */
	x ^= x >> 30;
	x *= 0xbf58476d1ce4e5b9ull;
	x ^= x >> 27;
	x *= 0x94d049bb133111ebull;
	x ^= x >> 31;
	uint32_t s = (uint32_t)x ^ (uint32_t)(x >> 32);
	return s ? s : 2463534242u; /* xorshift stays at 0 */
}

void tk_codemap_init(struct tk_codemap *m)
{
	memset(m, 0, sizeof *m);
	tk_arena_init(&m->arena);
	m->seed = tk_treap_seed();
}

size_t tk_codemap_height(const struct tk_codemap *m)
{
	struct at {
		const struct tk_code *e;
		size_t depth;
	} *st = NULL;
	size_t n = 0, cap = 0, h = 0;
	if (m->root) {
		tk_xgrow((void **)&st, &cap, 1, sizeof *st);
		st[n++] = (struct at){ m->root, 1 };
	}
	while (n) {
		struct at a = st[--n];
		if (a.depth > h)
			h = a.depth;
		tk_xgrow((void **)&st, &cap, n + 2, sizeof *st);
		if (a.e->left)
			st[n++] = (struct at){ a.e->left, a.depth + 1 };
		if (a.e->right)
			st[n++] = (struct at){ a.e->right, a.depth + 1 };
	}
	free(st);
	return h;
}

void tk_codemap_release(struct tk_codemap *m)
{
	tk_arena_release(&m->arena);
	memset(m, 0, sizeof *m);
}

static uint32_t rnd(struct tk_codemap *m)
{
	uint32_t x = m->seed;
	x ^= x << 13;
	x ^= x >> 17;
	x ^= x << 5;
	return m->seed = x;
}

/* greatest key <= addr */
static struct tk_code *find_le(struct tk_codemap *m, uint64_t addr)
{
	struct tk_code *n = m->root, *best = NULL;
	while (n) {
		if (n->start <= addr) {
			best = n;
			n = n->right;
		} else {
			n = n->left;
		}
	}
	return best;
}

static struct tk_code *merge(struct tk_code *a, struct tk_code *b)
{
	if (!a)
		return b;
	if (!b)
		return a;
	if (a->prio > b->prio) {
		a->right = merge(a->right, b);
		return a;
	}
	b->left = merge(a, b->left);
	return b;
}

/* splits t into keys < key (*l) and keys >= key (*r) */
static void split(struct tk_code *t, uint64_t key, struct tk_code **l, struct tk_code **r)
{
	if (!t) {
		*l = *r = NULL;
		return;
	}
	if (t->start < key) {
		split(t->right, key, &t->right, r);
		*l = t;
	} else {
		split(t->left, key, l, &t->left);
		*r = t;
	}
}

static void insert(struct tk_codemap *m, struct tk_code *e)
{
	struct tk_code **link = &m->root;
	while (*link && (*link)->prio > e->prio)
		link = e->start < (*link)->start ? &(*link)->left : &(*link)->right;
	split(*link, e->start, &e->left, &e->right);
	*link = e;
	m->count++;
}

/* unlinks the entry with exactly this key; returns it or NULL */
static struct tk_code *unlink_key(struct tk_codemap *m, uint64_t key)
{
	struct tk_code **link = &m->root;
	while (*link && (*link)->start != key)
		link = key < (*link)->start ? &(*link)->left : &(*link)->right;
	struct tk_code *e = *link;
	if (!e)
		return NULL;
	*link = merge(e->left, e->right);
	e->left = e->right = NULL;
	m->count--;
	if (m->last == e)
		m->last = NULL;
	return e;
}

static void recycle(struct tk_codemap *m, struct tk_code *e)
{
	e->right = m->free_list;
	m->free_list = e;
}

/* Walk down from the last byte of the new range through predecessors,
 * removing what overlaps. Entries never overlap and are never empty, so
 * of those that begin before start only the first one met can reach into
 * the range. */
static void remove_overlaps(struct tk_codemap *m, uint64_t start, uint64_t size)
{
	if (size == 0)
		return;
	uint64_t end = start + size < start ? UINT64_MAX : start + size;
	uint64_t a = end - 1;
	for (;;) {
		struct tk_code *e = find_le(m, a);
		if (!e)
			break;
		uint64_t key = e->start;
		uint64_t eend = key + e->size < key ? UINT64_MAX : key + e->size;
		if (key < end && start < eend)
			recycle(m, unlink_key(m, key));
		if (key <= start || key == 0)
			break;
		a = key - 1;
	}
}

static struct tk_code *alloc_entry(struct tk_codemap *m)
{
	struct tk_code *e = m->free_list;
	if (e) {
		m->free_list = e->right;
		memset(e, 0, sizeof *e);
	} else {
		e = tk_arena_alloc(&m->arena, sizeof *e);
	}
	e->prio = rnd(m);
	return e;
}

struct tk_code *tk_codemap_add(struct tk_codemap *m, uint64_t start, uint64_t size)
{
	m->gen++;
	if (size == 0) {
		/* code of no size covers nothing: it replaces what starts
		 * there but never enters the map (V8 does not log such code;
		 * the reference's zero-size SFI entries are what make its
		 * lookups depend on history) */
		struct tk_code *old = unlink_key(m, start);
		if (old)
			recycle(m, old);
		memset(&m->scratch, 0, sizeof m->scratch);
		m->scratch.start = start;
		return &m->scratch;
	}
	remove_overlaps(m, start, size);
	struct tk_code *old = unlink_key(m, start);
	if (old)
		recycle(m, old);
	struct tk_code *e = alloc_entry(m);
	e->start = start;
	e->size = size;
	insert(m, e);
	return e;
}

int tk_codemap_move(struct tk_codemap *m, uint64_t from, uint64_t to)
{
	m->gen++;
	struct tk_code *e = unlink_key(m, from);
	if (!e)
		return -1;
	remove_overlaps(m, to, e->size);
	struct tk_code *old = unlink_key(m, to);
	if (old)
		recycle(m, old);
	e->start = to;
	e->prio = rnd(m);
	insert(m, e);
	return 0;
}

int tk_codemap_delete(struct tk_codemap *m, uint64_t start)
{
	m->gen++;
	struct tk_code *e = unlink_key(m, start);
	if (!e)
		return -1;
	recycle(m, e);
	return 0;
}

struct tk_code *tk_codemap_find(struct tk_codemap *m, uint64_t addr)
{
	struct tk_code *e = m->last;
	if (e && addr >= e->start && addr - e->start < e->size)
		return e;
	e = find_le(m, addr);
	if (e && addr - e->start < e->size) {
		m->last = e;
		return e;
	}
	return NULL;
}

struct tk_code *tk_codemap_at(struct tk_codemap *m, uint64_t start)
{
	struct tk_code *n = m->root;
	while (n && n->start != start)
		n = start < n->start ? n->left : n->right;
	return n;
}
