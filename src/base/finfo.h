/*
 * finfo: the parts of a frame's printed name, for writers that want them
 * apart (JSON, exports): kind, code type, tier, function, script, line,
 * column.
 *
 * Invariants: parsing never fails; pointers are borrowed from the name
 * (lengths given, not NUL-terminated); line/column are 0 when the name
 * has no location. A JS function's name has the reference's form
 * "TYPE: <tier>NAME SCRIPT:LINE:COLUMN"; with --lines "TYPE: <tier>NAME
 * SCRIPT:LINE" (column 0), and an inlined frame ends with " (inlined)".
 *
 *     struct tk_finfo fi; tk_finfo_parse(name, &fi);
 */
#ifndef TK_FINFO_H
#define TK_FINFO_H

#include <stddef.h>
#include "base/names.h"

struct tk_finfo {
	int kind;                 /* enum tk_kind */
	const char *type;         /* "JS", "Builtin", "RegExp", ...; NULL if not JIT code */
	size_t type_len;
	char tier;                /* '~' '^' '+' '*' '-', 0 for none */
	int is_func;              /* JS function code (a tier may follow the type) */
	const char *func;         /* function (or whole rest of the name) */
	size_t func_len;
	const char *script;       /* NULL if none */
	size_t script_len;
	unsigned line, column;
	int inlined;              /* " (inlined)": a function inlined into its caller's code */
};

void tk_finfo_parse(const struct tk_name *n, struct tk_finfo *fi);

/* "ignition", "sparkplug", "maglev", "turbofan", "turboprop" or "" */
const char *tk_finfo_tier_name(char tier);

/* "js", "cpp", "lib", "unknown" */
const char *tk_finfo_kind_name(int kind);

#endif
