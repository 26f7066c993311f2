/*
 * codemap: the JIT code of one isolate (code-creation/move/delete) as it
 * stands at each moment of the log.
 *
 * Invariants: entries cover half-open, non-empty ranges [start, start+size)
 * and never overlap: adding code first removes every entry its range
 * overlaps (V8's rule, as the reference applies it); keys are unique;
 * zero-size code is never in the map (it covers nothing). A lookup is
 * O(log n) with a last-hit cache and allocates nothing. Entries are
 * arena-owned and recycled after removal.
 *
 *     struct tk_codemap m; tk_codemap_init(&m);
 *     struct tk_code *c = tk_codemap_add(&m, start, size);  c->name = ...;
 *     c = tk_codemap_find(&m, pc);
 *     tk_codemap_release(&m);
 */
#ifndef TK_CODEMAP_H
#define TK_CODEMAP_H

#include <stdint.h>
#include "base/names.h"
#include "base/otree.h"
#include "base/util.h"

struct tk_srcinfo; /* srcpos.c: the position table of function code */

struct tk_code {
	union {
		struct tk_onode node;   /* in the map's tree (otree.h): first */
		uint64_t start;         /* = node.key */
	};
	uint64_t size;
	const struct tk_name *type;     /* "JS", "Builtin", "LazyCompile", ... */
	const struct tk_name *raw;      /* raw name, shared by the {N} numbering (non-function code) */
	const struct tk_name *display;  /* printed name; for non-function code set at first lookup */
	uint8_t is_func;                /* function code (has an SFI): JS proper */
	uint8_t tier;                   /* 0 none, 1 ~, 2 ^, 4 +, 5 * */
	struct tk_srcinfo *src;         /* positions (srcpos.h), NULL if none */
};

struct tk_codemap {
	struct tk_arena arena;
	struct tk_otree tree;           /* the entries by start */
	struct tk_code *free_list;      /* chained by node.right */
	struct tk_code *last;           /* last lookup hit */
	struct tk_code scratch;         /* what adding zero-size code returns */
	uint32_t gen;                   /* changes with every add, move, delete */
};

void tk_codemap_init(struct tk_codemap *m);
void tk_codemap_release(struct tk_codemap *m);
/* The treap's height, for tests (0: empty). */
size_t tk_codemap_height(const struct tk_codemap *m);

/* Removes every entry overlapping [start, start+size) and adds a fresh,
 * zeroed entry there (start/size set); the caller fills the rest. With
 * size 0 only an entry starting at start is removed, and the entry
 * returned (borrowed until the next add) is not in the map. */
struct tk_code *tk_codemap_add(struct tk_codemap *m, uint64_t start, uint64_t size);

/* Moves the entry starting exactly at from to to (removing what overlaps
 * its new range). -1 if no entry starts at from. */
int tk_codemap_move(struct tk_codemap *m, uint64_t from, uint64_t to);

/* Removes the entry starting exactly at start. -1 if none. */
int tk_codemap_delete(struct tk_codemap *m, uint64_t start);

/* The entry whose range holds addr, or NULL. */
struct tk_code *tk_codemap_find(struct tk_codemap *m, uint64_t addr);

/* The entry starting exactly at start, or NULL. */
struct tk_code *tk_codemap_at(struct tk_codemap *m, uint64_t start);

#endif
