/*
 * names: interned strings. Equal names are the same pointer, so the
 * profile can key its tables by pointer or by the dense id.
 *
 * Invariants: ids are 0..count-1 in order of first interning; a name's
 * kind (what the report files it under) is set by the first caller that
 * gives one and never changes; names live until tk_names_release. Every
 * name carries its frame record (base/frame.h), filled once when it is
 * made (and again when it gets its kind).
 *
 *     const struct tk_name *n = tk_names_intern(&names, "JS: *f x.js:1:1", len, TK_KIND_JS);
 */
#ifndef TK_NAMES_H
#define TK_NAMES_H

#include <stddef.h>
#include <stdint.h>
#include "base/frame.h"
#include "base/hashidx.h"
#include "base/util.h"

struct tk_name {
	const char *str;      /* NUL-terminated; may contain NULs only if len says so */
	uint32_t len;
	uint32_t id;
	uint32_t hash;
	uint8_t kind;         /* enum tk_kind */
	struct tk_frame_rec frame; /* the parts of the name (frame.h) */
};

struct tk_names {
	struct tk_arena arena;
	struct tk_hashidx idx;  /* string -> id */
	size_t count;
	struct tk_name **byid;
	size_t byid_cap;
};

void tk_names_init(struct tk_names *t);
void tk_names_release(struct tk_names *t);

/* The interned copy of s[0..n); arena-owned. If it has no kind yet and
 * kind != TK_KIND_NONE, it gets that kind. */
const struct tk_name *tk_names_intern(struct tk_names *t, const char *s, size_t n, enum tk_kind kind);

/* The same, for a maker that built s from its parts: a new name's record
 * is *parts, whose string pointers point into s[0..n) (they are moved to
 * the interned copy) and whose kind is kind. An existing name keeps its
 * record. */
const struct tk_name *tk_names_intern_frame(struct tk_names *t, const char *s, size_t n, enum tk_kind kind,
					    const struct tk_frame_rec *parts);

/* Name by id (id < t->count). */
static inline const struct tk_name *tk_names_get(const struct tk_names *t, uint32_t id)
{
	return t->byid[id];
}

#endif
