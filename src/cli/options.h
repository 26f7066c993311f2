/*
 * options: the one table of ticks' command-line options. Each entry says
 * how getopt_long takes it (name, argument, id), where tk_cli_parse puts
 * it (kind, member, value), where it has an effect (the run modes) and
 * how a shell completes it (argument type, help). args.c builds
 * getopt_long's table and the "no effect: ignored" warnings from it;
 * completion.c the bash and zsh scripts. An option is added here once.
 *
 * Invariants: a long name appears once; an entry without a name is a
 * short option only; an entry without help is not offered by the
 * completions (aliases kept for old command lines); modes is never 0.
 *
 *     for (size_t k = 0; k < tk_n_opt_defs; k++)
 *             if (tk_opt_defs[k].name) ... tk_opt_where(&tk_opt_defs[k]) ...
 */
#ifndef TK_OPTIONS_H
#define TK_OPTIONS_H

#include <stddef.h>

/* getopt_long's ids of the long-only options (short ones are their letter) */
enum {
	OPT_ONLY_SUMMARY = 256, OPT_BOTTOM_UP, OPT_CALL_GRAPH, OPT_IGNORE_UNKNOWN, OPT_RANGE,
	OPT_SEP_IC, OPT_SEP_BYTECODES, OPT_SEP_BUILTINS, OPT_SEP_STUBS, OPT_SEP_NOOP,
	OPT_TOP_DOWN, OPT_CUTOFF, OPT_TOP, OPT_FOCUS, OPT_IGNORE, OPT_HIDE,
	OPT_SYSROOT, OPT_DEBUG_DIR, OPT_NO_SYMBOLS, OPT_LINES, OPT_PCS, OPT_JSON, OPT_FORMAT, OPT_MERGE, OPT_OTHER,
	OPT_COMPLETION, OPT_FROM, OPT_TO, OPT_TIMELINE, OPT_FAIL_ABOVE,
	OPT_ANNOTATE, OPT_NO_SOURCE_MAPS, OPT_SOURCE_MAP_DIR,
	OPT_PROGRESS, OPT_NO_PROGRESS, OPT_STRICT, OPT_THREADS
};

/* How tk_cli_parse takes an option. */
enum tk_opt_kind {
	K_FLAG,  /* the int member at off of struct tk_opts = value */
	K_STATE, /* the VM state filter = value */
	K_STR,   /* the const char * member at off = the argument */
	K_VALUE, /* a value to check: args.c's parse_value */
	K_CLI,   /* tk_cli_parse itself */
};

/* What a run prints: the modes an option can have an effect in. */
enum {
	M_TEXT = 1 << 0, M_JSON = 1 << 1, M_EXPORT = 1 << 2, M_PRE = 1 << 3, M_PCS = 1 << 4,
	M_TIMELINE = 1 << 5, M_ANNOTATE = 1 << 6, M_DIFF = 1 << 7, M_ALL = (1 << 8) - 1
};

/* The argument as a shell completes it. */
enum tk_opt_arg { ARG_NONE, ARG_FILE, ARG_DIR, ARG_FORMAT, ARG_NUMBER, ARG_RANGE, ARG_BOOL, ARG_SHELL };

/* Where a completion offers an option: ticks and ticks diff, ticks only
 * (diff refuses or ignores it), ticks diff only. */
enum tk_opt_where { W_BOTH, W_REPORT, W_DIFF };

struct tk_opt_def {
	const char *name;  /* NULL: a short option only */
	int has_arg, id;   /* as getopt_long's struct option */
	enum tk_opt_kind kind;
	size_t off;        /* K_FLAG, K_STR: offsetof(struct tk_opts, member) */
	int value;         /* K_FLAG, K_STATE */
	unsigned modes;    /* where it has an effect (measured: the output with and
			    * without it differs on a log that exercises it) */
	int shapes;        /* 1: given outside modes it is warned about as ignored;
			    * 0: outside modes tk_cli_check refuses it */
	enum tk_opt_arg arg;
	const char *help;  /* the completions' (no quotes, brackets or colons:
			    * zsh specs); NULL: not offered */
};

#define TK_OPT_DEFS_MAX 64 /* struct cli.given holds a flag for each */

extern const struct tk_opt_def tk_opt_defs[];
extern const size_t tk_n_opt_defs;

/* Where the completions offer def (from its modes). */
enum tk_opt_where tk_opt_where(const struct tk_opt_def *def);

#endif
