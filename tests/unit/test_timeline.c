/* timeline: categories by VM state and innermost frame, intervals that
 * add up to the ticks, bars scaled and rounded by largest remainder. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "suites.h"
#include "report/timeline.h"

START_TEST(test_bar)
{
	char bar[40];
	uint64_t c1[TK_TL_CATS] = { 3, 0, 1, 0, 0, 0 };
	tk_timeline_bar(c1, 8, 8, bar);
	ck_assert_str_eq(bar, "JJJG");
	uint64_t c2[TK_TL_CATS] = { 1, 1, 1, 0, 0, 0 };
	tk_timeline_bar(c2, 3, 8, bar); /* 2.67 each: the first two get the spare columns */
	ck_assert_str_eq(bar, "JJJCCCGG");
	uint64_t c3[TK_TL_CATS] = { 0, 0, 0, 0, 0, 1 };
	tk_timeline_bar(c3, 1000, 24, bar); /* never blank when it has ticks */
	ck_assert_str_eq(bar, "?");
	uint64_t c4[TK_TL_CATS] = { 0 };
	tk_timeline_bar(c4, 10, 24, bar);
	ck_assert_str_eq(bar, "");
	uint64_t c5[TK_TL_CATS] = { 1, 2, 3, 4, 5, 9 };
	tk_timeline_bar(c5, 24, 24, bar);
	ck_assert_str_eq(bar, "JCCGGGLLLLIIIII?????????");
}
END_TEST

struct fx {
	struct tk_opts o;
	struct tk_names names;
	struct tk_elfcache cache;
	struct tk_isolate iso;
};

static void feed(struct fx *f, const char *line)
{
	char *copy = strdup(line);
	tk_isolate_line(&f->iso, copy, strlen(copy), 1);
	free(copy);
}

START_TEST(test_build)
{
	struct fx f;
	tk_opts_default(&f.o);
	f.o.quiet = 1;
	f.o.keep_samples = 1;
	tk_names_init(&f.names);
	tk_elfcache_init(&f.cache, NULL);
	f.cache.quiet = 1;
	f.cache.no_symbols = 1;
	tk_isolate_init(&f.iso, "t.log", &f.o, &f.names, &f.cache);
	feed(&f, "v8-version,11,3,244,8,0,0");
	feed(&f, "shared-library,[vdso],0x7ffff0000000,0x7ffff0002000,0");
	feed(&f, "code-creation,JS,10,100,0x1000,256,f a.js:1:1,0x9000,*");
	int js = f.iso.state_num[TK_VM_JS], gc = f.iso.state_num[TK_VM_GC], idle = f.iso.state_num[TK_VM_IDLE];
	ck_assert(js >= 0 && gc >= 0 && idle >= 0);
	/* times 1000..10999 us in 10 intervals of 1 ms */
	static const struct { uint64_t pc, t; int state; enum tk_tl_cat cat; } ticks[] = {
		{ 0x1010, 1000, 0, TK_TL_JS }, { 0x1010, 1500, 0, TK_TL_JS },
		{ 0x7ffff0000010, 2000, 0, TK_TL_LIB }, { 0x1010, 2999, 1, TK_TL_GC },
		{ 0x5, 5000, 0, TK_TL_OTHER }, { 0x0, 9000, 2, TK_TL_IDLE }, { 0x1010, 10999, 0, TK_TL_JS },
	};
	for (size_t i = 0; i < sizeof ticks / sizeof *ticks; i++) {
		char line[128];
		int st = ticks[i].state == 1 ? gc : ticks[i].state == 2 ? idle : js;
		snprintf(line, sizeof line, "tick,0x%llx,%llu,0,0x0,%d", (unsigned long long)ticks[i].pc,
			 (unsigned long long)ticks[i].t, st);
		feed(&f, line);
		ck_assert_int_eq(tk_timeline_cat(&f.iso, &f.iso.prof.samples[i]), ticks[i].cat);
	}
	struct tk_timeline tl;
	tk_timeline_build(&tl, &f.iso, 10);
	ck_assert_uint_eq(tl.n, 10);
	ck_assert_uint_eq(tl.t0, 1000);
	ck_assert_uint_eq(tl.c[0][TK_TL_JS], 2);
	ck_assert_uint_eq(tl.c[1][TK_TL_LIB], 1);
	ck_assert_uint_eq(tl.c[1][TK_TL_GC], 1);
	ck_assert_uint_eq(tl.c[4][TK_TL_OTHER], 1);
	ck_assert_uint_eq(tl.c[8][TK_TL_IDLE], 1);
	ck_assert_uint_eq(tl.c[9][TK_TL_JS], 1); /* the last tick lands in the last interval */
	ck_assert_uint_eq(tl.max, 2);
	uint64_t sum = 0;
	for (size_t k = 0; k < tl.n; k++)
		for (int c = 0; c < TK_TL_CATS; c++)
			sum += tl.c[k][c];
	ck_assert_uint_eq(sum, 7);
	tk_timeline_free(&tl);
	/* more intervals than ticks apart: still every tick in one */
	tk_timeline_build(&tl, &f.iso, 1000);
	sum = 0;
	for (size_t k = 0; k < tl.n; k++)
		for (int c = 0; c < TK_TL_CATS; c++)
			sum += tl.c[k][c];
	ck_assert_uint_eq(sum, 7);
	ck_assert_uint_eq(tl.c[999][TK_TL_JS], 1);
	tk_timeline_free(&tl);
	/* the chart: one row per interval, none wider than 80 columns */
	char *text = NULL;
	size_t len = 0;
	FILE *m = open_memstream(&text, &len);
	tk_out_timeline(m, &f.iso, 10);
	fclose(m);
	int rows = 0;
	for (char *line = strtok(text, "\n"); line; line = strtok(NULL, "\n")) {
		ck_assert_msg(strlen(line) <= 80, "too wide: '%s'", line);
		rows += line[0] == ' ' && line[8] == '.'; /* "       1.0 ..." */
	}
	ck_assert_int_eq(rows, 10);
	free(text);
	tk_isolate_release(&f.iso);
	tk_elfcache_release(&f.cache);
	tk_names_release(&f.names);
}
END_TEST

Suite *tk_suite_timeline(void)
{
	Suite *s = suite_create("timeline");
	TCase *tc = tcase_create("timeline");
	tcase_add_test(tc, test_bar);
	tcase_add_test(tc, test_build);
	tcase_set_timeout(tc, 60);
	suite_add_tcase(s, tc);
	return s;
}
