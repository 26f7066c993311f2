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

#endif
