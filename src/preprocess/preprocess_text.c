/* preprocess_text: text and numbers as the reference reads them. The
 * reference decodes the log as UTF-8 (StringDecoder: U+FFFD for bad
 * bytes), runs CsvParser.escapeField on UTF-16 code units (so an escape
 * can swallow half of a surrogate pair, and "\x" or "\u" takes whatever
 * 2 or 4 units follow), and JSON.stringify escapes the result (lone
 * surrogates as \udXXX). Working on code units is what makes the output
 * byte-identical in those corners. */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "preprocess/preprocess_int.h"

static void grow_u16(uint16_t **p, size_t *cap, size_t need)
{
	if (need > *cap)
		tk_xgrow((void **)p, cap, need, sizeof **p);
}

/* Raw bytes to UTF-16 code units in p->u16 as the WHATWG decoder does
 * (each maximal invalid subpart becomes one U+FFFD). */
size_t tk_pre_utf8_to_u16(struct tk_pre *p, const char *s, size_t n)
{
	grow_u16(&p->u16, &p->cap_u16, n + 1);
	uint16_t *u = p->u16;
	const unsigned char *b = (const unsigned char *)s;
	size_t i = 0, k = 0;
	while (i < n) {
		unsigned c = b[i];
		if (c < 0x80) {
			u[k++] = (uint16_t)c;
			i++;
			continue;
		}
		unsigned need, cp, lo = 0x80, hi = 0xbf;
		if (c >= 0xc2 && c <= 0xdf) {
			need = 1, cp = c & 0x1f;
		} else if (c >= 0xe0 && c <= 0xef) {
			need = 2, cp = c & 0x0f;
			if (c == 0xe0)
				lo = 0xa0;
			else if (c == 0xed)
				hi = 0x9f;
		} else if (c >= 0xf0 && c <= 0xf4) {
			need = 3, cp = c & 0x07;
			if (c == 0xf0)
				lo = 0x90;
			else if (c == 0xf4)
				hi = 0x8f;
		} else {
			u[k++] = 0xfffd;
			i++;
			continue;
		}
		size_t j = i + 1;
		unsigned got = 0;
		while (got < need && j < n && b[j] >= lo && b[j] <= hi) {
			cp = cp << 6 | (b[j] & 0x3f);
			lo = 0x80, hi = 0xbf;
			j++, got++;
		}
		i = j;
		if (got < need) {
			u[k++] = 0xfffd;
		} else if (cp >= 0x10000) {
			cp -= 0x10000;
			u[k++] = (uint16_t)(0xd800 + (cp >> 10));
			u[k++] = (uint16_t)(0xdc00 + (cp & 0x3ff));
		} else {
			u[k++] = (uint16_t)cp;
		}
	}
	return k;
}

static int js_space(unsigned c)
{
	return (c >= 9 && c <= 13) || c == ' ' || c == 0xa0 || c == 0x1680 ||
	       (c >= 0x2000 && c <= 0x200a) || c == 0x2028 || c == 0x2029 || c == 0x202f ||
	       c == 0x205f || c == 0x3000 || c == 0xfeff;
}

static int digit_of(unsigned c, int radix)
{
	int d = c >= '0' && c <= '9' ? (int)(c - '0') :
		c >= 'a' && c <= 'z' ? (int)(c - 'a' + 10) :
		c >= 'A' && c <= 'Z' ? (int)(c - 'A' + 10) : 99;
	return d < radix ? d : -1;
}

/* JS parseInt(string) (radix 0) or parseInt(string, 16) over UTF-16. */
double tk_pre_parse_int(const uint16_t *u, size_t n, int radix)
{
	size_t i = 0;
	while (i < n && js_space(u[i]))
		i++;
	int neg = 0;
	if (i < n && (u[i] == '-' || u[i] == '+'))
		neg = u[i++] == '-';
	int r = radix ? radix : 10;
	if ((radix == 0 || radix == 16) && i + 1 < n && u[i] == '0' && (u[i + 1] == 'x' || u[i + 1] == 'X')) {
		r = 16;
		i += 2;
	}
	size_t d0 = i;
	while (i < n && digit_of(u[i], r) >= 0)
		i++;
	if (i == d0)
		return NAN;
	double v;
	if (i - d0 <= (r == 16 ? 13u : 15u)) {
		uint64_t x = 0;
		for (size_t k = d0; k < i; k++)
			x = x * (uint64_t)r + (uint64_t)digit_of(u[k], r);
		v = (double)x;
	} else {
		/* correctly rounded, as V8 does */
		char *buf = tk_xmalloc(i - d0 + 3);
		size_t k = 0;
		if (r == 16) {
			buf[k++] = '0';
			buf[k++] = 'x';
		}
		for (size_t m = d0; m < i; m++)
			buf[k++] = (char)u[m];
		buf[k] = 0;
		v = strtod(buf, NULL);
		free(buf);
	}
	return neg ? -v : v;
}

/* CsvParser.escapeField over code units u[0..n) into p->u16b. */
size_t tk_pre_escape_field(struct tk_pre *p, const uint16_t *u, size_t n)
{
	grow_u16(&p->u16b, &p->cap_u16b, n + 1);
	uint16_t *o = p->u16b;
	size_t k = 0, next = 0;
	while (next < n && u[next] != '\\')
		next++;
	if (next == n) {
		memcpy(o, u, n * sizeof *u);
		return n;
	}
	memcpy(o, u, next * sizeof *u);
	k = next;
	for (;;) {
		size_t pos = next + 2;
		unsigned id = next + 1 < n ? u[next + 1] : 0x10000; /* undefined */
		if (id == 'n' || id == '\\') {
			o[k++] = id == 'n' ? '\n' : '\\';
			next = pos;
		} else {
			next = pos + (id == 'x' ? 2 : 4);
			size_t a = pos < n ? pos : n, b = next < n ? next : n;
			if (b - a == 2 && u[a] == '2' && u[a + 1] == 'C') {
				o[k++] = ',';
			} else {
				double v = tk_pre_parse_int(u + a, b - a, 16);
				/* String.fromCharCode: ToUint16, NaN -> 0 */
				o[k++] = v != v ? 0 : (uint16_t)(uint64_t)(int64_t)fmod(v, 65536.0);
			}
		}
		size_t from = next < n ? next : n, q = from;
		while (q < n && u[q] != '\\')
			q++;
		memcpy(o + k, u + from, (q - from) * sizeof *u); /* substring up to the next '\' */
		k += q - from;
		if (q >= n)
			break;
		next = q;
	}
	return k;
}

static void put_utf8(struct tk_buf *b, uint32_t cp)
{
	char t[4];
	size_t n;
	if (cp < 0x80) {
		t[0] = (char)cp, n = 1;
	} else if (cp < 0x800) {
		t[0] = (char)(0xc0 | cp >> 6), t[1] = (char)(0x80 | (cp & 0x3f)), n = 2;
	} else if (cp < 0x10000) {
		t[0] = (char)(0xe0 | cp >> 12), t[1] = (char)(0x80 | ((cp >> 6) & 0x3f));
		t[2] = (char)(0x80 | (cp & 0x3f)), n = 3;
	} else {
		t[0] = (char)(0xf0 | cp >> 18), t[1] = (char)(0x80 | ((cp >> 12) & 0x3f));
		t[2] = (char)(0x80 | ((cp >> 6) & 0x3f)), t[3] = (char)(0x80 | (cp & 0x3f)), n = 4;
	}
	tk_buf_add(b, t, n);
}

/* JSON.stringify's escaping of code units (without the quotes). */
static void json_units(struct tk_buf *b, const uint16_t *u, size_t n)
{
	static const char hex[] = "0123456789abcdef";
	for (size_t i = 0; i < n; i++) {
		unsigned c = u[i];
		if (c >= 0x20 && c < 0x80 && c != '"' && c != '\\') {
			tk_buf_addc(b, (char)c);
			continue;
		}
		if (c < 0x80) {
			const char *e = c == '"' ? "\\\"" : c == '\\' ? "\\\\" : c == '\b' ? "\\b" :
					c == '\f' ? "\\f" : c == '\n' ? "\\n" : c == '\r' ? "\\r" :
					c == '\t' ? "\\t" : NULL;
			if (e) {
				tk_buf_add(b, e, 2);
			} else {
				char t[6] = { '\\', 'u', '0', '0', hex[c >> 4], hex[c & 15] };
				tk_buf_add(b, t, 6);
			}
		} else if (c >= 0xd800 && c <= 0xdbff && i + 1 < n && u[i + 1] >= 0xdc00 && u[i + 1] <= 0xdfff) {
			put_utf8(b, 0x10000 + ((c - 0xd800) << 10) + (u[i + 1] - 0xdc00u));
			i++;
		} else if (c >= 0xd800 && c <= 0xdfff) {
			char t[6] = { '\\', 'u', hex[c >> 12], hex[(c >> 8) & 15], hex[(c >> 4) & 15], hex[c & 15] };
			tk_buf_add(b, t, 6);
		} else {
			put_utf8(b, c);
		}
	}
}

struct tk_pre_str tk_pre_keep(struct tk_pre *p, const char *s, size_t n)
{
	struct tk_pre_str r = { tk_arena_strndup(&p->arena, s, n), (uint32_t)n };
	return r;
}

/* Raw bytes (no V8 escapes) as a JSON string body, arena-owned. */
struct tk_pre_str tk_pre_json_raw(struct tk_pre *p, const char *s, size_t n)
{
	size_t k = tk_pre_utf8_to_u16(p, s, n);
	tk_buf_reset(&p->tmp);
	json_units(&p->tmp, p->u16, k);
	return tk_pre_keep(p, p->tmp.p ? p->tmp.p : "", p->tmp.len);
}

/* A log field as the reference's string: decoded, escaped for JSON. */
struct tk_pre_str tk_pre_str_field(struct tk_pre *p, const struct tk_fields *f, size_t i)
{
	if (i >= f->count)
		return tk_pre_keep(p, "", 0);
	const char *s = f->s[i];
	size_t n = f->n[i];
	size_t j = 0;
	while (j < n && (unsigned char)s[j] >= 0x20 && (unsigned char)s[j] < 0x7f && s[j] != '"' && s[j] != '\\')
		j++;
	if (j == n)
		return tk_pre_keep(p, s, n);
	size_t k = tk_pre_utf8_to_u16(p, s, n);
	k = tk_pre_escape_field(p, p->u16, k);
	tk_buf_reset(&p->tmp);
	json_units(&p->tmp, p->u16b, k);
	return tk_pre_keep(p, p->tmp.p ? p->tmp.p : "", p->tmp.len);
}

/* parseInt(field): NaN when absent or not a number. */
double tk_pre_num_field(struct tk_pre *p, const struct tk_fields *f, size_t i)
{
	return i < f->count ? tk_pre_num_span(p, f->s[i], f->n[i]) : NAN;
}

/* parseInt(s[0..n)) of a field's raw text. */
double tk_pre_num_span(struct tk_pre *p, const char *s, size_t n)
{
	/* the common shapes, exactly: 0x + up to 13 hex digits, up to 15 decimal digits */
	if (n >= 3 && n <= 15 && s[0] == '0' && s[1] == 'x') {
		uint64_t v = 0;
		size_t j = 2;
		for (; j < n; j++) {
			int d = digit_of((unsigned char)s[j], 16);
			if (d < 0)
				break;
			v = v << 4 | (uint64_t)d;
		}
		if (j == n)
			return (double)v;
	} else if (n >= 1 && n <= 15 && s[0] >= '0' && s[0] <= '9') {
		uint64_t v = 0;
		size_t j = 0;
		for (; j < n && s[j] >= '0' && s[j] <= '9'; j++)
			v = v * 10 + (uint64_t)(s[j] - '0');
		if (j == n)
			return (double)v;
	}
	size_t k = tk_pre_utf8_to_u16(p, s, n);
	k = tk_pre_escape_field(p, p->u16, k);
	return tk_pre_parse_int(p->u16b, k, 0);
}

