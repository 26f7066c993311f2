/* isolate: synthetic log lines (JIT code only, no libraries) through
 * tk_isolate_line, checked against the profile they must produce. */
#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "ingest/isolate.h"
#include "suites.h"

struct fx {
	struct tk_opts o;
	struct tk_names names;
	struct tk_elfcache cache;
	struct tk_isolate iso;
};

static void feed(struct fx *f, const char *text);

/* opts must be final before this: the isolate keeps a pointer. Every
 * test log starts with a pseudo-library far from the JIT code (as real
 * logs do): without any library, tk_libs_find calls qsort(NULL, 0, ...),
 * which UBSan rejects (see test_no_libraries). */
static void fx_start_bare(struct fx *f)
{
	f->o.quiet = 1;
	tk_names_init(&f->names);
	tk_elfcache_init(&f->cache, NULL);
	f->cache.quiet = 1;
	tk_isolate_init(&f->iso, "test.log", &f->o, &f->names, &f->cache);
}

static void fx_start(struct fx *f)
{
	fx_start_bare(f);
	feed(f, "shared-library,[vdso],0x7ffff0000000,0x7ffff0002000,0\n");
}

static void fx_end(struct fx *f)
{
	tk_isolate_release(&f->iso);
	tk_elfcache_release(&f->cache);
	tk_names_release(&f->names);
}

/* Feeds every "\n"-terminated line of text, numbered from 1. */
static void feed(struct fx *f, const char *text)
{
	char *copy = strdup(text), *p = copy, *nl;
	unsigned long lineno = 0;
	while ((nl = strchr(p, '\n'))) {
		*nl = 0;
		tk_isolate_line(&f->iso, p, (size_t)(nl - p), ++lineno);
		p = nl + 1;
	}
	free(copy);
	tk_profile_finish(&f->iso.prof); /* what tk_isolate_run does at the end */
}

static uint64_t self_of(struct fx *f, const char *name)
{
	const struct tk_name *n = tk_names_intern(&f->names, name, strlen(name), TK_KIND_NONE);
	const struct tk_profile *p = &f->iso.prof;
	return n->id < p->self_cap ? p->self[n->id] : 0;
}

/* Total of the bottom-up node at path (names innermost first), 0 if none. */
static uint64_t bu_total(struct fx *f, const char *const *path, size_t n)
{
	const struct tk_tree *t = &f->iso.prof.bottom_up;
	uint32_t node = 0;
	for (size_t k = 0; k < n; k++) {
		const struct tk_name *nm = tk_names_intern(&f->names, path[k], strlen(path[k]), TK_KIND_NONE);
		uint32_t c = t->v[node].first_child;
		while (c && t->v[c].name != nm->id)
			c = t->v[c].next;
		if (!c)
			return 0;
		node = c;
	}
	return t->v[node].total;
}

#define F_CODE "code-creation,JS,10,100,0x1000,256,f a.js:1:1,0x9000,*\n"
#define F "JS: *f a.js:1:1"
#define B_CODE "code-creation,Builtin,2,100,0x2000,64,B\n"
#define B "Builtin: B"
#define W(kind) ((kind) + 1)

static const struct {
	const char *what;
	const char *log;
	uint64_t total, unaccounted;
	struct { const char *name; uint64_t self; } want[4];
	const char *path[4];  /* a bottom-up path ... */
	uint64_t path_total;  /* ... and its total (0: must not exist) */
	int warn;             /* W(kind) expected nwarn times; 0: no warning at all */
	unsigned long long nwarn;
} cases[] = {
	{ "function code", F_CODE "tick,0x1010,200,0,0x0,0\n", 1, 0, .want = { { F, 1 } },
	  .path = { F }, .path_total = 1 },
	{ "builtin, half-open", B_CODE "tick,0x2000,1,0,0x0,0\ntick,0x203f,2,0,0x0,0\ntick,0x2040,3,0,0x0,0\n", 3, 1,
	  .want = { { B, 2 }, { "UNKNOWN", 1 } }, .path = { B }, .path_total = 2 },
	{ "anonymous function", "code-creation,JS,10,1,0x1000,256, a.js:1:1,0x9000,~\ntick,0x1000,2,0,0x0,0\n", 1, 0,
	  .want = { { "JS: ~<anonymous> a.js:1:1", 1 } } },
	{ "empty function name", "code-creation,JS,10,1,0x1000,256,,0x9000,~\ntick,0x1000,2,0,0x0,0\n", 1, 0,
	  .want = { { "JS: ~<anonymous>", 1 } } },
	{ "marker field missing", "code-creation,LazyCompile,10,1,0x1000,256,f a.js:1:1,0x9000\n"
	  "tick,0x1000,2,0,0x0,0\n", 1, 0, .want = { { "LazyCompile: f a.js:1:1", 1 } } },
	{ "{N} by first lookup",
	  "code-creation,Builtin,2,1,0x1000,16,X\ncode-creation,Builtin,2,2,0x2000,16,X\n"
	  "tick,0x2000,3,0,0x0,0\ntick,0x1000,4,0,0x0,0\ntick,0x2004,5,0,0x0,0\n", 3, 0,
	  .want = { { "Builtin: X", 2 }, { "Builtin: X {1}", 1 } } },
	{ "{N} shared across types (RegExp with a tail too)",
	  "code-creation,RegExp,3,1,0x1000,16,x\ncode-creation,RegExp,3,1,0x2000,16,x,0x9000,\n"
	  "code-creation,Stub,7,1,0x3000,16,x\n"
	  "tick,0x1000,3,0,0x0,0\ntick,0x2000,4,0,0x0,0\ntick,0x3000,5,0,0x0,0\n", 3, 0,
	  .want = { { "RegExp: x", 1 }, { "RegExp: x {1}", 1 }, { "Stub: x {2}", 1 } } },
	{ "function code never numbered",
	  "code-creation,JS,10,1,0x1000,16,f a.js:1:1,0x9000,~\ncode-creation,JS,10,1,0x2000,16,f a.js:1:1,0x9100,~\n"
	  "tick,0x1000,3,0,0x0,0\ntick,0x2000,4,0,0x0,0\n", 2, 0, .want = { { "JS: ~f a.js:1:1", 2 } } },
	{ "same start replaces",
	  F_CODE "code-creation,JS,10,100,0x1000,256,g a.js:2:1,0x9100,~\ntick,0x1010,1,0,0x0,0\n", 1, 0,
	  .want = { { "JS: ~g a.js:2:1", 1 }, { F, 0 } } },
	{ "unresolved pc", "tick,0x5000,1,0,0x0,0\ntick,0x0,2,0,0x0,5\n", 2, 2, .want = { { "UNKNOWN", 2 } },
	  .path = { "UNKNOWN" }, .path_total = 2 },
	{ "deeper unresolved frames dropped", F_CODE B_CODE "tick,0x1010,1,0,0x0,0,0x7777,0x2000,0x8888\n", 1, 0,
	  .want = { { F, 1 }, { "UNKNOWN", 0 } }, .path = { F, B }, .path_total = 1 },
	{ "unresolved pc, resolved caller", F_CODE "tick,0x5000,1,0,0x0,0,0x1010\n", 1, 1,
	  .want = { { "UNKNOWN", 1 } }, .path = { "UNKNOWN", F }, .path_total = 1 },
	{ "external callback: tos is the pc", F_CODE "tick,0x5000,1,1,0x1010,6\n", 1, 0, .want = { { F, 1 } },
	  .path = { F }, .path_total = 1 },
	{ "external callback unresolved", F_CODE "tick,0x1010,1,1,0x5000,6\n", 1, 1,
	  .want = { { "UNKNOWN", 1 }, { F, 0 } } },
	{ "tos kept when JS function code", F_CODE B_CODE "tick,0x2000,1,0,0x1010,0\n", 1, 0, .want = { { B, 1 } },
	  .path = { B, F }, .path_total = 1 },
	{ "tos dropped when not a function", B_CODE "code-creation,Builtin,2,1,0x3000,16,C\n"
	  "tick,0x2000,1,0,0x3000,0\n", 1, 0, .want = { { B, 1 } }, .path = { B, "Builtin: C" }, .path_total = 0 },
	{ "bytecode handlers dropped", F_CODE "code-creation,BytecodeHandler,1,1,0x4000,64,Ldar\n"
	  "tick,0x4000,2,0,0x0,0,0x1010\ntick,0x4008,3,0,0x0,0\n", 2, 0,
	  .want = { { F, 1 }, { "BytecodeHandler: Ldar", 0 } }, .path = { F }, .path_total = 1 },
	{ "code-move", F_CODE "code-move,0x1000,0x3000\ntick,0x1010,1,0,0x0,0\ntick,0x3010,2,0,0x0,0\n", 2, 1,
	  .want = { { F, 1 }, { "UNKNOWN", 1 } } },
	{ "code-delete", F_CODE "code-delete,0x1000\ntick,0x1010,1,0,0x0,0\n", 1, 1,
	  .want = { { "UNKNOWN", 1 }, { F, 0 } } },
	{ "overflow frame skipped", F_CODE B_CODE "tick,0x1010,1,0,0x0,0,overflow,0x2000\n", 1, 0,
	  .want = { { F, 1 } }, .path = { F, B }, .path_total = 1 },
	{ "escaped name", "code-creation,RegExp,3,1,0x1000,16,a\\x2Cb\\\\.c\\u4e2d\ntick,0x1000,2,0,0x0,0\n", 1, 0,
	  .want = { { "RegExp: a,b\\.c\xe4\xb8\xad", 1 } } },
	{ "Node 8 quoted fields", "v8-version,6,2,414,78,0\n"
	  "code-creation,LazyCompile,18,10668,0x1000,256,\"f,g a.js:1:1\",0x9000,~\ntick,0x1010,1,0,0x0,0\n", 1, 0,
	  .want = { { "LazyCompile: ~f,g a.js:1:1", 1 } } },
	{ "Node 6 layout (no time)", "v8-version,5,1,281,111,0\n"
	  "code-creation,LazyCompile,5,0x1000,119,\"ThrowTypeError\",0x373c4ed835b0,\ntick,0x1010,1,0,0x0,0\n", 1, 0,
	  .want = { { "LazyCompile: ThrowTypeError", 1 } } },
	{ "unknown marker", "code-creation,JS,10,1,0x1000,256,f a.js:1:1,0x9000,?\ntick,0x1000,2,0,0x0,0\n", 1, 0,
	  .want = { { "JS: f a.js:1:1", 1 } }, .warn = W(TK_W_MARKER), .nwarn = 1 },
	{ "malformed ticks", F_CODE "tick,zz,1,0,0x0,0\ntick\ntick,0x1010,1,0,0x0\ntick,0x1010,x,0,0x0,0\n", 0, 0,
	  .want = { { F, 0 } }, .warn = W(TK_W_BAD_LINE), .nwarn = 4 },
	{ "malformed code-creation", "code-creation,JS,10,1,0xzz,256,f a.js:1:1,0x9000,~\ncode-creation,JS\n"
	  "tick,0x1000,2,0,0x0,0\n", 1, 1, .want = { { "UNKNOWN", 1 } }, .warn = W(TK_W_BAD_LINE), .nwarn = 2 },
	{ "bad frame dropped", F_CODE B_CODE "tick,0x1010,1,0,0x0,0,zz,0x2000\n", 1, 0, .want = { { F, 1 } },
	  .path = { F, B }, .path_total = 1, .warn = W(TK_W_BAD_FRAME), .nwarn = 1 },
	{ "unknown event", "foo,1,2\nbar\n" F_CODE "tick,0x1010,1,0,0x0,0\n", 1, 0, .want = { { F, 1 } },
	  .warn = W(TK_W_UNKNOWN_EVENT), .nwarn = 2 },
	{ "ignored events are silent", "v8-platform,linux,linux\ncode-source-info,0x1000,1,0,9,C0O0,,\n"
	  "profiler,begin,1000\nnew,CodeRange,0x7f0000000000,0\n" F_CODE "tick,0x1010,1,0,0x0,0\n", 1, 0,
	  .want = { { F, 1 } } },
	{ "empty line", F_CODE "\ntick,0x1010,1,0,0x0,0\n", 1, 0, .want = { { F, 1 } },
	  .warn = W(TK_W_EMPTY_LINE), .nwarn = 1 },
	{ "move of unknown code", "code-move,0x7000,0x8000\n", 0, 0, .warn = W(TK_W_MOVE_UNKNOWN), .nwarn = 1 },
	{ "delete of unknown code", "code-delete,0x7000\n", 0, 0, .warn = W(TK_W_DELETE_UNKNOWN), .nwarn = 1 },
};

START_TEST(test_log)
{
	static struct fx f;
	memset(&f, 0, sizeof f);
	tk_opts_default(&f.o);
	fx_start(&f);
	feed(&f, cases[_i].log);
	const struct tk_profile *p = &f.iso.prof;
	const char *what = cases[_i].what;
	ck_assert_msg(p->total == cases[_i].total, "%s: total %llu", what, (unsigned long long)p->total);
	ck_assert_msg(p->unaccounted == cases[_i].unaccounted, "%s: unaccounted %llu", what,
		      (unsigned long long)p->unaccounted);
	for (int k = 0; k < 4 && cases[_i].want[k].name; k++) {
		uint64_t got = self_of(&f, cases[_i].want[k].name);
		ck_assert_msg(got == cases[_i].want[k].self, "%s: '%s' has %llu self ticks, want %llu", what,
			      cases[_i].want[k].name, (unsigned long long)got,
			      (unsigned long long)cases[_i].want[k].self);
	}
	size_t np = 0;
	while (np < 4 && cases[_i].path[np])
		np++;
	if (np)
		ck_assert_msg(bu_total(&f, cases[_i].path, np) == cases[_i].path_total, "%s: path total %llu", what,
			      (unsigned long long)bu_total(&f, cases[_i].path, np));
	for (int k = 0; k < TK_W_COUNT; k++) {
		unsigned long long want = cases[_i].warn == W(k) ? cases[_i].nwarn : 0;
		ck_assert_msg(f.iso.warn[k].count == want, "%s: warning kind %d counted %llu, want %llu", what, k,
			      f.iso.warn[k].count, want);
	}
	fx_end(&f);
}
END_TEST

/* Optimization markers and their printed prefixes. */
static const struct {
	const char *marker, *prefix;
} markers[] = {
	{ "", "" }, { "~", "~" }, { "^", "^" }, { "+", "+" }, { "*", "*" }, { "+'", "+" }, { "*'", "*" },
	{ "o+", "+" }, { "o*", "*" }, { "o+'", "+" }, { "o*'", "*" },
};

START_TEST(test_markers)
{
	static struct fx f;
	char line[128], name[64];
	memset(&f, 0, sizeof f);
	tk_opts_default(&f.o);
	fx_start(&f);
	snprintf(line, sizeof line, "code-creation,JS,10,1,0x1000,256,f a.js:1:1,0x9000,%s\ntick,0x1000,2,0,0x0,0\n",
		 markers[_i].marker);
	feed(&f, line);
	snprintf(name, sizeof name, "JS: %sf a.js:1:1", markers[_i].prefix);
	ck_assert_msg(self_of(&f, name) == 1, "marker '%s': no tick on '%s'", markers[_i].marker, name);
	ck_assert_uint_eq(f.iso.warn[TK_W_MARKER].count, 0);
	const struct tk_name *n = tk_names_intern(&f.names, name, strlen(name), TK_KIND_NONE);
	ck_assert_int_eq(n->kind, TK_KIND_JS);
	fx_end(&f);
}
END_TEST

/* VM states, the state filter, GC counting and --range. Ticks at f with
 * (time in us, state); the version line picks the state numbering. */
static const struct {
	const char *version;
	enum tk_vmstate filter;
	int range;  /* 1: --range 1,2 (ms); 2: start only */
	uint64_t ticks[6][2];
	int nticks;
	uint64_t total, gc, excluded, self;
} state_cases[] = {
	{ NULL, TK_VM_NONE, 0, { { 1, 0 }, { 2, 1 }, { 3, 1 }, { 4, 6 } }, 4, 4, 2, 0, 4 },
	{ NULL, TK_VM_JS, 0, { { 1, 0 }, { 2, 1 }, { 3, 1 }, { 4, 6 } }, 4, 4, 2, 3, 1 },
	{ NULL, TK_VM_GC, 0, { { 1, 0 }, { 2, 1 }, { 3, 1 }, { 4, 6 } }, 4, 4, 2, 2, 2 },
	{ NULL, TK_VM_EXTERNAL, 0, { { 1, 0 }, { 2, 4 }, { 3, 6 } }, 3, 3, 0, 2, 1 },
	{ "v8-version,11,3,244,8,-node.38,0", TK_VM_IDLE, 0, { { 1, 7 }, { 2, 8 } }, 2, 2, 0, 1, 1 },
	/* Node 8 (V8 6.2): GC is still 1, EXTERNAL is 4 */
	{ "v8-version,6,2,414,78,0", TK_VM_EXTERNAL, 0, { { 1, 4 }, { 2, 6 }, { 3, 1 } }, 3, 3, 1, 2, 1 },
	{ "v8-version,6,2,414,78,0", TK_VM_GC, 0, { { 1, 1 }, { 2, 4 } }, 2, 2, 1, 1, 1 },
	/* Node 10 (V8 6.8): EXTERNAL 6, IDLE 7 */
	{ "v8-version,6,8,275,32,-node.59,0", TK_VM_IDLE, 0, { { 1, 7 }, { 2, 8 }, { 3, 6 } }, 3, 3, 0, 2, 1 },
	/* Node 26 (V8 14): ATOMICS_WAIT 7, IDLE 8 */
	{ "v8-version,14,6,202,34,-node.34,0", TK_VM_IDLE, 0, { { 1, 8 }, { 2, 7 } }, 2, 2, 0, 1, 1 },
	/* --range 1,2: [1000, 2000] us; out-of-range ticks are not counted at all */
	{ NULL, TK_VM_NONE, 1, { { 500, 1 }, { 1000, 0 }, { 1500, 1 }, { 2000, 0 }, { 2500, 1 } }, 5, 3, 1, 0, 3 },
	{ NULL, TK_VM_JS, 1, { { 999, 1 }, { 1000, 1 }, { 1500, 0 }, { 2001, 0 } }, 4, 2, 1, 1, 1 },
	{ NULL, TK_VM_NONE, 2, { { 500, 0 }, { 5000000, 0 } }, 2, 1, 0, 0, 1 },
};

START_TEST(test_states)
{
	static struct fx f;
	char line[128];
	memset(&f, 0, sizeof f);
	tk_opts_default(&f.o);
	f.o.state_filter = state_cases[_i].filter;
	if (state_cases[_i].range) {
		f.o.have_range_start = 1;
		f.o.range_start_ms = 1;
		f.o.have_range_end = state_cases[_i].range == 1;
		f.o.range_end_ms = 2;
	}
	fx_start(&f);
	if (state_cases[_i].version) {
		snprintf(line, sizeof line, "%s\n", state_cases[_i].version);
		feed(&f, line);
		ck_assert(f.iso.have_version);
	}
	feed(&f, F_CODE);
	for (int k = 0; k < state_cases[_i].nticks; k++) {
		snprintf(line, sizeof line, "tick,0x1010,%llu,0,0x0,%llu\n",
			 (unsigned long long)state_cases[_i].ticks[k][0], (unsigned long long)state_cases[_i].ticks[k][1]);
		feed(&f, line);
	}
	const struct tk_profile *p = &f.iso.prof;
	ck_assert_uint_eq(p->total, state_cases[_i].total);
	ck_assert_uint_eq(p->gc, state_cases[_i].gc);
	ck_assert_uint_eq(p->excluded, state_cases[_i].excluded);
	ck_assert_uint_eq(self_of(&f, F), state_cases[_i].self);
	ck_assert_uint_eq(p->unaccounted, 0);
	uint64_t first = UINT64_MAX, last = 0; /* of the ticks in range */
	for (int k = 0; k < state_cases[_i].nticks; k++) {
		uint64_t t = state_cases[_i].ticks[k][0];
		if (state_cases[_i].range && (t < 1000 || (state_cases[_i].range == 1 && t > 2000)))
			continue;
		first = t < first ? t : first;
		last = t > last ? t : last;
	}
	ck_assert_uint_eq(p->first_time, first);
	ck_assert_uint_eq(p->last_time, last);
	for (int k = 0; k < TK_W_COUNT; k++)
		ck_assert_uint_eq(f.iso.warn[k].count, 0);
	fx_end(&f);
}
END_TEST

START_TEST(test_separate_bytecodes)
{
	static struct fx f;
	memset(&f, 0, sizeof f);
	tk_opts_default(&f.o);
	f.o.separate_bytecodes = 1;
	fx_start(&f);
	feed(&f, F_CODE "code-creation,BytecodeHandler,1,1,0x4000,64,Ldar\ntick,0x4000,2,0,0x0,0,0x1010\n");
	ck_assert_uint_eq(self_of(&f, "BytecodeHandler: Ldar"), 1);
	ck_assert_uint_eq(self_of(&f, F), 0);
	static const char *const path[] = { "BytecodeHandler: Ldar", F };
	ck_assert_uint_eq(bu_total(&f, path, 2), 1);
	fx_end(&f);
}
END_TEST

/* A tick line with thousands of frames (more than the fields kept) does
 * not crash and keeps the frames it has. */
START_TEST(test_huge_tick)
{
	static struct fx f;
	memset(&f, 0, sizeof f);
	tk_opts_default(&f.o);
	fx_start(&f);
	feed(&f, F_CODE);
	size_t n = 6000, cap = 32 + n * 8;
	char *line = malloc(cap);
	size_t len = (size_t)snprintf(line, cap, "tick,0x1010,1,0,0x0,0");
	for (size_t i = 0; i < n; i++)
		len += (size_t)snprintf(line + len, cap - len, ",0x1010");
	tk_isolate_line(&f.iso, line, len, 2);
	free(line);
	ck_assert_uint_eq(f.iso.prof.total, 1);
	ck_assert_uint_eq(self_of(&f, F), 1);
	ck_assert_uint_eq(f.iso.warn[TK_W_DEEP_STACK].count, 1);
	/* the pc and 4089 frames kept, the other 1911 counted */
	ck_assert_uint_eq(f.iso.frames_over_cap, n + 1 - TK_MAX_FRAMES);
	fx_end(&f);
}
END_TEST

/* Relative frames ("+hex"/"-hex", historic logs) are offsets from the
 * previous relative frame, the first one from the pc; absolute frames do
 * not move the base (the reference's processStack). Rows: the frames
 * after pc 0x203c and the bottom-up path they must give. */
static const struct {
	const char *frames;
	const char *path[4];
} rel_cases[] = {
	{ "+8", { B, "Builtin: C" } },                 /* 0x203c + 8 = 0x2044 */
	{ "+8,+8", { B, "Builtin: C", "Builtin: C" } }, /* then 0x204c */
	{ "+8,-10", { B, "Builtin: C", B } },          /* then 0x2034 */
	{ "0x1010,+8", { B, F, "Builtin: C" } },       /* absolute frame: base stays the pc */
};

START_TEST(test_relative_frames)
{
	static struct fx f;
	char line[160];
	memset(&f, 0, sizeof f);
	tk_opts_default(&f.o);
	fx_start(&f);
	feed(&f, F_CODE B_CODE "code-creation,Builtin,2,1,0x2040,64,C\n");
	snprintf(line, sizeof line, "tick,0x203c,1,0,0x0,0,%s\n", rel_cases[_i].frames);
	feed(&f, line);
	size_t n = 0;
	while (n < 4 && rel_cases[_i].path[n])
		n++;
	ck_assert_uint_eq(self_of(&f, B), 1);
	ck_assert_msg(bu_total(&f, rel_cases[_i].path, n) == 1, "frames '%s': path not found", rel_cases[_i].frames);
	ck_assert_uint_eq(f.iso.warn[TK_W_BAD_FRAME].count, 0);
	fx_end(&f);
}
END_TEST

/* Stack frames in every hex form (short, zero-padded to 12, 13, 14 and
 * 16 digits, "0X", 17 digits = bad) give the same trees and warnings as
 * the same frames in decimal, which take another path: the frame memo
 * (keyed by a frame's first 16 bytes) and the one-pass hex scanner must
 * not change a result. Lines differ, so the tick cache does not answer. */
static void tree_eq(const struct tk_tree *a, const struct tk_tree *b)
{
	ck_assert_uint_eq(a->n, b->n);
	for (size_t i = 0; i < a->n; i++) {
		ck_assert_uint_eq(a->v[i].name, b->v[i].name);
		ck_assert_uint_eq(a->v[i].parent, b->v[i].parent);
		ck_assert_uint_eq(a->v[i].self, b->v[i].self);
		ck_assert_uint_eq(a->v[i].total, b->v[i].total);
	}
}

START_TEST(test_hex_frame_forms)
{
	static struct fx fh, fd;
	static const unsigned long long addrs[] = { 0x1010, 0x2010, 0x2050, 0x9999, 0x2000, 0x1000 };
	static const char *const forms[] = { "0x%llx", "0x%012llx", "0x%013llx", "0x%014llx", "0x%016llx",
					     "0X%012llX", "0x%017llx" };
	char *hex = malloc(1 << 20), *dec = malloc(1 << 20);
	size_t nh = 0, nd = 0;
	uint32_t rnd = 12345;
	const char *code = F_CODE B_CODE "code-creation,Builtin,2,1,0x2040,64,C\n";
	nh = (size_t)sprintf(hex, "%s", code);
	nd = (size_t)sprintf(dec, "%s", code);
	for (int t = 0; t < 400; t++) {
		nh += (size_t)sprintf(hex + nh, "tick,0x2010,%d,0,0x0,0", t);
		nd += (size_t)sprintf(dec + nd, "tick,0x2010,%d,0,0x0,0", t);
		int frames = 1 + t % 9;
		for (int k = 0; k < frames; k++) {
			rnd = rnd * 1103515245u + 12345u;
			unsigned long long a = addrs[(rnd >> 16) % 6];
			unsigned form = (rnd >> 8) % 7;
			hex[nh++] = ',';
			dec[nd++] = ',';
			nh += (size_t)sprintf(hex + nh, forms[form], a);
			if (form == 6)
				nd += (size_t)sprintf(dec + nd, "1x%llu", a); /* bad in both */
			else
				nd += (size_t)sprintf(dec + nd, "%llu", a);
		}
		hex[nh++] = '\n';
		dec[nd++] = '\n';
	}
	hex[nh] = dec[nd] = 0;
	memset(&fh, 0, sizeof fh);
	memset(&fd, 0, sizeof fd);
	tk_opts_default(&fh.o);
	tk_opts_default(&fd.o);
	fx_start(&fh);
	fx_start(&fd);
	feed(&fh, hex);
	feed(&fd, dec);
	ck_assert_uint_eq(fh.iso.prof.total, 400);
	ck_assert_uint_eq(fh.iso.warn[TK_W_BAD_FRAME].count, fd.iso.warn[TK_W_BAD_FRAME].count);
	ck_assert_uint_gt(fh.iso.warn[TK_W_BAD_FRAME].count, 0);
	tree_eq(&fh.iso.prof.bottom_up, &fd.iso.prof.bottom_up);
	tree_eq(&fh.iso.prof.top_down, &fd.iso.prof.top_down);
	ck_assert_uint_gt(fh.iso.prof.top_down.n, 20);
	fx_end(&fh);
	fx_end(&fd);
	free(hex);
	free(dec);
}
END_TEST

/* Regression: a log without any shared-library line made the first tick
 * call qsort(NULL, 0, ...) in tk_libs_find (undefined behaviour; UBSan
 * aborted under make check-asan). */
START_TEST(test_no_libraries)
{
	static struct fx f;
	memset(&f, 0, sizeof f);
	tk_opts_default(&f.o);
	fx_start_bare(&f);
	feed(&f, F_CODE "tick,0x1010,200,0,0x0,0\n");
	ck_assert_uint_eq(self_of(&f, F), 1);
	fx_end(&f);
}
END_TEST

/* heap bytes in use (glibc; 0 where malloc is not glibc's, as under ASan) */
static size_t heap_used(void)
{
#if defined(__GLIBC__) && (__GLIBC__ > 2 || __GLIBC_MINOR__ >= 33)
	struct mallinfo2 m = mallinfo2();
	return m.uordblks + m.hblkhd;
#else
	return 0;
#endif
}

/* An isolate kept for an export (tk_isolate_shrink) holds its profile,
 * not the caches of reading: 1,000 tiny logs, each with a function of its
 * own, grow the heap by a few KB each (about 110 KB before), and the
 * trees still add up. */
START_TEST(test_shrink)
{
	enum { N = 1000 };
	static struct tk_opts o;
	static struct tk_names names;
	static struct tk_elfcache cache;
	struct tk_isolate *v = calloc(N, sizeof *v);
	tk_opts_default(&o);
	o.quiet = 1;
	tk_names_init(&names);
	tk_elfcache_init(&cache, NULL);
	cache.quiet = 1;
	size_t before = heap_used();
	for (int i = 0; i < N; i++) {
		char text[512];
		snprintf(text, sizeof text,
			 "v8-version,11,3,244,8,-node.38,0\n"
			 "shared-library,[vdso],0x7ffff0000000,0x7ffff0002000,0\n"
			 "code-creation,JS,10,100,0x3e0000001000,256,f%d /app/x.js:1:1,0x3e00000000b0,~\n"
			 "tick,0x3e0000001010,1,0,0x0,0\n", i);
		tk_isolate_init(&v[i], "test.log", &o, &names, &cache);
		char *p = text, *nl;
		unsigned long lineno = 0;
		while ((nl = strchr(p, '\n'))) {
			*nl = 0;
			tk_isolate_line(&v[i], p, (size_t)(nl - p), ++lineno);
			p = nl + 1;
		}
		tk_isolate_shrink(&v[i]);
	}
	size_t after = heap_used();
	if (before || after) /* glibc malloc: measured */
		ck_assert_msg(after - before < N * 8192, "%zu bytes for %d kept logs", after - before, N);
	for (int i = 0; i < N; i++) {
		const struct tk_tree *t = &v[i].prof.top_down;
		ck_assert_uint_eq(v[i].prof.total, 1);
		ck_assert_uint_eq(t->n, 2);
		ck_assert_uint_eq(t->v[1].self, 1);
		char want[64];
		snprintf(want, sizeof want, "JS: ~f%d /app/x.js:1:1", i);
		ck_assert_str_eq(tk_names_get(&names, t->v[1].name)->str, want);
		tk_isolate_release(&v[i]);
	}
	free(v);
	tk_elfcache_release(&cache);
	tk_names_release(&names);
}
END_TEST

#define N_OF(a) ((int)(sizeof(a) / sizeof *(a)))

/* what a consumer saw: the events, and whether each code-creation's
 * entry was in the code map when it got it */
struct seen {
	struct tk_isolate *iso;
	int n, ticks, codes, in_map, added_ok;
	uint64_t start;
};

static void seen_event(void *ctx, const struct tk_ev *ev)
{
	struct seen *x = ctx;
	x->n++;
	if (ev->type == TK_EV_TICK)
		x->ticks++;
	if (ev->type != TK_EV_CODE_CREATION || ev->bad)
		return;
	x->codes++;
	x->start = ev->u.code.start;
	x->in_map += tk_codemap_at(&x->iso->code, ev->u.code.start) != NULL;
	x->added_ok += x->iso->added && x->iso->added->start == ev->u.code.start;
}

/* Consumers get only the types they take; one fed before the isolate
 * sees the code map as it was, one fed after (TK_CONS_AFTER) sees the
 * line's entry (as srcpos_consumer.c needs). */
START_TEST(test_consumers)
{
	static struct fx f;
	memset(&f, 0, sizeof f);
	tk_opts_default(&f.o);
	f.o.no_source_maps = 1; /* no srcpos consumer */
	fx_start(&f);
	static struct seen before, after;
	memset(&before, 0, sizeof before);
	memset(&after, 0, sizeof after);
	before.iso = after.iso = &f.iso;
	struct tk_consumer c = { .ctx = &before, .event = seen_event,
				 .types = TK_EV_BIT(TK_EV_CODE_CREATION) | TK_EV_BIT(TK_EV_TICK) };
	tk_isolate_add_consumer(&f.iso, &c);
	c = (struct tk_consumer){ .ctx = &after, .flags = TK_CONS_AFTER, .event = seen_event,
				  .types = TK_EV_BIT(TK_EV_CODE_CREATION) };
	tk_isolate_add_consumer(&f.iso, &c);
	feed(&f, "code-creation,JS,10,100,0x1000,0x100,f a.js:1:1,0x9000,*\n"
		 "code-move,0x1000,0x2000\n"
		 "tick,0x2010,200,0,0x0,0\n"
		 "code-creation,Builtin,2,300,0x5000,0x10,Abort\n");
	ck_assert_int_eq(before.n, 3);
	ck_assert_int_eq(before.ticks, 1);
	ck_assert_int_eq(before.codes, 2);
	ck_assert_int_eq(before.in_map, 0);
	ck_assert_int_eq(after.n, 2);
	ck_assert_int_eq(after.ticks, 0);
	ck_assert_int_eq(after.in_map, 2);
	ck_assert_int_eq(after.added_ok, 2);
	ck_assert_uint_eq(after.start, 0x5000);
	ck_assert_uint_eq(f.iso.prof.total, 1);
	fx_end(&f);
}
END_TEST

Suite *tk_suite_isolate(void)
{
	Suite *s = suite_create("isolate");
	TCase *tc = tcase_create("log");
	tcase_add_loop_test(tc, test_log, 0, N_OF(cases));
	tcase_add_loop_test(tc, test_markers, 0, N_OF(markers));
	tcase_add_loop_test(tc, test_states, 0, N_OF(state_cases));
	tcase_add_test(tc, test_separate_bytecodes);
	tcase_add_test(tc, test_huge_tick);
	tcase_add_test(tc, test_hex_frame_forms);
	tcase_add_loop_test(tc, test_relative_frames, 0, N_OF(rel_cases));
	tcase_add_test(tc, test_no_libraries);
	tcase_add_test(tc, test_shrink);
	tcase_add_test(tc, test_consumers);
	suite_add_tcase(s, tc);
	return s;
}
