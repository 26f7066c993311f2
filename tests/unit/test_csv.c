/* csv: field splitting (plain and Node 6/8 quoted) and V8's escapes. */
#include <stdlib.h>
#include <string.h>
#include "input/csv.h"
#include "suites.h"

/* ---- splitting -------------------------------------------------------- */

static const struct {
	const char *line;
	int quoted;
	int n;
	const char *want[10];
} split_cases[] = {
	{ "tick,0x1,2,0,0x0,6", 0, 6, { "tick", "0x1", "2", "0", "0x0", "6" } },
	{ "profiler", 0, 1, { "profiler" } },
	{ "", 0, 1, { "" } },
	{ ",", 0, 2, { "", "" } },
	{ "a,,b", 0, 3, { "a", "", "b" } },
	{ "a,b,", 0, 3, { "a", "b", "" } },                 /* trailing comma: empty last field */
	{ ",a", 0, 2, { "", "a" } },
	{ ",,,", 0, 4, { "", "", "", "" } },
	{ "a\"b,c", 0, 2, { "a\"b", "c" } },
	{ "\"a,b\",c", 0, 3, { "\"a", "b\"", "c" } },        /* quotes mean nothing unquoted */
	{ "x\\x2Cy,z", 0, 2, { "x\\x2Cy", "z" } },          /* escapes stay escaped */
	/* Node 6/8 quoted mode */
	{ "\"a,b\",c", 1, 2, { "a,b", "c" } },
	{ "code-creation,LazyCompile,18,10668,0x2d87,2751,\"startup bootstrap_node.js:24:19\",0x2d,~", 1, 9,
	  { "code-creation", "LazyCompile", "18", "10668", "0x2d87", "2751", "startup bootstrap_node.js:24:19",
	    "0x2d", "~" } },
	{ "\"x\"\"y\",z", 1, 2, { "x\"\"y", "z" } },         /* "" kept doubled (csv.h) */
	{ "\"\",x", 1, 2, { "", "x" } },
	{ "\"a\"", 1, 1, { "a" } },
	{ "\"a\",", 1, 2, { "a", "" } },
	{ "a,\"b,c,d\",e", 1, 3, { "a", "b,c,d", "e" } },
	{ "a,\"b\"", 1, 2, { "a", "b" } },
	{ "a,b,", 1, 3, { "a", "b", "" } },
	{ "\"unterminated,x", 1, 1, { "unterminated,x" } },
	{ "plain", 1, 1, { "plain" } },
	{ "", 1, 1, { "" } },
};

START_TEST(test_split)
{
	struct tk_fields f = { 0 };
	const char *line = split_cases[_i].line;
	tk_csv_split(&f, line, strlen(line), split_cases[_i].quoted);
	ck_assert_msg(f.count == (size_t)split_cases[_i].n, "'%s': %zu fields, want %d", line, f.count,
		      split_cases[_i].n);
	for (int k = 0; k < split_cases[_i].n; k++) {
		const char *w = split_cases[_i].want[k];
		ck_assert_msg(f.n[k] == strlen(w) && memcmp(f.s[k], w, f.n[k]) == 0,
			      "'%s' field %d is '%.*s', want '%s'", line, k, (int)f.n[k], f.s[k], w);
		ck_assert(f.s[k] >= line && f.s[k] + f.n[k] <= line + strlen(line)); /* in place */
		ck_assert(tk_field_is(&f, (size_t)k, w));
	}
	ck_assert_uint_eq(f.dropped, 0);
	tk_csv_free(&f);
}
END_TEST

/* The fields object is reused across lines; the length bounds the line. */
START_TEST(test_split_reuse)
{
	struct tk_fields f = { 0 };
	const char *l1 = "a,b,c,d,e,f,g,h,i,j,k,l,m,n,o,p,q,r";
	tk_csv_split(&f, l1, strlen(l1), 0);
	ck_assert_uint_eq(f.count, 18);
	ck_assert(tk_field_is(&f, 17, "r"));
	tk_csv_split(&f, "x,y,IGNORED", 3, 0);
	ck_assert_uint_eq(f.count, 2);
	ck_assert(tk_field_is(&f, 1, "y"));
	ck_assert(!tk_field_is(&f, 2, "IGNORED")); /* index past count */
	ck_assert(!tk_field_is(&f, 0, "xy"));
	ck_assert(!tk_field_is(&f, 0, ""));
	tk_csv_free(&f);
}
END_TEST

START_TEST(test_split_field_cap)
{
	size_t nf = TK_CSV_MAX_FIELDS + 904;
	char *line = malloc(nf * 2);
	for (size_t i = 0; i < nf; i++) {
		line[2 * i] = (char)('a' + i % 26);
		line[2 * i + 1] = ',';
	}
	size_t len = nf * 2 - 1; /* no trailing comma */
	struct tk_fields f = { 0 };
	tk_csv_split(&f, line, len, 0);
	ck_assert_uint_eq(f.count, TK_CSV_MAX_FIELDS);
	ck_assert_uint_eq(f.dropped, 904);
	ck_assert_uint_eq(f.n[TK_CSV_MAX_FIELDS - 1], 1);
	ck_assert_int_eq(f.s[TK_CSV_MAX_FIELDS - 1][0], 'a' + (TK_CSV_MAX_FIELDS - 1) % 26);
	tk_csv_split(&f, "a,b", 3, 0); /* dropped resets */
	ck_assert_uint_eq(f.dropped, 0);
	tk_csv_free(&f);
	free(line);
}
END_TEST

/* ---- unescaping ------------------------------------------------------- */

static const struct {
	const char *in;
	const char *out; /* may contain NUL: outlen says how long */
	size_t outlen;
	int ret;         /* -1: don't check */
} unesc_cases[] = {
	{ "plain name", "plain name", 10, 0 },
	{ "", "", 0, 0 },
	{ "caf\xc3\xa9", "caf\xc3\xa9", 5, 0 },                     /* raw UTF-8 (Node 16+) */
	{ "\xff\xfe", "\xff\xfe", 2, 0 },                           /* invalid UTF-8 kept */
	{ "a\\x2Cb", "a,b", 3, 1 },
	{ "a\\x2cb", "a,b", 3, 1 },
	{ "\\\\", "\\", 1, 1 },
	{ "a\\\\.b", "a\\.b", 4, 1 },                               /* Node 12+ RegExp source */
	{ "\\\\\\\\", "\\\\", 2, 1 },
	{ "\\\\x41", "\\x41", 4, 1 },                               /* \\ first, then text */
	{ "x\\ny", "x\ny", 3, 1 },
	{ "\\n\\n", "\n\n", 2, 1 },
	{ "\\x41", "A", 1, 1 },
	{ "\\xe9", "\xc3\xa9", 2, 1 },                              /* é */
	{ "\\xE9t\\xe9", "\xc3\xa9t\xc3\xa9", 5, 1 },
	{ "\\x00", "\0", 1, 1 },
	{ "\\u4e2d", "\xe4\xb8\xad", 3, 1 },                        /* 中 */
	{ "\\u4E2D\\u6587", "\xe4\xb8\xad\xe6\x96\x87", 6, 1 },
	{ "\\u0041", "A", 1, 1 },
	{ "\\u0000", "\0", 1, 1 },
	{ "\\ud83d\\ude00", "\xf0\x9f\x98\x80", 4, 1 },             /* 😀 */
	{ "<\\ud83d\\ude00>", "<\xf0\x9f\x98\x80>", 6, 1 },
	{ "\\ud83d", "\xef\xbf\xbd", 3, 1 },                        /* lone high */
	{ "\\ude00", "\xef\xbf\xbd", 3, 1 },                        /* lone low */
	{ "\\ude00\\ud83d", "\xef\xbf\xbd\xef\xbf\xbd", 6, 1 },     /* reversed pair */
	{ "\\ud83dx", "\xef\xbf\xbdx", 4, 1 },                      /* high then text */
	{ "\\ud83d\\ud83d\\ude00", "\xef\xbf\xbd\xf0\x9f\x98\x80", 7, 1 },
	{ "\\ud83d\\n", "\xef\xbf\xbd\n", 4, 1 },
	{ "\\ud83d\\x41", "\xef\xbf\xbd" "A", 4, 1 },
	{ "\\ud83d\\q", "\xef\xbf\xbd\\q", 5, -1 },                  /* high then raw backslash */
	{ "\\xfffffff1and", "\xc3\xb1" "and", 5, 1 },               /* Node 10: ñand */
	{ "\\xfffffff1and\\xfffffffa", "\xc3\xb1" "and\xc3\xba", 7, 1 }, /* ñandú */
	{ "a\\.b", "a\\.b", 4, -1 },                                /* Node 10 raw backslash */
	{ "([a-z]+)\\.(com|org)", "([a-z]+)\\.(com|org)", 19, -1 },
	{ "ab\\", "ab\\", 3, -1 },                                  /* trailing backslash */
	{ "\\", "\\", 1, -1 },
	{ "\\x4", "\\x4", 3, -1 },                                  /* short \x */
	{ "\\x", "\\x", 2, -1 },
	{ "\\xg1", "\\xg1", 4, -1 },                                /* non-hex */
	{ "\\u12", "\\u12", 4, -1 },                                /* short \u */
	{ "\\u12g4", "\\u12g4", 6, -1 },
	{ "\\x4\\x41", "\\x4A", 4, -1 },                            /* bad then good */
};

START_TEST(test_unescape)
{
	struct tk_buf b = { 0 };
	const char *in = unesc_cases[_i].in;
	tk_buf_adds(&b, "[");
	int r = tk_csv_unescape(in, strlen(in), &b);
	size_t want = unesc_cases[_i].outlen;
	ck_assert_msg(b.len == 1 + want && memcmp(b.p + 1, unesc_cases[_i].out, want) == 0,
		      "'%s' -> '%.*s' (%zu bytes), want %zu bytes", in, (int)b.len - 1, b.p + 1, b.len - 1,
		      want);
	ck_assert_int_eq(b.p[0], '[');      /* appended, not replaced */
	ck_assert_int_eq(b.p[b.len], 0);
	if (unesc_cases[_i].ret >= 0)
		ck_assert_msg(r == unesc_cases[_i].ret, "'%s' returned %d", in, r);
	tk_buf_free(&b);
}
END_TEST

/* The length bounds the field: an escape cut by it is not completed
 * from bytes past the end. */
START_TEST(test_unescape_length_delimited)
{
	struct tk_buf b = { 0 };
	tk_csv_unescape("a\\x41", 4, &b); /* sees "a\x4" */
	ck_assert_uint_eq(b.len, 4);
	ck_assert_str_eq(b.p, "a\\x4");
	tk_buf_reset(&b);
	tk_csv_unescape("\\u4e2d", 5, &b);
	ck_assert_str_eq(b.p, "\\u4e2");
	tk_buf_reset(&b);
	tk_csv_unescape("\\ud83d\\ude00", 6, &b); /* pair cut after its high half */
	ck_assert_str_eq(b.p, "\xef\xbf\xbd");
	tk_buf_free(&b);
}
END_TEST

/* Node 10 (V8 6.8): only the escapes its writer made are decoded, the
 * rest is the text's own backslash (observed in a node 10.24.1 log:
 * logs/node10-regexp-escapes) */
static const struct {
	const char *in;
	const char *out;
	size_t outlen;
} n10_cases[] = {
	{ "[\\u0000-\\u00ff]", "[\\u0000-\\u00ff]", 15 },     /* \u below U+0100: text */
	{ "[\\u00E9\\u00C0-\\u00FF]+y", "[\\u00E9\\u00C0-\\u00FF]+y", 23 },
	{ "\\u4E2D+z", "\\u4E2D+z", 8 },                         /* upper-case hex: text */
	{ "\\u4e2d", "\xe4\xb8\xad", 3 },                        /* what it wrote for 中 */
	{ "\\u0100", "\xc4\x80", 2 },
	{ "\\x41\\x2c\\\\+w", "\\x41\\x2c\\\\+w", 12 },  /* printable \x, \x2c, \\: text */
	{ "a\\x2Cb", "a,b", 3 },                                 /* its comma */
	{ "\\x1b\\x7f\\x00\\x09", "\x1b\x7f\0\t", 4 },           /* controls, DEL */
	{ "\\x1B", "\\x1B", 4 },                                 /* upper-case: text */
	{ "\\xfffffff1and\\xfffffffa", "\xc3\xb1" "and\xc3\xba", 7 }, /* ñandú */
	{ "\\xFFFFFFF1", "\\xFFFFFFF1", 10 },
	{ "\\xe9", "\xc3\xa9", 2 },                               /* unsigned char builds */
	{ "a\\nb", "a\nb", 3 },
	{ "([a-z]+)\\.(com|org)", "([a-z]+)\\.(com|org)", 19 },
};

/* a Node 10 RegExp source: no line terminator can be in it */
START_TEST(test_unescape_node10_regexp)
{
	static const char in[] = "q\\nz|\\x0a\\x0d|\\u2028\\u2029|\\u4e2d\\x1b\\x2C";
	static const char want[] = "q\\nz|\\x0a\\x0d|\\u2028\\u2029|\xe4\xb8\xad\x1b,";
	struct tk_buf b = { 0 };
	tk_csv_unescape_as(in, strlen(in), TK_CSV_NODE10_REGEXP, &b);
	ck_assert_msg(b.len == strlen(want) && memcmp(b.p, want, b.len) == 0, "got '%s'", b.p);
	tk_buf_reset(&b);
	tk_csv_unescape_as(in, strlen(in), TK_CSV_NODE10, &b); /* other names: escapes */
	ck_assert_str_eq(b.p, "q\nz|\n\r|\xe2\x80\xa8\xe2\x80\xa9|\xe4\xb8\xad\x1b,");
	tk_buf_free(&b);
}
END_TEST

START_TEST(test_unescape_node10)
{
	struct tk_buf b = { 0 };
	const char *in = n10_cases[_i].in;
	tk_csv_unescape_as(in, strlen(in), TK_CSV_NODE10, &b);
	size_t want = n10_cases[_i].outlen;
	ck_assert_msg(b.len == want && memcmp(b.p, n10_cases[_i].out, want) == 0,
		      "'%s' -> '%.*s' (%zu bytes), want %zu bytes", in, (int)b.len, b.p, b.len, want);
	tk_buf_free(&b);
}
END_TEST

#define N_OF(a) ((int)(sizeof(a) / sizeof *(a)))

Suite *tk_suite_csv(void)
{
	Suite *s = suite_create("csv");
	TCase *tc = tcase_create("split");
	tcase_add_loop_test(tc, test_split, 0, N_OF(split_cases));
	tcase_add_test(tc, test_split_reuse);
	tcase_add_test(tc, test_split_field_cap);
	suite_add_tcase(s, tc);
	tc = tcase_create("unescape");
	tcase_add_loop_test(tc, test_unescape, 0, N_OF(unesc_cases));
	tcase_add_test(tc, test_unescape_length_delimited);
	tcase_add_loop_test(tc, test_unescape_node10, 0, N_OF(n10_cases));
	tcase_add_test(tc, test_unescape_node10_regexp);
	suite_add_tcase(s, tc);
	return s;
}
