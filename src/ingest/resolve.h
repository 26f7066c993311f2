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
 * The resolver owns its caches and memos and the re-mapped builtins
 * region; it borrows the isolate's code map, libraries and profile (and
 * the run's names and ELF files), given at init, and calls nothing of the
 * isolate: what it finds is returned to the caller.
 *
 *     struct tk_resolver rs;
 *     tk_resolver_init(&rs, &ro, names, cache, &code, &libs, &prof);
 *     struct tk_frame fr;
 *     if (tk_resolve_addr(&rs, pc, &fr)) ... fr.name ...
 *     tk_resolver_release(&rs);
 */
#ifndef TK_RESOLVE_H
#define TK_RESOLVE_H

#include <stddef.h>
#include <stdint.h>
#include "model/codemap.h"
#include "model/libs.h"
#include "base/names.h"
#include "model/profile.h"
#include "ingest/resolve_types.h"
#include "base/util.h"

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

/* The options the resolver reads (of the command line's tk_opts). */
struct tk_resolve_opts {
	int separate_ic, separate_bytecodes, separate_builtins, separate_stubs;
	int lines;                      /* C++ frames named "NAME FILE:LINE" */
	int quiet;                      /* no warnings */
	const void *focus, *ignore, *hide; /* regex_t, or NULL */
};

struct tk_code;

/* What a JS function frame stands for besides itself: its line, the
 * functions inlined in it, a source-mapped name (srcpos, lent by
 * srcpos_consumer.c). active: whether frames can change at all; frames:
 * as tk_srcpos_frames. Unset (NULL): frames are their names. */
struct tk_js_frames {
	void *ctx;
	int (*active)(const void *ctx);
	size_t (*frames)(void *ctx, struct tk_names *names, struct tk_code *c, const struct tk_name *name,
			 uint64_t pc, int top, uint32_t *out, size_t max);
};

struct tk_resolver {
	struct tk_resolve_opts opts;
	struct tk_names *names;          /* borrowed: the run's */
	struct tk_elfcache *cache;       /* borrowed: the run's */
	struct tk_codemap *code;         /* borrowed: the isolate's */
	struct tk_libs *libs;            /* borrowed: the isolate's */
	struct tk_profile *prof;         /* borrowed: the isolate's; written through tk_profile_* */
	struct tk_js_frames js;          /* JS lines and source maps, or unset */
	const struct tk_name *unknown;   /* "UNKNOWN" */
	struct tk_buf tmp;
	uint64_t code_range;             /* from "new,CodeRange,ADDR" */
	uint64_t blob_min, blob_max;     /* extent of Builtin/BytecodeHandler code */
	int remap;                       /* 1 remapped copy known, -1 none, 0 not computed */
	uint64_t remap_base;             /* where V8 11.3 runs its copy of the builtins */
	uint32_t *dedup;                 /* by raw name id: how many entries used it */
	size_t dedup_cap;
	uint8_t *skip;                   /* by name id: 0 unset, 1 keep, 2 drop */
	size_t skip_cap;
	uint32_t *path_ids;
	size_t path_cap;
	struct tk_rcache_slot *rcache;   /* address -> frame, TK_RCACHE_SLOTS */
	uint8_t *memo_focus, *memo_ignore, *memo_hide; /* by name id: regex matched? */
	size_t memo_focus_cap, memo_ignore_cap, memo_hide_cap;
};

/* Interns "UNKNOWN" in names; code, libs and prof must outlive rs. */
void tk_resolver_init(struct tk_resolver *rs, const struct tk_resolve_opts *o, struct tk_names *names,
		      struct tk_elfcache *cache, struct tk_codemap *code, struct tk_libs *libs,
		      struct tk_profile *prof);
/* Frees the caches and memos; rs may be used again (they are rebuilt). */
void tk_resolver_release(struct tk_resolver *rs);

/* Events that move the re-mapped builtins region: the code range's
 * start (the first one logged counts), builtin or bytecode handler code
 * at [start, start + size), a library added. */
void tk_resolver_code_range(struct tk_resolver *rs, uint64_t start);
void tk_resolver_builtin(struct tk_resolver *rs, uint64_t start, uint64_t size);
void tk_resolver_libs_changed(struct tk_resolver *rs);

/* 1 and *logged set when the region is known and addr lies in V8 11.3's
 * running copy of the builtins: *logged is where the log has it. */
int tk_resolver_unremap(const struct tk_resolver *rs, uint64_t addr, uint64_t *logged);

/* 1 and *fr filled when addr resolves, 0 otherwise. */
int tk_resolve_addr(struct tk_resolver *rs, uint64_t addr, struct tk_frame *fr);

/* Resolves stack[0..n) (pc first) and adds the tick, logged at time (us)
 * in VM state, to the profile; res (may be NULL) says what was added;
 * first (may be NULL) gets the pc's frame when n > 0 (type
 * TK_FRAME_NONE: unresolved), for the caller's --pcs list. */
void tk_resolve_tick(struct tk_resolver *rs, const uint64_t *stack, size_t n, uint64_t time,
		     uint32_t state, struct tk_tick_result *res, struct tk_frame *first);

/* Adds a tick identical to the one that gave res. */
void tk_resolve_replay(struct tk_resolver *rs, const struct tk_tick_result *res, uint64_t time,
		       uint32_t state);

#endif
