/*
 * merge: several logs summed into one report (--merge for the text report
 * and the JSON document; the exports sum their own stacks, export.h).
 *
 * Invariants: every log added was read with the same name table (name ids
 * are shared) and is finished but not shrunk (tk_isolate_shrink frees the
 * flat counts the reports read); VM states are matched by kind, not by
 * number (V8 renumbered them); the version, platform and sampling
 * interval are the logs' own when they agree, else unknown. The result is
 * an isolate the text and JSON writers read like any other: its path
 * names the logs ("3 logs (a.log, b.log, c.log)").
 *
 *     struct tk_merge m;
 *     tk_merge_init(&m, &opts, &names, &cache);
 *     for each log read: tk_merge_add(&m, &iso);   (then release iso)
 *     tk_out_text(out, tk_merge_result(&m));
 *     tk_merge_release(&m);
 */
#ifndef TK_MERGE_H
#define TK_MERGE_H

#include <stddef.h>
#include <stdint.h>
#include "ingest/isolate.h"

struct tk_merge {
	struct tk_isolate iso;    /* the sum */
	char **paths;             /* of the logs added, in order (copies) */
	uint64_t *ticks;          /* each log's ticks */
	size_t n, cap;
	int version_differs, platform_differs, interval_differs;
	char *title;              /* iso.path */
};

void tk_merge_init(struct tk_merge *m, const struct tk_opts *opts, struct tk_names *names,
		   struct tk_elfcache *cache);
/* Adds the profile and counters of iso (read to its end, not shrunk). */
void tk_merge_add(struct tk_merge *m, const struct tk_isolate *iso);
/* The sum of the logs added so far, path naming them; valid until the
 * next tk_merge_add or tk_merge_release. */
const struct tk_isolate *tk_merge_result(struct tk_merge *m);
void tk_merge_release(struct tk_merge *m);

#endif
