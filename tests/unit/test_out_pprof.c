/* out_pprof: the gzipped profile.proto of a hand-built report
 * (testreport.h), gunzipped with zlib and decoded here by hand from the
 * protobuf wire format: sample values summing to the ticks, every id
 * resolving (sample -> location -> function -> string), leaf frames,
 * labels, period, duration, mappings, isolate root frames. */
#include <stdlib.h>
#include <string.h>
#include <zlib.h>
#include "suites.h"
#include "testreport.h"

enum { MAXV = 64 };

struct pb {
	const unsigned char *p, *e;
};

static uint64_t varint(struct pb *b)
{
	uint64_t v = 0;
	for (int shift = 0; shift < 64; shift += 7) {
		ck_assert_msg(b->p < b->e, "varint past the end");
		unsigned c = *b->p++;
		v |= (uint64_t)(c & 0x7f) << shift;
		if (!(c & 0x80))
			return v;
	}
	ck_abort_msg("varint over 10 bytes");
	return 0;
}

/* the next field: 1 with its number, wire type and (wire 0) value or
 * (wire 2) bytes in *sub; 0 at the end */
static int field(struct pb *b, unsigned *num, unsigned *wire, uint64_t *v, struct pb *sub)
{
	if (b->p == b->e)
		return 0;
	uint64_t k = varint(b);
	*num = (unsigned)(k >> 3);
	*wire = (unsigned)(k & 7);
	ck_assert_uint_gt(*num, 0);
	if (*wire == 0) {
		*v = varint(b);
	} else if (*wire == 2) {
		uint64_t n = varint(b);
		ck_assert_msg(n <= (uint64_t)(b->e - b->p), "length past the end");
		sub->p = b->p;
		sub->e = b->p + n;
		b->p += n;
	} else {
		ck_abort_msg("wire type %u: the writer uses only varints and bytes", *wire);
	}
	return 1;
}

/* repeated uint64: packed (wire 2) or one varint */
static size_t packed(unsigned wire, uint64_t v, struct pb *sub, uint64_t *out, size_t at)
{
	if (wire == 0) {
		ck_assert_uint_lt(at, MAXV);
		out[at++] = v;
		return at;
	}
	while (sub->p < sub->e) {
		ck_assert_uint_lt(at, MAXV);
		out[at++] = varint(sub);
	}
	return at;
}

struct sample {
	uint64_t loc[MAXV], val[4];
	size_t nloc, nval;
	uint64_t label_key[4], label_str[4];
	size_t nlabel;
};
struct loc { uint64_t id, mapping, fn, line, column; };
struct fn { uint64_t id, name, sys, file, start; };
struct map { uint64_t id, start, limit, file, has_functions; };

struct prof {
	struct sample s[MAXV];
	size_t ns;
	struct loc l[MAXV];
	size_t nl;
	struct fn f[MAXV];
	size_t nf;
	struct map m[8];
	size_t nm;
	const char *str[256];
	size_t strn[256], nstr;
	uint64_t period, duration, n_sample_types;
	unsigned char *raw;
};

static unsigned char *gunzip(const char *gz, size_t n, size_t *out_n)
{
	z_stream z;
	memset(&z, 0, sizeof z);
	ck_assert_int_eq(inflateInit2(&z, 15 + 16), Z_OK);
	size_t cap = 1 << 20;
	unsigned char *o = malloc(cap);
	z.next_in = (unsigned char *)gz;
	z.avail_in = (uInt)n;
	z.next_out = o;
	z.avail_out = (uInt)cap;
	ck_assert_int_eq(inflate(&z, Z_FINISH), Z_STREAM_END);
	ck_assert_uint_eq(z.avail_in, 0); /* one gzip member, nothing after it */
	*out_n = cap - z.avail_out;
	inflateEnd(&z);
	return o;
}

static const char *s_of(const struct prof *p, uint64_t i)
{
	ck_assert_uint_lt(i, p->nstr);
	return p->str[i];
}

static void decode(struct prof *p, const char *gz, size_t n)
{
	memset(p, 0, sizeof *p);
	ck_assert_uint_gt(n, 18);
	ck_assert(gz[0] == '\x1f' && gz[1] == '\x8b');
	size_t len;
	p->raw = gunzip(gz, n, &len);
	struct pb b = { p->raw, p->raw + len }, sub, sub2;
	unsigned num, wire, num2, wire2;
	uint64_t v, v2;
	while (field(&b, &num, &wire, &v, &sub)) {
		switch (num) {
		case 1: p->n_sample_types++; break;
		case 2: {
			ck_assert_uint_eq(wire, 2);
			ck_assert_uint_lt(p->ns, MAXV);
			struct sample *s = &p->s[p->ns++];
			while (field(&sub, &num2, &wire2, &v2, &sub2)) {
				if (num2 == 1)
					s->nloc = packed(wire2, v2, &sub2, s->loc, s->nloc);
				else if (num2 == 2)
					s->nval = packed(wire2, v2, &sub2, s->val, s->nval);
				else if (num2 == 3) {
					struct pb lb = sub2, x;
					unsigned k, w;
					uint64_t lv;
					ck_assert_uint_lt(s->nlabel, 4);
					while (field(&lb, &k, &w, &lv, &x)) {
						if (k == 1)
							s->label_key[s->nlabel] = lv;
						else if (k == 2)
							s->label_str[s->nlabel] = lv;
					}
					s->nlabel++;
				}
			}
			break;
		}
		case 3: {
			ck_assert_uint_lt(p->nm, 8);
			struct map *m = &p->m[p->nm++];
			while (field(&sub, &num2, &wire2, &v2, &sub2)) {
				if (num2 == 1) m->id = v2;
				else if (num2 == 2) m->start = v2;
				else if (num2 == 3) m->limit = v2;
				else if (num2 == 5) m->file = v2;
				else if (num2 == 7) m->has_functions = v2;
			}
			break;
		}
		case 4: {
			ck_assert_uint_lt(p->nl, MAXV);
			struct loc *l = &p->l[p->nl++];
			size_t lines = 0;
			while (field(&sub, &num2, &wire2, &v2, &sub2)) {
				if (num2 == 1) l->id = v2;
				else if (num2 == 2) l->mapping = v2;
				else if (num2 == 4) {
					struct pb lb = sub2, x;
					unsigned k, w;
					uint64_t lv;
					lines++;
					while (field(&lb, &k, &w, &lv, &x)) {
						if (k == 1) l->fn = lv;
						else if (k == 2) l->line = lv;
						else if (k == 3) l->column = lv;
					}
				}
			}
			ck_assert_uint_eq(lines, 1);
			break;
		}
		case 5: {
			ck_assert_uint_lt(p->nf, MAXV);
			struct fn *f = &p->f[p->nf++];
			while (field(&sub, &num2, &wire2, &v2, &sub2)) {
				if (num2 == 1) f->id = v2;
				else if (num2 == 2) f->name = v2;
				else if (num2 == 3) f->sys = v2;
				else if (num2 == 4) f->file = v2;
				else if (num2 == 5) f->start = v2;
			}
			break;
		}
		case 6:
			ck_assert_uint_eq(wire, 2);
			ck_assert_uint_lt(p->nstr, 256);
			p->strn[p->nstr] = (size_t)(sub.e - sub.p);
			p->str[p->nstr++] = strndup((const char *)sub.p, (size_t)(sub.e - sub.p));
			break;
		case 10: p->duration = v; break;
		case 12: p->period = v; break;
		default: break;
		}
	}
	/* strings: "" first, each once; ids: dense from 1, every reference resolves */
	ck_assert_uint_gt(p->nstr, 0);
	ck_assert_str_eq(p->str[0], "");
	for (size_t i = 0; i < p->nstr; i++)
		for (size_t k = i + 1; k < p->nstr; k++)
			ck_assert_msg(p->strn[i] != p->strn[k] || memcmp(p->str[i], p->str[k], p->strn[i]) != 0,
				      "string %zu repeated at %zu: %s", i, k, p->str[i]);
	ck_assert_uint_eq(p->n_sample_types, 2);
	for (size_t i = 0; i < p->nl; i++) {
		ck_assert_uint_eq(p->l[i].id, i + 1);
		ck_assert(p->l[i].fn >= 1 && p->l[i].fn <= p->nf);
		ck_assert_uint_le(p->l[i].mapping, p->nm);
	}
	for (size_t i = 0; i < p->nf; i++) {
		ck_assert_uint_eq(p->f[i].id, i + 1);
		ck_assert_uint_gt(p->f[i].name, 0);
		s_of(p, p->f[i].name);
		s_of(p, p->f[i].sys);
		s_of(p, p->f[i].file);
		ck_assert_uint_ne(p->f[i].name, p->f[i].sys); /* pprof would "simplify" it */
	}
	for (size_t i = 0; i < p->nm; i++) {
		ck_assert_uint_eq(p->m[i].id, i + 1);
		ck_assert_uint_eq(p->m[i].has_functions, 1);
		s_of(p, p->m[i].file);
	}
	for (size_t i = 0; i < p->ns; i++) {
		const struct sample *s = &p->s[i];
		ck_assert_uint_gt(s->nloc, 0);
		ck_assert_uint_eq(s->nval, 2);
		ck_assert_uint_gt(s->val[0], 0);
		for (size_t k = 0; k < s->nloc; k++)
			ck_assert(s->loc[k] >= 1 && s->loc[k] <= p->nl);
		for (size_t k = 0; k < s->nlabel; k++) {
			s_of(p, s->label_key[k]);
			s_of(p, s->label_str[k]);
		}
	}
}

static void release(struct prof *p)
{
	for (size_t i = 0; i < p->nstr; i++)
		free((char *)p->str[i]);
	free(p->raw);
}

static const struct fn *fn_of_loc(const struct prof *p, uint64_t loc)
{
	return &p->f[p->l[loc - 1].fn - 1];
}

static const char *loc_name(const struct prof *p, uint64_t loc)
{
	return s_of(p, fn_of_loc(p, loc)->name);
}

/* the value of label key of sample s, or NULL */
static const char *label(const struct prof *p, const struct sample *s, const char *key)
{
	for (size_t k = 0; k < s->nlabel; k++)
		if (strcmp(s_of(p, s->label_key[k]), key) == 0)
			return s_of(p, s->label_str[k]);
	return NULL;
}

/* the sample whose leaf function is named name (the first) */
static const struct sample *by_leaf(const struct prof *p, const char *name)
{
	for (size_t i = 0; i < p->ns; i++)
		if (strcmp(loc_name(p, p->s[i].loc[0]), name) == 0)
			return &p->s[i];
	return NULL;
}

static void sums(const struct prof *p, uint64_t *count, uint64_t *ns)
{
	*count = *ns = 0;
	for (size_t i = 0; i < p->ns; i++) {
		*count += p->s[i].val[0];
		*ns += p->s[i].val[1];
	}
}

static void check_one(int keep)
{
	struct tk_test_report r;
	tk_test_report_build(&r, 1, keep, 0, 0);
	size_t len;
	char *gz = tk_test_report_write(&r, tk_export_pprof, 0, &len);
	struct prof p;
	decode(&p, gz, len);
	/* one sample per leaf node (each has one VM state here) */
	ck_assert_uint_eq(p.ns, 5);
	uint64_t count, ns;
	sums(&p, &count, &ns);
	ck_assert_uint_eq(count, 10);
	ck_assert_uint_eq(ns, 10 * 1000000ull);
	ck_assert_uint_eq(p.period, 1000000);
	ck_assert_uint_eq(p.duration, 9000 * 1000ull);
	/* main, foo, bar, builtin, lib, C++: one location each */
	ck_assert_uint_eq(p.nl, 6);
	/* more strings than an index's first slots hold: still each once (decode) */
	ck_assert_uint_gt(p.nstr, 16);
	const struct sample *bar = by_leaf(&p, "bar");
	ck_assert_ptr_nonnull(bar);
	ck_assert_uint_eq(bar->val[0], 4);
	ck_assert_uint_eq(bar->nloc, 3);
	ck_assert_str_eq(loc_name(&p, bar->loc[1]), "foo");
	ck_assert_str_eq(loc_name(&p, bar->loc[2]), "main");
	const struct fn *bf = fn_of_loc(&p, bar->loc[0]);
	ck_assert_str_eq(s_of(&p, bf->file), "/app/lib/bar.js");
	ck_assert_str_eq(s_of(&p, bf->sys), "bar /app/lib/bar.js:20:5");
	ck_assert_uint_eq(bf->start, 20);
	ck_assert_uint_eq(p.l[bar->loc[0] - 1].line, 20);
	ck_assert_uint_eq(p.l[bar->loc[0] - 1].column, 5);
	ck_assert_str_eq(label(&p, bar, "kind"), "js");
	ck_assert_str_eq(label(&p, bar, "tier"), "sparkplug");
	ck_assert_str_eq(label(&p, bar, "code_type"), "JS");
	const struct sample *push = by_leaf(&p, TK_TR_BUILTIN);
	ck_assert_ptr_nonnull(push);
	ck_assert_uint_eq(push->val[0], 2);
	ck_assert_uint_eq(push->nloc, 4);
	ck_assert_str_eq(s_of(&p, fn_of_loc(&p, push->loc[0])->sys), "ArrayPush");
	ck_assert_ptr_null(label(&p, push, "tier"));
	const struct sample *cpp = by_leaf(&p, TK_TR_CPP);
	ck_assert_ptr_nonnull(cpp);
	ck_assert_uint_eq(cpp->val[0], 1);
	ck_assert_str_eq(label(&p, cpp, "kind"), "cpp");
	ck_assert_str_eq(s_of(&p, fn_of_loc(&p, cpp->loc[0])->file), TK_TR_NODE);
	const struct sample *lib = by_leaf(&p, TK_TR_LIB);
	ck_assert_ptr_nonnull(lib);
	ck_assert_str_eq(label(&p, lib, "kind"), "lib");
	/* the library frames point at their mappings */
	ck_assert_uint_eq(p.nm, 2);
	uint64_t lm = p.l[lib->loc[0] - 1].mapping, cm = p.l[cpp->loc[0] - 1].mapping;
	ck_assert_uint_gt(lm, 0);
	ck_assert_uint_gt(cm, 0);
	ck_assert_str_eq(s_of(&p, p.m[lm - 1].file), TK_TR_LIB);
	ck_assert_str_eq(s_of(&p, p.m[cm - 1].file), TK_TR_NODE);
	ck_assert_uint_eq(p.m[cm - 1].start, 0x400000);
	ck_assert_uint_eq(p.m[cm - 1].limit, 0x2400000);
	/* vm_state labels only from kept samples */
	if (keep) {
		ck_assert_str_eq(label(&p, cpp, "vm_state"), "GC");
		ck_assert_str_eq(label(&p, lib, "vm_state"), "EXTERNAL");
		ck_assert_str_eq(label(&p, bar, "vm_state"), "JS");
	} else {
		ck_assert_ptr_null(label(&p, bar, "vm_state"));
	}
	release(&p);
	free(gz);
	tk_test_report_free(&r);
}

START_TEST(test_pprof_one)
{
	check_one(0);
}
END_TEST

START_TEST(test_pprof_one_samples)
{
	check_one(1);
}
END_TEST

/* the frameless tick is in no Sample (no location to give it) */
START_TEST(test_pprof_frameless)
{
	struct tk_test_report r;
	tk_test_report_build(&r, 1, 1, 1, 0);
	size_t len;
	char *gz = tk_test_report_write(&r, tk_export_pprof, 0, &len);
	struct prof p;
	decode(&p, gz, len);
	uint64_t count, ns;
	sums(&p, &count, &ns);
	ck_assert_uint_eq(count, 10);
	ck_assert_uint_eq(p.duration, 10000 * 1000ull);
	release(&p);
	free(gz);
	tk_test_report_free(&r);
}
END_TEST

START_TEST(test_pprof_two_isolates)
{
	struct tk_test_report r;
	tk_test_report_build(&r, 2, 0, 0, 0);
	size_t len;
	char *gz = tk_test_report_write(&r, tk_export_pprof, 0, &len);
	struct prof p;
	decode(&p, gz, len);
	uint64_t count, ns;
	sums(&p, &count, &ns);
	ck_assert_uint_eq(count, 15);
	ck_assert_uint_eq(ns, 10 * 1000000ull + 5 * 500000ull);
	ck_assert_uint_eq(p.ns, 7);
	uint64_t per[2] = { 0, 0 };
	for (size_t i = 0; i < p.ns; i++) {
		const struct sample *s = &p.s[i];
		const char *root = loc_name(&p, s->loc[s->nloc - 1]);
		int k = strcmp(root, "isolate 1: " TK_TR_PATH1) == 0 ? 0 :
			strcmp(root, "isolate 2: " TK_TR_PATH2) == 0 ? 1 : -1;
		ck_assert_msg(k >= 0, "sample rooted at %s", root);
		per[k] += s->val[0];
		ck_assert_str_eq(loc_name(&p, s->loc[s->nloc - 2]), "main");
		ck_assert_uint_eq(s->val[1], s->val[0] * (k ? 500000 : 1000000));
	}
	ck_assert_uint_eq(per[0], 10);
	ck_assert_uint_eq(per[1], 5);
	release(&p);
	free(gz);

	gz = tk_test_report_write(&r, tk_export_pprof, 1, &len);
	decode(&p, gz, len);
	sums(&p, &count, &ns);
	ck_assert_uint_eq(count, 15);
	for (size_t i = 0; i < p.ns; i++)
		ck_assert_str_eq(loc_name(&p, p.s[i].loc[p.s[i].nloc - 1]), "main");
	/* equal stacks share their locations; values are not summed across logs */
	ck_assert_uint_eq(p.nl, 7);
	release(&p);
	free(gz);
	tk_test_report_free(&r);
}
END_TEST

Suite *tk_suite_out_pprof(void)
{
	Suite *s = suite_create("out_pprof");
	TCase *tc = tcase_create("core");
	tcase_add_test(tc, test_pprof_one);
	tcase_add_test(tc, test_pprof_one_samples);
	tcase_add_test(tc, test_pprof_frameless);
	tcase_add_test(tc, test_pprof_two_isolates);
	suite_add_tcase(s, tc);
	return s;
}
