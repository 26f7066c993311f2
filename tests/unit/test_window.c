/* window: bound parsing, intersection of bounds, the tick-time pass and
 * percentages resolved from it. */
#include <math.h>
#include <string.h>
#include "suites.h"
#include "ingest/window.h"

START_TEST(test_parse)
{
	struct tk_bound b;
	ck_assert_int_eq(tk_window_parse("1500", &b), 0);
	ck_assert(b.set && !b.pct && b.v == 1500.0);
	ck_assert_int_eq(tk_window_parse("12.5%", &b), 0);
	ck_assert(b.set && b.pct && b.v == 12.5);
	ck_assert_int_eq(tk_window_parse("0%", &b), 0);
	ck_assert_int_eq(tk_window_parse("100%", &b), 0);
	static const char *const bad[] = { "", "%", "-1", "+1", " 1", "100.1%", "1x", "1%%", "nan", "inf", "1e999" };
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
		ck_assert_msg(tk_window_parse(bad[i], &b) < 0, "'%s' accepted", bad[i]);
}
END_TEST

START_TEST(test_narrow)
{
	struct tk_opts o;
	tk_opts_default(&o);
	tk_window_narrow(&o, 100, 0);
	tk_window_narrow(&o, 50, 0);  /* a looser start does not widen */
	tk_window_narrow(&o, 900, 1);
	tk_window_narrow(&o, 700, 1);
	ck_assert(o.have_range_start && o.range_start_ms == 100);
	ck_assert(o.have_range_end && o.range_end_ms == 700);
	tk_window_narrow(&o, 200, 0);
	ck_assert(o.range_start_ms == 200);
}
END_TEST

static void setup(void)
{
	tk_test_tmp_make();
}

static void teardown(void)
{
	tk_test_tmp_remove();
}

static const char log_text[] =
	"v8-version,11,3,244,8,0,0\n"
	"tick,0x10,3000,0,0x0,0\n"
	"code-creation,JS,10,100,0x1000,256,f a.js:1:1,0x9000,*\n"
	"tick,0x1010,1000,0,0x0,0,0x20\n"     /* out of order: still the first */
	"tick,bad,2000,0,0x0,0\n"
	"tick,0x10\n"                          /* no time: skipped */
	"tick,0x10,11000,0,0x0,0\n"
	"tick,0x10,12000,0,0x0,-1\n"           /* bad VM state: not in the profile, */
	"tick,0x1ffffffffffffffff,13000,0,0x0,0\n"; /* nor is a pc past 64 bits */

START_TEST(test_scan_and_resolve)
{
	struct tk_diag d = {0};
	uint64_t first = 0, last = 0;
	const char *p = tk_test_spit("a.log", log_text, sizeof log_text - 1);
	ck_assert_int_eq(tk_window_scan(p, &first, &last, &d), 1);
	ck_assert_uint_eq(first, 1000);
	ck_assert_uint_eq(last, 11000); /* the profile's last tick, not a bad line's */
	/* 25% .. 50% of [1000, 11000] us: ticks at 3500..6000 us kept,
	 * the boundaries included */
	struct tk_opts o;
	tk_opts_default(&o);
	struct tk_bound from, to;
	tk_window_parse("25%", &from);
	tk_window_parse("50%", &to);
	ck_assert_int_eq(tk_window_resolve(&o, p, &from, &to, &d), 0);
	ck_assert(o.have_range_start && o.have_range_end);
	ck_assert(o.range_start_ms * 1000.0 < 3500.0 && o.range_start_ms * 1000.0 > 3499.0);
	ck_assert(o.range_end_ms * 1000.0 > 6000.0 && o.range_end_ms * 1000.0 < 6001.0);
	/* with a tighter --range start already there, that one stays */
	tk_opts_default(&o);
	tk_window_narrow(&o, 5.0, 0);
	ck_assert_int_eq(tk_window_resolve(&o, p, &from, &to, &d), 0);
	ck_assert(o.range_start_ms == 5.0);
	/* no ticks: left as is; unreadable: an error */
	p = tk_test_spit("b.log", "v8-version,11,3,244,8,0,0\n", 26);
	tk_opts_default(&o);
	ck_assert_int_eq(tk_window_scan(p, &first, &last, &d), 0);
	ck_assert_int_eq(tk_window_resolve(&o, p, &from, &to, &d), 0);
	ck_assert(!o.have_range_start && !o.have_range_end);
	ck_assert_int_eq(tk_window_scan("/nonexistent/x.log", &first, &last, &d), -1);
	ck_assert_int_eq(d.code, TK_EXIT_INPUT);
}
END_TEST

Suite *tk_suite_window(void)
{
	Suite *s = suite_create("window");
	TCase *tc = tcase_create("window");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_parse);
	tcase_add_test(tc, test_narrow);
	tcase_add_test(tc, test_scan_and_resolve);
	tcase_set_timeout(tc, 60);
	suite_add_tcase(s, tc);
	return s;
}
