/*
 * format: the one table of output formats. Every place that names a
 * format (--format, --json, --help's list, the completion scripts, the
 * -o / '%i' / binary checks of main.c, the fuzz target) reads it here.
 *
 * Invariants: names are unique; every entry has a writer; exactly one
 * entry is TK_FMT_DEFAULT (the text report) and exactly one TK_FMT_JSON;
 * TK_FMT_STREAMED entries are the default and the JSON document (main.c
 * writes them one log at a time as each is read, all others keep every
 * log until the end and get them in one call); a TK_FMT_BINARY or
 * TK_FMT_ONE_LOG entry is not streamed. Writers only read the isolates
 * (export.h) and return 0, or -1 with d filled.
 *
 *     const struct tk_format *f = tk_format_find("pprof");
 *     struct tk_export x = { isos, n, merge };
 *     if (f && f->write(out, &x, &d) < 0) tk_diag_print(&d);
 *
 * To add a format: write `int tk_export_NAME(FILE *, const struct
 * tk_export *, struct tk_diag *)` in out_NAME.c, declare it in export.h
 * and add its entry to tk_formats[] in format.c (name, flags, writer,
 * the note --help prints after the name).
 */
#ifndef TK_FORMAT_H
#define TK_FORMAT_H

#include <stddef.h>
#include <stdio.h>
#include "out/export.h"

enum {
	TK_FMT_DEFAULT = 1u << 0,    /* the text report: --pcs, --timeline, --annotate replace it */
	TK_FMT_JSON = 1u << 1,       /* the ticks/1 document (--json; ticks diff --json) */
	TK_FMT_STREAMED = 1u << 2,   /* written one log at a time as it is read */
	TK_FMT_BINARY = 1u << 3,     /* never written to a terminal */
	TK_FMT_SAMPLES = 1u << 4,    /* needs every sample in time order (opts.keep_samples) */
	TK_FMT_ONE_LOG = 1u << 5,    /* one log per output: several only with -o FILE-%i */
	TK_FMT_PREPROCESS = 1u << 6, /* logs are read for it (opts.preprocess) */
};

struct tk_format {
	const char *name;
	unsigned flags;
	int (*write)(FILE *out, const struct tk_export *x, struct tk_diag *d);
	const char *note; /* --help: "pprof (NOTE)", or NULL */
};

extern const struct tk_format tk_formats[];
extern const size_t tk_n_formats;

/* The entry named name (exactly, case-sensitive), or NULL. */
const struct tk_format *tk_format_find(const char *name);

/* The first entry with every bit of flags set (TK_FMT_DEFAULT, TK_FMT_JSON). */
const struct tk_format *tk_format_with(unsigned flags);

/* The names in table order with sep between them, into buf (always
 * terminated; cut at cap). Returns the length the whole list needs. */
size_t tk_format_names(char *buf, size_t cap, const char *sep);

/* --help's list: "name (note), name, ..." wrapped at width columns, the
 * first line after a prefix of indent columns already printed, each
 * further line indented by indent spaces; ends with a newline. */
void tk_format_help(FILE *out, int indent, int width);

#endif
