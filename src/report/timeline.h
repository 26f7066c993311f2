/*
 * timeline: --timeline, the ticks of one log per time interval by
 * category (JS, C++, GC, shared library, idle, other), as a text chart
 * of at most 80 columns.
 *
 * Invariants: reads the profile's samples (struct tk_opts.keep_samples),
 * never changes the isolate; the intervals split [first tick, last tick]
 * of the counted ticks into n equal parts, so every sample lands in one
 * and the counts add up to the samples; a tick's category is GC or idle
 * by its VM state, else the kind of its innermost frame (what [Summary]
 * counts it as); "other" is UNKNOWN and ticks left with no frame.
 *
 *     struct tk_timeline tl;
 *     tk_timeline_build(&tl, &iso, 20); ...tl.c[i][TK_TL_JS]...; tk_timeline_free(&tl);
 *     tk_out_timeline(stdout, &iso, 20);
 */
#ifndef TK_TIMELINE_H
#define TK_TIMELINE_H

#include <stdint.h>
#include <stdio.h>
#include "ingest/isolate.h"

enum tk_tl_cat { TK_TL_JS, TK_TL_CPP, TK_TL_GC, TK_TL_LIB, TK_TL_IDLE, TK_TL_OTHER, TK_TL_CATS };

#define TK_TIMELINE_DEFAULT 20
#define TK_TIMELINE_MAX 1000
#define TK_TIMELINE_BAR 24      /* columns of the widest bar */

struct tk_timeline {
	size_t n;                    /* intervals (0: no samples) */
	uint64_t t0;                 /* first tick, us */
	double width;                /* of an interval, us */
	uint64_t (*c)[TK_TL_CATS];   /* ticks per interval and category */
	uint64_t max;                /* ticks of the fullest interval */
};

void tk_timeline_build(struct tk_timeline *tl, const struct tk_isolate *iso, size_t n);
void tk_timeline_free(struct tk_timeline *tl);
/* The category of a sample. */
enum tk_tl_cat tk_timeline_cat(const struct tk_isolate *iso, const struct tk_sample *s);
/* The bar of one interval, width columns for max ticks: one letter per
 * category (JCGLI?), largest remainders rounded up; NUL-terminated, out
 * holds width + 1 bytes. */
void tk_timeline_bar(const uint64_t c[TK_TL_CATS], uint64_t max, int width, char *out);
/* The chart of one log. */
void tk_out_timeline(FILE *out, const struct tk_isolate *iso, size_t n);

#endif
