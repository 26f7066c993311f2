/*
 * sourcemap: source map v3 (the "mappings" VLQ string, "sources",
 * "sourceRoot", "sourcesContent") read into a sorted segment table that
 * maps a generated line:column to an original file:line:column.
 *
 * Invariants: lines and columns are 0-based here, as in the format;
 * segments are sorted by generated line, then column; a lookup answers
 * with the last segment at or before the column on the same generated
 * line, and fails when that segment has no source (one-field segments)
 * or none exists; every source index in the table is < n_sources;
 * "sourceRoot" is prepended to relative sources only;
 * sources are resolved against base (the map's directory, or the
 * script's) unless absolute or URLs, with "." and ".." removed. Sections
 * (index maps) are not supported (an error).
 *
 *     struct tk_smap m;
 *     if (tk_smap_parse(&m, json, len, "/app/dist", err, sizeof err) == 0 &&
 *         tk_smap_lookup(&m, line0, col0, &seg)) ... m.sources[seg->src] ...
 *     tk_smap_free(&m);
 */
#ifndef TK_SOURCEMAP_H
#define TK_SOURCEMAP_H

#include <stddef.h>
#include <stdint.h>
#include "base/util.h"

struct tk_smap_seg {
	uint32_t gline, gcol;
	uint32_t src;               /* UINT32_MAX: no original position */
	uint32_t oline, ocol;
};

struct tk_smap {
	char **sources;             /* resolved paths */
	char **contents;            /* sourcesContent entries, NULL when absent */
	size_t n_sources;
	struct tk_smap_seg *segs;
	size_t n;
};

/* 0, or -1 with err set (the map is then empty but may be freed). */
int tk_smap_parse(struct tk_smap *m, const char *json, size_t len, const char *base, char *err, size_t errn);
void tk_smap_free(struct tk_smap *m);

/* 1 and *out when the generated position maps to an original one. */
int tk_smap_lookup(const struct tk_smap *m, uint32_t line, uint32_t col, const struct tk_smap_seg **out);

/* Decodes base64 s[0..n) (padding optional, no whitespace) into out
 * (appended); -1 on a bad character. */
int tk_smap_base64(const char *s, size_t n, struct tk_buf *out);

/* dir + "/" + rel with "." and ".." segments removed, into out (reset
 * first); rel absolute (or a URL with "://"): rel alone, normalized. */
void tk_smap_join(struct tk_buf *out, const char *dir, const char *rel);

#endif
