/*
 * v8log: one line of a V8 log (--prof) as an event, for every Node 10-26
 * format. The only module that knows the log's syntax beyond csv's
 * splitting: event names, field positions, and what they mean.
 *
 * Invariants: an event borrows the line and its split fields (valid until
 * the next line); an event of an unknown name is TK_EV_UNKNOWN with its
 * fields, never an error.
 *
 *     struct tk_ev ev = { .type = tk_ev_type_of(f.s[0], f.n[0]), .f = &f, .lineno = n };
 */
#ifndef TK_V8LOG_H
#define TK_V8LOG_H

#include <stddef.h>
#include <stdint.h>
#include "input/csv.h"

enum tk_ev_type {
	TK_EV_EMPTY = 0,      /* an empty line (no fields) */
	TK_EV_UNKNOWN,        /* a name this table does not know */
	TK_EV_TICK,
	TK_EV_CODE_CREATION,
	TK_EV_CODE_MOVE,
	TK_EV_CODE_DELETE,
	TK_EV_SFI_MOVE,
	TK_EV_SHARED_LIBRARY,
	TK_EV_CODE_SOURCE_INFO,
	TK_EV_SCRIPT_SOURCE,
	TK_EV_SCRIPT,         /* Node 10: "script,ID,URL,SOURCE"; later: script details */
	TK_EV_CODE_DEOPT,
	TK_EV_NEW,
	TK_EV_DELETE,
	TK_EV_V8_VERSION,
	TK_EV_V8_PLATFORM,
	TK_EV_PROFILER,
	TK_EV_IGNORED,        /* known, and read by no one */
	TK_EV_COUNT
};

/* One line as an event: its type, its number and its split fields. */
struct tk_ev {
	enum tk_ev_type type;
	unsigned long lineno;
	const struct tk_fields *f;      /* the split line (f->s[0] the name) */
};

/* The type of an event named s[0..n). */
enum tk_ev_type tk_ev_type_of(const char *s, size_t n);

/* "tick,PC,TIME,EXT,TOS,VMSTATE[,FRAME...]", every Node format. The stack
 * is the raw text of field 6 (the rest of the line when the line was
 * split at most 7 fields, tk_csv_split_max): parsed only by the tick
 * cache's miss path. */
struct tk_ev_tick {
	uint64_t pc, time, ext, tos, vmstate;
	const char *stack;              /* "" when there are no frames */
	size_t stack_n;
};

/* Decodes a tick's fields 1-5 into t: 0, or the number (1-5) of the
 * first field that is no number. */
int tk_v8log_tick(const struct tk_fields *f, struct tk_ev_tick *t);

/* "code-move,FROM,TO" and "sfi-move,FROM,TO": 0, or -1. */
int tk_v8log_move(const struct tk_fields *f, uint64_t *from, uint64_t *to);

/* Tiers of JS function code, as the marker after a code-creation's SFI
 * says ("" builtin/none, "~" Ignition, "^" Sparkplug, "-" Turboprop,
 * "+" Maglev, "*" TurboFan); an "o" before it (OSR, Node 26) and a "'"
 * after it (context-specialized, Node 24) are read past. */
enum { TK_TIER_NONE = 0, TK_TIER_COUNT = 6 };

/* The tier a marker names, or -1 for a marker no Node writes. */
int tk_v8log_marker(const char *s, size_t n);

/* The display prefix of tier t ("", "~", ...; t < TK_TIER_COUNT). */
const char *tk_v8log_tier_prefix(int t);

#endif
