/*
 * json: a streaming JSON writer that escapes for you.
 *
 * Invariants: output is RFC 8259 JSON; strings are escaped (", \, control
 * characters as \uXXXX or the short forms) and invalid UTF-8 becomes
 * U+FFFD; commas and nesting are tracked here, so callers only open,
 * close and add; numbers are integers or finite doubles (NaN and infinities
 * become null). Pretty mode indents by two spaces.
 *
 *     struct tk_json j; tk_json_init(&j, stdout, 1);
 *     tk_json_obj(&j); tk_json_key(&j, "ticks"); tk_json_u64(&j, 42); tk_json_end(&j);
 */
#ifndef TK_JSON_H
#define TK_JSON_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#define TK_JSON_MAX_DEPTH 4096

struct tk_json {
	FILE *out;
	int pretty;
	int depth;
	unsigned char first[TK_JSON_MAX_DEPTH]; /* no element yet at this depth */
	unsigned char is_obj[TK_JSON_MAX_DEPTH];
	int after_key;
};

void tk_json_init(struct tk_json *j, FILE *out, int pretty);
void tk_json_obj(struct tk_json *j);
void tk_json_arr(struct tk_json *j);
void tk_json_end(struct tk_json *j);
void tk_json_key(struct tk_json *j, const char *key);
void tk_json_str(struct tk_json *j, const char *s);
void tk_json_strn(struct tk_json *j, const char *s, size_t n);
void tk_json_u64(struct tk_json *j, uint64_t v);
void tk_json_i64(struct tk_json *j, int64_t v);
void tk_json_dbl(struct tk_json *j, double v);
void tk_json_bool(struct tk_json *j, int v);
void tk_json_null(struct tk_json *j);
/* Writes s[0..n) as a JSON string body (no quotes) to out. */
void tk_json_escape(FILE *out, const char *s, size_t n);

#endif
