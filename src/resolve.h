/*
 * resolve: one address of a tick to a named frame, and a whole tick to
 * the profile (the reference's rules for UNKNOWN, filtered frames and C++
 * entry points).
 *
 * Invariants: a library's symbols win over JIT code inside the library's
 * range (embedded builtins of Node 12-18 are named by their symbols);
 * outside libraries the code map decides; each symbol is demangled and
 * interned once (cached in its cookie); names of non-function JIT code
 * get the reference's " {N}" suffix in order of first lookup.
 *
 *     struct tk_frame fr;
 *     if (tk_resolve_addr(iso, pc, &fr)) ... fr.name ...
 */
#ifndef TK_RESOLVE_H
#define TK_RESOLVE_H

#include <stdint.h>
#include "isolate.h"

enum tk_frame_type {
	TK_FRAME_NONE = 0,
	TK_FRAME_CPP,       /* an ELF symbol */
	TK_FRAME_LIB,       /* a library, no symbol */
	TK_FRAME_JS_FUNC,   /* JIT code of a JS function */
	TK_FRAME_JS_OTHER   /* builtin, stub, regexp, bytecode handler, ... */
};

struct tk_frame {
	const struct tk_name *name;
	enum tk_frame_type type;
	const struct tk_lib *lib;   /* the library holding the address, or NULL */
};

/* A resolved address, valid while the code map and libraries are as
 * they were (gen). */
struct tk_rcache_slot {
	uint64_t addr;
	uint64_t gen;
	const struct tk_name *name;
	const struct tk_lib *lib;
	int type;                       /* enum tk_frame_type; 0: unresolved */
};

#ifndef TK_RCACHE_SLOTS /* a power of 2; the fuzz build uses fewer */
#define TK_RCACHE_SLOTS 4096
#endif

/* 1 and *fr filled when addr resolves, 0 otherwise. */
int tk_resolve_addr(struct tk_isolate *iso, uint64_t addr, struct tk_frame *fr);

/* Resolves stack[0..n) (pc first) and adds the tick, logged at time (us)
 * in VM state, to the profile; res (may be NULL) says what was added. */
void tk_resolve_tick(struct tk_isolate *iso, const uint64_t *stack, size_t n, uint64_t time,
		     uint32_t state, struct tk_tick_result *res);

/* Adds a tick identical to the one that gave res. */
void tk_resolve_replay(struct tk_isolate *iso, const struct tk_tick_result *res, uint64_t time,
		       uint32_t state);

#endif
