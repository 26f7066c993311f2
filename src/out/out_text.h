/*
 * out_text: the report `node --prof-process` prints, byte for byte:
 * header, [Shared libraries], [JavaScript], [C++], [Summary],
 * [C++ entry points], [Bottom up (heavy) profile].
 *
 * Invariants: reads the isolate, changes nothing; percentages use the
 * reference's arithmetic order and JavaScript's toFixed(1) (half up on
 * exact ties); names tie-break in descending UTF-16 order.
 *
 *     tk_out_text(stdout, &iso);
 */
#ifndef TK_OUT_TEXT_H
#define TK_OUT_TEXT_H

#include <stdio.h>
#include "ingest/isolate.h"

/* A name with a tick count (and a tree node, for tree children). */
struct tk_row {
	const struct tk_name *name;
	uint64_t ticks;
	uint32_t node;
};

/* ticks descending, then name descending (UTF-16): the report's order */
int tk_cmp_row(const void *x, const void *y);

/* The flat rows (every name with self ticks) in report order; caller
 * frees *out with free(). */
size_t tk_flat_rows(const struct tk_isolate *iso, struct tk_row **out);

/* The C++ entry points in report order; with total, a row of that name
 * holding the sum is sorted in with them (the reference's quirk: the
 * text report drops whatever sorts first). Caller frees *out. */
size_t tk_entry_rows(const struct tk_isolate *iso, const struct tk_name *total, struct tk_row **out);

/* The children of a tree node by total, in report order; caller frees. */
size_t tk_sorted_children(const struct tk_isolate *iso, const struct tk_tree *t, uint32_t node,
			  struct tk_row **out);

/* Prints the whole report (or the parts the options ask for). */
void tk_out_text(FILE *out, const struct tk_isolate *iso);

/* --pcs: every distinct first frame with its ticks, library, address in
 * the library's ELF file and name, one per line (tab-separated). */
void tk_out_pcs(FILE *out, const struct tk_isolate *iso);

/* JavaScript's x.toFixed(1) into out (at least 16 bytes). */
void tk_fmt_fixed1(char *out, size_t size, double x);

/* Compares two UTF-8 strings as JavaScript compares strings (UTF-16
 * code units): <0, 0, >0. */
int tk_cmp_utf16(const char *a, size_t an, const char *b, size_t bn);

#endif
