/*
 * srcpos: JS source positions of one isolate. Scripts (script-source:
 * id, url, source) and the position tables of code objects
 * (code-source-info) turn a JS frame's pc into script:line, with the
 * inlined functions of optimized code as frames of their own; scripts
 * that end with a sourceMappingURL have their positions mapped to the
 * original files (sourcemap.h).
 *
 * Invariants: a code object's table is kept only when it has positions
 * (attached to its tk_code, so code-move carries it) and parsed on its
 * first lookup; a script's source is kept only when --lines/--annotate
 * need it or it names a source map; line starts are computed on first
 * use; positions are UTF-16 offsets, as V8 counts them; the pc offset of
 * a caller frame is its return address minus one (the call), of an
 * interpreted frame (a bytecode offset) as logged; names are interned in
 * the run's name table, so the profile stays keyed by name.
 *
 *     iso->srcpos = tk_srcpos_new(lines, maps, map_dir, quiet);
 *     ... tk_srcpos_script(sp, &f, &ev.u.script); tk_srcpos_code_info(sp, &code, &ev.u.info); ...
 *     n = tk_srcpos_frames(sp, names, code, name, pc, top, out, max);
 */
#ifndef TK_SRCPOS_H
#define TK_SRCPOS_H

#include <stddef.h>
#include <stdint.h>
#include "model/codemap.h"
#include "input/csv.h"
#include "input/v8log.h"
#include "base/names.h"

struct tk_srcpos;

/* lines: JS frames at their line (and inlined frames); maps: apply
 * source maps; map_dir: also look for maps there (may be NULL). */
struct tk_srcpos *tk_srcpos_new(int lines, int maps, const char *map_dir, int quiet);
void tk_srcpos_free(struct tk_srcpos *sp);

/* script-source,ID,URL,SOURCE (ev decoded from f, not bad) */
void tk_srcpos_script(struct tk_srcpos *sp, const struct tk_fields *f, const struct tk_ev_script *ev);
/* code-creation of function code at start with SFI sfi (0: none) and
 * display name ("JS: *f /a.js:1:2"). */
void tk_srcpos_code(struct tk_srcpos *sp, uint64_t start, uint64_t sfi, const struct tk_name *name);
/* code-source-info,ADDR,SCRIPT,START,END,POSITIONS,INLINING,FUNCTIONS
 * (decoded, not bad) */
void tk_srcpos_code_info(struct tk_srcpos *sp, struct tk_codemap *code, const struct tk_ev_srcinfo *ev);

/* The frames a JS function frame (code c, named name, at address pc;
 * top: the tick's first frame) stands for, innermost first, as name ids
 * into out (at most max): with lines, "TYPE: <tier>F FILE:LINE" and
 * before it the inlined functions "TYPE: G FILE:LINE (inlined)"; without,
 * the name mapped through a source map. 0 when nothing changes (the
 * caller keeps name). */
size_t tk_srcpos_frames(struct tk_srcpos *sp, struct tk_names *names, struct tk_code *c,
			const struct tk_name *name, uint64_t pc, int top, uint32_t *out, size_t max);

/* Slots its hash indexes (scripts by id and url, function ranges,
 * files, mapped sources, SFIs) inspected so far: a test's measure that lookups stay O(1). */
uint64_t tk_srcpos_probes(const struct tk_srcpos *sp);

/* Whether frames can change at all (lines on, or a script with a map). */
int tk_srcpos_active(const struct tk_srcpos *sp);

/* For --annotate, functions keyed "FUNC\tFILE" (FILE a script url or a
 * mapped source): the text of line (1-based) of FILE, from the script
 * the function's code named when known, into s and n (0 when unknown);
 * tk_srcpos_func_lines: the function's first and last line, when known
 * (else first and last are left as they are). */
int tk_srcpos_line_text(struct tk_srcpos *sp, const char *key, size_t key_len, unsigned line, const char **s,
			size_t *n);
void tk_srcpos_func_lines(const struct tk_srcpos *sp, const char *key, size_t key_len, unsigned *first,
			  unsigned *last);

#endif
