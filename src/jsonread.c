/* jsonread: recursive descent over the text, one allocation per value. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "jsonread.h"
#include "util.h"

struct rd {
	const char *s;
	size_t n, i;
	char *err;
	size_t errn;
	int failed;
	struct tk_buf b;
};

static void fail(struct rd *r, const char *what)
{
	if (r->failed)
		return;
	r->failed = 1;
	if (r->errn)
		snprintf(r->err, r->errn, "offset %zu: %s", r->i, what);
}

static void ws(struct rd *r)
{
	while (r->i < r->n && (r->s[r->i] == ' ' || r->s[r->i] == '\t' || r->s[r->i] == '\n' ||
			       r->s[r->i] == '\r'))
		r->i++;
}

static void free_val(struct tk_jr_val *v)
{
	if (!v)
		return;
	for (size_t k = 0; (v->type == TK_JR_ARR || v->type == TK_JR_OBJ) && k < v->len; k++) {
		free_val(v->items[k]);
		if (v->keys)
			free(v->keys[k]);
	}
	free(v->items);
	free(v->keys);
	free(v->str);
	free(v);
}

static int hex4(struct rd *r, uint32_t *out)
{
	uint32_t x = 0;
	if (r->n - r->i < 4) {
		fail(r, "short \\u escape");
		return -1;
	}
	for (int k = 0; k < 4; k++) {
		char c = r->s[r->i++];
		x <<= 4;
		if (c >= '0' && c <= '9')
			x |= (uint32_t)(c - '0');
		else if (c >= 'a' && c <= 'f')
			x |= (uint32_t)(c - 'a' + 10);
		else if (c >= 'A' && c <= 'F')
			x |= (uint32_t)(c - 'A' + 10);
		else {
			fail(r, "bad \\u escape");
			return -1;
		}
	}
	*out = x;
	return 0;
}

/* a string at r->i (the opening quote) into r->b; -1 on error */
static int string(struct rd *r)
{
	tk_buf_reset(&r->b);
	tk_buf_add(&r->b, "", 0);
	r->i++;
	for (;;) {
		if (r->i >= r->n) {
			fail(r, "unterminated string");
			return -1;
		}
		unsigned char c = (unsigned char)r->s[r->i];
		if (c == '"') {
			r->i++;
			return 0;
		}
		if (c < 0x20) {
			fail(r, "control character in string");
			return -1;
		}
		if (c != '\\') {
			size_t j = r->i;
			while (j < r->n && r->s[j] != '"' && r->s[j] != '\\' && (unsigned char)r->s[j] >= 0x20)
				j++;
			tk_buf_add(&r->b, r->s + r->i, j - r->i);
			r->i = j;
			continue;
		}
		if (++r->i >= r->n) {
			fail(r, "unterminated escape");
			return -1;
		}
		char e = r->s[r->i++];
		switch (e) {
		case '"': tk_buf_addc(&r->b, '"'); break;
		case '\\': tk_buf_addc(&r->b, '\\'); break;
		case '/': tk_buf_addc(&r->b, '/'); break;
		case 'b': tk_buf_addc(&r->b, '\b'); break;
		case 'f': tk_buf_addc(&r->b, '\f'); break;
		case 'n': tk_buf_addc(&r->b, '\n'); break;
		case 'r': tk_buf_addc(&r->b, '\r'); break;
		case 't': tk_buf_addc(&r->b, '\t'); break;
		case 'u': {
			uint32_t cp, lo;
			if (hex4(r, &cp) < 0)
				return -1;
			if (cp >= 0xd800 && cp < 0xdc00 && r->n - r->i >= 6 && r->s[r->i] == '\\' &&
			    r->s[r->i + 1] == 'u') {
				size_t save = r->i;
				r->i += 2;
				if (hex4(r, &lo) < 0)
					return -1;
				if (lo >= 0xdc00 && lo < 0xe000)
					cp = 0x10000 + ((cp - 0xd800) << 10) + (lo - 0xdc00);
				else
					r->i = save;
			}
			tk_buf_add_utf8(&r->b, cp);
			break;
		}
		default:
			r->i--;
			fail(r, "bad escape");
			return -1;
		}
	}
}

static int number(struct rd *r, double *out)
{
	size_t st = r->i;
	if (r->i < r->n && r->s[r->i] == '-')
		r->i++;
	if (r->i >= r->n || r->s[r->i] < '0' || r->s[r->i] > '9') {
		fail(r, "bad number");
		return -1;
	}
	if (r->s[r->i] == '0')
		r->i++;
	else
		while (r->i < r->n && r->s[r->i] >= '0' && r->s[r->i] <= '9')
			r->i++;
	if (r->i < r->n && r->s[r->i] == '.') {
		r->i++;
		size_t d = r->i;
		while (r->i < r->n && r->s[r->i] >= '0' && r->s[r->i] <= '9')
			r->i++;
		if (d == r->i) {
			fail(r, "bad fraction");
			return -1;
		}
	}
	if (r->i < r->n && (r->s[r->i] == 'e' || r->s[r->i] == 'E')) {
		r->i++;
		if (r->i < r->n && (r->s[r->i] == '+' || r->s[r->i] == '-'))
			r->i++;
		size_t d = r->i;
		while (r->i < r->n && r->s[r->i] >= '0' && r->s[r->i] <= '9')
			r->i++;
		if (d == r->i) {
			fail(r, "bad exponent");
			return -1;
		}
	}
	char tmp[64];
	size_t k = r->i - st;
	if (k >= sizeof tmp) {
		/* long numbers: strtod on a heap copy */
		char *p = tk_xmalloc(k + 1);
		memcpy(p, r->s + st, k);
		p[k] = 0;
		*out = strtod(p, NULL);
		free(p);
	} else {
		memcpy(tmp, r->s + st, k);
		tmp[k] = 0;
		*out = strtod(tmp, NULL);
	}
	return 0;
}

static struct tk_jr_val *value(struct rd *r, int depth);

static struct tk_jr_val *container(struct rd *r, struct tk_jr_val *v, int depth)
{
	int obj = v->type == TK_JR_OBJ;
	char close = obj ? '}' : ']';
	size_t cap = 0, kcap = 0;
	r->i++;
	ws(r);
	if (r->i < r->n && r->s[r->i] == close) {
		r->i++;
		return v;
	}
	for (;;) {
		char *key = NULL;
		ws(r);
		if (obj) {
			if (r->i >= r->n || r->s[r->i] != '"') {
				fail(r, "expected a key");
				return v;
			}
			if (string(r) < 0)
				return v;
			key = tk_xmalloc(r->b.len + 1);
			memcpy(key, r->b.p, r->b.len + 1);
			ws(r);
			if (r->i >= r->n || r->s[r->i] != ':') {
				free(key);
				fail(r, "expected ':'");
				return v;
			}
			r->i++;
		}
		struct tk_jr_val *x = value(r, depth + 1);
		if (!x) {
			free(key);
			return v;
		}
		tk_xgrow((void **)&v->items, &cap, v->len + 1, sizeof *v->items);
		if (obj) {
			tk_xgrow((void **)&v->keys, &kcap, v->len + 1, sizeof *v->keys);
			v->keys[v->len] = key;
		}
		v->items[v->len++] = x;
		ws(r);
		if (r->i < r->n && r->s[r->i] == ',') {
			r->i++;
			continue;
		}
		if (r->i < r->n && r->s[r->i] == close) {
			r->i++;
			return v;
		}
		fail(r, obj ? "expected ',' or '}'" : "expected ',' or ']'");
		return v;
	}
}

static int literal(struct rd *r, const char *w)
{
	size_t k = strlen(w);
	if (r->n - r->i < k || memcmp(r->s + r->i, w, k) != 0) {
		fail(r, "unexpected character");
		return -1;
	}
	r->i += k;
	return 0;
}

static struct tk_jr_val *value(struct rd *r, int depth)
{
	ws(r);
	if (depth > TK_JR_MAX_DEPTH) {
		fail(r, "nested too deeply");
		return NULL;
	}
	if (r->i >= r->n) {
		fail(r, "unexpected end");
		return NULL;
	}
	struct tk_jr_val *v = tk_xcalloc(1, sizeof *v);
	char c = r->s[r->i];
	int bad = 0;
	switch (c) {
	case '{':
	case '[':
		v->type = c == '{' ? TK_JR_OBJ : TK_JR_ARR;
		container(r, v, depth);
		bad = r->failed;
		break;
	case '"':
		v->type = TK_JR_STR;
		bad = string(r) < 0;
		if (!bad) {
			v->str = tk_xmalloc(r->b.len + 1);
			memcpy(v->str, r->b.p, r->b.len + 1);
			v->len = r->b.len;
		}
		break;
	case 't': v->type = TK_JR_TRUE; bad = literal(r, "true") < 0; break;
	case 'f': v->type = TK_JR_FALSE; bad = literal(r, "false") < 0; break;
	case 'n': v->type = TK_JR_NULL; bad = literal(r, "null") < 0; break;
	default:
		v->type = TK_JR_NUM;
		bad = number(r, &v->num) < 0;
	}
	if (bad) {
		free_val(v);
		return NULL;
	}
	return v;
}

int tk_jr_parse(struct tk_jr_doc *d, const char *s, size_t n, char *err, size_t errn)
{
	struct rd r = { .s = s, .n = n, .err = err, .errn = errn };
	d->root = NULL;
	if (errn)
		err[0] = 0;
	struct tk_jr_val *v = value(&r, 0);
	if (v) {
		ws(&r);
		if (r.i != r.n) {
			fail(&r, "text after the value");
			free_val(v);
			v = NULL;
		}
	}
	tk_buf_free(&r.b);
	d->root = v;
	return v ? 0 : -1;
}

void tk_jr_free(struct tk_jr_doc *d)
{
	free_val(d->root);
	d->root = NULL;
}

const struct tk_jr_val *tk_jr_get(const struct tk_jr_val *o, const char *key)
{
	if (!o || o->type != TK_JR_OBJ)
		return NULL;
	for (size_t k = o->len; k > 0; k--)
		if (strcmp(o->keys[k - 1], key) == 0)
			return o->items[k - 1];
	return NULL;
}
