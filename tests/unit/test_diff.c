/* diff: keys without tier markers, the function table, self and total
 * (recursion counted once) from an isolate and from a JSON report, the
 * order of rows and the --fail-above check. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "report/diff.h"
#include "suites.h"

START_TEST(test_key)
{
	static const struct { const char *name; int kind; const char *key; } cases[] = {
		{ "JS: *fib a.js:1:1", TK_KIND_JS, "JS: fib a.js:1:1" },
		{ "JS: ~fib a.js:1:1", TK_KIND_JS, "JS: fib a.js:1:1" },
		{ "LazyCompile: ^f a.js:2:3", TK_KIND_JS, "LazyCompile: f a.js:2:3" },
		{ "RegExp: ^abc", TK_KIND_JS, "RegExp: ^abc" },          /* not a function: kept */
		{ "Builtin: *X", TK_KIND_JS, "Builtin: *X" },
		{ "JS: fib a.js:1:1", TK_KIND_JS, "JS: fib a.js:1:1" },
		{ "JS: *f a.js:1:1", TK_KIND_CPP, "JS: *f a.js:1:1" },    /* only JS names */
		{ "/usr/lib/libc.so.6", TK_KIND_LIB, "/usr/lib/libc.so.6" },
	};
	struct tk_buf k = {0};
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		/* each in a table of its own: kind is the first one given */
		struct tk_names names;
		tk_names_init(&names);
		tk_diff_key(tk_names_intern(&names, cases[i].name, strlen(cases[i].name), cases[i].kind), &k);
		tk_buf_addc(&k, 0);
		ck_assert_str_eq(k.p, cases[i].key);
		tk_names_release(&names);
	}
	tk_buf_free(&k);
}
END_TEST

START_TEST(test_table)
{
	struct tk_diff df;
	tk_diff_init(&df);
	char name[32];
	for (int i = 0; i < 3000; i++) {
		snprintf(name, sizeof name, "f%d", i);
		ck_assert_uint_eq(tk_diff_fn_of(&df, name, strlen(name)), (size_t)i);
	}
	for (int i = 2999; i >= 0; i--) {
		snprintf(name, sizeof name, "f%d", i);
		ck_assert_uint_eq(tk_diff_fn_of(&df, name, strlen(name)), (size_t)i);
	}
	ck_assert_uint_eq(df.n, 3000);
	tk_diff_release(&df);
}
END_TEST

/* f at 0x1000 (optimized), g at 0x2000; g calls f, f calls itself */
static const char *const log_lines[] = {
	"v8-version,11,3,244,8,0,0",
	"shared-library,[vdso],0x7ffff0000000,0x7ffff0002000,0",
	"code-creation,JS,10,100,0x1000,256,f a.js:1:1,0x9000,*",
	"code-creation,JS,10,100,0x3000,256,f a.js:1:1,0x9000,~",
	"code-creation,JS,10,100,0x2000,256,g a.js:5:1,0x9100,~",
	"tick,0x1010,1000,0,0x0,0,0x1020,0x2010",  /* f <- f <- g */
	"tick,0x3010,2000,0,0x0,0,0x2010",         /* ~f <- g: the same function */
	"tick,0x2010,3000,0,0x0,0",                /* g */
	"tick,0x9,4000,0,0x0,0",                   /* UNKNOWN */
};

static void load_log(struct tk_diff *df, int side, size_t nticks)
{
	struct tk_opts o;
	struct tk_names names;
	struct tk_elfcache cache;
	struct tk_isolate iso;
	tk_opts_default(&o);
	o.quiet = 1;
	tk_names_init(&names);
	tk_elfcache_init(&cache, NULL);
	cache.quiet = 1;
	tk_isolate_init(&iso, side ? "new.log" : "base.log", &o, &names, &cache);
	for (size_t i = 0; i < 5 + nticks; i++) {
		char *l = strdup(log_lines[i]);
		tk_isolate_line(&iso, l, strlen(l), (unsigned long)i + 1);
		free(l);
	}
	tk_diff_load_isolate(df, side, &iso);
	tk_isolate_release(&iso);
	tk_elfcache_release(&cache);
	tk_names_release(&names);
}

static const struct tk_diff_fn *fn(struct tk_diff *df, const char *key)
{
	tk_diff_match(df);
	size_t n = df->n, i = tk_diff_fn_of(df, key, strlen(key));
	ck_assert_msg(df->n == n, "no row %s", key);
	return &df->fn[i];
}

START_TEST(test_isolate)
{
	struct tk_diff df;
	tk_diff_init(&df);
	load_log(&df, 0, 4);
	const struct tk_diff_fn *f = fn(&df, "JS: f a.js:1:1"), *g = fn(&df, "JS: g a.js:5:1");
	ck_assert_uint_eq(df.ticks[0], 4);
	ck_assert_uint_eq(f->self[0], 2);
	ck_assert_uint_eq(f->total[0], 2);  /* the recursive tick counted once */
	ck_assert_uint_eq(g->self[0], 1);
	ck_assert_uint_eq(g->total[0], 3);
	ck_assert_uint_eq(fn(&df, "UNKNOWN")->self[0], 1);
	ck_assert_uint_eq(f->active + g->active, 0);
	tk_diff_release(&df);
}
END_TEST

static const char report[] =
	"{\"schema\": \"ticks/1\", \"profiles\": [{\"path\": \"x.log\", \"totals\": {\"ticks\": 10},\n"
	" \"top_down\": {\"name\": \"(root)\", \"self\": 0, \"total\": 10, \"children\": [\n"
	"  {\"name\": \"JS: ~g a.js:5:1\", \"kind\": \"js\", \"self\": 1, \"total\": 9, \"children\": [\n"
	"    {\"name\": \"JS: *f a.js:1:1\", \"kind\": \"js\", \"self\": 2, \"total\": 8, \"children\": [\n"
	"      {\"name\": \"JS: ~f a.js:1:1\", \"kind\": \"js\", \"self\": 6, \"total\": 6}]}]},\n"
	"  {\"name\": \"/lib/libc.so.6\", \"kind\": \"lib\", \"self\": 1, \"total\": 1, \"children\": []}]}}]}";

static int load_json(struct tk_diff *df, int side, const char *text, struct tk_diag *d)
{
	struct tk_jr_doc doc;
	char err[200];
	ck_assert_msg(tk_jr_parse(&doc, text, strlen(text), err, sizeof err) == 0, "%s", err);
	int r = tk_diff_load_json(df, side, doc.root, d);
	tk_jr_free(&doc);
	return r;
}

START_TEST(test_json_and_order)
{
	struct tk_diff df;
	struct tk_diag d = {0};
	tk_diff_init(&df);
	load_log(&df, 0, 4);
	ck_assert_int_eq(load_json(&df, 1, report, &d), 0);
	const struct tk_diff_fn *f = fn(&df, "JS: f a.js:1:1"), *g = fn(&df, "JS: g a.js:5:1");
	ck_assert_uint_eq(df.ticks[1], 10);
	ck_assert_uint_eq(f->self[1], 8);
	ck_assert_uint_eq(f->total[1], 8);
	ck_assert_uint_eq(g->total[1], 9);
	/* f: self 50% -> 80%, g: 25% -> 10%, UNKNOWN 25% -> 0%, libc 0 -> 10% */
	ck_assert(tk_diff_share(&df, f, 0, 0) == 50.0 && tk_diff_share(&df, f, 1, 0) == 80.0);
	const struct tk_diff_fn **v;
	size_t n = tk_diff_sorted(&df, &v);
	ck_assert_uint_eq(n, 4); /* ~f and *f are one row, as are the sides' */
	ck_assert_str_eq(v[0]->name, "JS: f a.js:1:1");
	ck_assert_str_eq(v[1]->name, "/lib/libc.so.6");
	ck_assert_str_eq(v[2]->name, "JS: g a.js:5:1");  /* -15 self */
	ck_assert_str_eq(v[3]->name, "UNKNOWN");         /* -25 self */
	free(v);
	/* f grew by 30 points of self share: over 29.9, not over 30 */
	ck_assert_uint_eq(tk_diff_check(&df, 29.9, NULL), 1);
	ck_assert_uint_eq(tk_diff_check(&df, 30.0, NULL), 0);
	tk_diff_release(&df);
}
END_TEST

/* the same report with every line moved down one, and two same-named
 * functions of one script: rows pair by name and script, nearest
 * position first, and nothing changes */
static const char shifted_base[] =
	"{\"schema\": \"ticks/1\", \"profiles\": [{\"path\": \"b.log\", \"totals\": {\"ticks\": 10},\n"
	" \"top_down\": {\"name\": \"(root)\", \"self\": 0, \"total\": 10, \"children\": [\n"
	"  {\"name\": \"JS: *t a.js:3:10\", \"kind\": \"js\", \"self\": 6, \"total\": 6},\n"
	"  {\"name\": \"JS: ~h a.js:7:3\", \"kind\": \"js\", \"self\": 1, \"total\": 1},\n"
	"  {\"name\": \"JS: ~h a.js:9:3\", \"kind\": \"js\", \"self\": 3, \"total\": 3}]}}]}";
static const char shifted_new[] =
	"{\"schema\": \"ticks/1\", \"profiles\": [{\"path\": \"n.log\", \"totals\": {\"ticks\": 10},\n"
	" \"top_down\": {\"name\": \"(root)\", \"self\": 0, \"total\": 10, \"children\": [\n"
	"  {\"name\": \"JS: ^t a.js:4:10\", \"kind\": \"js\", \"self\": 6, \"total\": 6},\n"
	"  {\"name\": \"JS: ~h a.js:8:3\", \"kind\": \"js\", \"self\": 1, \"total\": 1},\n"
	"  {\"name\": \"JS: ~h a.js:10:3\", \"kind\": \"js\", \"self\": 3, \"total\": 3}]}}]}";
/* one h more in new: the old two pair with the nearest */
static const char added_new[] =
	"{\"schema\": \"ticks/1\", \"profiles\": [{\"path\": \"n.log\", \"totals\": {\"ticks\": 10},\n"
	" \"top_down\": {\"name\": \"(root)\", \"self\": 0, \"total\": 10, \"children\": [\n"
	"  {\"name\": \"JS: ~h a.js:1:3\", \"kind\": \"js\", \"self\": 2, \"total\": 2},\n"
	"  {\"name\": \"JS: ~h a.js:8:3\", \"kind\": \"js\", \"self\": 1, \"total\": 1},\n"
	"  {\"name\": \"JS: ~h a.js:10:3\", \"kind\": \"js\", \"self\": 3, \"total\": 3},\n"
	"  {\"name\": \"JS: ~t b.js:4:10\", \"kind\": \"js\", \"self\": 4, \"total\": 4}]}}]}";

START_TEST(test_shifted)
{
	struct tk_diff df;
	struct tk_diag d = {0};
	tk_diff_init(&df);
	ck_assert_int_eq(load_json(&df, 0, shifted_base, &d), 0);
	ck_assert_int_eq(load_json(&df, 1, shifted_new, &d), 0);
	tk_diff_match(&df);
	ck_assert_uint_eq(df.n, 3);
	const struct tk_diff_fn *t = fn(&df, "JS: t a.js:4:10"), *h1 = fn(&df, "JS: h a.js:8:3"),
				*h2 = fn(&df, "JS: h a.js:10:3");
	ck_assert_uint_eq(t->self[0], 6);
	ck_assert_uint_eq(t->self[1], 6);
	ck_assert_uint_eq(h1->self[0], 1);
	ck_assert_uint_eq(h1->self[1], 1);
	ck_assert_uint_eq(h2->self[0], 3);
	ck_assert_uint_eq(h2->self[1], 3);
	ck_assert_uint_eq(tk_diff_check(&df, 0.0, NULL), 0);
	tk_diff_release(&df);

	tk_diff_init(&df);
	ck_assert_int_eq(load_json(&df, 0, shifted_base, &d), 0);
	ck_assert_int_eq(load_json(&df, 1, added_new, &d), 0);
	tk_diff_match(&df);
	/* h 7 -> 8, h 9 -> 10, h 1 new; t of a.js gone, t of b.js new (another script) */
	ck_assert_uint_eq(df.n, 5);
	ck_assert_uint_eq(fn(&df, "JS: h a.js:8:3")->self[0], 1);
	ck_assert_uint_eq(fn(&df, "JS: h a.js:10:3")->self[0], 3);
	ck_assert_uint_eq(fn(&df, "JS: h a.js:1:3")->self[0], 0);
	ck_assert_uint_eq(fn(&df, "JS: h a.js:1:3")->self[1], 2);
	ck_assert_uint_eq(fn(&df, "JS: t a.js:3:10")->self[1], 0);
	ck_assert_uint_eq(fn(&df, "JS: t b.js:4:10")->self[0], 0);
	tk_diff_release(&df);
}
END_TEST

static const struct { const char *text, *err; } bad_reports[] = {
	{ "{\"schema\": \"ticks/2\", \"profiles\": []}", "not a ticks --json report" },
	{ "[1]", "not a ticks --json report" },
	{ "{\"schema\": \"ticks/1\", \"profiles\": []}", "0 profiles" },
	{ "{\"schema\": \"ticks/1\", \"profiles\": [{\"path\": \"x\", \"error\": \"cannot open\"}]}", "only an error" },
	{ "{\"schema\": \"ticks/1\", \"profiles\": [{\"path\": \"x\", \"bottom_up\": {}}]}", "no top_down" },
	{ "{\"schema\": \"ticks/1\", \"profiles\": [{\"totals\": {\"ticks\": 1}, \"top_down\": {\"children\": "
	  "[{\"name\": \"f\", \"self\": -1, \"total\": 1}]}}]}", "a node without" },
	{ "{\"schema\": \"ticks/1\", \"profiles\": [{\"totals\": {\"ticks\": 1.5}, \"top_down\": {}}]}", "no top_down" },
	{ "{\"schema\": \"ticks/1\", \"profiles\": [{\"totals\": {\"ticks\": 1}, \"top_down\": {\"children\": 3}}]}",
	  "children is not an array" },
};

START_TEST(test_bad_report)
{
	struct tk_diff df;
	struct tk_diag d = {0};
	tk_diff_init(&df);
	ck_assert_int_eq(load_json(&df, 0, bad_reports[_i].text, &d), -1);
	ck_assert_int_eq(d.code, TK_EXIT_INPUT);
	ck_assert_msg(strstr(d.msg, bad_reports[_i].err) != NULL, "'%s', want '%s'", d.msg, bad_reports[_i].err);
	tk_diff_release(&df);
}
END_TEST

Suite *tk_suite_diff(void)
{
	Suite *s = suite_create("diff");
	TCase *tc = tcase_create("diff");
	tcase_add_test(tc, test_key);
	tcase_add_test(tc, test_table);
	tcase_add_test(tc, test_isolate);
	tcase_add_test(tc, test_json_and_order);
	tcase_add_test(tc, test_shifted);
	tcase_add_loop_test(tc, test_bad_report, 0, (int)(sizeof bad_reports / sizeof *bad_reports));
	tcase_set_timeout(tc, 60);
	suite_add_tcase(s, tc);
	return s;
}
