/*
 * csv: one V8 log line split into fields, in place, and V8's escapes
 * decoded on demand.
 *
 * Invariants: fields point into the line (borrowed until the line is);
 * V8 (Node >= 10) never writes a raw comma inside a field, so splitting
 * on every comma is exact; old logs (Node 6/8) quote string fields
 * ("..." with "" for a quote), handled when quoted is set. At most
 * TK_CSV_MAX_FIELDS fields are kept; extra ones are counted in dropped.
 *
 *     struct tk_fields f = {0};
 *     tk_csv_split(&f, line, len, 0);
 *     tk_csv_unescape(f.s[5], f.n[5], &buf);
 */
#ifndef TK_CSV_H
#define TK_CSV_H

#include <stddef.h>
#include <stdint.h>
#include "base/util.h"

#define TK_CSV_MAX_FIELDS 4096

struct tk_fields {
	const char **s;   /* field starts (not NUL-terminated) */
	uint32_t *n;      /* field lengths */
	size_t count;
	size_t cap;
	size_t dropped;   /* fields past TK_CSV_MAX_FIELDS */
	int dialect;      /* enum tk_csv_dialect of the log (kept by tk_csv_split) */
};

/* Which writer's escapes a log holds (by its v8-version). */
enum tk_csv_dialect {
	TK_CSV_V8 = 0,    /* Node 6/8 and 12+: see tk_csv_unescape */
	TK_CSV_NODE10,    /* V8 6.8 (Node 10): see tk_csv_unescape_as */
	TK_CSV_NODE10_REGEXP /* a RegExp source in a Node 10 log */
};

/* Splits line[0..len) into f. quoted: honour "..." fields (Node 6/8). */
void tk_csv_split(struct tk_fields *f, const char *line, size_t len, int quoted);
/* Splits at most max fields: the last one holds the rest of the line,
 * commas included (a tick's stack, parsed only when needed). */
void tk_csv_split_max(struct tk_fields *f, const char *line, size_t len, size_t max);
void tk_csv_free(struct tk_fields *f);
/* Room for n fields in f (a splitter that fills f->s and f->n itself). */
void tk_csv_reserve(struct tk_fields *f, size_t n);

/* Appends the decoded text of s[0..n) to out as UTF-8: \n, \\, \xHH and
 * \uHHHH (V8's escapes; UTF-16 surrogate pairs joined, lone ones become
 * U+FFFD). Node 10's sign-extension bug (\xffffffHH) decodes as \xHH. A
 * backslash not starting a well-formed escape is kept as is (Node 10
 * wrote backslashes raw). Invalid UTF-8 in raw bytes is kept as is.
 * Returns 1 if anything was unescaped, 0 if s had no backslash. */
int tk_csv_unescape(const char *s, size_t n, struct tk_buf *out);

/* tk_csv_unescape in a dialect. Node 10 wrote backslashes raw and only
 * these escapes, all lower-case but the comma's: \n, \x2C (a comma),
 * \xHH for a character below 0x20 or from 0x7f (\xffffffHH from 0x80,
 * its sign-extension bug), \uHHHH from U+0100. Any other backslash is
 * the text's own (a RegExp source's [\u0000-\u00ff], \x41, \\, \u00E9):
 * TK_CSV_NODE10 keeps it as is. A RegExp source never holds a line
 * terminator (V8 escapes them in it), so TK_CSV_NODE10_REGEXP also keeps
 * \n, \x0a, \x0d, \u2028 and \u2029 as text. */
int tk_csv_unescape_as(const char *s, size_t n, int dialect, struct tk_buf *out);

/* Field i equals the C string lit. */
int tk_field_is(const struct tk_fields *f, size_t i, const char *lit);

#endif
