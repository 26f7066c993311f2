/*
 * profile: what the ticks of one isolate add up to: counters, flat self
 * counts per name, C++ entry points, and the bottom-up and top-down call
 * trees.
 *
 * Invariants: tree nodes live in one array (index 0 is the root) and are
 * linked by index; a node's children have distinct names; a node's total
 * is the number of ticks whose path passes through it; memory grows with
 * the number of distinct paths, not with the number of ticks. Writers
 * read a profile, never change it.
 *
 *     tk_profile_add(&p, path, n);   // path: name ids, innermost first
 */
#ifndef TK_PROFILE_H
#define TK_PROFILE_H

#include <stddef.h>
#include <stdint.h>
#include "base/hashidx.h"

struct tk_node {
	uint32_t name;        /* name id */
	uint32_t parent;
	uint32_t first_child; /* 0 = none (the root is never a child) */
	uint32_t next;        /* next sibling, 0 = none */
	uint64_t self, total;
};

struct tk_tree {
	struct tk_node *v;
	size_t n, cap;
	struct tk_hashidx idx; /* (parent, name) -> node */
	/* the last path added, in walking order, and the node each step
	 * reached: a path sharing its first steps reuses them unhashed */
	uint32_t *memo_name, *memo_node;
	size_t memo_n, memo_cap;
	/* replayed ticks ending at each node, not yet in the totals of the
	 * node and its ancestors (tk_profile_finish adds them) */
	uint32_t *pending;
	size_t pending_cap;
};

void tk_tree_init(struct tk_tree *t);
void tk_tree_release(struct tk_tree *t);
/* Adds one tick along path[0..n) from the root; reverse walks it from the
 * end. Returns the last node reached (0, the root, when n is 0). */
uint32_t tk_tree_add(struct tk_tree *t, const uint32_t *path, size_t n, int reverse);
/* Child indices of node, in no particular order, into *out (caller frees). */
size_t tk_tree_children(const struct tk_tree *t, uint32_t node, uint32_t **out);

#define TK_VM_STATES 16

/* Why a tick's first frame is UNKNOWN or only a library (--verbose). */
enum tk_why {
	TK_WHY_PC0,          /* pc 0: the sampler had no registers */
	TK_WHY_NO_CODE,      /* no JIT code and no library at the pc */
	TK_WHY_LIB_MISSING,  /* in a library whose file could not be read */
	TK_WHY_NO_SYMBOL,    /* in a library, but no symbol covers the pc */
	TK_WHY_PSEUDO,       /* [vdso], an anonymous mapping: nothing to read */
	TK_WHY_NOT_READ,     /* --no-symbols: the file was not opened */
	TK_WHY_COUNT
};

/* Library-level ticks of one library, by reason. */
struct tk_why_lib {
	uint32_t name;       /* the library's name id */
	uint8_t why;         /* enum tk_why */
	uint64_t ticks;
};

/* One tick in time order (kept only when an export needs a timeline). */
struct tk_sample {
	uint64_t time;        /* microseconds since the logger started */
	uint32_t node;        /* its leaf in the top-down tree (0: no frames) */
	uint32_t state;       /* VM state number as logged */
};

struct tk_profile {
	uint64_t total;        /* ticks in range, excluded ones included */
	uint64_t unaccounted;  /* first frame resolved to nothing */
	uint64_t excluded;     /* removed by a VM-state filter */
	uint64_t gc;           /* VM state GC, before filtering */
	uint64_t states[TK_VM_STATES]; /* ticks per VM state (last slot: others) */
	uint64_t *self;        /* by name id: ticks with that name first */
	size_t self_cap;
	uint64_t *entry;       /* by name id: C++ entry point counts */
	size_t entry_cap;
	uint64_t entry_total;
	struct tk_tree bottom_up, top_down;
	uint64_t why[TK_WHY_COUNT];
	struct tk_why_lib *why_libs;
	size_t n_why_libs, why_libs_cap;
	struct tk_hashidx why_idx;  /* (name, why) -> index in why_libs */
	uint64_t first_time, last_time; /* microseconds, of counted ticks */
	int keep_samples;      /* record every tick in samples */
	struct tk_sample *samples;
	size_t n_samples, samples_cap;
	int have_time;
};

void tk_profile_init(struct tk_profile *p);
void tk_profile_release(struct tk_profile *p);
/* One tick's names, innermost first (n may be 0: recorded in no tree),
 * at time (us) in VM state; a sample is kept when keep_samples is set.
 * The leaves reached in the top-down and bottom-up trees are stored in
 * leaves[0] and leaves[1] when leaves is not NULL (0 when n is 0). */
void tk_profile_add(struct tk_profile *p, const uint32_t *path, size_t n, uint64_t time, uint32_t state,
		    uint32_t leaves[2]);
/* The same tick again: first = path[0] (UINT32_MAX: empty path) and the
 * leaves tk_profile_add reported for it. O(1): the totals along the path
 * wait for tk_profile_finish. */
void tk_profile_replay(struct tk_profile *p, uint32_t first, const uint32_t leaves[2], uint64_t time,
		       uint32_t state);
/* Brings the tree totals up to date after tk_profile_replay (which only
 * counts at the leaf): call before reading the trees. */
void tk_profile_finish(struct tk_profile *p);
/* Finishes p and frees what only adding needs (the trees' hashes and
 * memos, spare capacity) and the flat counts by name id (self, entry:
 * the text and JSON reports' tables; the trees keep every count the
 * exports read): p is read-only afterwards. */
void tk_profile_compact(struct tk_profile *p);
void tk_profile_add_entry(struct tk_profile *p, uint32_t name);
/* Adds the counts of src, a finished profile not yet compacted, to dst
 * (--merge of several logs into one report): counters, flat self and
 * entry counts, reasons, library-level ticks and both trees (nodes
 * matched by name from the root); the first and last tick times widen.
 * Samples are not merged. state_map[k] is dst's number of src's VM state
 * number k (logs of two V8 versions number the states differently).
 * Name ids of both must come from one name table. */
void tk_profile_merge(struct tk_profile *dst, const struct tk_profile *src, const int state_map[TK_VM_STATES]);
/* One library-level tick of library name for reason why. */
void tk_profile_add_why_lib(struct tk_profile *p, uint32_t name, enum tk_why why);
/* One tick whose first frame resolved to nothing (unaccounted). */
void tk_profile_add_unaccounted(struct tk_profile *p);
/* One tick in range, before any filter: the first and last times, the
 * total and its VM state (number state; gc: the state is GC's).
 * Inline: once per tick. */
static inline void tk_profile_count_tick(struct tk_profile *p, uint64_t time, uint64_t state, int gc)
{
	if (!p->have_time || time < p->first_time)
		p->first_time = time;
	if (!p->have_time || time > p->last_time)
		p->last_time = time;
	p->have_time = 1;
	p->total++;
	p->states[state < TK_VM_STATES - 1 ? state : TK_VM_STATES - 1]++;
	p->gc += gc != 0;
}
/* One tick removed by --focus/--ignore or a VM-state filter: counted as
 * excluded. */
void tk_profile_add_excluded(struct tk_profile *p);
/* One tick whose first frame went unnamed or was named by its library
 * only, for reason why; lib: the library's name id, UINT32_MAX: none. */
void tk_profile_add_why(struct tk_profile *p, enum tk_why why, uint32_t lib);

#endif
