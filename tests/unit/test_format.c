/* format: the table's invariants (what main.c relies on), lookup by
 * name, the name list and --help's wrapped list. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "out/format.h"
#include "suites.h"
#include "testreport.h"

static size_t count_with(unsigned flag)
{
	size_t n = 0;
	for (size_t k = 0; k < tk_n_formats; k++)
		n += (tk_formats[k].flags & flag) == flag;
	return n;
}

START_TEST(test_names_unique_and_plain)
{
	ck_assert_uint_ge(tk_n_formats, 2);
	for (size_t k = 0; k < tk_n_formats; k++) {
		const char *n = tk_formats[k].name;
		ck_assert_ptr_nonnull(n);
		ck_assert_uint_gt(strlen(n), 0);
		/* a word: the completion scripts and messages print it as is */
		ck_assert_msg(strcspn(n, " ,%()'\"\\=") == strlen(n), "format name '%s'", n);
		for (size_t m = 0; m < k; m++)
			ck_assert_msg(strcmp(n, tk_formats[m].name) != 0, "'%s' twice", n);
	}
}
END_TEST

START_TEST(test_every_entry_writes)
{
	for (size_t k = 0; k < tk_n_formats; k++)
		ck_assert_msg(tk_formats[k].write != NULL, "%s has no writer", tk_formats[k].name);
}
END_TEST

START_TEST(test_flags_as_main_uses_them)
{
	/* one default (text: what --pcs/--timeline/--annotate need), one --json */
	ck_assert_uint_eq(count_with(TK_FMT_DEFAULT), 1);
	ck_assert_uint_eq(count_with(TK_FMT_JSON), 1);
	ck_assert_ptr_eq(tk_format_with(TK_FMT_DEFAULT), &tk_formats[0]);
	ck_assert_str_eq(tk_format_with(TK_FMT_DEFAULT)->name, "text");
	ck_assert_str_eq(tk_format_with(TK_FMT_JSON)->name, "json");
	ck_assert_ptr_null(tk_format_with(TK_FMT_DEFAULT | TK_FMT_JSON));
	for (size_t k = 0; k < tk_n_formats; k++) {
		unsigned f = tk_formats[k].flags;
		const char *n = tk_formats[k].name;
		/* main.c's streaming loop writes only the text report and JSON */
		ck_assert_msg(!(f & TK_FMT_STREAMED) == !(f & (TK_FMT_DEFAULT | TK_FMT_JSON)), "%s streamed", n);
		ck_assert_msg(!(f & TK_FMT_BINARY) || !(f & TK_FMT_STREAMED), "%s binary and streamed", n);
		ck_assert_msg(!(f & TK_FMT_ONE_LOG) || !(f & TK_FMT_STREAMED), "%s one-log and streamed", n);
		/* the builder of one log: several only as one file each */
		ck_assert_msg(!(f & TK_FMT_PREPROCESS) || (f & TK_FMT_ONE_LOG), "%s preprocess, several logs", n);
		ck_assert_msg(!(f & TK_FMT_SAMPLES) || !(f & TK_FMT_STREAMED), "%s samples and streamed", n);
	}
	/* the fuzz target picks a kept format with 3 bits (1..6) */
	ck_assert_uint_le(tk_n_formats - count_with(TK_FMT_STREAMED), 6);
}
END_TEST

START_TEST(test_find_each)
{
	for (size_t k = 0; k < tk_n_formats; k++)
		ck_assert_ptr_eq(tk_format_find(tk_formats[k].name), &tk_formats[k]);
	ck_assert_uint_eq(tk_format_find("pprof")->flags & TK_FMT_BINARY, TK_FMT_BINARY);
	ck_assert_uint_eq(tk_format_find("cpuprofile")->flags & TK_FMT_SAMPLES, TK_FMT_SAMPLES);
	ck_assert_uint_eq(tk_format_find("preprocess")->flags & TK_FMT_PREPROCESS, TK_FMT_PREPROCESS);
}
END_TEST

static const char *const unknown[] = { "", "JSON", "Text", "pprof ", " pprof", "pp", "texts", "htm", "folded,",
				       "speedscope=1", "-" };

START_TEST(test_find_unknown)
{
	ck_assert_ptr_null(tk_format_find(unknown[_i]));
}
END_TEST

START_TEST(test_names_list)
{
	char buf[256];
	const char *want = "text, json, folded, pprof, cpuprofile, speedscope, html, preprocess";
	ck_assert_uint_eq(tk_format_names(buf, sizeof buf, ", "), strlen(want));
	ck_assert_str_eq(buf, want);
	ck_assert_uint_eq(tk_format_names(buf, sizeof buf, " "), strlen(want) - 7);
	ck_assert_str_eq(buf, "text json folded pprof cpuprofile speedscope html preprocess");
	/* cut at cap, always terminated, the whole length returned */
	memset(buf, 'X', sizeof buf);
	ck_assert_uint_eq(tk_format_names(buf, 6, " "), strlen(want) - 7);
	ck_assert_str_eq(buf, "text ");
	ck_assert_uint_eq(tk_format_names(buf, 1, " "), strlen(want) - 7);
	ck_assert_str_eq(buf, "");
	ck_assert_uint_eq(tk_format_names(NULL, 0, " "), strlen(want) - 7);
}
END_TEST

START_TEST(test_help_wrapped)
{
	char *p = NULL;
	size_t n = 0;
	FILE *f = open_memstream(&p, &n);
	ck_assert_ptr_nonnull(f);
	tk_format_help(f, 28, 90);
	fclose(f);
	ck_assert_str_eq(p, "text (default), json, folded, pprof (gzipped profile.proto),\n"
			    "                            cpuprofile (Chrome DevTools), speedscope, html (flame graph),\n"
			    "                            preprocess (node --prof-process --preprocess; one log)\n");
	free(p);
}
END_TEST

/* the text and JSON adapters sum the logs with merge set (as main.c's
 * --merge prints them), and give each log its own report without */
START_TEST(test_adapters_merge)
{
	struct tk_test_report r;
	tk_test_report_build(&r, 2, 1, 0, 0);
	const struct tk_format *text = tk_format_with(TK_FMT_DEFAULT), *json = tk_format_with(TK_FMT_JSON);
	size_t n;
	char *s = tk_test_report_write(&r, text->write, 1, &n);
	ck_assert_uint_eq(tk_test_count(s, n, "Statistical profiling result"), 1);
	ck_assert_msg(strstr(s, "from 2 logs (") && strstr(s, "(15 ticks,"), "%s", s);
	free(s);
	s = tk_test_report_write(&r, text->write, 0, &n);
	ck_assert_uint_eq(tk_test_count(s, n, "Statistical profiling result"), 2);
	ck_assert_ptr_null(strstr(s, "2 logs"));
	free(s);
	tk_test_report_free(&r);
	tk_test_report_build(&r, 2, 1, 0, 1);
	s = tk_test_report_write(&r, json->write, 1, &n);
	ck_assert_msg(strstr(s, "\"merged_logs\"") != NULL, "%s", s);
	ck_assert_uint_eq(tk_test_count(s, n, "\"ticks\": 15") + tk_test_count(s, n, "\"ticks\":15"), 1);
	free(s);
	s = tk_test_report_write(&r, json->write, 0, &n);
	ck_assert_ptr_null(strstr(s, "merged_logs"));
	free(s);
	tk_test_report_free(&r);
}
END_TEST

Suite *tk_suite_format(void)
{
	Suite *s = suite_create("format");
	TCase *tc = tcase_create("table");
	tcase_add_test(tc, test_names_unique_and_plain);
	tcase_add_test(tc, test_adapters_merge);
	tcase_add_test(tc, test_every_entry_writes);
	tcase_add_test(tc, test_flags_as_main_uses_them);
	suite_add_tcase(s, tc);
	tc = tcase_create("lookup");
	tcase_add_test(tc, test_find_each);
	tcase_add_loop_test(tc, test_find_unknown, 0, (int)(sizeof unknown / sizeof *unknown));
	tcase_add_test(tc, test_names_list);
	tcase_add_test(tc, test_help_wrapped);
	suite_add_tcase(s, tc);
	return s;
}
