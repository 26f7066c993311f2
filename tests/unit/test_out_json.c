/* out_json: the ticks/1 document of a hand-built report (testreport.h),
 * read back with jsonread: totals, VM states, the flat tables and their
 * percentages, entry points, library-level ticks, and both trees (every
 * node's total is its self plus its children's). */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "base/jsonread.h"
#include "out/format.h"
#include "suites.h"
#include "testreport.h"

static const struct tk_jr_val *get(const struct tk_jr_val *v, const char *key)
{
	const struct tk_jr_val *m = tk_jr_get(v, key);
	ck_assert_msg(m != NULL, "no member '%s'", key);
	return m;
}

static double num(const struct tk_jr_val *v, const char *key)
{
	const struct tk_jr_val *m = get(v, key);
	ck_assert_msg(m->type == TK_JR_NUM, "'%s' is no number", key);
	return m->num;
}

static const char *str(const struct tk_jr_val *v, const char *key)
{
	const struct tk_jr_val *m = get(v, key);
	ck_assert_msg(m->type == TK_JR_STR, "'%s' is no string", key);
	return m->str;
}

static const struct tk_jr_val *arr(const struct tk_jr_val *v, const char *key)
{
	const struct tk_jr_val *m = get(v, key);
	ck_assert_msg(m->type == TK_JR_ARR, "'%s' is no array", key);
	return m;
}

/* the element of array a whose "name" is name, or NULL */
static const struct tk_jr_val *named(const struct tk_jr_val *a, const char *name)
{
	for (size_t i = 0; i < a->n; i++) {
		const struct tk_jr_val *n = tk_jr_get(&a->items[i], "name");
		if (n && n->type == TK_JR_STR && strcmp(n->str, name) == 0)
			return &a->items[i];
	}
	return NULL;
}

/* total = self + the children's totals, children heaviest first;
 * returns the sum of self over the subtree */
static double check_tree(const struct tk_jr_val *node, int depth)
{
	double self = num(node, "self"), total = num(node, "total"), sum = self, kids = 0, prev = INFINITY;
	ck_assert_int_lt(depth, 64);
	const struct tk_jr_val *c = tk_jr_get(node, "children");
	if (c) {
		ck_assert_int_eq(c->type, TK_JR_ARR);
		ck_assert_uint_gt(c->n, 0);
		for (size_t i = 0; i < c->n; i++) {
			double t = num(&c->items[i], "total");
			ck_assert_msg(t <= prev, "children not heaviest first under %s", str(node, "name"));
			prev = t;
			kids += t;
			sum += check_tree(&c->items[i], depth + 1);
		}
	}
	ck_assert_msg(total == self + kids, "%s: total %g != self %g + children %g", str(node, "name"), total,
		      self, kids);
	return sum;
}

static void parse(struct tk_jr_doc *doc, const char *s, size_t len)
{
	char err[256];
	ck_assert_msg(tk_jr_parse(doc, s, len, err, sizeof err) == 0, "bad JSON: %s", err);
	ck_assert_int_eq(doc->root->type, TK_JR_OBJ);
	ck_assert_str_eq(str(doc->root, "schema"), "ticks/1");
}

static char *write_json(const struct tk_test_report *r, int merge, size_t *len)
{
	const struct tk_format *f = tk_format_with(TK_FMT_JSON);
	ck_assert_ptr_nonnull(f);
	return tk_test_report_write(r, f->write, merge, len);
}

START_TEST(test_json_totals)
{
	struct tk_test_report r;
	tk_test_report_build(&r, 1, 0, 0, 1);
	size_t len;
	char *s = write_json(&r, 0, &len);
	struct tk_jr_doc doc;
	parse(&doc, s, len);
	const struct tk_jr_val *ps = arr(doc.root, "profiles");
	ck_assert_uint_eq(ps->n, 1);
	const struct tk_jr_val *p = &ps->items[0];
	ck_assert_str_eq(str(p, "path"), TK_TR_PATH1);
	ck_assert_str_eq(str(p, "v8_version"), "11.3.244.8-node.1");
	ck_assert(num(p, "sampling_interval_us") == 1000);
	ck_assert(num(p, "first_tick_us") == 1000);
	ck_assert(num(p, "last_tick_us") == 10000);
	const struct tk_jr_val *t = get(p, "totals");
	ck_assert(num(t, "ticks") == 10);
	ck_assert(num(t, "unaccounted") == 0);
	ck_assert(num(t, "excluded") == 0);
	ck_assert(num(t, "javascript") == 8);
	ck_assert(num(t, "cpp") == 1);
	ck_assert(num(t, "shared_libraries") == 1);
	ck_assert(num(t, "gc") == 1);
	const struct tk_jr_val *vs = get(t, "vm_states");
	ck_assert_uint_eq(vs->n, 3);
	ck_assert(num(vs, "JS") == 8);
	ck_assert(num(vs, "GC") == 1);
	ck_assert(num(vs, "EXTERNAL") == 1);
	const struct tk_jr_val *ll = arr(t, "library_level");
	ck_assert_uint_eq(ll->n, 1);
	ck_assert_str_eq(str(&ll->items[0], "library"), TK_TR_LIB);
	ck_assert_str_eq(str(&ll->items[0], "reason"), "no_symbol");
	ck_assert(num(&ll->items[0], "ticks") == 1);
	tk_jr_free(&doc);
	free(s);
	tk_test_report_free(&r);
}
END_TEST

START_TEST(test_json_flat)
{
	struct tk_test_report r;
	tk_test_report_build(&r, 1, 0, 0, 1);
	size_t len;
	char *s = write_json(&r, 0, &len);
	struct tk_jr_doc doc;
	parse(&doc, s, len);
	const struct tk_jr_val *p = &arr(doc.root, "profiles")->items[0];
	const struct tk_jr_val *js = arr(p, "javascript"), *cpp = arr(p, "cpp"), *lib = arr(p, "shared_libraries");
	/* the names with self ticks: bar, foo, the builtin; C++; the library */
	ck_assert_uint_eq(js->n, 3);
	ck_assert_uint_eq(cpp->n, 1);
	ck_assert_uint_eq(lib->n, 1);
	double sum = 0;
	for (size_t k = 0; k < 3; k++) {
		const struct tk_jr_val *a = k == 0 ? js : k == 1 ? cpp : lib;
		for (size_t i = 0; i < a->n; i++) {
			double ticks = num(&a->items[i], "ticks");
			sum += ticks;
			ck_assert(fabs(num(&a->items[i], "total_pct") - round(ticks * 1000.0) / 100.0) < 1e-9);
			if (i)
				ck_assert(ticks <= num(&a->items[i - 1], "ticks"));
		}
	}
	ck_assert(sum == 10);
	/* heaviest first */
	ck_assert_str_eq(str(&js->items[0], "name"), TK_TR_BAR);
	ck_assert(num(&js->items[0], "ticks") == 4);
	ck_assert(num(&js->items[0], "total_pct") == 40);
	ck_assert(num(&js->items[0], "nonlib_pct") == 44.44); /* 4 of 9 */
	const struct tk_jr_val *bar = &js->items[0];
	ck_assert_str_eq(str(bar, "kind"), "js");
	ck_assert_str_eq(str(bar, "type"), "JS");
	ck_assert_str_eq(str(bar, "tier"), "sparkplug");
	ck_assert_str_eq(str(bar, "function"), "bar");
	ck_assert_str_eq(str(bar, "script"), "/app/lib/bar.js");
	ck_assert(num(bar, "line") == 20);
	ck_assert(num(bar, "column") == 5);
	const struct tk_jr_val *bi = named(js, TK_TR_BUILTIN);
	ck_assert_ptr_nonnull(bi);
	ck_assert_str_eq(str(bi, "type"), "Builtin");
	ck_assert_ptr_null(tk_jr_get(bi, "tier"));
	ck_assert_ptr_null(tk_jr_get(bi, "script"));
	ck_assert(num(bi, "ticks") == 2);
	ck_assert_ptr_null(named(js, TK_TR_MAIN)); /* no self ticks */
	/* C++: its library, 1 of 10, 1 of the 9 not in libraries */
	ck_assert_str_eq(str(&cpp->items[0], "name"), TK_TR_CPP);
	ck_assert_str_eq(str(&cpp->items[0], "kind"), "cpp");
	ck_assert_str_eq(str(&cpp->items[0], "library"), TK_TR_NODE);
	ck_assert(num(&cpp->items[0], "total_pct") == 10);
	ck_assert(num(&cpp->items[0], "nonlib_pct") == 11.11);
	ck_assert_str_eq(str(&lib->items[0], "kind"), "lib");
	ck_assert_ptr_null(tk_jr_get(&lib->items[0], "nonlib_pct"));
	const struct tk_jr_val *ep = arr(p, "cpp_entry_points");
	ck_assert_uint_eq(ep->n, 1);
	ck_assert_str_eq(str(&ep->items[0], "name"), TK_TR_CPP);
	ck_assert(num(&ep->items[0], "ticks") == 1);
	ck_assert(num(&ep->items[0], "cpp_pct") == 100);
	ck_assert(num(&ep->items[0], "total_pct") == 10);
	tk_jr_free(&doc);
	free(s);
	tk_test_report_free(&r);
}
END_TEST

START_TEST(test_json_trees)
{
	struct tk_test_report r;
	tk_test_report_build(&r, 1, 0, 0, 1);
	size_t len;
	char *s = write_json(&r, 0, &len);
	struct tk_jr_doc doc;
	parse(&doc, s, len);
	const struct tk_jr_val *p = &arr(doc.root, "profiles")->items[0];
	const struct tk_jr_val *td = get(p, "top_down"), *bu = get(p, "bottom_up");
	ck_assert_str_eq(str(td, "name"), "(root)");
	ck_assert(num(td, "total") == 10);
	ck_assert(num(bu, "total") == 10);
	ck_assert(check_tree(td, 0) == 10);
	ck_assert(check_tree(bu, 0) == 10);
	/* top-down: main 10 -> foo 9 (self 2) -> bar 6 (self 4) -> builtin 2 */
	const struct tk_jr_val *c = arr(td, "children");
	ck_assert_uint_eq(c->n, 1);
	const struct tk_jr_val *main_ = &c->items[0];
	ck_assert_str_eq(str(main_, "name"), TK_TR_MAIN);
	ck_assert(num(main_, "total") == 10 && num(main_, "self") == 0);
	const struct tk_jr_val *foo = named(arr(main_, "children"), TK_TR_FOO);
	ck_assert_ptr_nonnull(foo);
	ck_assert(num(foo, "total") == 9 && num(foo, "self") == 2);
	ck_assert_ptr_eq(foo, &arr(main_, "children")->items[0]);
	const struct tk_jr_val *gc = named(arr(main_, "children"), TK_TR_CPP);
	ck_assert_ptr_nonnull(gc);
	ck_assert(num(gc, "total") == 1 && num(gc, "self") == 1);
	const struct tk_jr_val *bar = named(arr(foo, "children"), TK_TR_BAR);
	ck_assert_ptr_nonnull(bar);
	ck_assert(num(bar, "total") == 6 && num(bar, "self") == 4);
	const struct tk_jr_val *push = named(arr(bar, "children"), TK_TR_BUILTIN);
	ck_assert_ptr_nonnull(push);
	ck_assert(num(push, "total") == 2 && num(push, "self") == 2);
	ck_assert_ptr_null(tk_jr_get(push, "children"));
	/* bottom-up: the first level is the self counts (as totals); a
	 * path's ticks are the self of its last node, the outermost caller */
	const struct tk_jr_val *b = arr(bu, "children");
	ck_assert_uint_eq(b->n, 5);
	const struct tk_jr_val *bbar = named(b, TK_TR_BAR);
	ck_assert_ptr_nonnull(bbar);
	ck_assert(num(bbar, "total") == 4 && num(bbar, "self") == 0);
	const struct tk_jr_val *bfoo = named(arr(bbar, "children"), TK_TR_FOO);
	ck_assert_ptr_nonnull(bfoo);
	ck_assert(num(bfoo, "total") == 4 && num(bfoo, "self") == 0);
	const struct tk_jr_val *bmain = named(arr(bfoo, "children"), TK_TR_MAIN);
	ck_assert_ptr_nonnull(bmain);
	ck_assert(num(bmain, "total") == 4 && num(bmain, "self") == 4);
	ck_assert_ptr_null(tk_jr_get(bmain, "children"));
	ck_assert_ptr_null(named(b, TK_TR_MAIN));
	tk_jr_free(&doc);
	free(s);
	tk_test_report_free(&r);
}
END_TEST

/* two logs: one profile each (the document is streamed log by log);
 * however --merge may come to shape it, the ticks add up to 15 */
START_TEST(test_json_two_isolates)
{
	for (int merge = 0; merge <= 1; merge++) {
		struct tk_test_report r;
		tk_test_report_build(&r, 2, 0, 0, 1);
		size_t len;
		char *s = write_json(&r, merge, &len);
		struct tk_jr_doc doc;
		parse(&doc, s, len);
		const struct tk_jr_val *ps = arr(doc.root, "profiles");
		double ticks = 0, td = 0;
		for (size_t i = 0; i < ps->n; i++) {
			ticks += num(get(&ps->items[i], "totals"), "ticks");
			td += check_tree(get(&ps->items[i], "top_down"), 0);
		}
		ck_assert(ticks == 15);
		ck_assert(td == 15);
		if (!merge) {
			ck_assert_uint_eq(ps->n, 2);
			ck_assert_str_eq(str(&ps->items[0], "path"), TK_TR_PATH1);
			ck_assert_str_eq(str(&ps->items[1], "path"), TK_TR_PATH2);
			const struct tk_jr_val *p2 = &ps->items[1];
			ck_assert(num(get(p2, "totals"), "ticks") == 5);
			ck_assert(num(p2, "sampling_interval_us") == 500);
			const struct tk_jr_val *qux = named(arr(p2, "javascript"), TK_TR_QUX);
			ck_assert_ptr_nonnull(qux);
			ck_assert(num(qux, "ticks") == 2);
			ck_assert(num(qux, "total_pct") == 40);
			ck_assert_str_eq(str(qux, "function"), "qux<&>");
			ck_assert_str_eq(str(qux, "tier"), "maglev");
			/* the second log's names are its own: no library rows */
			ck_assert_uint_eq(arr(p2, "shared_libraries")->n, 0);
			ck_assert_uint_eq(arr(p2, "cpp")->n, 0);
		}
		tk_jr_free(&doc);
		free(s);
		tk_test_report_free(&r);
	}
}
END_TEST

Suite *tk_suite_out_json(void)
{
	Suite *s = suite_create("out_json");
	TCase *tc = tcase_create("core");
	tcase_add_test(tc, test_json_totals);
	tcase_add_test(tc, test_json_flat);
	tcase_add_test(tc, test_json_trees);
	tcase_add_test(tc, test_json_two_isolates);
	suite_add_tcase(s, tc);
	return s;
}
