/* hashidx: open addressing over (item, hash | FULL) pairs, doubled when
 * half full; the stored hash spares the rehash any call back. */
#include <stdlib.h>
#include <string.h>
#include "base/hashidx.h"
#include "base/util.h"

void tk_hashidx_init(struct tk_hashidx *h)
{
	h->s = NULL;
	h->mask = 0;
	h->n = 0;
	h->probes = 0;
}

void tk_hashidx_release(struct tk_hashidx *h)
{
	free(h->s);
	tk_hashidx_init(h);
}

void tk_hashidx_clear(struct tk_hashidx *h)
{
	if (h->s)
		memset(h->s, 0, (h->mask + 1) * sizeof *h->s);
	h->n = 0;
}

uint32_t tk_hashidx_find(struct tk_hashidx *h, uint32_t hash, tk_hashidx_eq eq, const void *ctx,
			 const void *key)
{
	struct tk_hashidx_probe p;
	uint32_t i = tk_hashidx_first(h, &p, hash);
	while (i != TK_HASHIDX_NONE && !eq(ctx, i, key))
		i = tk_hashidx_next(h, &p);
	h->probes += p.n;
	return i;
}

static void put(struct tk_hashidx_slot *v, size_t mask, uint32_t hash, uint32_t item, uint64_t *probes)
{
	hash |= TK_HASHIDX_FULL;
	size_t i = hash & mask;
	for (;; i = (i + 1) & mask) {
		(*probes)++;
		if (!v[i].hash)
			break;
	}
	v[i].item = item;
	v[i].hash = hash;
}

#define MIN_SLOTS 16 /* an index's first allocation */

/* re-homes every item into nmask + 1 slots */
static void resize(struct tk_hashidx *h, size_t nmask)
{
	struct tk_hashidx_slot *nv = tk_xcalloc(nmask + 1, sizeof *nv);
	uint64_t rehash = 0; /* not lookups: the doubling is amortised O(1) */
	for (size_t i = 0; h->s && i <= h->mask; i++)
		if (h->s[i].hash)
			put(nv, nmask, h->s[i].hash, h->s[i].item, &rehash);
	free(h->s);
	h->s = nv;
	h->mask = nmask;
}

void tk_hashidx_reserve(struct tk_hashidx *h, size_t items)
{
	size_t slots = MIN_SLOTS;
	while (slots < items * 2 && slots < ((size_t)1 << 31))
		slots *= 2;
	if (!h->s || slots > h->mask + 1)
		resize(h, slots - 1);
}

void tk_hashidx_add(struct tk_hashidx *h, uint32_t hash, uint32_t item)
{
	if (item == TK_HASHIDX_NONE)
		return;
	if (!h->s || (h->n + 1) * 2 > h->mask + 1)
		resize(h, h->s ? h->mask * 2 + 1 : MIN_SLOTS - 1);
	put(h->s, h->mask, hash, item, &h->probes);
	h->n++;
}

uint32_t tk_hashidx_u64(uint64_t v)
{
	/* splitmix64's finaliser: every input bit reaches the low bits */
	v ^= v >> 30;
	v *= 0xbf58476d1ce4e5b9ull;
	v ^= v >> 27;
	v *= 0x94d049bb133111ebull;
	v ^= v >> 31;
	return (uint32_t)v;
}
