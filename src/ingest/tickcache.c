/* tickcache: stacks interned by their text, ticks by (stack, pc, ext,
 * tos); open addressing with linear probing (stacks at most 3/4 full,
 * the tick index 1/2); a bound reached clears the ticks (too many) or
 * both (too much stack text). */
#include <stdlib.h>
#include <string.h>
#include "ingest/tickcache.h"
#include "base/util.h"

#ifndef TK_TC_START /* slots of each table at first use; a power of 2 */
#define TK_TC_START 256
#endif

static uint64_t mix(uint64_t h, uint64_t w)
{
	h = (h ^ w) * 0x9e3779b97f4a7c15ull;
	return h ^ h >> 29;
}

/* 8 bytes a step; long text in four independent lanes, so the
 * multiplies overlap instead of waiting on each other */
static uint64_t hash_text(const char *s, size_t n)
{
	uint64_t h = 1469598103934665603ull;
	size_t i = 0;
	if (n >= 32) {
		uint64_t l1 = h ^ 0x243f6a8885a308d3ull, l2 = h ^ 0x13198a2e03707344ull,
			 l3 = h ^ 0xa4093822299f31d0ull;
		for (; i + 32 <= n; i += 32) {
			uint64_t w[4];
			memcpy(w, s + i, 32);
			h = mix(h, w[0]);
			l1 = mix(l1, w[1]);
			l2 = mix(l2, w[2]);
			l3 = mix(l3, w[3]);
		}
		h = mix(mix(mix(h, l1), l2), l3);
	}
	for (; i + 8 <= n; i += 8) {
		uint64_t w;
		memcpy(&w, s + i, 8);
		h = mix(h, w);
	}
	uint64_t t = 0;
	if (n > i)
		memcpy(&t, s + i, n - i);
	return mix(h, t ^ (uint64_t)n << 56);
}

static uint64_t tick_hash(uint32_t stack, uint64_t pc, uint64_t ext, uint64_t tos)
{
	uint64_t h = mix(mix(mix(mix(0x243f6a8885a308d3ull, stack), pc), tos), ext);
	h = (h ^ h >> 33) * 0xff51afd7ed558ccdull; /* every bit into the low ones too */
	return h ^ h >> 33;
}

static void clear_ticks(struct tk_tickcache *c)
{
	if (c->tidx)
		memset(c->tidx, 0, (c->tmask + 1) * sizeof *c->tidx);
	c->n_ticks = 0;
	c->clears++;
}

static void clear(struct tk_tickcache *c)
{
	if (c->stacks)
		memset(c->stacks, 0, (c->smask + 1) * sizeof *c->stacks);
	c->n_stacks = 0;
	c->text_len = 0;
	clear_ticks(c);
}

static void grow_stacks(struct tk_tickcache *c)
{
	size_t old = c->stacks ? c->smask + 1 : 0, n = old ? old * 2 : TK_TC_START;
	struct tk_tc_stack *v = tk_xcalloc(n, sizeof *v);
	for (size_t i = 0; i < old; i++) {
		if (!c->stacks[i].id)
			continue;
		size_t s = c->stacks[i].hash & (n - 1);
		while (v[s].id)
			s = (s + 1) & (n - 1);
		v[s] = c->stacks[i];
	}
	free(c->stacks);
	c->stacks = v;
	c->smask = n - 1;
}

uint32_t tk_tickcache_stack(struct tk_tickcache *c, const char *s, size_t n)
{
	if (n > TK_TC_MAX_STACK)
		return 0;
	uint64_t h = hash_text(s, n);
	if (c->stacks) {
		for (size_t i = h & c->smask;; i = (i + 1) & c->smask) {
			const struct tk_tc_stack *e = &c->stacks[i];
			if (!e->id)
				break;
			if (e->hash == h && e->len == n && memcmp(c->text + e->off, s, n) == 0)
				return e->id;
		}
	}
	/* a new stack: bounds first (clearing invalidates every id) */
	if (c->text_len + n > TK_TC_TEXT_MAX || c->n_stacks >= UINT32_MAX - 1)
		clear(c);
	if (!c->stacks || (c->n_stacks + 1) * 4 > (c->smask + 1) * 3)
		grow_stacks(c);
	tk_xgrow((void **)&c->text, &c->text_cap, c->text_len + n + 1, 1);
	memcpy(c->text + c->text_len, s, n);
	size_t i = h & c->smask;
	while (c->stacks[i].id)
		i = (i + 1) & c->smask;
	c->stacks[i] = (struct tk_tc_stack){ h, (uint32_t)c->text_len, (uint32_t)n, (uint32_t)++c->n_stacks };
	c->text_len += n;
	return c->stacks[i].id;
}

/* the index slot of the key: its entry's, or the empty one it would
 * take. An index slot is the hash's high half (a tag: most other keys
 * are passed over without reading their entry) and the entry's index + 1. */
static uint64_t *tick_slot(const struct tk_tickcache *c, uint32_t stack, uint64_t pc, uint64_t ext,
			   uint64_t tos, uint64_t h)
{
	uint64_t tag = h & 0xffffffff00000000ull;
	for (size_t i = h & c->tmask;; i = (i + 1) & c->tmask) {
		uint64_t *x = &c->tidx[i];
		if (!*x)
			return x;
		if ((*x & 0xffffffff00000000ull) != tag)
			continue;
		const struct tk_tc_tick *t = &c->ticks[(uint32_t)*x - 1];
		if (t->stack == stack && t->pc == pc && t->tos == tos && t->ext == ext)
			return x;
	}
}

/* generations are numbered as they come: an entry holds the number */
static uint32_t epoch_of(struct tk_tickcache *c, uint64_t gen)
{
	if (c->epoch && gen == c->gen)
		return c->epoch;
	if (c->epoch == UINT32_MAX) { /* numbers run out: forget every tick */
		clear_ticks(c);
		c->epoch = 0;
	}
	c->gen = gen;
	return ++c->epoch;
}

const struct tk_tc_tick *tk_tickcache_find(struct tk_tickcache *c, uint32_t stack, uint64_t pc,
					   uint64_t ext, uint64_t tos, uint64_t gen)
{
	if (!stack || !c->tidx || ext > UINT32_MAX)
		return NULL;
	uint32_t e = epoch_of(c, gen);
	uint32_t x = (uint32_t)*tick_slot(c, stack, pc, ext, tos, tick_hash(stack, pc, ext, tos));
	return x && c->ticks[x - 1].epoch == e ? &c->ticks[x - 1] : NULL;
}

static void grow_index(struct tk_tickcache *c)
{
	size_t n = c->tidx ? (c->tmask + 1) * 2 : TK_TC_START;
	free(c->tidx);
	c->tidx = tk_xcalloc(n, sizeof *c->tidx);
	c->tmask = n - 1;
	for (size_t i = 0; i < c->n_ticks; i++) {
		const struct tk_tc_tick *t = &c->ticks[i];
		uint64_t h = tick_hash(t->stack, t->pc, t->ext, t->tos);
		*tick_slot(c, t->stack, t->pc, t->ext, t->tos, h) = (h & 0xffffffff00000000ull) | (i + 1);
	}
}

void tk_tickcache_store(struct tk_tickcache *c, uint32_t stack, uint64_t pc, uint64_t ext, uint64_t tos,
			uint64_t gen, const struct tk_tick_result *res, uint32_t bad_frames)
{
	if (!stack || ext > UINT32_MAX)
		return;
	uint32_t e = epoch_of(c, gen);
	if (c->n_ticks >= TK_TC_MAX_TICKS)
		clear_ticks(c); /* the stack ids stay valid */
	if (!c->tidx || (c->n_ticks + 1) * 2 > c->tmask + 1)
		grow_index(c);
	uint64_t h = tick_hash(stack, pc, ext, tos);
	uint64_t *x = tick_slot(c, stack, pc, ext, tos, h);
	if (!*x) {
		tk_xgrow((void **)&c->ticks, &c->ticks_cap, c->n_ticks + 1, sizeof *c->ticks);
		*x = (h & 0xffffffff00000000ull) | ++c->n_ticks;
	}
	c->ticks[(uint32_t)*x - 1] = (struct tk_tc_tick){ pc, tos, stack, e, (uint32_t)ext, bad_frames, *res };
}

void tk_tickcache_release(struct tk_tickcache *c)
{
	free(c->stacks);
	free(c->text);
	free(c->tidx);
	free(c->ticks);
	memset(c, 0, sizeof *c);
}
