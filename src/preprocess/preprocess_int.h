/*
 * preprocess_int: what the parts of the --preprocess builder share
 * (preprocess.c: events and ticks; preprocess_text.c: the reference's
 * text and number decoding; preprocess_map.c: the reference's code map;
 * preprocess_ticks.c: the store of encoded ticks).
 * Not for other modules: they use preprocess.h.
 *
 * Invariants: decoded text lands in the builder's scratch buffers
 * (p->u16, p->u16b: borrowed until the next decoding call); kept strings
 * are arena-owned; map entries removed while a line is handled stay
 * valid until tk_pre_dyn_flush at the end of that line.
 *
 *     double a = tk_pre_num_field(p, &iso->f, 4);
 *     struct tk_pre_dyn *d = tk_pre_dyn_find(p, key);
 */
#ifndef TK_PREPROCESS_INT_H
#define TK_PREPROCESS_INT_H

#include <math.h>
#include <stdint.h>
#include <string.h>
#include "input/csv.h"
#include "preprocess/preprocess.h"

#define TK_PRE_MAX_EXACT 9007199254740992.0 /* 2^53: larger values are not addresses */

/* Hash slots: known names ({N} numbering), file names (script names),
 * ELF symbols (symbols mode). */
struct tk_pre_nameslot {
	const char *s;
	uint32_t n, hash;
	uint32_t count;
};

struct tk_pre_fileslot {
	const char *s;
	uint32_t n, hash;
	struct tk_pre_script *head, *tail;
};

struct tk_pre_symslot {
	const void *sym;
	int32_t id;
};

/* A block of encoded ticks. */
struct tk_pre_chunk {
	struct tk_pre_chunk *next;
	size_t len, cap;
	unsigned char data[];
};

/* --- text (preprocess_text.c) --- */

/* Raw log bytes to UTF-16 code units in p->u16 (WHATWG decoding: one
 * U+FFFD per maximal invalid subpart); returns the count. */
size_t tk_pre_utf8_to_u16(struct tk_pre *p, const char *s, size_t n);
/* CsvParser.escapeField over u[0..n) into p->u16b; returns the count. */
size_t tk_pre_escape_field(struct tk_pre *p, const uint16_t *u, size_t n);
/* JS parseInt(u) (radix 0) or parseInt(u, 16); NaN when no digits. */
double tk_pre_parse_int(const uint16_t *u, size_t n, int radix);
/* s[0..n) copied into the arena. */
struct tk_pre_str tk_pre_keep(struct tk_pre *p, const char *s, size_t n);
/* Raw UTF-8 (no V8 escapes) escaped for JSON, arena-owned. */
struct tk_pre_str tk_pre_json_raw(struct tk_pre *p, const char *s, size_t n);
/* Field i as the reference's string, escaped for JSON ("" if absent). */
struct tk_pre_str tk_pre_str_field(struct tk_pre *p, const struct tk_fields *f, size_t i);
/* parseInt(field i): NaN when absent or not a number. */
double tk_pre_num_field(struct tk_pre *p, const struct tk_fields *f, size_t i);
/* parseInt of a field's raw text s[0..n) (escapes decoded first). */
double tk_pre_num_span(struct tk_pre *p, const char *s, size_t n);

static inline int tk_pre_str_is(struct tk_pre_str s, const char *lit)
{
	size_t n = strlen(lit);
	return s.n == n && memcmp(s.s, lit, n) == 0;
}

static inline int tk_pre_str_eq(struct tk_pre_str a, struct tk_pre_str b)
{
	return a.n == b.n && memcmp(a.s, b.s, a.n) == 0;
}

/* An address or size the maps can hold: an integer in [0, 2^53]. */
static inline int tk_pre_to_addr(double a, uint64_t *u)
{
	if (!(a >= 0 && a <= TK_PRE_MAX_EXACT))
		return 0;
	*u = (uint64_t)a;
	return 1;
}

/* --- encoded ticks (preprocess_ticks.c) --- */

static inline unsigned char *tk_pre_put_varint(unsigned char *o, uint64_t v)
{
	while (v >= 0x80) {
		*o++ = (unsigned char)(v | 0x80);
		v >>= 7;
	}
	*o++ = (unsigned char)v;
	return o;
}

/* A number: non-negative integers below 2^53 as varint(v << 1), others
 * as 1 and the raw double. */
static inline unsigned char *tk_pre_put_num(unsigned char *o, double v)
{
	if (v >= 0 && v < TK_PRE_MAX_EXACT && v == floor(v) && !(v == 0 && signbit(v)))
		return tk_pre_put_varint(o, (uint64_t)v << 1);
	*o++ = 1;
	memcpy(o, &v, sizeof v);
	return o + sizeof v;
}

/* Room for need bytes at the end of the tick store (a new chunk if
 * the last one is short); tk_pre_tick_done then commits what was used. */
unsigned char *tk_pre_tick_space(struct tk_pre *p, size_t need);
void tk_pre_tick_done(struct tk_pre *p, size_t used);
void tk_pre_ticks_free(struct tk_pre *p);

/* --- the reference's code map (preprocess_map.c) --- */

/* A fresh entry (not in the tree): code_id and func_id -1. */
struct tk_pre_dyn *tk_pre_dyn_new(struct tk_pre *p, int64_t size, struct tk_pre_str name);
/* The entry starting exactly at key, or NULL. */
struct tk_pre_dyn *tk_pre_dyn_find(struct tk_pre *p, uint64_t key);
/* Takes the entry at key out of the tree, for re-insertion (NULL if none). */
struct tk_pre_dyn *tk_pre_dyn_take(struct tk_pre *p, uint64_t key);
/* Removes the entry at key (valid until tk_pre_dyn_flush); NULL if none. */
struct tk_pre_dyn *tk_pre_dyn_remove(struct tk_pre *p, uint64_t key);
/* CodeMap.addCode: removes what overlaps [start, start+size), then
 * inserts d at start unless an entry starts there (SplayTree.insert
 * keeps the old one). 1 if d went in. */
int tk_pre_dyn_add(struct tk_pre *p, uint64_t start, struct tk_pre_dyn *d);
/* The dynamic part of CodeMap.findAddress (numbers the entry's name on
 * its first hit, as NameGenerator does), or NULL. */
struct tk_pre_dyn *tk_pre_dyn_lookup(struct tk_pre *p, uint64_t a);
/* Recycles the entries removed while handling the current line. */
void tk_pre_dyn_flush(struct tk_pre *p);
/* CodeMap.addLibrary for the SHARED_LIB element code_id. */
void tk_pre_lib_add(struct tk_pre *p, uint64_t start, int64_t size, int32_t code_id);
/* CodeMap.findAddress without static symbols: 1 and *id, *off when a is
 * in a library (static page) or JIT code. */
int tk_pre_ref_find(struct tk_pre *p, double a, int32_t *id, double *off);

#endif
