/* resolve: address -> frame, and the reference's per-tick bookkeeping. */
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "base/diag.h"
#include "base/escape.h"
#include "symbols/demangle.h"
#include "base/rematch.h"
#include "ingest/resolve.h"
#include "base/util.h"

static struct tk_demangle demangler; /* one reused buffer for the run */

/* once per file, at its first tick: a file that could not be read, one
 * that is not the file that was profiled, or one read in part (a .symtab
 * with a bad string table link) */
static void warn_file(struct tk_resolver *rs, const struct tk_lib *lib)
{
	struct tk_elffile *f = lib->file;
	if (f->warned)
		return;
	f->warned = 1;
	if (f->pseudo || f->skipped)
		return;
	if (rs->opts.quiet || rs->cache->quiet)
		return;
	const char *p = f->disk_path ? f->disk_path : f->path;
	char buf[200];
	const char *problem;
	if (!f->elf)
		TK_WARN(LIB_UNREAD, p, f->why);
	else if (f->mismatch)
		TK_WARN(LIB_MISMATCH, p, f->mismatch_why);
	else if ((problem = tk_elfsym_problem(f->elf, buf, sizeof buf)) != NULL)
		TK_WARN(LIB_SYMBOLS, p, problem);
}

/* once per file, when its symbols went away: the file changed on disk
 * after it was read (names would come from the new bytes at the old
 * offsets). Its ticks are library-level from then on, cached ones too. */
static void file_changed(struct tk_resolver *rs, const struct tk_lib *lib)
{
	struct tk_elffile *f = lib->file;
	if (f->changed)
		return;
	f->changed = 1;
	rs->cache->missing++;
	rs->libs->gen++; /* frames cached with its names resolve anew */
	if (rs->opts.quiet || rs->cache->quiet)
		return;
	TK_WARN(LIB_CHANGED, f->disk_path ? f->disk_path : f->path, tk_elfsym_changed(f->elf));
}

/* once per file, with --lines: why its DWARF gave no line at all (a
 * compressed one this libdwarf cannot read, ...); a file without DWARF
 * is no news */
static void lines_problem(struct tk_resolver *rs, struct tk_elffile *f)
{
	const char *path, *why = tk_elffile_lines_problem(f, &path);
	if (!why || !path)
		return;
	f->lines_warned = 1;
	if (rs->opts.quiet || rs->cache->quiet)
		return;
	TK_WARN(NO_LINES, path, why);
}

void tk_resolver_init(struct tk_resolver *rs, const struct tk_resolve_opts *o, struct tk_names *names,
		      struct tk_elfcache *cache, struct tk_codemap *code, struct tk_libs *libs,
		      struct tk_profile *prof)
{
	memset(rs, 0, sizeof *rs);
	rs->opts = *o;
	rs->names = names;
	rs->cache = cache;
	rs->code = code;
	rs->libs = libs;
	rs->prof = prof;
	rs->unknown = tk_names_intern(names, "UNKNOWN", 7, TK_KIND_UNKNOWN);
}

void tk_resolver_release(struct tk_resolver *rs)
{
	tk_buf_free(&rs->tmp);
	void **v[] = { (void **)&rs->dedup, (void **)&rs->skip, (void **)&rs->path_ids, (void **)&rs->rcache,
		       (void **)&rs->memo_focus, (void **)&rs->memo_ignore, (void **)&rs->memo_hide };
	for (size_t i = 0; i < sizeof v / sizeof *v; i++) {
		free(*v[i]);
		*v[i] = NULL;
	}
	rs->dedup_cap = rs->skip_cap = rs->path_cap = 0;
	rs->memo_focus_cap = rs->memo_ignore_cap = rs->memo_hide_cap = 0;
}

void tk_resolver_code_range(struct tk_resolver *rs, uint64_t start)
{
	if (rs->code_range)
		return;
	rs->code_range = start;
	rs->remap = 0;
}

void tk_resolver_builtin(struct tk_resolver *rs, uint64_t start, uint64_t size)
{
	if (!rs->blob_max || start < rs->blob_min)
		rs->blob_min = start;
	if (start + size > rs->blob_max)
		rs->blob_max = start + size;
	rs->remap = 0;
}

void tk_resolver_libs_changed(struct tk_resolver *rs)
{
	rs->remap = 0;
}

int tk_resolver_unremap(const struct tk_resolver *rs, uint64_t addr, uint64_t *logged)
{
	if (rs->remap > 0 && addr >= rs->remap_base && addr - rs->remap_base < rs->blob_max - rs->blob_min) {
		*logged = addr - rs->remap_base + rs->blob_min;
		return 1;
	}
	return 0;
}

static const struct tk_name *code_name(struct tk_resolver *rs, struct tk_code *c)
{
	if (c->display)
		return c->display;
	/* first lookup of this entry: the reference numbers equal raw names
	 * " {1}", " {2}", ... in the order entries are first hit */
	uint32_t id = c->raw->id;
	if (id >= rs->dedup_cap) {
		size_t old = rs->dedup_cap;
		tk_xgrow((void **)&rs->dedup, &rs->dedup_cap, (size_t)id + 1, sizeof *rs->dedup);
		memset(rs->dedup + old, 0, (rs->dedup_cap - old) * sizeof *rs->dedup);
	}
	uint32_t k = rs->dedup[id]++;
	struct tk_buf *b = &rs->tmp;
	tk_buf_reset(b);
	tk_buf_add(b, c->type->str, c->type->len);
	tk_buf_add(b, ": ", 2);
	tk_buf_add(b, c->raw->str, c->raw->len);
	if (k)
		tk_buf_printf(b, " {%u}", k);
	c->display = tk_names_intern(rs->names, b->p, b->len, TK_KIND_JS);
	return c->display;
}

static int from_code(struct tk_resolver *rs, struct tk_code *c, struct tk_frame *fr)
{
	fr->name = code_name(rs, c);
	fr->type = c->is_func ? TK_FRAME_JS_FUNC : TK_FRAME_JS_OTHER;
	return 1;
}

/* V8 11.3 (Node 20) copies the embedded builtins from the binary into
 * the code range and runs the copy, but logs them at their addresses in
 * the binary. The copy sits at the end of the 512 MiB code range, rounded
 * to 256 KiB (reference notes §10.4, cause 4): find it once. */
static void find_remap(struct tk_resolver *rs)
{
	rs->remap = -1;
	if (!rs->code_range || !rs->blob_max || rs->blob_max <= rs->blob_min)
		return;
	if (!tk_libs_find(rs->libs, rs->blob_min))
		return; /* builtins logged where they run (Node 22+) */
	uint64_t size = rs->blob_max - rs->blob_min;
	uint64_t gran = 256 * 1024;
	uint64_t rounded = (size + gran - 1) / gran * gran;
	uint64_t range = 512ull << 20;
	if (rounded > range || rs->code_range > UINT64_MAX - range)
		return;
	uint64_t base = rs->code_range + range - rounded;
	if (base >= rs->blob_min && base < rs->blob_max)
		return; /* the binary itself: nothing was copied */
	rs->remap_base = base;
	rs->remap = 1;
}

static int resolve_uncached(struct tk_resolver *rs, uint64_t addr, struct tk_frame *fr);

/* Stacks repeat the same return addresses over and over: remember each
 * address's frame until the code map or the libraries change. The
 * reference's {N} numbering happens on an entry's first lookup, which is
 * never a cache hit, so the cache does not change names. */
int tk_resolve_addr(struct tk_resolver *rs, uint64_t addr, struct tk_frame *fr)
{
	if (!rs->rcache)
		rs->rcache = tk_xcalloc(TK_RCACHE_SLOTS, sizeof *rs->rcache);
	uint64_t gen = (uint64_t)rs->code->gen << 32 | rs->libs->gen;
	struct tk_rcache_slot *c =
		&rs->rcache[(size_t)((addr * 0x9e3779b97f4a7c15ull) >> 52) & (TK_RCACHE_SLOTS - 1)];
	if (c->addr == addr && c->gen == gen && (c->type || c->name)) {
		fr->name = c->name;
		fr->type = (enum tk_frame_type)c->type;
		fr->lib = c->lib;
		return c->type != TK_FRAME_NONE;
	}
	int found = resolve_uncached(rs, addr, fr);
	if (!rs->libs->sorted)
		return found; /* library entries may still move (qsort) */
	c->addr = addr;
	c->gen = gen;
	c->name = fr->name;
	c->lib = fr->lib;
	c->type = fr->type;
	if (!found)
		c->name = rs->unknown; /* marks the slot as filled */
	return found;
}

static int resolve_uncached(struct tk_resolver *rs, uint64_t addr, struct tk_frame *fr)
{
	const struct tk_lib *lib = tk_libs_find(rs->libs, addr);
	struct tk_code *c;
	fr->lib = lib;
	if (lib) {
		struct tk_elfsym *elf = lib->file->elf;
		if (!lib->file->warned)
			warn_file(rs, lib);
		if (elf && lib->has_bias) {
			struct tk_sym *s = tk_elfsym_lookup(elf, addr - lib->bias);
			if (!s && tk_elfsym_changed(elf))
				file_changed(rs, lib);
			if (s) {
				if (!s->cookie) {
					const char *n = tk_demangle(&demangler, s->name);
					const char *src;
					unsigned ln;
					int have_line = rs->opts.lines &&
							tk_elffile_line(lib->file, s->start, &src, &ln);
					if (rs->opts.lines && !have_line && !lib->file->lines_warned)
						lines_problem(rs, lib->file);
					if (have_line && !tk_elfsym_changed(elf)) {
						/* the function's own position, as JS
						 * frames show theirs */
						struct tk_buf *b = &rs->tmp;
						tk_buf_reset(b);
						tk_buf_printf(b, "%s %s:%u", n, src, ln);
						n = b->p;
					}
					struct tk_name *nm = (struct tk_name *)tk_names_intern(
						rs->names, n, strlen(n), TK_KIND_CPP);
					if (!nm->frame.lib)
						nm->frame.lib = lib->name;
					s->cookie = nm;
				}
				fr->name = s->cookie;
				fr->type = TK_FRAME_CPP;
				return 1;
			}
		}
		c = tk_codemap_find(rs->code, addr);
		if (c)
			return from_code(rs, c, fr);
		fr->name = lib->name;
		fr->type = TK_FRAME_LIB;
		return 1;
	}
	c = tk_codemap_find(rs->code, addr);
	if (c)
		return from_code(rs, c, fr);
	if (rs->remap == 0)
		find_remap(rs);
	uint64_t logged;
	if (tk_resolver_unremap(rs, addr, &logged)) {
		c = tk_codemap_find(rs->code, logged);
		if (c && !c->is_func)
			return from_code(rs, c, fr);
	}
	fr->name = NULL;
	fr->type = TK_FRAME_NONE;
	return 0;
}

static int starts(const struct tk_name *n, const char *p)
{
	size_t k = strlen(p);
	return n->len >= k && memcmp(n->str, p, k) == 0;
}

static int contains(const struct tk_name *n, const char *p)
{
	return memmem(n->str, n->len, p, strlen(p)) != NULL;
}

/* The reference's --separate-* rules: names dropped from stacks. */
static int skip_name(struct tk_resolver *rs, const struct tk_name *n)
{
	if (n->id < rs->skip_cap && rs->skip[n->id])
		return rs->skip[n->id] == 2;
	const struct tk_resolve_opts *o = &rs->opts;
	int drop = 0;
	if (!o->separate_ic &&
	    (starts(n, "LoadGlobalIC: ") || contains(n, "Handler: ") || contains(n, "CallIC") ||
	     contains(n, "LoadIC") || contains(n, "StoreIC")))
		drop = 1;
	if (!o->separate_bytecodes && starts(n, "BytecodeHandler: "))
		drop = 1;
	if (!o->separate_builtins && starts(n, "Builtin: "))
		drop = 1;
	if (!o->separate_stubs && starts(n, "Stub: "))
		drop = 1;
	if (n->id >= rs->skip_cap) {
		size_t old = rs->skip_cap;
		tk_xgrow((void **)&rs->skip, &rs->skip_cap, (size_t)n->id + 1, 1);
		memset(rs->skip + old, 0, rs->skip_cap - old);
	}
	rs->skip[n->id] = drop ? 2 : 1;
	return drop;
}

/* Whether name id matches re, remembered per name (0 unknown, 1 no, 2
 * yes) in *memo, which grows with the name table. */
static int matches(struct tk_resolver *rs, const regex_t *re, uint8_t **memo, size_t *cap, uint32_t id)
{
	if (id >= *cap) {
		size_t old = *cap;
		tk_xgrow((void **)memo, cap, (size_t)id + 1, 1);
		memset(*memo + old, 0, *cap - old);
	}
	if (!(*memo)[id]) {
		const struct tk_name *n = tk_names_get(rs->names, id);
		(*memo)[id] = tk_rematch(re, n->str, n->len) ? 2 : 1;
	}
	return (*memo)[id] == 2;
}

/* pprof's meanings: --hide removes matching frames, --ignore drops a tick
 * with a matching frame, --focus keeps only ticks with one. Returns the
 * new path length. */
static size_t filter_path(struct tk_resolver *rs, uint32_t *path, size_t k, uint8_t *dropped)
{
	const struct tk_resolve_opts *o = &rs->opts;
	size_t w = 0;
	int focus_hit = 0;
	for (size_t i = 0; i < k; i++) {
		if (o->hide && matches(rs, o->hide, &rs->memo_hide, &rs->memo_hide_cap, path[i]))
			continue;
		if (o->ignore && matches(rs, o->ignore, &rs->memo_ignore, &rs->memo_ignore_cap, path[i]))
			*dropped = 1;
		if (o->focus && matches(rs, o->focus, &rs->memo_focus, &rs->memo_focus_cap, path[i]))
			focus_hit = 1;
		path[w++] = path[i];
	}
	if (o->focus && !focus_hit)
		*dropped = 1;
	return w;
}

/* Why a first frame went unnamed or was named by its library only, for
 * --verbose. */
static void note_first(uint64_t pc, int found, const struct tk_frame *fr,
		       struct tk_tick_result *r)
{
	r->why = -1;
	r->why_lib = UINT32_MAX;
	if (!found) {
		r->why = pc == 0 ? TK_WHY_PC0 : TK_WHY_NO_CODE;
	} else if (fr->type == TK_FRAME_LIB) {
		const struct tk_elffile *f = fr->lib->file;
		r->why = (int8_t)(f->pseudo ? TK_WHY_PSEUDO : f->skipped ? TK_WHY_NOT_READ :
				  !f->elf || f->changed ? TK_WHY_LIB_MISSING : TK_WHY_NO_SYMBOL);
		r->why_lib = fr->name->id;
	}
}

/* the counters a tick adds besides its path */
static void count(struct tk_resolver *rs, const struct tk_tick_result *r)
{
	struct tk_profile *p = rs->prof;
	if (r->unaccounted)
		tk_profile_add_unaccounted(p);
	if (r->entry != UINT32_MAX)
		tk_profile_add_entry(p, r->entry);
	if (r->why >= 0)
		tk_profile_add_why(p, (enum tk_why)r->why, r->why_lib);
}

/* a JS function frame as its line (and inlined frames), or mapped
 * through a source map (rs->js); at least the frame itself */
static size_t js_frames(struct tk_resolver *rs, const struct tk_frame *fr, uint64_t addr, int top, size_t k,
			size_t left)
{
	enum { MAX_INLINED = 64 };
	tk_xgrow((void **)&rs->path_ids, &rs->path_cap, k + left + MAX_INLINED + 1, sizeof *rs->path_ids);
	size_t m = rs->js.frames(rs->js.ctx, rs->names, tk_codemap_find(rs->code, addr), fr->name, addr, top,
				 rs->path_ids + k, MAX_INLINED);
	if (!m)
		rs->path_ids[k] = fr->name->id;
	return m ? m : 1;
}

void tk_resolve_tick(struct tk_resolver *rs, const uint64_t *stack, size_t n, uint64_t time,
		     uint32_t state, struct tk_tick_result *res, struct tk_frame *first)
{
	struct tk_tick_result r = { .first = UINT32_MAX, .entry = UINT32_MAX, .why_lib = UINT32_MAX,
				    .why = -1 };
	tk_xgrow((void **)&rs->path_ids, &rs->path_cap, n + 1, sizeof *rs->path_ids);
	size_t k = 0;
	const struct tk_name *last_cpp = NULL;
	int looking = 0;
	const int js_lines = rs->js.active && rs->js.active(rs->js.ctx); /* changes only at events */
	for (size_t i = 0; i < n; i++) {
		struct tk_frame fr;
		int found = tk_resolve_addr(rs, stack[i], &fr);
		if (i == 0)
			{
			note_first(stack[0], found, &fr, &r);
			if (first)
				*first = fr;
		}
		if (found) {
			if (i == 0 && (fr.type == TK_FRAME_CPP || fr.type == TK_FRAME_LIB))
				looking = 1;
			if (looking && fr.type == TK_FRAME_CPP)
				last_cpp = fr.name;
			if (skip_name(rs, fr.name))
				;
			else if (fr.type == TK_FRAME_JS_FUNC && js_lines)
				k += js_frames(rs, &fr, stack[i], i == 0, k, n - i);
			else
				rs->path_ids[k++] = fr.name->id;
		} else if (i == 0) {
			r.unaccounted = 1;
			rs->path_ids[k++] = rs->unknown->id;
		}
		if (looking && i > 0 && (!found || fr.type != TK_FRAME_CPP) && last_cpp) {
			r.entry = last_cpp->id;
			looking = 0;
		}
	}
	if (rs->opts.focus || rs->opts.ignore || rs->opts.hide)
		k = filter_path(rs, rs->path_ids, k, &r.dropped);
	if (r.dropped) {
		tk_profile_add_excluded(rs->prof);
		if (res)
			*res = r;
		return;
	}
	if (k > TK_MAX_FRAMES) {
		/* --lines: inlined frames can make a stack of 4090 frames
		 * 64 times longer; the innermost TK_MAX_FRAMES are kept, as
		 * for a logged stack over the cap (the caller counts them) */
		r.over = (uint32_t)(k - TK_MAX_FRAMES);
		k = TK_MAX_FRAMES;
	}
	count(rs, &r);
	if (k)
		r.first = rs->path_ids[0];
	tk_profile_add(rs->prof, rs->path_ids, k, time, state, r.leaves);
	if (res)
		*res = r;
}

void tk_resolve_replay(struct tk_resolver *rs, const struct tk_tick_result *res, uint64_t time,
		       uint32_t state)
{
	if (res->dropped) {
		tk_profile_add_excluded(rs->prof);
		return;
	}
	count(rs, res);
	tk_profile_replay(rs->prof, res->first, res->leaves, time, state);
}
