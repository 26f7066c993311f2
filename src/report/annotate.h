/*
 * annotate: --annotate=RE, pprof's -list for JS: for each JS function
 * whose name matches RE, its source lines with the ticks spent on each
 * (flat: the line was running; cum: the line was on the stack).
 *
 * Invariants: reads the profile and the isolate's srcpos, changes
 * neither; frames are grouped by function name and file as --lines names
 * them ("TYPE: <tier>F FILE:LINE"), all tiers together; a frame without a
 * position table (baseline code, old logs) counts on the function's own
 * line, so a function's flat ticks always add up to its self ticks; a
 * line's cum counts each tick once however deep the recursion.
 *
 *     tk_annotate(stdout, iso, regex);
 */
#ifndef TK_ANNOTATE_H
#define TK_ANNOTATE_H

#include <stdio.h>
#include "ingest/isolate.h"

/* Runs of cold lines longer than this are elided (context kept each side). */
#define TK_ANNOTATE_CONTEXT 3

void tk_annotate(FILE *out, const struct tk_isolate *iso, const void *regex);

#endif
