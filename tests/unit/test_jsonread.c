/* jsonread: values, escapes, surrogates, depth, and malformed documents
 * rejected with a position. */
#include <stdio.h>
#include <string.h>
#include "base/jsonread.h"
#include "suites.h"

static int parse(struct tk_jr_doc *doc, const char *s, char *err)
{
	return tk_jr_parse(doc, s, strlen(s), err, 200);
}

START_TEST(test_values)
{
	struct tk_jr_doc doc;
	char err[200];
	ck_assert_int_eq(parse(&doc, " {\"a\": [1, -2.5e2, 0, true, false, null, \"x\"], \"b\": {}, \"a\": 3}\n",
			       err), 0);
	const struct tk_jr_val *a = tk_jr_get(doc.root, "a");
	ck_assert_ptr_nonnull(a);
	ck_assert_int_eq(a->type, TK_JR_ARR); /* the first of two members named a */
	ck_assert_uint_eq(a->n, 7);
	ck_assert(a->items[0].type == TK_JR_NUM && a->items[0].num == 1.0);
	ck_assert(a->items[1].num == -250.0);
	ck_assert_int_eq(a->items[3].type, TK_JR_TRUE);
	ck_assert_int_eq(a->items[4].type, TK_JR_FALSE);
	ck_assert_int_eq(a->items[5].type, TK_JR_NULL);
	ck_assert_str_eq(a->items[6].str, "x");
	const struct tk_jr_val *b = tk_jr_get(doc.root, "b");
	ck_assert(b && b->type == TK_JR_OBJ && b->n == 0);
	ck_assert_ptr_null(tk_jr_get(doc.root, "c"));
	ck_assert_ptr_null(tk_jr_get(a, "a")); /* not an object */
	tk_jr_free(&doc);
	ck_assert_int_eq(parse(&doc, "[]", err), 0);
	ck_assert(doc.root->type == TK_JR_ARR && doc.root->n == 0);
	tk_jr_free(&doc);
}
END_TEST

START_TEST(test_strings)
{
	struct tk_jr_doc doc;
	char err[200];
	ck_assert_int_eq(parse(&doc, "\"a\\\"\\\\\\/\\b\\f\\n\\r\\t\\u00e9\\ud83d\\ude00\\u0000z \xc3\xb1\"", err), 0);
	static const char want[] = "a\"\\/\b\f\n\r\t\xc3\xa9\xf0\x9f\x98\x80\0z \xc3\xb1";
	ck_assert_uint_eq(doc.root->len, sizeof want - 1);
	ck_assert(memcmp(doc.root->str, want, sizeof want - 1) == 0);
	tk_jr_free(&doc);
	/* a member name is decoded too */
	ck_assert_int_eq(parse(&doc, "{\"k\\u0041\": 1}", err), 0);
	ck_assert_ptr_nonnull(tk_jr_get(doc.root, "kA"));
	tk_jr_free(&doc);
}
END_TEST

static const struct {
	const char *text;
	const char *err;   /* the message must contain this */
} bad[] = {
	{ "", "line 1, column 1: unexpected end" },
	{ "  \n  ", "line 2, column 3: unexpected end" },
	{ "[1,]", "column 4: unexpected character ']'" },
	{ "{\"a\":1,}", "column 8: expected a member name" },
	{ "{\"a\" 1}", "expected ':'" },
	{ "{a:1}", "expected a member name" },
	{ "[1 2]", "expected ',' or ']'" },
	{ "[1", "unexpected end of input" },
	{ "01", "leading zero" },
	{ "-", "bad number" },
	{ "1.", "a digit must follow" },
	{ "1e", "bad exponent" },
	{ "+1", "unexpected character '+'" },
	{ "1e999", "out of range" },
	{ "tru", "unexpected character 't'" },
	{ "nul", "unexpected character 'n'" },
	{ "\"abc", "unterminated string" },
	{ "\"a\tb\"", "control character 0x09" },
	{ "\"\\x\"", "bad escape '\\x'" },
	{ "\"\\u12\"", "four hex digits" },
	{ "\"\\udc00\"", "lone low surrogate" },
	{ "\"\\ud800\"", "without its low half" },
	{ "\"\\ud800\\u0041\"", "without its low half" },
	{ "\"\xff\"", "invalid UTF-8" },
	{ "\"\xc0\xaf\"", "invalid UTF-8" },        /* overlong */
	{ "\"\xed\xa0\x80\"", "invalid UTF-8" },    /* an encoded surrogate */
	{ "\"\xe2\x82\"", "invalid UTF-8" },        /* cut short */
	{ "{} {}", "more after the end" },
	{ "[1] x", "more after the end" },
	{ "// c\n[]", "unexpected character '/'" },
	{ "\xef\xbb\xbf[]", "unexpected byte 0xef" },
};

START_TEST(test_malformed)
{
	struct tk_jr_doc doc;
	char err[200] = "";
	ck_assert_msg(parse(&doc, bad[_i].text, err) < 0, "'%s' accepted", bad[_i].text);
	ck_assert_msg(strstr(err, bad[_i].err) != NULL, "'%s': '%s', want '%s'", bad[_i].text, err, bad[_i].err);
}
END_TEST

START_TEST(test_depth)
{
	static char s[2 * TK_JR_MAX_DEPTH + 8];
	struct tk_jr_doc doc;
	char err[200];
	/* TK_JR_MAX_DEPTH nested arrays are fine, one more is not */
	memset(s, '[', TK_JR_MAX_DEPTH);
	memset(s + TK_JR_MAX_DEPTH, ']', TK_JR_MAX_DEPTH);
	s[2 * TK_JR_MAX_DEPTH] = 0;
	ck_assert_int_eq(tk_jr_parse(&doc, s, strlen(s), err, sizeof err), 0);
	tk_jr_free(&doc);
	memset(s, '[', TK_JR_MAX_DEPTH + 1);
	memset(s + TK_JR_MAX_DEPTH + 1, ']', TK_JR_MAX_DEPTH + 1);
	s[2 * TK_JR_MAX_DEPTH + 2] = 0;
	ck_assert_int_eq(tk_jr_parse(&doc, s, strlen(s), err, sizeof err), -1);
	ck_assert_ptr_nonnull(strstr(err, "nested deeper"));
}
END_TEST

Suite *tk_suite_jsonread(void)
{
	Suite *s = suite_create("jsonread");
	TCase *tc = tcase_create("parse");
	tcase_add_test(tc, test_values);
	tcase_add_test(tc, test_strings);
	tcase_add_loop_test(tc, test_malformed, 0, (int)(sizeof bad / sizeof *bad));
	tcase_add_test(tc, test_depth);
	tcase_set_timeout(tc, 60);
	suite_add_tcase(s, tc);
	return s;
}
