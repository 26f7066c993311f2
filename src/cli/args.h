/*
 * args: the command line of `ticks [options] LOG...` and `ticks diff`:
 * the options into a struct cli (getopt_long over one table, values
 * checked), then checked against each other and against the logs and
 * output paths given; options given where they shape nothing are named.
 *
 * Invariants: every message is a usage error (TK_EXIT_USAGE) or a
 * warning on stderr; nothing is read or written before tk_cli_check says
 * -1 (go on); an option that has no effect in the run's mode is never
 * silent (tk_cli_warn_ignored).
 *
 *     int r = tk_cli_parse(&c, argc, argv);     (-1: go on)
 *     if (r < 0) r = tk_cli_check(&c, argc, argv);
 *     if (r >= 0) return r;
 *     tk_cli_warn_ignored(&c);
 */
#ifndef TK_ARGS_H
#define TK_ARGS_H

#include <stddef.h>
#include "ingest/isolate.h"
#include "ingest/window.h"
#include "out/format.h"
#include "cli/options.h"

/* What the command line asks for (tk_cli_parse, tk_cli_check). */
struct cli {
	struct tk_opts opts;
	int merge, diff, win_pct, per_log;
	int merge_implied;       /* ticks record: --merge where the view can be summed */
	size_t timeline;
	double fail_above;
	struct tk_bound from, to;
	const char **debug_dirs; /* at most argc of them */
	size_t n_debug_dirs;
	const struct tk_format *text, *format;
	char format_opt[64];     /* how the format was asked for: "--json", "--format=pprof" */
	const char *output;
	unsigned char given[TK_OPT_DEFS_MAX]; /* by index in tk_opt_defs: the option was on the command line */
};

/* The defaults, then the options of argv (after "diff", which sets
 * c->diff and is dropped from *argv), TICKS_THREADS; merge_implied:
 * ticks record's summed report (--merge where the view allows). -1 to go
 * on, else the exit code. tk_cli_release frees what it holds. */
int tk_cli_read(struct cli *c, int *argc, char ***argv, int merge_implied);
void tk_cli_release(struct cli *c);
/* The options into c: -1 to go on, else the exit code (--help,
 * --version, --completion, a usage error). */
int tk_cli_parse(struct cli *c, int argc, char **argv);
/* The options against each other and the logs argv[optind..argc) and
 * output paths (every output path is checked before any log is read):
 * -1 to go on, else the exit code. Settles what depends on several. */
int tk_cli_check(struct cli *c, int argc, char **argv);
/* Each option given where it shapes nothing, named on stderr. */
void tk_cli_warn_ignored(const struct cli *c);
/* "-o out-%i.pb.gz" -> "out-1.pb.gz"; caller frees */
char *tk_cli_per_log_path(const char *pattern, size_t index);
/* "ticks: " fmt (with arg) " (try 'ticks --help')"; TK_EXIT_USAGE */
int tk_cli_usage_error(const char *fmt, const char *arg);
/* --threads=N, TICKS_THREADS: 0, or -1 when v is not 1 to 1024 */
int tk_cli_set_threads(const char *v);

#endif
