/*
 * hashidx: one hash index from keys to the caller's item numbers, for
 * every table that must find an item by key in O(1) (file paths, script
 * ids, urls, (library, reason) pairs, ...). The index holds numbers and
 * hashes only: the items stay in the caller's array, and the caller
 * tells whether item i has key k (the eq callback).
 *
 * Invariants: open addressing with linear probing, at most half full, so
 * a lookup inspects O(1) slots on average whatever the number of items;
 * an item number is never UINT32_MAX (TK_HASHIDX_NONE); no removal (an
 * item replaced in place keeps its number and its key; tk_hashidx_clear
 * forgets every item at once). h->probes counts every slot inspected by
 * find and add: what a test measures to pin O(1) without timing anything.
 *
 *     struct tk_hashidx h; tk_hashidx_init(&h);
 *     uint32_t hv = tk_hash(key, len);
 *     uint32_t i = tk_hashidx_find(&h, hv, eq, items, key);
 *     if (i == TK_HASHIDX_NONE) { i = append(items, key); tk_hashidx_add(&h, hv, i); }
 *     tk_hashidx_release(&h);
 *
 * Hot paths (a lookup per frame of every tick) use the inline probe
 * instead: no call, no callback, the comparison is the caller's own code
 * the compiler sees, and a miss leaves the probe on the empty slot where
 * tk_hashidx_add_at puts the new item without probing again.
 *
 *     struct tk_hashidx_probe pr;
 *     for (i = tk_hashidx_first(&h, &pr, hv); i != TK_HASHIDX_NONE; i = tk_hashidx_next(&h, &pr))
 *         if (same(items[i], key)) return i;
 *     i = append(items, key); tk_hashidx_add_at(&h, &pr, i);
 */
#ifndef TK_HASHIDX_H
#define TK_HASHIDX_H

#include <stddef.h>
#include <stdint.h>

#define TK_HASHIDX_NONE UINT32_MAX

/* A slot holds its hash with TK_HASHIDX_FULL set: hash 0 is an empty
 * slot, so a probe that meets its hash needs no other test, and the
 * item number is stored as it is. (The bit costs nothing: slot numbers
 * are the low bits, and no index reaches 2^31 slots.) */
#define TK_HASHIDX_FULL 0x80000000u

struct tk_hashidx_slot {
	uint32_t item;
	uint32_t hash;           /* hash | TK_HASHIDX_FULL; 0: empty */
};

struct tk_hashidx {
	struct tk_hashidx_slot *s;
	size_t mask;             /* slots - 1; 0 with s NULL before the first add */
	size_t n;                /* items indexed */
	uint64_t probes;         /* slots inspected, in all */
};

/* Whether item has key (ctx: the caller's items). */
typedef int (*tk_hashidx_eq)(const void *ctx, uint32_t item, const void *key);

void tk_hashidx_init(struct tk_hashidx *h);
void tk_hashidx_release(struct tk_hashidx *h);

/* The item with key (of hash hash), or TK_HASHIDX_NONE. */
uint32_t tk_hashidx_find(struct tk_hashidx *h, uint32_t hash, tk_hashidx_eq eq, const void *ctx,
			 const void *key);

/* Indexes item under hash; its key must not be indexed yet. */
void tk_hashidx_add(struct tk_hashidx *h, uint32_t hash, uint32_t item);

/* Makes room for items items in all, so that the index does not grow
 * before then (for a table whose typical size is known: growing from 16
 * slots costs a rehash at each doubling). */
void tk_hashidx_reserve(struct tk_hashidx *h, size_t items);

/* Forgets every item (the slots stay allocated). */
void tk_hashidx_clear(struct tk_hashidx *h);

/* A hash of a 64-bit key (ids, addresses) for the calls above. */
uint32_t tk_hashidx_u64(uint64_t v);

/* The inline probe: first and next return, in probe order, the items
 * indexed under a hash equal to hash (a superset of the item with the key:
 * the caller tells them apart), then TK_HASHIDX_NONE, once an empty slot
 * ends the run. n counts the slots inspected by this probe only (h->probes
 * is left alone: a caller that wants it adds n; one that does not pays
 * nothing, the compiler drops the count). */
struct tk_hashidx_probe {
	size_t i;                /* the slot inspected last; after NONE, the empty one */
	uint32_t hash;
	uint32_t n;              /* slots inspected */
};

/* a full slot's item: never TK_HASHIDX_NONE (add refuses it), which the
 * compiler is told, so the caller's loop test costs nothing on a hit */
static inline uint32_t tk_hashidx_item_(const struct tk_hashidx_slot *s)
{
	if (s->item == TK_HASHIDX_NONE)
		__builtin_unreachable();
	return s->item;
}

static inline uint32_t tk_hashidx_next(const struct tk_hashidx *h, struct tk_hashidx_probe *p)
{
	for (;;) {
		p->i = (p->i + 1) & h->mask;
		const struct tk_hashidx_slot *s = &h->s[p->i];
		p->n++;
		if (s->hash == p->hash)
			return tk_hashidx_item_(s);
		if (!s->hash)
			return TK_HASHIDX_NONE;
	}
}

static inline uint32_t tk_hashidx_first(const struct tk_hashidx *h, struct tk_hashidx_probe *p, uint32_t hash)
{
	p->hash = hash | TK_HASHIDX_FULL;
	p->i = p->hash & h->mask;
	p->n = 0;
	if (!h->s)
		return TK_HASHIDX_NONE;
	const struct tk_hashidx_slot *s = &h->s[p->i];
	p->n = 1;
	/* hot lookups mostly hit, and in the first slot (half full at most) */
	if (__builtin_expect(s->hash == p->hash, 1))
		return tk_hashidx_item_(s);
	if (!s->hash)
		return TK_HASHIDX_NONE;
	return tk_hashidx_next(h, p);
}

/* tk_hashidx_add for a probe that ended in TK_HASHIDX_NONE, with no add
 * between: item goes into the empty slot the probe stopped at, or (the
 * index full enough to grow) through tk_hashidx_add. */
static inline void tk_hashidx_add_at(struct tk_hashidx *h, const struct tk_hashidx_probe *p, uint32_t item)
{
	if (!h->s || (h->n + 1) * 2 > h->mask + 1 || item == TK_HASHIDX_NONE) {
		tk_hashidx_add(h, p->hash, item);
		return;
	}
	h->s[p->i].item = item;
	h->s[p->i].hash = p->hash;
	h->n++;
}

#endif
