/*
 * window: the time window of --range, --from and --to. A bound is
 * milliseconds since the profiler started (as --range takes them) or a
 * percentage of the log's duration ("25%": a quarter of the way from its
 * first tick to its last).
 *
 * Invariants: every bound given applies (the window is the intersection
 * of --range, --from and --to); millisecond bounds are folded into the
 * options once, percentages per log, from a first pass that reads only
 * the tick times (constant memory); standard input and pipes are copied
 * to an unlinked temporary file first (tk_input_spool), so they can be
 * read twice.
 *
 *     struct tk_bound b;
 *     if (tk_window_parse(arg, &b) < 0) ...usage...;
 *     tk_window_add(&o, &b, 0);                  // milliseconds: now
 *     tk_window_resolve(&o, path, &from, &to, &d); // percentages: per log
 */
#ifndef TK_WINDOW_H
#define TK_WINDOW_H

#include <stdint.h>
#include "ingest/isolate.h"

struct tk_bound {
	int set;
	int pct;       /* v is a percentage (0..100) of the log's duration */
	double v;      /* milliseconds, or percent */
};

/* "1500", "1500.5" (ms) or "25%" (0..100). 0 or -1 (bad text). */
int tk_window_parse(const char *s, struct tk_bound *b);

/* Narrows o's range with one bound (end: the upper one) at ms. */
void tk_window_narrow(struct tk_opts *o, double ms, int end);

/* The first and last tick times (us) of the log at path: 1 found, 0 no
 * tick, -1 with d filled (unreadable). */
int tk_window_scan(const char *path, uint64_t *first, uint64_t *last, struct tk_diag *d);

/* Narrows o with the percentage bounds among from/to, from path's own
 * duration. 0, or -1 with d filled. A log without ticks is left as is. */
int tk_window_resolve(struct tk_opts *o, const char *path, const struct tk_bound *from,
		      const struct tk_bound *to, struct tk_diag *d);

#endif
