/*
 * export: the writers for other tools' formats, behind one interface.
 * Each reads the profiles of one or more isolates (logs) and writes one
 * file.
 *
 * Invariants: writers only read the isolates; frames are the names of the
 * top-down tree (root first); with several isolates and no merge, every
 * stack starts with a frame naming its isolate ("isolate N: PATH"), with
 * merge the stacks are summed as if from one log; timelines (cpuprofile,
 * speedscope) need prof.samples (struct tk_opts.keep_samples). A writer
 * returns 0, or -1 with d filled.
 *
 *     struct tk_export x = { isos, n, merge };
 *     tk_export_folded(stdout, &x, &d);
 */
#ifndef TK_EXPORT_H
#define TK_EXPORT_H

#include <stdio.h>
#include "isolate.h"

struct tk_export {
	const struct tk_isolate *const *isos;
	size_t n;
	int merge;
};

/* Whether stacks of isolate i get a root frame naming it. */
static inline int tk_export_isolate_root(const struct tk_export *x)
{
	return x->n > 1 && !x->merge;
}

/* "frame;frame;frame count" per distinct stack, root first. */
int tk_export_folded(FILE *out, const struct tk_export *x, struct tk_diag *d);
/* gzip-compressed profile.proto (pprof). */
int tk_export_pprof(FILE *out, const struct tk_export *x, struct tk_diag *d);
/* Chrome DevTools .cpuprofile. */
int tk_export_cpuprofile(FILE *out, const struct tk_export *x, struct tk_diag *d);
/* speedscope's file format. */
int tk_export_speedscope(FILE *out, const struct tk_export *x, struct tk_diag *d);
/* A self-contained interactive flame graph (HTML with inline SVG and JS). */
int tk_export_html(FILE *out, const struct tk_export *x, struct tk_diag *d);

#endif
