/* out_text: JavaScript's toFixed(1) and UTF-16 string order. */
#include <float.h>
#include <math.h>
#include <stdio.h>
#include <string.h>
#include "out/out_text.h"
#include "suites.h"
#include "base/util.h"

/* ---- tk_fmt_fixed1 ---------------------------------------------------- */

static const struct {
	double x;
	const char *want;
} fixed_cases[] = {
	{ 0.25, "0.3" },      /* exact tie: JS takes the larger (printf: 0.2) */
	{ 0.75, "0.8" },
	{ 12.25, "12.3" },
	{ 12.75, "12.8" },
	{ 2.25, "2.3" },
	{ 0.35, "0.3" },      /* the double is below 0.35 */
	{ 0.05, "0.1" },      /* the double is above 0.05 */
	{ 0.15, "0.1" },
	{ 99.95, "100.0" },
	{ 99.94, "99.9" },
	{ 100, "100.0" },
	{ 0, "0.0" },
	{ -0.0, "0.0" },      /* (-0).toFixed(1) is "0.0" */
	{ 1.0 / 3 * 100, "33.3" },
	{ 2.0 / 3 * 100, "66.7" },
	{ 1e-9, "0.0" },
	{ 0.04999999999999999, "0.0" },
	{ 1234567.25, "1234567.3" },
	{ -0.25, "-0.3" },    /* toFixed on -x is "-" + x.toFixed */
	{ -0.04, "-0.0" },    /* ... so the sign stays on a rounded-away value */
	{ -1e-9, "-0.0" },
	{ -12.35, "-12.3" },
	{ NAN, "NaN" },
	{ INFINITY, "Infinity" },
	{ -INFINITY, "-Infinity" },
};

START_TEST(test_fixed1_table)
{
	char out[64];
	memset(out, 'X', sizeof out);
	tk_fmt_fixed1(out, sizeof out, fixed_cases[_i].x);
	ck_assert_msg(strcmp(out, fixed_cases[_i].want) == 0, "%.17g -> '%s', want '%s'", fixed_cases[_i].x, out,
		      fixed_cases[_i].want);
}
END_TEST

/* x = k/4 exactly: 10x = 5k/2, an integer for even k, a tie between
 * (5k-1)/2 and (5k+1)/2 for odd k, where JS takes the larger. */
START_TEST(test_fixed1_quarters)
{
	char out[64], want[64];
	for (long long k = 0; k <= 400000; k++) {
		long long n = k % 2 == 0 ? 5 * k / 2 : (5 * k + 1) / 2;
		snprintf(want, sizeof want, "%lld.%lld", n / 10, n % 10);
		tk_fmt_fixed1(out, sizeof out, (double)k / 4);
		if (strcmp(out, want) != 0)
			ck_abort_msg("%lld/4 -> '%s', want '%s'", k, out, want);
	}
}
END_TEST

/* Brute force with exact arithmetic: 10*x of a double needs at most 57
 * significant bits, so a 64-bit long double holds it exactly; n is the
 * integer nearest to it, ties up (the toFixed rule). */
static void expect_fixed1(double x)
{
	char out[64], want[64];
	long double y = (long double)x * 10;
	long double n = floorl(y);
	if (y - n >= 0.5L)
		n += 1;
	long long ni = (long long)n;
	snprintf(want, sizeof want, "%lld.%lld", ni / 10, ni % 10);
	tk_fmt_fixed1(out, sizeof out, x);
	if (strcmp(out, want) != 0) /* no ck_assert per value: each is a syscall */
		ck_abort_msg("%.17g -> '%s', want '%s'", x, out, want);
}

START_TEST(test_fixed1_bruteforce)
{
	if (LDBL_MANT_DIG < 64)
		return; /* no exact long double here: covered by the tables */
	for (int i = 0; i <= 200000; i++)
		expect_fixed1(i / 1000.0);
	/* the report's own arithmetic: ticks * 100 / total and
	 * total / parent * 100 */
	for (int a = 0; a <= 300; a++)
		for (int b = 1; b <= 300; b++) {
			expect_fixed1((double)a * 100.0 / (double)b);
			expect_fixed1((double)a / (double)b * 100.0);
		}
}
END_TEST

/* Exact ties far from 0: toFixed still takes the larger n, up to x < 2^51
 * (beyond that 4x is never odd). Regression: ties with 10x >= 2^52 went
 * to printf's half-to-even. */
static const struct {
	double x;
	const char *want;
} big_ties[] = {
	{ 250000000000000.25, "250000000000000.3" },
	{ 450359962737049.25, "450359962737049.3" },   /* 10x just below 2^52 */
	{ 562949953421312.25, "562949953421312.3" },   /* regression */
	{ 1125899906842624.25, "1125899906842624.3" }, /* regression: 2^50 + 0.25 */
};

START_TEST(test_fixed1_big_ties)
{
	char out[64];
	tk_fmt_fixed1(out, sizeof out, big_ties[_i].x);
	ck_assert_msg(strcmp(out, big_ties[_i].want) == 0, "%.17g -> '%s', want '%s'", big_ties[_i].x, out,
		      big_ties[_i].want);
	if (LDBL_MANT_DIG >= 64)
		expect_fixed1(big_ties[_i].x); /* the table itself, checked exactly */
}
END_TEST

/* ---- tk_cmp_utf16 ----------------------------------------------------- */

static const struct {
	const char *a, *b;
	int want; /* sign */
} cmp_cases[] = {
	{ "abc", "abd", -1 },
	{ "abc", "abc", 0 },
	{ "", "", 0 },
	{ "", "a", -1 },
	{ "ab", "abc", -1 },           /* a prefix sorts first */
	{ "B", "a", -1 },
	{ "funcA", "funcB", -1 },
	{ "[vdso]", "/usr/bin/node", 1 },
	{ "JS: *fib", "JS: ~fib", -1 },
	{ "\xc3\xa9", "z", 1 },          /* é (U+00E9) after z */
	{ "\xc3\xa9", "\xc3\xa8", 1 },   /* é after è: differ in the 2nd byte */
	{ "\xe4\xb8\xad", "\xc3\xa9", 1 },
	/* UTF-16: an astral char is a surrogate pair D83D DE00, below
	 * U+E000..U+FFFF although its UTF-8 bytes (F0..) are larger */
	{ "\xf0\x9f\x98\x80", "\xef\xbf\xbd", -1 },       /* U+1F600 < U+FFFD */
	{ "\xf0\x9f\x98\x80", "\xee\x80\x80", -1 },       /* U+1F600 < U+E000 */
	{ "\xf0\x9f\x98\x80", "\xef\xbf\xbf", -1 },       /* U+1F600 < U+FFFF */
	{ "\xf0\x9f\x98\x80", "\xed\x9f\xbf", 1 },        /* U+1F600 > U+D7FF */
	{ "\xf0\x9f\x98\x80", "\xe4\xb8\xad", 1 },        /* U+1F600 > U+4E2D */
	{ "\xf0\x9f\x98\x80", "\xf0\x9f\x98\x81", -1 },   /* low surrogates differ */
	{ "\xf0\x90\x80\x80", "\xf4\x8f\xbf\xbf", -1 },   /* U+10000 < U+10FFFF */
	{ "x\xf0\x9f\x98\x80y", "x\xef\xbf\xbd" "a", -1 },
	{ "a\xf0\x9f\x98\x80", "a", 1 },
	{ "JS: \xf0\x9f\x98\x80", "JS: \xee\x80\x80", -1 },
};

static int sign(int v)
{
	return (v > 0) - (v < 0);
}

START_TEST(test_cmp_table)
{
	const char *a = cmp_cases[_i].a, *b = cmp_cases[_i].b;
	int r = tk_cmp_utf16(a, strlen(a), b, strlen(b));
	ck_assert_msg(sign(r) == cmp_cases[_i].want, "cmp('%s', '%s') = %d", a, b, r);
	r = tk_cmp_utf16(b, strlen(b), a, strlen(a));
	ck_assert_msg(sign(r) == -cmp_cases[_i].want, "cmp('%s', '%s') = %d (swapped)", b, a, r);
}
END_TEST

/* Lengths, not NULs, end the strings. */
START_TEST(test_cmp_embedded_nul)
{
	ck_assert_int_gt(tk_cmp_utf16("a\0b", 3, "a", 1), 0);
	ck_assert_int_gt(tk_cmp_utf16("a\0b", 3, "a\0a", 3), 0);
	ck_assert_int_lt(tk_cmp_utf16("a\0b", 3, "ab", 2), 0);
	ck_assert_int_eq(tk_cmp_utf16("a\0b", 3, "a\0b", 3), 0);
	ck_assert_int_eq(tk_cmp_utf16("abc", 2, "abd", 2), 0);
}
END_TEST

/* Random strings over code points around the interesting boundaries:
 * tk_cmp_utf16 on their UTF-8 must agree with a plain comparison of
 * their UTF-16 code units. */
static const uint32_t pool[] = { 0x41, 0x61, 0x7a, 0xe9, 0x7ff, 0x800, 0x4e2d, 0xd7ff,
				 0xe000, 0xfffd, 0xffff, 0x10000, 0x1f600, 0x1f601, 0x10ffff };

static size_t to_utf16(const uint32_t *cp, size_t n, uint16_t *out)
{
	size_t k = 0;
	for (size_t i = 0; i < n; i++) {
		if (cp[i] >= 0x10000) {
			out[k++] = (uint16_t)(0xd800 + ((cp[i] - 0x10000) >> 10));
			out[k++] = (uint16_t)(0xdc00 + ((cp[i] - 0x10000) & 0x3ff));
		} else {
			out[k++] = (uint16_t)cp[i];
		}
	}
	return k;
}

START_TEST(test_cmp_random)
{
	uint32_t seed = 2463534242u;
	struct tk_buf ba = { 0 }, bb = { 0 };
	for (int iter = 0; iter < 50000; iter++) {
		uint32_t ca[4], cb[4];
		uint16_t ua[8], ub[8];
		size_t na, nb;
		seed ^= seed << 13, seed ^= seed >> 17, seed ^= seed << 5;
		na = seed % 4;
		nb = (seed >> 2) % 4;
		for (size_t i = 0; i < 4; i++) {
			seed ^= seed << 13, seed ^= seed >> 17, seed ^= seed << 5;
			ca[i] = pool[seed % (sizeof pool / sizeof *pool)];
			cb[i] = (seed >> 8) % 3 == 0 ? ca[i] : pool[(seed >> 12) % (sizeof pool / sizeof *pool)];
		}
		tk_buf_reset(&ba);
		tk_buf_reset(&bb);
		tk_buf_adds(&ba, "");
		tk_buf_adds(&bb, "");
		for (size_t i = 0; i < na; i++)
			tk_buf_add_utf8(&ba, ca[i]);
		for (size_t i = 0; i < nb; i++)
			tk_buf_add_utf8(&bb, cb[i]);
		size_t la = to_utf16(ca, na, ua), lb = to_utf16(cb, nb, ub);
		int want = 0;
		for (size_t i = 0; i < la && i < lb && !want; i++)
			want = ua[i] < ub[i] ? -1 : ua[i] > ub[i];
		if (!want)
			want = la < lb ? -1 : la > lb;
		int got = sign(tk_cmp_utf16(ba.p, ba.len, bb.p, bb.len));
		if (got != want)
			ck_abort_msg("iter %d: got %d want %d", iter, got, want);
	}
	tk_buf_free(&ba);
	tk_buf_free(&bb);
}
END_TEST

#define N_OF(a) ((int)(sizeof(a) / sizeof *(a)))

Suite *tk_suite_out_text(void)
{
	Suite *s = suite_create("out_text");
	TCase *tc = tcase_create("fixed1");
	tcase_add_loop_test(tc, test_fixed1_table, 0, N_OF(fixed_cases));
	tcase_add_test(tc, test_fixed1_quarters);
	tcase_add_test(tc, test_fixed1_bruteforce);
	tcase_add_loop_test(tc, test_fixed1_big_ties, 0, N_OF(big_ties));
	tcase_set_timeout(tc, 60);
	suite_add_tcase(s, tc);
	tc = tcase_create("cmp_utf16");
	tcase_add_loop_test(tc, test_cmp_table, 0, N_OF(cmp_cases));
	tcase_add_test(tc, test_cmp_embedded_nul);
	tcase_add_test(tc, test_cmp_random);
	suite_add_tcase(s, tc);
	return s;
}
