/* testreport: the hand-built report of testreport.h. */
#include <stdlib.h>
#include <string.h>
#include "suites.h"
#include "testreport.h"

static uint32_t intern(struct tk_test_report *r, const char *s, enum tk_kind kind)
{
	return tk_names_intern(&r->names, s, strlen(s), kind)->id;
}

void tk_test_report_tick(struct tk_isolate *iso, const uint32_t *path, size_t n, uint64_t time,
			 enum tk_vmstate st)
{
	/* isolate.c's tick handler: the counters of every tick in range */
	struct tk_profile *p = &iso->prof;
	uint32_t state = (uint32_t)iso->state_num[st];
	ck_assert_int_ge(iso->state_num[st], 0);
	tk_profile_count_tick(p, time, state, st == TK_VM_GC);
	/* resolve.c: the counts besides the path, then the path innermost
	 * first */
	uint32_t inner[16];
	ck_assert_uint_le(n, 16);
	for (size_t i = 0; i < n; i++)
		inner[i] = path[n - 1 - i];
	if (n) {
		const struct tk_name *first = tk_names_get(iso->names, inner[0]);
		if (first->kind == TK_KIND_CPP)
			tk_profile_add_entry(p, inner[0]);
		else if (first->kind == TK_KIND_LIB)
			tk_profile_add_why(p, TK_WHY_NO_SYMBOL, inner[0]);
	}
	uint32_t leaves[2];
	tk_profile_add(p, inner, n, time, state, leaves);
}

static void make_isolate(struct tk_test_report *r, size_t i, const char *path)
{
	struct tk_isolate *iso = &r->iso[i];
	tk_isolate_init(iso, path, &r->opts, &r->names, &r->cache);
	tk_isolate_set_version(iso, 11, 3, 244, 8);
	snprintf(iso->v8_text, sizeof iso->v8_text, "11.3.244.8-node.1");
	snprintf(iso->platform, sizeof iso->platform, "linux");
	r->isos[i] = iso;
}

void tk_test_report_build(struct tk_test_report *r, size_t n, int keep, int frameless, int for_json)
{
	memset(r, 0, sizeof *r);
	ck_assert(n >= 1 && n <= 2);
	r->n = n;
	tk_names_init(&r->names);
	tk_opts_default(&r->opts);
	r->opts.keep_samples = keep;
	r->opts.no_source_maps = 1;
	r->opts.quiet = 1;
	r->opts.no_symbols = 1;
	tk_elfcache_init(&r->cache, NULL);
	r->cache.quiet = 1;
	r->cache.no_symbols = 1;
	r->main = intern(r, TK_TR_MAIN, TK_KIND_JS);
	r->foo = intern(r, TK_TR_FOO, TK_KIND_JS);
	r->bar = intern(r, TK_TR_BAR, TK_KIND_JS);
	r->builtin = intern(r, TK_TR_BUILTIN, TK_KIND_JS);
	r->lib = intern(r, TK_TR_LIB, TK_KIND_LIB);
	r->cpp = intern(r, TK_TR_CPP, TK_KIND_CPP);
	r->qux = intern(r, TK_TR_QUX, TK_KIND_JS);
	/* resolve.c: a C++ name records the library it was found in */
	struct tk_name *cpp = (struct tk_name *)tk_names_get(&r->names, r->cpp);
	cpp->frame.lib = tk_names_intern(&r->names, TK_TR_NODE, strlen(TK_TR_NODE), TK_KIND_LIB);

	make_isolate(r, 0, TK_TR_PATH1);
	struct tk_isolate *a = &r->iso[0];
	a->interval_us = 1000;
	tk_libs_add(&a->libs, &r->cache, cpp->frame.lib, 0x400000, 0x2400000);
	tk_libs_add(&a->libs, &r->cache, tk_names_get(&r->names, r->lib), 0x7f0000000000, 0x7f0000200000);
	const uint32_t bar[] = { r->main, r->foo, r->bar };
	const uint32_t push[] = { r->main, r->foo, r->bar, r->builtin };
	const uint32_t foo[] = { r->main, r->foo };
	const uint32_t lib[] = { r->main, r->foo, r->lib };
	const uint32_t gc[] = { r->main, r->cpp };
	/* interleaved in time, as a log would have them */
	tk_test_report_tick(a, bar, 3, 1000, TK_VM_JS);
	tk_test_report_tick(a, foo, 2, 2000, TK_VM_JS);
	tk_test_report_tick(a, push, 4, 3000, TK_VM_JS);
	tk_test_report_tick(a, bar, 3, 4000, TK_VM_JS);
	tk_test_report_tick(a, gc, 2, 5000, TK_VM_GC);
	tk_test_report_tick(a, bar, 3, 6000, TK_VM_JS);
	tk_test_report_tick(a, lib, 3, 7000, TK_VM_EXTERNAL);
	tk_test_report_tick(a, push, 4, 8000, TK_VM_JS);
	tk_test_report_tick(a, foo, 2, 9000, TK_VM_JS);
	tk_test_report_tick(a, bar, 3, 10000, TK_VM_JS);
	if (frameless)
		tk_test_report_tick(a, NULL, 0, 11000, TK_VM_GC);

	if (n == 2) {
		make_isolate(r, 1, TK_TR_PATH2);
		struct tk_isolate *b = &r->iso[1];
		b->interval_us = 500;
		const uint32_t qux[] = { r->main, r->qux };
		tk_test_report_tick(b, bar, 3, 100, TK_VM_JS);
		tk_test_report_tick(b, qux, 2, 200, TK_VM_JS);
		tk_test_report_tick(b, bar, 3, 300, TK_VM_JS);
		tk_test_report_tick(b, qux, 2, 400, TK_VM_JS);
		tk_test_report_tick(b, bar, 3, 500, TK_VM_JS);
	}
	for (size_t i = 0; i < n; i++) {
		if (for_json)
			tk_profile_finish(&r->iso[i].prof);
		else
			tk_isolate_shrink(&r->iso[i]);
	}
}

void tk_test_report_free(struct tk_test_report *r)
{
	for (size_t i = 0; i < r->n; i++)
		tk_isolate_release(&r->iso[i]);
	tk_elfcache_release(&r->cache);
	tk_names_release(&r->names);
}

char *tk_test_report_write(const struct tk_test_report *r,
			   int (*w)(FILE *, const struct tk_export *, struct tk_diag *), int merge, size_t *len)
{
	char *buf = NULL;
	size_t n = 0;
	FILE *f = open_memstream(&buf, &n);
	ck_assert_ptr_nonnull(f);
	struct tk_export x = { r->isos, r->n, merge };
	struct tk_diag d;
	memset(&d, 0, sizeof d);
	int rc = w(f, &x, &d);
	ck_assert_int_eq(fclose(f), 0);
	ck_assert_msg(rc == 0, "writer failed: %s", d.msg);
	*len = n;
	return buf;
}

size_t tk_test_count(const char *hay, size_t n, const char *needle)
{
	size_t k = 0, m = strlen(needle);
	for (const char *p = hay, *e = hay + n; p + m <= e;) {
		const char *q = memmem(p, (size_t)(e - p), needle, m);
		if (!q)
			break;
		k++;
		p = q + m;
	}
	return k;
}
