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
#include "isolate.h"

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
