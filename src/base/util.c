/* util: allocation, arena, buffers, hashing and strict number parsing. */
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "base/util.h"

static void oom(void)
{
	tk_diag_oom();
}

void *tk_xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);
	if (!p)
		oom();
	return p;
}

void *tk_xcalloc(size_t count, size_t size)
{
	void *p = calloc(count ? count : 1, size ? size : 1);
	if (!p)
		oom();
	return p;
}

void *tk_xrealloc(void *p, size_t n)
{
	p = realloc(p, n ? n : 1);
	if (!p)
		oom();
	return p;
}

void tk_xgrow(void **p, size_t *cap, size_t need, size_t elem)
{
	size_t c = *cap;
	if (need <= c)
		return;
	if (c < 16)
		c = 16;
	while (c < need) {
		if (c > SIZE_MAX / 2 / elem)
			oom();
		c *= 2;
	}
	*p = tk_xrealloc(*p, c * elem);
	*cap = c;
}

struct tk_arena_chunk {
	struct tk_arena_chunk *next;
	size_t size;
	/* data follows, aligned by the allocation below */
};

#define CHUNK_HDR ((sizeof(struct tk_arena_chunk) + 15) & ~(size_t)15)

void tk_arena_init(struct tk_arena *a)
{
	memset(a, 0, sizeof *a);
}

void tk_arena_release(struct tk_arena *a)
{
	struct tk_arena_chunk *c = a->head, *n;
	for (; c; c = n) {
		n = c->next;
		free(c);
	}
	memset(a, 0, sizeof *a);
}

void *tk_arena_alloc(struct tk_arena *a, size_t n)
{
	n = (n + 15) & ~(size_t)15;
	if (n == 0)
		n = 16;
	if ((size_t)(a->end - a->cur) < n || !a->cur) {
		/* chunks of 4 KiB doubling up to 64 KiB: a small isolate (or a
		 * fuzz input) costs no 64 KiB allocation */
		size_t grow = a->total < 4096 ? 4096 : a->total < 65536 ? a->total : 65536;
		size_t size = n > grow / 2 ? n : grow;
		struct tk_arena_chunk *c = tk_xmalloc(CHUNK_HDR + size);
		c->size = size;
		c->next = a->head;
		a->head = c;
		a->cur = (char *)c + CHUNK_HDR;
		a->end = a->cur + size;
		a->total += size;
	}
	void *p = a->cur;
	a->cur += n;
	memset(p, 0, n);
	return p;
}

char *tk_arena_strndup(struct tk_arena *a, const char *s, size_t n)
{
	char *p = tk_arena_alloc(a, n + 1);
	memcpy(p, s, n);
	p[n] = 0;
	return p;
}

void tk_buf_reset(struct tk_buf *b)
{
	b->len = 0;
	if (b->p)
		b->p[0] = 0;
}

void tk_buf_free(struct tk_buf *b)
{
	free(b->p);
	memset(b, 0, sizeof *b);
}

void tk_buf_add(struct tk_buf *b, const void *s, size_t n)
{
	tk_xgrow((void **)&b->p, &b->cap, b->len + n + 1, 1);
	memcpy(b->p + b->len, s, n);
	b->len += n;
	b->p[b->len] = 0;
}

void tk_buf_addc(struct tk_buf *b, char c)
{
	tk_buf_add(b, &c, 1);
}

void tk_buf_adds(struct tk_buf *b, const char *s)
{
	tk_buf_add(b, s, strlen(s));
}

void tk_buf_printf(struct tk_buf *b, const char *fmt, ...)
{
	va_list ap;
	char small[256];
	va_start(ap, fmt);
	int n = vsnprintf(small, sizeof small, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	if ((size_t)n < sizeof small) {
		tk_buf_add(b, small, (size_t)n);
		return;
	}
	tk_xgrow((void **)&b->p, &b->cap, b->len + (size_t)n + 1, 1);
	va_start(ap, fmt);
	vsnprintf(b->p + b->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	b->len += (size_t)n;
}

void tk_buf_add_utf8(struct tk_buf *b, uint32_t cp)
{
	char o[4];
	if ((cp >= 0xd800 && cp <= 0xdfff) || cp > 0x10ffff)
		cp = 0xfffd;
	if (cp < 0x80) {
		o[0] = (char)cp;
		tk_buf_add(b, o, 1);
	} else if (cp < 0x800) {
		o[0] = (char)(0xc0 | (cp >> 6));
		o[1] = (char)(0x80 | (cp & 0x3f));
		tk_buf_add(b, o, 2);
	} else if (cp < 0x10000) {
		o[0] = (char)(0xe0 | (cp >> 12));
		o[1] = (char)(0x80 | ((cp >> 6) & 0x3f));
		o[2] = (char)(0x80 | (cp & 0x3f));
		tk_buf_add(b, o, 3);
	} else {
		o[0] = (char)(0xf0 | (cp >> 18));
		o[1] = (char)(0x80 | ((cp >> 12) & 0x3f));
		o[2] = (char)(0x80 | ((cp >> 6) & 0x3f));
		o[3] = (char)(0x80 | (cp & 0x3f));
		tk_buf_add(b, o, 4);
	}
}

uint32_t tk_hash(const void *s, size_t n)
{
	const unsigned char *p = s;
	uint32_t h = 2166136261u;
	for (size_t i = 0; i < n; i++) {
		h ^= p[i];
		h *= 16777619u;
	}
	return h;
}

/* hex digit values, 0x10 for anything else: one load per character on
 * the hottest path (every address of every tick), no branch per digit */
static const unsigned char hexval_tab[256] = {
#define X16 0x10, 0x10, 0x10, 0x10, 0x10, 0x10, 0x10, 0x10, 0x10, 0x10, 0x10, 0x10, 0x10, 0x10, 0x10, 0x10
	X16, X16, X16,
	0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 0x10, 0x10, 0x10, 0x10, 0x10, 0x10,
	0x10, 10, 11, 12, 13, 14, 15, 0x10, 0x10, 0x10, 0x10, 0x10, 0x10, 0x10, 0x10, 0x10,
	X16,
	0x10, 10, 11, 12, 13, 14, 15, 0x10, 0x10, 0x10, 0x10, 0x10, 0x10, 0x10, 0x10, 0x10,
	X16, X16, X16, X16, X16, X16, X16, X16, X16,
#undef X16
};

int tk_parse_hex(const char *s, size_t n, uint64_t *out)
{
	const unsigned char *p = (const unsigned char *)s;
	uint64_t v = 0;
	unsigned bad = 0;
	if (n == 0 || n > 16)
		return -1;
	size_t i = 0;
	/* four digits a step; a bad digit only sets bit 4 of bad */
	for (; i + 4 <= n; i += 4) {
		unsigned a = hexval_tab[p[i]], b = hexval_tab[p[i + 1]];
		unsigned c = hexval_tab[p[i + 2]], d = hexval_tab[p[i + 3]];
		bad |= a | b | c | d;
		v = v << 16 | (uint64_t)((a & 15) << 12 | (b & 15) << 8 | (c & 15) << 4 | (d & 15));
	}
	for (; i < n; i++) {
		unsigned a = hexval_tab[p[i]];
		bad |= a;
		v = v << 4 | (a & 15);
	}
	if (bad & 0x10)
		return -1;
	*out = v;
	return 0;
}

const char *tk_scan_hex_field(const char *s, const char *end, uint64_t *out)
{
	if (end - s < 3 || s[0] != '0' || (s[1] != 'x' && s[1] != 'X'))
		return NULL;
	const unsigned char *p = (const unsigned char *)s + 2, *e = (const unsigned char *)end;
	/* 17 digits at most are looked at: a 17th makes the field too long */
	const unsigned char *lim = e - p > 17 ? p + 17 : e;
	uint64_t v = 0;
	for (; p + 2 <= lim; p += 2) {
		unsigned a = hexval_tab[p[0]], b = hexval_tab[p[1]];
		if ((a | b) & 0x10) {
			if (!(a & 0x10)) {
				v = v << 4 | a;
				p++;
			}
			goto done;
		}
		v = v << 8 | a << 4 | b;
	}
	if (p < lim && !(hexval_tab[*p] & 0x10)) {
		v = v << 4 | hexval_tab[*p];
		p++;
	}
done:
	if (p == (const unsigned char *)s + 2 || p - (const unsigned char *)s > 18 || (p < e && *p != ','))
		return NULL;
	*out = v;
	return (const char *)p;
}

int tk_parse_u64(const char *s, size_t n, uint64_t *out)
{
	if (n > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X'))
		return tk_parse_hex(s + 2, n - 2, out);
	if (n == 0 || n > 20)
		return -1;
	const unsigned char *p = (const unsigned char *)s;
	uint64_t v = 0;
	unsigned bad = 0;
	/* 19 digits cannot overflow; only a 20th needs the check */
	size_t k = n < 20 ? n : 19;
	for (size_t i = 0; i < k; i++) {
		unsigned d = (unsigned)p[i] - '0';
		bad |= d > 9;
		v = v * 10 + d;
	}
	if (bad)
		return -1;
	if (n == 20) {
		unsigned d = (unsigned)p[19] - '0';
		if (d > 9 || v > (UINT64_MAX - d) / 10)
			return -1;
		v = v * 10 + d;
	}
	*out = v;
	return 0;
}

int tk_parse_i64(const char *s, size_t n, int64_t *out)
{
	uint64_t v;
	int neg = n > 0 && s[0] == '-';
	if (tk_parse_u64(s + neg, n - (size_t)neg, &v) < 0)
		return -1;
	if (v > (uint64_t)INT64_MAX + (uint64_t)neg)
		return -1;
	*out = neg ? (int64_t)(0 - v) : (int64_t)v;
	return 0;
}

int tk_parse_decimal(const char *s, size_t n, double *out)
{
	char buf[64], *end;
	size_t i = 0, digits = 0;
	while (i < n && s[i] >= '0' && s[i] <= '9')
		i++, digits++;
	if (i < n && s[i] == '.')
		for (i++; i < n && s[i] >= '0' && s[i] <= '9'; i++)
			digits++;
	if (digits == 0)
		return -1;
	if (i < n && (s[i] == 'e' || s[i] == 'E')) {
		size_t e = ++i;
		if (i < n && (s[i] == '+' || s[i] == '-'))
			e = ++i;
		while (i < n && s[i] >= '0' && s[i] <= '9')
			i++;
		if (i == e)
			return -1;
	}
	if (i != n || n >= sizeof buf)
		return -1;
	memcpy(buf, s, n);
	buf[n] = 0;
	errno = 0;
	double v = strtod(buf, &end);
	if (*end || errno == ERANGE || !isfinite(v))
		return -1;
	*out = v;
	return 0;
}

int tk_parse_count(const char *s, long lo, long hi, long *out)
{
	long v = 0;
	size_t n = strlen(s);
	if (n == 0 || n > 18)
		return -1;
	for (size_t i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	if (v < lo || v > hi)
		return -1;
	*out = v;
	return 0;
}

void tk_diag_set(struct tk_diag *d, int code, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(d->msg, sizeof d->msg, fmt, ap);
	va_end(ap);
	d->code = code;
}

int tk_open_regular(const char *path, uint64_t cap, uint64_t *size, const char **why)
{
	static char toobig[64];
	/* O_NONBLOCK: opening a FIFO must not wait for a writer */
	int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	struct stat st;
	if (fd < 0) {
		*why = strerror(errno);
		return -1;
	}
	if (fstat(fd, &st) < 0) {
		int e = errno;
		close(fd);
		*why = strerror(e);
		errno = e;
		return -1;
	}
	if (!S_ISREG(st.st_mode)) {
		close(fd);
		*why = "not a regular file";
		errno = EINVAL;
		return -1;
	}
	if (cap && (uint64_t)st.st_size > cap) {
		close(fd);
		snprintf(toobig, sizeof toobig, "larger than %llu MiB (the cap)", (unsigned long long)(cap >> 20));
		*why = toobig;
		errno = EFBIG;
		return -1;
	}
	int fl = fcntl(fd, F_GETFL);
	if (fl >= 0)
		(void)fcntl(fd, F_SETFL, fl & ~O_NONBLOCK);
	if (size)
		*size = (uint64_t)st.st_size;
	return fd;
}

char *tk_read_regular(const char *path, size_t cap, size_t *len, const char **why)
{
	uint64_t size;
	int fd = tk_open_regular(path, cap, &size, why);
	if (fd < 0)
		return NULL;
	struct tk_buf b = {0};
	tk_buf_add(&b, "", 0);
	char chunk[65536];
	for (;;) {
		ssize_t n = read(fd, chunk, sizeof chunk);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			*why = strerror(errno);
			break;
		}
		if (n == 0) {
			close(fd);
			*len = b.len;
			return b.p;
		}
		if (b.len + (size_t)n > cap) { /* it grew while being read */
			*why = "larger than the cap";
			break;
		}
		tk_buf_add(&b, chunk, (size_t)n);
	}
	close(fd);
	tk_buf_free(&b);
	return NULL;
}
