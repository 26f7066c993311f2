/*
 * consumer: what reads a log's events besides the profile builder (as
 * perf's perf_tool): preprocess's document, source positions
 * (srcpos_consumer.c), ... Each is a context and callbacks; an isolate
 * feeds every event of the types a consumer takes, in log order, to each
 * of its consumers before the profile builder takes it (a consumer sees
 * the code map as it stood before the line), or with TK_CONS_AFTER just
 * after (it sees the line's effect: the code map, iso->added).
 *
 * Invariants: the isolate owns its consumers' contexts once added (it
 * calls free at release, never at shrink: what a consumer built outlives
 * the reading); end is called once, after the last line.
 *
 *     struct tk_consumer c = { .ctx = p, .event = my_event, .free = my_free };
 *     tk_isolate_add_consumer(iso, &c);
 */
#ifndef TK_CONSUMER_H
#define TK_CONSUMER_H

#include "input/v8log.h"

struct tk_diag;

enum {
	/* wants the tick lines of a log with quoted fields (V8 < 6.8) split
	 * in full, quotes honoured; elsewhere a tick's stack is one field, the
	 * rest of the line (tk_csv_split_max), whoever takes it */
	TK_CONS_SPLIT_QUOTED = 1u << 0,
	TK_CONS_AFTER = 1u << 1,       /* fed after the isolate handled the line */
};

/* The types of events a consumer takes (tk_consumer.types). */
#define TK_EV_BIT(t) (1u << (t))

struct tk_consumer {
	void *ctx;
	unsigned flags;                 /* TK_CONS_* */
	uint32_t types;                 /* TK_EV_BIT()s of the events it takes; 0: every event */
	void (*event)(void *ctx, const struct tk_ev *ev);
	int (*end)(void *ctx, struct tk_diag *d); /* NULL: nothing to do; < 0: the log fails */
	void (*free)(void *ctx);        /* NULL: nothing to free */
};

#define TK_MAX_CONSUMERS 4

#endif
