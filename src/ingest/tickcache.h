/*
 * tickcache: what resolved ticks added to the profile, remembered so an
 * identical tick is replayed instead of parsed and resolved again.
 *
 * Two levels. A stack (the raw text after a tick's VM state) is interned
 * once: its text is hashed and compared against the few hundred distinct
 * stacks a profile has, which stay in the CPU's cache. A tick is then the
 * small key (stack id, pc, external flag, tos) under the generation of the
 * code map and libraries it was resolved with: a different generation is
 * a miss, and the store replaces the stale result.
 *
 * Invariants: stack ids start at 1; an id stays valid until the stacks
 * are cleared, which happens only inside tk_tickcache_stack when
 * TK_TC_TEXT_MAX bytes of stack text would be passed; past
 * TK_TC_MAX_TICKS ticks the store clears the ticks alone. Memory is
 * bounded whatever the log. The caller asks for the stack id first and
 * uses it for the find and the store of that tick.
 *
 *     struct tk_tickcache c = {0};
 *     uint32_t s = tk_tickcache_stack(&c, rest, rest_n);   // 0: not cached
 *     const struct tk_tc_tick *t = tk_tickcache_find(&c, s, pc, ext, tos, gen);
 *     if (!t) { ...resolve...; tk_tickcache_store(&c, s, pc, ext, tos, gen, &res, bad); }
 *     tk_tickcache_release(&c);
 */
#ifndef TK_TICKCACHE_H
#define TK_TICKCACHE_H

#include <stddef.h>
#include <stdint.h>
#include "base/hashidx.h"
#include "ingest/resolve_types.h"

/* Bounds: ~4 MiB each at most (a tick is 56 bytes and 8 to 16 of index). */
#ifndef TK_TC_TEXT_MAX /* bytes of stack text kept at most */
#define TK_TC_TEXT_MAX (4u << 20)
#endif
#ifndef TK_TC_MAX_TICKS /* ticks kept at most */
#define TK_TC_MAX_TICKS (1u << 16)
#endif
#define TK_TC_MAX_STACK 65536 /* a longer stack text is never cached */

struct tk_tc_tick {
	uint64_t pc, tos;
	uint32_t stack;
	uint32_t epoch;       /* of the generation it was resolved in */
	uint32_t ext;
	uint32_t bad_frames;  /* bad frames the tick had (counted again on replay) */
	struct tk_tick_result res;
};

struct tk_tc_stack {
	uint32_t off, len;    /* in text */
};

struct tk_tickcache {
	struct tk_tc_stack *stacks; /* dense: stack id - 1 */
	size_t n_stacks, stacks_cap;
	struct tk_hashidx sidx;     /* stack text -> stack id - 1 */
	char *text;
	size_t text_len, text_cap;
	struct tk_hashidx tidx;     /* (stack, pc, ext, tos) -> index in ticks */
	struct tk_tc_tick *ticks;   /* dense */
	size_t n_ticks, ticks_cap;
	uint64_t gen;               /* the generation last asked for, */
	uint32_t epoch;             /* and its number (0: none yet) */
	unsigned long long clears;  /* times a bound was reached */
};

uint32_t tk_tickcache_stack(struct tk_tickcache *c, const char *s, size_t n);
const struct tk_tc_tick *tk_tickcache_find(struct tk_tickcache *c, uint32_t stack, uint64_t pc,
					   uint64_t ext, uint64_t tos, uint64_t gen);
void tk_tickcache_store(struct tk_tickcache *c, uint32_t stack, uint64_t pc, uint64_t ext, uint64_t tos,
			uint64_t gen, const struct tk_tick_result *res, uint32_t bad_frames);
void tk_tickcache_release(struct tk_tickcache *c);

#endif
