/* diag: the sink writes each kind's message, escaped, to the stream it is
 * given; it erases a progress line first; the table of kinds is whole. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "base/diag.h"
#include "base/progress.h"
#include "ticks.h"
#include "suites.h"

static FILE *f;
static char *text;
static size_t len;

static void setup(void)
{
	f = open_memstream(&text, &len);
	ck_assert_ptr_nonnull(f);
	tk_diag_sink(f);
}

static void teardown(void)
{
	tk_diag_sink(NULL);
	fclose(f);
	free(text);
	text = NULL;
}

/* what the sink wrote so far */
static const char *written(void)
{
	fflush(f);
	return text;
}

START_TEST(test_diag_warn_bytes)
{
	unsigned long before = tk_diag_count(TK_D_GZIP_TRAILING);
	TK_WARN(GZIP_TRAILING, "a\x1b.log", 12ULL);
	ck_assert_str_eq(written(), "ticks: a\\x1b.log: 12 bytes after the end of the gzip data: ignored "
				    "(trailing garbage)\n");
	ck_assert_uint_eq(tk_diag_count(TK_D_GZIP_TRAILING), before + 1);
	TK_WARN(CANNOT_WRITE, "out.txt", "Permission denied");
	ck_assert_str_eq(written(), "ticks: a\\x1b.log: 12 bytes after the end of the gzip data: ignored "
				    "(trailing garbage)\nticks: cannot write out.txt: Permission denied\n");
}
END_TEST

START_TEST(test_diag_line_and_free_text)
{
	tk_diagf("ticks: %s: ", "x.log");
	tk_diagf("%d of %d lines not (fully) used:", 1, 2);
	tk_diagf("%s\n", "");
	ck_assert_str_eq(written(), "ticks: x.log: 1 of 2 lines not (fully) used:\n");
}
END_TEST

static void line_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void line_warn(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	tk_diag_vline("y.log", 7, fmt, ap);
	va_end(ap);
}

START_TEST(test_diag_vline)
{
	line_warn("bad tick line: field %d is '%s'", 3, "q\tr");
	ck_assert_str_eq(written(), "ticks: y.log:7: bad tick line: field 3 is 'q\\tr'\n");
}
END_TEST

START_TEST(test_diag_print)
{
	struct tk_diag d = { 0 };
	tk_diag_set(&d, TK_EXIT_INPUT, "empty file: not a V8 log");
	tk_diag_print(&d);
	d.file = "z.log";
	tk_diag_print(&d);
	d.line = 4;
	tk_diag_print(&d);
	ck_assert_str_eq(written(), "ticks: empty file: not a V8 log\nticks: z.log: empty file: not a V8 log\n"
				    "ticks: z.log:4: empty file: not a V8 log\n");
}
END_TEST

/* a progress line on the sink's stream is erased before the message,
 * and shown again by the next update */
START_TEST(test_diag_clears_progress)
{
	struct tk_progress p;
	tk_progress_init(&p, tk_diag_file(), "p.log", 1);
	tk_progress_update(&p, 10, 100, 3);
	const char *line = "\rticks: p.log:  10% of 0.0 MB, 3 ticks";
	ck_assert_str_eq(written(), line);
	size_t shown = strlen(line) - 1;
	TK_WARN(NO_VERSION, "p.log");
	char want[512];
	snprintf(want, sizeof want, "%s\r%*s\rticks: p.log: no v8-version line: VM states read as V8 11\n", line,
		 (int)shown, "");
	ck_assert_str_eq(written(), want);
	tk_progress_end(&p); /* nothing shown any more: writes nothing */
	ck_assert_str_eq(written(), want);
}
END_TEST

/* every kind has a unique name and a format "ticks: ...\n" */
START_TEST(test_diag_kinds_table)
{
	for (int k = 0; k < TK_D_COUNT; k++) {
		const struct tk_dkind_info *i = &tk_dkinds[k];
		ck_assert_ptr_nonnull(i->name);
		ck_assert_ptr_nonnull(i->fmt);
		ck_assert_msg(strncmp(i->fmt, "ticks: ", 7) == 0, "%s: format without 'ticks: '", i->name);
		size_t n = strlen(i->fmt);
		ck_assert_msg(n > 8 && i->fmt[n - 1] == '\n' && i->fmt[n - 2] != '\n', "%s: not one final newline",
			      i->name);
		ck_assert_msg(strchr(i->fmt, '\n') == i->fmt + n - 1, "%s: a newline inside", i->name);
		for (const char *c = i->name; *c; c++)
			ck_assert_msg((*c >= 'a' && *c <= 'z') || (*c >= '0' && *c <= '9') || *c == '_', "%s: not snake_case",
				      i->name);
		for (int j = 0; j < k; j++)
			ck_assert_msg(strcmp(i->name, tk_dkinds[j].name) != 0, "%s twice", i->name);
	}
	ck_assert_uint_eq(tk_diag_count(TK_D_COUNT), 0);
}
END_TEST

Suite *tk_suite_diag(void)
{
	Suite *s = suite_create("diag");
	TCase *tc = tcase_create("core");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_diag_warn_bytes);
	tcase_add_test(tc, test_diag_line_and_free_text);
	tcase_add_test(tc, test_diag_vline);
	tcase_add_test(tc, test_diag_print);
	tcase_add_test(tc, test_diag_clears_progress);
	tcase_add_test(tc, test_diag_kinds_table);
	suite_add_tcase(s, tc);
	return s;
}
