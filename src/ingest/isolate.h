/*
 * isolate: one log (one V8 isolate) read from start to end: events
 * dispatched, the code map kept current, every tick resolved and added
 * to the profile.
 *
 * Invariants: the code map at each tick is the map as the log stood at
 * that line; an isolate owns its code map, libraries and profile; names
 * and ELF files are shared by the run (borrowed). Warnings: one line per
 * kind when it first happens, a count at the end.
 *
 *     struct tk_isolate iso;
 *     tk_isolate_init(&iso, path, &opts, &names, &cache);
 *     if (tk_isolate_run(&iso, &d) < 0) ...;
 *     tk_out_text(stdout, &iso); tk_isolate_release(&iso);
 */
#ifndef TK_ISOLATE_H
#define TK_ISOLATE_H

#include <stdint.h>
#include <stdio.h>
#include "model/codemap.h"
#include "input/csv.h"
#include "model/libs.h"
#include "base/hashidx.h"
#include "base/names.h"
#include "model/profile.h"
#include "ingest/resolve.h"
#include "ingest/tickcache.h"
#include "ingest/consumer.h"

/* VM states by name; the number each has depends on the V8 version. */
enum tk_vmstate {
	TK_VM_NONE = -1,
	TK_VM_JS = 0, TK_VM_GC, TK_VM_PARSER, TK_VM_BYTECODE_COMPILER, TK_VM_COMPILER,
	TK_VM_OTHER, TK_VM_EXTERNAL, TK_VM_IDLE, TK_VM_ATOMICS_WAIT, TK_VM_LOGGING,
	TK_VM_IDLE_EXTERNAL,
	TK_VM_COUNT
};

/* What the command line asks of every isolate. */
struct tk_opts {
	enum tk_vmstate state_filter;   /* keep only ticks in this state */
	int separate_ic, separate_bytecodes, separate_builtins, separate_stubs;
	int ignore_unknown;
	int have_range_start, have_range_end;
	double range_start_ms, range_end_ms;
	int call_graph_size;
	int only_summary;
	int bottom_up_only;
	int top_down_only;              /* print the top-down tree (with bottom_up_only: both) */
	double cutoff_pct;              /* tree rows under this share of their parent are pruned */
	size_t top_rows;                /* rows per flat table, 0 = all */
	const void *focus, *ignore, *hide; /* regex_t: --focus, --ignore, --hide (NULL: none) */
	int verbose;                    /* why ticks are unaccounted / library-level */
	int list_pcs;                   /* print the distinct sampled pcs, no report */
	int keep_samples;               /* record every tick in time order (timelines) */
	const char *sysroot;
	int no_symbols;                 /* name native code by library only */
	int lines;                      /* C++ frames named "NAME FILE:LINE" (DWARF), JS frames at their line */
	const void *annotate;           /* regex_t: --annotate, per-line listings (NULL: none) */
	int no_source_maps;             /* JS positions as logged, maps not read */
	const char *source_map_dir;     /* --source-map-dir */
	int quiet;                      /* no warnings */
	int preprocess;                 /* preprocess: build the --preprocess JSON (preprocess.h) */
	int progress;                   /* a progress line on standard error (progress.h) */
	int strict;                     /* --strict: any line not (fully) used is an error */
};

void tk_opts_default(struct tk_opts *o);

/* Counted oddities; each is warned about once, then counted. */
enum tk_warn_kind {
	TK_W_BAD_LINE,        /* a line of a known event we could not parse */
	TK_W_UNKNOWN_EVENT,
	TK_W_MOVE_UNKNOWN,    /* code-move of code never created */
	TK_W_DELETE_UNKNOWN,
	TK_W_MARKER,          /* unknown optimization marker */
	TK_W_BAD_FRAME,       /* a stack frame that is not an address */
	TK_W_EMPTY_LINE,
	TK_W_FIELDS,          /* more fields than kept */
	TK_W_LONG_NAME,       /* a name over TK_MAX_NAME, cut */
	TK_W_DEEP_STACK,      /* a tick with more than TK_MAX_FRAMES frames, cut */
	TK_W_VERSION,         /* a V8 version newer than any known: read as the newest */
	TK_W_LONG_LINE,       /* a line over the input's line cap, skipped */
	TK_W_CUT_LINE,        /* the last line, without its newline */
	TK_W_COUNT
};

/* The newest V8 major version whose log format ticks knows. */
#define TK_V8_NEWEST 14

/* Longest code name kept (bytes of the logged field); longer ones are cut
 * and counted (TK_W_LONG_NAME). */
#define TK_MAX_NAME (1u << 20)

struct tk_warn {
	unsigned long long count;
	unsigned long first_line;
};

/* One distinct first frame of the ticks (--pcs). */
struct tk_pc {
	uint64_t pc;
	uint64_t count;
	const struct tk_name *name;     /* NULL: unresolved */
	const struct tk_name *lib;      /* the library holding pc, or NULL */
	uint64_t vaddr;                 /* pc in the library's ELF addresses */
	int has_vaddr;
	int cpp;                        /* named by an ELF symbol */
};

struct tk_pre; /* preprocess: preprocess.h */
struct tk_srcpos; /* JS source positions: srcpos.h */

struct tk_isolate {
	const char *path;                /* as given on the command line */
	const struct tk_opts *opts;
	struct tk_names *names;
	struct tk_elfcache *cache;
	struct tk_codemap code;
	struct tk_libs libs;
	struct tk_profile prof;
	struct tk_resolver res;          /* its caches and memos; borrows code, libs, prof */
	struct tk_fields f;
	struct tk_buf tmp;
	int have_version;
	int v8[4];                       /* major, minor, build, patch */
	char v8_text[64];                /* "11.3.244.8-node.38" */
	char platform[32];               /* from "v8-platform,linux,linux" */
	int quoted;                      /* Node 6/8: quoted string fields */
	int no_timestamp;                /* Node 6: code-creation without time */
	int state_num[TK_VM_COUNT];      /* number of each state in this log, -1 if none */
	uint64_t interval_us;            /* from "profiler,begin,N" */
	unsigned long long lines, events;
	uint64_t *addrs;
	size_t addrs_cap;
	struct tk_warn warn[TK_W_COUNT];
	int cut;                         /* last line cut off */
	char cut_text[64];
	int truncated_gzip;
	unsigned long long gzip_trailing; /* bytes after the last gzip member, ignored */
	unsigned long long long_lines;
	unsigned long long frames_over_cap; /* frames past TK_MAX_FRAMES, dropped */
	int warned_missing_lib;
	struct tk_tickcache tc;          /* resolved ticks, replayed */
	uint64_t (*frame_memo)[4];       /* stack frame text -> address (tk_scan_hex_field_memo) */
	struct tk_pc *pcs;               /* --pcs: distinct first frames */
	size_t n_pcs, pcs_cap;
	struct tk_hashidx pc_idx;        /* pc -> index into pcs */
	struct tk_pre *pre;              /* preprocess: the --preprocess builder, or NULL (a consumer) */
	struct tk_consumer cons[TK_MAX_CONSUMERS]; /* fed the events they take (consumer.h) */
	size_t n_cons;
	unsigned cons_flags;             /* TK_CONS_* of any of them */
	uint32_t cons_types[2];          /* TK_EV_BIT()s any consumer takes: before, after the builder */
	const struct tk_code *added;     /* the entry of the last code-creation line (TK_CONS_AFTER) */
	struct tk_srcpos *srcpos;        /* JS lines and source maps, or NULL (a consumer; lent to res) */
};

void tk_isolate_init(struct tk_isolate *iso, const char *path, const struct tk_opts *opts,
		     struct tk_names *names, struct tk_elfcache *cache);
void tk_isolate_release(struct tk_isolate *iso);
/* After tk_isolate_run, for a log kept until an export is written: frees
 * what only reading needed (code map, tick and resolver caches, memos,
 * position tables, line buffers) and trims the profile to its size. The
 * profile, libraries and counters stay; no more lines may be given. */
void tk_isolate_shrink(struct tk_isolate *iso);

/* Adds a consumer of every event (consumer.h); the isolate owns c->ctx
 * from now on. At most TK_MAX_CONSUMERS. */
void tk_isolate_add_consumer(struct tk_isolate *iso, const struct tk_consumer *c);

/* Warns about (once) and counts line lineno, of more than
 * TK_CSV_MAX_FIELDS fields, as tk_isolate_line does for the lines it
 * splits in full: for a consumer that splits a tick's stack itself. */
void tk_isolate_fields_dropped(struct tk_isolate *iso, unsigned long lineno);

/* Reads the whole log. -1 with d filled when the input is unusable (not
 * readable, not a V8 log): the profile must not be printed. */
int tk_isolate_run(struct tk_isolate *iso, struct tk_diag *d);

/* Processes one line (no newline), numbered lineno. Exposed for tests. */
void tk_isolate_line(struct tk_isolate *iso, char *line, size_t len, unsigned long lineno);

/* Sets the V8 version (major.minor.build.patch) and everything it implies. */
void tk_isolate_set_version(struct tk_isolate *iso, int major, int minor, int build, int patch);

/* Prints the end-of-run summary of lines not used, by reason, to stderr
 * (one line, nothing if every line was used). */
void tk_isolate_report_warnings(const struct tk_isolate *iso);

/* Lines not used or used only in part (every kind but TK_W_BAD_FRAME,
 * which counts frames). */
unsigned long long tk_isolate_unused_lines(const struct tk_isolate *iso);

/* 1 when --strict must fail this log: a line not fully used, a frame
 * dropped or gzip data cut short. */
int tk_isolate_strict_fails(const struct tk_isolate *iso);

/* The JSON key of a kind ("unparsable", "unknown_event", ...). */
const char *tk_warn_key(enum tk_warn_kind k);

/* Name of a VM state, "JS", "GC", ... */
const char *tk_vmstate_name(enum tk_vmstate s);

#endif
