/* diff: two profiles compared per function (ticks diff). */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "report/diff.h"
#include "base/diag.h"
#include "base/escape.h"
#include "base/frame.h"
#include "base/hashidx.h"
#include "base/names.h"
#include "input/input.h"
#include "base/json.h"
#include "base/util.h"
#include "ingest/window.h"

void tk_diff_init(struct tk_diff *df)
{
	memset(df, 0, sizeof *df);
	tk_arena_init(&df->arena);
	tk_hashidx_init(&df->idx);
}

void tk_diff_release(struct tk_diff *df)
{
	if (df->jnames) {
		tk_names_release(df->jnames);
		free(df->jnames);
	}
	free(df->fn);
	tk_hashidx_release(&df->idx);
	tk_buf_free(&df->key);
	tk_arena_release(&df->arena);
	memset(df, 0, sizeof *df);
}

void tk_diff_key(const struct tk_name *name, struct tk_buf *key)
{
	const struct tk_frame_rec *fi = &name->frame;
	tk_buf_reset(key);
	if (fi->tier) {
		/* "TYPE: " + everything after the tier marker */
		size_t head = (size_t)(fi->func - 1 - name->str);
		tk_buf_add(key, name->str, head);
		tk_buf_add(key, fi->func, name->len - (size_t)(fi->func - name->str));
	} else {
		tk_buf_add(key, name->str, name->len);
	}
}

/* side's function of name, keyed by side and key while loading; its
 * identity (the key without the position) from the name's record */
static size_t load_fn(struct tk_diff *df, int side, const struct tk_name *name)
{
	tk_diff_key(name, &df->key);
	tk_buf_addc(&df->key, (char)('0' + side)); /* the sides' functions apart until matched */
	size_t n = df->n, i = tk_diff_fn_of(df, df->key.p, df->key.len);
	if (df->n == n)
		return i;
	struct tk_diff_fn *f = &df->fn[i];
	const struct tk_frame_rec *fi = &name->frame;
	f->side = (uint8_t)side; /* its name ends with the side until matched */
	if (fi->is_func && fi->script) {
		struct tk_buf *b = &df->key;
		tk_buf_reset(b);
		tk_buf_add(b, fi->type, fi->type_len);
		tk_buf_add(b, ": ", 2);
		tk_buf_add(b, fi->func, fi->func_len);
		tk_buf_addc(b, ' ');
		tk_buf_add(b, fi->script, fi->script_len);
		if (fi->inlined)
			tk_buf_adds(b, " (inlined)");
		f->ident = tk_arena_strndup(&df->arena, b->p, b->len);
		f->ident_len = (uint32_t)b->len;
		f->line = fi->line;
		f->column = fi->column;
	} else {
		f->ident = f->name;
		f->ident_len = f->len - 1;
	}
	return i;
}

struct fn_key {
	const char *s;
	size_t n;
};

static int fn_eq(const void *ctx, uint32_t item, const void *key)
{
	const struct tk_diff_fn *f = &((const struct tk_diff *)ctx)->fn[item];
	const struct fn_key *k = key;
	return f->len == k->n && memcmp(f->name, k->s, k->n) == 0;
}

size_t tk_diff_fn_of(struct tk_diff *df, const char *key, size_t len)
{
	uint32_t h = tk_hash(key, len);
	struct fn_key k = { key, len };
	uint32_t i = tk_hashidx_find(&df->idx, h, fn_eq, df, &k);
	if (i != TK_HASHIDX_NONE)
		return i;
	tk_xgrow((void **)&df->fn, &df->cap, df->n + 1, sizeof *df->fn);
	struct tk_diff_fn *f = &df->fn[df->n];
	memset(f, 0, sizeof *f);
	f->name = tk_arena_strndup(&df->arena, key, len);
	f->len = (uint32_t)len;
	tk_hashidx_add(&df->idx, h, (uint32_t)df->n);
	return df->n++;
}

/* one tree node of function fi entered on the walk: self always counts,
 * total only for the outermost frame of it on the path */
static void enter(struct tk_diff *df, int side, size_t fi, uint64_t self, uint64_t total)
{
	struct tk_diff_fn *f = &df->fn[fi];
	f->self[side] += self;
	if (f->active++ == 0)
		f->total[side] += total;
}

/* depth first without recursion (a path can be TK_MAX_FRAMES deep):
 * down the first child, else the next sibling, else back up */
static void walk_tree(struct tk_diff *df, int side, const struct tk_tree *t, const size_t *fn_of_name)
{
	const struct tk_node *v = t->v;
	uint32_t c = v[0].first_child;
	while (c) {
		enter(df, side, fn_of_name[v[c].name], v[c].self, v[c].total);
		if (v[c].first_child) {
			c = v[c].first_child;
			continue;
		}
		for (;;) {
			df->fn[fn_of_name[v[c].name]].active--;
			if (v[c].next) {
				c = v[c].next;
				break;
			}
			c = v[c].parent;
			if (!c)
				break;
		}
	}
}

void tk_diff_load_isolate(struct tk_diff *df, int side, const struct tk_isolate *iso)
{
	const struct tk_tree *t = &iso->prof.top_down;
	/* every name id once: its function */
	size_t nn = iso->names->count;
	size_t *fn_of_name = tk_xcalloc(nn ? nn : 1, sizeof *fn_of_name);
	for (size_t i = 0; i < nn; i++)
		fn_of_name[i] = SIZE_MAX;
	for (size_t i = 1; i < t->n; i++) {
		uint32_t id = t->v[i].name;
		if (fn_of_name[id] == SIZE_MAX) {
			fn_of_name[id] = load_fn(df, side, tk_names_get(iso->names, id));
		}
	}
	df->ticks[side] = iso->prof.total;
	df->path[side] = iso->path;
	if (t->n > 0)
		walk_tree(df, side, t, fn_of_name);
	free(fn_of_name);
}

static int json_count(const struct tk_jr_val *v, uint64_t *out)
{
	if (!v || v->type != TK_JR_NUM || v->num < 0 || v->num > 9007199254740992.0 || v->num != floor(v->num))
		return -1;
	*out = (uint64_t)v->num;
	return 0;
}

static int kind_of(const struct tk_jr_val *k)
{
	static const char *const kinds[] = { "", "js", "cpp", "lib", "unknown" };
	if (k && k->type == TK_JR_STR)
		for (int i = 1; i < 5; i++)
			if (strcmp(k->str, kinds[i]) == 0)
				return i;
	return TK_KIND_JS;
}

/* a children array being walked: the node of each level's function */
struct jlevel {
	const struct tk_jr_val *ch;
	size_t i;
	size_t fi;           /* the function of the node whose children these are */
};

/* the top-down tree of a report, depth first with a stack on the heap
 * (a report nests as deep as its paths) */
static int walk_json(struct tk_diff *df, int side, const struct tk_jr_val *root, struct tk_diag *d)
{
	struct jlevel *st = NULL;
	size_t n = 0, cap = 0;
	int r = 0;
	const struct tk_jr_val *node = root;
	size_t node_fi = SIZE_MAX; /* the root is no function */
	for (;;) {
		if (node) {
			/* descend: node's children, if any */
			const struct tk_jr_val *ch = tk_jr_get(node, "children");
			if (ch && ch->type != TK_JR_ARR) {
				tk_diag_set(d, TK_EXIT_INPUT, "top_down: children is not an array");
				r = -1;
				break;
			}
			if (ch) {
				tk_xgrow((void **)&st, &cap, n + 1, sizeof *st);
				st[n++] = (struct jlevel){ ch, 0, node_fi };
			} else if (node_fi != SIZE_MAX) {
				df->fn[node_fi].active--;
			}
			node = NULL;
		}
		if (!n)
			break;
		struct jlevel *l = &st[n - 1];
		if (l->i == l->ch->n) {
			if (l->fi != SIZE_MAX)
				df->fn[l->fi].active--;
			n--;
			continue;
		}
		const struct tk_jr_val *c = &l->ch->items[l->i++], *name = tk_jr_get(c, "name");
		uint64_t self, total;
		if (!name || name->type != TK_JR_STR || json_count(tk_jr_get(c, "self"), &self) < 0 ||
		    json_count(tk_jr_get(c, "total"), &total) < 0) {
			tk_diag_set(d, TK_EXIT_INPUT, "top_down: a node without name, self and total");
			r = -1;
			break;
		}
		if (!df->jnames) {
			df->jnames = tk_xmalloc(sizeof *df->jnames);
			tk_names_init(df->jnames);
		}
		/* interned, the name has its record */
		size_t fi = load_fn(df, side, tk_names_intern(df->jnames, name->str, name->len,
							      (enum tk_kind)kind_of(tk_jr_get(c, "kind"))));
		enter(df, side, fi, self, total);
		node = c;
		node_fi = fi;
	}
	free(st);
	return r;
}

int tk_diff_load_json(struct tk_diff *df, int side, const struct tk_jr_val *root, struct tk_diag *d)
{
	const struct tk_jr_val *schema = tk_jr_get(root, "schema"), *profs = tk_jr_get(root, "profiles");
	if (!schema || schema->type != TK_JR_STR || strcmp(schema->str, "ticks/1") != 0 || !profs ||
	    profs->type != TK_JR_ARR) {
		tk_diag_set(d, TK_EXIT_INPUT, "not a ticks --json report (schema ticks/1)");
		return -1;
	}
	if (profs->n != 1) {
		tk_diag_set(d, TK_EXIT_INPUT, "the report has %zu profiles: diff compares one log's (write the "
			    "report of one log)", profs->n);
		return -1;
	}
	const struct tk_jr_val *p = &profs->items[0], *err = tk_jr_get(p, "error");
	if (err && err->type == TK_JR_STR) {
		tk_diag_set(d, TK_EXIT_INPUT, "the report has no profile, only an error: %s", err->str);
		return -1;
	}
	const struct tk_jr_val *td = tk_jr_get(p, "top_down");
	uint64_t ticks;
	if (!td || td->type != TK_JR_OBJ || json_count(tk_jr_get(tk_jr_get(p, "totals"), "ticks"), &ticks) < 0) {
		tk_diag_set(d, TK_EXIT_INPUT, "the report has no top_down tree or no totals (written with "
			    "--bottom-up or --only-summary?): give diff a plain --json report");
		return -1;
	}
	df->ticks[side] = ticks;
	return walk_json(df, side, td, d);
}

/* the whole of a report, lines joined (gzip and stdin as for logs) */
static int slurp_rest(struct tk_input *in, const char *line, size_t len, struct tk_buf *b,
		      struct tk_diag *d)
{
	char *l;
	size_t n;
	int r;
	tk_buf_add(b, line, len);
	tk_buf_addc(b, '\n');
	while ((r = tk_input_next(in, &l, &n, d)) > 0) {
		tk_buf_add(b, l, n);
		tk_buf_addc(b, '\n');
	}
	if (in->cut)
		tk_buf_add(b, in->cut_text, strnlen(in->cut_text, sizeof in->cut_text));
	if (r == 0 && (in->cut || in->long_lines)) {
		tk_diag_set(d, TK_EXIT_INPUT, "the JSON report is cut off or has over-long lines");
		return -1;
	}
	return r;
}

int tk_diff_load(struct tk_diff *df, int side, const char *path, const struct tk_opts *o,
		 struct tk_names *names, struct tk_elfcache *cache, struct tk_diag *d)
{
	/* a report starts with '{', a log with "v8-version," */
	struct tk_input in;
	char *line;
	size_t len;
	if (tk_input_open(&in, path, d) < 0)
		return -1;
	int r = tk_input_next(&in, &line, &len, d);
	size_t k = 0;
	while (r > 0 && k < len && (line[k] == ' ' || line[k] == '\t'))
		k++;
	if (r > 0 && k < len && line[k] == '{') {
		struct tk_buf b = {0};
		struct tk_jr_doc doc;
		char err[300];
		df->path[side] = path;
		r = slurp_rest(&in, line, len, &b, d);
		tk_input_close(&in);
		if (r < 0) {
			tk_buf_free(&b);
			return -1;
		}
		if (tk_jr_parse(&doc, b.p, b.len, err, sizeof err) < 0) {
			tk_buf_free(&b);
			tk_diag_set(d, TK_EXIT_INPUT, "bad JSON: %s", err);
			return -1;
		}
		tk_buf_free(&b);
		r = tk_diff_load_json(df, side, doc.root, d);
		tk_jr_free(&doc);
		return r;
	}
	tk_input_close(&in);
	if (r < 0)
		return -1;
	struct tk_isolate *iso = tk_xmalloc(sizeof *iso);
	tk_isolate_init(iso, path, o, names, cache);
	r = tk_isolate_run(iso, d);
	if (r == 0) {
		tk_isolate_report_warnings(iso);
		tk_diff_load_isolate(df, side, iso);
	}
	tk_isolate_release(iso);
	free(iso);
	return r;
}

/* matching: the loaded functions by identity, side, position */
static int cmp_ident(const void *x, const void *y)
{
	const struct tk_diff_fn *a = *(const struct tk_diff_fn *const *)x, *b = *(const struct tk_diff_fn *const *)y;
	size_t n = a->ident_len < b->ident_len ? a->ident_len : b->ident_len;
	int c = memcmp(a->ident, b->ident, n);
	if (c || a->ident_len != b->ident_len)
		return c ? c : (a->ident_len > b->ident_len) - (a->ident_len < b->ident_len);
	if (a->side != b->side)
		return a->side - b->side;
	if (a->line != b->line)
		return a->line < b->line ? -1 : 1;
	return (a->column > b->column) - (a->column < b->column);
}

struct cand { uint64_t dist; uint32_t b, n; };

static int cmp_cand(const void *x, const void *y)
{
	const struct cand *a = x, *b = y;
	if (a->dist != b->dist)
		return a->dist < b->dist ? -1 : 1;
	if (a->b != b->b)
		return a->b < b->b ? -1 : 1;
	return (a->n > b->n) - (a->n < b->n);
}

static uint64_t dist(const struct tk_diff_fn *a, const struct tk_diff_fn *b)
{
	uint64_t dl = a->line > b->line ? a->line - b->line : b->line - a->line;
	uint64_t dc = a->column > b->column ? a->column - b->column : b->column - a->column;
	return dl << 32 | dc;
}

/* pairs base functions v[0..nb) with new ones w[0..nw) of one identity:
 * pair[i] = the new one of base i, or SIZE_MAX */
static void pair_group(const struct tk_diff_fn *const *v, size_t nb, const struct tk_diff_fn *const *w,
		       size_t nw, size_t *pair)
{
	for (size_t i = 0; i < nb; i++)
		pair[i] = SIZE_MAX;
	if (nb == nw || (uint64_t)nb * nw > 1000000) {
		/* as many on both sides (or too many to rank): in position order */
		for (size_t i = 0; i < nb && i < nw; i++)
			pair[i] = i;
		return;
	}
	struct cand *c = tk_xmalloc(nb * nw * sizeof *c);
	size_t k = 0;
	for (size_t i = 0; i < nb; i++)
		for (size_t j = 0; j < nw; j++)
			c[k++] = (struct cand){ dist(v[i], w[j]), (uint32_t)i, (uint32_t)j };
	qsort(c, k, sizeof *c, cmp_cand);
	uint8_t *used = tk_xcalloc(nw, 1);
	for (size_t x = 0; x < k; x++)
		if (pair[c[x].b] == SIZE_MAX && !used[c[x].n]) {
			pair[c[x].b] = c[x].n;
			used[c[x].n] = 1;
		}
	free(used);
	free(c);
}

/* a row of the matched table from base function b and new function n
 * (either NULL), named as the new side names it */
static void add_row(struct tk_diff *df, const struct tk_diff_fn *b, const struct tk_diff_fn *n)
{
	const struct tk_diff_fn *named = n ? n : b;
	size_t i = tk_diff_fn_of(df, named->name, named->len - 1); /* may move df->fn */
	struct tk_diff_fn *r = &df->fn[i];
	r->ident = named->ident;
	r->ident_len = named->ident_len;
	r->line = named->line;
	r->column = named->column;
	if (b) {
		r->self[0] += b->self[0];
		r->total[0] += b->total[0];
	}
	if (n) {
		r->self[1] += n->self[1];
		r->total[1] += n->total[1];
	}
}

void tk_diff_match(struct tk_diff *df)
{
	if (df->matched)
		return;
	df->matched = 1;
	size_t n = df->n;
	struct tk_diff_fn *old = df->fn;
	const struct tk_diff_fn **v = tk_xmalloc((n ? n : 1) * sizeof *v);
	for (size_t i = 0; i < n; i++)
		v[i] = &old[i];
	qsort(v, n, sizeof *v, cmp_ident);
	/* the rows, in a table of their own */
	df->fn = NULL;
	df->n = df->cap = 0;
	tk_hashidx_release(&df->idx);
	size_t *pair = tk_xmalloc((n ? n : 1) * sizeof *pair);
	for (size_t i = 0, k; i < n; i = k) {
		size_t nb = 0;
		for (k = i; k < n && v[k]->ident_len == v[i]->ident_len &&
			    memcmp(v[k]->ident, v[i]->ident, v[i]->ident_len) == 0; k++)
			if (v[k]->side == 0)
				nb++;
		const struct tk_diff_fn *const *b = v + i, *const *w = v + i + nb;
		size_t nw = k - i - nb;
		pair_group(b, nb, w, nw, pair);
		uint8_t *used = tk_xcalloc(nw ? nw : 1, 1);
		for (size_t j = 0; j < nb; j++) {
			add_row(df, b[j], pair[j] != SIZE_MAX ? w[pair[j]] : NULL);
			if (pair[j] != SIZE_MAX)
				used[pair[j]] = 1;
		}
		for (size_t j = 0; j < nw; j++)
			if (!used[j])
				add_row(df, NULL, w[j]);
		free(used);
	}
	free(pair);
	free(v);
	free(old);
}

double tk_diff_share(const struct tk_diff *df, const struct tk_diff_fn *f, int s, int total)
{
	if (df->ticks[s] == 0)
		return 0.0;
	return (double)(total ? f->total[s] : f->self[s]) * 100.0 / (double)df->ticks[s];
}

static const struct tk_diff *sort_df;

static int cmp_fn(const void *x, const void *y)
{
	const struct tk_diff_fn *a = *(const struct tk_diff_fn *const *)x, *b = *(const struct tk_diff_fn *const *)y;
	for (int total = 0; total < 2; total++) {
		double da = tk_diff_share(sort_df, a, 1, total) - tk_diff_share(sort_df, a, 0, total);
		double db = tk_diff_share(sort_df, b, 1, total) - tk_diff_share(sort_df, b, 0, total);
		if (da != db)
			return da > db ? -1 : 1;
	}
	size_t n = a->len < b->len ? a->len : b->len;
	int c = memcmp(a->name, b->name, n);
	return c ? c : (a->len > b->len) - (a->len < b->len);
}

size_t tk_diff_sorted(const struct tk_diff *df, const struct tk_diff_fn ***out)
{
	const struct tk_diff_fn **v = tk_xmalloc((df->n ? df->n : 1) * sizeof *v);
	for (size_t i = 0; i < df->n; i++)
		v[i] = &df->fn[i];
	sort_df = df;
	qsort(v, df->n, sizeof *v, cmp_fn);
	*out = v;
	return df->n;
}

void tk_diff_text(FILE *out, const struct tk_diff *df, size_t top)
{
	tk_esc_printf(out, "Difference from %s (%llu ticks) to %s (%llu ticks).\n", df->path[0],
		(unsigned long long)df->ticks[0], df->path[1], (unsigned long long)df->ticks[1]);
	fputs("\n [Functions]: percent of each profile's ticks; sorted by the change of self, then total\n"
	      "        self                      total\n"
	      "    base     new  change      base     new  change   name\n", out);
	const struct tk_diff_fn **v;
	size_t n = tk_diff_sorted(df, &v);
	if (top && top < n)
		n = top;
	for (size_t i = 0; i < n; i++) {
		double s0 = tk_diff_share(df, v[i], 0, 0), s1 = tk_diff_share(df, v[i], 1, 0);
		double t0 = tk_diff_share(df, v[i], 0, 1), t1 = tk_diff_share(df, v[i], 1, 1);
		fprintf(out, "%8.2f%8.2f%+8.2f  %8.2f%8.2f%+8.2f   ", s0, s1, s1 - s0, t0, t1, t1 - t0);
		tk_esc_fwrite(out, v[i]->name, v[i]->len);
		fputc('\n', out);
	}
	if (n < df->n)
		fprintf(out, "  (%zu more)\n", df->n - n);
	free(v);
}

static void pct(struct tk_json *j, const char *key, double x)
{
	tk_json_key(j, key);
	tk_json_dbl(j, round(x * 100.0) / 100.0);
}

static void side_json(struct tk_json *j, const struct tk_diff *df, const struct tk_diff_fn *f, int s)
{
	tk_json_key(j, s ? "new" : "base");
	tk_json_obj(j);
	tk_json_key(j, "self");
	tk_json_u64(j, f->self[s]);
	tk_json_key(j, "total");
	tk_json_u64(j, f->total[s]);
	pct(j, "self_pct", tk_diff_share(df, f, s, 0));
	pct(j, "total_pct", tk_diff_share(df, f, s, 1));
	tk_json_end(j);
}

void tk_diff_json(FILE *out, const struct tk_diff *df, size_t top, double fail_above)
{
	struct tk_json j;
	tk_json_init(&j, out, 1);
	tk_json_obj(&j);
	tk_json_key(&j, "schema");
	tk_json_str(&j, "ticks-diff/1");
	tk_json_key(&j, "ticks_version");
	tk_json_str(&j, TK_VERSION);
	for (int s = 0; s < 2; s++) {
		tk_json_key(&j, s ? "new" : "base");
		tk_json_obj(&j);
		tk_json_key(&j, "path");
		tk_json_str(&j, df->path[s]);
		tk_json_key(&j, "ticks");
		tk_json_u64(&j, df->ticks[s]);
		tk_json_end(&j);
	}
	tk_json_key(&j, "fail_above_pct");
	if (fail_above >= 0)
		tk_json_dbl(&j, fail_above);
	else
		tk_json_null(&j);
	tk_json_key(&j, "failed");
	tk_json_bool(&j, fail_above >= 0 && tk_diff_check(df, fail_above, NULL) > 0);
	tk_json_key(&j, "functions");
	tk_json_arr(&j);
	const struct tk_diff_fn **v;
	size_t n = tk_diff_sorted(df, &v);
	if (top && top < n)
		n = top;
	for (size_t i = 0; i < n; i++) {
		tk_json_obj(&j);
		tk_json_key(&j, "name");
		tk_json_strn(&j, v[i]->name, v[i]->len);
		side_json(&j, df, v[i], 0);
		side_json(&j, df, v[i], 1);
		pct(&j, "self_change_pct", tk_diff_share(df, v[i], 1, 0) - tk_diff_share(df, v[i], 0, 0));
		pct(&j, "total_change_pct", tk_diff_share(df, v[i], 1, 1) - tk_diff_share(df, v[i], 0, 1));
		tk_json_end(&j);
	}
	free(v);
	tk_json_end(&j);
	tk_json_end(&j);
	fputc('\n', out);
}

size_t tk_diff_check(const struct tk_diff *df, double limit, FILE *err)
{
	const struct tk_diff_fn **v;
	size_t n = tk_diff_sorted(df, &v), bad = 0;
	for (size_t i = 0; i < n; i++) {
		for (int total = 0; total < 2; total++) {
			double a = tk_diff_share(df, v[i], 0, total), b = tk_diff_share(df, v[i], 1, total);
			if (b - a <= limit)
				continue;
			if (err && bad < 10)
				tk_esc_printf(err, "ticks: diff: %.*s: %s share grew by %.2f points (%.2f%% -> %.2f%%), "
					"more than --fail-above=%g\n", (int)v[i]->len, v[i]->name,
					total ? "total" : "self", b - a, a, b, limit);
			bad++;
			break;
		}
	}
	if (err && bad > 10)
		fprintf(err, "ticks: diff: %zu functions grew more than --fail-above=%g\n", bad, limit);
	free(v);
	return bad;
}

int tk_diff_run(char *const paths[2], const struct tk_opts *o, const struct tk_bound *from,
		const struct tk_bound *to, struct tk_names *names, struct tk_elfcache *cache, FILE *out,
		int json, double fail_above)
{
	struct tk_diff df;
	tk_diff_init(&df);
	for (int s = 0; s < 2; s++) {
		struct tk_opts lo = *o;
		struct tk_diag d = {0};
		if (tk_window_resolve(&lo, paths[s], from, to, &d) < 0 ||
		    tk_diff_load(&df, s, paths[s], &lo, names, cache, &d) < 0) {
			tk_diag_print(&d);
			tk_diff_release(&df);
			return d.code ? d.code : TK_EXIT_INPUT;
		}
		df.path[s] = paths[s];
	}
	tk_diff_match(&df);
	if (json)
		tk_diff_json(out, &df, o->top_rows, fail_above);
	else
		tk_diff_text(out, &df, o->top_rows);
	int rc = TK_EXIT_OK;
	if (fail_above >= 0 && tk_diff_check(&df, fail_above, tk_diag_file()) > 0) /* the gate speaks even with -q */
		rc = TK_EXIT_REGRESSION;
	tk_diff_release(&df);
	return rc;
}
