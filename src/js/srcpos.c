/* srcpos: script table, lazily parsed position tables, inlining chains;
 * texts and source maps are in srcpos_map.c (srcpos_int.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "base/escape.h"
#include "base/frame.h"
#include "js/srcpos_int.h"

struct tk_srcpos *tk_srcpos_new(int lines, int maps, const char *map_dir, int quiet)
{
	struct tk_srcpos *sp = tk_xcalloc(1, sizeof *sp);
	sp->lines = lines;
	sp->maps = maps;
	sp->map_dir = map_dir;
	sp->quiet = quiet;
	tk_arena_init(&sp->arena);
	return sp;
}

void tk_srcpos_free(struct tk_srcpos *sp)
{
	if (!sp)
		return;
	for (size_t i = 0; i < sp->n_scripts; i++) {
		free(sp->scripts[i].url);
		tk_srcpos_text_free(&sp->scripts[i].t);
		tk_smap_free(&sp->scripts[i].map);
	}
	for (size_t i = 0; i < sp->n_ranges; i++)
		free(sp->ranges[i].key);
	for (size_t i = 0; i < sp->n_files; i++) {
		free(sp->files[i].path);
		tk_srcpos_text_free(&sp->files[i].t);
	}
	for (size_t i = 0; i < sp->n_urls; i++)
		free(sp->urls[i].url);
	free(sp->urls);
	tk_hashidx_release(&sp->script_idx);
	tk_hashidx_release(&sp->url_idx);
	tk_hashidx_release(&sp->range_idx);
	tk_hashidx_release(&sp->file_idx);
	for (size_t i = 0; i < sp->n_msrcs; i++)
		free(sp->msrcs[i].path);
	free(sp->msrcs);
	tk_hashidx_release(&sp->msrc_idx);
	free(sp->files);
	free(sp->ranges);
	free(sp->scripts);
	free(sp->sfis);
	tk_hashidx_release(&sp->sfi_idx);
	free(sp->renamed);
	free(sp->fcache);
	tk_buf_free(&sp->b);
	tk_buf_free(&sp->b2);
	tk_arena_release(&sp->arena);
	free(sp);
}

uint64_t tk_srcpos_probes(const struct tk_srcpos *sp)
{
	return sp->script_idx.probes + sp->url_idx.probes + sp->range_idx.probes + sp->file_idx.probes +
	       sp->msrc_idx.probes + sp->sfi_idx.probes;
}

int tk_srcpos_active(const struct tk_srcpos *sp)
{
	return sp && (sp->lines || (sp->maps && sp->any_map));
}

static int script_eq(const void *ctx, uint32_t i, const void *key)
{
	const struct script *v = ctx;
	return v[i].id == *(const int64_t *)key;
}

/* the script of id (ids are unique: a repeated one replaces its script) */
static struct script *find_script(struct tk_srcpos *sp, int64_t id)
{
	uint32_t i = tk_hashidx_find(&sp->script_idx, tk_hashidx_u64((uint64_t)id), script_eq, sp->scripts, &id);
	return i == TK_HASHIDX_NONE ? NULL : &sp->scripts[i];
}

struct strkey {
	const char *s;
	size_t n;
};

static int url_eq(const void *ctx, uint32_t i, const void *key)
{
	const struct url *v = ctx;
	const struct strkey *k = key;
	return strlen(v[i].url) == k->n && memcmp(v[i].url, k->s, k->n) == 0;
}

/* the entry of url in sp->urls, added when add (else NULL) */
static struct url *url_entry(struct tk_srcpos *sp, const char *url, size_t n, int add)
{
	struct strkey k = { url, n };
	uint32_t h = tk_hash(url, n);
	uint32_t i = tk_hashidx_find(&sp->url_idx, h, url_eq, sp->urls, &k);
	if (i != TK_HASHIDX_NONE)
		return &sp->urls[i];
	if (!add)
		return NULL;
	tk_hashidx_add(&sp->url_idx, h, (uint32_t)sp->n_urls);
	tk_xgrow((void **)&sp->urls, &sp->cap_urls, sp->n_urls + 1, sizeof *sp->urls);
	struct url *u = &sp->urls[sp->n_urls++];
	u->url = dupn(url, n);
	u->latest = TK_HASHIDX_NONE;
	return u;
}

/* the latest script with that url (urls repeat: eval code) */
static struct script *script_by_url(struct tk_srcpos *sp, const char *url, size_t n)
{
	const struct url *u = url_entry(sp, url, n, 0);
	return u && u->latest != TK_HASHIDX_NONE ? &sp->scripts[u->latest] : NULL;
}

/* script i is about to lose its url: the url's latest script becomes
 * the one before it (a scan, only when a script id is reused) */
static void url_drop(struct tk_srcpos *sp, size_t i)
{
	const char *old = sp->scripts[i].url;
	struct url *u = url_entry(sp, old, strlen(old), 0);
	if (!u || u->latest != i)
		return;
	u->latest = TK_HASHIDX_NONE;
	for (size_t j = i; j > 0; j--)
		if (strcmp(sp->scripts[j - 1].url, old) == 0) {
			u->latest = (uint32_t)(j - 1);
			break;
		}
}

void tk_srcpos_script(struct tk_srcpos *sp, const struct tk_fields *f, const struct tk_ev_script *ev)
{
	int64_t id = ev->id;
	int named = sp->maps && memmem(ev->source0.s, ev->source0.n, "sourceMappingURL=", 17) != NULL;
	if (!sp->lines && !named)
		return;
	tk_buf_reset(&sp->b);
	tk_v8log_script_text(f, ev, &sp->b);
	tk_buf_add(&sp->b, "", 0);
	const char *ma, *me;
	named = named && tk_srcpos_map_comment(sp->b.p, sp->b.len, &ma, &me);
	if (!sp->lines && !named)
		return;
	struct script *s = find_script(sp, id);
	if (!s) {
		tk_xgrow((void **)&sp->scripts, &sp->cap_scripts, sp->n_scripts + 1, sizeof *sp->scripts);
		tk_hashidx_add(&sp->script_idx, tk_hashidx_u64((uint64_t)id), (uint32_t)sp->n_scripts);
		s = &sp->scripts[sp->n_scripts++];
	} else {
		url_drop(sp, (size_t)(s - sp->scripts));
		free(s->url);
		tk_srcpos_text_free(&s->t);
		tk_smap_free(&s->map);
	}
	memset(s, 0, sizeof *s);
	s->id = id;
	s->t.s = dupn(sp->b.p, sp->b.len);
	s->t.len = sp->b.len;
	s->has_map_comment = named;
	if (named)
		sp->any_map = 1;
	tk_buf_reset(&sp->b);
	tk_csv_unescape_as(ev->url.s, ev->url.n, f->dialect, &sp->b);
	tk_buf_add(&sp->b, "", 0);
	s->url = dupn(sp->b.p, sp->b.len);
	struct url *u = url_entry(sp, sp->b.p, sp->b.len, 1);
	uint32_t si = (uint32_t)(s - sp->scripts);
	if (u->latest == TK_HASHIDX_NONE || u->latest < si)
		u->latest = si;
}

static int sfi_eq(const void *ctx, uint32_t i, const void *key)
{
	const struct sfi *v = ctx;
	return v[i].addr == *(const uint64_t *)key;
}

static struct sfi *find_sfi(struct tk_srcpos *sp, uint64_t addr)
{
	uint32_t i = tk_hashidx_find(&sp->sfi_idx, tk_hashidx_u64(addr), sfi_eq, sp->sfis, &addr);
	return i == TK_HASHIDX_NONE ? NULL : &sp->sfis[i];
}

void tk_srcpos_code(struct tk_srcpos *sp, uint64_t start, uint64_t sfi, const struct tk_name *name)
{
	sp->last_code = start;
	sp->last_sfi = sfi;
	if (!sfi || !sp->lines)
		return;
	struct sfi *e = find_sfi(sp, sfi);
	if (e) {
		e->name = name;
		return;
	}
	tk_hashidx_add(&sp->sfi_idx, tk_hashidx_u64(sfi), (uint32_t)sp->n_sfis);
	tk_xgrow((void **)&sp->sfis, &sp->cap_sfis, sp->n_sfis + 1, sizeof *sp->sfis);
	e = &sp->sfis[sp->n_sfis++];
	e->addr = sfi;
	e->name = name;
	e->script = -1;
}

void tk_srcpos_code_info(struct tk_srcpos *sp, struct tk_codemap *code, const struct tk_ev_srcinfo *ev)
{
	uint64_t addr = ev->addr;
	int64_t script = ev->script, fs = ev->fstart, fe = ev->fend;
	if (addr == sp->last_code && sp->last_sfi) {
		struct sfi *e = find_sfi(sp, sp->last_sfi);
		if (e)
			e->script = script;
	}
	if (!sp->lines || ev->positions.n == 0 || script < 0)
		return;
	struct tk_code *c = tk_codemap_at(code, addr);
	if (!c || !c->is_func)
		return;
	struct tk_srcinfo *si = tk_arena_alloc(&sp->arena, sizeof *si);
	si->script = script;
	si->fstart = fs < 0 ? 0 : (uint32_t)fs;
	si->fend = fe < 0 ? 0 : (uint32_t)fe;
	si->ptext = tk_arena_strndup(&sp->arena, ev->positions.s, ev->positions.n);
	si->itext = tk_arena_strndup(&sp->arena, ev->inlining.s, ev->inlining.n);
	si->ftext = tk_arena_strndup(&sp->arena, ev->fns.s, ev->fns.n);
	c->src = si;
}

/* the number after letter c at *p ("C12" -> 12); -1 if none */
static int64_t num_after(const char **p, char c, int hex)
{
	if (**p != c)
		return -1;
	(*p)++;
	if (hex && (*p)[0] == '0' && (*p)[1] == 'x')
		*p += 2;
	int64_t v = 0;
	const char *st = *p;
	for (;; (*p)++) {
		char d = **p;
		int x = d >= '0' && d <= '9' ? d - '0' : hex && d >= 'a' && d <= 'f' ? d - 'a' + 10 : -1;
		if (x < 0 || v > (INT64_MAX >> 4))
			break;
		v = v * (hex ? 16 : 10) + x;
	}
	return *p == st ? -1 : v;
}

/* a malloc'd array moved into the arena (the table lives as long as it) */
static void *to_arena(struct tk_srcpos *sp, void *p, size_t n, size_t elem)
{
	void *q = NULL;
	if (n) {
		q = tk_arena_alloc(&sp->arena, n * elem);
		memcpy(q, p, n * elem);
	}
	free(p);
	return q;
}

static void parse_info(struct tk_srcpos *sp, struct tk_srcinfo *si)
{
	si->parsed = 1;
	size_t cap = 0;
	for (const char *p = si->ptext; *p;) {
		int64_t off = num_after(&p, 'C', 0), pos = num_after(&p, 'O', 0), inl = -1;
		if (off < 0 || pos < 0 || off > UINT32_MAX || pos > UINT32_MAX)
			break;
		if (*p == 'I')
			inl = num_after(&p, 'I', 0);
		tk_xgrow((void **)&si->pos, &cap, si->n_pos + 1, sizeof *si->pos);
		si->pos[si->n_pos++] = (struct pos){ (uint32_t)off, (uint32_t)pos, inl > INT32_MAX ? -1 : (int32_t)inl };
	}
	cap = 0;
	for (const char *p = si->itext; *p;) {
		int64_t fn = num_after(&p, 'F', 0), pos = num_after(&p, 'O', 0), parent = -1;
		if (fn < 0 || pos < 0 || fn > UINT32_MAX || pos > UINT32_MAX)
			break;
		if (*p == 'I')
			parent = num_after(&p, 'I', 0);
		tk_xgrow((void **)&si->inl, &cap, si->n_inl + 1, sizeof *si->inl);
		si->inl[si->n_inl++] = (struct inl){ (uint32_t)fn, (uint32_t)pos, parent > INT32_MAX ? -1 : (int32_t)parent };
	}
	cap = 0;
	for (const char *p = si->ftext; *p;) {
		int64_t a = num_after(&p, 'S', 1);
		if (a < 0)
			break;
		tk_xgrow((void **)&si->fns, &cap, si->n_fns + 1, sizeof *si->fns);
		si->fns[si->n_fns++] = (uint64_t)a;
	}
	/* the table is in code order as V8 writes it; the lookup relies on that */
	for (size_t i = 1; i < si->n_pos; i++)
		if (si->pos[i].off < si->pos[i - 1].off) {
			si->n_pos = i;
			break;
		}
	si->pos = to_arena(sp, si->pos, si->n_pos, sizeof *si->pos);
	si->inl = to_arena(sp, si->inl, si->n_inl, sizeof *si->inl);
	si->fns = to_arena(sp, si->fns, si->n_fns, sizeof *si->fns);
}

/* the last entry with offset <= off, or NULL */
static const struct pos *lookup(const struct tk_srcinfo *si, uint64_t off)
{
	size_t lo = 0, hi = si->n_pos;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (si->pos[mid].off <= off)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo ? &si->pos[lo - 1] : NULL;
}

static int range_eq(const void *ctx, uint32_t i, const void *key)
{
	const struct frange *v = ctx;
	const struct strkey *k = key;
	return strlen(v[i].key) == k->n && memcmp(v[i].key, k->s, k->n) == 0;
}

static uint32_t range_find(const struct tk_srcpos *sp, const char *key, size_t kn, uint32_t h)
{
	struct strkey k = { key, kn };
	/* the index counts its probes: not const, though nothing else changes */
	return tk_hashidx_find((struct tk_hashidx *)&sp->range_idx, h, range_eq, sp->ranges, &k);
}

static void add_range(struct tk_srcpos *sp, const char *key, size_t kn, unsigned first, unsigned last,
		      int64_t script)
{
	uint32_t h = tk_hash(key, kn);
	if (range_find(sp, key, kn, h) != TK_HASHIDX_NONE)
		return;
	tk_hashidx_add(&sp->range_idx, h, (uint32_t)sp->n_ranges);
	tk_xgrow((void **)&sp->ranges, &sp->cap_ranges, sp->n_ranges + 1, sizeof *sp->ranges);
	sp->ranges[sp->n_ranges++] = (struct frange){ dupn(key, kn), first, last, script };
}

/* interns "TYPE: <tier>FUNC FILE:LINE[ (inlined)]" */
static uint32_t line_name(struct tk_srcpos *sp, struct tk_names *names, const struct tk_name *outer_name,
			  const struct tk_frame_rec *fn, int inlined, struct script *s, uint32_t pos,
			  uint32_t fstart, uint32_t fend, int have_range)
{
	const struct tk_frame_rec *outer = &outer_name->frame;
	const char *file;
	unsigned line, col;
	if (!tk_srcpos_where(sp, s, pos, &file, &line, &col))
		return UINT32_MAX;
	struct tk_buf *b = &sp->b;
	tk_buf_reset(b);
	tk_buf_add(b, fn->func, fn->func_len);
	tk_buf_addc(b, '\t');
	tk_buf_adds(b, file);
	if (have_range) {
		const char *f1, *f2;
		unsigned l1, l2, c1;
		if (tk_srcpos_where(sp, s, fstart, &f1, &l1, &c1) && tk_srcpos_where(sp, s, fend ? fend - 1 : fend, &f2, &l2, &c1) &&
		    strcmp(f1, file) == 0 && strcmp(f2, file) == 0 && l1 <= l2)
			add_range(sp, b->p, b->len, l1, l2, file == s->url ? s->id : -1);
	}
	/* the record from the parts (frame.h) */
	struct tk_frame_rec r = { .kind = TK_KIND_JS, .is_func = outer->is_func, .type_len = outer->type_len,
				  .line = line, .inlined = (uint8_t)(inlined != 0),
				  .inlined_in = inlined ? outer_name : NULL };
	tk_buf_reset(b);
	tk_buf_add(b, outer->type, outer->type_len);
	tk_buf_add(b, ": ", 2);
	if (!inlined && outer->tier) {
		tk_buf_addc(b, outer->tier);
		r.tier = outer->tier;
	}
	size_t func_at = b->len;
	if (fn->func_len)
		tk_buf_add(b, fn->func, fn->func_len);
	else
		tk_buf_adds(b, "<anonymous>");
	r.func_len = (uint32_t)(b->len - func_at);
	tk_buf_addc(b, ' ');
	size_t script_at = b->len;
	tk_buf_adds(b, file);
	r.script_len = (uint32_t)(b->len - script_at);
	tk_buf_printf(b, ":%u", line);
	if (inlined)
		tk_buf_adds(b, " (inlined)");
	r.type = b->p;
	r.func = b->p + func_at;
	r.script = b->p + script_at;
	return tk_names_intern_frame(names, b->p, b->len, TK_KIND_JS, &r)->id;
}

/* the display name with its script position mapped, or NULL */
static const struct tk_name *mapped_name(struct tk_srcpos *sp, struct tk_names *names, const struct tk_name *n)
{
	if (n->id < sp->renamed_cap && sp->renamed[n->id])
		return tk_names_get(names, sp->renamed[n->id] - 1);
	const struct tk_name *r = n;
	const struct tk_frame_rec *fi = &n->frame;
	struct script *s = fi->script ? script_by_url(sp, fi->script, fi->script_len) : NULL;
	if (s && s->has_map_comment && fi->line > 0 && fi->column > 0) {
		if (!s->map_state)
			tk_srcpos_load_map(sp, s);
		const struct tk_smap_seg *g;
		if (s->map_state > 0 && tk_smap_lookup(&s->map, fi->line - 1, fi->column - 1, &g)) {
			struct tk_buf *b = &sp->b2;
			tk_buf_reset(b);
			size_t script_at = (size_t)(fi->script - n->str);
			tk_buf_add(b, n->str, script_at);
			tk_buf_adds(b, s->map.sources[g->src]);
			/* the record: n's, with the mapped position */
			struct tk_frame_rec m = *fi;
			m.script_len = (uint32_t)(b->len - script_at);
			m.line = g->oline + 1;
			m.column = g->ocol + 1;
			m.inlined = 0;
			m.inlined_in = NULL;
			tk_buf_printf(b, ":%u:%u", m.line, m.column);
			m.type = m.type ? b->p : NULL;
			m.func = b->p + (fi->func - n->str);
			m.script = b->p + script_at;
			r = tk_names_intern_frame(names, b->p, b->len, TK_KIND_JS, &m);
		}
	}
	if (n->id >= sp->renamed_cap) {
		size_t old = sp->renamed_cap;
		tk_xgrow((void **)&sp->renamed, &sp->renamed_cap, (size_t)n->id + 1, sizeof *sp->renamed);
		memset(sp->renamed + old, 0, (sp->renamed_cap - old) * sizeof *sp->renamed);
	}
	sp->renamed[n->id] = r->id + 1;
	return r;
}

static size_t frames_of(struct tk_srcpos *sp, struct tk_names *names, struct tk_srcinfo *si,
			const struct tk_name *name, uint64_t off, uint32_t *out, size_t max);

size_t tk_srcpos_frames(struct tk_srcpos *sp, struct tk_names *names, struct tk_code *c,
			const struct tk_name *name, uint64_t pc, int top, uint32_t *out, size_t max)
{
	if (!tk_srcpos_active(sp) || max == 0)
		return 0;
	struct tk_srcinfo *si = c ? c->src : NULL;
	if (!sp->lines || !si || pc < c->start) {
		if (!sp->any_map || !sp->maps)
			return 0;
		const struct tk_name *m = mapped_name(sp, names, name);
		if (m == name)
			return 0;
		out[0] = m->id;
		return 1;
	}
	if (!si->parsed)
		parse_info(sp, si);
	uint64_t off = pc - c->start;
	if (!top && c->tier != 1 && off > 0)
		off--; /* a return address: the call is before it */
	if (!sp->fcache)
		sp->fcache = tk_xcalloc(FSLOTS, sizeof *sp->fcache);
	struct fslot *slot = &sp->fcache[(size_t)((((uintptr_t)si >> 4) ^ off) * 0x9e3779b97f4a7c15ull >> 52) &
					 (FSLOTS - 1)];
	if (slot->si == si && slot->off == off && slot->n <= max) {
		memcpy(out, slot->ids, slot->n * sizeof *out);
		return slot->n;
	}
	size_t got = frames_of(sp, names, si, name, off, out, max);
	if (got <= FSLOT_FRAMES) {
		slot->si = si;
		slot->off = off;
		slot->n = (uint32_t)got;
		memcpy(slot->ids, out, got * sizeof *out);
	}
	return got;
}

/* the frames of offset off in si's code (tk_srcpos_frames, uncached) */
static size_t frames_of(struct tk_srcpos *sp, struct tk_names *names, struct tk_srcinfo *si,
			const struct tk_name *name, uint64_t off, uint32_t *out, size_t max)
{
	const struct pos *p = lookup(si, off);
	struct script *s = find_script(sp, si->script);
	if (!p || !s)
		goto plain;
	if (!name->frame.type)
		goto plain;
	size_t k = 0;
	/* the inlining chain, innermost first */
	int32_t id = p->inl;
	uint32_t pos = p->pos;
	int guard = 0;
	while (id >= 0 && (size_t)id < si->n_inl && k + 1 < max && guard++ < 64) {
		const struct inl *in = &si->inl[id];
		struct sfi *f = in->fn < si->n_fns ? find_sfi(sp, si->fns[in->fn]) : NULL;
		if (!f || !f->name)
			break; /* an unknown function: the position is not the outer one's either */
		struct script *fs = f->script >= 0 ? find_script(sp, f->script) : s;
		uint32_t x = line_name(sp, names, name, &f->name->frame, 1, fs ? fs : s, pos, 0, 0, 0);
		if (x != UINT32_MAX)
			out[k++] = x;
		pos = in->pos;
		id = in->parent;
	}
	if (id >= 0)
		goto plain;
	uint32_t x = line_name(sp, names, name, &name->frame, 0, s, pos, si->fstart, si->fend, 1);
	if (x == UINT32_MAX)
		goto plain;
	out[k++] = x;
	return k;
plain:
	if (sp->any_map && sp->maps) {
		const struct tk_name *m = mapped_name(sp, names, name);
		if (m != name) {
			out[0] = m->id;
			return 1;
		}
	}
	return 0;
}

static const struct frange *find_range(const struct tk_srcpos *sp, const char *key, size_t key_len)
{
	uint32_t i = range_find(sp, key, key_len, tk_hash(key, key_len));
	return i == TK_HASHIDX_NONE ? NULL : &sp->ranges[i];
}

int tk_srcpos_line_text(struct tk_srcpos *sp, const char *key, size_t key_len, unsigned line, const char **s,
			size_t *n)
{
	const char *tab = memchr(key, '\t', key_len);
	if (!tab)
		return 0;
	const char *file = tab + 1;
	size_t file_len = key_len - (size_t)(file - key);
	/* the script the function's code named: urls repeat (eval code) */
	const struct frange *r = find_range(sp, key, key_len);
	struct script *sc = r && r->script >= 0 ? find_script(sp, r->script) : NULL;
	if (!sc)
		sc = script_by_url(sp, file, file_len);
	if (sc && sc->t.s)
		return tk_srcpos_text_line(&sc->t, line, s, n);
	char *p = dupn(file, file_len);
	struct file *f = tk_srcpos_get_file(sp, p);
	free(p);
	return f->ok && tk_srcpos_text_line(&f->t, line, s, n);
}

void tk_srcpos_func_lines(const struct tk_srcpos *sp, const char *key, size_t key_len, unsigned *first,
			  unsigned *last)
{
	const struct frange *r = find_range(sp, key, key_len);
	if (r) {
		*first = r->first;
		*last = r->last;
	}
}
