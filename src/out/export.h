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
 *
 * main.c calls them through the table of format.h, which names them.
 */
#ifndef TK_EXPORT_H
#define TK_EXPORT_H

#include <stdio.h>
#include "ingest/isolate.h"

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

/* The sampling interval of an isolate's log (profiler,begin), 1000 us
 * (V8's default) when the log does not say. */
static inline uint64_t tk_export_interval_us(const struct tk_isolate *iso)
{
	return iso->interval_us ? iso->interval_us : 1000;
}

/* Where timeline writers put a tick with no frame left: by VM state. */
enum tk_export_syn { TK_SYN_PROGRAM, TK_SYN_GC, TK_SYN_IDLE, TK_SYN_COUNT };

static inline enum tk_export_syn tk_export_syn_of(const struct tk_isolate *iso, uint32_t state)
{
	if ((int64_t)state == iso->state_num[TK_VM_GC])
		return TK_SYN_GC;
	if ((int64_t)state == iso->state_num[TK_VM_IDLE])
		return TK_SYN_IDLE;
	return TK_SYN_PROGRAM;
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
/* node --prof-process --preprocess's document for one log (x->n must be
 * 1; the log must have been read with opts.preprocess): out_preprocess.c
 * over the builder of preprocess/preprocess.h. */
int tk_export_preprocess(FILE *out, const struct tk_export *x, struct tk_diag *d);

#endif
