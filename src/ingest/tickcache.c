/* tickcache: stacks interned by their text, ticks by (stack, pc, ext,
 * tos), each through a hashidx (its inline probe: both are looked up for
 * every tick); a bound reached clears the ticks (too many) or both (too
 * much stack text). */
#include <stdlib.h>
#include <string.h>
#include "ingest/tickcache.h"
#include "base/util.h"

#define TK_TC_RESERVE 1024

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
	tk_hashidx_clear(&c->tidx);
	c->n_ticks = 0;
	c->clears++;
}

static void clear(struct tk_tickcache *c)
{
	tk_hashidx_clear(&c->sidx);
	c->n_stacks = 0;
	c->text_len = 0;
	clear_ticks(c);
}

static uint32_t fold(uint64_t h)
{
	return (uint32_t)(h ^ h >> 32);
}

uint32_t tk_tickcache_stack(struct tk_tickcache *c, const char *s, size_t n)
{
	if (n > TK_TC_MAX_STACK)
		return 0;
	if (__builtin_expect(!c->sidx.s, 0)) { /* room for a small log's stacks and ticks at once */
		tk_hashidx_reserve(&c->sidx, TK_TC_RESERVE);
		tk_hashidx_reserve(&c->tidx, TK_TC_RESERVE);
	}
	uint32_t h = fold(hash_text(s, n));
	struct tk_hashidx_probe pr;
	uint32_t i = tk_hashidx_first(&c->sidx, &pr, h);
	for (; i != TK_HASHIDX_NONE; i = tk_hashidx_next(&c->sidx, &pr)) {
		const struct tk_tc_stack *e = &c->stacks[i];
		if (__builtin_expect(e->len == n && memcmp(c->text + e->off, s, n) == 0, 1))
			return i + 1;
	}
	/* a new stack: bounds first (clearing invalidates every id, and
	 * the probe: the add then probes again) */
	int cleared = 0;
	if (c->text_len + n > TK_TC_TEXT_MAX || c->n_stacks >= UINT32_MAX - 1) {
		clear(c);
		cleared = 1;
	}
	tk_xgrow((void **)&c->text, &c->text_cap, c->text_len + n + 1, 1);
	memcpy(c->text + c->text_len, s, n);
	tk_xgrow((void **)&c->stacks, &c->stacks_cap, c->n_stacks + 1, sizeof *c->stacks);
	i = (uint32_t)c->n_stacks++;
	c->stacks[i] = (struct tk_tc_stack){ (uint32_t)c->text_len, (uint32_t)n };
	c->text_len += n;
	if (cleared)
		tk_hashidx_add(&c->sidx, h, i);
	else
		tk_hashidx_add_at(&c->sidx, &pr, i);
	return i + 1;
}

/* The tick with the key, or TK_HASHIDX_NONE with the probe on the empty
 * slot it would take. */
static inline __attribute__((always_inline)) uint32_t tick_find(const struct tk_tickcache *c, uint32_t stack,
								uint64_t pc, uint64_t ext, uint64_t tos,
								struct tk_hashidx_probe *pr)
{
	uint32_t i = tk_hashidx_first(&c->tidx, pr, (uint32_t)tick_hash(stack, pc, ext, tos));
	for (; i != TK_HASHIDX_NONE; i = tk_hashidx_next(&c->tidx, pr)) {
		const struct tk_tc_tick *t = &c->ticks[i];
		if (__builtin_expect(t->stack == stack && t->pc == pc && t->tos == tos && t->ext == ext, 1))
			break;
	}
	return i;
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
	if (!stack || ext > UINT32_MAX)
		return NULL;
	uint32_t e = epoch_of(c, gen);
	struct tk_hashidx_probe pr;
	uint32_t i = tick_find(c, stack, pc, ext, tos, &pr);
	return i != TK_HASHIDX_NONE && c->ticks[i].epoch == e ? &c->ticks[i] : NULL;
}

void tk_tickcache_store(struct tk_tickcache *c, uint32_t stack, uint64_t pc, uint64_t ext, uint64_t tos,
			uint64_t gen, const struct tk_tick_result *res, uint32_t bad_frames)
{
	if (!stack || ext > UINT32_MAX)
		return;
	uint32_t e = epoch_of(c, gen);
	if (c->n_ticks >= TK_TC_MAX_TICKS)
		clear_ticks(c); /* the stack ids stay valid */
	struct tk_hashidx_probe pr;
	uint32_t i = tick_find(c, stack, pc, ext, tos, &pr);
	if (i == TK_HASHIDX_NONE) {
		tk_xgrow((void **)&c->ticks, &c->ticks_cap, c->n_ticks + 1, sizeof *c->ticks);
		i = (uint32_t)c->n_ticks++;
		tk_hashidx_add_at(&c->tidx, &pr, i);
	}
	c->ticks[i] = (struct tk_tc_tick){ pc, tos, stack, e, (uint32_t)ext, bad_frames, *res };
}

void tk_tickcache_release(struct tk_tickcache *c)
{
	free(c->stacks);
	tk_hashidx_release(&c->sidx);
	free(c->text);
	tk_hashidx_release(&c->tidx);
	free(c->ticks);
	memset(c, 0, sizeof *c);
}
