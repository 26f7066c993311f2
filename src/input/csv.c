/* csv: splitting and V8's escape decoding. */
#include <stdlib.h>
#include <string.h>
#include "input/csv.h"

static void push(struct tk_fields *f, const char *s, size_t n)
{
	if (f->count >= TK_CSV_MAX_FIELDS) {
		f->dropped++;
		return;
	}
	if (f->count == f->cap) {
		size_t c = f->cap;
		tk_xgrow((void **)&f->s, &c, f->count + 1, sizeof *f->s);
		f->n = tk_xrealloc(f->n, c * sizeof *f->n);
		f->cap = c;
	}
	f->s[f->count] = s;
	f->n[f->count] = n > UINT32_MAX ? UINT32_MAX : (uint32_t)n;
	f->count++;
}

void tk_csv_reserve(struct tk_fields *f, size_t n)
{
	if (f->cap < n) {
		size_t c = f->cap;
		tk_xgrow((void **)&f->s, &c, n, sizeof *f->s);
		f->n = tk_xrealloc(f->n, c * sizeof *f->n);
		f->cap = c;
	}
}

void tk_csv_split(struct tk_fields *f, const char *line, size_t len, int quoted)
{
	const char *p = line, *end = line + len;
	f->count = 0;
	f->dropped = 0;
	if (!quoted) {
		for (;;) {
			const char *c = memchr(p, ',', (size_t)(end - p));
			if (!c) {
				push(f, p, (size_t)(end - p));
				return;
			}
			push(f, p, (size_t)(c - p));
			p = c + 1;
		}
	}
	/* Node 6/8: a field may be "..." with "" standing for one quote; the
	 * quotes are dropped and "" is left doubled (names never contain
	 * quotes in practice, and un-doubling would need a copy). */
	for (;;) {
		if (p < end && *p == '"') {
			const char *q = p + 1;
			while (q < end) {
				if (*q == '"') {
					if (q + 1 < end && q[1] == '"') {
						q += 2;
						continue;
					}
					break;
				}
				q++;
			}
			push(f, p + 1, (size_t)(q - p - 1));
			p = q < end ? q + 1 : end;
			const char *c = memchr(p, ',', (size_t)(end - p));
			if (!c)
				return;
			p = c + 1;
			continue;
		}
		const char *c = memchr(p, ',', (size_t)(end - p));
		if (!c) {
			push(f, p, (size_t)(end - p));
			return;
		}
		push(f, p, (size_t)(c - p));
		p = c + 1;
	}
}

void tk_csv_split_max(struct tk_fields *f, const char *line, size_t len, size_t max)
{
	const char *p = line, *end = line + len;
	f->count = 0;
	f->dropped = 0;
	while (f->count + 1 < max) {
		const char *c = memchr(p, ',', (size_t)(end - p));
		if (!c)
			break;
		push(f, p, (size_t)(c - p));
		p = c + 1;
	}
	push(f, p, (size_t)(end - p));
}

void tk_csv_free(struct tk_fields *f)
{
	free(f->s);
	free(f->n);
	memset(f, 0, sizeof *f);
}

int tk_field_is(const struct tk_fields *f, size_t i, const char *lit)
{
	size_t n = strlen(lit);
	return i < f->count && f->n[i] == n && memcmp(f->s[i], lit, n) == 0;
}

static int hexdigits(const char *s, size_t avail, size_t k, uint32_t *v)
{
	uint32_t x = 0;
	if (avail < k)
		return -1;
	for (size_t i = 0; i < k; i++) {
		int c = (unsigned char)s[i], d;
		if (c >= '0' && c <= '9')
			d = c - '0';
		else if (c >= 'a' && c <= 'f')
			d = c - 'a' + 10;
		else if (c >= 'A' && c <= 'F')
			d = c - 'A' + 10;
		else
			return -1;
		x = x << 4 | (uint32_t)d;
	}
	*v = x;
	return 0;
}

/* hexdigits, lower-case only (what Node 10's printf wrote) */
static int lowerhex(const char *s, size_t avail, size_t k, uint32_t *v)
{
	for (size_t i = 0; i < k && i < avail; i++)
		if (s[i] >= 'A' && s[i] <= 'F')
			return -1;
	return hexdigits(s, avail, k, v);
}

int tk_csv_unescape(const char *s, size_t n, struct tk_buf *out)
{
	return tk_csv_unescape_as(s, n, TK_CSV_V8, out);
}

int tk_csv_unescape_as(const char *s, size_t n, int dialect, struct tk_buf *out)
{
	const int n10 = dialect == TK_CSV_NODE10 || dialect == TK_CSV_NODE10_REGEXP;
	const int re10 = dialect == TK_CSV_NODE10_REGEXP;
	const char *bs = memchr(s, '\\', n);
	if (!bs) {
		tk_buf_add(out, s, n);
		return 0;
	}
	const char *p = s, *end = s + n;
	uint32_t high = 0; /* pending high surrogate */
	while (p < end) {
		const char *q = memchr(p, '\\', (size_t)(end - p));
		if (!q)
			q = end;
		if (q > p) {
			if (high) {
				tk_buf_add_utf8(out, 0xfffd);
				high = 0;
			}
			tk_buf_add(out, p, (size_t)(q - p));
		}
		if (q == end)
			break;
		size_t avail = (size_t)(end - q) - 1;
		const char *a = q + 1;
		uint32_t unit;
		size_t used;
		if (avail >= 1 && a[0] == 'n' && !re10) {
			unit = '\n';
			used = 2;
		} else if (avail >= 1 && a[0] == '\\' && !n10) {
			unit = '\\';
			used = 2;
		} else if (avail >= 9 && a[0] == 'x' && memcmp(a + 1, "ffffff", 6) == 0 &&
			   (n10 ? lowerhex : hexdigits)(a + 7, 2, 2, &unit) == 0 && unit >= 0x80) {
			used = 10; /* Node 10: a sign-extended char */
		} else if (avail >= 3 && a[0] == 'x' && hexdigits(a + 1, avail - 1, 2, &unit) == 0 &&
			   (!n10 || (a[1] == '2' && a[2] == 'C') ||
			    (lowerhex(a + 1, avail - 1, 2, &unit) == 0 && (unit < 0x20 || unit >= 0x7f) &&
			     !(re10 && (unit == '\n' || unit == '\r'))))) {
			used = 4;
		} else if (avail >= 5 && a[0] == 'u' && hexdigits(a + 1, avail - 1, 4, &unit) == 0 &&
			   (!n10 || (lowerhex(a + 1, avail - 1, 4, &unit) == 0 && unit >= 0x100 &&
				     !(re10 && (unit == 0x2028 || unit == 0x2029))))) {
			used = 6;
		} else {
			/* not an escape: a raw backslash (Node 10 logs) */
			if (high) {
				tk_buf_add_utf8(out, 0xfffd);
				high = 0;
			}
			tk_buf_addc(out, '\\');
			p = q + 1;
			continue;
		}
		if (unit >= 0xd800 && unit <= 0xdbff) {
			if (high)
				tk_buf_add_utf8(out, 0xfffd);
			high = unit;
		} else if (unit >= 0xdc00 && unit <= 0xdfff) {
			if (high)
				tk_buf_add_utf8(out, 0x10000 + ((high - 0xd800) << 10) + (unit - 0xdc00));
			else
				tk_buf_add_utf8(out, 0xfffd);
			high = 0;
		} else {
			if (high) {
				tk_buf_add_utf8(out, 0xfffd);
				high = 0;
			}
			tk_buf_add_utf8(out, unit);
		}
		p = q + used;
	}
	if (high)
		tk_buf_add_utf8(out, 0xfffd);
	return 1;
}
