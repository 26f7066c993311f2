/*
 * preprocess: the document `node --prof-process --preprocess LOG` prints
 * (Node 20's tick processor: JsonProfile in deps/v8/tools/profile.mjs),
 * built from the log's events as they come (preprocess.c) and written by
 * tk_export_preprocess (out/out_preprocess.c, declared in out/export.h). speedscope's V8 importer, 0x
 * and V8's profview read it.
 *
 * Invariants: one builder per isolate, a consumer of its events (fed
 * every line in order, decoded (v8log.h), before the isolate takes it);
 * each tick is read and resolved here alone, once: its numbers are the
 * typed decoding's where that is what node's parseInt gives (integers
 * below 2^53), node's lax reading of the raw field text elsewhere (bad
 * numbers, partial hex, relative frames), and its stack is read from the
 * stack's raw text in one pass (a quoted log's from the fields split in
 * full). The isolate, with --format=preprocess, builds no profile and
 * keeps no tick cache: it counts the ticks, says what is wrong with them
 * and looks their pc, tos and first frame up once more for the
 * resolver's one-time notes (a library unread: cache hits but for what
 * this builder reads otherwise), as before (isolate.c). Code ids are indices
 * into code[], function ids into funcs[], and never change once given;
 * every id a tick refers to is < n_code. Strings are stored already
 * escaped as JSON.stringify escapes them (the body, without quotes), so
 * equal strings have equal bytes; they, the elements and their parts are
 * arena-owned (the builder's arena). Numbers are kept as the doubles the
 * reference's parseInt would give (NaN prints as null). Ticks are kept
 * compactly encoded in chunks (a few bytes a frame), decoded by the writer.
 *
 * Address resolution (what a tick frame's [code id, offset] pair is):
 *   --no-symbols: the reference's code map exactly, run as it is with
 *     --nm=/bin/false: library ranges mark "static" pages (first START
 *     wins; the page holding END too); an address on a static page is its
 *     library's SHARED_LIB element or unresolved, never JIT code; elsewhere
 *     the dynamic tree (JIT code and zero-size SFI entries, overlap
 *     deletion, insert never overwrites). Byte-identical output.
 *   with symbols (ticks' default): ticks' own resolver decides (resolve.h:
 *     ELF symbol in a library, else JIT code, else the library; the
 *     remapped builtins of Node 20). A C++ symbol becomes a CPP element the
 *     first time a tick hits it (the reference lists every nm symbol up
 *     front); JIT code is looked up in the same dynamic tree as above.
 *
 *     tk_pre_attach(iso);                   (main.c, --format=preprocess)
 *     tk_isolate_run(iso, &d);              (each event: a consumer, consumer.h)
 *     tk_export_preprocess(stdout, &x, &d); (main.c, through format.c)
 */
#ifndef TK_PREPROCESS_H
#define TK_PREPROCESS_H

#include <stdint.h>
#include <stdio.h>
#include "ingest/isolate.h"
#include "base/util.h"
#include "base/otree.h"

/* A string as JSON.stringify writes it, without the quotes; arena-owned. */
struct tk_pre_str {
	const char *s;
	uint32_t n;
};

enum tk_pre_type { TK_PRE_LIB, TK_PRE_CPP, TK_PRE_CODE, TK_PRE_JS };

/* "source" of a code element (code-source-info). fns: function ids, -1
 * for null (an SFI the reference could not find). */
struct tk_pre_source {
	double script, start, end;
	struct tk_pre_str positions, inlined;
	int32_t *fns;
	uint32_t n_fns;
};

/* "deopt" of a code element (its first code-deopt). A string field the
 * line lacks is left out, as JSON.stringify leaves out undefined. */
struct tk_pre_deopt {
	double tm, inlining_id, script_offset;
	struct tk_pre_str pos_text, reason, bailout;
	uint8_t has_pos_text, has_reason, has_bailout;
};

/* One element of "code". */
struct tk_pre_code {
	struct tk_pre_str name;
	struct tk_pre_str kind;          /* CODE: the code-creation type; JS: Unopt, Opt, ... */
	double time;                     /* CODE: "timestamp"; JS: "tm" */
	int32_t func;                    /* JS: function id */
	uint8_t type;                    /* enum tk_pre_type */
	uint8_t deopt_first;             /* "deopt" was set before "source" (key order) */
	struct tk_pre_source *source;    /* NULL: no "source" key */
	struct tk_pre_deopt *deopt;      /* NULL: no "deopt" key */
};

/* One element of "functions". */
struct tk_pre_func {
	struct tk_pre_str name;
	uint32_t *codes;                 /* malloc'd */
	uint32_t n_codes, cap_codes;
};

/* One Script object of "scripts" (Node 16+ shape). */
struct tk_pre_script {
	struct tk_pre_str url, source, name;
	int has_source;
	double id;
	struct tk_pre_script *same_file; /* next script with the same file name */
};

/* A node of the dynamic tree: JIT code (JS, CODE) or an SFI entry. */
struct tk_pre_dyn {
	union {
		struct tk_onode node;    /* in the tree (otree.h): first */
		uint64_t key;            /* = node.key */
	};
	int64_t size;
	struct tk_pre_str name;          /* the reference's entry.name ({N} de-duplication) */
	int32_t code_id;                 /* -1: none (SFI) */
	int32_t func_id;                 /* -1: none (code) */
	uint8_t name_updated;
	struct tk_pre_dyn *next;         /* the free and retired lists */
};

/* A library range of the reference's map (first START wins). */
struct tk_pre_lib {
	uint64_t start;
	int64_t size;
	int32_t code_id;
};

/* Per SHARED_LIB element: what ticks' own library list calls it. */
struct tk_pre_libel {
	const struct tk_name *tkname;    /* as isolate.c interns the path */
	uint64_t start;
	int32_t code_id;
};

struct tk_pre_chunk;

/* A frame lookup's result, valid in its epoch (preprocess.c). */
struct tk_pre_fslot {
	uint64_t addr, epoch;
	double off;
	int32_t id;
	int32_t found;
};

/* What frame lookups depend on (preprocess.c, fc_sync). */
struct tk_pre_fcstate {
	uint64_t map;
	uint32_t code, libs;
	int64_t remap;
	uint64_t remap_base, blob_min, blob_max;
};

struct tk_pre {
	const struct tk_opts *opts;
	struct tk_isolate *iso;          /* borrowed: the isolate it reads (attached to) */
	int symbols;                     /* ticks' resolver (not --no-symbols) */
	int stopped;                     /* an empty line: the reference reads no further */
	struct tk_arena arena;
	struct tk_pre_code *code;
	size_t n_code, cap_code;
	struct tk_pre_func *funcs;
	size_t n_funcs, cap_funcs;
	struct tk_pre_script **scripts;  /* by id; NULL: a hole */
	size_t n_scripts, cap_scripts;
	/* the reference's code map */
	struct tk_otree dyn;             /* JIT code and SFI entries by address */
	struct tk_pre_dyn *free_dyn;
	struct tk_pre_lib *libs;
	size_t n_libs, cap_libs;
	uint64_t *pages;                 /* open addressing: page key + 1 (0 = empty) */
	size_t pages_mask, n_pages;
	int all_pages;                   /* a huge library range: every page is static */
	/* name de-duplication (CodeMap's NameGenerator) */
	struct tk_pre_nameslot *known;
	size_t known_mask, n_known;
	/* Script.getShortestUniqueName's file name dictionary */
	struct tk_pre_fileslot *files;
	size_t files_mask, n_files;
	/* symbols mode: C++ symbol -> CPP element, library elements */
	struct tk_pre_symslot *syms;
	size_t syms_mask, n_syms;
	struct tk_pre_libel *libels;
	size_t n_libels, cap_libels;
	/* ticks */
	struct tk_pre_chunk *ticks_head, *ticks_tail;
	struct tk_pre_dyn *retired;      /* removed during this line: free after it */
	uint64_t n_ticks;
	/* scratch */
	uint16_t *u16, *u16b;
	size_t cap_u16, cap_u16b;
	struct tk_buf tmp;
	double *stack;
	size_t cap_stack;
	uint64_t (*frame_memo)[4];       /* "0x..." frame text -> address (tk_scan_hex_field_memo) */
	struct tk_pre_fslot *fcache;     /* address -> [id, offset] (preprocess.c) */
	uint64_t fc_epoch, map_gen;      /* map_gen: non-tick events seen */
	struct tk_pre_fcstate fc_state;
	unsigned long long warned_marker, warned_bad, warned_fn, warned_move, warned_script;
};

/* A builder for an isolate run with opts (borrowed for its life). Caller
 * frees with tk_pre_free(). */
struct tk_pre *tk_pre_new(const struct tk_opts *opts);
void tk_pre_free(struct tk_pre *p);

/* A builder for iso, added to its consumers and set as iso->pre (the
 * isolate frees it at release). */
struct tk_pre *tk_pre_attach(struct tk_isolate *iso);

/* Iterates the stored ticks (the writer's side). */
struct tk_pre_tick_iter {
	const struct tk_pre_chunk *c;
	size_t pos;
	uint64_t left;
};
struct tk_pre_frame {
	int32_t id;                      /* -1: unresolved */
	double value;                    /* offset, or the address when unresolved */
};
void tk_pre_ticks_begin(const struct tk_pre *p, struct tk_pre_tick_iter *it);
/* The next tick: 1 with tm, vm and its frames in *frames (n_frames;
 * grown as needed, caller frees), 0 at the end. */
int tk_pre_ticks_next(struct tk_pre_tick_iter *it, double *tm, double *vm,
		      struct tk_pre_frame **frames, size_t *cap, size_t *n_frames);

#endif
