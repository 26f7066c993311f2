/*
 * names: interned strings. Equal names are the same pointer, so the
 * profile can key its tables by pointer or by the dense id.
 *
 * Invariants: ids are 0..count-1 in order of first interning; a name's
 * kind (what the report files it under) is set by the first caller that
 * gives one and never changes; names live until tk_names_release.
 *
 *     const struct tk_name *n = tk_names_intern(&names, "JS: *f x.js:1:1", len, TK_KIND_JS);
 */
#ifndef TK_NAMES_H
#define TK_NAMES_H

#include <stddef.h>
#include <stdint.h>
#include "base/util.h"

/* Which section of the flat report a name belongs to. */
enum tk_kind {
	TK_KIND_NONE = 0,
	TK_KIND_JS,       /* JIT code, builtins, stubs, regexps, ... */
	TK_KIND_CPP,      /* a native symbol */
	TK_KIND_LIB,      /* a whole shared library (no symbol) */
	TK_KIND_UNKNOWN   /* the UNKNOWN pseudo-frame */
};

struct tk_name {
	const char *str;      /* NUL-terminated; may contain NULs only if len says so */
	uint32_t len;
	uint32_t id;
	uint32_t hash;
	uint8_t kind;         /* enum tk_kind */
	const struct tk_name *owner; /* C++ names: the library they were found in (first wins) */
	struct tk_name *next; /* hash chain */
};

struct tk_names {
	struct tk_arena arena;
	struct tk_name **tab;
	size_t mask;
	size_t count;
	struct tk_name **byid;
	size_t byid_cap;
};

void tk_names_init(struct tk_names *t);
void tk_names_release(struct tk_names *t);

/* The interned copy of s[0..n); arena-owned. If it has no kind yet and
 * kind != TK_KIND_NONE, it gets that kind. */
const struct tk_name *tk_names_intern(struct tk_names *t, const char *s, size_t n, enum tk_kind kind);

/* Name by id (id < t->count). */
static inline const struct tk_name *tk_names_get(const struct tk_names *t, uint32_t id)
{
	return t->byid[id];
}

#endif
