/* args: the command line of ticks and ticks diff: the usage text, one
 * table of the options (getopt_long's is made from it), their values
 * checked, the options against each other and the paths given, and the
 * options given where they shape nothing (args.h). */
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
#include "cli/options.h"
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

static const char usage_text[] =
"usage: ticks [options] LOG...\n"
"       ticks [options] DIR...        every V8 log in DIR (isolate-*-v8.log[.gz])\n"
"       ticks record [options] [-d DIR] -- COMMAND [ARGS...]\n"
"                                     COMMAND with every node profiled, then the report\n"
"                                     (ticks record --help)\n"
"       ticks diff [options] BASE NEW   (logs or --json reports)\n"
"\n"
"Reads V8 profiler logs (node --prof: isolate-0x...-v8.log, plain or gzip;\n"
"'-' reads standard input) and prints the report `node --prof-process` prints,\n"
"with native frames named from the ELF symbols of the logged libraries.\n"
"\n"
"examples:\n"
"  ticks isolate-0x*-v8.log          a report per log, in the order given\n"
"  ticks --bottom-up app.log.gz      only the bottom-up (heavy) profile\n"
"  ticks --json isolate-*.log        everything, as JSON for scripts\n"
"  ticks --format=pprof -o cpu.pb.gz isolate-*.log   for go tool pprof\n"
"  gzip -dc app.log.gz | ticks -     read standard input\n"
"\n"
"report:\n"
"      --only-summary        print the header and [Summary] only\n"
"      --bottom-up           print the header and the bottom-up profile only\n"
"      --json                one JSON document (schema ticks/1) instead of text;\n"
"                            with --bottom-up just that tree, with --only-summary the totals\n"
"\n"
"output:\n"
"      --format=FMT          "; /* the formats (format.c), then: */
static const char usage_rest[] =
"  -o, --output=FILE         write to FILE ('-': standard output), replaced only once\n"
"                            the report is made; a '%i' in FILE writes one file per\n"
"                            log, numbered by its position among the arguments\n"
"      --merge               several logs summed into one report (text, JSON and\n"
"                            the exports; not --pcs, --timeline, --annotate, diff)\n"
"      --top-down            print the header and the top-down tree only (with\n"
"                            --bottom-up: both trees)\n"
"      --call-graph-size=N   levels shown under each entry of a tree (default 5)\n"
"      --depth=N             the same as --call-graph-size\n"
"      --cutoff=PCT          prune tree rows under PCT% of their parent (default 1.0)\n"
"      --top=N               at most N rows in each flat table\n"
"      --focus=RE            only ticks with a frame matching RE (POSIX extended)\n"
"      --ignore=RE           no ticks with a frame matching RE\n"
"      --hide=RE             frames matching RE removed from every stack\n"
"                            (ticks left out by --focus/--ignore count as excluded)\n"
"      --ignore-unknown      leave unaccounted ticks out of the percentages\n"
"      --range=START,END     only ticks between START and END ms (either may be empty)\n"
"      --from=T              only ticks from T: ms as --range, or 'P%' of the log's\n"
"                            duration (first to last tick); every bound given applies\n"
"      --to=T                only ticks up to T (ms or 'P%')\n"
"      --timeline[=N]        instead of the report: ticks in N intervals (default 20)\n"
"                            by JS, C++, GC, shared library, idle, as a text chart\n"
"  -j, --js                  only ticks in the JS VM state\n"
"  -g, --gc                  only ticks in the GC VM state\n"
"  -p                        only ticks in the PARSER VM state\n"
"  -b                        only ticks in the BYTECODE_COMPILER VM state\n"
"  -c, --compiler            only ticks in the COMPILER VM state\n"
"      --other               only ticks in the OTHER VM state (the reference's -o)\n"
"  -e, --external            only ticks in the EXTERNAL VM state\n"
"      --separate-ic[=BOOL]          IC frames as their own entries (default true)\n"
"      --separate-bytecodes[=BOOL]   bytecode handlers as their own entries (default false)\n"
"      --separate-builtins[=BOOL]    builtins as their own entries (default true)\n"
"      --separate-stubs[=BOOL]       stubs as their own entries (default true)\n"
"\n"
"symbols:\n"
"      --sysroot=DIR         read the logged libraries under DIR (a log from another host)\n"
"      --debug-dir=DIR       look for separate debug files under DIR too (by build id:\n"
"                            DIR/.build-id/xx/rest.debug; by .gnu_debuglink: DIR/LIBDIR/NAME);\n"
"                            /usr/lib/debug (under --sysroot) is always searched\n"
"      --no-symbols          read no ELF file: native ticks go to their library\n"
"      --threads=N           threads for reading symbol tables (default: the cores,\n"
"                            or TICKS_THREADS; 1: none); the output is the same\n"
"      --lines               C++ frames as 'NAME FILE:LINE' (the function's source\n"
"                            position, from DWARF); JS frames at the line of the\n"
"                            tick ('JS: *f app.js:12'), inlined functions as frames\n"
"      --annotate=RE         instead of the report: the source of each JS function\n"
"                            matching RE with ticks per line (pprof's -list)\n"
"      --source-map-dir=DIR  look for source maps in DIR too (by file name)\n"
"      --no-source-maps      JS positions as logged, even where a script names a map\n"
"      --pcs                 instead of the report: every distinct sampled pc with its\n"
"                            ticks, library, address in the library's file and name\n"
"\n"
"diff (ticks diff BASE NEW):\n"
"      --fail-above=PCT      exit 4 when a function's self or total share of the\n"
"                            ticks grew by more than PCT points\n"
"                            (--json, --top, -o and the options above apply too)\n"
"\n"
"general:\n"
"  -v, --verbose             after [Summary]: why ticks are unaccounted or only\n"
"                            named by their library\n"
"  -q, --quiet               no warnings on standard error\n"
"      --progress            a progress line on standard error while reading (the\n"
"                            default when standard error is a terminal)\n"
"      --no-progress         no progress line\n"
"      --strict              exit 1 when a line of a log could not be (fully) used\n"
"  -h, --help                this text\n"
"  -V, --version             the version\n"
"      --completion=SHELL    print the bash or zsh completion script\n"
"\n"
"exit status: 0 report printed (warnings allowed), 1 input that would make the\n"
"result wrong, 2 usage, 3 I/O, system or memory failure, 4 diff --fail-above.\n";

/* "-o out-%i.pb.gz" -> "out-1.pb.gz"; caller frees */
char *tk_cli_per_log_path(const char *pattern, size_t index)
{
	struct tk_buf b = {0};
	for (const char *p = pattern; *p; p++) {
		if (p[0] == '%' && p[1] == 'i') {
			tk_buf_printf(&b, "%zu", index);
			p++;
		} else {
			tk_buf_addc(&b, *p);
		}
	}
	return b.p;
}

int tk_cli_usage_error(const char *fmt, const char *arg)
{
	fputs("ticks: ", stderr);
	tk_esc_printf(stderr, fmt, arg);
	fputs(" (try 'ticks --help')\n", stderr);
	return TK_EXIT_USAGE;
}

/* BOOL of --separate-X[=BOOL]: bare means true */
static int parse_bool(const char *opt, const char *v, int *out)
{
	if (!v || !strcmp(v, "true") || !strcmp(v, "1") || !strcmp(v, "yes")) {
		*out = 1;
		return 0;
	}
	if (!strcmp(v, "false") || !strcmp(v, "0") || !strcmp(v, "no")) {
		*out = 0;
		return 0;
	}
	(void)opt;
	return -1;
}

/* The option of the value being parsed as the user typed it ("--depth",
 * or "--dep" abbreviated): argv[optind - 1] up to its '=', else the word
 * before a separate value. Borrowed until the next call. */
static const char *typed_option(char **argv)
{
	static char name[64];
	const char *w = argv[optind - 1];
	size_t n = strlen(w);
	if (optarg && optarg > w && optarg <= w + n)
		n = (size_t)(optarg - w) - 1; /* --opt=VALUE */
	else if (optind >= 2)
		w = argv[optind - 2], n = strlen(w);
	if (n >= sizeof name)
		n = sizeof name - 1;
	memcpy(name, w, n);
	name[n] = 0;
	return name;
}

/* "ticks: --depth wants a number from 0 to 10000, not 'abc'" */
static int value_error(char **argv, const char *wants)
{
	tk_esc_printf(stderr, "ticks: %s wants %s, not '%s' (try 'ticks --help')\n", typed_option(argv), wants,
		      optarg ? optarg : "");
	return TK_EXIT_USAGE;
}

/* a percentage or percentage points: 0 to 100 */
static int parse_pct(const char *s, double *out)
{
	return tk_parse_decimal(s, strlen(s), out) == 0 && *out <= 100 ? 0 : -1;
}


/* --threads=N, TICKS_THREADS: how many threads the symbol side may use */
int tk_cli_set_threads(const char *v)
{
	char *end;
	errno = 0;
	long n = strtol(v, &end, 10);
	if (!*v || *end || errno || n < 1 || n > 1024)
		return -1;
	tk_loader_set_threads((unsigned)n);
	return 0;
}

/* An option whose value is checked (regexes, numbers, time windows,
 * BOOLs): -1 when taken, else the exit code. */
static int parse_value(struct cli *c, int opt, char **argv)
{
	struct tk_opts *o = &c->opts;
	switch (opt) {
	case OPT_FOCUS:
	case OPT_IGNORE:
	case OPT_HIDE:
	case OPT_ANNOTATE: {
		/* static: the patterns live as long as the run */
		static regex_t res[4];
		static int compiled[4]; /* across calls too (ticks record parses twice) */
		int k = opt == OPT_FOCUS ? 0 : opt == OPT_IGNORE ? 1 : opt == OPT_HIDE ? 2 : 3;
		const void **dst = k == 0 ? &o->focus : k == 1 ? &o->ignore : k == 2 ? &o->hide : &o->annotate;
		if (compiled[k])
			regfree(&res[k]);
		compiled[k] = 0;
		int e = regcomp(&res[k], optarg, REG_EXTENDED | REG_NOSUB);
		if (e) {
			char msg[200];
			regerror(e, &res[k], msg, sizeof msg);
			tk_esc_printf(stderr, "ticks: %s: bad regular expression '%s': %s (try 'ticks --help')\n",
				argv[optind - 1], optarg, msg);
			return TK_EXIT_USAGE;
		}
		compiled[k] = 1;
		*dst = &res[k];
		break;
	}
	case OPT_CUTOFF: {
		double v;
		if (parse_pct(optarg, &v) < 0)
			return value_error(argv, "a percentage from 0 to 100");
		o->cutoff_pct = v;
		break;
	}
	case OPT_TOP: {
		long v;
		if (tk_parse_count(optarg, 1, LONG_MAX, &v) < 0)
			return value_error(argv, "a number of rows (1 or more)");
		o->top_rows = (size_t)v;
		break;
	}
	case OPT_CALL_GRAPH: {
		long v;
		if (tk_parse_count(optarg, 0, 10000, &v) < 0)
			return value_error(argv, "a number of levels from 0 to 10000");
		o->call_graph_size = (int)v;
		break;
	}
	case OPT_RANGE: {
		const char *comma = strchr(optarg, ',');
		size_t n1 = comma ? (size_t)(comma - optarg) : 0, n2 = comma ? strlen(comma + 1) : 0;
		double v1, v2;
		if (!comma || (n1 && tk_parse_decimal(optarg, n1, &v1) < 0) ||
		    (n2 && tk_parse_decimal(comma + 1, n2, &v2) < 0))
			return value_error(argv, "START,END in milliseconds (either may be empty)");
		if (n1)
			tk_window_narrow(o, v1, 0);
		if (n2)
			tk_window_narrow(o, v2, 1);
		break;
	}
	case OPT_FROM:
	case OPT_TO:
		if (tk_window_parse(optarg, opt == OPT_FROM ? &c->from : &c->to) < 0)
			return value_error(argv, "milliseconds or a percentage like 25%");
		break;
	case OPT_TIMELINE: {
		long v = TK_TIMELINE_DEFAULT;
		if (optarg && tk_parse_count(optarg, 1, TK_TIMELINE_MAX, &v) < 0)
			return value_error(argv, "a number of intervals from 1 to 1000");
		c->timeline = (size_t)v;
		break;
	}
	case OPT_FAIL_ABOVE:
		if (parse_pct(optarg, &c->fail_above) < 0)
			return value_error(argv, "percentage points from 0 to 100");
		break;
	default: { /* OPT_SEP_* */
		int v, *dst = opt == OPT_SEP_IC ? &o->separate_ic :
			      opt == OPT_SEP_BYTECODES ? &o->separate_bytecodes :
			      opt == OPT_SEP_BUILTINS ? &o->separate_builtins :
			      opt == OPT_SEP_STUBS ? &o->separate_stubs : &v;
		if (parse_bool(argv[optind - 1], optarg, dst) < 0)
			return value_error(argv, "true or false");
		break;
	}
	}
	return -1;
}

/* static: reachable until exit, so the early usage returns leak nothing */
static const char **debug_dirs;

int tk_cli_read(struct cli *c, int *argc, char ***argv, int merge_implied)
{
	memset(c, 0, sizeof *c);
	c->fail_above = -1;
	tk_opts_default(&c->opts);
	c->opts.progress = -1; /* --progress/--no-progress, else a terminal decides */
	c->diff = *argc > 1 && strcmp((*argv)[1], "diff") == 0;
	if (c->diff) {
		(*argv)++;
		(*argc)--;
	}
	free(debug_dirs); /* a second read (ticks record) after an early return */
	c->debug_dirs = debug_dirs = tk_xcalloc((size_t)*argc + 1, sizeof *debug_dirs);
	c->text = c->format = tk_format_with(TK_FMT_DEFAULT);
	tk_loader_set_threads(tk_loader_cores());
	const char *env_threads = getenv("TICKS_THREADS");
	if (env_threads && *env_threads && tk_cli_set_threads(env_threads) < 0)
		return tk_cli_usage_error("TICKS_THREADS wants a number from 1 to 1024, not '%s'", env_threads);
	int r = tk_cli_parse(c, *argc, *argv);
	if (merge_implied)
		c->merge = c->merge_implied = 1;
	return r;
}

void tk_cli_release(struct cli *c)
{
	free(debug_dirs);
	debug_dirs = c->debug_dirs = NULL;
}

/* The options into c: -1 to go on, else the exit code (--help,
 * --version, --completion, a usage error). */
int tk_cli_parse(struct cli *c, int argc, char **argv)
{
	struct tk_opts *o = &c->opts;
	static struct option long_opts[TK_OPT_DEFS_MAX + 1];
	for (size_t k = 0, n = 0; k < tk_n_opt_defs; k++)
		if (tk_opt_defs[k].name)
			long_opts[n++] = (struct option){ tk_opt_defs[k].name, tk_opt_defs[k].has_arg, NULL, tk_opt_defs[k].id };
	int opt;
	opterr = 0;
	int li = -1; /* index in long_opts of a long option, the n-th named entry of tk_opt_defs */
	while ((opt = getopt_long(argc, argv, ":jgpbco:eqvhV", long_opts, &li)) != -1) {
		const struct tk_opt_def *def = NULL;
		for (size_t k = 0, n = 0; k < tk_n_opt_defs && !def && li >= 0 && opt != '?' && opt != ':'; k++)
			if (tk_opt_defs[k].name && (int)n++ == li)
				def = &tk_opt_defs[k];
		for (size_t k = 0; k < tk_n_opt_defs && !def; k++)
			if (tk_opt_defs[k].id == opt)
				def = &tk_opt_defs[k];
		li = -1;
		if (def)
			c->given[def - tk_opt_defs] = 1;
		switch (def ? def->kind : K_CLI) {
		case K_FLAG: *(int *)((char *)o + def->off) = def->value; continue;
		case K_STATE: o->state_filter = (enum tk_vmstate)def->value; continue;
		case K_STR: *(const char **)((char *)o + def->off) = optarg; continue;
		case K_VALUE: {
			int r = parse_value(c, opt, argv);
			if (r >= 0)
				return r;
			continue;
		}
		case K_CLI: break;
		}
		switch (opt) {
		case 'o': c->output = optarg; break;
		case OPT_MERGE: c->merge = 1; break;
		case OPT_FORMAT:
		case OPT_JSON: {
			const struct tk_format *f = opt == OPT_JSON ? tk_format_with(TK_FMT_JSON) : tk_format_find(optarg);
			if (!f) {
				char names[256], msg[300];
				tk_format_names(names, sizeof names, ", ");
				snprintf(msg, sizeof msg, "unknown format '%%s' (%s)", names);
				return tk_cli_usage_error(msg, optarg);
			}
			char asked[64];
			snprintf(asked, sizeof asked, opt == OPT_JSON ? "--json" : "--format=%s", f->name);
			if (c->format_opt[0] && f != c->format) {
				char msg[200];
				snprintf(msg, sizeof msg, "%s and %%s ask for two formats: give one", c->format_opt);
				return tk_cli_usage_error(msg, asked);
			}
			c->format = f;
			memcpy(c->format_opt, asked, sizeof asked);
			break;
		}
		case 'h':
			fputs(usage_text, stdout);
			tk_format_help(stdout, 28, 90);
			fputs(usage_rest, stdout);
			return fflush(stdout) ? TK_EXIT_SYSTEM : TK_EXIT_OK;
		case 'V':
			printf(*TK_COMMIT ? "ticks %s (commit %s)\n" : "ticks %s%s\n", TK_VERSION, TK_COMMIT);
			return fflush(stdout) ? TK_EXIT_SYSTEM : TK_EXIT_OK;
		case OPT_COMPLETION:
			if (tk_completion_print(optarg, stdout) < 0)
				return tk_cli_usage_error("--completion wants bash or zsh, not '%s'", optarg);
			return fflush(stdout) ? TK_EXIT_SYSTEM : TK_EXIT_OK;
		case OPT_DEBUG_DIR: c->debug_dirs[c->n_debug_dirs++] = optarg; break;
		case OPT_THREADS:
			if (tk_cli_set_threads(optarg) < 0)
				return tk_cli_usage_error("--threads wants a number from 1 to 1024, not '%s'", optarg);
			break;
		case ':':
			return tk_cli_usage_error("option '%s' needs a value", argv[optind - 1]);
		default:
			if (optopt && strncmp(argv[optind - 1], "--", 2) != 0)
				return tk_cli_usage_error("unknown option '-%s'", (const char[]){ (char)optopt, 0 });
			if (optopt) { /* --flag=VALUE: optopt is the option's id */
				char name[64];
				snprintf(name, sizeof name, "%.*s", (int)strcspn(argv[optind - 1], "="), argv[optind - 1]);
				return tk_cli_usage_error("option '%s' takes no value", name);
			}
			return tk_cli_usage_error("unknown option '%s'", argv[optind - 1]);
		}
	}
	return -1;
}

/* The run's mode and its name in a message ("with --format=pprof"). */
static unsigned run_mode(const struct cli *c, char *what, size_t size)
{
	const struct tk_opts *o = &c->opts;
	unsigned m;
	if (c->diff)
		m = M_DIFF, snprintf(what, size, "on ticks diff");
	else if (o->list_pcs)
		m = M_PCS, snprintf(what, size, "with --pcs");
	else if (c->timeline)
		m = M_TIMELINE, snprintf(what, size, "with --timeline");
	else if (o->annotate)
		m = M_ANNOTATE, snprintf(what, size, "with --annotate");
	else if (c->format == c->text)
		m = M_TEXT, snprintf(what, size, "here");
	else
		m = c->format->flags & TK_FMT_JSON ? M_JSON : c->format->flags & TK_FMT_PREPROCESS ? M_PRE : M_EXPORT,
		snprintf(what, size, "with %s", c->format_opt);
	return m;
}

/* "ticks: --cutoff has no effect with --format=pprof: ignored", once
 * per option given where it shapes nothing */
void tk_cli_warn_ignored(const struct cli *c)
{
	char what[96];
	unsigned m = run_mode(c, what, sizeof what);
	for (size_t k = 0; k < tk_n_opt_defs; k++) {
		if (!c->given[k] || !tk_opt_defs[k].name)
			continue;
		if (tk_opt_defs[k].shapes && !(tk_opt_defs[k].modes & m)) {
			char opt[64];
			snprintf(opt, sizeof opt, "--%s", tk_opt_defs[k].name);
			TK_WARN(OPTION_IGNORED, opt, what);
		}
	}
}

/* The options against each other and the logs and output paths given
 * (every output path is checked before any log is read): -1 to go on,
 * else the exit code. Settles what depends on several options. */
int tk_cli_check(struct cli *c, int argc, char **argv)
{
	struct tk_opts *o = &c->opts;
	const struct tk_format *format = c->format, *text = c->text;
	const int json = (format->flags & TK_FMT_JSON) != 0; /* the ticks/1 document */
	const int diff = c->diff;
	const char *output = c->output;
	if (o->annotate && (format != text || o->list_pcs || diff))
		return tk_cli_usage_error("%s", "--annotate prints its own listing: no --json, --format, --pcs or diff with it");
	if (format != text && o->list_pcs)
		return tk_cli_usage_error("%s", "--pcs prints its own list: no --json or --format with it");
	if (o->progress < 0)
		o->progress = isatty(STDERR_FILENO);
	/* --from/--to in ms: the same for every log; percentages: per log */
	if (c->from.set && !c->from.pct)
		tk_window_narrow(o, c->from.v, 0);
	if (c->to.set && !c->to.pct)
		tk_window_narrow(o, c->to.v, 1);
	c->win_pct = (c->from.set && c->from.pct) || (c->to.set && c->to.pct);
	if ((o->have_range_start && o->have_range_end && o->range_start_ms > o->range_end_ms) ||
	    (c->from.pct && c->to.pct && c->from.v > c->to.v))
		return tk_cli_usage_error("%s", "the time window is empty: its start is after its end");
	if (c->timeline && o->annotate)
		return tk_cli_usage_error("%s", "--timeline and --annotate each replace the report: give one");
	if (c->timeline && (format != text || o->list_pcs || diff))
		return tk_cli_usage_error("%s", "--timeline is a text chart of its own: no --json, --format, --pcs or diff");
	if (c->merge && (o->list_pcs || c->timeline || o->annotate || diff || (format->flags & TK_FMT_ONE_LOG))) {
		if (!c->merge_implied)
			return tk_cli_usage_error("%s", "--merge sums several logs into one report: not with --pcs, --timeline, "
					   "--annotate, diff or --format=preprocess (one log each)");
		c->merge = 0; /* ticks record: these stay one report per log */
	}
	if (c->fail_above >= 0 && !diff)
		return tk_cli_usage_error("%s", "--fail-above is an option of ticks diff");
	if (diff && (argc - optind != 2 || (format != text && !json) || o->list_pcs))
		return tk_cli_usage_error("%s", "ticks diff [--json] [options] BASE NEW: two logs or --json reports");
	o->keep_samples = (format->flags & TK_FMT_SAMPLES) || c->timeline;
	o->preprocess = (format->flags & TK_FMT_PREPROCESS) != 0;
	if (optind >= argc)
		return tk_cli_usage_error("%s", "no log given: ticks [options] isolate-0x...-v8.log");
	int stdin_used = 0;
	for (int i = optind; i < argc; i++) {
		if (strcmp(argv[i], "-") == 0 && stdin_used++)
			return tk_cli_usage_error("%s", "'-' (standard input) given twice");
	}
	int per_log = c->per_log = output && strstr(output, "%i") != NULL;
	if ((format->flags & TK_FMT_ONE_LOG) && argc - optind > 1 && !per_log)
		return tk_cli_usage_error("%s takes one log (or use -o FILE-%%i.json)", format->name);
	if (per_log && (diff || c->merge))
		return tk_cli_usage_error("%s", "a '%i' in -o is one file per log: not with diff or --merge (one report)");
	if ((format->flags & TK_FMT_BINARY) && !output && isatty(1))
		return tk_cli_usage_error("%s output is binary: not written to a terminal (give -o FILE)", format->name);
	for (int i = optind; output && i < (per_log ? argc : optind + 1); i++) {
		char *path = per_log ? tk_cli_per_log_path(output, (size_t)(i - optind + 1)) : NULL;
		int r = tk_output_check(path ? path : output, argv + optind, argc - optind);
		free(path);
		if (r)
			return r;
	}
	return -1;
}

