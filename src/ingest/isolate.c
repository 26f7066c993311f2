/* isolate: the event dispatcher. Each event handler takes the split
 * fields of one line; a line it cannot use is counted (and warned about
 * once), never fatal: one bad line must not cost the whole profile. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "base/diag.h"
#include "base/escape.h"
#include "input/input.h"
#include "ingest/isolate.h"
#include "input/v8log.h"
#include "js/srcpos.h"
#include "ingest/srcpos_consumer.h"
#include "base/progress.h"
#include "ingest/resolve.h"
#include "base/util.h"

static const char *const vm_names[TK_VM_COUNT] = {
	"JS", "GC", "PARSER", "BYTECODE_COMPILER", "COMPILER", "OTHER", "EXTERNAL",
	"IDLE", "ATOMICS_WAIT", "LOGGING", "IDLE_EXTERNAL"
};

const char *tk_vmstate_name(enum tk_vmstate s)
{
	return s >= 0 && s < TK_VM_COUNT ? vm_names[s] : "?";
}

void tk_opts_default(struct tk_opts *o)
{
	memset(o, 0, sizeof *o);
	o->state_filter = TK_VM_NONE;
	o->separate_ic = 1;
	o->separate_builtins = 1;
	o->separate_stubs = 1;
	o->call_graph_size = 5;
	o->cutoff_pct = 1.0;
}

void tk_isolate_init(struct tk_isolate *iso, const char *path, const struct tk_opts *opts,
		     struct tk_names *names, struct tk_elfcache *cache)
{
	memset(iso, 0, sizeof *iso);
	iso->path = path;
	iso->opts = opts;
	iso->names = names;
	iso->cache = cache;
	tk_codemap_init(&iso->code);
	tk_libs_init(&iso->libs);
	tk_profile_init(&iso->prof);
	iso->prof.keep_samples = opts->keep_samples;
	struct tk_resolve_opts ro = {
		.separate_ic = opts->separate_ic, .separate_bytecodes = opts->separate_bytecodes,
		.separate_builtins = opts->separate_builtins, .separate_stubs = opts->separate_stubs,
		.lines = opts->lines, .quiet = opts->quiet,
		.focus = opts->focus, .ignore = opts->ignore, .hide = opts->hide,
	};
	tk_resolver_init(&iso->res, &ro, names, cache, &iso->code, &iso->libs, &iso->prof);
	if (!opts->preprocess && (opts->lines || opts->annotate || !opts->no_source_maps)) {
		int lines = opts->lines || opts->annotate != NULL;
		iso->srcpos = tk_srcpos_new(lines, !opts->no_source_maps, opts->source_map_dir, opts->quiet);
		struct tk_consumer c;
		tk_srcpos_consumer(iso->srcpos, &iso->code, &iso->added, lines, &c, &iso->res.js);
		tk_isolate_add_consumer(iso, &c);
	}
	/* until a v8-version line says otherwise: a current V8 */
	tk_isolate_set_version(iso, 11, 3, 0, 0);
	iso->have_version = 0;
}

void tk_isolate_release(struct tk_isolate *iso)
{
	tk_srcpos_free(iso->srcpos);
	tk_codemap_release(&iso->code);
	tk_libs_release(&iso->libs);
	tk_profile_release(&iso->prof);
	tk_csv_free(&iso->f);
	tk_buf_free(&iso->tmp);
	tk_resolver_release(&iso->res);
	free(iso->addrs);
	free(iso->pcs);
	tk_hashidx_release(&iso->pc_idx);
	tk_tickcache_release(&iso->tc);
	free(iso->frame_memo);
	for (size_t i = 0; i < iso->n_cons; i++)
		if (iso->cons[i].free)
			iso->cons[i].free(iso->cons[i].ctx);
	memset(iso, 0, sizeof *iso);
}

void tk_isolate_shrink(struct tk_isolate *iso)
{
	/* what reading needed: the writers use the profile, the names, the
	 * libraries (pprof's mappings), the counters and the preprocess
	 * builder; pcs (--pcs) is printed before, but small */
	tk_srcpos_free(iso->srcpos);
	iso->srcpos = NULL;
	memset(&iso->res.js, 0, sizeof iso->res.js);
	tk_resolver_release(&iso->res);
	tk_codemap_release(&iso->code);
	tk_tickcache_release(&iso->tc);
	tk_csv_free(&iso->f);
	memset(&iso->f, 0, sizeof iso->f);
	tk_buf_free(&iso->tmp);
	void **v[] = { (void **)&iso->addrs, (void **)&iso->frame_memo };
	for (size_t i = 0; i < sizeof v / sizeof *v; i++) {
		free(*v[i]);
		*v[i] = NULL;
	}
	iso->addrs_cap = 0;
	tk_hashidx_release(&iso->pc_idx);
	tk_profile_compact(&iso->prof);
}

void tk_isolate_set_version(struct tk_isolate *iso, int major, int minor, int build, int patch)
{
	static const enum tk_vmstate v62[] = {   /* V8 <= 6.2 (Node 6, 8) */
		TK_VM_JS, TK_VM_GC, TK_VM_COMPILER, TK_VM_OTHER, TK_VM_EXTERNAL, TK_VM_IDLE,
		TK_VM_PARSER, TK_VM_BYTECODE_COMPILER };
	static const enum tk_vmstate v68[] = {   /* V8 6.8 - 7.x (Node 10, 12) */
		TK_VM_JS, TK_VM_GC, TK_VM_PARSER, TK_VM_BYTECODE_COMPILER, TK_VM_COMPILER,
		TK_VM_OTHER, TK_VM_EXTERNAL, TK_VM_IDLE };
	static const enum tk_vmstate v84[] = {   /* V8 8.x - 13.x (Node 14 - 24) */
		TK_VM_JS, TK_VM_GC, TK_VM_PARSER, TK_VM_BYTECODE_COMPILER, TK_VM_COMPILER,
		TK_VM_OTHER, TK_VM_EXTERNAL, TK_VM_ATOMICS_WAIT, TK_VM_IDLE, TK_VM_LOGGING };
	static const enum tk_vmstate v14[] = {   /* V8 14.x (Node 26): v8-unwinder.h */
		TK_VM_JS, TK_VM_GC, TK_VM_PARSER, TK_VM_BYTECODE_COMPILER, TK_VM_COMPILER,
		TK_VM_OTHER, TK_VM_EXTERNAL, TK_VM_ATOMICS_WAIT, TK_VM_IDLE, TK_VM_IDLE_EXTERNAL,
		TK_VM_LOGGING };
	const enum tk_vmstate *t;
	size_t n;
	iso->v8[0] = major;
	iso->v8[1] = minor;
	iso->v8[2] = build;
	iso->v8[3] = patch;
	iso->have_version = 1;
	if (major < 6 || (major == 6 && minor < 8)) {
		t = v62, n = sizeof v62 / sizeof *v62;
	} else if (major < 8) {
		t = v68, n = sizeof v68 / sizeof *v68;
	} else if (major < 14) {
		t = v84, n = sizeof v84 / sizeof *v84;
	} else {
		t = v14, n = sizeof v14 / sizeof *v14;
	}
	for (int i = 0; i < TK_VM_COUNT; i++)
		iso->state_num[i] = -1;
	for (size_t i = 0; i < n; i++)
		iso->state_num[t[i]] = (int)i;
	iso->quoted = major < 6 || (major == 6 && minor < 8);
	iso->f.dialect = major == 6 && minor >= 8 ? TK_CSV_NODE10 : TK_CSV_V8;
	iso->no_timestamp = major < 6;
}

/* Counts pc as a first frame resolved to fr (NULL: unresolved), for --pcs. */
static void note_pc(struct tk_isolate *iso, uint64_t pc, const struct tk_frame *fr)
{
	struct tk_hashidx_probe pr;
	uint32_t i = tk_hashidx_first(&iso->pc_idx, &pr, tk_hashidx_u64(pc));
	for (; i != TK_HASHIDX_NONE; i = tk_hashidx_next(&iso->pc_idx, &pr))
		if (iso->pcs[i].pc == pc) {
			iso->pcs[i].count++;
			return;
		}
	tk_xgrow((void **)&iso->pcs, &iso->pcs_cap, iso->n_pcs + 1, sizeof *iso->pcs);
	struct tk_pc *p = &iso->pcs[iso->n_pcs];
	memset(p, 0, sizeof *p);
	p->pc = pc;
	p->count = 1;
	if (fr) {
		p->name = fr->name;
		p->cpp = fr->type == TK_FRAME_CPP;
		if (fr->lib) {
			p->lib = fr->lib->name;
			if (fr->lib->has_bias) {
				p->vaddr = pc - fr->lib->bias;
				p->has_vaddr = 1;
			}
		}
	}
	tk_hashidx_add_at(&iso->pc_idx, &pr, (uint32_t)iso->n_pcs++);
}

static void warn(struct tk_isolate *iso, enum tk_warn_kind k, unsigned long line, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static void warn(struct tk_isolate *iso, enum tk_warn_kind k, unsigned long line, const char *fmt, ...)
{
	struct tk_warn *w = &iso->warn[k];
	if (w->count++ == 0) {
		w->first_line = line;
		if (!iso->opts->quiet) {
			va_list ap;
			va_start(ap, fmt);
			tk_diag_vline(iso->path, line, fmt, ap);
			va_end(ap);
		}
	}
}

/* A short, printable excerpt of a piece of the line for messages. */
static const char *excerpt_of(struct tk_span sp)
{
	static char bufs[2][48];
	static int which;
	char *b = bufs[which ^= 1];
	size_t n = sp.n;
	if (n > sizeof bufs[0] - 4)
		n = sizeof bufs[0] - 4;
	size_t k = 0;
	for (size_t j = 0; j < n; j++) {
		unsigned char c = (unsigned char)sp.s[j];
		b[k++] = c >= 0x20 && c < 0x7f ? (char)c : '?';
	}
	if (sp.n > n) {
		memcpy(b + k, "...", 3);
		k += 3;
	}
	b[k] = 0;
	return b;
}

/* field i of the line (messages naming a field by its number) */
static const char *excerpt(struct tk_isolate *iso, size_t i)
{
	struct tk_span sp = { "", 0 };
	if (i < iso->f.count)
		sp = (struct tk_span){ iso->f.s[i], iso->f.n[i] };
	return excerpt_of(sp);
}

/* sp unescaped in dialect, interned (cut at TK_MAX_NAME) */
static const struct tk_name *span_name(struct tk_isolate *iso, struct tk_span sp, int dialect, enum tk_kind kind)
{
	struct tk_buf *b = &iso->tmp;
	tk_buf_reset(b);
	if (sp.n)
		tk_csv_unescape_as(sp.s, sp.n < TK_MAX_NAME ? sp.n : TK_MAX_NAME, dialect, b);
	return tk_names_intern(iso->names, b->p ? b->p : "", b->len, kind);
}

static void ev_version(struct tk_isolate *iso, const struct tk_ev *ev)
{
	const struct tk_ev_version *v = &ev->u.version;
	if (ev->bad) {
		warn(iso, TK_W_BAD_LINE, ev->lineno, "bad v8-version line: field %d is '%s'", ev->bad,
		     excerpt(iso, (size_t)ev->bad));
		return;
	}
	tk_isolate_set_version(iso, v->v[0], v->v[1], v->v[2], v->v[3]);
	if (v->v[0] > TK_V8_NEWEST)
		warn(iso, TK_W_VERSION, ev->lineno, "V8 %d.%d is newer than any ticks knows (%d.x): its log is read "
		     "as %d.x writes them, check the result", v->v[0], v->v[1], TK_V8_NEWEST, TK_V8_NEWEST);
	int emb_n = (int)(v->embedder.n < 32 ? v->embedder.n : 32);
	snprintf(iso->v8_text, sizeof iso->v8_text, "%d.%d.%d.%d%.*s", v->v[0], v->v[1], v->v[2], v->v[3],
		 emb_n, v->embedder.s);
}

static void ev_shared_library(struct tk_isolate *iso, const struct tk_ev *ev)
{
	const struct tk_ev_lib *l = &ev->u.lib;
	if (ev->bad) {
		warn(iso, TK_W_BAD_LINE, ev->lineno, "bad shared-library line: range '%s'", excerpt_of(l->start_text));
		return;
	}
	const struct tk_name *name = span_name(iso, l->path, iso->f.dialect, TK_KIND_LIB);
	tk_libs_add(&iso->libs, iso->cache, name, l->start, l->end);
	tk_resolver_libs_changed(&iso->res);
}

/* "TYPE: <tier><name>" of function code, an anonymous function's name
 * starting with its script (" file.js:1:1") as <anonymous> */
static const struct tk_name *func_name(struct tk_isolate *iso, const struct tk_name *type, int tier,
				       struct tk_span name)
{
	struct tk_buf *b = &iso->tmp;
	tk_buf_reset(b);
	tk_buf_add(b, type->str, type->len);
	tk_buf_add(b, ": ", 2);
	tk_buf_adds(b, tk_v8log_tier_prefix(tier));
	size_t at = b->len;
	tk_csv_unescape_as(name.s, name.n, iso->f.dialect, b);
	if (b->len == at || b->p[at] == ' ') {
		char *rest = tk_xmalloc(b->len - at + 1);
		size_t rn = b->len - at;
		memcpy(rest, b->p + at, rn);
		b->len = at;
		tk_buf_adds(b, "<anonymous>");
		tk_buf_add(b, rest, rn);
		free(rest);
	}
	return tk_names_intern(iso->names, b->p, b->len, TK_KIND_JS);
}

static void ev_code_creation(struct tk_isolate *iso, const struct tk_ev *ev)
{
	const struct tk_ev_code *cc = &ev->u.code;
	unsigned long line = ev->lineno;
	switch (ev->bad) {
	case TK_CODE_FEW:
		warn(iso, TK_W_BAD_LINE, line, "bad code-creation line: %zu fields, %zu at least", cc->fields, cc->need);
		return;
	case TK_CODE_NUM:
		warn(iso, TK_W_BAD_LINE, line, "bad code-creation line: start/size '%s'/'%s'",
		     excerpt_of(cc->start_text), excerpt_of(cc->size_text));
		return;
	case TK_CODE_BIG:
		warn(iso, TK_W_BAD_LINE, line, "bad code-creation line: size %llu is too large",
		     (unsigned long long)cc->size);
		return;
	}
	struct tk_span name = cc->name;
	if (name.n > TK_MAX_NAME) {
		warn(iso, TK_W_LONG_NAME, line, "a code name of %lu bytes: cut to 1 MiB", (unsigned long)name.n);
		name.n = TK_MAX_NAME;
	}
	const struct tk_name *type = span_name(iso, cc->type, iso->f.dialect, TK_KIND_NONE);
	int tier = cc->tier;
	if (tier < 0) {
		warn(iso, TK_W_MARKER, line, "unknown optimization marker '%s': printed without a tier",
		     excerpt_of(cc->marker));
		tier = 0;
	}
	const struct tk_name *disp = NULL, *raw = NULL;
	if (cc->is_func)
		disp = func_name(iso, type, tier, name);
	else /* a RegExp's \n in a Node 10 log is the source's text */
		raw = span_name(iso, name, cc->regexp && iso->f.dialect == TK_CSV_NODE10 ? TK_CSV_NODE10_REGEXP :
			       iso->f.dialect, TK_KIND_NONE);
	if (cc->builtin)
		tk_resolver_builtin(&iso->res, cc->start, cc->size);
	struct tk_code *c = tk_codemap_add(&iso->code, cc->start, cc->size);
	c->type = type;
	c->raw = raw;
	c->display = disp;
	c->is_func = cc->is_func;
	c->tier = (uint8_t)tier;
	iso->added = c;
}

static void ev_code_move(struct tk_isolate *iso, const struct tk_ev *ev)
{
	if (ev->bad) {
		warn(iso, TK_W_BAD_LINE, ev->lineno, "bad code-move line: '%s'", excerpt(iso, 1));
		return;
	}
	if (tk_codemap_move(&iso->code, ev->u.move.from, ev->u.move.to) < 0)
		warn(iso, TK_W_MOVE_UNKNOWN, ev->lineno, "code-move of unknown code at 0x%llx",
		     (unsigned long long)ev->u.move.from);
}

static void ev_code_delete(struct tk_isolate *iso, const struct tk_ev *ev)
{
	if (ev->bad) {
		warn(iso, TK_W_BAD_LINE, ev->lineno, "bad code-delete line: '%s'", excerpt(iso, 1));
		return;
	}
	if (tk_codemap_delete(&iso->code, ev->u.addr) < 0)
		warn(iso, TK_W_DELETE_UNKNOWN, ev->lineno, "code-delete of unknown code at 0x%llx",
		     (unsigned long long)ev->u.addr);
}

static void bad_frame(struct tk_isolate *iso, unsigned long line, const char *s, size_t n)
{
	char b[48];
	size_t k = 0;
	for (size_t j = 0; j < n && k < sizeof b - 4; j++)
		b[k++] = s[j] >= 0x20 && s[j] < 0x7f ? s[j] : '?';
	if (k < n)
		memcpy(b + k, "...", 3), k += 3;
	b[k] = 0;
	warn(iso, TK_W_BAD_FRAME, line, "bad stack frame '%s'", b);
}

/* what a cached tick's result depends on besides its own fields */
static uint64_t tick_gen(const struct tk_isolate *iso)
{
	return (uint64_t)iso->code.gen << 32 | iso->libs.gen;
}

static void ev_tick(struct tk_isolate *iso, const struct tk_ev *ev)
{
	/* tick,PC,TIME,EXT,TOS,VMSTATE[,overflow],FRAME... */
	const struct tk_ev_tick *tk = &ev->u.tick;
	unsigned long line = ev->lineno;
	if (ev->bad) {
		size_t bad = (size_t)ev->bad;
		warn(iso, TK_W_BAD_LINE, line, "bad tick line: field %zu is '%s'", bad, excerpt(iso, bad));
		return;
	}
	uint64_t pc = tk->pc, time = tk->time, ext = tk->ext, tos = tk->tos, state = tk->vmstate;
	const struct tk_opts *o = iso->opts;
	if ((o->have_range_start && (double)time < o->range_start_ms * 1000.0) ||
	    (o->have_range_end && (double)time > o->range_end_ms * 1000.0))
		return;
	struct tk_profile *p = &iso->prof;
	tk_profile_count_tick(p, time, state, (int64_t)state == iso->state_num[TK_VM_GC]);
	if (o->state_filter != TK_VM_NONE && (int64_t)state != iso->state_num[o->state_filter]) {
		tk_profile_add_excluded(p);
		return;
	}
	uint32_t st = (uint32_t)(state > UINT32_MAX ? UINT32_MAX : state);
	/* the stack: everything after the VM state, still unsplit */
	const char *rest = tk->stack;
	size_t rest_n = tk->stack_n;
	/* --format=preprocess: its builder (a consumer) read and resolved the
	 * tick, and this profile is never written: no tick cache, no profile;
	 * what is left is what the warnings need, with the first frame alone
	 * checked, as when the builder had the line split in full (a quoted
	 * log's still is): they stay what they were */
	const int pre = o->preprocess;
	const char *c1;
	if (pre && !iso->quoted && (c1 = memchr(rest, ',', rest_n)) != NULL)
		rest_n = (size_t)(c1 - rest);
	/* the tick cache (tickcache.h): a tick whose stack text, pc,
	 * callback flag and tos equal an earlier tick's, with the code map and
	 * libraries unchanged since, adds what that tick added */
	uint32_t sid = 0;
	if (!o->list_pcs && !pre) {
		sid = tk_tickcache_stack(&iso->tc, rest, rest_n);
		const struct tk_tc_tick *t = tk_tickcache_find(&iso->tc, sid, pc, ext, tos, tick_gen(iso));
		if (t) {
			iso->warn[TK_W_BAD_FRAME].count += t->bad_frames;
			tk_resolve_replay(&iso->res, &t->res, time, st);
			return;
		}
	}
	tk_xgrow((void **)&iso->addrs, &iso->addrs_cap, 2, sizeof *iso->addrs);
	size_t n = 0;
	if (ext == 1) {
		iso->addrs[n++] = tos; /* the external callback's entry */
	} else {
		iso->addrs[n++] = pc;
		if (tos) {
			/* Node <= 10 logs a top-of-stack value: a frame only
			 * when it is JS function code */
			struct tk_frame fr;
			if (tk_resolve_addr(&iso->res, tos, &fr) && fr.type == TK_FRAME_JS_FUNC)
				iso->addrs[n++] = tos;
		}
	}
	/* relative frames ("+1a", "-1a") are offsets from the last relative
	 * frame, the first from the pc; absolute frames do not move it (the
	 * reference's reader) */
	uint64_t prev = iso->addrs[0];
	uint32_t bad = 0;
	int deep = 0;
	const char *q = rest, *end = rest + rest_n;
	const char *ov = NULL; /* the first frame past TK_MAX_FRAMES */
	/* room for every frame the loop can keep: no growth check per frame */
	tk_xgrow((void **)&iso->addrs, &iso->addrs_cap, n + TK_MAX_FRAMES, sizeof *iso->addrs);
	uint64_t *addrs = iso->addrs; /* in a register: the loop stores through it */
	if (!iso->frame_memo)
		iso->frame_memo = tk_xcalloc(TK_HEX_MEMO, sizeof *iso->frame_memo);
	while (rest_n && q <= end) {
		uint64_t a;
		const char *fs = q;
		const char *fe = tk_scan_hex_field_memo(iso->frame_memo, q, end, &a); /* the usual "0x..." frame */
		if (fe) {
			q = fe + 1;
			if (n >= TK_MAX_FRAMES) {
				ov = fs;
				break;
			}
			addrs[n++] = a;
			continue;
		}
		const char *c = memchr(q, ',', (size_t)(end - q));
		const char *s = q;
		size_t len = (size_t)((c ? c : end) - q);
		q = c ? c + 1 : end + 1;
		if (len > 0 && s[0] == 'o')
			continue; /* "overflow" marker */
		if (len > 1 && (s[0] == '+' || s[0] == '-')) {
			/* legacy frame relative to the previous relative one */
			uint64_t d;
			if (tk_parse_hex(s + 1, len - 1, &d) < 0) {
				bad_frame(iso, line, s, len);
				bad++;
				continue;
			}
			a = s[0] == '+' ? prev + d : prev - d;
			prev = a;
		} else if (tk_parse_u64(s, len, &a) < 0) {
			bad_frame(iso, line, s, len);
			bad++;
			continue;
		}
		if (n >= TK_MAX_FRAMES) {
			ov = s;
			break;
		}
		addrs[n++] = a;
	}
	if (ov) {
		/* as many as a split line keeps; the rest counted, and the
		 * tick not cached (a replay would not count them) */
		unsigned long long over = 1;
		for (const char *r = ov; (r = memchr(r, ',', (size_t)(end - r))) != NULL; r++)
			over++;
		iso->frames_over_cap += over;
		warn(iso, TK_W_DEEP_STACK, line, "a stack of more than %d frames: the %llu deeper ones are dropped",
		     TK_MAX_FRAMES, over);
		deep = 1;
	}
	if (pre) {
		/* the addresses looked up, for the resolver's one-time notes
		 * (a library file unread, ...): cached, as the builder just
		 * looked them up, but for a tos and frames it reads otherwise */
		struct tk_frame fr;
		for (size_t i = 0; i < n; i++)
			tk_resolve_addr(&iso->res, addrs[i], &fr);
		return;
	}
	struct tk_tick_result res;
	struct tk_frame first;
	tk_resolve_tick(&iso->res, iso->addrs, n, time, st, &res, o->list_pcs ? &first : NULL);
	if (o->list_pcs)
		note_pc(iso, iso->addrs[0], first.type != TK_FRAME_NONE ? &first : NULL);
	if (res.over) {
		/* inlined frames (--lines) took the path past the cap: counted
		 * as the frames of a longer stack are (one warning per line) */
		iso->frames_over_cap += res.over;
		if (!deep)
			warn(iso, TK_W_DEEP_STACK, line, "a stack of more than %d frames with its inlined "
			     "frames: the %lu outermost are dropped", TK_MAX_FRAMES, (unsigned long)res.over);
		deep = 1;
	}
	if (!o->list_pcs && !deep && iso->libs.sorted)
		tk_tickcache_store(&iso->tc, sid, pc, ext, tos, tick_gen(iso), &res, bad);
}

static void ev_new(struct tk_isolate *iso, const struct tk_ev *ev)
{
	if (!ev->bad && tk_span_is(ev->u.heap.kind, "CodeRange"))
		tk_resolver_code_range(&iso->res, ev->u.heap.addr);
}

static void ev_profiler(struct tk_isolate *iso, const struct tk_ev *ev)
{
	if (!ev->bad && tk_span_is(ev->u.profiler.what, "begin"))
		iso->interval_us = ev->u.profiler.interval;
}

void tk_isolate_add_consumer(struct tk_isolate *iso, const struct tk_consumer *c)
{
	if (iso->n_cons == TK_MAX_CONSUMERS)
		abort(); /* a programming error: raise TK_MAX_CONSUMERS */
	iso->cons[iso->n_cons++] = *c;
	iso->cons_flags |= c->flags;
	iso->cons_types[(c->flags & TK_CONS_AFTER) != 0] |= c->types ? c->types : UINT32_MAX;
}

/* ev to the consumers fed before the builder (after: 0) or after it (1):
 * a call only when one of them takes its type */
#define FEED(iso, ev, after) \
	((iso)->cons_types[after] & TK_EV_BIT((ev)->type) ? feed(iso, ev, after) : (void)0)
static void feed(struct tk_isolate *iso, const struct tk_ev *ev, int after)
{
	for (size_t i = 0; i < iso->n_cons; i++) {
		const struct tk_consumer *c = &iso->cons[i];
		if (((c->flags & TK_CONS_AFTER) != 0) == after && (!c->types || (c->types & TK_EV_BIT(ev->type))))
			c->event(c->ctx, ev);
	}
}

void tk_isolate_fields_dropped(struct tk_isolate *iso, unsigned long lineno)
{
	warn(iso, TK_W_FIELDS, lineno, "more than %d fields: the rest is ignored", TK_CSV_MAX_FIELDS);
}

void tk_isolate_line(struct tk_isolate *iso, char *line, size_t len, unsigned long lineno)
{
	iso->lines++;
	if (len == 0) {
		struct tk_fields none = {0};
		struct tk_ev ev = { .type = TK_EV_EMPTY, .lineno = lineno, .f = &none };
		FEED(iso, &ev, 0);
		warn(iso, TK_W_EMPTY_LINE, lineno, "empty line (skipped)");
		FEED(iso, &ev, 1);
		return;
	}
	struct tk_ev ev; /* no initializer: u is as large as its largest member, and set by the decoder */
	ev.lineno = lineno;
	ev.f = &iso->f;
	if (len > 5 && !(iso->quoted && (iso->cons_flags & TK_CONS_SPLIT_QUOTED)) && memcmp(line, "tick,", 5) == 0) {
		/* most lines: split and decoded in one pass, the stack one field */
		ev.type = TK_EV_TICK;
		ev.bad = tk_v8log_tick_line(&iso->f, line, len, &ev.u.tick);
	} else {
		tk_csv_split(&iso->f, line, len, iso->quoted);
		if (iso->f.dropped)
			tk_isolate_fields_dropped(iso, lineno);
		ev.type = tk_ev_type_of(iso->f.s[0], iso->f.n[0]);
		tk_v8log_decode(&ev, iso->no_timestamp);
	}
	FEED(iso, &ev, 0);
	if (ev.type != TK_EV_UNKNOWN)
		iso->events++;
	switch (ev.type) {
	case TK_EV_TICK: ev_tick(iso, &ev); break;
	case TK_EV_CODE_CREATION: ev_code_creation(iso, &ev); break;
	case TK_EV_SHARED_LIBRARY: ev_shared_library(iso, &ev); break;
	case TK_EV_CODE_MOVE: ev_code_move(iso, &ev); break;
	case TK_EV_CODE_DELETE: ev_code_delete(iso, &ev); break;
	case TK_EV_V8_VERSION: ev_version(iso, &ev); break;
	case TK_EV_NEW: ev_new(iso, &ev); break;
	case TK_EV_PROFILER: ev_profiler(iso, &ev); break;
	case TK_EV_V8_PLATFORM:
		if (!ev.bad) {
			size_t n = ev.u.platform.n < sizeof iso->platform - 1 ? ev.u.platform.n : sizeof iso->platform - 1;
			memcpy(iso->platform, ev.u.platform.s, n);
			iso->platform[n] = 0;
		}
		break;
	case TK_EV_UNKNOWN: {
		const char *name0 = iso->f.s[0];
		size_t evn = iso->f.n[0];
		char name[40];
		size_t k = evn < sizeof name - 1 ? evn : sizeof name - 1;
		for (size_t i = 0; i < k; i++)
			name[i] = name0[i] >= 0x20 && name0[i] < 0x7f ? name0[i] : '?';
		name[k] = 0;
		warn(iso, TK_W_UNKNOWN_EVENT, lineno, "unknown event '%s%s' (ignored)", name,
		     evn > k ? "..." : "");
		break;
	}
	default: /* read by no one here (sfi-move, code-deopt, delete, scripts: srcpos_consumer.c, ...) */
		break;
	}
	FEED(iso, &ev, 1);
}

static int looks_utf16(const char *s, size_t n)
{
	if (n >= 2 && ((unsigned char)s[0] == 0xff && (unsigned char)s[1] == 0xfe))
		return 1;
	if (n >= 2 && ((unsigned char)s[0] == 0xfe && (unsigned char)s[1] == 0xff))
		return 1;
	return n >= 4 && (s[1] == 0 || s[0] == 0) && (s[3] == 0 || s[2] == 0);
}

int tk_isolate_run(struct tk_isolate *iso, struct tk_diag *d)
{
	struct tk_input in;
	char *line;
	size_t len;
	int r;
	struct tk_progress pg;
	if (tk_input_open(&in, iso->path, d) < 0)
		return -1;
	tk_progress_init(&pg, tk_diag_file(), iso->path, iso->opts->progress > 0);
	while ((r = tk_input_next(&in, &line, &len, d)) > 0) {
		if (in.lineno == 1 && looks_utf16(line, len)) {
			tk_diag_set(d, TK_EXIT_INPUT,
				    "this is UTF-16 text, not a V8 log as node writes it (a PowerShell "
				    "redirection?): convert it to UTF-8 first");
			d->line = 1;
			tk_progress_end(&pg);
			tk_input_close(&in);
			return -1;
		}
		tk_isolate_line(iso, line, len, in.lineno);
		if (pg.on && (in.lineno & 4095) == 0)
			tk_progress_update(&pg, tk_input_offset(&in), in.file_size, iso->prof.total);
	}
	tk_progress_end(&pg);
	tk_profile_finish(&iso->prof);
	for (size_t i = 0; r >= 0 && i < iso->n_cons; i++)
		if (iso->cons[i].end && iso->cons[i].end(iso->cons[i].ctx, d) < 0)
			r = -1;
	iso->cut = in.cut;
	memcpy(iso->cut_text, in.cut_text, sizeof iso->cut_text);
	iso->truncated_gzip = in.cut_gzip;
	iso->gzip_trailing = in.trailing;
	iso->long_lines = in.long_lines;
	iso->warn[TK_W_LONG_LINE].count = in.long_lines;
	iso->warn[TK_W_LONG_LINE].first_line = in.long_first;
	unsigned long last = in.lineno;
	if (in.cut) {
		iso->warn[TK_W_CUT_LINE].count = 1;
		iso->warn[TK_W_CUT_LINE].first_line = last + 1;
	}
	tk_input_close(&in);
	if (r < 0)
		return -1;
	d->line = 0;
	if (in.bytes > 0 && !in.nonnul) {
		/* a file allocated but never written (a crash, a full disk) */
		tk_diag_set(d, TK_EXIT_INPUT, "only NUL bytes (%llu of them): not a V8 log", in.bytes);
		return -1;
	}
	if (iso->lines == 0 && !iso->cut) {
		tk_diag_set(d, TK_EXIT_INPUT, "empty file: not a V8 log");
		return -1;
	}
	if (iso->events == 0) {
		tk_diag_set(d, TK_EXIT_INPUT, "not a V8 log: no line of it is a V8 event");
		return -1;
	}
	if (!iso->opts->quiet) {
		if (iso->cut)
			TK_WARN(CUT_LAST_LINE, iso->path, last + 1, last);
		if (iso->truncated_gzip)
			TK_WARN(GZIP_SHORT, iso->path);
		if (iso->gzip_trailing)
			TK_WARN(GZIP_TRAILING, iso->path, iso->gzip_trailing);
		if (iso->long_lines)
			TK_WARN(LONG_LINE, iso->path,
				in.long_first, in.max_line >> 20);
		if (!iso->have_version)
			TK_WARN(NO_VERSION, iso->path);
	}
	return 0;
}
