/*
 * frame: a frame's record, the parts of its printed name (kind, code
 * type, tier, function, script, line, column, inlined-in, library),
 * attached to the interned name once, when the name is made
 * (tk_names_intern fills it; tk_names_intern_frame takes the parts from
 * a caller that built the name from them). Writers, annotate, diff and
 * srcpos read these fields and never parse display strings.
 *
 * Invariants: pointers point into the name's own string (lengths given,
 * not NUL-terminated) or at other interned names; line/column are 0 when
 * the name has no location. A JS function's name has the reference's
 * form "TYPE: <tier>NAME SCRIPT:LINE:COLUMN"; with --lines "TYPE:
 * <tier>NAME SCRIPT:LINE" (column 0), and an inlined frame ends with
 * " (inlined)". Names of no kind read as JS.
 *
 *     const struct tk_frame_rec *f = &name->frame;
 *     printf("%.*s\n", (int)f->func_len, f->func);
 */
#ifndef TK_FRAME_H
#define TK_FRAME_H

#include <stddef.h>
#include <stdint.h>

struct tk_name;

/* Which section of the flat report a name belongs to. */
enum tk_kind {
	TK_KIND_NONE = 0,
	TK_KIND_JS,       /* JIT code, builtins, stubs, regexps, ... */
	TK_KIND_CPP,      /* a native symbol */
	TK_KIND_LIB,      /* a whole shared library (no symbol) */
	TK_KIND_UNKNOWN   /* the UNKNOWN pseudo-frame */
};


struct tk_frame_rec {
	const char *type;         /* "JS", "Builtin", "RegExp", ...; NULL if not JIT code */
	const char *func;         /* function (or whole rest of the name) */
	const char *script;       /* NULL if none */
	uint32_t type_len, func_len, script_len;
	uint32_t line, column;
	uint8_t kind;             /* enum tk_kind; never TK_KIND_NONE */
	char tier;                /* '~' '^' '+' '*' '-', 0 for none */
	uint8_t is_func;          /* JS function code (a tier may follow the type) */
	uint8_t inlined;          /* " (inlined)": a function inlined into its caller's code */
	const struct tk_name *inlined_in; /* the code it was inlined into, when the maker knew it */
	const struct tk_name *lib;        /* C++ names: the library they were found in (first wins) */
};

/* Fills f from the display string s[0..n) of a name of kind kind: the
 * inverse of the names isolate.c, resolve.c and srcpos.c build, for names
 * whose maker does not give the parts. Pointers point into s. */
void tk_frame_parse(struct tk_frame_rec *f, const char *s, size_t n, int kind);

/* "ignition", "sparkplug", "maglev", "turbofan", "turboprop" or "" */
const char *tk_frame_tier_name(char tier);

/* "js", "cpp", "lib", "unknown" */
const char *tk_frame_kind_name(int kind);

#endif
