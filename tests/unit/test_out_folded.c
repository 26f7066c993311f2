/* out_folded: the folded stacks of a hand-built report (testreport.h):
 * the exact lines, counts summing to the ticks, isolate root frames
 * without merge, summed stacks with it. */
#include <stdlib.h>
#include <string.h>
#include "suites.h"
#include "testreport.h"

#define M TK_TR_MAIN
#define F TK_TR_FOO
#define B TK_TR_BAR

/* every line is "STACK COUNT" with COUNT > 0, stacks strictly sorted
 * (distinct); returns the sum of the counts and the number of lines */
static uint64_t check_lines(const char *s, size_t len, size_t *lines)
{
	uint64_t sum = 0;
	const char *prev = NULL;
	size_t prev_n = 0;
	*lines = 0;
	ck_assert_msg(len > 0 && s[len - 1] == '\n', "output ends with a newline");
	for (const char *p = s, *e = s + len; p < e;) {
		const char *nl = memchr(p, '\n', (size_t)(e - p));
		ck_assert_ptr_nonnull(nl);
		const char *sp = nl;
		while (sp > p && sp[-1] != ' ')
			sp--;
		ck_assert_msg(sp > p + 1, "line without a stack: %.*s", (int)(nl - p), p);
		char *end;
		unsigned long long c = strtoull(sp, &end, 10);
		ck_assert_msg(end == nl && c > 0, "bad count in: %.*s", (int)(nl - p), p);
		size_t n = (size_t)(sp - 1 - p);
		if (prev) {
			size_t m = n < prev_n ? n : prev_n;
			int cmp = memcmp(prev, p, m);
			ck_assert_msg(cmp < 0 || (cmp == 0 && prev_n < n), "lines not sorted/distinct at %.*s",
				      (int)n, p);
		}
		ck_assert_ptr_null(memchr(p, '\t', n));
		prev = p;
		prev_n = n;
		sum += c;
		++*lines;
		p = nl + 1;
	}
	return sum;
}

START_TEST(test_folded_one)
{
	struct tk_test_report r;
	tk_test_report_build(&r, 1, 0, 0, 0);
	size_t len, lines;
	char *s = tk_test_report_write(&r, tk_export_folded, 0, &len);
	const char *want =
		M ";" F " 2\n"
		M ";" F ";" TK_TR_LIB " 1\n"
		M ";" F ";" B " 4\n"
		M ";" F ";" B ";" TK_TR_BUILTIN " 2\n"
		M ";" TK_TR_CPP " 1\n";
	ck_assert_str_eq(s, want);
	ck_assert_uint_eq(check_lines(s, len, &lines), 10);
	ck_assert_uint_eq(lines, 5);
	ck_assert_uint_eq(r.iso[0].prof.total, 10);
	free(s);
	tk_test_report_free(&r);
}
END_TEST

/* with samples kept the lines are the same: folded reads the tree */
START_TEST(test_folded_samples_same)
{
	struct tk_test_report a, b;
	tk_test_report_build(&a, 1, 0, 0, 0);
	tk_test_report_build(&b, 1, 1, 0, 0);
	size_t la, lb;
	char *sa = tk_test_report_write(&a, tk_export_folded, 0, &la);
	char *sb = tk_test_report_write(&b, tk_export_folded, 0, &lb);
	ck_assert_str_eq(sa, sb);
	free(sa);
	free(sb);
	tk_test_report_free(&a);
	tk_test_report_free(&b);
}
END_TEST

/* a tick with no frames is in no stack: the lines sum to the tree's ticks */
START_TEST(test_folded_frameless)
{
	struct tk_test_report r;
	tk_test_report_build(&r, 1, 1, 1, 0);
	size_t len, lines;
	char *s = tk_test_report_write(&r, tk_export_folded, 0, &len);
	ck_assert_uint_eq(r.iso[0].prof.total, 11);
	ck_assert_uint_eq(r.iso[0].prof.top_down.v[0].total, 10);
	ck_assert_uint_eq(check_lines(s, len, &lines), 10);
	ck_assert_uint_eq(lines, 5);
	free(s);
	tk_test_report_free(&r);
}
END_TEST

START_TEST(test_folded_two_isolates)
{
	struct tk_test_report r;
	tk_test_report_build(&r, 2, 0, 0, 0);
	size_t len, lines;
	char *s = tk_test_report_write(&r, tk_export_folded, 0, &len);
	/* every stack under its isolate's root frame; the path's ';' would
	 * split it, '<' and '&' stay (the format has no quoting) */
#define I1 "isolate 1: " TK_TR_PATH1 ";"
#define I2 "isolate 2: " TK_TR_PATH2 ";"
	const char *want =
		I1 M ";" F " 2\n"
		I1 M ";" F ";" TK_TR_LIB " 1\n"
		I1 M ";" F ";" B " 4\n"
		I1 M ";" F ";" B ";" TK_TR_BUILTIN " 2\n"
		I1 M ";" TK_TR_CPP " 1\n"
		I2 M ";" F ";" B " 3\n"
		I2 M ";" TK_TR_QUX " 2\n";
	ck_assert_str_eq(s, want);
	ck_assert_uint_eq(check_lines(s, len, &lines), 15);
	ck_assert_uint_eq(lines, 7);
	free(s);
	tk_test_report_free(&r);
}
END_TEST

START_TEST(test_folded_merged)
{
	struct tk_test_report r;
	tk_test_report_build(&r, 2, 0, 0, 0);
	size_t len, lines;
	char *s = tk_test_report_write(&r, tk_export_folded, 1, &len);
	const char *want =
		M ";" F " 2\n"
		M ";" F ";" TK_TR_LIB " 1\n"
		M ";" F ";" B " 7\n"
		M ";" F ";" B ";" TK_TR_BUILTIN " 2\n"
		M ";" TK_TR_QUX " 2\n"
		M ";" TK_TR_CPP " 1\n";
	ck_assert_str_eq(s, want);
	ck_assert_uint_eq(check_lines(s, len, &lines), 15);
	ck_assert_uint_eq(lines, 6);
	ck_assert_uint_eq(tk_test_count(s, len, "isolate "), 0);
	free(s);
	tk_test_report_free(&r);
}
END_TEST

/* a ';' in a frame name would make two frames of it: it becomes ':' */
START_TEST(test_folded_separator_in_name)
{
	struct tk_test_report r;
	tk_test_report_build(&r, 1, 0, 0, 0);
	uint32_t odd = tk_names_intern(&r.names, "a;b\nc", 5, TK_KIND_CPP)->id;
	/* the isolates are shrunk: a fresh one takes the tick */
	struct tk_isolate iso;
	tk_isolate_init(&iso, "x;y.log", &r.opts, &r.names, &r.cache);
	const uint32_t path[] = { r.main, odd };
	tk_test_report_tick(&iso, path, 2, 1, TK_VM_JS);
	tk_profile_finish(&iso.prof);
	const struct tk_isolate *isos[2] = { r.isos[0], &iso };
	struct tk_export x = { isos, 2, 0 };
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	struct tk_diag d;
	ck_assert_int_eq(tk_export_folded(f, &x, &d), 0);
	fclose(f);
	size_t lines;
	ck_assert_uint_eq(check_lines(buf, len, &lines), 11);
	ck_assert_uint_eq(lines, 6);
	ck_assert_ptr_nonnull(strstr(buf, "isolate 2: x:y.log;" M ";a:b\\nc 1\n"));
	free(buf);
	tk_isolate_release(&iso);
	tk_test_report_free(&r);
}
END_TEST

Suite *tk_suite_out_folded(void)
{
	Suite *s = suite_create("out_folded");
	TCase *tc = tcase_create("core");
	tcase_add_test(tc, test_folded_one);
	tcase_add_test(tc, test_folded_samples_same);
	tcase_add_test(tc, test_folded_frameless);
	tcase_add_test(tc, test_folded_two_isolates);
	tcase_add_test(tc, test_folded_merged);
	tcase_add_test(tc, test_folded_separator_in_name);
	suite_add_tcase(s, tc);
	return s;
}
