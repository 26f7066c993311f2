/*
 * diff: `ticks diff BASE NEW`, two profiles compared function by
 * function. Each side is a log (read with the run's options) or a ticks
 * --json report of one log (schema ticks/1, taken as written).
 *
 * Invariants: a function's self ticks are the ticks it was the innermost
 * frame of, its total ticks those with it anywhere in the stack (counted
 * once however often it recurses), both from the top-down tree; shares
 * are percentages of each side's own tick count (totals.ticks); JS
 * functions are matched by name without their tier marker (~ ^ + * -),
 * so code optimized in one run and not in the other lines up; rows are
 * sorted by the change of self share (growth first), then of total share,
 * then by name. Functions are matched across the sides by name and
 * script (code type and inlining too), not by position, so an edit that
 * moves them (a line added at the top) changes nothing: same-named
 * functions of one script are paired in position order when both sides
 * have as many of them, else nearest position first; a row is named as
 * the new side names it.
 *
 *     struct tk_diff df; tk_diff_init(&df);
 *     tk_diff_load(&df, 0, base, &opts, &names, &cache, &d); ... side 1 ...
 *     tk_diff_text(stdout, &df, 0); n = tk_diff_check(&df, 5.0, stderr);
 *     tk_diff_release(&df);
 */
#ifndef TK_DIFF_H
#define TK_DIFF_H

#include <stdint.h>
#include <stdio.h>
#include "ingest/isolate.h"
#include "base/hashidx.h"
#include "base/jsonread.h"

struct tk_diff_fn {
	char *name;                  /* the key: tier marker removed */
	uint32_t len;
	char *ident;                 /* what matching compares: the key without its position */
	uint32_t ident_len, line, column;
	uint8_t side;                /* while loading: the side it was seen on */
	uint64_t self[2], total[2];  /* [0] base, [1] new */
	uint32_t active;             /* frames of it on the walk's current path */
};

struct tk_diff {
	const char *path[2];
	uint64_t ticks[2];           /* each side's tick count */
	struct tk_diff_fn *fn;
	size_t n, cap;
	struct tk_hashidx idx;       /* fn by name */
	struct tk_arena arena;
	struct tk_buf key;
	int matched;                 /* the sides' functions paired into rows (tk_diff_match) */
	struct tk_names *jnames;     /* names of JSON reports, for their records */
};

void tk_diff_init(struct tk_diff *df);
void tk_diff_release(struct tk_diff *df);

/* The key of name into key: the name without a JS function's tier
 * marker (from its record). */
void tk_diff_key(const struct tk_name *name, struct tk_buf *key);
/* The function (row) of key, added with zero counts if new. */
size_t tk_diff_fn_of(struct tk_diff *df, const char *key, size_t len);
/* Pairs the functions the sides loaded into rows (by name and script,
 * see above); after both sides are loaded, before the report (tk_diff_run
 * does). A second call does nothing. */
void tk_diff_match(struct tk_diff *df);

/* Side 0 (base) or 1 (new) from path: a log or a JSON report. 0, or -1
 * with d filled. */
int tk_diff_load(struct tk_diff *df, int side, const char *path, const struct tk_opts *o,
		 struct tk_names *names, struct tk_elfcache *cache, struct tk_diag *d);
/* From a parsed ticks/1 report. 0, or -1 with d filled. */
int tk_diff_load_json(struct tk_diff *df, int side, const struct tk_jr_val *root, struct tk_diag *d);
/* From a read isolate's top-down tree. */
void tk_diff_load_isolate(struct tk_diff *df, int side, const struct tk_isolate *iso);

/* Share of function f on side s, in percent. */
double tk_diff_share(const struct tk_diff *df, const struct tk_diff_fn *f, int s, int total);
/* The functions in report order (caller frees). */
size_t tk_diff_sorted(const struct tk_diff *df, const struct tk_diff_fn ***out);

/* The report: at most top rows (0: all). */
void tk_diff_text(FILE *out, const struct tk_diff *df, size_t top);
void tk_diff_json(FILE *out, const struct tk_diff *df, size_t top, double fail_above);
/* Functions whose self or total share grew by more than pct points,
 * each named on err (NULL: quiet); returns how many. */
size_t tk_diff_check(const struct tk_diff *df, double pct, FILE *err);

struct tk_bound;
/* The whole command: both sides read (percentage bounds of from/to
 * resolved per log), the report written, --fail-above (fail_above < 0:
 * none) checked. Returns the exit code (TK_EXIT_REGRESSION when a
 * function grew too much). */
int tk_diff_run(char *const paths[2], const struct tk_opts *o, const struct tk_bound *from,
		const struct tk_bound *to, struct tk_names *names, struct tk_elfcache *cache, FILE *out,
		int json, double fail_above);

#endif
