/*
 * out_json: the report as one JSON document ("schema": "ticks/1"), for
 * scripts. Stable within a major version: keys are only ever added.
 *
 * Invariants: streams one profile at a time (the document is opened by
 * tk_out_json_begin and closed by tk_out_json_finish); numbers are
 * numbers; percentages are rounded to 0.01; names are escaped per
 * RFC 8259 with invalid UTF-8 replaced.
 *
 *     tk_out_json_begin(&j, stdout); tk_out_json_profile(&j, &iso);
 *     tk_out_json_error(&j, path, &diag); tk_out_json_finish(&j);
 */
#ifndef TK_OUT_JSON_H
#define TK_OUT_JSON_H

#include "ingest/isolate.h"
#include "ingest/merge.h"
#include "base/json.h"

#define TK_JSON_SCHEMA "ticks/1"

void tk_out_json_begin(struct tk_json *j, FILE *out);
/* One log's profile (what the options select). */
void tk_out_json_profile(struct tk_json *j, const struct tk_isolate *iso);
/* The sum of several logs (--merge): one profile whose "path" names
 * them and whose "merged_logs" lists each {"path", "ticks"}. */
void tk_out_json_merged(struct tk_json *j, struct tk_merge *m);
/* A log that could not be read: {"path", "error"}. */
void tk_out_json_error(struct tk_json *j, const char *path, const struct tk_diag *d);
void tk_out_json_finish(struct tk_json *j);

#endif
