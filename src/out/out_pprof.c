/* out_pprof: pprof's profile.proto (perftools.profiles.Profile), encoded by
 * hand and gzip-compressed. What goes in:
 *   sample_type [samples/count, cpu/nanoseconds]; period_type
 *   cpu/nanoseconds, period = the sampling interval; duration_nanos = last
 *   tick - first tick; time_nanos unset (the log has no epoch);
 *   one Sample per top-down node with self ticks: locations leaf first (the
 *   isolate's root frame outermost when several isolates are not merged),
 *   values [self, self * interval]; when the isolates kept every tick
 *   (prof.samples), one Sample per (node, VM state) with label vm_state;
 *   one Location and one Function per distinct frame name, same id:
 *   Function.name = the printed name, filename = the script (JS with a
 *   position) or the library (C++ library, library frames), start_line and
 *   Line.line/column = the script position; a --lines frame
 *   ("JS: *f a.js:12") is Function "JS: *f a.js", start_line 0, Line.line
 *   12, so pprof's -list and -lines see one function with lines;
 *   one Mapping per library path (the range of the first isolate that has
 *   it), has_functions set because every frame is named already (pprof
 *   then leaves it alone); C++ and library frames point at it, address 0;
 *   the string table, "" first, invalid UTF-8 replaced by U+FFFD.
 * system_name is the bare function ("foo" of "JS: *foo a.js:1:1"), ""
 * when that is the whole name (C++, libraries): pprof "simplifies" a
 * function whose two names are equal and look like C++ (drops <...> and
 * (...)), turning "JS: *<anonymous> a.js:1:1" into "JS: * a.js:1:1" and
 * merging C++ overloads, so pprof would no longer match the report. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>
#include "out/export.h"
#include "base/frame.h"
#include "base/util.h"

/* profile.proto field numbers of Profile */
enum { P_SAMPLE_TYPE = 1, P_SAMPLE, P_MAPPING, P_LOCATION, P_FUNCTION, P_STRING,
       P_DURATION = 10, P_PERIOD_TYPE, P_PERIOD };

struct str {
	size_t off, len;          /* in pool */
	uint32_t frame, mapping;  /* ids keyed by this string, 0 = none */
};

struct frame { uint32_t name, sys, file, mapping; uint64_t line, column; int line_only; };
struct mapping { uint32_t file; uint64_t start, limit; size_t iso; };
struct pair { uint32_t node, state; };

struct pp {
	struct tk_buf pool, tmp;      /* string bytes; one string being cleaned */
	struct str *s;
	size_t ns, scap;
	uint32_t *hash;               /* string index + 1, 0 = empty */
	size_t hmask;
	struct frame *f;
	size_t nf, fcap;
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
	if (2 * (p->ns + 1) > p->hmask) {
		size_t cap = p->hmask ? 2 * (p->hmask + 1) : 1024;
		free(p->hash);
		p->hash = tk_xcalloc(cap, sizeof *p->hash);
		p->hmask = cap - 1;
		for (size_t i = 0; i < p->ns; i++) {
			size_t h = tk_hash(p->pool.p + p->s[i].off, p->s[i].len) & p->hmask;
			while (p->hash[h])
				h = (h + 1) & p->hmask;
			p->hash[h] = (uint32_t)i + 1;
		}
	}
	size_t h = tk_hash(t, tn) & p->hmask;
	for (; p->hash[h]; h = (h + 1) & p->hmask) {
		const struct str *e = &p->s[p->hash[h] - 1];
		if (e->len == tn && memcmp(p->pool.p + e->off, t, tn) == 0)
			return p->hash[h] - 1;
	}
	tk_xgrow((void **)&p->s, &p->scap, p->ns + 1, sizeof *p->s);
	p->s[p->ns] = (struct str){ p->pool.len, tn, 0, 0 };
	tk_buf_add(&p->pool, t, tn);
	p->hash[h] = (uint32_t)p->ns + 1;
	return (uint32_t)p->ns++;
}

static uint32_t add_frame(struct pp *p, const struct frame *f)
{
	tk_xgrow((void **)&p->f, &p->fcap, p->nf + 1, sizeof *p->f);
	p->f[p->nf++] = *f;
	p->s[f->name].frame = (uint32_t)p->nf;
	return (uint32_t)p->nf;
}

/* the Location/Function id of a frame name */
static uint32_t frame_of(struct pp *p, const struct tk_name *nm)
{
	uint32_t si = intern(p, nm->str, nm->len);
	if (p->s[si].frame)
		return p->s[si].frame;
	const struct tk_frame_rec *fi = &nm->frame;
	struct frame f = { .name = si };
	if (fi->func_len != nm->len)
		f.sys = intern(p, fi->func, fi->func_len);
	if (fi->script) {
		f.file = intern(p, fi->script, fi->script_len);
		f.line = fi->line;
		f.column = fi->column;
		if (fi->is_func && !fi->column) { /* --lines: one line of the function */
			f.name = intern(p, nm->str, (size_t)(fi->script + fi->script_len - nm->str));
			f.line_only = 1;
		}
	} else if (fi->kind == TK_KIND_CPP && nm->frame.lib) {
		f.file = intern(p, nm->frame.lib->str, nm->frame.lib->len);
		f.mapping = p->s[f.file].mapping;
	} else if (fi->kind == TK_KIND_LIB) {
		f.file = si;
		f.mapping = p->s[si].mapping;
	}
	return add_frame(p, &f);
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
	if (state_str) {
		tk_buf_reset(&p->sub);
		num(&p->sub, 1, key_str);
		num(&p->sub, 2, state_str);
		bytes(&p->msg, 3, p->sub.p, p->sub.len);
	}
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
		num(&p->sub, 1, i + 1);
		num(&p->sub, 2, f->line);
		num(&p->sub, 3, f->column);
		tk_buf_reset(&p->msg);
		num(&p->msg, 1, i + 1);
		num(&p->msg, 2, f->mapping);
		bytes(&p->msg, 4, p->sub.p, p->sub.len);
		top(p, P_LOCATION, &p->msg);
		tk_buf_reset(&p->msg);
		num(&p->msg, 1, i + 1);
		num(&p->msg, 2, f->name);
		num(&p->msg, 3, f->sys);
		num(&p->msg, 4, f->file);
		num(&p->msg, 5, f->line_only ? 0 : f->line);
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
			struct frame f = { .name = intern(&p, rname.p, rname.len) };
			f.file = intern(&p, iso->path, strlen(iso->path));
			root = p.s[f.name].frame ? p.s[f.name].frame : add_frame(&p, &f);
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
	free(p.hash);
	free(p.f);
	free(p.m);
	if (p.err) {
		tk_diag_set(d, TK_EXIT_SYSTEM, "error writing the pprof profile: %s",
			    p.err > 0 ? strerror(p.err) : "compression failed");
		return -1;
	}
	return 0;
}
