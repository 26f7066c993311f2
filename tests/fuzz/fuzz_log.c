/* fuzz_log: a whole log through the pipeline (input, parser, code map,
 * resolver, profile) to an output format. The first byte picks the format
 * (low 3 bits: 0 the text report, JSON and --pcs; 1 to 6 the formats of
 * format.c that are not streamed, in table order (folded, pprof,
 * cpuprofile, speedscope, html, preprocess); 7 every one of those that
 * reads logs as the others do; each per log and merged unless it takes
 * one log) and the options (the other bits); the rest is the log file,
 * read as ticks reads any file (plain or gzip). Libraries are never
 * opened: --no-symbols, or a --sysroot that does not exist (every
 * library missing). */
#include <regex.h>
#include <stdlib.h>
#include "out/export.h"
#include "out/format.h"
#include "fuzz.h"
#include "ingest/isolate.h"
#include "model/libs.h"
#include "base/names.h"
#include "out/out_json.h"
#include "out/out_text.h"
#include "preprocess/preprocess.h"

/* the k-th (from 1) format main.c does not stream, or NULL */
static const struct tk_format *kept_format(unsigned k)
{
	for (size_t i = 0; i < tk_n_formats; i++)
		if (!(tk_formats[i].flags & TK_FMT_STREAMED) && --k == 0)
			return &tk_formats[i];
	return NULL;
}

static void set_opts(struct tk_opts *o, unsigned flags)
{
	static regex_t focus, hide;
	static int compiled;
	if (!compiled) {
		regcomp(&focus, "[a-z]", REG_EXTENDED | REG_NOSUB);
		regcomp(&hide, "^node", REG_EXTENDED | REG_NOSUB);
		compiled = 1;
	}
	tk_opts_default(o);
	o->quiet = 1;
	o->keep_samples = 1;
	const struct tk_format *f = kept_format(flags & 7);
	o->preprocess = f && (f->flags & TK_FMT_PREPROCESS);
	o->no_symbols = !(flags & 8);
	o->sysroot = flags & 8 ? "/nonexistent-ticks-fuzz-sysroot" : NULL;
	o->top_down_only = (flags & 16) != 0;
	o->bottom_up_only = (flags & 48) == 48;
	o->separate_bytecodes = (flags & 32) != 0;
	o->separate_ic = !(flags & 32);
	if ((flags & 96) == 96)
		o->state_filter = TK_VM_JS;
	o->verbose = (flags & 64) != 0;
	o->lines = (flags & 64) != 0;
	if (flags & 128) {
		o->ignore_unknown = 1;
		o->top_rows = 3;
		o->cutoff_pct = 0;
		o->call_graph_size = 1000;
		o->focus = &focus;
		o->hide = &hide;
		o->have_range_start = 1;
		o->range_start_ms = 1;
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	struct tk_opts opts;
	set_opts(&opts, data[0]);
	const char *path = tk_fuzz_file(data + 1, size - 1);
	FILE *null = tk_fuzz_null();
	struct tk_names names;
	struct tk_elfcache cache;
	tk_names_init(&names);
	tk_elfcache_init(&cache, opts.sysroot);
	cache.quiet = 1;
	cache.no_symbols = opts.no_symbols;
	struct tk_isolate iso;
	struct tk_diag d = {0};
	struct tk_json j;
	tk_isolate_init(&iso, path, &opts, &names, &cache);
	if (opts.preprocess)
		tk_pre_attach(&iso);
	int r = tk_isolate_run(&iso, &d);
	tk_out_json_begin(&j, null);
	if (r < 0) {
		tk_out_json_error(&j, path, &d);
	} else if ((data[0] & 7) == 0) {
		tk_out_json_profile(&j, &iso);
		tk_out_text(null, &iso);
		tk_out_pcs(null, &iso);
	} else {
		const struct tk_isolate *two[2] = { &iso, &iso };
		const struct tk_format *f;
		for (unsigned k = 1; (f = kept_format(k)) != NULL; k++) {
			if ((data[0] & 7) == 7 ? (f->flags & TK_FMT_PREPROCESS) != 0 : (data[0] & 7) != k)
				continue;
			for (int merge = 0; merge < ((f->flags & TK_FMT_ONE_LOG) ? 1 : 2); merge++) {
				struct tk_export x = { two, 1 + (size_t)merge, merge };
				struct tk_diag e = {0};
				f->write(null, &x, &e);
			}
		}
	}
	tk_out_json_finish(&j);
	fflush(null);
	tk_isolate_release(&iso);
	tk_elfcache_release(&cache);
	tk_names_release(&names);
	return 0;
}
