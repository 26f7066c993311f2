/* out_speedscope: speedscope's file of a hand-built report
 * (testreport.h) read back: distinct shared frames, one sample per tick
 * (stacks root first, every index a frame), weights = the log's interval,
 * endValue = their sum; profiles per log or merged. */
#include <stdlib.h>
#include <string.h>
#include "base/jsonread.h"
#include "suites.h"
#include "testreport.h"

static const struct tk_jr_val *get(const struct tk_jr_val *v, const char *key)
{
	const struct tk_jr_val *m = tk_jr_get(v, key);
	ck_assert_msg(m != NULL, "no member '%s'", key);
	return m;
}

static const struct tk_jr_val *frames;

static const char *frame_name(double i)
{
	ck_assert(i >= 0 && (size_t)i < frames->n);
	return get(&frames->items[(size_t)i], "name")->str;
}

static const struct tk_jr_val *load(struct tk_jr_doc *doc, const char *s, size_t len)
{
	char err[256];
	ck_assert_msg(tk_jr_parse(doc, s, len, err, sizeof err) == 0, "bad JSON: %s", err);
	ck_assert_str_eq(get(doc->root, "$schema")->str, "https://www.speedscope.app/file-format-schema.json");
	frames = get(get(doc->root, "shared"), "frames");
	ck_assert_int_eq(frames->type, TK_JR_ARR);
	/* deduplicated on name, file, line and column */
	for (size_t i = 0; i < frames->n; i++)
		for (size_t k = 0; k < i; k++) {
			const struct tk_jr_val *a = &frames->items[i], *b = &frames->items[k];
			const struct tk_jr_val *fa = tk_jr_get(a, "file"), *fb = tk_jr_get(b, "file");
			const struct tk_jr_val *la = tk_jr_get(a, "line"), *lb = tk_jr_get(b, "line");
			int same = strcmp(get(a, "name")->str, get(b, "name")->str) == 0 && !fa == !fb &&
				   (!fa || strcmp(fa->str, fb->str) == 0) && !la == !lb &&
				   (!la || (la->num == lb->num && get(a, "col")->num == get(b, "col")->num));
			ck_assert_msg(!same, "frames %zu and %zu are equal", k, i);
		}
	const struct tk_jr_val *ps = get(doc->root, "profiles");
	for (size_t p = 0; p < ps->n; p++) {
		const struct tk_jr_val *pr = &ps->items[p];
		ck_assert_str_eq(get(pr, "type")->str, "sampled");
		ck_assert_str_eq(get(pr, "unit")->str, "microseconds");
		const struct tk_jr_val *sm = get(pr, "samples"), *w = get(pr, "weights");
		ck_assert_uint_eq(sm->n, w->n);
		double sum = 0;
		for (size_t k = 0; k < sm->n; k++) {
			ck_assert_uint_gt(sm->items[k].n, 0);
			for (size_t f = 0; f < sm->items[k].n; f++)
				frame_name(sm->items[k].items[f].num);
			ck_assert(w->items[k].num > 0);
			sum += w->items[k].num;
		}
		ck_assert(get(pr, "startValue")->num == 0);
		ck_assert(get(pr, "endValue")->num == sum);
	}
	return ps;
}

/* the leaf frame's name of sample k of profile pr */
static const char *leaf(const struct tk_jr_val *pr, size_t k)
{
	const struct tk_jr_val *st = &get(pr, "samples")->items[k];
	return frame_name(st->items[st->n - 1].num);
}

START_TEST(test_speedscope_one)
{
	struct tk_test_report r;
	tk_test_report_build(&r, 1, 1, 0, 0);
	size_t len;
	char *s = tk_test_report_write(&r, tk_export_speedscope, 0, &len);
	struct tk_jr_doc doc;
	const struct tk_jr_val *ps = load(&doc, s, len);
	ck_assert_uint_eq(ps->n, 1);
	const struct tk_jr_val *pr = &ps->items[0];
	ck_assert_str_eq(get(pr, "name")->str, TK_TR_PATH1);
	ck_assert_uint_eq(get(pr, "samples")->n, 10);
	ck_assert(get(pr, "endValue")->num == 10000);
	ck_assert(get(pr, "weights")->items[3].num == 1000);
	/* main, foo, bar, the builtin, the library, C++ */
	ck_assert_uint_eq(frames->n, 6);
	const char *want[10] = { "bar", "foo", TK_TR_BUILTIN, "bar", TK_TR_CPP,
				 "bar", TK_TR_LIB, TK_TR_BUILTIN, "foo", "bar" };
	static const size_t depth[10] = { 3, 2, 4, 3, 2, 3, 3, 4, 2, 3 };
	for (size_t k = 0; k < 10; k++) {
		const struct tk_jr_val *st = &get(pr, "samples")->items[k];
		ck_assert_str_eq(leaf(pr, k), want[k]);
		ck_assert_uint_eq(st->n, depth[k]);
		ck_assert_str_eq(frame_name(st->items[0].num), "main"); /* root first */
	}
	/* frame fields: JS functions by script and 1-based position */
	const struct tk_jr_val *st = &get(pr, "samples")->items[0];
	const struct tk_jr_val *bar = &frames->items[(size_t)st->items[2].num];
	ck_assert_str_eq(get(bar, "file")->str, "/app/lib/bar.js");
	ck_assert(get(bar, "line")->num == 20 && get(bar, "col")->num == 5);
	const struct tk_jr_val *cpp = &frames->items[(size_t)get(pr, "samples")->items[4].items[1].num];
	ck_assert_str_eq(get(cpp, "file")->str, TK_TR_NODE);
	const struct tk_jr_val *push = &frames->items[(size_t)get(pr, "samples")->items[2].items[3].num];
	ck_assert_ptr_null(tk_jr_get(push, "file"));
	ck_assert_ptr_null(tk_jr_get(push, "line"));
	tk_jr_free(&doc);
	free(s);
	tk_test_report_free(&r);
}
END_TEST

START_TEST(test_speedscope_frameless)
{
	struct tk_test_report r;
	tk_test_report_build(&r, 1, 1, 1, 0);
	size_t len;
	char *s = tk_test_report_write(&r, tk_export_speedscope, 0, &len);
	struct tk_jr_doc doc;
	const struct tk_jr_val *pr = &load(&doc, s, len)->items[0];
	ck_assert_uint_eq(get(pr, "samples")->n, 11);
	ck_assert_uint_eq(get(pr, "samples")->items[10].n, 1);
	ck_assert_str_eq(leaf(pr, 10), "(garbage collector)");
	ck_assert(get(pr, "endValue")->num == 11000);
	ck_assert_uint_eq(frames->n, 7);
	tk_jr_free(&doc);
	free(s);
	tk_test_report_free(&r);
}
END_TEST

START_TEST(test_speedscope_two_isolates)
{
	struct tk_test_report r;
	tk_test_report_build(&r, 2, 1, 0, 0);
	size_t len;
	char *s = tk_test_report_write(&r, tk_export_speedscope, 0, &len);
	struct tk_jr_doc doc;
	const struct tk_jr_val *ps = load(&doc, s, len);
	ck_assert_uint_eq(ps->n, 2);
	ck_assert_str_eq(get(doc.root, "name")->str, TK_TR_PATH1 " (+1 more)");
	ck_assert_str_eq(get(&ps->items[1], "name")->str, TK_TR_PATH2);
	ck_assert_uint_eq(get(&ps->items[0], "samples")->n, 10);
	ck_assert_uint_eq(get(&ps->items[1], "samples")->n, 5);
	ck_assert(get(&ps->items[1], "weights")->items[0].num == 500);
	ck_assert(get(&ps->items[1], "endValue")->num == 2500);
	ck_assert_str_eq(leaf(&ps->items[1], 1), "qux<&>");
	/* the frames are shared: qux is the one more */
	ck_assert_uint_eq(frames->n, 7);
	tk_jr_free(&doc);
	free(s);

	s = tk_test_report_write(&r, tk_export_speedscope, 1, &len);
	ps = load(&doc, s, len);
	ck_assert_uint_eq(ps->n, 1);
	const struct tk_jr_val *pr = &ps->items[0];
	ck_assert_str_eq(get(pr, "name")->str, "2 logs merged");
	ck_assert_uint_eq(get(pr, "samples")->n, 15);
	ck_assert(get(pr, "endValue")->num == 10 * 1000 + 5 * 500);
	/* by logged time: log 2's ticks (100..500 us) first */
	ck_assert_str_eq(leaf(pr, 0), "bar");
	ck_assert_str_eq(leaf(pr, 1), "qux<&>");
	ck_assert(get(pr, "weights")->items[4].num == 500);
	ck_assert(get(pr, "weights")->items[5].num == 1000);
	tk_jr_free(&doc);
	free(s);
	tk_test_report_free(&r);
}
END_TEST

Suite *tk_suite_out_speedscope(void)
{
	Suite *s = suite_create("out_speedscope");
	TCase *tc = tcase_create("core");
	tcase_add_test(tc, test_speedscope_one);
	tcase_add_test(tc, test_speedscope_frameless);
	tcase_add_test(tc, test_speedscope_two_isolates);
	suite_add_tcase(s, tc);
	return s;
}
