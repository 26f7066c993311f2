/* out_html: the flame graph page of a hand-built report (testreport.h):
 * the page's frame (doctype, canvas, the data element, the script), the
 * path escaped in the HTML, no raw '<' in the embedded data, and the data
 * read back with jsonread: counts, names with '<' and '&' intact, kinds,
 * and the pre-order node array (self ticks summing to the shown total,
 * children heaviest first). */
#include <stdlib.h>
#include <string.h>
#include "base/jsonread.h"
#include "suites.h"
#include "testreport.h"

#define DATA_OPEN "<script type=\"application/json\" id=\"tk-data\">\n"

struct page {
	char *html;
	size_t len;
	struct tk_jr_doc doc;
	const struct tk_jr_val *names, *kinds, *name_kinds, *nodes;
};

static const struct tk_jr_val *get(const struct tk_jr_val *v, const char *key)
{
	const struct tk_jr_val *m = tk_jr_get(v, key);
	ck_assert_msg(m != NULL, "no member '%s'", key);
	return m;
}

static void load(struct page *pg, const struct tk_test_report *r, int merge)
{
	memset(pg, 0, sizeof *pg);
	pg->html = tk_test_report_write(r, tk_export_html, merge, &pg->len);
	const char *h = pg->html;
	ck_assert_msg(strncmp(h, "<!DOCTYPE html>\n<html", 21) == 0, "no doctype");
	ck_assert_msg(pg->len > 8 && strcmp(h + pg->len - 8, "</html>\n") == 0, "no </html> at the end");
	ck_assert_uint_eq(tk_test_count(h, pg->len, "<canvas id=\"fg\">"), 1);
	ck_assert_uint_eq(tk_test_count(h, pg->len, DATA_OPEN), 1);
	ck_assert_uint_eq(tk_test_count(h, pg->len, "<body"), 1);
	ck_assert_uint_eq(tk_test_count(h, pg->len, "</body>"), 1);
	ck_assert_uint_eq(tk_test_count(h, pg->len, "<script"), tk_test_count(h, pg->len, "</script>"));
	/* the data: up to the next "</script>", with no '<' in it at all */
	const char *d = strstr(h, DATA_OPEN) + strlen(DATA_OPEN);
	const char *e = strstr(d, "</script>");
	ck_assert_ptr_nonnull(e);
	ck_assert_ptr_null(memchr(d, '<', (size_t)(e - d)));
	char err[256];
	ck_assert_msg(tk_jr_parse(&pg->doc, d, (size_t)(e - d), err, sizeof err) == 0, "bad data: %s", err);
	const struct tk_jr_val *root = pg->doc.root;
	ck_assert_str_eq(get(root, "format")->str, "ticks-flamegraph-1");
	pg->names = get(root, "names");
	pg->kinds = get(root, "kinds");
	pg->name_kinds = get(root, "nameKinds");
	pg->nodes = get(root, "nodes");
	ck_assert_uint_eq(pg->names->n, pg->name_kinds->n);
	ck_assert_uint_eq(pg->names->n, get(root, "frames")->n);
	ck_assert_uint_eq(pg->nodes->n % 3, 0);
	ck_assert_uint_gt(pg->nodes->n, 0);
	for (size_t i = 0; i < pg->name_kinds->n; i++)
		ck_assert(pg->name_kinds->items[i].num < (double)pg->kinds->n);
}

static void unload(struct page *pg)
{
	tk_jr_free(&pg->doc);
	free(pg->html);
}

static const char *name_of(const struct page *pg, size_t node)
{
	size_t i = (size_t)pg->nodes->items[3 * node].num;
	ck_assert_uint_lt(i, pg->names->n);
	return pg->names->items[i].str;
}

static const char *kind_of(const struct page *pg, size_t node)
{
	size_t i = (size_t)pg->nodes->items[3 * node].num;
	return pg->kinds->items[(size_t)pg->name_kinds->items[i].num].str;
}

/* walks the subtree at *at (pre-order): its total; children heaviest
 * first; *at ends past it */
static double walk(const struct page *pg, size_t *at, size_t depth)
{
	ck_assert_uint_lt(*at * 3, pg->nodes->n);
	ck_assert_uint_lt(depth, 64);
	size_t me = *at;
	double total = pg->nodes->items[3 * me + 1].num, prev = 1e300;
	size_t kids = (size_t)pg->nodes->items[3 * me + 2].num;
	++*at;
	for (size_t k = 0; k < kids; k++) {
		double t = walk(pg, at, depth + 1);
		ck_assert_msg(t <= prev, "children of %s not heaviest first", name_of(pg, me));
		prev = t;
		total += t;
	}
	return total;
}

/* the node under parent (pre-order index) named name, or 0 */
static size_t child(const struct page *pg, size_t parent, const char *name)
{
	size_t at = parent + 1, kids = (size_t)pg->nodes->items[3 * parent + 2].num;
	for (size_t k = 0; k < kids; k++) {
		if (strcmp(name_of(pg, at), name) == 0)
			return at;
		size_t end = at;
		walk(pg, &end, 0);
		at = end;
	}
	return 0;
}

static double total_of(const struct page *pg, size_t node)
{
	return walk(pg, &node, 0);
}

START_TEST(test_html_one)
{
	struct tk_test_report r;
	tk_test_report_build(&r, 1, 0, 0, 0);
	struct page pg;
	load(&pg, &r, 0);
	/* the path is escaped where it is HTML, and only stored in the data */
	ck_assert_uint_eq(tk_test_count(pg.html, pg.len, TK_TR_PATH1), 0);
	ck_assert_uint_eq(tk_test_count(pg.html, pg.len, "<title>ticks: /tmp/a&lt;&amp;&gt;.log</title>"), 1);
	ck_assert_uint_eq(tk_test_count(pg.html, pg.len, "Heap::Collect\\u003cint&>"), 1);
	const struct tk_jr_val *root = pg.doc.root;
	ck_assert(get(root, "ticks")->num == 10);
	ck_assert(get(root, "total")->num == 10);
	ck_assert(get(root, "frameless")->num == 0);
	ck_assert_int_eq(get(root, "merged")->type, TK_JR_FALSE);
	ck_assert_str_eq(get(&get(root, "paths")->items[0], "path")->str, TK_TR_PATH1);
	/* all, main, foo, bar, builtin, lib, C++ */
	ck_assert_uint_eq(pg.nodes->n / 3, 7);
	size_t at = 0;
	ck_assert(walk(&pg, &at, 0) == 10);
	ck_assert_uint_eq(at, 7);
	ck_assert_str_eq(name_of(&pg, 0), "all");
	size_t m = child(&pg, 0, TK_TR_MAIN), f = child(&pg, m, TK_TR_FOO), b = child(&pg, f, TK_TR_BAR);
	ck_assert_uint_gt(m, 0);
	ck_assert_uint_gt(f, 0);
	ck_assert_uint_gt(b, 0);
	ck_assert(total_of(&pg, m) == 10);
	ck_assert(total_of(&pg, f) == 9);
	ck_assert(total_of(&pg, b) == 6);
	ck_assert(pg.nodes->items[3 * b + 1].num == 4);
	size_t push = child(&pg, b, TK_TR_BUILTIN), cpp = child(&pg, m, TK_TR_CPP), lib = child(&pg, f, TK_TR_LIB);
	ck_assert_uint_gt(push, 0);
	ck_assert_uint_gt(cpp, 0);
	ck_assert_uint_gt(lib, 0);
	ck_assert_str_eq(kind_of(&pg, m), "ignition");
	ck_assert_str_eq(kind_of(&pg, f), "turbofan");
	ck_assert_str_eq(kind_of(&pg, b), "sparkplug");
	ck_assert_str_eq(kind_of(&pg, push), "builtin");
	ck_assert_str_eq(kind_of(&pg, cpp), "gc"); /* a C++ name in V8's heap */
	ck_assert_str_eq(kind_of(&pg, lib), "lib");
	/* a JS function's frame record: [tier, function, script, line, column] */
	size_t bi = (size_t)pg.nodes->items[3 * b].num;
	const struct tk_jr_val *fr = &get(root, "frames")->items[bi];
	ck_assert_int_eq(fr->type, TK_JR_ARR);
	ck_assert_uint_eq(fr->n, 5);
	ck_assert_str_eq(fr->items[0].str, "^");
	ck_assert_str_eq(fr->items[1].str, "bar");
	ck_assert_str_eq(fr->items[2].str, "/app/lib/bar.js");
	ck_assert(fr->items[3].num == 20 && fr->items[4].num == 5);
	unload(&pg);
	tk_test_report_free(&r);
}
END_TEST

/* a frameless tick is counted, not drawn */
START_TEST(test_html_frameless)
{
	struct tk_test_report r;
	tk_test_report_build(&r, 1, 0, 1, 0);
	struct page pg;
	load(&pg, &r, 0);
	ck_assert(get(pg.doc.root, "ticks")->num == 11);
	ck_assert(get(pg.doc.root, "total")->num == 10);
	ck_assert(get(pg.doc.root, "frameless")->num == 1);
	size_t at = 0;
	ck_assert(walk(&pg, &at, 0) == 10);
	unload(&pg);
	tk_test_report_free(&r);
}
END_TEST

START_TEST(test_html_two_isolates)
{
	struct tk_test_report r;
	tk_test_report_build(&r, 2, 0, 0, 0);
	struct page pg;
	load(&pg, &r, 0);
	ck_assert(get(pg.doc.root, "ticks")->num == 15);
	ck_assert_uint_eq(tk_test_count(pg.html, pg.len, "ticks: /tmp/a&lt;&amp;&gt;.log, " TK_TR_PATH2), 1);
	size_t at = 0;
	ck_assert(walk(&pg, &at, 0) == 15);
	ck_assert_uint_eq(at, pg.nodes->n / 3);
	size_t i1 = child(&pg, 0, "isolate 1: " TK_TR_PATH1), i2 = child(&pg, 0, "isolate 2: " TK_TR_PATH2);
	ck_assert_uint_gt(i1, 0);
	ck_assert_uint_gt(i2, 0);
	ck_assert(total_of(&pg, i1) == 10);
	ck_assert(total_of(&pg, i2) == 5);
	ck_assert_str_eq(kind_of(&pg, i1), "isolate");
	size_t q = child(&pg, child(&pg, i2, TK_TR_MAIN), TK_TR_QUX);
	ck_assert_uint_gt(q, 0);
	ck_assert(total_of(&pg, q) == 2);
	unload(&pg);

	load(&pg, &r, 1);
	ck_assert_int_eq(get(pg.doc.root, "merged")->type, TK_JR_TRUE);
	at = 0;
	ck_assert(walk(&pg, &at, 0) == 15);
	ck_assert_uint_eq(child(&pg, 0, "isolate 1: " TK_TR_PATH1), 0);
	size_t m = child(&pg, 0, TK_TR_MAIN);
	ck_assert_uint_gt(m, 0);
	ck_assert(total_of(&pg, m) == 15);
	size_t b = child(&pg, child(&pg, m, TK_TR_FOO), TK_TR_BAR);
	ck_assert_uint_gt(b, 0);
	ck_assert(total_of(&pg, b) == 9);                 /* 6 + 3 */
	ck_assert(pg.nodes->items[3 * b + 1].num == 7);   /* 4 + 3 */
	/* all, main, foo, bar, builtin, lib, C++, qux: equal paths summed */
	ck_assert_uint_eq(pg.nodes->n / 3, 8);
	unload(&pg);
	tk_test_report_free(&r);
}
END_TEST

Suite *tk_suite_out_html(void)
{
	Suite *s = suite_create("out_html");
	TCase *tc = tcase_create("core");
	tcase_add_test(tc, test_html_one);
	tcase_add_test(tc, test_html_frameless);
	tcase_add_test(tc, test_html_two_isolates);
	suite_add_tcase(s, tc);
	return s;
}
