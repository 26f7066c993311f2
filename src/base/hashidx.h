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
 * item replaced in place keeps its number and its key). h->probes counts
 * every slot inspected by find and add: what a test measures to pin O(1)
 * without timing anything.
 *
 *     struct tk_hashidx h; tk_hashidx_init(&h);
 *     uint32_t hv = tk_hash(key, len);
 *     uint32_t i = tk_hashidx_find(&h, hv, eq, items, key);
 *     if (i == TK_HASHIDX_NONE) { i = append(items, key); tk_hashidx_add(&h, hv, i); }
 *     tk_hashidx_release(&h);
 */
#ifndef TK_HASHIDX_H
#define TK_HASHIDX_H

#include <stddef.h>
#include <stdint.h>

#define TK_HASHIDX_NONE UINT32_MAX

struct tk_hashidx_slot {
	uint32_t item;           /* item number + 1; 0: empty */
	uint32_t hash;
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

/* A hash of a 64-bit key (ids, addresses) for the calls above. */
uint32_t tk_hashidx_u64(uint64_t v);

#endif
