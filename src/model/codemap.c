/* codemap: the code entries in one ordered tree (otree.h: a treap seeded
 * per run, so the shape, and so the speed, does not depend on the address
 * pattern; the shape never changes a result), with removal of what a new
 * range overlaps and a last-hit cache for lookups. */
#include <string.h>
#include "model/codemap.h"

#define CODE(n) ((struct tk_code *)(n)) /* node is first in struct tk_code */

void tk_codemap_init(struct tk_codemap *m)
{
	memset(m, 0, sizeof *m);
	tk_arena_init(&m->arena);
}

size_t tk_codemap_height(const struct tk_codemap *m)
{
	return tk_otree_height(&m->tree);
}

void tk_codemap_release(struct tk_codemap *m)
{
	tk_arena_release(&m->arena);
	memset(m, 0, sizeof *m);
}

/* greatest key <= addr */
static struct tk_code *find_le(struct tk_codemap *m, uint64_t addr)
{
	return CODE(tk_otree_floor(&m->tree, addr));
}

static void insert(struct tk_codemap *m, struct tk_code *e)
{
	tk_otree_insert_new(&m->tree, &e->node); /* the key is free: its entry was unlinked */
}

/* unlinks the entry with exactly this key; returns it or NULL */
static struct tk_code *unlink_key(struct tk_codemap *m, uint64_t key)
{
	struct tk_code *e = CODE(tk_otree_take(&m->tree, key));
	if (e && m->last == e)
		m->last = NULL;
	return e;
}

static void recycle(struct tk_codemap *m, struct tk_code *e)
{
	e->node.right = (struct tk_onode *)m->free_list;
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
		m->free_list = CODE(e->node.right);
		memset(e, 0, sizeof *e);
	} else {
		e = tk_arena_alloc(&m->arena, sizeof *e);
	}
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
	return CODE(tk_otree_at(&m->tree, start));
}
