/* srcpos_map: texts and their lines, source maps found and loaded on
 * first use, files read for --annotate (srcpos_int.h). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "base/diag.h"
#include "js/srcpos_int.h"

void tk_srcpos_text_free(struct text *t)
{
	free(t->s);
	free(t->lb);
	free(t->lu);
}

/* the URL of a "//# sourceMappingURL=URL" comment (or "//@") that ends
 * the text (only whitespace after it), in [*a, *e); 0 if none */
int tk_srcpos_map_comment(const char *s, size_t n, const char **a, const char **e)
{
	const char *end = s + n, *at = NULL;
	for (const char *p = s; (p = memmem(p, (size_t)(end - p), "sourceMappingURL=", 17)) != NULL; p += 17)
		if (p - s >= 4 && (p[-1] == ' ' || p[-1] == '\t') && (p[-2] == '#' || p[-2] == '@') &&
		    p[-3] == '/' && p[-4] == '/')
			at = p + 17;
	if (!at)
		return 0;
	const char *q = at;
	while (q < end && *q != '\n' && *q != '\r' && *q != ' ' && *q != '\t')
		q++;
	for (const char *r = q; r < end; r++)
		if (*r != ' ' && *r != '\t' && *r != '\n' && *r != '\r')
			return 0;
	if (q == at)
		return 0;
	*a = at;
	*e = q;
	return 1;
}

/* line starts of t; UTF-16 units counted from UTF-8 lead bytes */
static void text_lines(struct text *t)
{
	if (t->n_lines)
		return;
	size_t cap = 0, n = 0;
	uint32_t u = 0;
	tk_xgrow((void **)&t->lb, &cap, 1, sizeof *t->lb);
	t->lu = tk_xmalloc(cap * sizeof *t->lu);
	t->lb[0] = t->lu[0] = 0;
	n = 1;
	for (size_t i = 0; i < t->len; i++) {
		unsigned char c = (unsigned char)t->s[i];
		if ((c & 0xc0) != 0x80)
			u += c >= 0xf0 ? 2 : 1;
		if (c == '\n') {
			size_t old = cap;
			tk_xgrow((void **)&t->lb, &cap, n + 1, sizeof *t->lb);
			if (cap != old)
				t->lu = tk_xrealloc(t->lu, cap * sizeof *t->lu);
			t->lb[n] = (uint32_t)(i + 1);
			t->lu[n] = u;
			n++;
		}
	}
	t->n_lines = n;
}

/* 0-based line and column of UTF-16 offset pos */
static void text_linecol(struct text *t, uint32_t pos, uint32_t *line, uint32_t *col)
{
	text_lines(t);
	size_t lo = 0, hi = t->n_lines;
	while (hi - lo > 1) {
		size_t mid = lo + (hi - lo) / 2;
		if (t->lu[mid] <= pos)
			lo = mid;
		else
			hi = mid;
	}
	*line = (uint32_t)lo;
	*col = pos - t->lu[lo];
}

int tk_srcpos_text_line(struct text *t, unsigned line, const char **s, size_t *n)
{
	text_lines(t);
	if (line == 0 || line > t->n_lines)
		return 0;
	size_t a = t->lb[line - 1];
	size_t b = line < t->n_lines ? t->lb[line] - 1 : t->len;
	if (b > a && t->s[b - 1] == '\r')
		b--;
	*s = t->s + a;
	*n = b - a;
	return 1;
}

/* a map or a script: regular files only, at most MAX_MAP_BYTES (a FIFO
 * would hang, /dev/zero read 256 MiB); *missing: it does not exist */
static char *read_file(const char *path, size_t *len, const char **why, int *missing)
{
	char *p = tk_read_regular(path, MAX_MAP_BYTES, len, why);
	*missing = !p && errno == ENOENT;
	return p;
}

/* the directory part of a script url or path ("" if none), "file://" dropped */
static void dir_of(struct tk_buf *out, const char *url)
{
	if (strncmp(url, "file://", 7) == 0)
		url += 7;
	const char *sl = strrchr(url, '/');
	tk_buf_reset(out);
	tk_buf_add(out, url, sl ? (size_t)(sl - url) : 0);
}

static void map_warn(struct tk_srcpos *sp, const struct script *s, const char *what, const char *err)
{
	if (!sp->quiet)
		TK_WARN(SOURCE_MAP, s->url, what, err ? ": " : "", err ? err : "");
}

/* finds and reads the map a script names, once */
static int msrc_eq(const void *ctx, uint32_t i, const void *key)
{
	const struct msrc *v = ctx;
	return strcmp(v[i].path, key) == 0;
}

/* notes that source j of script si's map has the content of path (the
 * lowest (script, source) wins, as a scan of the scripts would find) */
static void msrc_add(struct tk_srcpos *sp, const char *path, uint32_t si, uint32_t j)
{
	uint32_t h = tk_hash(path, strlen(path));
	uint32_t i = tk_hashidx_find(&sp->msrc_idx, h, msrc_eq, sp->msrcs, path);
	if (i != TK_HASHIDX_NONE) {
		struct msrc *m = &sp->msrcs[i];
		if (si < m->script || (si == m->script && j < m->j)) {
			m->script = si;
			m->j = j;
		}
		return;
	}
	tk_hashidx_add(&sp->msrc_idx, h, (uint32_t)sp->n_msrcs);
	tk_xgrow((void **)&sp->msrcs, &sp->cap_msrcs, sp->n_msrcs + 1, sizeof *sp->msrcs);
	sp->msrcs[sp->n_msrcs++] = (struct msrc){ dupn(path, strlen(path)), si, j };
}

void tk_srcpos_load_map(struct tk_srcpos *sp, struct script *s)
{
	s->map_state = -1;
	const char *at, *e;
	if (!tk_srcpos_map_comment(s->t.s, s->t.len, &at, &e))
		return;
	char *url = dupn(at, (size_t)(e - at));
	char *json = NULL;
	size_t jlen = 0;
	struct tk_buf base = { 0 }, path = { 0 };
	dir_of(&base, s->url);
	if (strncmp(url, "data:", 5) == 0) {
		const char *b64 = strstr(url, ";base64,");
		if (!b64) {
			map_warn(sp, s, "only base64 data URLs are read", NULL);
			goto out;
		}
		struct tk_buf d = { 0 };
		if (tk_smap_base64(b64 + 8, strlen(b64 + 8), &d) < 0) {
			map_warn(sp, s, "bad base64 in the data URL", NULL);
			tk_buf_free(&d);
			goto out;
		}
		json = d.p;
		jlen = d.len;
	} else {
		const char *u = strncmp(url, "file://", 7) == 0 ? url + 7 : url;
		const char *why = NULL;
		int missing = 1;
		if (sp->map_dir) {
			const char *bn = strrchr(u, '/');
			tk_smap_join(&path, sp->map_dir, bn ? bn + 1 : u);
			json = read_file(path.p, &jlen, &why, &missing);
		}
		if (!json && missing) {
			tk_smap_join(&path, base.p, u);
			json = read_file(path.p, &jlen, &why, &missing);
		}
		if (!json && !missing) {
			map_warn(sp, s, path.p, why);
			goto out;
		}
		if (!json) {
			if (!sp->quiet)
				TK_WARN(SOURCE_MAP_MISSING, s->url, url);
			goto out;
		}
		dir_of(&base, path.p);
	}
	char err[160];
	if (tk_smap_parse(&s->map, json, jlen, base.p, err, sizeof err) < 0) {
		map_warn(sp, s, "not read", err);
		tk_smap_free(&s->map);
		goto out;
	}
	s->map_state = 1;
	for (size_t j = 0; j < s->map.n_sources; j++)
		if (s->map.contents[j])
			msrc_add(sp, s->map.sources[j], (uint32_t)(s - sp->scripts), (uint32_t)j);
out:
	free(json);
	free(url);
	tk_buf_free(&base);
	tk_buf_free(&path);
}

/* script position pos (UTF-16) to file, 1-based line and column */
int tk_srcpos_where(struct tk_srcpos *sp, struct script *s, uint32_t pos, const char **file, unsigned *line,
		 unsigned *col)
{
	if (!s || !s->t.s)
		return 0;
	uint32_t l, c;
	text_linecol(&s->t, pos, &l, &c);
	*file = s->url;
	*line = l + 1;
	*col = c + 1;
	if (sp->maps && s->has_map_comment) {
		if (!s->map_state)
			tk_srcpos_load_map(sp, s);
		const struct tk_smap_seg *g;
		if (s->map_state > 0 && tk_smap_lookup(&s->map, l, c, &g)) {
			*file = s->map.sources[g->src];
			*line = g->oline + 1;
			*col = g->ocol + 1;
		}
	}
	return 1;
}

static int file_eq(const void *ctx, uint32_t i, const void *key)
{
	const struct file *v = ctx;
	return strcmp(v[i].path, key) == 0;
}

struct file *tk_srcpos_get_file(struct tk_srcpos *sp, const char *path)
{
	uint32_t h = tk_hash(path, strlen(path));
	uint32_t at = tk_hashidx_find(&sp->file_idx, h, file_eq, sp->files, path);
	if (at != TK_HASHIDX_NONE)
		return &sp->files[at];
	tk_hashidx_add(&sp->file_idx, h, (uint32_t)sp->n_files);
	tk_xgrow((void **)&sp->files, &sp->cap_files, sp->n_files + 1, sizeof *sp->files);
	struct file *f = &sp->files[sp->n_files++];
	memset(f, 0, sizeof *f);
	f->path = dupn(path, strlen(path));
	/* a mapped source's sourcesContent first, then the file itself;
	 * the loaded maps' sources are indexed, so only a path whose entry
	 * went stale (its script re-sourced since) is looked for by a scan */
	uint32_t mi = tk_hashidx_find(&sp->msrc_idx, tk_hash(path, strlen(path)), msrc_eq, sp->msrcs, path);
	if (mi != TK_HASHIDX_NONE) {
		const struct msrc *m = &sp->msrcs[mi];
		const struct script *s = m->script < sp->n_scripts ? &sp->scripts[m->script] : NULL;
		if (s && s->map_state > 0 && m->j < s->map.n_sources && s->map.contents[m->j] &&
		    strcmp(s->map.sources[m->j], path) == 0) {
			f->t.s = dupn(s->map.contents[m->j], strlen(s->map.contents[m->j]));
			f->t.len = strlen(f->t.s);
		}
	}
	for (size_t i = 0; mi != TK_HASHIDX_NONE && i < sp->n_scripts && !f->t.s; i++) {
		struct script *s = &sp->scripts[i];
		for (size_t j = 0; s->map_state > 0 && j < s->map.n_sources; j++)
			if (s->map.contents[j] && strcmp(s->map.sources[j], path) == 0) {
				f->t.s = dupn(s->map.contents[j], strlen(s->map.contents[j]));
				f->t.len = strlen(f->t.s);
				break;
			}
	}
	const char *why = NULL;
	int missing = 1;
	if (!f->t.s)
		f->t.s = read_file(path, &f->t.len, &why, &missing);
	if (!f->t.s && !missing && !sp->quiet)
		TK_WARN(SOURCE_UNREAD, path, why);
	f->ok = f->t.s != NULL;
	return f;
}
