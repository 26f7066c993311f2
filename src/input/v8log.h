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
 *     tk_v8log_decode(&ev, no_time);  // ev.u for its type, ev.bad when it is not usable
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
	TK_EV_COUNT           /* at most 32: consumers take a bit mask of types */
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

/* A line that starts with "tick," split and decoded in one pass: f as
 * tk_csv_split_max(f, line, len, 7) leaves it (the stack one field),
 * t and the result as tk_v8log_tick(f, t) gives them. What the fast
 * scan does not take (a number of 20 digits, a field that is no number)
 * goes through tk_parse_u64 as there, so the two never differ. */
int tk_v8log_tick_line(struct tk_fields *f, const char *line, size_t len, struct tk_ev_tick *t);

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

/* A piece of the line (not NUL-terminated, still escaped as logged). */
struct tk_span {
	const char *s;
	size_t n;
};

/* Whether span a is the literal lit. */
int tk_span_is(struct tk_span a, const char *lit);

/* "code-creation,TYPE,KIND,TIME,START,SIZE,NAME[,SFI,MARKER]" (Node 8-26;
 * Node 6 has no TIME). Function code has an SFI field, and is any type
 * but RegExp; its tier is the marker's (-1: a marker no Node writes).
 * bad: TK_CODE_FEW (fewer than START, SIZE and NAME), TK_CODE_NUM (start
 * or size no number), TK_CODE_BIG (a size over 4 GiB). */
enum { TK_CODE_FEW = 1, TK_CODE_NUM, TK_CODE_BIG };
struct tk_ev_code {
	struct tk_span type, name, marker; /* marker: empty when absent */
	struct tk_span start_text, size_text; /* for messages */
	uint64_t start, size;
	uint64_t sfi;                   /* 0: none, or no number */
	size_t fields, need;            /* the line's field count and the least it needs */
	int tier;                       /* 0 for code that is no function */
	uint8_t is_func, regexp, builtin; /* builtin: a Builtin or BytecodeHandler */
};

/* "code-move,FROM,TO", "sfi-move,FROM,TO". */
struct tk_ev_move {
	uint64_t from, to;
};

/* "shared-library,PATH,START,END[,SLIDE]": bad when the range is not. */
struct tk_ev_lib {
	struct tk_span path, start_text;
	uint64_t start, end;
};

/* "code-source-info,ADDR,SCRIPT,START,END,POSITIONS,INLINING,FNS" (Node
 * 12+): bad with fewer than 6 fields or an address that is no number;
 * script, fstart, fend are -1 when no number; inlining and fns empty when
 * absent. */
struct tk_ev_srcinfo {
	uint64_t addr;
	int64_t script, fstart, fend;
	struct tk_span positions, inlining, fns;
};

/* "script-source,ID,URL,SOURCE" (Node 12+) and "script,ID,URL,SOURCE"
 * (Node 10): bad with fewer than 4 fields or an id that is no number.
 * Old logs split the source at raw commas: it is fields src_field.. of
 * the line, rejoined by tk_v8log_script_text; source0 is the first. */
struct tk_ev_script {
	int64_t id;
	struct tk_span url, source0;
	size_t src_field;
};

/* "new,KIND,ADDR,SIZE" and "delete,KIND,ADDR": bad when ADDR is no number. */
struct tk_ev_heap {
	struct tk_span kind;
	uint64_t addr;
};

/* "v8-version,MAJOR,MINOR,BUILD,PATCH[,EMBEDDER],CANDIDATE": bad is the
 * number (1-4) of the first part not in 0..100000. */
struct tk_ev_version {
	int v[4];
	struct tk_span embedder;        /* "-node.38", or empty */
};

/* "profiler,begin,INTERVAL" (and "profiler,end"): bad when the second
 * field is no number. */
struct tk_ev_profiler {
	struct tk_span what;
	uint64_t interval;
};

/* One line as an event: its type, its number, its split fields, and the
 * typed decoding of its type (u, valid when bad is 0). */
struct tk_ev {
	enum tk_ev_type type;
	unsigned long lineno;
	const struct tk_fields *f;      /* the split line (f->s[0] the name) */
	int bad;                        /* 0, or what is not usable (per type, above) */
	union {
		struct tk_ev_tick tick;         /* tick: bad is tk_v8log_tick's */
		struct tk_ev_code code;         /* code-creation */
		struct tk_ev_move move;         /* code-move, sfi-move */
		uint64_t addr;                  /* code-delete */
		struct tk_ev_lib lib;           /* shared-library */
		struct tk_ev_srcinfo info;      /* code-source-info */
		struct tk_ev_script script;     /* script-source, script */
		struct tk_ev_heap heap;         /* new, delete */
		struct tk_ev_version version;   /* v8-version */
		struct tk_ev_profiler profiler; /* profiler */
		struct tk_span platform;        /* v8-platform: its first field (bad: none) */
	} u;
};

/* Decodes ev->f as its type says into ev->u and ev->bad (no_time: the log
 * is V8 5's, without code-creation's TIME). Events of other types are
 * left with bad 0 and u unset. */
void tk_v8log_decode_any(struct tk_ev *ev, int no_time);
static inline void tk_v8log_decode(struct tk_ev *ev, int no_time)
{
	if (ev->type == TK_EV_TICK) /* most lines: no call through the switch */
		ev->bad = tk_v8log_tick(ev->f, &ev->u.tick);
	else
		tk_v8log_decode_any(ev, no_time);
}

/* The source of a script event, unescaped in dialect f->dialect and
 * rejoined at the commas the split cut it at, appended to out. */
struct tk_buf;
void tk_v8log_script_text(const struct tk_fields *f, const struct tk_ev_script *s, struct tk_buf *out);

#endif
