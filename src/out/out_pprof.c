/* out_pprof: pprof's profile.proto (perftools.profiles.Profile), encoded by
 * hand and gzip-compressed. What goes in:
 *   sample_type [samples/count, cpu/nanoseconds]; period_type
 *   cpu/nanoseconds, period = the sampling interval; duration_nanos = last
 *   tick - first tick; time_nanos unset (the log has no epoch);
 *   one Sample per top-down node with self ticks: locations leaf first (the
 *   isolate's root frame outermost when several isolates are not merged),
 *   values [self, self * interval]; when the isolates kept every tick
 *   (prof.samples), one Sample per (node, VM state) with label vm_state;
 *   one Location per distinct frame name (its Line: the Function and the
 *   script position), one Function per routine: a JS function's tiers
 *   and positions in its code share one Function, named by the function
 *   alone ("fib" of "JS: *fib a.js:3:10"), filename = the script,
 *   start_line = the function's line (0 for --lines frames, whose names
 *   give the line of the tick, not the function's: those of one name and
 *   script share a Function), so `pprof -list fib` shows one routine;
 *   other frames have a Function of their own named as the report names
 *   them, filename = the library (C++, library frames);
 *   each Sample carries labels of its leaf frame: kind (js, cpp, lib,
 *   unknown), and for JIT code code_type (LazyCompile, Builtin, ...) and
 *   tier (ignition, sparkplug, maglev, turbofan, turboprop) when it has one
 *   (profile.proto has no Location labels), so -tagfocus=tier=turbofan
 *   picks optimized code;
 *   one Mapping per library path (the range of the first isolate that has
 *   it), has_functions set because every frame is named already (pprof
 *   then leaves it alone); C++ and library frames point at it, address 0;
 *   the string table, "" first, invalid UTF-8 replaced by U+FFFD.
 * system_name is never equal to name: pprof "simplifies" a function whose
 * two names are equal and look like C++ (drops <...> and (...)), turning
 * "<anonymous>" into "" and merging C++ overloads. A JS function's is
 * "NAME SCRIPT:LINE:COLUMN" (or "NAME SCRIPT" for --lines frames), other
 * JIT code's the name after its type ("ArrayPush" of "Builtin:
 * ArrayPush"), C++ and library frames' "". */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>
#include "out/export.h"
#include "base/frame.h"
#include "base/hashidx.h"
#include "base/util.h"

/* profile.proto field numbers of Profile */
enum { P_SAMPLE_TYPE = 1, P_SAMPLE, P_MAPPING, P_LOCATION, P_FUNCTION, P_STRING,
       P_DURATION = 10, P_PERIOD_TYPE, P_PERIOD };

struct str {
	size_t off, len;          /* in pool */
	uint32_t frame, mapping;  /* ids keyed by this string, 0 = none */
	uint32_t jsfn, fn;        /* Function ids keyed by this string as a JS system_name / as a name */
};

/* a Location (its Line's function, line, column) and its leaf labels */
struct frame { uint32_t fn, mapping; uint64_t line, column; uint32_t kind, type, tier; };
struct func { uint32_t name, sys, file; uint64_t start_line; };
struct mapping { uint32_t file; uint64_t start, limit; size_t iso; };
struct pair { uint32_t node, state; };

struct pp {
	struct tk_buf pool, tmp;      /* string bytes; one string being cleaned */
	struct str *s;
	size_t ns, scap;
	struct tk_hashidx idx;        /* string bytes -> index into s */
	struct frame *f;
	size_t nf, fcap;
	struct func *fn;
	size_t nfn, fncap;
	uint32_t k_kind, k_type, k_tier; /* label keys */
	struct mapping *m;
	size_t nm, mcap;
	z_stream z;
	FILE *out;
	struct tk_buf b, msg, sub, pk; /* pending output; scratch messages */
	int err;                      /* errno of a failed write, -1: zlib failed */
};

static void varint(struct tk_buf *b, uint64_t v)
{
	char t[10];
	size_t n = 0;
	do {
		t[n++] = (char)((v & 0x7f) | (v > 0x7f ? 0x80 : 0));
		v >>= 7;
	} while (v);
	tk_buf_add(b, t, n);
}

static void key(struct tk_buf *b, unsigned field, unsigned wire)
{
	varint(b, (uint64_t)field << 3 | wire);
}

/* a varint field, left out when zero as proto3 does */
static void num(struct tk_buf *b, unsigned field, uint64_t v)
{
	if (v) {
		key(b, field, 0);
		varint(b, v);
	}
}

/* a length-delimited field: string, sub-message or packed repeated */
static void bytes(struct tk_buf *b, unsigned field, const void *p, size_t n)
{
	key(b, field, 2);
	varint(b, n);
	if (n)
		tk_buf_add(b, p, n);
}

/* feeds the pending output to deflate; finish ends the gzip stream */
static void flush(struct pp *p, int finish)
{
	unsigned char o[1 << 15];
	p->z.next_in = (unsigned char *)p->b.p;
	p->z.avail_in = (uInt)p->b.len;
	for (;;) {
		p->z.next_out = o;
		p->z.avail_out = sizeof o;
		int r = deflate(&p->z, finish ? Z_FINISH : Z_NO_FLUSH);
		if (r == Z_STREAM_ERROR) {
			p->err = -1;
			break;
		}
		size_t have = sizeof o - p->z.avail_out;
		if (have && fwrite(o, 1, have, p->out) != have && !p->err)
			p->err = errno ? errno : EIO;
		if (finish ? r == Z_STREAM_END : p->z.avail_out != 0)
			break;
	}
	tk_buf_reset(&p->b);
}

/* one top-level field of Profile holding the message in m */
static void top(struct pp *p, unsigned field, const struct tk_buf *m)
{
	bytes(&p->b, field, m->p, m->len);
	if (p->b.len >= 1 << 16)
		flush(p, 0);
}

/* length of the valid UTF-8 sequence at s[0..n), 0 if none */
static size_t utf8_len(const unsigned char *s, size_t n)
{
	unsigned c = s[0], k;
	uint32_t min;
	if (c < 0x80)
		return 1;
	if (c >= 0xc2 && c <= 0xdf)
		k = 2, min = 0x80;
	else if ((c & 0xf0) == 0xe0)
		k = 3, min = 0x800;
	else if (c >= 0xf0 && c <= 0xf4)
		k = 4, min = 0x10000;
	else
		return 0;
	if (n < k)
		return 0;
	uint32_t cp = c & (0x7fu >> k);
	for (unsigned i = 1; i < k; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = cp << 6 | (s[i] & 0x3f);
	}
	if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
		return 0;
	return k;
}

/* the string table index of s[0..n) (cleaned to UTF-8), added if new */
static uint32_t intern(struct pp *p, const char *s, size_t n)
{
	tk_buf_reset(&p->tmp);
	for (size_t i = 0; i < n;) {
		size_t k = utf8_len((const unsigned char *)s + i, n - i);
		if (k) {
			tk_buf_add(&p->tmp, s + i, k);
			i += k;
		} else {
			tk_buf_add(&p->tmp, "\xef\xbf\xbd", 3);
			i++;
		}
	}
	const char *t = p->tmp.p ? p->tmp.p : "";
	size_t tn = p->tmp.len;
	struct tk_hashidx_probe pr;
	uint32_t i = tk_hashidx_first(&p->idx, &pr, tk_hash(t, tn));
	for (; i != TK_HASHIDX_NONE; i = tk_hashidx_next(&p->idx, &pr)) {
		const struct str *e = &p->s[i];
		if (e->len == tn && memcmp(p->pool.p + e->off, t, tn) == 0)
			return i;
	}
	tk_xgrow((void **)&p->s, &p->scap, p->ns + 1, sizeof *p->s);
	p->s[p->ns] = (struct str){ p->pool.len, tn, 0, 0, 0, 0 };
	tk_buf_add(&p->pool, t, tn);
	tk_hashidx_add_at(&p->idx, &pr, (uint32_t)p->ns);
	return (uint32_t)p->ns++;
}

static uint32_t add_frame(struct pp *p, uint32_t name, const struct frame *f)
{
	tk_xgrow((void **)&p->f, &p->fcap, p->nf + 1, sizeof *p->f);
	p->f[p->nf++] = *f;
	p->s[name].frame = (uint32_t)p->nf;
	return (uint32_t)p->nf;
}

static uint32_t add_func(struct pp *p, const struct func *fn)
{
	tk_xgrow((void **)&p->fn, &p->fncap, p->nfn + 1, sizeof *p->fn);
	p->fn[p->nfn++] = *fn;
	return (uint32_t)p->nfn;
}

/* the Function of a JS function's frame: one per name, script and start */
static uint32_t js_func(struct pp *p, const struct tk_frame_rec *fi)
{
	tk_buf_reset(&p->sub);
	tk_buf_add(&p->sub, fi->func, fi->func_len);
	tk_buf_addc(&p->sub, ' ');
	tk_buf_add(&p->sub, fi->script, fi->script_len);
	if (fi->column) /* a function's own position; --lines frames have a tick's line */
		tk_buf_printf(&p->sub, ":%u:%u", fi->line, fi->column);
	uint32_t sys = intern(p, p->sub.p, p->sub.len);
	if (!p->s[sys].jsfn) {
		struct func fn = { .sys = sys, .start_line = fi->column ? fi->line : 0 };
		fn.name = intern(p, fi->func, fi->func_len);
		fn.file = intern(p, fi->script, fi->script_len);
		p->s[sys].jsfn = add_func(p, &fn);
	}
	return p->s[sys].jsfn;
}

/* the Location id of a frame name */
static uint32_t frame_of(struct pp *p, const struct tk_name *nm)
{
	uint32_t si = intern(p, nm->str, nm->len);
	if (p->s[si].frame)
		return p->s[si].frame;
	const struct tk_frame_rec *fi = &nm->frame;
	const char *kind = tk_frame_kind_name(fi->kind), *tier = tk_frame_tier_name(fi->tier);
	struct frame f = { .kind = intern(p, kind, strlen(kind)) };
	if (fi->type)
		f.type = intern(p, fi->type, fi->type_len);
	if (*tier)
		f.tier = intern(p, tier, strlen(tier));
	if (fi->is_func && fi->script) {
		f.fn = js_func(p, fi);
		f.line = fi->line;
		f.column = fi->column;
		return add_frame(p, si, &f);
	}
	if (!p->s[si].fn) {
		struct func fn = { .name = si };
		if (fi->func_len != nm->len)
			fn.sys = intern(p, fi->func, fi->func_len);
		if (fi->script) {
			fn.file = intern(p, fi->script, fi->script_len);
			fn.start_line = fi->line;
		} else if (fi->kind == TK_KIND_CPP && fi->lib) {
			fn.file = intern(p, fi->lib->str, fi->lib->len);
		} else if (fi->kind == TK_KIND_LIB) {
			fn.file = si;
		}
		p->s[si].fn = add_func(p, &fn);
	}
	f.fn = p->s[si].fn;
	if (fi->script) {
		f.line = fi->line;
		f.column = fi->column;
	} else if (fi->kind == TK_KIND_CPP && fi->lib) {
		f.mapping = p->s[p->fn[f.fn - 1].file].mapping;
	} else if (fi->kind == TK_KIND_LIB) {
		f.mapping = p->s[si].mapping;
	}
	return add_frame(p, si, &f);
}

/* a string label of a Sample into p->msg */
static void label(struct pp *p, uint32_t k, uint32_t v)
{
	if (!v)
		return;
	tk_buf_reset(&p->sub);
	num(&p->sub, 1, k);
	num(&p->sub, 2, v);
	bytes(&p->msg, 3, p->sub.p, p->sub.len);
}

/* one Sample: node's path leaf first, then the isolate's root frame */
static void sample(struct pp *p, const struct tk_isolate *iso, uint32_t node, uint32_t *ids,
		   uint32_t root, uint64_t count, uint64_t ns, uint32_t key_str, uint32_t state_str)
{
	const struct tk_tree *t = &iso->prof.top_down;
	tk_buf_reset(&p->pk);
	for (uint32_t k = node; k != 0; k = t->v[k].parent) {
		uint32_t nm = t->v[k].name;
		if (!ids[nm])
			ids[nm] = frame_of(p, tk_names_get(iso->names, nm));
		varint(&p->pk, ids[nm]);
	}
	if (root)
		varint(&p->pk, root);
	tk_buf_reset(&p->msg);
	bytes(&p->msg, 1, p->pk.p, p->pk.len);
	tk_buf_reset(&p->pk);
	varint(&p->pk, count);
	varint(&p->pk, count * ns);
	bytes(&p->msg, 2, p->pk.p, p->pk.len);
	if (state_str)
		label(p, key_str, state_str);
	const struct frame *leaf = &p->f[ids[t->v[node].name] - 1];
	label(p, p->k_kind, leaf->kind);
	label(p, p->k_type, leaf->type);
	label(p, p->k_tier, leaf->tier);
	top(p, P_SAMPLE, &p->msg);
}

static int cmp_pair(const void *a, const void *b)
{
	const struct pair *x = a, *y = b;
	if (x->node != y->node)
		return x->node < y->node ? -1 : 1;
	return x->state < y->state ? -1 : x->state > y->state;
}

/* the state's name in this log ("JS", "GC", ...), else its number */
static uint32_t state_string(struct pp *p, const struct tk_isolate *iso, uint32_t state)
{
	char num_text[16];
	for (int k = 0; k < TK_VM_COUNT; k++)
		if (iso->state_num[k] >= 0 && (uint32_t)iso->state_num[k] == state) {
			const char *s = tk_vmstate_name((enum tk_vmstate)k);
			return intern(p, s, strlen(s));
		}
	int n = snprintf(num_text, sizeof num_text, "%u", (unsigned)state);
	return intern(p, num_text, (size_t)n);
}

/* samples of one isolate: per (node, state) from its kept ticks, else per node */
static void isolate_samples(struct pp *p, const struct tk_isolate *iso, uint32_t root, uint64_t ns)
{
	const struct tk_profile *pr = &iso->prof;
	uint32_t *ids = tk_xcalloc(iso->names->count + 1, sizeof *ids);
	if (pr->samples) {
		struct pair *v = tk_xmalloc((pr->n_samples + 1) * sizeof *v);
		size_t n = 0;
		for (size_t i = 0; i < pr->n_samples; i++)
			if (pr->samples[i].node)
				v[n++] = (struct pair){ pr->samples[i].node, pr->samples[i].state };
		qsort(v, n, sizeof *v, cmp_pair);
		uint32_t key_str = intern(p, "vm_state", 8);
		for (size_t i = 0, k; i < n; i = k) {
			for (k = i; k < n && v[k].node == v[i].node && v[k].state == v[i].state; k++)
				;
			sample(p, iso, v[i].node, ids, root, k - i, ns, key_str,
			       state_string(p, iso, v[i].state));
		}
		free(v);
	} else {
		for (uint32_t i = 1; i < pr->top_down.n; i++)
			if (pr->top_down.v[i].self)
				sample(p, iso, i, ids, root, pr->top_down.v[i].self, ns, 0, 0);
	}
	free(ids);
}

/* one Mapping per library path; a path's ranges within its first isolate are united */
static void add_mappings(struct pp *p, const struct tk_isolate *iso, size_t index)
{
	/* in address order; the list is only sorted on demand */
	struct tk_libs *libs = (struct tk_libs *)&iso->libs;
	for (size_t i = 0; i < libs->n; i++) {
		const struct tk_lib *l = tk_libs_at(libs, i);
		uint32_t si = intern(p, l->name->str, l->name->len);
		uint32_t id = p->s[si].mapping;
		if (!id) {
			tk_xgrow((void **)&p->m, &p->mcap, p->nm + 1, sizeof *p->m);
			p->m[p->nm++] = (struct mapping){ si, l->start, l->end, index };
			p->s[si].mapping = (uint32_t)p->nm;
		} else if (p->m[id - 1].iso == index) {
			struct mapping *m = &p->m[id - 1];
			if (l->start < m->start)
				m->start = l->start;
			if (l->end > m->limit)
				m->limit = l->end;
		}
	}
}

static void value_type(struct pp *p, unsigned field, uint32_t type, uint32_t unit)
{
	tk_buf_reset(&p->msg);
	num(&p->msg, 1, type);
	num(&p->msg, 2, unit);
	top(p, field, &p->msg);
}

/* Mappings, Locations, Functions and the string table, once samples are out */
static void tables(struct pp *p)
{
	for (size_t i = 0; i < p->nm; i++) {
		const struct mapping *m = &p->m[i];
		tk_buf_reset(&p->msg);
		num(&p->msg, 1, i + 1);
		num(&p->msg, 2, m->start);
		num(&p->msg, 3, m->limit);
		num(&p->msg, 5, m->file);
		num(&p->msg, 7, 1); /* has_functions */
		top(p, P_MAPPING, &p->msg);
	}
	for (size_t i = 0; i < p->nf; i++) {
		const struct frame *f = &p->f[i];
		tk_buf_reset(&p->sub);
		num(&p->sub, 1, f->fn);
		num(&p->sub, 2, f->line);
		num(&p->sub, 3, f->column);
		tk_buf_reset(&p->msg);
		num(&p->msg, 1, i + 1);
		num(&p->msg, 2, f->mapping);
		bytes(&p->msg, 4, p->sub.p, p->sub.len);
		top(p, P_LOCATION, &p->msg);
	}
	for (size_t i = 0; i < p->nfn; i++) {
		const struct func *fn = &p->fn[i];
		tk_buf_reset(&p->msg);
		num(&p->msg, 1, i + 1);
		num(&p->msg, 2, fn->name);
		num(&p->msg, 3, fn->sys);
		num(&p->msg, 4, fn->file);
		num(&p->msg, 5, fn->start_line);
		top(p, P_FUNCTION, &p->msg);
	}
	for (size_t i = 0; i < p->ns; i++) {
		bytes(&p->b, P_STRING, p->pool.p + p->s[i].off, p->s[i].len);
		if (p->b.len >= 1 << 16)
			flush(p, 0);
	}
}

int tk_export_pprof(FILE *out, const struct tk_export *x, struct tk_diag *d)
{
	struct pp p;
	memset(&p, 0, sizeof p);
	p.out = out;
	if (deflateInit2(&p.z, Z_DEFAULT_COMPRESSION, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK) {
		tk_diag_set(d, TK_EXIT_SYSTEM, "cannot start gzip compression: %s", p.z.msg ? p.z.msg : "zlib");
		return -1;
	}
	intern(&p, "", 0);
	uint32_t cpu = intern(&p, "cpu", 3), nanos = intern(&p, "nanoseconds", 11);
	value_type(&p, P_SAMPLE_TYPE, intern(&p, "samples", 7), intern(&p, "count", 5));
	value_type(&p, P_SAMPLE_TYPE, cpu, nanos);
	p.k_kind = intern(&p, "kind", 4);
	p.k_type = intern(&p, "code_type", 9);
	p.k_tier = intern(&p, "tier", 4);
	for (size_t i = 0; i < x->n; i++)
		add_mappings(&p, x->isos[i], i);
	uint64_t period = 0, first = 0, last = 0;
	int have_time = 0;
	struct tk_buf rname = {0};
	for (size_t i = 0; i < x->n; i++) {
		const struct tk_isolate *iso = x->isos[i];
		uint64_t ns = tk_export_interval_us(iso) * 1000;
		if (!period)
			period = ns;
		if (iso->prof.have_time) {
			if (!have_time || iso->prof.first_time < first)
				first = iso->prof.first_time;
			if (!have_time || iso->prof.last_time > last)
				last = iso->prof.last_time;
			have_time = 1;
		}
		uint32_t root = 0;
		if (tk_export_isolate_root(x)) {
			tk_buf_reset(&rname);
			tk_buf_printf(&rname, "isolate %zu: %s", i + 1, iso->path);
			uint32_t name = intern(&p, rname.p, rname.len);
			if (!p.s[name].frame) {
				struct func fn = { .name = name, .file = intern(&p, iso->path, strlen(iso->path)) };
				struct frame f = { .fn = add_func(&p, &fn) };
				add_frame(&p, name, &f);
			}
			root = p.s[name].frame;
		}
		isolate_samples(&p, iso, root, ns);
	}
	tk_buf_free(&rname);
	tables(&p);
	value_type(&p, P_PERIOD_TYPE, cpu, nanos);
	num(&p.b, P_PERIOD, period);
	num(&p.b, P_DURATION, (last - first) * 1000);
	flush(&p, 1);
	deflateEnd(&p.z);
	tk_buf_free(&p.pool);
	tk_buf_free(&p.tmp);
	tk_buf_free(&p.b);
	tk_buf_free(&p.msg);
	tk_buf_free(&p.sub);
	tk_buf_free(&p.pk);
	free(p.s);
	tk_hashidx_release(&p.idx);
	free(p.f);
	free(p.fn);
	free(p.m);
	if (p.err) {
		tk_diag_set(d, TK_EXIT_SYSTEM, "error writing the pprof profile: %s",
			    p.err > 0 ? strerror(p.err) : "compression failed");
		return -1;
	}
	return 0;
}
