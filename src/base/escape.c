/* escape: control characters and invalid UTF-8 shown as escapes in the
 * text outputs (escape.h has the table). */
#include <stdlib.h>
#include <string.h>
#include "base/escape.h"

/* Length of the valid UTF-8 sequence at p[0..n) (2 to 4), its code point
 * in *cp; 0 when it is not one (overlong, surrogate, past U+10FFFF, cut). */
static size_t utf8_seq(const unsigned char *p, size_t n, uint32_t *cp)
{
	unsigned c = p[0];
	size_t k = c >= 0xc2 && c < 0xe0 ? 2 : c >= 0xe0 && c < 0xf0 ? 3 : c >= 0xf0 && c < 0xf5 ? 4 : 0;
	if (k == 0 || k > n)
		return 0;
	uint32_t v = c & (k == 2 ? 0x1f : k == 3 ? 0x0f : 0x07);
	for (size_t i = 1; i < k; i++) {
		if ((p[i] & 0xc0) != 0x80)
			return 0;
		v = v << 6 | (p[i] & 0x3f);
	}
	if ((k == 3 && (v < 0x800 || (v >= 0xd800 && v <= 0xdfff))) || (k == 4 && (v < 0x10000 || v > 0x10ffff)))
		return 0;
	*cp = v;
	return k;
}

/* Whether any of the 8 bytes in w may need the byte loop: below 0x20,
 * 0x7f and up, or ';' when semi (a test a word at a time; the byte loop
 * decides exactly). */
static int word_special(uint64_t w, int semi)
{
	const uint64_t ones = 0x0101010101010101ull, high = 0x8080808080808080ull;
	uint64_t lt20 = (w - ones * 0x20) & ~w & high;   /* some byte < 0x20 */
	uint64_t ge7f = (w | (w + ones)) & high;         /* some byte >= 0x7f */
	uint64_t x = w ^ (ones * ';');
	uint64_t semis = semi ? (x - ones) & ~x & high : 0; /* some byte == ';' */
	return (lt20 | ge7f | semis) != 0;
}

size_t tk_esc_plain(const char *s, size_t n, unsigned flags)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0;
	int semi = (flags & TK_ESC_FOLDED) != 0;
	for (uint64_t w; i + 8 <= n; i += 8) {
		memcpy(&w, p + i, 8);
		if (word_special(w, semi))
			break;
	}
	while (i < n) {
		unsigned c = p[i];
		if ((c >= 0x20 && c < 0x7f) || (c == '\t' && (flags & TK_ESC_KEEP_TAB))) {
			if (c == ';' && (flags & TK_ESC_FOLDED))
				break;
			i++;
			continue;
		}
		if (c < 0x80)
			break;
		uint32_t cp;
		size_t k = utf8_seq(p + i, n - i, &cp);
		if (k == 0 || cp < 0xa0)
			break;
		i += k;
	}
	return i;
}

/* The escape for the text at s[0..n) (which tk_esc_plain stopped at):
 * writes it to out (at least 8 bytes), returns how many input bytes it
 * stands for. */
static size_t one_escape(const char *s, size_t n, unsigned flags, char *out, size_t *outn)
{
	static const char hex[] = "0123456789abcdef";
	const unsigned char *p = (const unsigned char *)s;
	unsigned c = p[0];
	uint32_t cp;
	size_t k;
	if (c == ';' && (flags & TK_ESC_FOLDED)) {
		out[0] = ':';
		*outn = 1;
		return 1;
	}
	if (c == '\t' || c == '\n' || c == '\r') {
		out[0] = '\\';
		out[1] = c == '\t' ? 't' : c == '\n' ? 'n' : 'r';
		*outn = 2;
		return 1;
	}
	if (c >= 0x80 && (k = utf8_seq(p, n, &cp)) != 0) { /* a C1 control */
		memcpy(out, "\\u00", 4);
		out[4] = hex[cp >> 4 & 0xf];
		out[5] = hex[cp & 0xf];
		*outn = 6;
		return k;
	}
	out[0] = '\\';
	out[1] = 'x';
	out[2] = hex[c >> 4];
	out[3] = hex[c & 0xf];
	*outn = 4;
	return 1;
}

void tk_esc_buf(struct tk_buf *b, const char *s, size_t n, unsigned flags)
{
	size_t i = 0;
	while (i < n) {
		size_t k = tk_esc_plain(s + i, n - i, flags);
		if (k)
			tk_buf_add(b, s + i, k);
		i += k;
		if (i < n) {
			char e[8];
			size_t en;
			i += one_escape(s + i, n - i, flags, e, &en);
			tk_buf_add(b, e, en);
		}
	}
	if (!b->p) /* an empty name still leaves a string */
		tk_buf_add(b, "", 0);
}

void tk_esc_fwrite(FILE *f, const char *s, size_t n)
{
	tk_esc_fwrite_flags(f, s, n, 0);
}

void tk_esc_fwrite_flags(FILE *f, const char *s, size_t n, unsigned flags)
{
	size_t i = 0;
	while (i < n) {
		size_t k = tk_esc_plain(s + i, n - i, flags);
		if (k)
			fwrite(s + i, 1, k, f);
		i += k;
		if (i < n) {
			char e[8];
			size_t en;
			i += one_escape(s + i, n - i, flags, e, &en);
			fwrite(e, 1, en, f);
		}
	}
}

void tk_esc_fputs(FILE *f, const char *s)
{
	tk_esc_fwrite(f, s, strlen(s));
}

void tk_esc_vprintf(FILE *f, const char *fmt, va_list ap)
{
	char small[512], *heap = NULL;
	va_list aq;
	va_copy(aq, ap);
	int n = vsnprintf(small, sizeof small, fmt, aq);
	va_end(aq);
	const char *s = small;
	if (n < 0)
		return;
	if ((size_t)n >= sizeof small) {
		heap = tk_xmalloc((size_t)n + 1);
		vsnprintf(heap, (size_t)n + 1, fmt, ap);
		s = heap;
	}
	size_t len = (size_t)n;
	int nl = len > 0 && s[len - 1] == '\n';
	tk_esc_fwrite(f, s, len - (size_t)nl);
	if (nl)
		fputc('\n', f);
	free(heap);
}

void tk_esc_printf(FILE *f, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	tk_esc_vprintf(f, fmt, ap);
	va_end(ap);
}
