/* escape: what the text outputs show for control characters, C1 controls
 * and invalid UTF-8 (escape.h's table), and that everything else passes. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "base/escape.h"
#include "suites.h"

/* in (with its length: NULs inside), flags, the expected text */
static const struct {
	const char *in;
	size_t n;
	unsigned flags;
	const char *want;
} cases[] = {
	{ "JS: *f app.js:1:1", 17, 0, "JS: *f app.js:1:1" },
	{ "", 0, 0, "" },
	{ "a\x1b[2Jb", 6, 0, "a\\x1b[2Jb" },                     /* ESC */
	{ "t\x1b]0;pwned\x07", 11, 0, "t\\x1b]0;pwned\\x07" },    /* OSC title, BEL */
	{ "a\0b", 3, 0, "a\\x00b" },                               /* NUL */
	{ "a\tb\nc\rd", 7, 0, "a\\tb\\nc\\rd" },
	{ "a\tb", 3, TK_ESC_KEEP_TAB, "a\tb" },
	{ "\x7f", 1, 0, "\\x7f" },                                 /* DEL */
	{ "\x01\x1f", 2, 0, "\\x01\\x1f" },
	{ "c1\xc2\x9b", 4, 0, "c1\\u009b" },                       /* U+009B CSI */
	{ "\xc2\x80\xc2\x9f", 4, 0, "\\u0080\\u009f" },
	{ "\xc2\xa0\xc3\xa9", 4, 0, "\xc2\xa0\xc3\xa9" },          /* U+00A0, é pass */
	{ "\xe4\xb8\xad", 3, 0, "\xe4\xb8\xad" },                  /* 中 */
	{ "\xf0\x9f\x98\x80", 4, 0, "\xf0\x9f\x98\x80" },          /* U+1F600 */
	{ "\xe2\x80\xa8", 3, 0, "\xe2\x80\xa8" },                  /* U+2028 passes */
	{ "\xff", 1, 0, "\\xff" },                                 /* never UTF-8 */
	{ "\x9b", 1, 0, "\\x9b" },                                 /* lone continuation */
	{ "\xc3", 1, 0, "\\xc3" },                                 /* cut sequence */
	{ "\xc3(", 2, 0, "\\xc3(" },
	{ "\xc0\x80", 2, 0, "\\xc0\\x80" },                        /* overlong NUL */
	{ "\xed\xa0\x80", 3, 0, "\\xed\\xa0\\x80" },               /* a surrogate */
	{ "\xf4\x90\x80\x80", 4, 0, "\\xf4\\x90\\x80\\x80" },      /* past U+10FFFF */
	{ "\xe4\xb8", 2, 0, "\\xe4\\xb8" },
	{ "a;b", 3, 0, "a;b" },
	{ "a;b\n", 4, TK_ESC_FOLDED, "a:b\\n" },
	{ "back\\slash \"q\"", 14, 0, "back\\slash \"q\"" },      /* not doubled */
};

START_TEST(test_esc_buf)
{
	struct tk_buf b = { 0 };
	tk_esc_buf(&b, cases[_i].in, cases[_i].n, cases[_i].flags);
	ck_assert_ptr_nonnull(b.p);
	ck_assert_msg(b.len == strlen(cases[_i].want) && memcmp(b.p, cases[_i].want, b.len) == 0,
		      "case %d: got '%s', want '%s'", _i, b.p, cases[_i].want);
	tk_buf_free(&b);
}
END_TEST

/* the FILE writers give what the buffer gives */
START_TEST(test_esc_fwrite)
{
	char *p = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&p, &len);
	ck_assert_ptr_nonnull(f);
	tk_esc_fwrite_flags(f, cases[_i].in, cases[_i].n, cases[_i].flags);
	fclose(f);
	ck_assert_msg(len == strlen(cases[_i].want) && memcmp(p, cases[_i].want, len) == 0,
		      "case %d: got '%s', want '%s'", _i, p, cases[_i].want);
	free(p);
}
END_TEST

/* every byte below 0x20 and 0x7f is escaped; no output byte is a control */
START_TEST(test_esc_every_byte)
{
	for (int c = 0; c < 256; c++) {
		char in[3] = { 'x', (char)c, 'y' };
		struct tk_buf b = { 0 };
		tk_esc_buf(&b, in, 3, 0);
		for (size_t i = 0; i < b.len; i++) {
			unsigned char o = (unsigned char)b.p[i];
			ck_assert_msg(o >= 0x20 && o != 0x7f && o < 0x80, "byte %02x: output byte %02x", c, o);
		}
		if (c >= 0x20 && c < 0x7f)
			ck_assert_uint_eq(b.len, 3);
		else
			ck_assert_msg(b.len > 3, "byte %02x passed raw", c);
		tk_buf_free(&b);
	}
}
END_TEST

/* tk_esc_plain stops at the first byte that needs an escape, wherever it
 * falls in the words its fast path tests at once: each byte value at
 * each position of a 24-byte run, plain and with the folded and tab flags */
START_TEST(test_esc_plain_word)
{
	static const unsigned flag_sets[] = { 0, TK_ESC_FOLDED, TK_ESC_KEEP_TAB };
	for (size_t f = 0; f < sizeof flag_sets / sizeof *flag_sets; f++) {
		unsigned flags = flag_sets[f];
		for (int c = 0; c < 256; c++) {
			int plain = (c >= 0x20 && c < 0x7f && !(c == ';' && (flags & TK_ESC_FOLDED))) ||
				    (c == '\t' && (flags & TK_ESC_KEEP_TAB));
			for (size_t k = 0; k < 17; k++) {
				char in[24];
				memset(in, 'a', sizeof in);
				in[k] = (char)c;
				size_t got = tk_esc_plain(in, sizeof in, flags);
				ck_assert_msg(got == (plain ? sizeof in : k), "flags %u byte %02x at %zu: %zu", flags,
					      c, k, got);
			}
		}
	}
}
END_TEST

/* printf: the whole message escaped, a final newline kept */
START_TEST(test_esc_printf)
{
	char *p = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&p, &len);
	ck_assert_ptr_nonnull(f);
	tk_esc_printf(f, "ticks: %s: %s\n", "lib\x1b]0;x\x07.so", "gone");
	char big[2000];
	memset(big, 'a', sizeof big - 1);
	big[sizeof big - 1] = 0;
	big[1000] = '\x1b';
	tk_esc_printf(f, "%s", big); /* past the stack buffer */
	fclose(f);
	ck_assert_msg(strncmp(p, "ticks: lib\\x1b]0;x\\x07.so: gone\n", 32) == 0, "got '%s'", p);
	ck_assert_uint_eq(len, 32 + 1999 + 3);
	ck_assert(memcmp(p + 32 + 1000, "\\x1b", 4) == 0);
	free(p);
}
END_TEST

#define N_OF(a) ((int)(sizeof(a) / sizeof *(a)))

Suite *tk_suite_escape(void)
{
	Suite *s = suite_create("escape");
	TCase *tc = tcase_create("escape");
	tcase_add_loop_test(tc, test_esc_buf, 0, N_OF(cases));
	tcase_add_loop_test(tc, test_esc_fwrite, 0, N_OF(cases));
	tcase_add_test(tc, test_esc_every_byte);
	tcase_add_test(tc, test_esc_printf);
	tcase_add_test(tc, test_esc_plain_word);
	suite_add_tcase(s, tc);
	return s;
}
