/* main: the run. The options (args.h) settled, every log is read and
 * reported in the order given; the exit code is the worst outcome over
 * all logs (include/ticks.h). */
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stddef.h>
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "cli/args.h"
#include "base/escape.h"
#include "out/export.h"
#include "out/format.h"
#include "input/input.h"
#include "ingest/isolate.h"
#include "model/libs.h"
#include "base/diag.h"
#include "base/names.h"
#include "out/out_json.h"
#include "out/out_text.h"
#include "out/output.h"
#include "preprocess/preprocess.h"
#include "report/annotate.h"
#include "cli/completion.h"
#include "cli/record.h"
#include "input/logdir.h"
#include "report/diff.h"
#include "report/timeline.h"
#include "ingest/merge.h"
#include "ingest/window.h"
#include "symbols/loader.h"

/* One run over the logs (main, run_log, write_streamed, write_kept). */
struct run {
	struct cli *c;
	char **argv;
	FILE *out;
	struct tk_json j; /* the document of every log (JSON, no '%i') */
	int rc, json;
	struct tk_names *names;
	struct tk_elfcache *cache;
	struct tk_isolate **kept; /* the logs an export writes at the end */
	size_t *kept_arg, nkept;  /* %i: 1, 2, ... */
	struct tk_opts **lopts;   /* per log: --from=P% */
	uint64_t *ticks;          /* per log: its ticks (the table of a DIR) */
	struct tk_merge *merge;   /* --merge of text or JSON: the sum so far */
};

/* A streamed format (text, JSON; --pcs, --timeline, --annotate): log pos
 * (1, 2, ... among the logs) written as soon as it is read. */
static void write_streamed(struct run *r, const struct tk_isolate *iso, size_t pos)
{
	const struct cli *c = r->c;
	FILE *lout = r->out;
	struct tk_output one = {0};
	struct tk_export one_log = { &iso, 1, 0 };
	struct tk_diag wd = {0}; /* text and JSON: nothing to fail */
	char *path = c->per_log ? tk_cli_per_log_path(c->output, pos) : NULL;
	if (path) {
		int e = tk_output_open(&one, path);
		if (e && e > r->rc)
			r->rc = e;
		lout = one.f;
	}
	if (!lout) {
		/* the per-log file could not be made: said */
	} else if (r->json && path) {
		c->format->write(lout, &one_log, &wd); /* a document of its own */
	} else if (r->json) {
		tk_out_json_profile(&r->j, iso);
	} else {
		if (pos > 1 && !path)
			fputc('\n', lout);
		if (c->opts.list_pcs)
			tk_out_pcs(lout, iso);
		else if (c->timeline)
			tk_out_timeline(lout, iso, c->timeline);
		else if (c->opts.annotate)
			tk_annotate(lout, iso, c->opts.annotate);
		else
			c->format->write(lout, &one_log, &wd);
	}
	if (path && lout) {
		int e = tk_output_close(&one, 1);
		if (e > r->rc)
			r->rc = e;
	}
	free(path);
}

/* The sum of the logs read (--merge of text or JSON), when one was. */
static void write_merged(struct run *r)
{
	if (!r->merge->n)
		return;
	if (r->json) {
		tk_out_json_merged(&r->j, r->merge);
	} else {
		struct tk_diag wd = {0};
		const struct tk_isolate *m = tk_merge_result(r->merge);
		struct tk_export x = { &m, 1, 0 };
		r->c->format->write(r->out, &x, &wd);
	}
}

/* Log i of argv read (its own time window when a percentage needs one),
 * then written (streamed formats) or kept for the export; 1 when read,
 * 0 when it could not be (said). */
static int run_log(struct run *r, int i)
{
	struct cli *c = r->c;
	char **argv = r->argv;
	struct tk_isolate *iso = tk_xmalloc(sizeof *iso);
	struct tk_diag d = {0};
	struct tk_opts *lo = &c->opts;
	if (c->win_pct) {
		lo = r->lopts[i - optind] = tk_xmalloc(sizeof *lo);
		*lo = c->opts;
	}
	tk_isolate_init(iso, argv[i], lo, r->names, r->cache);
	if (lo->preprocess)
		tk_pre_attach(iso); /* the --format=preprocess document: a consumer of the events */
	if ((c->win_pct && tk_window_resolve(lo, argv[i], &c->from, &c->to, &d) < 0) || tk_isolate_run(iso, &d) < 0) {
		tk_diag_print(&d);
		if (r->json && !c->per_log)
			tk_out_json_error(&r->j, argv[i], &d);
		if (d.code > r->rc)
			r->rc = d.code;
		tk_isolate_release(iso);
		free(iso);
		return 0;
	}
	tk_isolate_report_warnings(iso);
	r->ticks[i - optind] = iso->prof.total;
	if (c->opts.strict && tk_isolate_strict_fails(iso) && r->rc < TK_EXIT_INPUT)
		r->rc = TK_EXIT_INPUT;
	if (iso->prof.total == 0 && !c->opts.quiet && (lo->have_range_start || lo->have_range_end))
		TK_WARN(NO_TICKS_WINDOW, argv[i]);
	else if (iso->prof.total == 0 && !c->opts.quiet)
		TK_WARN(NO_TICKS, argv[i]);
	if (r->merge) {
		tk_merge_add(r->merge, iso); /* written once every log is read */
		tk_isolate_release(iso);
		free(iso);
		return 1;
	}
	if (!(c->format->flags & TK_FMT_STREAMED)) {
		tk_isolate_shrink(iso); /* kept until the export: the profile only */
		r->kept_arg[r->nkept] = (size_t)(i - optind + 1);
		r->kept[r->nkept++] = iso;
		return 1;
	}
	write_streamed(r, iso, (size_t)(i - optind + 1));
	tk_isolate_release(iso);
	free(iso);
	return 1;
}

/* An export of the kept logs: one file (merged or not), or with '%i' one
 * file each. Returns 1 when the one file's export failed (it is then
 * not put in place). */
static int write_kept(struct run *r)
{
	const struct cli *c = r->c;
	struct tk_diag d = {0};
	int failed = 0;
	if (c->per_log) {
		for (size_t i = 0; i < r->nkept && !d.code; i++) {
			char *path = tk_cli_per_log_path(c->output, r->kept_arg[i]);
			struct tk_output one;
			int e = tk_output_open(&one, path);
			if (e) {
				free(path);
				r->rc = e;
				break;
			}
			struct tk_export x = { (const struct tk_isolate *const *)&r->kept[i], 1, 0 };
			if (c->format->write(one.f, &x, &d) < 0)
				tk_diag_print(&d);
			e = tk_output_close(&one, !d.code);
			if (e > r->rc)
				r->rc = e;
			free(path);
		}
	} else {
		struct tk_export x = { (const struct tk_isolate *const *)r->kept, r->nkept, c->merge };
		if (c->format->write(r->out, &x, &d) < 0) {
			tk_diag_print(&d);
			failed = 1;
		}
	}
	if (d.code > r->rc)
		r->rc = d.code;
	return failed;
}

/* The directories among the logs given (ticks DIR): each replaced by its
 * logs in *argv (argv[first..first + ld.n)). */
struct dir_arg {
	const char *dir;
	struct tk_logdir ld;
	int first;
};

/* -1 to go on (*dirs, *ndirs set; *argv replaced when there is one), else
 * the exit code (a directory without a log, or unreadable). */
static int expand_dirs(int *argc, char ***argv, struct dir_arg **dirs, size_t *ndirs)
{
	size_t n = 0, extra = 0;
	for (int i = optind; i < *argc; i++)
		n += tk_logdir_is_dir((*argv)[i]);
	*ndirs = 0;
	*dirs = NULL;
	if (!n)
		return -1;
	*dirs = tk_xcalloc(n, sizeof **dirs);
	for (int i = optind; i < *argc; i++) {
		if (!tk_logdir_is_dir((*argv)[i]))
			continue;
		struct dir_arg *da = &(*dirs)[(*ndirs)++];
		struct tk_diag d = {0};
		da->dir = (*argv)[i];
		if (tk_logdir_read(&da->ld, da->dir, &d) < 0) {
			tk_diag_print(&d);
			return d.code;
		}
		if (da->ld.n == 0) {
			TK_WARN(DIR_NO_LOG, da->dir);
			return TK_EXIT_INPUT;
		}
		extra += da->ld.n - 1;
	}
	char **nv = tk_xcalloc((size_t)*argc + extra + 1, sizeof *nv);
	int k = 0;
	size_t di = 0;
	for (int i = 0; i < *argc; i++) {
		if (i >= optind && tk_logdir_is_dir((*argv)[i])) {
			struct dir_arg *da = &(*dirs)[di++];
			da->first = k;
			for (size_t l = 0; l < da->ld.n; l++)
				nv[k++] = da->ld.logs[l].path;
		} else {
			nv[k++] = (*argv)[i];
		}
	}
	*argc = k;
	*argv = nv;
	return -1;
}

static void release_dirs(struct dir_arg *dirs, size_t ndirs, int argc, char **argv, char **orig)
{
	for (size_t i = 0; i < ndirs; i++)
		tk_logdir_release(&dirs[i].ld);
	free(dirs);
	(void)argc;
	if (argv != orig)
		free(argv);
}

/* The per-log arrays of a run of n logs. */
static void run_alloc(struct run *r, size_t n)
{
	r->kept = tk_xcalloc(n, sizeof *r->kept);
	r->kept_arg = tk_xcalloc(n, sizeof *r->kept_arg);
	r->lopts = tk_xcalloc(n, sizeof *r->lopts);
	r->ticks = tk_xcalloc(n, sizeof *r->ticks);
}

static void run_release(struct run *r, size_t n)
{
	for (size_t i = 0; i < r->nkept; i++) {
		tk_isolate_release(r->kept[i]);
		free(r->kept[i]);
	}
	free(r->kept);
	free(r->kept_arg);
	for (size_t i = 0; i < n; i++)
		free(r->lopts[i]);
	free(r->lopts);
	free(r->ticks);
}

/* The processes of each DIR given: a text table each (j NULL), or in
 * JSON "directories" after "profiles", closing the document. */
static void write_dir_tables(struct run *r, const struct dir_arg *dirs, size_t ndirs, struct tk_json *j)
{
	if (j) {
		tk_json_end(j); /* profiles */
		tk_json_key(j, "directories");
		tk_json_arr(j);
	}
	for (size_t i = 0; i < ndirs; i++) {
		const uint64_t *ticks = r->ticks + (dirs[i].first - optind);
		if (j)
			tk_logdir_json(j, dirs[i].dir, &dirs[i].ld, ticks);
		else
			tk_logdir_text(r->out, dirs[i].dir, &dirs[i].ld, ticks);
	}
	if (j) {
		tk_json_end(j);
		tk_json_end(j); /* document */
	}
}

/* ticks [options] LOG... (and ticks diff): the report; mode (record.h):
 * TK_REPORT_CHECK (ticks record, before its command runs) the options
 * only, TK_REPORT_MERGE record's summed report. */
static int ticks_main(int argc, char **argv, unsigned mode)
{
	struct cli c;
	int r = tk_cli_read(&c, &argc, &argv, (mode & TK_REPORT_MERGE) != 0);
	char **orig_argv = argv;
	struct dir_arg *dirs = NULL;
	size_t ndirs = 0;
	if (r < 0 && (mode & TK_REPORT_CHECK)) {
		r = tk_cli_check(&c, argc, argv);
		tk_cli_release(&c);
		return r < 0 ? TK_EXIT_OK : r;
	}
	if (r < 0 && !c.diff)
		r = expand_dirs(&argc, &argv, &dirs, &ndirs);
	if (r < 0)
		r = tk_cli_check(&c, argc, argv);
	if (r >= 0) {
		release_dirs(dirs, ndirs, argc, argv, orig_argv);
		return r;
	}
	if (!c.opts.quiet)
		tk_cli_warn_ignored(&c);

	static char outbuf[1 << 16];
	const char *output = c.output;
	struct tk_names names;
	struct tk_elfcache cache;
	struct run run = { .c = &c, .argv = argv, .out = stdout, .rc = TK_EXIT_OK, .names = &names, .cache = &cache,
			   .json = (c.format->flags & TK_FMT_JSON) != 0 };
	struct tk_output whole = {0};
	if (output && !c.per_log) {
		r = tk_output_open(&whole, output);
		if (r)
			return r;
		run.out = whole.f;
	}
	setvbuf(run.out, outbuf, _IOFBF, sizeof outbuf);
	tk_names_init(&names);
	tk_elfcache_init(&cache, c.opts.sysroot);
	cache.quiet = c.opts.quiet;
	cache.no_symbols = c.opts.no_symbols;
	cache.debug_dirs = c.debug_dirs;
	cache.n_debug_dirs = c.n_debug_dirs;
	int diff = c.diff, nread = 0, diff_done = 0, export_failed = 0;
	if (run.json && !diff && !c.per_log)
		tk_out_json_begin(&run.j, run.out);
	run_alloc(&run, (size_t)(argc - optind));
	/* the table of a DIR's processes heads the text report: the reports
	 * are kept until every log is read */
	FILE *report_out = run.out, *held = NULL;
	char *held_text = NULL;
	size_t held_len = 0;
	int dir_table = ndirs && !run.json && !c.per_log && c.format == c.text && !c.opts.list_pcs &&
			!c.timeline && !c.opts.annotate;
	if (dir_table && (held = open_memstream(&held_text, &held_len)) != NULL)
		run.out = held;
	/* read twice (a sniff, a first pass): pipes are copied once */
	for (int i = optind; (c.win_pct || diff) && i < argc; i++) {
		struct tk_diag d = {0};
		if (tk_input_spool(argv[i], &d) < 0) {
			tk_diag_print(&d);
			run.rc = d.code;
			diff = 0;
			argc = optind; /* no log read */
		}
	}
	if (diff) {
		run.rc = tk_diff_run(argv + optind, &c.opts, &c.from, &c.to, &names, &cache, run.out, run.json,
				     c.fail_above);
		diff_done = run.rc == TK_EXIT_OK || run.rc == TK_EXIT_REGRESSION;
	}
	struct tk_merge merged;
	if (c.merge && (c.format->flags & TK_FMT_STREAMED) && argc - optind > 1 && !diff) {
		tk_merge_init(&merged, &c.opts, &names, &cache);
		run.merge = &merged;
	}
	for (int i = optind; i < argc && !diff; i++)
		nread += run_log(&run, i);
	if (run.merge) {
		write_merged(&run);
		tk_merge_release(run.merge);
	}
	if (held) {
		run.out = report_out;
		if (fclose(held) == 0) {
			write_dir_tables(&run, dirs, ndirs, NULL);
			fwrite(held_text, 1, held_len, run.out);
		} else if (run.rc < TK_EXIT_SYSTEM) {
			run.rc = TK_EXIT_SYSTEM;
		}
		free(held_text);
	}
	if (run.json && !diff && !c.per_log && ndirs)
		write_dir_tables(&run, dirs, ndirs, &run.j); /* closes the document */
	else if (run.json && !diff && !c.per_log)
		tk_out_json_finish(&run.j);
	if (!(c.format->flags & TK_FMT_STREAMED) && run.nkept > 0)
		export_failed = write_kept(&run);
	run_release(&run, (size_t)(argc - optind));
	release_dirs(dirs, ndirs, argc, argv, orig_argv);
	if (cache.missing > 1 && !c.opts.quiet)
		TK_WARN(LIBS_MISSING, cache.missing);
	tk_elfcache_release(&cache);
	tk_names_release(&names);
	tk_cli_release(&c);
	if (output && !c.per_log) {
		/* the previous file stays unless a report was made */
		r = tk_output_close(&whole, (diff_done || nread > 0) && !export_failed);
		return r ? r : run.rc;
	}
	if ((fflush(run.out) != 0 || ferror(run.out)) && run.rc != TK_EXIT_SYSTEM) {
		TK_WARN(WRITE_ERROR, output ? output : "the report", strerror(errno));
		return TK_EXIT_SYSTEM;
	}
	return run.rc;
}

int main(int argc, char **argv)
{
	tk_output_std_fds(); /* 2>&-: no warnings inside the -o file */
	if (argc > 1 && strcmp(argv[1], "record") == 0)
		return tk_record_main(argc, argv, ticks_main);
	return ticks_main(argc, argv, 0);
}
