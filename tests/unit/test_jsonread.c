/* jsonread: values, escapes, nesting, and every kind of malformed input. */
#include <string.h>
#include "jsonread.h"
#include "suites.h"

static int parse(const char *s, struct tk_jr_doc *d, char *err, size_t errn)
{
	return tk_jr_parse(d, s, strlen(s), err, errn);
}

START_TEST(test_values)
{
	struct tk_jr_doc d;
	char err[100];
	const char *s = " {\"a\": [1, -2.5e2, 0, true, false, null], \"b\": {\"c\": \"x\"}, \"a\": 7 } ";
	ck_assert_int_eq(parse(s, &d, err, sizeof err), 0);
	ck_assert_int_eq(d.root->type, TK_JR_OBJ);
	ck_assert_uint_eq(d.root->len, 3);
	/* the last of equal keys */
	const struct tk_jr_val *a = tk_jr_get(d.root, "a");
	ck_assert_int_eq(a->type, TK_JR_NUM);
	ck_assert(a->num == 7);
	const struct tk_jr_val *arr = d.root->items[0];
	ck_assert_int_eq(arr->type, TK_JR_ARR);
	ck_assert_uint_eq(arr->len, 6);
	ck_assert(arr->items[0]->num == 1);
	ck_assert(arr->items[1]->num == -250);
	ck_assert(arr->items[2]->num == 0);
	ck_assert_int_eq(arr->items[3]->type, TK_JR_TRUE);
	ck_assert_int_eq(arr->items[4]->type, TK_JR_FALSE);
	ck_assert_int_eq(arr->items[5]->type, TK_JR_NULL);
	ck_assert_str_eq(tk_jr_get(tk_jr_get(d.root, "b"), "c")->str, "x");
	ck_assert_ptr_null(tk_jr_get(d.root, "z"));
	ck_assert_ptr_null(tk_jr_get(arr, "a")); /* not an object */
	ck_assert_ptr_null(tk_jr_get(NULL, "a"));
	tk_jr_free(&d);
	/* scalars and empty containers at the top */
	ck_assert_int_eq(parse("\"\"", &d, err, sizeof err), 0);
	ck_assert_uint_eq(d.root->len, 0);
	tk_jr_free(&d);
	ck_assert_int_eq(parse("[]", &d, err, sizeof err), 0);
	ck_assert_uint_eq(d.root->len, 0);
	tk_jr_free(&d);
	ck_assert_int_eq(parse("{}", &d, err, sizeof err), 0);
	tk_jr_free(&d);
}
END_TEST

START_TEST(test_strings)
{
	struct tk_jr_doc d;
	char err[100];
	ck_assert_int_eq(parse("\"a\\\"b\\\\c\\/d\\b\\f\\n\\r\\t\\u00e9\\u20ac\\ud83d\\ude00\\u0000z\"", &d, err,
			       sizeof err), 0);
	const char want[] = "a\"b\\c/d\b\f\n\r\t\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80\0z";
	ck_assert_uint_eq(d.root->len, sizeof want - 1);
	ck_assert(memcmp(d.root->str, want, sizeof want - 1) == 0);
	tk_jr_free(&d);
	/* a lone surrogate becomes U+FFFD */
	ck_assert_int_eq(parse("\"\\ud800x\"", &d, err, sizeof err), 0);
	ck_assert_str_eq(d.root->str, "\xef\xbf\xbdx");
	tk_jr_free(&d);
	/* raw UTF-8 passes through */
	ck_assert_int_eq(parse("\"\xc3\xb1" "and\xc3\xba\"", &d, err, sizeof err), 0);
	ck_assert_str_eq(d.root->str, "\xc3\xb1" "and\xc3\xba");
	tk_jr_free(&d);
}
END_TEST

static const char *const bad_inputs[] = {
	"", " ", "{", "[", "[1,]", "{\"a\":1,}", "{\"a\" 1}", "{a:1}", "[1 2]", "01", "-", "1.", "1e", "1e+",
	".5", "+1", "tru", "nul", "\"abc", "\"a\\x\"", "\"a\\u12\"", "\"a\\u12g4\"", "\"tab\there\"", "[1] x",
	"{} {}", "[\"a\"", "{\"a\":}", "NaN", "'a'", "[1,,2]", "\"\\",
};

START_TEST(test_malformed)
{
	struct tk_jr_doc d;
	char err[100];
	const char *s = bad_inputs[_i];
	ck_assert_msg(parse(s, &d, err, sizeof err) == -1, "accepted '%s'", s);
	ck_assert_ptr_null(d.root);
	ck_assert_msg(strncmp(err, "offset ", 7) == 0, "'%s': error '%s'", s, err);
}
END_TEST

START_TEST(test_depth)
{
	struct tk_jr_doc d;
	char err[100];
	char deep[2 * (TK_JR_MAX_DEPTH + 10) + 1];
	size_t n = TK_JR_MAX_DEPTH + 10;
	memset(deep, '[', n);
	memset(deep + n, ']', n);
	deep[2 * n] = 0;
	ck_assert_int_eq(parse(deep, &d, err, sizeof err), -1);
	ck_assert_ptr_nonnull(strstr(err, "deeply"));
	n = TK_JR_MAX_DEPTH;
	memset(deep, '[', n);
	memset(deep + n, ']', n);
	deep[2 * n] = 0;
	ck_assert_int_eq(parse(deep, &d, err, sizeof err), 0);
	tk_jr_free(&d);
}
END_TEST

Suite *tk_suite_jsonread(void)
{
	Suite *s = suite_create("jsonread");
	TCase *tc = tcase_create("parse");
	tcase_add_test(tc, test_values);
	tcase_add_test(tc, test_strings);
	tcase_add_loop_test(tc, test_malformed, 0, (int)(sizeof bad_inputs / sizeof *bad_inputs));
	tcase_add_test(tc, test_depth);
	tcase_set_timeout(tc, 60);
	suite_add_tcase(s, tc);
	return s;
}
