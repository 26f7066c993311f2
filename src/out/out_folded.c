/* out_folded: Brendan Gregg's folded stacks, root first, one line per
 * distinct stack: "a;b;c 12". The format has no quoting: frame names have
 * ';' (the frame separator) replaced by ':', and control characters
 * (newline, NUL, ...) and invalid UTF-8 escaped as in the text report
 * (escape.h), since they would cut or split a line. */
#include <stdlib.h>
#include <string.h>
#include "base/escape.h"
#include "out/export.h"
#include "base/util.h"

struct line {
	char *text;
	uint64_t count;
};

static void put_frame(struct tk_buf *b, const char *s, size_t n)
{
	tk_esc_buf(b, s, n, TK_ESC_FOLDED);
}

/* one line per top-down node with self ticks: its path from the root.
 * Iterative (a path can be TK_MAX_FRAMES deep): down the first child,
 * else to the next sibling, else back up through the parents; keep[d]
 * is the prefix length before the frame at depth d was added. */
static void walk(const struct tk_isolate *iso, struct tk_buf *prefix, struct line **v, size_t *n, size_t *cap)
{
	const struct tk_tree *t = &iso->prof.top_down;
	size_t *keep = NULL, keep_cap = 0, depth = 0;
	uint32_t node = t->v[0].first_child;
	while (node) {
		const struct tk_node *nd = &t->v[node];
		tk_xgrow((void **)&keep, &keep_cap, depth + 1, sizeof *keep);
		keep[depth] = prefix->len;
		const struct tk_name *nm = tk_names_get(iso->names, nd->name);
		if (prefix->len)
			tk_buf_addc(prefix, ';');
		put_frame(prefix, nm->str, nm->len);
		if (nd->self) {
			tk_xgrow((void **)v, cap, *n + 1, sizeof **v);
			/* an empty name first in its path leaves the prefix unallocated */
			(*v)[*n].text = strdup(prefix->p ? prefix->p : "");
			if (!(*v)[*n].text)
				tk_xmalloc((size_t)-1);
			(*v)[(*n)++].count = nd->self;
		}
		if (nd->first_child) {
			node = nd->first_child;
			depth++;
			continue;
		}
		/* leave node, and every ancestor whose last child it ends */
		for (;;) {
			prefix->len = keep[depth];
			if (prefix->p)
				prefix->p[prefix->len] = 0;
			if (t->v[node].next) {
				node = t->v[node].next;
				break;
			}
			node = t->v[node].parent;
			if (!node || depth == 0) {
				node = 0;
				break;
			}
			depth--;
		}
	}
	free(keep);
}

static int cmp_line(const void *a, const void *b)
{
	return strcmp(((const struct line *)a)->text, ((const struct line *)b)->text);
}

int tk_export_folded(FILE *out, const struct tk_export *x, struct tk_diag *d)
{
	struct line *v = NULL;
	size_t n = 0, cap = 0;
	struct tk_buf prefix = {0};
	for (size_t i = 0; i < x->n; i++) {
		tk_buf_reset(&prefix);
		if (tk_export_isolate_root(x)) {
			tk_buf_printf(&prefix, "isolate %zu: ", i + 1);
			put_frame(&prefix, x->isos[i]->path, strlen(x->isos[i]->path));
		}
		walk(x->isos[i], &prefix, &v, &n, &cap);
	}
	/* sorted, equal stacks (merged logs) summed */
	if (n > 1)
		qsort(v, n, sizeof *v, cmp_line);
	for (size_t i = 0; i < n;) {
		uint64_t sum = 0;
		size_t k = i;
		while (k < n && strcmp(v[k].text, v[i].text) == 0)
			sum += v[k++].count;
		fprintf(out, "%s %llu\n", v[i].text, (unsigned long long)sum);
		i = k;
	}
	for (size_t i = 0; i < n; i++)
		free(v[i].text);
	free(v);
	tk_buf_free(&prefix);
	(void)d;
	return 0;
}
