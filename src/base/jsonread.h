/*
 * jsonread: a small strict JSON (RFC 8259) reader, for reading ticks'
 * own --json reports back (ticks diff). The whole document is parsed
 * into a tree of values in one arena.
 *
 * Invariants: accepts exactly RFC 8259 documents: no comments, no
 * trailing commas, no leading zeros, no control characters or invalid
 * UTF-8 in strings, no lone surrogates in \u escapes, nothing after the
 * value but whitespace, at most TK_JR_MAX_DEPTH nested arrays/objects.
 * Strings are decoded to NUL-terminated UTF-8 (with their length, so an
 * escaped NUL survives). Object members keep their order; lookups return
 * the first member of a name. Errors say where: "line L, column C: ...".
 *
 *     struct tk_jr_doc doc;
 *     if (tk_jr_parse(&doc, text, len, err, sizeof err) < 0) ...;
 *     const struct tk_jr_val *v = tk_jr_get(doc.root, "profiles");
 *     tk_jr_free(&doc);
 */
#ifndef TK_JSONREAD_H
#define TK_JSONREAD_H

#include <stddef.h>
#include "base/util.h"

#define TK_JR_MAX_DEPTH 4096

enum tk_jr_type { TK_JR_NULL, TK_JR_FALSE, TK_JR_TRUE, TK_JR_NUM, TK_JR_STR, TK_JR_ARR, TK_JR_OBJ };

struct tk_jr_val {
	enum tk_jr_type type;
	double num;                   /* TK_JR_NUM */
	const char *str;              /* TK_JR_STR: decoded, NUL-terminated */
	size_t len;
	struct tk_jr_val *items;      /* TK_JR_ARR: elements; TK_JR_OBJ: members */
	size_t n;
	const char *key;              /* a member of an object: its name */
	size_t key_len;
};

struct tk_jr_doc {
	struct tk_arena arena;
	struct tk_jr_val *root;
};

/* 0, or -1 with err filled (the document is then empty and freed). */
int tk_jr_parse(struct tk_jr_doc *doc, const char *s, size_t n, char *err, size_t errsize);
void tk_jr_free(struct tk_jr_doc *doc);
/* The member key of object v, or NULL (also when v is not an object). */
const struct tk_jr_val *tk_jr_get(const struct tk_jr_val *v, const char *key);

#endif
