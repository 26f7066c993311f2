/*
 * otree: one ordered tree keyed by uint64_t, for every map that must find
 * the greatest key <= an address (the code map, preprocess's CodeMap). It
 * is intrusive: the caller's entry embeds a struct tk_onode (first, so a
 * cast gets the entry back) and owns its memory.
 *
 * Invariants: a treap (binary search tree on key, heap on prio), so
 * insert, take and floor are O(log n) expected; keys are unique; the
 * priorities come from a xorshift generator seeded per tree from the
 * clock and pid (a fixed seed would let a log order its addresses by the
 * known priorities and make the tree a list), so the shape differs from
 * run to run and must never change a result. A zeroed tree is empty and
 * valid (it seeds itself on the first insert).
 *
 *     struct tk_otree t = {0};
 *     e->node.key = start; tk_otree_insert(&t, &e->node);
 *     struct tk_onode *n = tk_otree_floor(&t, addr);   // greatest key <= addr
 *     tk_otree_take(&t, start);                         // unlink (caller frees)
 */
#ifndef TK_OTREE_H
#define TK_OTREE_H

#include <stddef.h>
#include <stdint.h>

struct tk_onode {
	uint64_t key;
	uint32_t prio;
	struct tk_onode *left, *right;
};

struct tk_otree {
	struct tk_onode *root;
	size_t count;
	uint32_t seed;  /* xorshift state; 0: not seeded yet */
};

/* A nonzero seed, different in each run and call (time, pid). */
uint32_t tk_otree_seed(void);

/* The node with exactly key, or NULL. */
struct tk_onode *tk_otree_at(const struct tk_otree *t, uint64_t key);
/* The node with the greatest key <= key, or NULL. */
struct tk_onode *tk_otree_floor(const struct tk_otree *t, uint64_t key);
/* The nodes with the least and the greatest key (NULL: empty). */
struct tk_onode *tk_otree_first(const struct tk_otree *t);
struct tk_onode *tk_otree_last(const struct tk_otree *t);
/* Links n under n->key: 1, or 0 if the key is taken (the tree keeps the
 * old node; n is untouched). */
int tk_otree_insert(struct tk_otree *t, struct tk_onode *n);
/* Links n under n->key, a key the caller knows is not in the tree (one
 * descent less: the code map's add, which has just unlinked it). */
void tk_otree_insert_new(struct tk_otree *t, struct tk_onode *n);
/* Unlinks the node with exactly key and returns it (NULL: none). */
struct tk_onode *tk_otree_take(struct tk_otree *t, uint64_t key);
/* The height (0: empty), for tests. */
size_t tk_otree_height(const struct tk_otree *t);

#endif
