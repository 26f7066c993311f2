/* sourcemap: VLQ decoding of "mappings", sorted once, binary search. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "base/jsonread.h"
#include "js/sourcemap.h"

static int b64val(char c)
{
	if (c >= 'A' && c <= 'Z')
		return c - 'A';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 26;
	if (c >= '0' && c <= '9')
		return c - '0' + 52;
	if (c == '+')
		return 62;
	if (c == '/')
		return 63;
	return -1;
}

int tk_smap_base64(const char *s, size_t n, struct tk_buf *out)
{
	uint32_t acc = 0;
	int bits = 0;
	while (n > 0 && s[n - 1] == '=')
		n--;
	for (size_t i = 0; i < n; i++) {
		int v = b64val(s[i]);
		if (v < 0)
			return -1;
		acc = acc << 6 | (uint32_t)v;
		bits += 6;
		if (bits >= 8) {
			bits -= 8;
			tk_buf_addc(out, (char)(acc >> bits & 0xff));
		}
	}
	tk_buf_add(out, "", 0);
	return 0;
}

void tk_smap_join(struct tk_buf *out, const char *dir, const char *rel)
{
	tk_buf_reset(out);
	if (strstr(rel, "://") || rel[0] == '/' || !dir || !*dir) {
		tk_buf_adds(out, rel);
	} else {
		tk_buf_adds(out, dir);
		if (out->len && out->p[out->len - 1] != '/')
			tk_buf_addc(out, '/');
		tk_buf_adds(out, rel);
	}
	if (strstr(out->p, "://"))
		return; /* URLs as given */
	/* normalize: a stack of segments; ".." pops one (kept at the start
	 * of a relative path, dropped at the root of an absolute one) */
	char *p = tk_xmalloc(out->len + 1);
	memcpy(p, out->p, out->len + 1);
	size_t n = out->len, *seg = tk_xmalloc((n + 1) * sizeof *seg), *sl = tk_xmalloc((n + 1) * sizeof *sl);
	size_t k = 0;
	int abs = n > 0 && p[0] == '/';
	for (size_t i = 0; i < n;) {
		size_t j = i;
		while (j < n && p[j] != '/')
			j++;
		size_t len = j - i;
		int dots = len == 2 && p[i] == '.' && p[i + 1] == '.';
		if (len == 0 || (len == 1 && p[i] == '.')) {
			/* nothing */
		} else if (dots && k > 0 && !(sl[k - 1] == 2 && memcmp(p + seg[k - 1], "..", 2) == 0)) {
			k--;
		} else if (!(dots && abs)) {
			seg[k] = i;
			sl[k++] = len;
		}
		i = j + 1;
	}
	tk_buf_reset(out);
	if (abs)
		tk_buf_addc(out, '/');
	for (size_t i = 0; i < k; i++) {
		if (i)
			tk_buf_addc(out, '/');
		tk_buf_add(out, p + seg[i], sl[i]);
	}
	if (!out->len)
		tk_buf_adds(out, ".");
	free(p);
	free(seg);
	free(sl);
}

/* one VLQ value at *s; -1 on a bad character or end */
static int vlq(const char **s, const char *end, int64_t *out)
{
	uint64_t v = 0;
	int shift = 0;
	for (;;) {
		if (*s >= end || shift > 60)
			return -1;
		int d = b64val(**s);
		if (d < 0)
			return -1;
		(*s)++;
		v |= (uint64_t)(d & 31) << shift;
		shift += 5;
		if (!(d & 32))
			break;
	}
	*out = (v & 1) ? -(int64_t)(v >> 1) : (int64_t)(v >> 1);
	return 0;
}

static int cmp_seg(const void *a, const void *b)
{
	const struct tk_smap_seg *x = a, *y = b;
	if (x->gline != y->gline)
		return x->gline < y->gline ? -1 : 1;
	if (x->gcol != y->gcol)
		return x->gcol < y->gcol ? -1 : 1;
	return 0;
}

static int bad(char *err, size_t errn, const char *what)
{
	if (errn)
		snprintf(err, errn, "%s", what);
	return -1;
}

static int mappings(struct tk_smap *m, const char *s, size_t n, char *err, size_t errn)
{
	const char *p = s, *end = s + n;
	int64_t gline = 0, gcol = 0, src = 0, oline = 0, ocol = 0; /* names are not used */
	size_t cap = 0;
	while (p < end) {
		if (*p == ';') {
			gline++;
			gcol = 0;
			p++;
			continue;
		}
		if (*p == ',') {
			p++;
			continue;
		}
		int64_t f[5];
		int k = 0;
		while (p < end && *p != ',' && *p != ';') {
			if (k == 5 || vlq(&p, end, &f[k]) < 0)
				return bad(err, errn, "bad VLQ in mappings");
			k++;
		}
		if (k != 1 && k != 4 && k != 5)
			return bad(err, errn, "a mappings segment of 2 or 3 fields");
		gcol += f[0];
		if (k >= 4) {
			src += f[1];
			oline += f[2];
			ocol += f[3];
		}
		if (gcol < 0 || gcol > UINT32_MAX || gline > UINT32_MAX ||
		    (k >= 4 && (src < 0 || (size_t)src >= m->n_sources || oline < 0 || ocol < 0 ||
				oline > UINT32_MAX || ocol > UINT32_MAX)))
			return bad(err, errn, "a mappings segment out of range");
		tk_xgrow((void **)&m->segs, &cap, m->n + 1, sizeof *m->segs);
		struct tk_smap_seg *g = &m->segs[m->n++];
		g->gline = (uint32_t)gline;
		g->gcol = (uint32_t)gcol;
		g->src = k >= 4 ? (uint32_t)src : UINT32_MAX;
		g->oline = k >= 4 ? (uint32_t)oline : 0;
		g->ocol = k >= 4 ? (uint32_t)ocol : 0;
	}
	/* V8 writes them sorted; equal positions may come in any order */
	if (m->n)
		qsort(m->segs, m->n, sizeof *m->segs, cmp_seg);
	return 0;
}

int tk_smap_parse(struct tk_smap *m, const char *json, size_t len, const char *base, char *err, size_t errn)
{
	memset(m, 0, sizeof *m);
	struct tk_jr_doc d;
	if (tk_jr_parse(&d, json, len, err, errn) < 0)
		return -1;
	int rc = -1;
	const struct tk_jr_val *ver = tk_jr_get(d.root, "version");
	const struct tk_jr_val *srcs = tk_jr_get(d.root, "sources");
	const struct tk_jr_val *map = tk_jr_get(d.root, "mappings");
	const struct tk_jr_val *root = tk_jr_get(d.root, "sourceRoot");
	const struct tk_jr_val *content = tk_jr_get(d.root, "sourcesContent");
	if (tk_jr_get(d.root, "sections")) {
		bad(err, errn, "index maps (sections) are not supported");
		goto out;
	}
	if (!ver || ver->type != TK_JR_NUM || ver->num != 3) {
		bad(err, errn, "not a version 3 source map");
		goto out;
	}
	if (!srcs || srcs->type != TK_JR_ARR || !map || map->type != TK_JR_STR) {
		bad(err, errn, "no sources or mappings");
		goto out;
	}
	m->n_sources = srcs->n;
	m->sources = tk_xcalloc(srcs->n + 1, sizeof *m->sources);
	m->contents = tk_xcalloc(srcs->n + 1, sizeof *m->contents);
	struct tk_buf b = { 0 }, rel = { 0 };
	for (size_t i = 0; i < srcs->n; i++) {
		const struct tk_jr_val *s = &srcs->items[i];
		tk_buf_reset(&rel);
		int abs = s->type == TK_JR_STR && (s->str[0] == '/' || strstr(s->str, "://"));
		if (root && root->type == TK_JR_STR && root->len && !abs) {
			tk_buf_add(&rel, root->str, root->len);
			if (rel.p[rel.len - 1] != '/')
				tk_buf_addc(&rel, '/');
		}
		if (s->type == TK_JR_STR)
			tk_buf_add(&rel, s->str, s->len);
		tk_buf_add(&rel, "", 0);
		tk_smap_join(&b, base, rel.p);
		m->sources[i] = strdup(b.p ? b.p : "");
		if (!m->sources[i])
			m->sources[i] = tk_xcalloc(1, 1);
		if (content && content->type == TK_JR_ARR && i < content->n &&
		    content->items[i].type == TK_JR_STR) {
			m->contents[i] = tk_xmalloc(content->items[i].len + 1);
			memcpy(m->contents[i], content->items[i].str, content->items[i].len + 1);
		}
	}
	tk_buf_free(&b);
	tk_buf_free(&rel);
	rc = mappings(m, map->str, map->len, err, errn);
out:
	tk_jr_free(&d);
	return rc;
}

void tk_smap_free(struct tk_smap *m)
{
	for (size_t i = 0; i < m->n_sources; i++) {
		free(m->sources[i]);
		free(m->contents[i]);
	}
	free(m->sources);
	free(m->contents);
	free(m->segs);
	memset(m, 0, sizeof *m);
}

int tk_smap_lookup(const struct tk_smap *m, uint32_t line, uint32_t col, const struct tk_smap_seg **out)
{
	/* the last segment <= (line, col) */
	size_t lo = 0, hi = m->n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		const struct tk_smap_seg *g = &m->segs[mid];
		if (g->gline < line || (g->gline == line && g->gcol <= col))
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo == 0)
		return 0;
	const struct tk_smap_seg *g = &m->segs[lo - 1];
	if (g->gline != line || g->src == UINT32_MAX)
		return 0;
	*out = g;
	return 1;
}
