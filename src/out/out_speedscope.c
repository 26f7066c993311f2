/* out_speedscope: speedscope's own file format
 * (https://www.speedscope.app/file-format-schema.json): shared frames and
 * one "sampled" profile per log, or one for all logs with --merge.
 *
 * Frames: {name, file?, line?, col?}, deduplicated on all four, so one
 * function at several tiers is one frame. JS function code: name = the
 * function ("(anonymous)" when it has none), file = the script, line and
 * col 1-based as logged. Other JIT code keeps its whole name ("Builtin:
 * SubString"). C++ symbols: file = their library; a library-level frame
 * is named by the library and has it as file too. UNKNOWN is "(program)"
 * at the bottom of a stack and "(unknown)" above other frames, as in the
 * cpuprofile writer; a tick with no frame left (--separate-*=false) is a
 * one-frame stack "(garbage collector)", "(idle)" or "(program)" by VM
 * state. Profiles are named by their log and carry no isolate frame (the
 * profile is the isolate).
 *
 * Samples: one per tick in log order (merged: ordered by logged time,
 * ties by argument order, then log order), each stack root first; unit
 * microseconds; every weight is its log's sampling interval (profiler,
 * begin; 1000 if none), as the text report counts every tick the same:
 * time deltas would hand gaps (ticks excluded by a VM-state filter, other
 * threads' ticks when merged) to whichever tick came before.
 * startValue = 0 and endValue = the sum of the weights. */
#include <stdlib.h>
#include <string.h>
#include "out/export.h"
#include "base/frame.h"
#include "base/hashidx.h"
#include "base/json.h"
#include "base/util.h"


static const char *const syn_name[TK_SYN_COUNT] = { "(program)", "(garbage collector)", "(idle)" };

struct frame {
	const char *name, *file;  /* borrowed from the names or static; file NULL: none */
	size_t name_len, file_len;
	unsigned line, col;       /* 0: none */
};

/* the shared frames, deduplicated by an open-addressing index */
struct frames {
	struct frame *v;
	size_t n, cap;
	struct tk_hashidx idx;    /* frame index by all four fields */
	uint32_t *by_name;        /* name id -> frame index + 1 (not UNKNOWN) */
	size_t n_names;
};

/* one tick on the output order of a merged profile */
struct ref {
	uint64_t time;
	uint32_t iso;
	size_t seq;
};

static uint32_t frame_hash(const struct frame *f)
{
	uint32_t h = tk_hash(f->name, f->name_len);
	h = h * 31 + (f->file ? tk_hash(f->file, f->file_len) + 1 : 0);
	return (h * 31 + f->line) * 31 + f->col;
}

static int frame_eq(const void *ctx, uint32_t item, const void *key)
{
	const struct frame *a = &((const struct frames *)ctx)->v[item], *b = key;
	return a->name_len == b->name_len && a->line == b->line &&
	       a->col == b->col && !a->file == !b->file && a->file_len == b->file_len &&
	       memcmp(a->name, b->name, a->name_len) == 0 &&
	       (!a->file || memcmp(a->file, b->file, a->file_len) == 0);
}

/* index of f, added if new */
static uint32_t frame_index(struct frames *fs, struct frame f)
{
	uint32_t h = frame_hash(&f);
	uint32_t i = tk_hashidx_find(&fs->idx, h, frame_eq, fs, &f);
	if (i != TK_HASHIDX_NONE)
		return i;
	tk_xgrow((void **)&fs->v, &fs->cap, fs->n + 1, sizeof *fs->v);
	fs->v[fs->n] = f;
	tk_hashidx_add(&fs->idx, h, (uint32_t)fs->n);
	return (uint32_t)fs->n++;
}

static uint32_t pseudo(struct frames *fs, const char *name)
{
	return frame_index(fs, (struct frame){ name, NULL, strlen(name), 0, 0, 0 });
}

/* the frame of a tree node's name; top: at the bottom of the stack */
static uint32_t name_frame(struct frames *fs, const struct tk_name *nm, int top)
{
	if (nm->kind == TK_KIND_UNKNOWN)
		return pseudo(fs, top ? "(program)" : "(unknown)");
	if (nm->id < fs->n_names && fs->by_name[nm->id])
		return fs->by_name[nm->id] - 1;
	const struct tk_frame_rec *fi = &nm->frame;
	struct frame f = { nm->str, NULL, nm->len, 0, 0, 0 };
	if (fi->kind == TK_KIND_CPP && nm->frame.lib) {
		f.file = nm->frame.lib->str;
		f.file_len = nm->frame.lib->len;
	} else if (fi->kind == TK_KIND_LIB) {
		f.file = nm->str;
		f.file_len = nm->len;
	} else if (fi->kind == TK_KIND_JS && fi->is_func) {
		f.name = fi->func;
		f.name_len = fi->func_len;
		if (f.name_len == 0 || (f.name_len == 11 && memcmp(f.name, "<anonymous>", 11) == 0)) {
			f.name = "(anonymous)";
			f.name_len = 11;
		}
		if (fi->script) {
			f.file = fi->script;
			f.file_len = fi->script_len;
			f.line = fi->line;
			f.col = fi->column;
		}
	}
	uint32_t k = frame_index(fs, f);
	if (nm->id >= fs->n_names) {
		size_t old = fs->n_names;
		tk_xgrow((void **)&fs->by_name, &fs->n_names, (size_t)nm->id + 1, sizeof *fs->by_name);
		memset(fs->by_name + old, 0, (fs->n_names - old) * sizeof *fs->by_name);
	}
	fs->by_name[nm->id] = k + 1;
	return k;
}

/* frame index of every node of iso's top-down tree (caller frees) */
static uint32_t *node_frames(struct frames *fs, const struct tk_isolate *iso)
{
	const struct tk_tree *t = &iso->prof.top_down;
	uint32_t *v = tk_xmalloc(t->n * sizeof *v);
	v[0] = 0;
	for (size_t i = 1; i < t->n; i++)
		v[i] = name_frame(fs, tk_names_get(iso->names, t->v[i].name), t->v[i].parent == 0);
	return v;
}

static void write_frames(struct tk_json *j, const struct frames *fs)
{
	tk_json_arr(j);
	for (size_t i = 0; i < fs->n; i++) {
		const struct frame *f = &fs->v[i];
		tk_json_obj(j);
		tk_json_key(j, "name");
		tk_json_strn(j, f->name, f->name_len);
		if (f->file) {
			tk_json_key(j, "file");
			tk_json_strn(j, f->file, f->file_len);
		}
		if (f->line) {
			tk_json_key(j, "line");
			tk_json_u64(j, f->line);
			tk_json_key(j, "col");
			tk_json_u64(j, f->col);
		}
		tk_json_end(j);
	}
	tk_json_end(j);
}

/* one sample's stack, root first */
static void write_stack(struct tk_json *j, const struct tk_isolate *iso, const uint32_t *nf,
			const uint32_t *syn, const struct tk_sample *s, uint32_t **buf, size_t *cap)
{
	const struct tk_tree *t = &iso->prof.top_down;
	tk_json_arr(j);
	if (!s->node) {
		int k = tk_export_syn_of(iso, s->state);
		tk_json_u64(j, syn[k]);
	} else {
		size_t n = 0;
		for (uint32_t a = s->node; a; a = t->v[a].parent) {
			tk_xgrow((void **)buf, cap, n + 1, sizeof **buf);
			(*buf)[n++] = nf[a];
		}
		while (n > 0)
			tk_json_u64(j, (*buf)[--n]);
	}
	tk_json_end(j);
}

static int cmp_ref(const void *a, const void *b)
{
	const struct ref *x = a, *y = b;
	if (x->time != y->time)
		return x->time < y->time ? -1 : 1;
	if (x->iso != y->iso)
		return x->iso < y->iso ? -1 : 1;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

/* one sampled profile of the ticks r[0..n) */
static void write_profile(struct tk_json *j, const struct tk_export *x, const char *name,
			  const struct ref *r, size_t n, uint32_t **nf, const uint32_t *syn)
{
	uint32_t *buf = NULL;
	size_t cap = 0;
	uint64_t sum = 0;
	for (size_t i = 0; i < n; i++)
		sum += tk_export_interval_us(x->isos[r[i].iso]);
	tk_json_obj(j);
	tk_json_key(j, "type");
	tk_json_str(j, "sampled");
	tk_json_key(j, "name");
	tk_json_str(j, name);
	tk_json_key(j, "unit");
	tk_json_str(j, "microseconds");
	tk_json_key(j, "startValue");
	tk_json_u64(j, 0);
	tk_json_key(j, "endValue");
	tk_json_u64(j, sum);
	tk_json_key(j, "samples");
	tk_json_arr(j);
	for (size_t i = 0; i < n; i++) {
		const struct tk_isolate *iso = x->isos[r[i].iso];
		write_stack(j, iso, nf[r[i].iso], syn, &iso->prof.samples[r[i].seq], &buf, &cap);
	}
	tk_json_end(j);
	tk_json_key(j, "weights");
	tk_json_arr(j);
	for (size_t i = 0; i < n; i++)
		tk_json_u64(j, tk_export_interval_us(x->isos[r[i].iso]));
	tk_json_end(j);
	tk_json_end(j);
	free(buf);
}

int tk_export_speedscope(FILE *out, const struct tk_export *x, struct tk_diag *d)
{
	/* frames are cached by name id */
	for (size_t i = 1; i < x->n; i++)
		if (x->isos[i]->names != x->isos[0]->names) {
			tk_diag_set(d, TK_EXIT_SYSTEM, "speedscope: logs read with different name tables");
			return -1;
		}
	struct frames fs = {0};
	tk_hashidx_init(&fs.idx);
	uint32_t **nf = tk_xcalloc(x->n ? x->n : 1, sizeof *nf);
	uint32_t syn[TK_SYN_COUNT];
	size_t total = 0;
	for (size_t i = 0; i < x->n; i++) {
		nf[i] = node_frames(&fs, x->isos[i]);
		total += x->isos[i]->prof.n_samples;
	}
	/* pseudo-frames only when some tick needs one */
	for (int k = 0; k < TK_SYN_COUNT; k++)
		syn[k] = UINT32_MAX;
	for (size_t i = 0; i < x->n; i++) {
		const struct tk_isolate *iso = x->isos[i];
		for (size_t s = 0; s < iso->prof.n_samples; s++) {
			const struct tk_sample *sm = &iso->prof.samples[s];
			if (sm->node)
				continue;
			int k = tk_export_syn_of(iso, sm->state);
			if (syn[k] == UINT32_MAX)
				syn[k] = pseudo(&fs, syn_name[k]);
		}
	}
	struct ref *r = tk_xmalloc((total ? total : 1) * sizeof *r);
	size_t k = 0;
	for (size_t i = 0; i < x->n; i++)
		for (size_t s = 0; s < x->isos[i]->prof.n_samples; s++, k++)
			r[k] = (struct ref){ x->isos[i]->prof.samples[s].time, (uint32_t)i, s };

	struct tk_buf name = {0};
	if (x->n == 1)
		tk_buf_adds(&name, x->isos[0]->path);
	else
		tk_buf_printf(&name, "%s (+%zu more)", x->n ? x->isos[0]->path : "", x->n ? x->n - 1 : 0);
	struct tk_json *j = tk_xmalloc(sizeof *j);
	tk_json_init(j, out, 0);
	tk_json_obj(j);
	tk_json_key(j, "$schema");
	tk_json_str(j, "https://www.speedscope.app/file-format-schema.json");
	tk_json_key(j, "exporter");
	tk_json_str(j, "ticks " TK_VERSION);
	tk_json_key(j, "name");
	tk_json_str(j, name.p ? name.p : "");
	tk_json_key(j, "activeProfileIndex");
	tk_json_u64(j, 0);
	tk_json_key(j, "shared");
	tk_json_obj(j);
	tk_json_key(j, "frames");
	write_frames(j, &fs);
	tk_json_end(j);
	tk_json_key(j, "profiles");
	tk_json_arr(j);
	if (x->merge && x->n > 1) {
		qsort(r, total, sizeof *r, cmp_ref);
		tk_buf_reset(&name);
		tk_buf_printf(&name, "%zu logs merged", x->n);
		write_profile(j, x, name.p, r, total, nf, syn);
	} else {
		size_t at = 0;
		for (size_t i = 0; i < x->n; i++) {
			size_t n = x->isos[i]->prof.n_samples;
			write_profile(j, x, x->isos[i]->path, r + at, n, nf, syn);
			at += n;
		}
	}
	tk_json_end(j);
	tk_json_end(j);

	for (size_t i = 0; i < x->n; i++)
		free(nf[i]);
	free(nf);
	free(r);
	free(j);
	tk_buf_free(&name);
	free(fs.v);
	tk_hashidx_release(&fs.idx);
	free(fs.by_name);
	if (ferror(out)) {
		tk_diag_set(d, TK_EXIT_SYSTEM, "error writing the speedscope profile");
		return -1;
	}
	return 0;
}
