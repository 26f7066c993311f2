/* progress: the line's text (MB of 10^6 bytes, percentage when the size
 * is known), nothing when off, and the erase at the end. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "base/progress.h"
#include "suites.h"

/* what p wrote to f, NUL-terminated (caller frees) */
static char *written(FILE *f)
{
	long n = ftell(f);
	char *s = calloc(1, (size_t)n + 1);
	rewind(f);
	ck_assert_uint_eq(fread(s, 1, (size_t)n, f), (size_t)n);
	return s;
}

START_TEST(test_progress_known_size)
{
	FILE *f = tmpfile();
	struct tk_progress p;
	tk_progress_init(&p, f, "a.log", 1);
	tk_progress_update(&p, 2500000, 10000000, 7);
	tk_progress_update(&p, 5000000, 10000000, 9); /* within 0.1 s: not written */
	tk_progress_end(&p);
	char *s = written(f);
	const char *line = "\rticks: a.log:  25% of 10.0 MB, 7 ticks";
	ck_assert_msg(strncmp(s, line, strlen(line)) == 0, "got '%s'", s);
	ck_assert_ptr_null(strstr(s, "9 ticks"));
	/* erased: "\r", as many spaces as the line, "\r" */
	size_t len = strlen(line) - 1;
	ck_assert_uint_eq(strlen(s), 2 * (len + 1) + 1);
	ck_assert_int_eq(s[strlen(s) - 1], '\r');
	free(s);
	fclose(f);
}
END_TEST

START_TEST(test_progress_unknown_size)
{
	FILE *f = tmpfile();
	struct tk_progress p;
	tk_progress_init(&p, f, "-", 1);
	tk_progress_update(&p, 1500000, 0, 3); /* a pipe: no size */
	tk_progress_end(&p);
	char *s = written(f);
	ck_assert_msg(strncmp(s, "\rticks: -: 1.5 MB, 3 ticks", 26) == 0, "got '%s'", s);
	free(s);
	fclose(f);
}
END_TEST

START_TEST(test_progress_off)
{
	FILE *f = tmpfile();
	struct tk_progress p;
	tk_progress_init(&p, f, "a.log", 0);
	tk_progress_update(&p, 1, 2, 3);
	tk_progress_hide();
	tk_progress_end(&p);
	ck_assert_int_eq(ftell(f), 0);
	fclose(f);
}
END_TEST

START_TEST(test_progress_escaped)
{
	FILE *f = tmpfile();
	struct tk_progress p;
	tk_progress_init(&p, f, "a\033[2Jb", 1); /* a terminal escape in the path */
	tk_progress_update(&p, 0, 0, 0);
	tk_progress_end(&p);
	char *s = written(f);
	ck_assert_ptr_null(strchr(s, '\033'));
	free(s);
	fclose(f);
}
END_TEST

Suite *tk_suite_progress(void)
{
	Suite *s = suite_create("progress");
	TCase *tc = tcase_create("progress");
	tcase_add_test(tc, test_progress_known_size);
	tcase_add_test(tc, test_progress_unknown_size);
	tcase_add_test(tc, test_progress_off);
	tcase_add_test(tc, test_progress_escaped);
	suite_add_tcase(s, tc);
	return s;
}
