/*
 * jsonread: a small strict JSON reader (RFC 8259) for the few JSON files
 * ticks reads (source maps). The whole text becomes a tree of values.
 *
 * Invariants: only valid JSON is accepted (no comments, no trailing
 * commas, no leading zeros, no raw control characters in strings, nothing
 * but whitespace after the value); strings are decoded to UTF-8
 * (surrogate pairs joined, lone surrogates become U+FFFD) and may contain
 * NUL (lengths given); nesting deeper than TK_JR_MAX_DEPTH is an error;
 * the tree is owned by the document and freed with it.
 *
 *     struct tk_jr_doc d;
 *     if (tk_jr_parse(&d, text, len, err, sizeof err) < 0) ... err ...;
 *     const struct tk_jr_val *v = tk_jr_get(d.root, "mappings");
 *     tk_jr_free(&d);
 */
#ifndef TK_JSONREAD_H
#define TK_JSONREAD_H

#include <stddef.h>

#define TK_JR_MAX_DEPTH 256

enum tk_jr_type { TK_JR_NULL, TK_JR_FALSE, TK_JR_TRUE, TK_JR_NUM, TK_JR_STR, TK_JR_ARR, TK_JR_OBJ };

struct tk_jr_val {
	enum tk_jr_type type;
	double num;                 /* TK_JR_NUM */
	char *str;                  /* TK_JR_STR: UTF-8, NUL-terminated */
	size_t len;                 /* TK_JR_STR: bytes; TK_JR_ARR/OBJ: members */
	struct tk_jr_val **items;   /* TK_JR_ARR, TK_JR_OBJ: the values */
	char **keys;                /* TK_JR_OBJ: the keys (NUL-terminated) */
};

struct tk_jr_doc {
	struct tk_jr_val *root;
};

/* 0 and d->root set, or -1 with a message "offset N: what" in err. */
int tk_jr_parse(struct tk_jr_doc *d, const char *s, size_t n, char *err, size_t errn);
void tk_jr_free(struct tk_jr_doc *d);

/* The value of key in object o (the last of equal keys), or NULL (also
 * when o is NULL or not an object). */
const struct tk_jr_val *tk_jr_get(const struct tk_jr_val *o, const char *key);

#endif
