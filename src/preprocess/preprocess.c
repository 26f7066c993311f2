/* preprocess: the builder of `--preprocess` JSON (preprocess.h): the
 * events and the ticks; text decoding is in preprocess_text.c, the code
 * map in preprocess_map.c (preprocess_int.h). It replays what Node 20's JsonProfile does with each event, on its own
 * copy of the reference's code map, because the ids and offsets of the
 * document depend on that map's quirks (SFI entries in the same tree,
 * inserts that never overwrite, static pages), not on ticks' corrected
 * map. Text goes through the reference's own decoding: UTF-8 with U+FFFD
 * for bad bytes (StringDecoder), then CsvParser.escapeField on UTF-16
 * code units, then JSON.stringify's escaping; numbers through parseInt. */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "base/diag.h"
#include "base/escape.h"
#include "symbols/elfsym.h"
#include "preprocess/preprocess_int.h"
#include "ingest/resolve.h"

#ifndef TK_PRE_MAX_SCRIPT_ID /* the fuzz build (FUZZ_SMALL) sets fewer */
#define TK_PRE_MAX_SCRIPT_ID (1u << 24)
#endif
#define MAX_SCRIPT_ID TK_PRE_MAX_SCRIPT_ID /* larger script ids are not stored */

/* ------------------------------------------------------------- warnings */

static void warn_once(struct tk_pre *p, unsigned long long *count, struct tk_isolate *iso,
		      unsigned long line, const char *msg, const char *what)
{
	if ((*count)++ == 0 && !p->opts->quiet)
		TK_WARN(PREPROCESS, iso->path, line, msg,
			what ? " '" : "", what ? what : "", what ? "'" : "");
}

/* ------------------------------------------------------- symbols mode */

static int32_t push_code(struct tk_pre *p, enum tk_pre_type type, struct tk_pre_str name)
{
	tk_xgrow((void **)&p->code, &p->cap_code, p->n_code + 1, sizeof *p->code);
	struct tk_pre_code *c = &p->code[p->n_code];
	memset(c, 0, sizeof *c);
	c->type = (uint8_t)type;
	c->name = name;
	c->func = -1;
	return (int32_t)p->n_code++;
}

/* The CPP element of an ELF symbol, made on its first hit. */
static int32_t sym_id(struct tk_pre *p, const struct tk_sym *s, const struct tk_name *name)
{
	if (p->n_syms * 2 >= p->syms_mask) {
		size_t nm = p->syms_mask ? p->syms_mask * 2 + 1 : 255;
		struct tk_pre_symslot *nt = tk_xcalloc(nm + 1, sizeof *nt);
		for (size_t i = 0; p->syms && i <= p->syms_mask; i++) {
			if (!p->syms[i].sym)
				continue;
			size_t k = (size_t)(((uintptr_t)p->syms[i].sym * 0x9e3779b97f4a7c15ull) >> 32) & nm;
			while (nt[k].sym)
				k = (k + 1) & nm;
			nt[k] = p->syms[i];
		}
		free(p->syms);
		p->syms = nt;
		p->syms_mask = nm;
	}
	size_t k = (size_t)(((uintptr_t)s * 0x9e3779b97f4a7c15ull) >> 32) & p->syms_mask;
	for (; p->syms[k].sym; k = (k + 1) & p->syms_mask)
		if (p->syms[k].sym == s)
			return p->syms[k].id;
	int32_t id = push_code(p, TK_PRE_CPP, tk_pre_json_raw(p, name->str, name->len));
	p->syms[k].sym = s;
	p->syms[k].id = id;
	p->n_syms++;
	return id;
}

/* The first SHARED_LIB element of ticks' library lib. */
static int lib_el(struct tk_pre *p, const struct tk_lib *lib, int32_t *id)
{
	for (size_t i = 0; i < p->n_libels; i++) {
		if (p->libels[i].tkname == lib->name && p->libels[i].start == lib->start) {
			*id = p->libels[i].code_id;
			return 1;
		}
	}
	return 0;
}

/* An address as ticks resolves it (see preprocess.h). */
static int sym_find(struct tk_pre *p, struct tk_isolate *iso, double a, int32_t *id, double *off)
{
	uint64_t u;
	if (!tk_pre_to_addr(a, &u))
		return 0;
	struct tk_frame fr;
	if (!tk_resolve_addr(&iso->res, u, &fr))
		return 0;
	if (fr.type == TK_FRAME_CPP && fr.lib && fr.lib->file->elf && fr.lib->has_bias) {
		const struct tk_lib *lib = fr.lib;
		const struct tk_sym *s = tk_elfsym_lookup(lib->file->elf, u - lib->bias);
		if (s) {
			*id = sym_id(p, s, fr.name);
			*off = (double)(u - (s->start + lib->bias));
			return 1;
		}
	} else if (fr.type == TK_FRAME_JS_FUNC || fr.type == TK_FRAME_JS_OTHER) {
		struct tk_pre_dyn *d = tk_pre_dyn_lookup(p, u);
		uint64_t t = u;
		if (!d && tk_resolver_unremap(&iso->res, u, &t))
			d = tk_pre_dyn_lookup(p, t);
		if (d && d->code_id >= 0) {
			*id = d->code_id;
			*off = (double)(t - d->key);
			return 1;
		}
	}
	if (fr.lib && lib_el(p, fr.lib, id)) {
		*off = (double)(u - fr.lib->start);
		return 1;
	}
	return 0;
}

/* --------------------------------------------------------------- events */

static int state_of(struct tk_pre_str m)
{
	if (m.n == 0)
		return 0;
	if (m.n == 1) {
		switch (m.s[0]) {
		case '~': return 1;
		case '^': return 2;
		case '+': return 4;
		case '*': return 5;
		}
	}
	return -1;
}

static const char *const kind_of_state[] = { "Builtin", "Unopt", "Sparkplug", "", "Maglev", "Opt" };

static void bad(struct tk_pre *p, struct tk_isolate *iso, unsigned long line, const char *what)
{
	warn_once(p, &p->warned_bad, iso, line, "line skipped (not what the reference can use):", what);
}

static void add_code(struct tk_pre *p, struct tk_pre_str kind, struct tk_pre_str name, double ts,
		     uint64_t start, int64_t size)
{
	int32_t id, dummy_id;
	double dummy_off;
	/* JsonProfile.addCode looks start up first (only a CPP hit would
	 * matter; the lookup numbers names as a side effect) */
	tk_pre_ref_find(p, (double)start, &dummy_id, &dummy_off);
	struct tk_pre_dyn *d = tk_pre_dyn_new(p, size, name);
	d->code_id = (int32_t)p->n_code;
	tk_pre_dyn_add(p, start, d);
	id = push_code(p, TK_PRE_CODE, name);
	p->code[id].time = ts;
	p->code[id].kind = kind;
}

static void add_func_code(struct tk_pre *p, struct tk_isolate *iso, unsigned long line,
			  struct tk_pre_str name, double ts, uint64_t start, int64_t size,
			  uint64_t func_addr, int state)
{
	struct tk_pre_dyn *func = tk_pre_dyn_find(p, func_addr);
	int new_func = 0;
	if (!func) {
		func = tk_pre_dyn_new(p, 0, name);
		tk_pre_dyn_add(p, func_addr, func);
		new_func = 1;
	} else if (!tk_pre_str_eq(func->name, name)) {
		func->name = name; /* the function object was overwritten */
		new_func = 1;
	}
	if (new_func) {
		func->func_id = (int32_t)p->n_funcs;
		tk_xgrow((void **)&p->funcs, &p->cap_funcs, p->n_funcs + 1, sizeof *p->funcs);
		memset(&p->funcs[p->n_funcs], 0, sizeof *p->funcs);
		p->funcs[p->n_funcs++].name = name;
	}
	if (tk_pre_dyn_find(p, start))
		tk_pre_dyn_remove(p, start); /* never the same entry: the reference compares entry.func */
	struct tk_pre_dyn *e = tk_pre_dyn_new(p, size, name);
	e->code_id = (int32_t)p->n_code;
	tk_pre_dyn_add(p, start, e);
	if (func->func_id < 0) {
		/* code entry at the SFI address with the same name: the
		 * reference throws a TypeError here */
		bad(p, iso, line, "code-creation whose SFI address is code");
		return;
	}
	struct tk_pre_func *fn = &p->funcs[func->func_id];
	if (fn->n_codes + 1 > fn->cap_codes) {
		size_t c = fn->cap_codes;
		tk_xgrow((void **)&fn->codes, &c, fn->n_codes + 1, sizeof *fn->codes);
		fn->cap_codes = (uint32_t)c;
	}
	fn->codes[fn->n_codes++] = (uint32_t)p->n_code;
	int32_t id = push_code(p, TK_PRE_JS, name);
	struct tk_pre_code *c = &p->code[id];
	c->kind.s = kind_of_state[state];
	c->kind.n = (uint32_t)strlen(kind_of_state[state]);
	c->func = func->func_id;
	c->time = ts;
}

static void ev_code_creation(struct tk_pre *p, struct tk_isolate *iso, unsigned long line)
{
	const struct tk_fields *f = &iso->f;
	uint64_t start, size;
	double ts = tk_pre_num_field(p, f, 3);
	if (!tk_pre_to_addr(tk_pre_num_field(p, f, 4), &start) || !tk_pre_to_addr(tk_pre_num_field(p, f, 5), &size)) {
		bad(p, iso, line, "code-creation start/size");
		return;
	}
	struct tk_pre_str type = tk_pre_str_field(p, f, 1);
	if (!tk_pre_str_is(type, "RegExp") && f->count > 7) {
		uint64_t func_addr;
		int state = f->count > 8 ? state_of(tk_pre_str_field(p, f, 8)) : -1;
		if (state < 0) {
			warn_once(p, &p->warned_marker, iso, line,
				  "code-creation with a code state node 20 does not know: skipped, as its "
				  "--preprocess skips it; marker", f->count > 8 ? tk_pre_str_field(p, f, 8).s : "(none)");
			return;
		}
		if (!tk_pre_to_addr(tk_pre_num_field(p, f, 7), &func_addr)) {
			bad(p, iso, line, "code-creation SFI address");
			return;
		}
		add_func_code(p, iso, line, tk_pre_str_field(p, f, 6), ts, start, (int64_t)size, func_addr, state);
	} else {
		add_code(p, type, tk_pre_str_field(p, f, 6), ts, start, (int64_t)size);
	}
}

static void ev_code_move(struct tk_pre *p, struct tk_isolate *iso, unsigned long line, int sfi)
{
	uint64_t from, to;
	if (!tk_pre_to_addr(tk_pre_num_field(p, &iso->f, 1), &from) || !tk_pre_to_addr(tk_pre_num_field(p, &iso->f, 2), &to)) {
		bad(p, iso, line, sfi ? "sfi-move addresses" : "code-move addresses");
		return;
	}
	if (sfi && !tk_pre_dyn_find(p, from))
		return;
	struct tk_pre_dyn *d = tk_pre_dyn_take(p, from);
	if (!d)
		return; /* "Move: unknown source" (isolate.c warns) */
	tk_pre_dyn_add(p, to, d);
}

static void ev_code_delete(struct tk_pre *p, struct tk_isolate *iso, unsigned long line)
{
	uint64_t at;
	if (!tk_pre_to_addr(tk_pre_num_field(p, &iso->f, 1), &at)) {
		bad(p, iso, line, "code-delete address");
		return;
	}
	tk_pre_dyn_remove(p, at);
}

static void ev_shared_library(struct tk_pre *p, struct tk_isolate *iso, unsigned long line)
{
	const struct tk_fields *f = &iso->f;
	uint64_t start, end;
	if (!tk_pre_to_addr(tk_pre_num_field(p, f, 2), &start) || !tk_pre_to_addr(tk_pre_num_field(p, f, 3), &end)) {
		bad(p, iso, line, "shared-library range");
		return;
	}
	int32_t id = push_code(p, TK_PRE_LIB, tk_pre_str_field(p, f, 1));
	tk_pre_lib_add(p, start, (int64_t)end - (int64_t)start, id);
	if (p->symbols) {
		/* ticks' name for the path, interned as isolate.c does */
		tk_buf_reset(&p->tmp);
		if (f->count > 1)
			tk_csv_unescape_as(f->s[1], f->n[1], f->dialect, &p->tmp);
		tk_xgrow((void **)&p->libels, &p->cap_libels, p->n_libels + 1, sizeof *p->libels);
		struct tk_pre_libel *l = &p->libels[p->n_libels++];
		l->tkname = tk_names_intern(iso->names, p->tmp.p ? p->tmp.p : "", p->tmp.len, TK_KIND_LIB);
		l->start = start;
		l->code_id = id;
	}
}

static void ev_code_source_info(struct tk_pre *p, struct tk_isolate *iso, unsigned long line)
{
	const struct tk_fields *f = &iso->f;
	uint64_t start;
	if (f->count < 8 || !tk_pre_to_addr(tk_pre_num_field(p, f, 1), &start))
		return; /* the reference throws on a missing field */
	struct tk_pre_dyn *e = tk_pre_dyn_find(p, start);
	if (!e)
		return;
	struct tk_pre_source *src = tk_arena_alloc(&p->arena, sizeof *src);
	/* inlined SFIs "S0x...S0x..." -> function ids */
	size_t k = tk_pre_utf8_to_u16(p, f->s[7], f->n[7]);
	k = tk_pre_escape_field(p, p->u16, k);
	if (k > 0) {
		size_t n = 1;
		for (size_t i = 1; i < k; i++)
			n += p->u16b[i] == 'S';
		src->fns = tk_arena_alloc(&p->arena, n * sizeof *src->fns);
		/* parse_int_u16 never touches u16b, so the parts can be read in place */
		size_t a = 1;
		for (size_t i = 1; i <= k; i++) {
			if (i < k && p->u16b[i] != 'S')
				continue;
			uint64_t fa;
			struct tk_pre_dyn *fd = NULL;
			if (tk_pre_to_addr(tk_pre_parse_int(p->u16b + a, i - a, 0), &fa))
				fd = tk_pre_dyn_find(p, fa);
			if (!fd || fd->func_id < 0) {
				warn_once(p, &p->warned_fn, iso, line, "could not find function (null in fns)", NULL);
				src->fns[src->n_fns++] = -1;
			} else {
				src->fns[src->n_fns++] = fd->func_id;
			}
			a = i + 1;
		}
	}
	if (e->code_id < 0 || (size_t)e->code_id >= p->n_code)
		return; /* codeEntries_[undefined]: the reference throws */
	struct tk_pre_code *c = &p->code[e->code_id];
	src->script = tk_pre_num_field(p, f, 2);
	src->start = tk_pre_num_field(p, f, 3);
	src->end = tk_pre_num_field(p, f, 4);
	src->positions = tk_pre_str_field(p, f, 5);
	src->inlined = tk_pre_str_field(p, f, 6);
	if (!c->source)
		c->deopt_first = c->deopt != NULL;
	c->source = src;
}

static void ev_code_deopt(struct tk_pre *p, struct tk_isolate *iso, unsigned long line)
{
	const struct tk_fields *f = &iso->f;
	uint64_t at;
	if (!tk_pre_to_addr(tk_pre_num_field(p, f, 3), &at))
		return;
	struct tk_pre_dyn *e = tk_pre_dyn_find(p, at);
	if (!e || e->code_id < 0 || (size_t)e->code_id >= p->n_code)
		return;
	struct tk_pre_code *c = &p->code[e->code_id];
	if (c->deopt)
		return; /* only the first */
	struct tk_pre_deopt *dp = tk_arena_alloc(&p->arena, sizeof *dp);
	dp->tm = tk_pre_num_field(p, f, 1);
	dp->inlining_id = tk_pre_num_field(p, f, 4);
	dp->script_offset = tk_pre_num_field(p, f, 5);
	dp->has_bailout = f->count > 6;
	dp->has_pos_text = f->count > 7;
	dp->has_reason = f->count > 8;
	if (dp->has_bailout)
		dp->bailout = tk_pre_str_field(p, f, 6);
	if (dp->has_pos_text)
		dp->pos_text = tk_pre_str_field(p, f, 7);
	if (dp->has_reason)
		dp->reason = tk_pre_str_field(p, f, 8);
	c->deopt = dp;
	(void)line;
}

/* Script.getShortestUniqueName: the file name, unless another script
 * has it too: then the URL, and every earlier script with that file
 * name gets this script's URL as its name (sic). */
static void script_name(struct tk_pre *p, struct tk_pre_script *s)
{
	const char *slash = s->url.n ? memrchr(s->url.s, '/', s->url.n) : NULL;
	const char *fn = slash ? slash + 1 : s->url.s;
	uint32_t fnn = (uint32_t)(s->url.n - (size_t)(fn - s->url.s));
	uint32_t h = tk_hash(fn, fnn);
	if (p->n_files * 2 >= p->files_mask) {
		size_t nm = p->files_mask ? p->files_mask * 2 + 1 : 127;
		struct tk_pre_fileslot *nt = tk_xcalloc(nm + 1, sizeof *nt);
		for (size_t i = 0; p->files && i <= p->files_mask; i++) {
			if (!p->files[i].s)
				continue;
			size_t k = p->files[i].hash & nm;
			while (nt[k].s)
				k = (k + 1) & nm;
			nt[k] = p->files[i];
		}
		free(p->files);
		p->files = nt;
		p->files_mask = nm;
	}
	size_t k = h & p->files_mask;
	for (; p->files[k].s; k = (k + 1) & p->files_mask) {
		struct tk_pre_fileslot *e = &p->files[k];
		if (e->hash == h && e->n == fnn && memcmp(e->s, fn, fnn) == 0) {
			for (struct tk_pre_script *o = e->head; o; o = o->same_file)
				o->name = s->url;
			e->tail->same_file = s;
			e->tail = s;
			s->name = s->url;
			return;
		}
	}
	p->files[k].s = fn;
	p->files[k].n = fnn;
	p->files[k].hash = h;
	p->files[k].head = p->files[k].tail = s;
	p->n_files++;
	s->name.s = fn;
	s->name.n = fnn;
}

static void ev_script_source(struct tk_pre *p, struct tk_isolate *iso, unsigned long line)
{
	const struct tk_fields *f = &iso->f;
	if (f->count < 3)
		return; /* url undefined: the reference throws */
	struct tk_pre_script *s = tk_arena_alloc(&p->arena, sizeof *s);
	s->id = tk_pre_num_field(p, f, 1);
	s->url = tk_pre_str_field(p, f, 2);
	s->has_source = f->count > 3;
	if (s->has_source)
		s->source = tk_pre_str_field(p, f, 3);
	script_name(p, s);
	double id = s->id;
	if (!(id >= 0 && id < 4294967295.0 && id == floor(id)))
		return; /* not an array index: not in "scripts" */
	if (id >= MAX_SCRIPT_ID) {
		warn_once(p, &p->warned_script, iso, line, "script id too large: left out", NULL);
		return;
	}
	size_t i = (size_t)id;
	if (i >= p->n_scripts) {
		tk_xgrow((void **)&p->scripts, &p->cap_scripts, i + 1, sizeof *p->scripts);
		memset(p->scripts + p->n_scripts, 0, (i + 1 - p->n_scripts) * sizeof *p->scripts);
		p->n_scripts = i + 1;
	}
	p->scripts[i] = s;
}

/* What a frame's lookup depends on besides its address: the builder's
 * own map (any event but a tick may change it), and in symbols mode
 * ticks' code map, libraries and re-mapped builtins. A change starts a
 * new epoch of the frame cache. */
static void fc_sync(struct tk_pre *p, const struct tk_isolate *iso)
{
	const struct tk_resolver *rs = &iso->res;
	struct tk_pre_fcstate st = {
		.map = p->map_gen, .code = iso->code.gen, .libs = iso->libs.gen, .remap = rs->remap,
		.remap_base = rs->remap_base, .blob_min = rs->blob_min, .blob_max = rs->blob_max,
	};
	if (memcmp(&st, &p->fc_state, sizeof st) != 0 || !p->fc_epoch) {
		p->fc_state = st;
		p->fc_epoch++;
	}
}

#define PRE_FCACHE_SLOTS 4096

/* A stack value's [code id, offset] (1), or 0: unresolved. Stacks repeat
 * their addresses: an address looked up in this epoch is answered from
 * the cache. Only a first lookup has effects (a name's {N}, a CPP
 * element made, the resolver's notes), so skipping the later ones
 * changes nothing. The caller syncs the epoch (fc_sync) before a tick's
 * frames; within them only a lookup can move it. */
static int frame_found(struct tk_pre *p, struct tk_isolate *iso, double a, int32_t *id, double *off)
{
	uint64_t u;
	if (!tk_pre_to_addr(a, &u))
		return 0; /* what both lookups say */
	struct tk_pre_fslot *c = &p->fcache[(size_t)((u * 0x9e3779b97f4a7c15ull) >> 52) & (PRE_FCACHE_SLOTS - 1)];
	if (c->epoch == p->fc_epoch && c->addr == u) {
		*id = c->id;
		*off = c->off;
		return c->found;
	}
	int found = p->symbols ? sym_find(p, iso, a, id, off) : tk_pre_ref_find(p, a, id, off);
	fc_sync(p, iso); /* the lookup may have moved it (the re-mapped builtins found) */
	if (p->symbols && !iso->libs.sorted)
		return found; /* as the resolver's own cache: library entries may still move */
	c->addr = u;
	c->epoch = p->fc_epoch;
	c->found = found;
	c->id = found ? *id : -1;
	c->off = found ? *off : 0;
	return found;
}

/* One stack frame field s[0..n) as Node 20 reads it into p->stack[*k]:
 * "+N", "-N" relative to the last relative one (*prev; parseInt without
 * radix), "o..." (overflow) dropped, any other parseInt. */
static void stack_field(struct tk_pre *p, const char *s, size_t n, double *prev, size_t *k)
{
	char c = n ? s[0] : 0;
	if (c == 'o')
		return;
	if (*k == p->cap_stack)
		tk_xgrow((void **)&p->stack, &p->cap_stack, *k + 1, sizeof *p->stack);
	if (c == '+' || c == '-')
		p->stack[(*k)++] = *prev += tk_pre_num_span(p, s, n);
	else
		p->stack[(*k)++] = tk_pre_num_span(p, s, n);
}

/* The frames after pc of a tick into p->stack[1..), read once: in a log
 * with quoted fields from the line split in full (fields 6..), else from
 * the stack's text (field 6, the rest of the line), cut where a full
 * split would cut the line (said, as the isolate says it). The usual
 * "0x..." frame is the typed reading's hex, the value parseInt gives;
 * any other goes through parseInt. Returns the frame count, pc included. */
static size_t stack_frames(struct tk_pre *p, struct tk_isolate *iso, const struct tk_ev *ev, double pc)
{
	const struct tk_fields *f = ev->f;
	double prev = pc;
	size_t k = 1;
	if (iso->quoted) {
		for (size_t i = 6; i < f->count; i++)
			stack_field(p, f->s[i], f->n[i], &prev, &k);
		return k;
	}
	if (f->count <= 6)
		return k;
	const char *q = f->s[6], *end = q + f->n[6];
	if (!p->frame_memo)
		p->frame_memo = tk_xcalloc(TK_HEX_MEMO, sizeof *p->frame_memo);
	for (size_t field = 6;; field++) {
		if (field == TK_CSV_MAX_FIELDS) {
			tk_isolate_fields_dropped(iso, ev->lineno);
			break;
		}
		uint64_t a;
		const char *fe = tk_scan_hex_field_memo(p->frame_memo, q, end, &a);
		if (fe && a < (uint64_t)TK_PRE_MAX_EXACT) {
			if (k == p->cap_stack)
				tk_xgrow((void **)&p->stack, &p->cap_stack, k + 1, sizeof *p->stack);
			p->stack[k++] = (double)a;
		} else {
			fe = memchr(q, ',', (size_t)(end - q));
			if (!fe)
				fe = end;
			stack_field(p, q, (size_t)(fe - q), &prev, &k);
		}
		if (fe == end)
			break;
		q = fe + 1;
	}
	return k;
}

/* Whether a tick's stack text s[0..n) (the rest of the line) makes the
 * line longer than a full split keeps. */
static int fields_over(const char *s, size_t n)
{
	size_t left = TK_CSV_MAX_FIELDS - 6; /* fields the stack may have */
	if (n < left)
		return 0;
	for (const char *e = s + n; (s = memchr(s, ',', (size_t)(e - s))) != NULL; s++)
		if (--left == 0)
			return 1;
	return 0;
}

/* A tick (the isolate decoded its numbers; it neither resolves nor
 * stores it with --format=preprocess: this is the one reading). */
/* A tick not kept: only a stack cut by the split is said. */
static void skipped_tick(struct tk_isolate *iso, const struct tk_ev *ev)
{
	const struct tk_fields *f = ev->f;
	if (!iso->quoted && f->count > 6 && fields_over(f->s[6], f->n[6]))
		tk_isolate_fields_dropped(iso, ev->lineno);
}

static void ev_tick(struct tk_pre *p, struct tk_isolate *iso, const struct tk_ev *ev)
{
	const struct tk_fields *f = ev->f;
	const struct tk_opts *o = p->opts;
	if (p->stopped) {
		skipped_tick(iso, ev);
		return;
	}
	double v[5];
	if (!ev->bad) {
		/* the typed numbers: what parseInt gives, below 2^53 */
		const struct tk_ev_tick *t = &ev->u.tick;
		const uint64_t tv[5] = { t->pc, t->time, t->ext, t->tos, t->vmstate };
		for (size_t i = 0; i < 5; i++)
			v[i] = tv[i] < (uint64_t)TK_PRE_MAX_EXACT ? (double)tv[i] : tk_pre_num_field(p, f, i + 1);
	} else {
		for (size_t i = 0; i < 5; i++)
			v[i] = tk_pre_num_field(p, f, i + 1);
	}
	double pc = v[0], tm = v[1], ext = v[2], tos = v[3], vm = v[4];
	if ((o->have_range_start && tm < o->range_start_ms * 1000.0) ||
	    (o->have_range_end && tm > o->range_end_ms * 1000.0) ||
	    (o->state_filter != TK_VM_NONE && !(vm == (double)iso->state_num[o->state_filter]))) {
		skipped_tick(iso, ev);
		return;
	}
	int32_t id;
	double off;
	if (ext != 0 && ext == ext) {
		pc = tos; /* the callback's entry */
	} else if (tos != 0 && tos == tos) {
		/* the reference probes tos (and drops it: JsonProfile entries
		 * are never "JS functions"); the probe numbers names */
		if (!p->symbols)
			tk_pre_ref_find(p, tos, &id, &off);
	}
	if (!p->cap_stack)
		tk_xgrow((void **)&p->stack, &p->cap_stack, 64, sizeof *p->stack);
	p->stack[0] = pc;
	size_t n = stack_frames(p, iso, ev, pc);
	if (!p->fcache)
		p->fcache = tk_xcalloc(PRE_FCACHE_SLOTS, sizeof *p->fcache);
	fc_sync(p, iso);
	unsigned char *w = tk_pre_tick_space(p, 40 + n * 20), *w0 = w;
	w = tk_pre_put_num(w, tm);
	w = tk_pre_put_num(w, vm);
	w = tk_pre_put_varint(w, n);
	for (size_t i = 0; i < n; i++) {
		if (frame_found(p, iso, p->stack[i], &id, &off)) {
			w = tk_pre_put_varint(w, (uint64_t)((int64_t)id + 1));
			w = tk_pre_put_num(w, off);
		} else {
			w = tk_pre_put_varint(w, 0);
			w = tk_pre_put_num(w, p->stack[i]);
		}
	}
	tk_pre_tick_done(p, (size_t)(w - w0));
}

static void pre_event(void *ctx, const struct tk_ev *ev)
{
	struct tk_pre *p = ctx;
	struct tk_isolate *iso = p->iso;
	unsigned long lineno = ev->lineno;
	if (ev->type == TK_EV_EMPTY)
		p->stopped = 1; /* node stops reading at an empty line */
	if (ev->type == TK_EV_TICK) {
		ev_tick(p, iso, ev); /* past a stop too: a stack cut by the split is said */
		return;
	}
	if (p->stopped)
		return;
	switch (ev->type) {
	case TK_EV_CODE_CREATION: ev_code_creation(p, iso, lineno); break;
	case TK_EV_CODE_SOURCE_INFO: ev_code_source_info(p, iso, lineno); break;
	case TK_EV_SCRIPT_SOURCE: ev_script_source(p, iso, lineno); break;
	case TK_EV_SHARED_LIBRARY: ev_shared_library(p, iso, lineno); break;
	case TK_EV_CODE_MOVE: ev_code_move(p, iso, lineno, 0); break;
	case TK_EV_SFI_MOVE: ev_code_move(p, iso, lineno, 1); break;
	case TK_EV_CODE_DELETE: ev_code_delete(p, iso, lineno); break;
	case TK_EV_CODE_DEOPT: ev_code_deopt(p, iso, lineno); break;
	default: break;
	}
	p->map_gen++; /* the frame cache's epoch ends */
	tk_pre_dyn_flush(p);
}

static void pre_free(void *ctx)
{
	tk_pre_free(ctx);
}

struct tk_pre *tk_pre_attach(struct tk_isolate *iso)
{
	struct tk_pre *p = tk_pre_new(iso->opts);
	p->iso = iso;
	struct tk_consumer c = { .ctx = p, .flags = TK_CONS_SPLIT_QUOTED, .event = pre_event, .free = pre_free };
	tk_isolate_add_consumer(iso, &c);
	iso->pre = p;
	return p;
}

struct tk_pre *tk_pre_new(const struct tk_opts *opts)
{
	struct tk_pre *p = tk_xcalloc(1, sizeof *p);
	p->opts = opts;
	p->symbols = !opts->no_symbols;
	tk_arena_init(&p->arena);
	return p;
}

void tk_pre_free(struct tk_pre *p)
{
	if (!p)
		return;
	for (size_t i = 0; i < p->n_funcs; i++)
		free(p->funcs[i].codes);
	free(p->funcs);
	free(p->code);
	free(p->scripts);
	free(p->libs);
	free(p->pages);
	free(p->known);
	free(p->files);
	free(p->syms);
	free(p->libels);
	tk_pre_ticks_free(p);
	free(p->u16);
	free(p->u16b);
	free(p->stack);
	free(p->frame_memo);
	free(p->fcache);
	tk_buf_free(&p->tmp);
	tk_arena_release(&p->arena);
	free(p);
}
