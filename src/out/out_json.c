/* out_json: the JSON writer. Field names are snake_case and documented
 * in the README's "JSON" section; a test pins the schema. */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "base/frame.h"
#include "out/out_json.h"
#include "out/out_text.h"
#include "base/util.h"

#define TREE_MAX_DEPTH 1000

void tk_out_json_begin(struct tk_json *j, FILE *out)
{
	tk_json_init(j, out, 1);
	tk_json_obj(j);
	tk_json_key(j, "schema");
	tk_json_str(j, TK_JSON_SCHEMA);
	tk_json_key(j, "ticks_version");
	tk_json_str(j, TK_VERSION);
	tk_json_key(j, "profiles");
	tk_json_arr(j);
}

void tk_out_json_finish(struct tk_json *j)
{
	tk_json_end(j); /* profiles */
	tk_json_end(j); /* document */
}

void tk_out_json_error(struct tk_json *j, const char *path, const struct tk_diag *d)
{
	tk_json_obj(j);
	tk_json_key(j, "path");
	tk_json_str(j, path);
	tk_json_key(j, "error");
	if (d->line) {
		char b[600];
		snprintf(b, sizeof b, "line %lu: %s", d->line, d->msg);
		tk_json_str(j, b);
	} else {
		tk_json_str(j, d->msg);
	}
	tk_json_end(j);
}

static void pct(struct tk_json *j, const char *key, double x)
{
	tk_json_key(j, key);
	tk_json_dbl(j, isfinite(x) ? round(x * 100.0) / 100.0 : x);
}

static void name_fields(struct tk_json *j, const struct tk_name *n)
{
	const struct tk_frame_rec *fi = &n->frame;
	tk_json_key(j, "name");
	tk_json_strn(j, n->str, n->len);
	tk_json_key(j, "kind");
	tk_json_str(j, tk_frame_kind_name(fi->kind));
	if (fi->type) {
		tk_json_key(j, "type");
		tk_json_strn(j, fi->type, fi->type_len);
	}
	if (fi->is_func) {
		tk_json_key(j, "tier");
		tk_json_str(j, tk_frame_tier_name(fi->tier));
		tk_json_key(j, "function");
		tk_json_strn(j, fi->func, fi->func_len);
		if (fi->script) {
			tk_json_key(j, "script");
			tk_json_strn(j, fi->script, fi->script_len);
			tk_json_key(j, "line");
			tk_json_u64(j, fi->line);
			if (fi->column) { /* none for --lines frames */
				tk_json_key(j, "column");
				tk_json_u64(j, fi->column);
			}
		}
		if (fi->inlined) {
			tk_json_key(j, "inlined");
			tk_json_bool(j, 1);
		}
	}
	if (fi->kind == TK_KIND_CPP && n->frame.lib) {
		tk_json_key(j, "library");
		tk_json_strn(j, n->frame.lib->str, n->frame.lib->len);
	}
}

/* one node's fields; its "children" array is left open (1) when the
 * walk goes down into it */
static int tree_open(struct tk_json *j, const struct tk_isolate *iso, const struct tk_tree *t, uint32_t node,
		     int depth, struct tk_row **rows, size_t *n)
{
	const struct tk_node *nd = &t->v[node];
	tk_json_obj(j);
	if (node == 0) {
		tk_json_key(j, "name");
		tk_json_str(j, "(root)");
	} else {
		name_fields(j, tk_names_get(iso->names, nd->name));
	}
	tk_json_key(j, "self");
	tk_json_u64(j, nd->self);
	tk_json_key(j, "total");
	tk_json_u64(j, nd->total);
	if (nd->first_child) {
		if (depth >= TREE_MAX_DEPTH) {
			tk_json_key(j, "truncated");
			tk_json_bool(j, 1);
		} else {
			*n = tk_sorted_children(iso, t, node, rows);
			tk_json_key(j, "children");
			tk_json_arr(j);
			return 1;
		}
	}
	tk_json_end(j);
	return 0;
}

/* the tree from node, children heaviest first, with the levels on the
 * heap (TREE_MAX_DEPTH bounds the output, not the C stack) */
static void tree(struct tk_json *j, const struct tk_isolate *iso, const struct tk_tree *t, uint32_t node)
{
	struct level {
		struct tk_row *rows;
		size_t n, i;
	} *st = NULL;
	size_t depth = 0, cap = 0;
	tk_xgrow((void **)&st, &cap, 1, sizeof *st);
	if (!tree_open(j, iso, t, node, 0, &st[0].rows, &st[0].n)) {
		free(st);
		return;
	}
	st[0].i = 0;
	for (;;) {
		struct level *l = &st[depth];
		if (l->i == l->n) {
			tk_json_end(j); /* children */
			tk_json_end(j); /* the node */
			free(l->rows);
			if (depth-- == 0)
				break;
			continue;
		}
		uint32_t c = l->rows[l->i++].node;
		tk_xgrow((void **)&st, &cap, depth + 2, sizeof *st);
		if (tree_open(j, iso, t, c, (int)depth + 1, &st[depth + 1].rows, &st[depth + 1].n)) {
			st[++depth].i = 0;
		}
	}
	free(st);
}

static const char *const why_key[TK_WHY_COUNT] = {
	[TK_WHY_PC0] = "pc_zero", [TK_WHY_NO_CODE] = "no_code", [TK_WHY_LIB_MISSING] = "file_missing",
	[TK_WHY_NO_SYMBOL] = "no_symbol", [TK_WHY_PSEUDO] = "pseudo_library", [TK_WHY_NOT_READ] = "not_read",
};

static void totals(struct tk_json *j, const struct tk_isolate *iso, uint64_t js, uint64_t cpp, uint64_t lib)
{
	const struct tk_profile *p = &iso->prof;
	tk_json_key(j, "totals");
	tk_json_obj(j);
	tk_json_key(j, "ticks");
	tk_json_u64(j, p->total);
	tk_json_key(j, "unaccounted");
	tk_json_u64(j, p->unaccounted);
	tk_json_key(j, "excluded");
	tk_json_u64(j, p->excluded);
	tk_json_key(j, "javascript");
	tk_json_u64(j, js);
	tk_json_key(j, "cpp");
	tk_json_u64(j, cpp);
	tk_json_key(j, "gc");
	tk_json_u64(j, p->gc);
	tk_json_key(j, "shared_libraries");
	tk_json_u64(j, lib);
	tk_json_key(j, "vm_states");
	tk_json_obj(j);
	for (int num = 0; num < TK_VM_STATES; num++) {
		if (!p->states[num])
			continue;
		const char *name = NULL;
		for (int s = 0; s < TK_VM_COUNT; s++)
			if (iso->state_num[s] == num && num < TK_VM_STATES - 1)
				name = tk_vmstate_name((enum tk_vmstate)s);
		char other[32];
		if (!name) {
			snprintf(other, sizeof other, num < TK_VM_STATES - 1 ? "state_%d" : "state_other", num);
			name = other;
		}
		tk_json_key(j, name);
		tk_json_u64(j, p->states[num]);
	}
	tk_json_end(j);
	tk_json_key(j, "unaccounted_reasons");
	tk_json_obj(j);
	for (int w = TK_WHY_PC0; w <= TK_WHY_NO_CODE; w++) {
		tk_json_key(j, why_key[w]);
		tk_json_u64(j, p->why[w]);
	}
	tk_json_end(j);
	tk_json_key(j, "library_level");
	tk_json_arr(j);
	for (size_t i = 0; i < p->n_why_libs; i++) {
		tk_json_obj(j);
		tk_json_key(j, "library");
		tk_json_str(j, tk_names_get(iso->names, p->why_libs[i].name)->str);
		tk_json_key(j, "reason");
		tk_json_str(j, why_key[p->why_libs[i].why]);
		tk_json_key(j, "ticks");
		tk_json_u64(j, p->why_libs[i].ticks);
		tk_json_end(j);
	}
	tk_json_end(j);
	tk_json_end(j);
}

/* "unused_lines": {"total", one count per reason}, "dropped_frames"
 * (not addresses), "frames_over_cap", "gzip_cut": what the end-of-run
 * summary says */
static void unused(struct tk_json *j, const struct tk_isolate *iso)
{
	tk_json_key(j, "unused_lines");
	tk_json_obj(j);
	tk_json_key(j, "total");
	tk_json_u64(j, tk_isolate_unused_lines(iso));
	for (int k = 0; k < TK_W_COUNT; k++) {
		if (k == TK_W_BAD_FRAME)
			continue;
		tk_json_key(j, tk_warn_key((enum tk_warn_kind)k));
		tk_json_u64(j, iso->warn[k].count);
	}
	tk_json_end(j);
	tk_json_key(j, "dropped_frames");
	tk_json_u64(j, iso->warn[TK_W_BAD_FRAME].count);
	tk_json_key(j, "frames_over_cap");
	tk_json_u64(j, iso->frames_over_cap);
	tk_json_key(j, "gzip_cut");
	tk_json_bool(j, iso->truncated_gzip);
}

static void profile(struct tk_json *j, const struct tk_isolate *iso, const struct tk_merge *m)
{
	const struct tk_profile *p = &iso->prof;
	const struct tk_opts *o = iso->opts;
	tk_json_obj(j);
	tk_json_key(j, "path");
	tk_json_str(j, iso->path);
	if (m) {
		tk_json_key(j, "merged_logs");
		tk_json_arr(j);
		for (size_t i = 0; i < m->n; i++) {
			tk_json_obj(j);
			tk_json_key(j, "path");
			tk_json_str(j, m->paths[i]);
			tk_json_key(j, "ticks");
			tk_json_u64(j, m->ticks[i]);
			tk_json_end(j);
		}
		tk_json_end(j);
	}
	tk_json_key(j, "v8_version");
	if (iso->v8_text[0])
		tk_json_str(j, iso->v8_text);
	else
		tk_json_null(j);
	tk_json_key(j, "platform");
	if (iso->platform[0])
		tk_json_str(j, iso->platform);
	else
		tk_json_null(j);
	tk_json_key(j, "sampling_interval_us");
	if (iso->interval_us)
		tk_json_u64(j, iso->interval_us);
	else
		tk_json_null(j);
	tk_json_key(j, "first_tick_us");
	if (p->have_time)
		tk_json_u64(j, p->first_time);
	else
		tk_json_null(j);
	tk_json_key(j, "last_tick_us");
	if (p->have_time)
		tk_json_u64(j, p->last_time);
	else
		tk_json_null(j);

	unused(j, iso);

	double T = (double)p->total - (o->ignore_unknown ? (double)p->unaccounted : 0.0);
	struct tk_row *rows;
	size_t nrows = tk_flat_rows(iso, &rows);
	uint64_t lib = 0, js = 0, cpp = 0;
	for (size_t i = 0; i < nrows; i++) {
		int k = rows[i].name->kind;
		if (k == TK_KIND_LIB)
			lib += rows[i].ticks;
		else if (k == TK_KIND_CPP)
			cpp += rows[i].ticks;
		else if (k != TK_KIND_UNKNOWN)
			js += rows[i].ticks;
	}
	double N = T - (double)lib;
	if (!o->bottom_up_only)
		totals(j, iso, js, cpp, lib);
	if (!o->bottom_up_only && !o->only_summary) {
		static const struct { const char *key; int kind; } sections[] = {
			{ "shared_libraries", TK_KIND_LIB }, { "javascript", TK_KIND_JS }, { "cpp", TK_KIND_CPP },
		};
		for (size_t s = 0; s < 3; s++) {
			tk_json_key(j, sections[s].key);
			tk_json_arr(j);
			for (size_t i = 0; i < nrows; i++) {
				int k = rows[i].name->kind == TK_KIND_NONE ? TK_KIND_JS : rows[i].name->kind;
				if (k != sections[s].kind)
					continue;
				tk_json_obj(j);
				name_fields(j, rows[i].name);
				tk_json_key(j, "ticks");
				tk_json_u64(j, rows[i].ticks);
				pct(j, "total_pct", (double)rows[i].ticks * 100.0 / T);
				if (k != TK_KIND_LIB)
					pct(j, "nonlib_pct", (double)rows[i].ticks * 100.0 / N);
				tk_json_end(j);
			}
			tk_json_end(j);
		}
		tk_json_key(j, "cpp_entry_points");
		tk_json_arr(j);
		struct tk_row *er;
		size_t ne = tk_entry_rows(iso, NULL, &er);
		for (size_t i = 0; i < ne; i++) {
			tk_json_obj(j);
			name_fields(j, er[i].name);
			tk_json_key(j, "ticks");
			tk_json_u64(j, er[i].ticks);
			pct(j, "cpp_pct", (double)er[i].ticks * 100.0 / (double)p->entry_total);
			pct(j, "total_pct", (double)er[i].ticks * 100.0 / T);
			tk_json_end(j);
		}
		tk_json_end(j);
		free(er);
	}
	free(rows);
	if (!o->only_summary) {
		tk_json_key(j, "bottom_up");
		tree(j, iso, &p->bottom_up, 0);
		if (!o->bottom_up_only) {
			tk_json_key(j, "top_down");
			tree(j, iso, &p->top_down, 0);
		}
	}
	tk_json_end(j);
}

void tk_out_json_profile(struct tk_json *j, const struct tk_isolate *iso)
{
	profile(j, iso, NULL);
}

void tk_out_json_merged(struct tk_json *j, struct tk_merge *m)
{
	profile(j, tk_merge_result(m), m);
}
