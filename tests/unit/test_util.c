/* util: strict number parsers, the arena, UTF-8 encoding, tk_xgrow. */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "suites.h"
#include "base/util.h"

/* ---- number parsers --------------------------------------------------- */

/* ok: 1 = must parse to val, 0 = must fail */
static const struct {
	const char *s;
	int ok;
	uint64_t val;
} u64_cases[] = {
	{ "0", 1, 0 },
	{ "7", 1, 7 },
	{ "1234567890", 1, 1234567890ull },
	{ "0x0", 1, 0 },
	{ "0x1f", 1, 0x1f },
	{ "0X1F", 1, 0x1f },
	{ "0xDeadBeef", 1, 0xdeadbeefull },
	{ "0x7fc854003d80", 1, 0x7fc854003d80ull },
	{ "0xffffffffffffffff", 1, UINT64_MAX },          /* 16 hex digits */
	{ "0x0000000000000001", 1, 1 },
	{ "18446744073709551615", 1, UINT64_MAX },        /* 2^64 - 1 */
	{ "18446744073709551616", 0, 0 },                 /* 2^64 */
	{ "18446744073709551620", 0, 0 },
	{ "99999999999999999999", 0, 0 },                 /* 20 digits, too big */
	{ "184467440737095516150", 0, 0 },                /* 21 digits */
	{ "0x10000000000000000", 0, 0 },                  /* 17 hex digits = 2^64 */
	{ "0x1ffffffffffffffff", 0, 0 },
	{ "", 0, 0 },
	{ "0x", 0, 0 },                                   /* prefix alone */
	{ "0X", 0, 0 },
	{ "x1", 0, 0 },
	{ "-1", 0, 0 },
	{ "+1", 0, 0 },
	{ " 1", 0, 0 },
	{ "1 ", 0, 0 },
	{ "12a", 0, 0 },
	{ "0x1g", 0, 0 },
	{ "0x 1", 0, 0 },
	{ "1.5", 0, 0 },
	{ "zz", 0, 0 },
	{ "0x-1", 0, 0 },
};

START_TEST(test_parse_u64)
{
	const char *s = u64_cases[_i].s;
	uint64_t v = 0xabababab;
	int r = tk_parse_u64(s, strlen(s), &v);
	if (u64_cases[_i].ok) {
		ck_assert_msg(r == 0, "'%s' should parse", s);
		ck_assert_msg(v == u64_cases[_i].val, "'%s' gave %llx", s, (unsigned long long)v);
	} else {
		ck_assert_msg(r == -1, "'%s' should be rejected", s);
		ck_assert_msg(v == 0xabababab, "'%s': output written on failure", s);
	}
}
END_TEST

/* The length bounds the field: what follows must not be read. */
/* Every byte at every position of 1..16-digit hex and 1..20-digit
 * decimal fields, against a plain digit-by-digit reference. */
START_TEST(test_parse_every_byte)
{
	for (size_t len = 1; len <= 20; len++) {
		for (size_t pos = 0; pos < len; pos++) {
			for (int c = 0; c < 256; c++) {
				char b[24];
				memset(b, '7', len);
				b[pos] = (char)c;
				uint64_t v = 0, want = 0;
				int ok = 1;
				/* hex, without the prefix */
				for (size_t i = 0; i < len; i++) {
					int ch = (unsigned char)b[i], d = ch >= '0' && ch <= '9' ? ch - '0' :
						 ch >= 'a' && ch <= 'f' ? ch - 'a' + 10 :
						 ch >= 'A' && ch <= 'F' ? ch - 'A' + 10 : -1;
					if (d < 0)
						ok = 0;
					want = want << 4 | (uint64_t)(d & 15);
				}
				if (len > 16)
					ok = 0;
				ck_assert_int_eq(tk_parse_hex(b, len, &v), ok ? 0 : -1);
				if (ok)
					ck_assert_uint_eq(v, want);
				/* decimal */
				ok = 1;
				want = 0;
				for (size_t i = 0; i < len; i++) {
					int d = (unsigned char)b[i] - '0';
					if (d < 0 || d > 9 || want > (UINT64_MAX - (uint64_t)d) / 10) {
						ok = 0;
						break;
					}
					want = want * 10 + (uint64_t)d;
				}
				ck_assert_int_eq(tk_parse_u64(b, len, &v), ok ? 0 : -1);
				if (ok)
					ck_assert_uint_eq(v, want);
			}
		}
	}
}
END_TEST

/* tk_scan_hex_field: every byte at every position of "0x" and 0..18
 * digits, at the end of the text or before ",1"; it must take exactly the
 * fields tk_parse_u64 reads as "0x" hex, with the same value, and end at
 * the field's end. The text is allocated to its size: no byte after it is
 * read (under ASan). */
START_TEST(test_scan_hex_field)
{
	for (size_t len = 2; len <= 20; len++) {
		for (int tail = 0; tail < 2; tail++) {
			for (size_t pos = 0; pos < len; pos++) {
				for (int c = 0; c < 256; c++) {
					size_t n = len + (tail ? 2 : 0);
					char *b = malloc(n);
					memset(b, 'a', len);
					b[0] = '0';
					b[1] = pos == 1 && c == 'X' ? 'X' : 'x';
					b[pos] = (char)c;
					if (tail)
						memcpy(b + len, ",1", 2);
					const char *comma = memchr(b, ',', n);
					size_t flen = comma ? (size_t)(comma - b) : n;
					uint64_t want = 0, v = 0;
					int ok = flen > 2 && b[0] == '0' && (b[1] == 'x' || b[1] == 'X') &&
						 tk_parse_u64(b, flen, &want) == 0;
					const char *e = tk_scan_hex_field(b, b + n, &v);
					ck_assert_msg((e != NULL) == ok, "len %zu pos %zu byte %d tail %d", len, pos, c, tail);
					if (ok) {
						ck_assert_ptr_eq(e, b + flen);
						ck_assert_uint_eq(v, want);
					}
					free(b);
				}
			}
		}
	}
	uint64_t v;
	static const char one[] = "0x1";
	ck_assert_ptr_null(tk_scan_hex_field(one, one + 2, &v)); /* the end bounds it */
	ck_assert_ptr_null(tk_scan_hex_field("", "", &v));
}
END_TEST

START_TEST(test_parse_u64_length_delimited)
{
	uint64_t v;
	ck_assert_int_eq(tk_parse_u64("123,456", 3, &v), 0);
	ck_assert_uint_eq(v, 123);
	ck_assert_int_eq(tk_parse_u64("0x1fzz", 4, &v), 0);
	ck_assert_uint_eq(v, 0x1f);
	ck_assert_int_eq(tk_parse_u64("0x12", 2, &v), -1); /* only "0x" is seen */
}
END_TEST

static const struct {
	const char *s;
	int ok;
	int64_t val;
} i64_cases[] = {
	{ "0", 1, 0 },
	{ "-0", 1, 0 },
	{ "42", 1, 42 },
	{ "-42", 1, -42 },
	{ "-1", 1, -1 },
	{ "9223372036854775807", 1, INT64_MAX },
	{ "-9223372036854775808", 1, INT64_MIN },
	{ "9223372036854775808", 0, 0 },
	{ "-9223372036854775809", 0, 0 },
	{ "0x7fffffffffffffff", 1, INT64_MAX },
	{ "0x8000000000000000", 0, 0 },
	{ "-0x10", 1, -16 },
	{ "", 0, 0 },
	{ "-", 0, 0 },
	{ "--1", 0, 0 },
	{ "+5", 0, 0 },
	{ "1-", 0, 0 },
	{ "18446744073709551615", 0, 0 },
};

START_TEST(test_parse_i64)
{
	const char *s = i64_cases[_i].s;
	int64_t v = 12345;
	int r = tk_parse_i64(s, strlen(s), &v);
	if (i64_cases[_i].ok) {
		ck_assert_msg(r == 0, "'%s' should parse", s);
		ck_assert_msg(v == i64_cases[_i].val, "'%s' gave %lld", s, (long long)v);
	} else {
		ck_assert_msg(r == -1, "'%s' should be rejected", s);
	}
}
END_TEST

static const struct {
	const char *s;
	int ok;
	uint64_t val;
} hex_cases[] = {
	{ "0", 1, 0 },
	{ "a", 1, 10 },
	{ "F", 1, 15 },
	{ "7f09b283c09d", 1, 0x7f09b283c09dull },
	{ "ffffffffffffffff", 1, UINT64_MAX },
	{ "10000000000000000", 0, 0 },          /* 17 digits */
	{ "", 0, 0 },
	{ "0x10", 0, 0 },                       /* no prefix allowed */
	{ "g", 0, 0 },
	{ "12 ", 0, 0 },
	{ "-1", 0, 0 },
};

START_TEST(test_parse_hex)
{
	const char *s = hex_cases[_i].s;
	uint64_t v = 0;
	int r = tk_parse_hex(s, strlen(s), &v);
	if (hex_cases[_i].ok) {
		ck_assert_msg(r == 0, "'%s' should parse", s);
		ck_assert_msg(v == hex_cases[_i].val, "'%s' gave %llx", s, (unsigned long long)v);
	} else {
		ck_assert_msg(r == -1, "'%s' should be rejected", s);
	}
}
END_TEST

/* ---- arena ------------------------------------------------------------ */

static const size_t arena_sizes[] = { 0, 1, 3, 15, 16, 17, 31, 100, 4096, 32767, 32769, 70000, 1 << 20 };

START_TEST(test_arena_alignment)
{
	struct tk_arena a;
	tk_arena_init(&a);
	char *prev = NULL;
	for (int round = 0; round < 8; round++) {
		for (size_t k = 0; k < sizeof arena_sizes / sizeof *arena_sizes; k++) {
			size_t n = arena_sizes[k];
			unsigned char *p = tk_arena_alloc(&a, n);
			ck_assert_ptr_nonnull(p);
			ck_assert_msg(((uintptr_t)p & 15) == 0, "size %zu: %p not 16-aligned", n, (void *)p);
			size_t nonzero = 0;
			for (size_t i = 0; i < n; i++)
				nonzero += p[i] != 0;
			ck_assert_msg(nonzero == 0, "size %zu: %zu bytes not zeroed", n, nonzero);
			memset(p, 0xa5, n); /* whole block writable (ASan checks bounds) */
			ck_assert_ptr_ne(p, prev);
			prev = (char *)p;
		}
	}
	tk_arena_release(&a);
	ck_assert_ptr_null(a.head);
	/* an arena can be reused after release */
	void *q = tk_arena_alloc(&a, 8);
	ck_assert_ptr_nonnull(q);
	tk_arena_release(&a);
}
END_TEST

/* Blocks never overlap: each keeps what was written into it. */
START_TEST(test_arena_blocks_distinct)
{
	struct tk_arena a;
	tk_arena_init(&a);
	enum { N = 5000 };
	unsigned char *blk[N];
	size_t len[N];
	for (int i = 0; i < N; i++) {
		len[i] = (size_t)(i * 37 % 300) + 1;
		blk[i] = tk_arena_alloc(&a, len[i]);
		memset(blk[i], i & 0xff, len[i]);
	}
	size_t bad = 0;
	for (int i = 0; i < N; i++)
		for (size_t j = 0; j < len[i]; j++)
			bad += blk[i][j] != (i & 0xff);
	ck_assert_uint_eq(bad, 0);
	ck_assert_uint_ge(a.total, 5000);
	tk_arena_release(&a);
}
END_TEST

START_TEST(test_arena_strndup)
{
	struct tk_arena a;
	tk_arena_init(&a);
	char *s = tk_arena_strndup(&a, "hello, world", 5);
	ck_assert_str_eq(s, "hello");
	char *e = tk_arena_strndup(&a, "", 0);
	ck_assert_str_eq(e, "");
	char *z = tk_arena_strndup(&a, "a\0b", 3); /* embedded NUL copied too */
	ck_assert_int_eq(memcmp(z, "a\0b", 4), 0);
	ck_assert_int_eq(((uintptr_t)s & 15), 0);
	ck_assert_ptr_ne(s, e);
	ck_assert_str_eq(s, "hello"); /* later calls leave it alone */
	tk_arena_release(&a);
}
END_TEST

/* ---- tk_buf_add_utf8 -------------------------------------------------- */

static const struct {
	uint32_t cp;
	const char *utf8;
	size_t n;
} utf8_cases[] = {
	{ 0x41, "A", 1 },
	{ 0x00, "\0", 1 },
	{ 0x7f, "\x7f", 1 },
	{ 0x80, "\xc2\x80", 2 },
	{ 0xe9, "\xc3\xa9", 2 },
	{ 0x7ff, "\xdf\xbf", 2 },
	{ 0x800, "\xe0\xa0\x80", 3 },
	{ 0x4e2d, "\xe4\xb8\xad", 3 },
	{ 0xd7ff, "\xed\x9f\xbf", 3 },
	{ 0xd800, "\xef\xbf\xbd", 3 },     /* lone high surrogate */
	{ 0xdbff, "\xef\xbf\xbd", 3 },
	{ 0xdc00, "\xef\xbf\xbd", 3 },     /* lone low surrogate */
	{ 0xdfff, "\xef\xbf\xbd", 3 },
	{ 0xe000, "\xee\x80\x80", 3 },
	{ 0xfffd, "\xef\xbf\xbd", 3 },
	{ 0xffff, "\xef\xbf\xbf", 3 },
	{ 0x10000, "\xf0\x90\x80\x80", 4 },
	{ 0x1f600, "\xf0\x9f\x98\x80", 4 },
	{ 0x10ffff, "\xf4\x8f\xbf\xbf", 4 },
	{ 0x110000, "\xef\xbf\xbd", 3 },   /* past Unicode */
};

START_TEST(test_buf_add_utf8)
{
	struct tk_buf b = { 0 };
	tk_buf_adds(&b, "<");
	tk_buf_add_utf8(&b, utf8_cases[_i].cp);
	ck_assert_uint_eq(b.len, 1 + utf8_cases[_i].n);
	ck_assert_msg(memcmp(b.p + 1, utf8_cases[_i].utf8, utf8_cases[_i].n) == 0,
		      "U+%04X encoded wrong", (unsigned)utf8_cases[_i].cp);
	ck_assert_int_eq(b.p[b.len], 0);
	tk_buf_free(&b);
}
END_TEST

START_TEST(test_buf_basics)
{
	struct tk_buf b = { 0 };
	tk_buf_reset(&b); /* on an empty buffer: no crash */
	tk_buf_add(&b, "ab", 2);
	tk_buf_addc(&b, 'c');
	tk_buf_adds(&b, "de");
	tk_buf_printf(&b, "-%d-", 42);
	ck_assert_str_eq(b.p, "abcde-42-");
	ck_assert_uint_eq(b.len, 9);
	/* printf output longer than its small stack buffer */
	char big[1000];
	memset(big, 'q', sizeof big - 1);
	big[sizeof big - 1] = 0;
	tk_buf_printf(&b, "%s!", big);
	ck_assert_uint_eq(b.len, 9 + 999 + 1);
	ck_assert_int_eq(b.p[b.len - 1], '!');
	ck_assert_int_eq(b.p[b.len], 0);
	tk_buf_reset(&b);
	ck_assert_uint_eq(b.len, 0);
	ck_assert_str_eq(b.p, "");
	tk_buf_free(&b);
}
END_TEST

/* ---- tk_xgrow --------------------------------------------------------- */

static const struct {
	size_t cap, need, elem;
} grow_cases[] = {
	{ 0, 1, 1 }, { 0, 16, 4 }, { 0, 17, 8 }, { 16, 16, 8 }, { 16, 17, 8 },
	{ 100, 50, 4 }, { 20, 1000, 2 }, { 0, 100000, 24 },
};

START_TEST(test_xgrow)
{
	size_t cap = grow_cases[_i].cap, need = grow_cases[_i].need, elem = grow_cases[_i].elem;
	unsigned char *p = cap ? tk_xmalloc(cap * elem) : NULL;
	for (size_t i = 0; i < cap * elem; i++)
		p[i] = (unsigned char)i;
	void *before = p;
	size_t old = cap;
	tk_xgrow((void **)&p, &cap, need, elem);
	ck_assert_uint_ge(cap, need);
	if (need <= old) {
		ck_assert_uint_eq(cap, old); /* never shrinks, no realloc */
		ck_assert_ptr_eq(p, before);
	} else {
		ck_assert_uint_gt(cap, old);
	}
	for (size_t i = 0; i < old * elem; i++)
		ck_assert_int_eq(p[i], (unsigned char)i);
	memset(p, 0, cap * elem); /* all of cap usable */
	free(p);
}
END_TEST

START_TEST(test_xgrow_repeated)
{
	int *v = NULL;
	size_t cap = 0;
	for (int i = 0; i < 100000; i++) {
		tk_xgrow((void **)&v, &cap, (size_t)i + 1, sizeof *v);
		v[i] = i;
	}
	for (int i = 0; i < 100000; i++)
		ck_assert_int_eq(v[i], i);
	ck_assert_uint_ge(cap, 100000);
	free(v);
}
END_TEST

/* command-line decimals: ok 1 = parses to val */
static const struct {
	const char *s;
	int ok;
	double val;
} dec_cases[] = {
	{ "0", 1, 0 }, { "12", 1, 12 }, { "2.5", 1, 2.5 }, { ".5", 1, 0.5 }, { "3.", 1, 3 },
	{ "1e3", 1, 1000 }, { "1E+2", 1, 100 }, { "25e-1", 1, 2.5 },
	{ "", 0, 0 }, { ".", 0, 0 }, { "-1", 0, 0 }, { "+1", 0, 0 }, { " 1", 0, 0 }, { "1 ", 0, 0 },
	{ "0x10", 0, 0 }, { "inf", 0, 0 }, { "nan", 0, 0 }, { "1e", 0, 0 }, { "1e+", 0, 0 },
	{ "1e999", 0, 0 }, { "5x", 0, 0 }, { "1.2.3", 0, 0 }, { "e3", 0, 0 }, { "1,5", 0, 0 },
};

START_TEST(test_parse_decimal)
{
	const char *s = dec_cases[_i].s;
	double v = -7;
	int r = tk_parse_decimal(s, strlen(s), &v);
	if (dec_cases[_i].ok)
		ck_assert_msg(r == 0 && v == dec_cases[_i].val, "'%s': %d, %g", s, r, v);
	else
		ck_assert_msg(r == -1 && v == -7, "'%s' should be rejected", s);
}
END_TEST

static const struct {
	const char *s;
	long lo, hi;
	int ok;
	long val;
} count_cases[] = {
	{ "0", 0, 10, 1, 0 }, { "10", 0, 10, 1, 10 }, { "007", 0, 10, 1, 7 },
	{ "11", 0, 10, 0, 0 }, { "0", 1, 10, 0, 0 }, { "", 0, 10, 0, 0 }, { "-1", -5, 10, 0, 0 },
	{ "+1", 0, 10, 0, 0 }, { " 1", 0, 10, 0, 0 }, { "1x", 0, 10, 0, 0 }, { "1.0", 0, 10, 0, 0 },
	{ "999999999999999999", 0, 999999999999999999L, 1, 999999999999999999L },
	{ "9999999999999999999", 0, 999999999999999999L, 0, 0 },   /* 19 digits */
	{ "99999999999999999999", 0, 999999999999999999L, 0, 0 },
};

START_TEST(test_parse_count)
{
	long v = -7;
	int r = tk_parse_count(count_cases[_i].s, count_cases[_i].lo, count_cases[_i].hi, &v);
	if (count_cases[_i].ok)
		ck_assert_msg(r == 0 && v == count_cases[_i].val, "'%s': %d, %ld", count_cases[_i].s, r, v);
	else
		ck_assert_msg(r == -1 && v == -7, "'%s' should be rejected", count_cases[_i].s);
}
END_TEST

/* tk_read_regular: a file whole; a FIFO, a device, a directory, a file
 * over the cap refused without blocking or reading; missing: ENOENT. */
START_TEST(test_read_regular)
{
	char dir[] = "/tmp/tk_util_XXXXXX", path[64];
	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(path, sizeof path, "%s/f", dir);
	FILE *f = fopen(path, "wb");
	ck_assert_ptr_nonnull(f);
	fputs("hello", f);
	fclose(f);
	size_t len = 0;
	const char *why = NULL;
	char *p = tk_read_regular(path, 100, &len, &why);
	ck_assert_ptr_nonnull(p);
	ck_assert_uint_eq(len, 5);
	ck_assert_str_eq(p, "hello");
	free(p);
	ck_assert_ptr_null(tk_read_regular(path, 4, &len, &why));
	ck_assert_ptr_nonnull(strstr(why, "cap"));
	ck_assert_ptr_null(tk_read_regular(dir, 100, &len, &why));
	ck_assert_str_eq(why, "not a regular file");
	ck_assert_ptr_null(tk_read_regular("/dev/zero", 100, &len, &why));
	ck_assert_str_eq(why, "not a regular file");
	snprintf(path, sizeof path, "%s/fifo", dir);
	ck_assert_int_eq(mkfifo(path, 0600), 0);
	ck_assert_ptr_null(tk_read_regular(path, 100, &len, &why)); /* no writer: would block */
	ck_assert_str_eq(why, "not a regular file");
	unlink(path);
	snprintf(path, sizeof path, "%s/missing", dir);
	ck_assert_ptr_null(tk_read_regular(path, 100, &len, &why));
	ck_assert_int_eq(errno, ENOENT);
	snprintf(path, sizeof path, "%s/f", dir);
	unlink(path);
	rmdir(dir);
}
END_TEST

#define N_OF(a) ((int)(sizeof(a) / sizeof *(a)))

Suite *tk_suite_util(void)
{
	Suite *s = suite_create("util");
	TCase *tc = tcase_create("parse");
	tcase_add_loop_test(tc, test_parse_u64, 0, N_OF(u64_cases));
	tcase_add_test(tc, test_parse_u64_length_delimited);
	tcase_add_test(tc, test_parse_every_byte);
	tcase_add_test(tc, test_scan_hex_field);
	tcase_add_loop_test(tc, test_parse_i64, 0, N_OF(i64_cases));
	tcase_add_loop_test(tc, test_parse_hex, 0, N_OF(hex_cases));
	tcase_add_loop_test(tc, test_parse_decimal, 0, N_OF(dec_cases));
	tcase_add_loop_test(tc, test_parse_count, 0, N_OF(count_cases));
	suite_add_tcase(s, tc);
	tc = tcase_create("arena");
	tcase_add_test(tc, test_arena_alignment);
	tcase_add_test(tc, test_arena_blocks_distinct);
	tcase_add_test(tc, test_arena_strndup);
	suite_add_tcase(s, tc);
	tc = tcase_create("buf");
	tcase_add_loop_test(tc, test_buf_add_utf8, 0, N_OF(utf8_cases));
	tcase_add_test(tc, test_buf_basics);
	suite_add_tcase(s, tc);
	tc = tcase_create("xgrow");
	tcase_add_loop_test(tc, test_xgrow, 0, N_OF(grow_cases));
	tcase_add_test(tc, test_xgrow_repeated);
	suite_add_tcase(s, tc);
	tc = tcase_create("files");
	tcase_add_test(tc, test_read_regular);
	suite_add_tcase(s, tc);
	return s;
}
