/* otree: a treap (see otree.h). Insert descends by priority and splits
 * the subtree it replaces; take merges the two children of the node. */
#include <stdlib.h>
#include <time.h>
#include <unistd.h>
#include "base/otree.h"
#include "base/util.h"

uint32_t tk_otree_seed(void)
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

static uint32_t rnd(struct tk_otree *t)
{
	uint32_t x = t->seed ? t->seed : tk_otree_seed();
	x ^= x << 13;
	x ^= x >> 17;
	x ^= x << 5;
	return t->seed = x;
}

struct tk_onode *tk_otree_at(const struct tk_otree *t, uint64_t key)
{
	struct tk_onode *n = t->root;
	while (n && n->key != key)
		n = key < n->key ? n->left : n->right;
	return n;
}

struct tk_onode *tk_otree_floor(const struct tk_otree *t, uint64_t key)
{
	struct tk_onode *n = t->root, *best = NULL;
	while (n) {
		if (n->key <= key) {
			best = n;
			n = n->right;
		} else {
			n = n->left;
		}
	}
	return best;
}

struct tk_onode *tk_otree_first(const struct tk_otree *t)
{
	struct tk_onode *n = t->root;
	while (n && n->left)
		n = n->left;
	return n;
}

struct tk_onode *tk_otree_last(const struct tk_otree *t)
{
	struct tk_onode *n = t->root;
	while (n && n->right)
		n = n->right;
	return n;
}

static struct tk_onode *merge(struct tk_onode *a, struct tk_onode *b)
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
static void split(struct tk_onode *t, uint64_t key, struct tk_onode **l, struct tk_onode **r)
{
	if (!t) {
		*l = *r = NULL;
		return;
	}
	if (t->key < key) {
		split(t->right, key, &t->right, r);
		*l = t;
	} else {
		split(t->left, key, l, &t->left);
		*r = t;
	}
}

int tk_otree_insert(struct tk_otree *t, struct tk_onode *n)
{
	if (tk_otree_at(t, n->key))
		return 0;
	tk_otree_insert_new(t, n);
	return 1;
}

void tk_otree_insert_new(struct tk_otree *t, struct tk_onode *n)
{
	n->prio = rnd(t);
	struct tk_onode **link = &t->root;
	while (*link && (*link)->prio > n->prio)
		link = n->key < (*link)->key ? &(*link)->left : &(*link)->right;
	split(*link, n->key, &n->left, &n->right);
	*link = n;
	t->count++;
}

struct tk_onode *tk_otree_take(struct tk_otree *t, uint64_t key)
{
	struct tk_onode **link = &t->root;
	while (*link && (*link)->key != key)
		link = key < (*link)->key ? &(*link)->left : &(*link)->right;
	struct tk_onode *n = *link;
	if (!n)
		return NULL;
	*link = merge(n->left, n->right);
	n->left = n->right = NULL;
	t->count--;
	return n;
}

size_t tk_otree_height(const struct tk_otree *t)
{
	struct at {
		const struct tk_onode *n;
		size_t depth;
	} *st = NULL;
	size_t n = 0, cap = 0, h = 0;
	if (t->root) {
		tk_xgrow((void **)&st, &cap, 1, sizeof *st);
		st[n++] = (struct at){ t->root, 1 };
	}
	while (n) {
		struct at a = st[--n];
		if (a.depth > h)
			h = a.depth;
		tk_xgrow((void **)&st, &cap, n + 2, sizeof *st);
		if (a.n->left)
			st[n++] = (struct at){ a.n->left, a.depth + 1 };
		if (a.n->right)
			st[n++] = (struct at){ a.n->right, a.depth + 1 };
	}
	free(st);
	return h;
}
