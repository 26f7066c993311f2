/* out_text: the reference's text report. The layout strings here are
 * the compatibility contract: scripts parse them. */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "base/escape.h"
#include "out/out_text.h"
#include "base/util.h"

void tk_fmt_fixed1(char *out, size_t size, double x)
{
	if (isnan(x)) {
		snprintf(out, size, "NaN");
		return;
	}
	if (isinf(x)) {
		snprintf(out, size, x > 0 ? "Infinity" : "-Infinity");
		return;
	}
	/* An exact tie (x*10 = n + 0.5 exactly) happens only when 4x is an
	 * odd integer; JavaScript then takes the larger n, printf the even
	 * one. Everything else rounds alike. */
	double q = fabs(x) * 4.0;
	if (q < 9007199254740992.0 /* 2^53 */ && q == floor(q) && fmod(q, 2.0) == 1.0) {
		/* 10x in long double is exact here (x < 2^51, 64-bit mantissa) */
		long long n = (long long)floorl((long double)fabs(x) * 10.0L) + 1;
		snprintf(out, size, "%s%lld.%lld", x < 0 ? "-" : "", n / 10, n % 10);
		return;
	}
	/* -0 prints as "0.0" (it is not < 0); a small negative as "-0.0" */
	snprintf(out, size, "%.1f", x == 0 ? 0.0 : x);
}

/* next UTF-16 code unit of a UTF-8 string (invalid bytes as U+FFFD) */
static uint32_t next_unit(const unsigned char *s, size_t n, size_t *i, uint32_t *low)
{
	if (*low) {
		uint32_t u = *low;
		*low = 0;
		return u;
	}
	uint32_t c = s[*i];
	size_t k = 0;
	if (c < 0x80) {
		(*i)++;
		return c;
	} else if (c >= 0xc2 && c < 0xe0) {
		k = 1;
		c &= 0x1f;
	} else if (c >= 0xe0 && c < 0xf0) {
		k = 2;
		c &= 0x0f;
	} else if (c >= 0xf0 && c < 0xf5) {
		k = 3;
		c &= 0x07;
	} else {
		(*i)++;
		return 0xfffd;
	}
	for (size_t j = 1; j <= k; j++) {
		if (*i + j >= n || (s[*i + j] & 0xc0) != 0x80) {
			(*i)++;
			return 0xfffd;
		}
		c = c << 6 | (s[*i + j] & 0x3f);
	}
	*i += k + 1;
	if (c >= 0x10000) {
		c -= 0x10000;
		*low = 0xdc00 + (c & 0x3ff);
		return 0xd800 + (c >> 10);
	}
	return c;
}

int tk_cmp_utf16(const char *a, size_t an, const char *b, size_t bn)
{
	/* fast path: byte order equals code point order, which equals UTF-16
	 * order unless one side is astral and the other in U+E000-U+FFFF */
	size_t i = 0, j = 0;
	while (i < an && j < bn && a[i] == b[j]) {
		i++;
		j++;
	}
	if (i == an || j == bn)
		return i == an && j == bn ? 0 : i == an ? -1 : 1;
	/* back up to the start of the differing characters */
	while (i > 0 && ((unsigned char)a[i] & 0xc0) == 0x80) {
		i--;
		j--;
	}
	uint32_t la = 0, lb = 0;
	while ((i < an || la) && (j < bn || lb)) {
		uint32_t ua = next_unit((const unsigned char *)a, an, &i, &la);
		uint32_t ub = next_unit((const unsigned char *)b, bn, &j, &lb);
		if (ua != ub)
			return ua < ub ? -1 : 1;
	}
	int ea = i >= an && !la, eb = j >= bn && !lb;
	return ea == eb ? 0 : ea ? -1 : 1;
}


/* ticks descending, then name descending */
int tk_cmp_row(const void *x, const void *y)
{
	const struct tk_row *a = x, *b = y;
	if (a->ticks != b->ticks)
		return a->ticks > b->ticks ? -1 : 1;
	return -tk_cmp_utf16(a->name->str, a->name->len, b->name->str, b->name->len);
}

static void pct5(char *out, size_t size, double x)
{
	char t[64];
	tk_fmt_fixed1(t, sizeof t, x);
	snprintf(out, size, "%5s", t);
}

static void put_name(FILE *out, const struct tk_name *n)
{
	tk_esc_fwrite(out, n->str, n->len);
	fputc('\n', out);
}

/* "  ticks  pct%  nonlib%  name" (nonlib < 0: eight spaces instead) */
static void line(FILE *out, const struct tk_name *name, const char *label, uint64_t ticks,
		 double total, double nonlib, int has_nonlib)
{
	char p[64], q[64];
	pct5(p, sizeof p, (double)ticks * 100.0 / total);
	fprintf(out, "  %5llu  %s%%  ", (unsigned long long)ticks, p);
	if (has_nonlib) {
		pct5(q, sizeof q, (double)ticks * 100.0 / nonlib);
		fprintf(out, "%s%%  ", q);
	} else {
		fputs("        ", out);
	}
	if (name)
		put_name(out, name);
	else
		fprintf(out, "%s\n", label);
}

static void header(FILE *out, const char *title)
{
	fprintf(out, "\n [%s]:\n   ticks  total  nonlib   name\n", title);
}

/* the heavy tree below node, children heaviest first, down to
 * --call-graph-size levels, with the levels on the heap (up to 10000) */
static void heavy(FILE *out, const struct tk_isolate *iso, const struct tk_tree *t, uint32_t node,
		  double parent_total)
{
	struct level {
		struct tk_row *rows;
		size_t n, i;
		double total;
	} *st = NULL;
	size_t depth = 0, cap = 0;
	tk_xgrow((void **)&st, &cap, 1, sizeof *st);
	st[0].n = tk_sorted_children(iso, t, node, &st[0].rows);
	st[0].i = 0;
	st[0].total = parent_total;
	for (;;) {
		struct level *l = &st[depth];
		if (l->i == l->n) {
			free(l->rows);
			if (depth-- == 0)
				break;
			if (depth == 0)
				fputc('\n', out); /* after each top-level subtree */
			continue;
		}
		int indent = 2 * (int)depth;
		uint32_t cn = l->rows[l->i++].node;
		const struct tk_node *c = &t->v[cn];
		double pct = (double)c->total / l->total * 100.0;
		if (pct < iso->opts->cutoff_pct)
			continue;
		char p[64];
		pct5(p, sizeof p, pct);
		fprintf(out, "  %5llu  %s%%  %*s", (unsigned long long)c->total, p, indent, "");
		put_name(out, tk_names_get(iso->names, c->name));
		if (indent < 2 * iso->opts->call_graph_size) {
			tk_xgrow((void **)&st, &cap, depth + 2, sizeof *st);
			depth++;
			st[depth].n = tk_sorted_children(iso, t, cn, &st[depth].rows);
			st[depth].i = 0;
			st[depth].total = (double)c->total;
		} else if (indent == 0) {
			fputc('\n', out);
		}
	}
	free(st);
}

/* the bottom-up tree's header is the reference's, word for word; the
 * top-down one says callees where it says callers */
static void tree_section(FILE *out, const struct tk_isolate *iso, const struct tk_tree *t, double T,
			 int top_down)
{
	char c[64];
	tk_fmt_fixed1(c, sizeof c, iso->opts->cutoff_pct);
	fprintf(out, "\n [%s]:\n"
		"  Note: percentage shows a share of a particular %s in the total\n"
		"  amount of its parent calls.\n"
		"  %s occupying less than %s%% are not shown.\n"
		"\n"
		"   ticks parent  name\n",
		top_down ? "Top down (heavy) profile" : "Bottom up (heavy) profile",
		top_down ? "callee" : "caller", top_down ? "Callees" : "Callers", c);
	heavy(out, iso, t, 0, T);
}

static int cmp_why_lib(const void *x, const void *y)
{
	const struct tk_why_lib *a = x, *b = y;
	if (a->ticks != b->ticks)
		return a->ticks > b->ticks ? -1 : 1;
	if (a->why != b->why)
		return a->why < b->why ? -1 : 1;
	return a->name < b->name ? -1 : a->name > b->name;
}

/* --verbose: why ticks are UNKNOWN or named by their library only */
static void why_section(FILE *out, const struct tk_isolate *iso)
{
	static const char *const what[TK_WHY_COUNT] = {
		[TK_WHY_PC0] = "unaccounted: pc 0 (the sampler had no registers)",
		[TK_WHY_NO_CODE] = "unaccounted: no JIT code and no library at the pc",
		[TK_WHY_LIB_MISSING] = "library file could not be read:",
		[TK_WHY_NO_SYMBOL] = "no symbol covers the pc in:",
		[TK_WHY_PSEUDO] = "pseudo-library, nothing to read:",
		[TK_WHY_NOT_READ] = "library not read (--no-symbols):",
	};
	const struct tk_profile *p = &iso->prof;
	fputs("\n [Unaccounted and library-level ticks]:\n   ticks  reason\n", out);
	for (int w = TK_WHY_PC0; w <= TK_WHY_NO_CODE; w++)
		if (p->why[w])
			fprintf(out, "  %5llu  %s\n", (unsigned long long)p->why[w], what[w]);
	struct tk_why_lib *v = tk_xmalloc((p->n_why_libs ? p->n_why_libs : 1) * sizeof *v);
	if (p->n_why_libs) {
		memcpy(v, p->why_libs, p->n_why_libs * sizeof *v);
		qsort(v, p->n_why_libs, sizeof *v, cmp_why_lib);
	}
	for (size_t i = 0; i < p->n_why_libs; i++) {
		const struct tk_name *n = tk_names_get(iso->names, v[i].name);
		fprintf(out, "  %5llu  %s ", (unsigned long long)v[i].ticks, what[v[i].why]);
		put_name(out, n);
	}
	free(v);
}

static int cmp_pc(const void *x, const void *y)
{
	const struct tk_pc *a = x, *b = y;
	if (a->count != b->count)
		return a->count > b->count ? -1 : 1;
	return a->pc < b->pc ? -1 : a->pc > b->pc;
}

void tk_out_pcs(FILE *out, const struct tk_isolate *iso)
{
	struct tk_pc *v = tk_xmalloc((iso->n_pcs ? iso->n_pcs : 1) * sizeof *v);
	if (iso->n_pcs)
		memcpy(v, iso->pcs, iso->n_pcs * sizeof *v);
	qsort(v, iso->n_pcs, sizeof *v, cmp_pc);
	fputs("# ", out);
	tk_esc_fputs(out, iso->path);
	fputs(": pc, ticks, kind, library, address in the library's ELF file, name\n", out);
	for (size_t i = 0; i < iso->n_pcs; i++) {
		const struct tk_pc *p = &v[i];
		const char *kind = !p->name ? "unknown" : p->cpp ? "cpp" : p->lib && p->name == p->lib ? "lib" : "js";
		fprintf(out, "0x%llx\t%llu\t%s\t", (unsigned long long)p->pc, (unsigned long long)p->count, kind);
		if (p->lib)
			tk_esc_fwrite(out, p->lib->str, p->lib->len);
		else
			fputc('-', out);
		fputc('\t', out);
		if (p->has_vaddr)
			fprintf(out, "0x%llx\t", (unsigned long long)p->vaddr);
		else
			fputs("-\t", out);
		if (p->name)
			put_name(out, p->name);
		else
			fputs("UNKNOWN\n", out);
	}
	free(v);
}

size_t tk_flat_rows(const struct tk_isolate *iso, struct tk_row **out)
{
	const struct tk_profile *p = &iso->prof;
	size_t n = 0;
	struct tk_row *rows = tk_xmalloc((p->self_cap ? p->self_cap : 1) * sizeof *rows);
	for (size_t id = 0; id < p->self_cap; id++) {
		if (!p->self[id])
			continue;
		rows[n].name = tk_names_get(iso->names, (uint32_t)id);
		rows[n].ticks = p->self[id];
		rows[n].node = 0;
		n++;
	}
	qsort(rows, n, sizeof *rows, tk_cmp_row);
	*out = rows;
	return n;
}

size_t tk_entry_rows(const struct tk_isolate *iso, const struct tk_name *total, struct tk_row **out)
{
	const struct tk_profile *p = &iso->prof;
	size_t n = 0;
	struct tk_row *rows = tk_xmalloc((p->entry_cap + 1) * sizeof *rows);
	if (total) {
		rows[n].name = total;
		rows[n].node = 0;
		rows[n++].ticks = p->entry_total;
	}
	for (size_t id = 0; id < p->entry_cap; id++) {
		if (!p->entry[id])
			continue;
		rows[n].name = tk_names_get(iso->names, (uint32_t)id);
		rows[n].node = 0;
		rows[n++].ticks = p->entry[id];
	}
	qsort(rows, n, sizeof *rows, tk_cmp_row);
	*out = rows;
	return n;
}

size_t tk_sorted_children(const struct tk_isolate *iso, const struct tk_tree *t, uint32_t node,
			  struct tk_row **out)
{
	uint32_t *kids;
	size_t n = tk_tree_children(t, node, &kids);
	struct tk_row *rows = tk_xmalloc((n ? n : 1) * sizeof *rows);
	for (size_t i = 0; i < n; i++) {
		rows[i].name = tk_names_get(iso->names, t->v[kids[i]].name);
		rows[i].ticks = t->v[kids[i]].total;
		rows[i].node = kids[i];
	}
	free(kids);
	qsort(rows, n, sizeof *rows, tk_cmp_row);
	*out = rows;
	return n;
}

void tk_out_text(FILE *out, const struct tk_isolate *iso)
{
	const struct tk_profile *p = &iso->prof;
	const struct tk_opts *o = iso->opts;
	fputs("Statistical profiling result from ", out);
	tk_esc_fputs(out, iso->path);
	fprintf(out, ", (%llu ticks, %llu unaccounted, %llu excluded).\n",
		(unsigned long long)p->total, (unsigned long long)p->unaccounted,
		(unsigned long long)p->excluded);
	if (p->total == 0)
		return;
	double T = (double)p->total;
	if (o->ignore_unknown)
		T -= (double)p->unaccounted;

	if (o->bottom_up_only || o->top_down_only) {
		if (o->bottom_up_only)
			tree_section(out, iso, &p->bottom_up, T, 0);
		if (o->top_down_only)
			tree_section(out, iso, &p->top_down, T, 1);
		return;
	}

	struct tk_row *rows;
	size_t nrows = tk_flat_rows(iso, &rows);
	int all = !o->only_summary;
	uint64_t lib = 0, js = 0, cpp = 0;
	for (size_t i = 0; i < nrows; i++)
		if (rows[i].name->kind == TK_KIND_LIB)
			lib += rows[i].ticks;
	double N = T - (double)lib;
	static const struct { const char *title; int kind; } sections[] = {
		{ "Shared libraries", TK_KIND_LIB },
		{ "JavaScript", TK_KIND_JS },
		{ "C++", TK_KIND_CPP },
	};
	for (size_t s = 0; s < 3; s++) {
		size_t shown = 0;
		if (all)
			header(out, sections[s].title);
		for (size_t i = 0; i < nrows; i++) {
			int k = rows[i].name->kind;
			if (k == TK_KIND_NONE)
				k = TK_KIND_JS; /* anything not a library or symbol */
			if (k != sections[s].kind)
				continue;
			if (k == TK_KIND_JS)
				js += rows[i].ticks;
			else if (k == TK_KIND_CPP)
				cpp += rows[i].ticks;
			if (all && (o->top_rows == 0 || shown++ < o->top_rows))
				line(out, rows[i].name, NULL, rows[i].ticks, T, N, k != TK_KIND_LIB);
		}
	}
	header(out, "Summary");
	line(out, NULL, "JavaScript", js, T, N, 1);
	line(out, NULL, "C++", cpp, T, N, 1);
	line(out, NULL, "GC", p->gc, T, N, 1);
	line(out, NULL, "Shared libraries", lib, T, N, 0);
	if (!o->ignore_unknown && p->unaccounted > 0)
		line(out, NULL, "Unaccounted", p->unaccounted, (double)p->total, 0, 0);
	free(rows);
	if (o->verbose)
		why_section(out, iso);
	if (!all)
		return;

	fputs("\n [C++ entry points]:\n   ticks    cpp   total   name\n", out);
	/* the reference sorts a synthetic TOTAL row with the entries and
	 * drops whatever sorts first: with one entry whose name sorts
	 * above "TOTAL" that entry is dropped and TOTAL printed */
	static const struct tk_name total_name = { .str = "TOTAL", .len = 5, .kind = TK_KIND_NONE };
	struct tk_row *er;
	size_t ne = tk_entry_rows(iso, &total_name, &er);
	for (size_t i = 1; i < ne; i++) {
		char a[64], b[64];
		pct5(a, sizeof a, (double)er[i].ticks * 100.0 / (double)p->entry_total);
		pct5(b, sizeof b, (double)er[i].ticks * 100.0 / T);
		fprintf(out, "  %5llu  %s%%  %s%%  ", (unsigned long long)er[i].ticks, a, b);
		put_name(out, er[i].name);
	}
	free(er);

	tree_section(out, iso, &p->bottom_up, T, 0);
}
