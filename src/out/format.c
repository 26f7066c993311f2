/* format: the table of output formats (format.h). The text report and
 * the JSON document get adapters to the writers' common signature; main.c
 * streams those two itself, log by log (and sums --merge as each log is
 * read, ingest/merge.h), so the adapters serve callers that hold every
 * log unshrunk (the fuzz target, tests); with x->merge they sum them
 * through the same tk_merge. */
#include <string.h>
#include "out/format.h"
#include "out/out_json.h"
#include "out/out_text.h"
#include "ingest/merge.h"

/* The sum of x's logs (read to their end, not shrunk) into m. */
static void merge_all(struct tk_merge *m, const struct tk_export *x)
{
	const struct tk_isolate *first = x->isos[0];
	tk_merge_init(m, first->opts, first->names, first->cache);
	for (size_t i = 0; i < x->n; i++)
		tk_merge_add(m, x->isos[i]);
}

/* each log's report, a blank line between two (as main.c prints them);
 * x->merge: the one report of their sum */
static int write_text(FILE *out, const struct tk_export *x, struct tk_diag *d)
{
	(void)d;
	if (x->merge && x->n > 1) {
		struct tk_merge m;
		merge_all(&m, x);
		tk_out_text(out, tk_merge_result(&m));
		tk_merge_release(&m);
		return 0;
	}
	for (size_t i = 0; i < x->n; i++) {
		if (i)
			fputc('\n', out);
		tk_out_text(out, x->isos[i]);
	}
	return 0;
}

/* one document with every log's profile; x->merge: with their sum */
static int write_json(FILE *out, const struct tk_export *x, struct tk_diag *d)
{
	struct tk_json j;
	(void)d;
	tk_out_json_begin(&j, out);
	if (x->merge && x->n > 1) {
		struct tk_merge m;
		merge_all(&m, x);
		tk_out_json_merged(&j, &m);
		tk_merge_release(&m);
	} else {
		for (size_t i = 0; i < x->n; i++)
			tk_out_json_profile(&j, x->isos[i]);
	}
	tk_out_json_finish(&j);
	return 0;
}

/* the order is --help's and the completions' order */
const struct tk_format tk_formats[] = {
	{ "text", TK_FMT_DEFAULT | TK_FMT_STREAMED, write_text, "default" },
	{ "json", TK_FMT_JSON | TK_FMT_STREAMED, write_json, NULL },
	{ "folded", 0, tk_export_folded, NULL },
	{ "pprof", TK_FMT_BINARY | TK_FMT_SAMPLES, tk_export_pprof, "gzipped profile.proto" }, /* vm_state labels */
	{ "cpuprofile", TK_FMT_SAMPLES, tk_export_cpuprofile, "Chrome DevTools" },
	{ "speedscope", TK_FMT_SAMPLES, tk_export_speedscope, NULL },
	{ "html", 0, tk_export_html, "flame graph" },
	{ "preprocess", TK_FMT_ONE_LOG | TK_FMT_PREPROCESS, tk_export_preprocess,
	  "node --prof-process --preprocess; one log" },
};

const size_t tk_n_formats = sizeof tk_formats / sizeof *tk_formats;

const struct tk_format *tk_format_find(const char *name)
{
	for (size_t k = 0; k < tk_n_formats; k++)
		if (strcmp(name, tk_formats[k].name) == 0)
			return &tk_formats[k];
	return NULL;
}

const struct tk_format *tk_format_with(unsigned flags)
{
	for (size_t k = 0; k < tk_n_formats; k++)
		if ((tk_formats[k].flags & flags) == flags)
			return &tk_formats[k];
	return NULL;
}

size_t tk_format_names(char *buf, size_t cap, const char *sep)
{
	size_t n = 0;
	for (size_t k = 0; k < tk_n_formats; k++) {
		const char *parts[2] = { k ? sep : "", tk_formats[k].name };
		for (int p = 0; p < 2; p++)
			for (const char *s = parts[p]; *s; s++, n++)
				if (n + 1 < cap)
					buf[n] = *s;
	}
	if (cap)
		buf[n < cap ? n : cap - 1] = 0;
	return n;
}

void tk_format_help(FILE *out, int indent, int width)
{
	int col = indent;
	for (size_t k = 0; k < tk_n_formats; k++) {
		const struct tk_format *f = &tk_formats[k];
		int last = k + 1 == tk_n_formats;
		int len = (int)strlen(f->name) + (f->note ? (int)strlen(f->note) + 3 : 0) + !last;
		if (col > indent && col + 1 + len > width) {
			fprintf(out, "\n%*s", indent, "");
			col = indent;
		} else if (col > indent) {
			fputc(' ', out);
			col++;
		}
		fputs(f->name, out);
		if (f->note)
			fprintf(out, " (%s)", f->note);
		if (!last)
			fputc(',', out);
		col += len;
	}
	fputc('\n', out);
}
