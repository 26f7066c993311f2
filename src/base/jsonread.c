/* jsonread: a strict recursive-descent JSON reader into an arena. */
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "base/jsonread.h"

struct parser {
	const char *s, *p, *end;
	struct tk_arena *a;
	char *err;
	size_t errsize;
	int failed;
	struct tk_buf tmp;
};

static int fail(struct parser *ps, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static int fail(struct parser *ps, const char *fmt, ...)
{
	if (ps->failed)
		return -1;
	ps->failed = 1;
	unsigned long line = 1, col = 1;
	for (const char *q = ps->s; q < ps->p && q < ps->end; q++) {
		if (*q == '\n') {
			line++;
			col = 1;
		} else {
			col++;
		}
	}
	char msg[256];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	snprintf(ps->err, ps->errsize, "line %lu, column %lu: %s", line, col, msg);
	return -1;
}

static void skip_ws(struct parser *ps)
{
	while (ps->p < ps->end && (*ps->p == ' ' || *ps->p == '\t' || *ps->p == '\n' || *ps->p == '\r'))
		ps->p++;
}

static int lit(struct parser *ps, const char *word)
{
	size_t n = strlen(word);
	if ((size_t)(ps->end - ps->p) < n || memcmp(ps->p, word, n) != 0)
		return fail(ps, "unexpected character '%c'", *ps->p);
	ps->p += n;
	return 0;
}

static int hex4(struct parser *ps, uint32_t *out)
{
	if (ps->end - ps->p < 4)
		return fail(ps, "\\u needs four hex digits");
	uint32_t v = 0;
	for (int i = 0; i < 4; i++) {
		char c = ps->p[i];
		v <<= 4;
		if (c >= '0' && c <= '9')
			v |= (uint32_t)(c - '0');
		else if (c >= 'a' && c <= 'f')
			v |= (uint32_t)(c - 'a' + 10);
		else if (c >= 'A' && c <= 'F')
			v |= (uint32_t)(c - 'A' + 10);
		else
			return fail(ps, "\\u needs four hex digits");
	}
	ps->p += 4;
	*out = v;
	return 0;
}

/* the length of the valid UTF-8 sequence at p (0: invalid) */
static size_t utf8_len(const unsigned char *p, const unsigned char *end)
{
	unsigned c = p[0];
	size_t n;
	uint32_t cp, min;
	if (c < 0x80)
		return 1;
	if (c >= 0xc2 && c <= 0xdf) {
		n = 2; cp = c & 0x1f; min = 0x80;
	} else if (c >= 0xe0 && c <= 0xef) {
		n = 3; cp = c & 0x0f; min = 0x800;
	} else if (c >= 0xf0 && c <= 0xf4) {
		n = 4; cp = c & 0x07; min = 0x10000;
	} else {
		return 0;
	}
	if ((size_t)(end - p) < n)
		return 0;
	for (size_t i = 1; i < n; i++) {
		if ((p[i] & 0xc0) != 0x80)
			return 0;
		cp = cp << 6 | (p[i] & 0x3f);
	}
	if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
		return 0;
	return n;
}

/* a string at ps->p (the opening quote) into the arena */
static int string(struct parser *ps, const char **out, size_t *len)
{
	struct tk_buf *b = &ps->tmp;
	tk_buf_reset(b);
	tk_buf_add(b, "", 0);
	ps->p++;
	for (;;) {
		if (ps->p >= ps->end)
			return fail(ps, "unterminated string");
		unsigned char c = (unsigned char)*ps->p;
		if (c == '"') {
			ps->p++;
			break;
		}
		if (c < 0x20)
			return fail(ps, "control character 0x%02x in a string", c);
		if (c == '\\') {
			ps->p++;
			if (ps->p >= ps->end)
				return fail(ps, "unterminated string");
			char e = *ps->p++;
			const char *simple = strchr("\"\\/bfnrt", e);
			if (e && simple) {
				static const char to[] = "\"\\/\b\f\n\r\t";
				tk_buf_addc(b, to[simple - "\"\\/bfnrt"]);
				continue;
			}
			if (e != 'u') {
				ps->p--;
				return fail(ps, "bad escape '\\%c'", e);
			}
			uint32_t cp;
			if (hex4(ps, &cp) < 0)
				return -1;
			if (cp >= 0xdc00 && cp <= 0xdfff)
				return fail(ps, "lone low surrogate \\u%04x", (unsigned)cp);
			if (cp >= 0xd800 && cp <= 0xdbff) {
				uint32_t lo;
				if (ps->end - ps->p < 2 || ps->p[0] != '\\' || ps->p[1] != 'u')
					return fail(ps, "high surrogate \\u%04x without its low half", (unsigned)cp);
				ps->p += 2;
				if (hex4(ps, &lo) < 0)
					return -1;
				if (lo < 0xdc00 || lo > 0xdfff)
					return fail(ps, "high surrogate \\u%04x without its low half", (unsigned)cp);
				cp = 0x10000 + ((cp - 0xd800) << 10) + (lo - 0xdc00);
			}
			tk_buf_add_utf8(b, cp);
			continue;
		}
		size_t n = utf8_len((const unsigned char *)ps->p, (const unsigned char *)ps->end);
		if (n == 0)
			return fail(ps, "invalid UTF-8 in a string");
		tk_buf_add(b, ps->p, n);
		ps->p += n;
	}
	*out = tk_arena_strndup(ps->a, b->p, b->len);
	*len = b->len;
	return 0;
}

static int number(struct parser *ps, double *out)
{
	const char *q = ps->p, *start = q;
	if (q < ps->end && *q == '-')
		q++;
	if (q >= ps->end || *q < '0' || *q > '9') {
		ps->p = q;
		return fail(ps, "bad number");
	}
	if (*q == '0') {
		q++;
		if (q < ps->end && *q >= '0' && *q <= '9') {
			ps->p = q;
			return fail(ps, "leading zero in a number");
		}
	} else {
		while (q < ps->end && *q >= '0' && *q <= '9')
			q++;
	}
	if (q < ps->end && *q == '.') {
		q++;
		if (q >= ps->end || *q < '0' || *q > '9') {
			ps->p = q;
			return fail(ps, "a digit must follow the decimal point");
		}
		while (q < ps->end && *q >= '0' && *q <= '9')
			q++;
	}
	if (q < ps->end && (*q == 'e' || *q == 'E')) {
		q++;
		if (q < ps->end && (*q == '+' || *q == '-'))
			q++;
		if (q >= ps->end || *q < '0' || *q > '9') {
			ps->p = q;
			return fail(ps, "bad exponent");
		}
		while (q < ps->end && *q >= '0' && *q <= '9')
			q++;
	}
	char buf[128];
	size_t n = (size_t)(q - start);
	if (n >= sizeof buf)
		return fail(ps, "number too long");
	memcpy(buf, start, n);
	buf[n] = 0;
	errno = 0;
	double v = strtod(buf, NULL);
	if (!isfinite(v))
		return fail(ps, "number out of range");
	*out = v;
	ps->p = q;
	return 0;
}

/* One value into v: a scalar whole (0), or the type of an array or
 * object whose items follow (1); -1 on error. */
static int start_value(struct parser *ps, struct tk_jr_val *v)
{
	skip_ws(ps);
	if (ps->p >= ps->end)
		return fail(ps, "unexpected end of input");
	switch (*ps->p) {
	case '{':
		v->type = TK_JR_OBJ;
		return 1;
	case '[':
		v->type = TK_JR_ARR;
		return 1;
	case '"':
		v->type = TK_JR_STR;
		return string(ps, &v->str, &v->len);
	case 't':
		v->type = TK_JR_TRUE;
		return lit(ps, "true");
	case 'f':
		v->type = TK_JR_FALSE;
		return lit(ps, "false");
	case 'n':
		v->type = TK_JR_NULL;
		return lit(ps, "null");
	default:
		if (*ps->p == '-' || (*ps->p >= '0' && *ps->p <= '9')) {
			v->type = TK_JR_NUM;
			return number(ps, &v->num);
		}
		if ((unsigned char)*ps->p >= 0x20 && (unsigned char)*ps->p < 0x7f)
			return fail(ps, "unexpected character '%c'", *ps->p);
		return fail(ps, "unexpected byte 0x%02x", (unsigned char)*ps->p);
	}
}

/* an open array or object: its items collected on the heap, copied to
 * the arena when it closes */
struct level {
	struct tk_jr_val *v;
	struct tk_jr_val *tmp;
	size_t n, cap;
	int obj;
};

/* the document's value, nested arrays and objects on a heap stack of at
 * most TK_JR_MAX_DEPTH levels (not the C stack) */
static int value(struct parser *ps, struct tk_jr_val *root)
{
	struct level *st = NULL;
	size_t depth = 0, cap = 0;
	struct tk_jr_val *v = root;
	for (;;) {
		int r = start_value(ps, v);
		if (r < 0)
			goto bad;
		if (r == 1) {
			if (depth >= TK_JR_MAX_DEPTH) {
				fail(ps, "nested deeper than %d", TK_JR_MAX_DEPTH);
				goto bad;
			}
			int obj = v->type == TK_JR_OBJ;
			ps->p++;
			skip_ws(ps);
			if (ps->p < ps->end && *ps->p == (obj ? '}' : ']')) {
				ps->p++; /* empty: a complete value */
			} else {
				tk_xgrow((void **)&st, &cap, depth + 1, sizeof *st);
				st[depth++] = (struct level){ v, NULL, 0, 0, obj };
				goto item;
			}
		}
		/* a value is complete: close what it completes */
		for (;;) {
			if (!depth) {
				free(st);
				return 0;
			}
			struct level *o = &st[depth - 1];
			char close = o->obj ? '}' : ']';
			o->n++;
			skip_ws(ps);
			if (ps->p < ps->end && *ps->p == ',') {
				ps->p++;
				break;
			}
			if (ps->p < ps->end && *ps->p == close) {
				ps->p++;
				o->v->items = tk_arena_alloc(ps->a, o->n * sizeof *o->v->items);
				memcpy(o->v->items, o->tmp, o->n * sizeof *o->v->items);
				o->v->n = o->n;
				free(o->tmp);
				depth--;
				continue;
			}
			fail(ps, ps->p >= ps->end ? "unexpected end of input" : "expected ',' or '%c'", close);
			goto bad;
		}
	item:;
		/* the next item of the innermost open array or object */
		struct level *o = &st[depth - 1];
		tk_xgrow((void **)&o->tmp, &o->cap, o->n + 1, sizeof *o->tmp);
		struct tk_jr_val *it = &o->tmp[o->n];
		memset(it, 0, sizeof *it);
		skip_ws(ps);
		if (o->obj) {
			if (ps->p >= ps->end || *ps->p != '"') {
				fail(ps, ps->p >= ps->end ? "unexpected end of input" : "expected a member name");
				goto bad;
			}
			if (string(ps, &it->key, &it->key_len) < 0)
				goto bad;
			skip_ws(ps);
			if (ps->p >= ps->end || *ps->p != ':') {
				fail(ps, "expected ':' after a member name");
				goto bad;
			}
			ps->p++;
		}
		v = it;
	}
bad:
	while (depth)
		free(st[--depth].tmp);
	free(st);
	return -1;
}

int tk_jr_parse(struct tk_jr_doc *doc, const char *s, size_t n, char *err, size_t errsize)
{
	struct parser ps = { s, s, s + n, &doc->arena, err, errsize, 0, { 0 } };
	tk_arena_init(&doc->arena);
	doc->root = tk_arena_alloc(&doc->arena, sizeof *doc->root);
	int r = value(&ps, doc->root);
	if (r == 0) {
		skip_ws(&ps);
		if (ps.p < ps.end)
			r = fail(&ps, "more after the end of the document");
	}
	tk_buf_free(&ps.tmp);
	if (r < 0) {
		tk_jr_free(doc);
		return -1;
	}
	return 0;
}

void tk_jr_free(struct tk_jr_doc *doc)
{
	tk_arena_release(&doc->arena);
	doc->root = NULL;
}

const struct tk_jr_val *tk_jr_get(const struct tk_jr_val *v, const char *key)
{
	if (!v || v->type != TK_JR_OBJ)
		return NULL;
	size_t n = strlen(key);
	for (size_t i = 0; i < v->n; i++)
		if (v->items[i].key_len == n && memcmp(v->items[i].key, key, n) == 0)
			return &v->items[i];
	return NULL;
}
