/* sourcemap: VLQ mappings, lookups, source resolution, base64, and
 * malformed maps. */
#include <string.h>
#include "js/sourcemap.h"
#include "suites.h"

static int parse(struct tk_smap *m, const char *json, const char *base, char *err, size_t errn)
{
	return tk_smap_parse(m, json, strlen(json), base, err, errn);
}

START_TEST(test_lookup)
{
	/* line 0: col 0 -> src 0 (0,0); col 4 -> src 0 (1,2); col 9 unmapped;
	 * line 1 (after ';'): col 2 -> src 1 (3,0) */
	const char *json = "{\"version\":3,\"sources\":[\"a.ts\",\"../lib/b.ts\"],\"sourceRoot\":\"\","
			   "\"sourcesContent\":[\"x\\ny\",null],\"names\":[],\"mappings\":\"AAAA,IACE,K;ECEFF\"}";
	struct tk_smap m;
	char err[100];
	ck_assert_msg(parse(&m, json, "/app/dist", err, sizeof err) == 0, "%s", err);
	ck_assert_uint_eq(m.n_sources, 2);
	ck_assert_str_eq(m.sources[0], "/app/dist/a.ts");
	ck_assert_str_eq(m.sources[1], "/app/lib/b.ts");
	ck_assert_str_eq(m.contents[0], "x\ny");
	ck_assert_ptr_null(m.contents[1]);
	const struct tk_smap_seg *g;
	ck_assert(tk_smap_lookup(&m, 0, 0, &g));
	ck_assert_uint_eq(g->src, 0);
	ck_assert_uint_eq(g->oline, 0);
	ck_assert(tk_smap_lookup(&m, 0, 6, &g)); /* the segment at column 4 */
	ck_assert_uint_eq(g->oline, 1);
	ck_assert_uint_eq(g->ocol, 2);
	ck_assert(!tk_smap_lookup(&m, 0, 9, &g));  /* a one-field segment: no source */
	ck_assert(!tk_smap_lookup(&m, 0, 99, &g));
	ck_assert(!tk_smap_lookup(&m, 1, 1, &g));  /* before the line's first segment */
	ck_assert(tk_smap_lookup(&m, 1, 2, &g));
	ck_assert_uint_eq(g->src, 1);
	ck_assert_uint_eq(g->oline, 3);
	ck_assert_uint_eq(g->ocol, 0);
	ck_assert(!tk_smap_lookup(&m, 2, 0, &g));
	tk_smap_free(&m);
}
END_TEST

START_TEST(test_source_root)
{
	const char *json = "{\"version\":3,\"sources\":[\"x.ts\",\"/abs/y.ts\",\"webpack://p/z.ts\"],"
			   "\"sourceRoot\":\"../src\",\"mappings\":\"\"}";
	struct tk_smap m;
	char err[100];
	ck_assert_msg(parse(&m, json, "out", err, sizeof err) == 0, "%s", err);
	ck_assert_str_eq(m.sources[0], "src/x.ts");
	/* absolute paths and URLs ignore sourceRoot and base */
	ck_assert_str_eq(m.sources[1], "/abs/y.ts");
	ck_assert_str_eq(m.sources[2], "webpack://p/z.ts");
	ck_assert_uint_eq(m.n, 0);
	tk_smap_free(&m);
}
END_TEST

START_TEST(test_join)
{
	static const char *const cases[][3] = {
		{ "/a/b", "c.ts", "/a/b/c.ts" },
		{ "/a/b", "../c.ts", "/a/c.ts" },
		{ "/a/b", "./../../../c.ts", "/c.ts" },
		{ "a/b", "../../../c.ts", "../c.ts" },
		{ "", "x/./y//z.ts", "x/y/z.ts" },
		{ "/a", "/abs/./p.ts", "/abs/p.ts" },
		{ "/a", "webpack:///src/../x.ts", "webpack:///src/../x.ts" },
		{ "..", "../x", "../../x" },
		{ ".", "..", ".." },
		{ "/a", "..", "/" },
	};
	struct tk_buf b = { 0 };
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		tk_smap_join(&b, cases[i][0], cases[i][1]);
		ck_assert_msg(strcmp(b.p, cases[i][2]) == 0, "join('%s', '%s') = '%s', want '%s'", cases[i][0],
			      cases[i][1], b.p, cases[i][2]);
	}
	tk_buf_free(&b);
}
END_TEST

START_TEST(test_base64)
{
	struct tk_buf b = { 0 };
	ck_assert_int_eq(tk_smap_base64("eyJ2ZXJzaW9uIjozfQ==", 20, &b), 0);
	ck_assert_str_eq(b.p, "{\"version\":3}");
	tk_buf_reset(&b);
	ck_assert_int_eq(tk_smap_base64("YWI", 3, &b), 0); /* padding optional */
	ck_assert_str_eq(b.p, "ab");
	tk_buf_reset(&b);
	ck_assert_int_eq(tk_smap_base64("YW I=", 5, &b), -1);
	ck_assert_int_eq(tk_smap_base64("YW*I", 4, &b), -1);
	tk_buf_free(&b);
}
END_TEST

static const char *const bad_maps[] = {
	"{\"version\":2,\"sources\":[],\"mappings\":\"\"}",
	"{\"sources\":[],\"mappings\":\"\"}",
	"{\"version\":3,\"mappings\":\"\"}",
	"{\"version\":3,\"sources\":[\"a\"]}",
	"{\"version\":3,\"sources\":[\"a\"],\"mappings\":7}",
	"{\"version\":3,\"sections\":[]}",
	"{\"version\":3,\"sources\":[\"a\"],\"mappings\":\"AA\"}",     /* 2 fields */
	"{\"version\":3,\"sources\":[\"a\"],\"mappings\":\"AAA\"}",    /* 3 fields */
	"{\"version\":3,\"sources\":[\"a\"],\"mappings\":\"ACAA\"}",   /* source 1 of 1 */
	"{\"version\":3,\"sources\":[\"a\"],\"mappings\":\"AAAA,D\"}", /* column -1 */
	"{\"version\":3,\"sources\":[\"a\"],\"mappings\":\"AADA\"}",   /* line -1 */
	"{\"version\":3,\"sources\":[\"a\"],\"mappings\":\"A!AA\"}",   /* bad character */
	"{\"version\":3,\"sources\":[\"a\"],\"mappings\":\"g\"}",      /* continuation, then end */
	"{\"version\":3,\"sources\":[\"a\"],\"mappings\":\"AAAAAA\"}", /* 6 fields */
	"{\"version\":3,\"sources\":[\"a\"],\"mappings\":\"gggggggggggggA\"}", /* too long */
	"{\"version\":3,\"sources\":[\"a\"],\"mappings\":\"\"", /* bad JSON */
};

START_TEST(test_bad_maps)
{
	struct tk_smap m;
	char err[100] = "";
	ck_assert_msg(parse(&m, bad_maps[_i], "", err, sizeof err) == -1, "accepted %s", bad_maps[_i]);
	ck_assert_msg(err[0] != 0, "no message for %s", bad_maps[_i]);
	tk_smap_free(&m);
}
END_TEST

Suite *tk_suite_sourcemap(void)
{
	Suite *s = suite_create("sourcemap");
	TCase *tc = tcase_create("map");
	tcase_add_test(tc, test_lookup);
	tcase_add_test(tc, test_source_root);
	tcase_add_test(tc, test_join);
	tcase_add_test(tc, test_base64);
	tcase_add_loop_test(tc, test_bad_maps, 0, (int)(sizeof bad_maps / sizeof *bad_maps));
	tcase_set_timeout(tc, 60);
	suite_add_tcase(s, tc);
	return s;
}
