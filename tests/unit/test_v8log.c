/* v8log: event types and the decoding of ticks, moves and tier markers,
 * on lines as Node 10, 20 and 26 write them (from logs of node --prof). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "input/v8log.h"
#include "base/util.h"
#include "suites.h"

#define N_OF(a) ((int)(sizeof(a) / sizeof *(a)))

static const struct {
	const char *name;
	enum tk_ev_type t;
} type_cases[] = {
	{ "tick", TK_EV_TICK }, { "code-creation", TK_EV_CODE_CREATION },
	{ "code-move", TK_EV_CODE_MOVE }, { "code-delete", TK_EV_CODE_DELETE },
	{ "sfi-move", TK_EV_SFI_MOVE }, { "shared-library", TK_EV_SHARED_LIBRARY },
	{ "code-source-info", TK_EV_CODE_SOURCE_INFO }, { "script-source", TK_EV_SCRIPT_SOURCE },
	{ "script", TK_EV_SCRIPT }, { "code-deopt", TK_EV_CODE_DEOPT }, { "new", TK_EV_NEW },
	{ "delete", TK_EV_DELETE }, { "v8-version", TK_EV_V8_VERSION },
	{ "v8-platform", TK_EV_V8_PLATFORM }, { "profiler", TK_EV_PROFILER },
	{ "timer-event-start", TK_EV_IGNORED }, { "code-disable-optimization", TK_EV_IGNORED },
	{ "shared-library-end", TK_EV_IGNORED }, { "DefineNamedOwnIC", TK_EV_IGNORED },
	{ "", TK_EV_UNKNOWN }, { "tic", TK_EV_UNKNOWN }, { "ticks", TK_EV_UNKNOWN },
	{ "Tick", TK_EV_UNKNOWN }, { "code-creation-x", TK_EV_UNKNOWN },
};

START_TEST(test_type)
{
	const char *n = type_cases[_i].name;
	ck_assert_int_eq(tk_ev_type_of(n, strlen(n)), type_cases[_i].t);
}
END_TEST

/* A prefix of a known name, given by length, is not that name. */
START_TEST(test_type_length)
{
	ck_assert_int_eq(tk_ev_type_of("tick,0x1", 4), TK_EV_TICK);
	ck_assert_int_eq(tk_ev_type_of("code-creation", 9), TK_EV_UNKNOWN);
}
END_TEST

static const struct {
	const char *line;
	int split_max;            /* split as the isolate does without a preprocess consumer */
	int bad;
	uint64_t pc, time, ext, tos, vm;
	const char *stack;
} tick_cases[] = {
	/* Node 10: a top-of-stack value and the external callback flag */
	{ "tick,0x7fa4a94c0f6b,15799,0,0x11f1961,0,0x11724e0,0x2ec12e1a1dc9", 1, 0,
	  0x7fa4a94c0f6b, 15799, 0, 0x11f1961, 0, "0x11724e0,0x2ec12e1a1dc9" },
	{ "tick,0xe2bfb0,2874,0,0x0,6", 1, 0, 0xe2bfb0, 2874, 0, 0, 6, "" },
	/* Node 20 */
	{ "tick,0x10b7fd2,30242,0,0x0,3,0x151a6a0,0x1da6e250b3ee,0x1da6e250ad8c", 1, 0,
	  0x10b7fd2, 30242, 0, 0, 3, "0x151a6a0,0x1da6e250b3ee,0x1da6e250ad8c" },
	/* Node 26 */
	{ "tick,0xd2c8e0,43775,0,0x0,5,0x20f8a1373313,0x20f8a13727e2", 1, 0,
	  0xd2c8e0, 43775, 0, 0, 5, "0x20f8a1373313,0x20f8a13727e2" },
	/* split into every field (preprocess): field 6 is the first frame */
	{ "tick,0xd2c8e0,43775,1,0x5,5,0x20f8a1373313,0x20f8a13727e2", 0, 0,
	  0xd2c8e0, 43775, 1, 5, 5, "0x20f8a1373313" },
	/* bad fields: the first one that is no number */
	{ "tick,zz,1,0,0x0,6", 1, 1, 0, 0, 0, 0, 0, "" },
	{ "tick,0x1,,0,0x0,6", 1, 2, 0, 0, 0, 0, 0, "" },
	{ "tick,0x1,2,0,x,6", 1, 4, 0, 0, 0, 0, 0, "" },
	{ "tick,0x1,2,0,0x0", 1, 5, 0, 0, 0, 0, 0, "" },
	{ "tick", 1, 1, 0, 0, 0, 0, 0, "" },
};

START_TEST(test_tick)
{
	const char *line = tick_cases[_i].line;
	struct tk_fields f = { 0 };
	if (tick_cases[_i].split_max)
		tk_csv_split_max(&f, line, strlen(line), 7);
	else
		tk_csv_split(&f, line, strlen(line), 0);
	struct tk_ev_tick t;
	int bad = tk_v8log_tick(&f, &t);
	ck_assert_int_eq(bad, tick_cases[_i].bad);
	if (!bad) {
		ck_assert_uint_eq(t.pc, tick_cases[_i].pc);
		ck_assert_uint_eq(t.time, tick_cases[_i].time);
		ck_assert_uint_eq(t.ext, tick_cases[_i].ext);
		ck_assert_uint_eq(t.tos, tick_cases[_i].tos);
		ck_assert_uint_eq(t.vmstate, tick_cases[_i].vm);
		const char *want = tick_cases[_i].stack;
		ck_assert_uint_eq(t.stack_n, strlen(want));
		ck_assert(memcmp(t.stack, want, t.stack_n) == 0);
		/* the raw text is borrowed from the line, not copied */
		ck_assert(t.stack_n == 0 || (t.stack >= line && t.stack < line + strlen(line)));
	}
	tk_csv_free(&f);
}
END_TEST

/* tk_v8log_tick_line against tk_csv_split_max + tk_v8log_tick: the same
 * fields, result and numbers on every line made of these field texts
 * (the fast scan's edges: 19, 20 and 21 digits, 16 and 17 hex digits,
 * "0x" alone, capital X, signs, empty fields, a missing tail). */
static const char *const tick_field_texts[] = {
	"0", "7", "43775", "1234567890123456789", "12345678901234567890", "18446744073709551615",
	"18446744073709551616", "123456789012345678901", "0x0", "0xd2c8e0", "0XABCdef",
	"0xffffffffffffffff", "0x1ffffffffffffffff", "0x", "0", "0xg", "x", "-1", "+1", "", " 1",
	"1 ", "0x5,", "1,", "9,0x1,+2,bad",
};

static void tick_line_same(const char *line)
{
	size_t len = strlen(line);
	struct tk_fields a = { 0 }, b = { 0 };
	struct tk_ev_tick ta, tb;
	memset(&ta, 0xa5, sizeof ta);
	memset(&tb, 0xa5, sizeof tb);
	tk_csv_split_max(&a, line, len, 7);
	int ra = tk_v8log_tick(&a, &ta);
	int rb = tk_v8log_tick_line(&b, line, len, &tb);
	ck_assert_msg(ra == rb, "%s: bad %d against %d", line, rb, ra);
	ck_assert_uint_eq(b.count, a.count);
	ck_assert_uint_eq(b.dropped, 0);
	for (size_t i = 0; i < a.count; i++) {
		ck_assert_msg(a.s[i] == b.s[i] && a.n[i] == b.n[i], "%s: field %zu", line, i);
	}
	if (!ra) {
		ck_assert_msg(ta.pc == tb.pc && ta.time == tb.time && ta.ext == tb.ext && ta.tos == tb.tos &&
				      ta.vmstate == tb.vmstate,
			      "%s: numbers", line);
		ck_assert_uint_eq(tb.stack_n, ta.stack_n);
		ck_assert(memcmp(tb.stack, ta.stack, ta.stack_n) == 0);
	}
	tk_csv_free(&a);
	tk_csv_free(&b);
}

START_TEST(test_tick_line)
{
	/* field _i in each of the five number places, the others plain */
	const char *const base[5] = { "0x1", "2", "0", "0x0", "6" };
	const char *tails[] = { "", ",", ",0x10,0x20", ",+1a,-2,overflow" };
	char line[256];
	for (int place = 0; place < 5; place++) {
		for (size_t t = 0; t < N_OF(tails); t++) {
			int n = snprintf(line, sizeof line, "tick");
			for (int k = 0; k < 5; k++)
				n += snprintf(line + n, sizeof line - (size_t)n, ",%s",
					      k == place ? tick_field_texts[_i] : base[k]);
			snprintf(line + n, sizeof line - (size_t)n, "%s", tails[t]);
			tick_line_same(line);
			/* the same line cut after each field: a missing tail */
			for (char *c = line; (c = strchr(c + 1, ',')) != NULL;) {
				char cut[256];
				memcpy(cut, line, (size_t)(c - line));
				cut[c - line] = 0;
				if (strlen(cut) > 5)
					tick_line_same(cut);
			}
		}
	}
}
END_TEST

START_TEST(test_move)
{
	struct tk_fields f = { 0 };
	uint64_t from = 0, to = 0;
	const char *l = "code-move,0x1da6e250ad66,0x7f861c000040";
	tk_csv_split(&f, l, strlen(l), 0);
	ck_assert_int_eq(tk_v8log_move(&f, &from, &to), 0);
	ck_assert_uint_eq(from, 0x1da6e250ad66);
	ck_assert_uint_eq(to, 0x7f861c000040);
	l = "sfi-move,0x1,";
	tk_csv_split(&f, l, strlen(l), 0);
	ck_assert_int_eq(tk_v8log_move(&f, &from, &to), -1);
	l = "code-move,0x1";
	tk_csv_split(&f, l, strlen(l), 0);
	ck_assert_int_eq(tk_v8log_move(&f, &from, &to), -1);
	tk_csv_free(&f);
}
END_TEST

static const struct {
	const char *m;
	int tier;
} marker_cases[] = {
	{ "", 0 }, { "~", 1 }, { "^", 2 }, { "-", 3 }, { "+", 4 }, { "*", 5 },
	{ "*'", 5 },  /* Node 24: context-specialized */
	{ "o*", 5 }, { "o^", 2 }, { "o", 0 }, /* Node 26: OSR */
	{ "?", -1 }, { "**", -1 }, { "~~'", -1 }, { "'", -1 },
};

START_TEST(test_marker)
{
	const char *m = marker_cases[_i].m;
	int t = tk_v8log_marker(m, strlen(m));
	ck_assert_int_eq(t, marker_cases[_i].tier);
	if (t > 0)
		ck_assert_int_eq(tk_v8log_tier_prefix(t)[0], m[m[0] == 'o']);
}
END_TEST

START_TEST(test_tier_prefix)
{
	ck_assert_str_eq(tk_v8log_tier_prefix(0), "");
	ck_assert_str_eq(tk_v8log_tier_prefix(5), "*");
	ck_assert_str_eq(tk_v8log_tier_prefix(TK_TIER_COUNT), "");
	ck_assert_str_eq(tk_v8log_tier_prefix(-1), "");
}
END_TEST

/* ev decoded from line, split as the isolate splits a line that is no tick */
static void decode(struct tk_fields *f, struct tk_ev *ev, const char *line, int no_time)
{
	tk_csv_split(f, line, strlen(line), 0);
	memset(ev, 0xa5, sizeof *ev); /* the decoder sets what it reports */
	ev->type = tk_ev_type_of(f->s[0], f->n[0]);
	ev->lineno = 1;
	ev->f = f;
	tk_v8log_decode(ev, no_time);
}

static int span_eq(struct tk_span a, const char *s)
{
	return a.n == strlen(s) && memcmp(a.s, s, a.n) == 0;
}

static const struct {
	const char *line;
	int no_time, bad;
	uint64_t start, size, sfi;
	int tier, is_func, regexp, builtin;
	const char *type, *name, *marker;
} code_cases[] = {
	/* Node 10: a builtin; function code of an empty name, no marker */
	{ "code-creation,Builtin,3,6464,0x3c94a4709e80,1396,RecordWrite", 0, 0,
	  0x3c94a4709e80, 1396, 0, 0, 0, 0, 1, "Builtin", "RecordWrite", "" },
	{ "code-creation,LazyCompile,3,10595,0x3c94a4720d20,15,,0x1b523cd0e298,", 0, 0,
	  0x3c94a4720d20, 15, 0x1b523cd0e298, 0, 1, 0, 0, "LazyCompile", "", "" },
	{ "code-creation,RegExp,4,65430,0x3c94a479f5e0,645,^$", 0, 0,
	  0x3c94a479f5e0, 645, 0, 0, 0, 1, 0, "RegExp", "^$", "" },
	/* Node 20 */
	{ "code-creation,JS,10,29497,0x1da6e250b3c6,45,prepareMainThreadExecution "
	  "node:internal/process/pre_execution:52:36,0x1f7a182c4dc0,~", 0, 0,
	  0x1da6e250b3c6, 45, 0x1f7a182c4dc0, 1, 1, 0, 0, "JS",
	  "prepareMainThreadExecution node:internal/process/pre_execution:52:36", "~" },
	{ "code-creation,BytecodeHandler,0,12681,0x18d8620,132,Wide", 0, 0,
	  0x18d8620, 132, 0, 0, 0, 0, 1, "BytecodeHandler", "Wide", "" },
	/* Node 24: context-specialized; Node 26: Sparkplug and OSR code */
	{ "code-creation,JS,11,68804,0x7f4260003d80,704,evalFib :1:18,0x7e0be2bf788,+'", 0, 0,
	  0x7f4260003d80, 704, 0x7e0be2bf788, 4, 1, 0, 0, "JS", "evalFib :1:18", "+'" },
	{ "code-creation,JS,11,45084,0x7f861c000040,596,requireBuiltin node:internal/bootstrap/realm:462:24,"
	  "0x23a13a153818,^", 0, 0, 0x7f861c000040, 596, 0x23a13a153818, 2, 1, 0, 0, "JS",
	  "requireBuiltin node:internal/bootstrap/realm:462:24", "^" },
	{ "code-creation,JS,13,121487,0x7f81a280a500,1168, /tmp/work/workloads/cryptozlib.js:1:1,"
	  "0x3a3fdeafe198,o*", 0, 0, 0x7f81a280a500, 1168, 0x3a3fdeafe198, 5, 1, 0, 0, "JS",
	  " /tmp/work/workloads/cryptozlib.js:1:1", "o*" },
	/* Node 6 (V8 5.1): no TIME */
	{ "code-creation,LazyCompile,0,0x2d879f73577a,2751,startup bootstrap_node.js:24:19,0x2d879f72fb38,~",
	  1, 0, 0x2d879f73577a, 2751, 0x2d879f72fb38, 1, 1, 0, 0, "LazyCompile",
	  "startup bootstrap_node.js:24:19", "~" },
	/* a marker no Node writes; an SFI that is no number */
	{ "code-creation,JS,10,1,0x10,8,f a.js:1:1,0x20,?", 0, 0, 0x10, 8, 0x20, -1, 1, 0, 0, "JS", "f a.js:1:1", "?" },
	{ "code-creation,JS,10,1,0x10,8,f a.js:1:1,zz,*", 0, 0, 0x10, 8, 0, 5, 1, 0, 0, "JS", "f a.js:1:1", "*" },
	/* unusable lines */
	{ "code-creation,Builtin,3,6464,0x3c94a4709e80", 0, TK_CODE_FEW, 0, 0, 0, 0, 0, 0, 0, "", "", "" },
	{ "code-creation,Builtin,3,6464,0x3c94a4709e80,12x,A", 0, TK_CODE_NUM, 0, 0, 0, 0, 0, 0, 0, "", "", "" },
	{ "code-creation,Builtin,3,6464,0x1,0x100000001,A", 0, TK_CODE_BIG, 0, 0, 0, 0, 0, 0, 0, "", "", "" },
	/* a Node 20 line read as Node 6 writes: START is the TIME, the name
	 * an SFI field (no number) */
	{ "code-creation,Builtin,2,12534,0x18c4000,768,DeoptimizationEntry_Eager", 1, 0, 12534, 0x18c4000, 0,
	  0, 1, 0, 0, "Builtin", "768", "" },
};

START_TEST(test_code)
{
	struct tk_fields f = { 0 };
	struct tk_ev ev;
	decode(&f, &ev, code_cases[_i].line, code_cases[_i].no_time);
	ck_assert_int_eq(ev.type, TK_EV_CODE_CREATION);
	ck_assert_int_eq(ev.bad, code_cases[_i].bad);
	const struct tk_ev_code *c = &ev.u.code;
	if (!ev.bad) {
		ck_assert_uint_eq(c->start, code_cases[_i].start);
		ck_assert_uint_eq(c->size, code_cases[_i].size);
		ck_assert_uint_eq(c->sfi, code_cases[_i].sfi);
		ck_assert_int_eq(c->tier, code_cases[_i].tier);
		ck_assert_int_eq(c->is_func, code_cases[_i].is_func);
		ck_assert_int_eq(c->regexp, code_cases[_i].regexp);
		ck_assert_int_eq(c->builtin, code_cases[_i].builtin);
		ck_assert(span_eq(c->type, code_cases[_i].type));
		ck_assert(span_eq(c->name, code_cases[_i].name));
		ck_assert(span_eq(c->marker, code_cases[_i].marker));
	} else if (ev.bad == TK_CODE_FEW) {
		ck_assert_uint_eq(c->fields, 6 - 1);
		ck_assert_uint_eq(c->need, 7);
	} else if (ev.bad == TK_CODE_NUM) {
		ck_assert(span_eq(c->size_text, "12x"));
	} else {
		ck_assert_uint_eq(c->size, 0x100000001ull);
	}
	tk_csv_free(&f);
}
END_TEST

START_TEST(test_lib)
{
	struct tk_fields f = { 0 };
	struct tk_ev ev;
	decode(&f, &ev, "shared-library,/usr/bin/node,0x400000,0xb71000,0", 0); /* Node 20 */
	ck_assert_int_eq(ev.type, TK_EV_SHARED_LIBRARY);
	ck_assert_int_eq(ev.bad, 0);
	ck_assert(span_eq(ev.u.lib.path, "/usr/bin/node"));
	ck_assert_uint_eq(ev.u.lib.start, 0x400000);
	ck_assert_uint_eq(ev.u.lib.end, 0xb71000);
	decode(&f, &ev, "shared-library,/lib/libc.so.6,0x7f0000001000,0x7f0000000000,0", 0); /* end < start */
	ck_assert_int_eq(ev.bad, 1);
	decode(&f, &ev, "shared-library,/lib/x.so,0x10", 0);
	ck_assert_int_eq(ev.bad, 1);
	ck_assert(span_eq(ev.u.lib.start_text, "0x10"));
	tk_csv_free(&f);
}
END_TEST

START_TEST(test_srcinfo)
{
	struct tk_fields f = { 0 };
	struct tk_ev ev;
	decode(&f, &ev, "code-source-info,0x1da6e250ac76,80,0,1182,C0O0C4O1182,,", 0); /* Node 20 */
	ck_assert_int_eq(ev.type, TK_EV_CODE_SOURCE_INFO);
	ck_assert_int_eq(ev.bad, 0);
	ck_assert_uint_eq(ev.u.info.addr, 0x1da6e250ac76);
	ck_assert_int_eq(ev.u.info.script, 80);
	ck_assert_int_eq(ev.u.info.fstart, 0);
	ck_assert_int_eq(ev.u.info.fend, 1182);
	ck_assert(span_eq(ev.u.info.positions, "C0O0C4O1182"));
	ck_assert(span_eq(ev.u.info.inlining, ""));
	ck_assert(span_eq(ev.u.info.fns, ""));
	/* optimized code with inlined functions (Node 26) */
	decode(&f, &ev, "code-source-info,0x52d3640,34,2585,3442,C0O2585C48O11823I9,F1O11C2,S0x3a3fdeafe198S0x3a", 0);
	ck_assert_int_eq(ev.bad, 0);
	ck_assert(span_eq(ev.u.info.inlining, "F1O11C2"));
	ck_assert(span_eq(ev.u.info.fns, "S0x3a3fdeafe198S0x3a"));
	decode(&f, &ev, "code-source-info,0x52d3640,x,2585,3442,C0O2585", 0);
	ck_assert_int_eq(ev.bad, 0);
	ck_assert_int_eq(ev.u.info.script, -1);
	decode(&f, &ev, "code-source-info,0x52d3640,34,2585,3442", 0);
	ck_assert_int_eq(ev.bad, 1);
	decode(&f, &ev, "code-source-info,zz,34,2585,3442,C0O2585,,", 0);
	ck_assert_int_eq(ev.bad, 1);
	tk_csv_free(&f);
}
END_TEST

START_TEST(test_script)
{
	struct tk_fields f = { 0 };
	struct tk_ev ev;
	struct tk_buf b = { 0 };
	/* Node 20: the source's commas escaped */
	decode(&f, &ev, "script-source,80,node:internal/main/run_main_module,'use strict';\\n\\nconst { R\\x2C S }", 0);
	ck_assert_int_eq(ev.type, TK_EV_SCRIPT_SOURCE);
	ck_assert_int_eq(ev.bad, 0);
	ck_assert_int_eq(ev.u.script.id, 80);
	ck_assert(span_eq(ev.u.script.url, "node:internal/main/run_main_module"));
	tk_v8log_script_text(&f, &ev.u.script, &b);
	const char *want = "'use strict';\n\nconst { R, S }";
	ck_assert(b.len == strlen(want) && memcmp(b.p, want, b.len) == 0);
	/* Node 10: "script", its source cut at raw commas, rejoined */
	decode(&f, &ev, "script,62,/tmp/app10/hot.js,'use strict';\\nf(a, b),g()", 0);
	ck_assert_int_eq(ev.type, TK_EV_SCRIPT);
	ck_assert_int_eq(ev.bad, 0);
	ck_assert(span_eq(ev.u.script.source0, "'use strict';\\nf(a"));
	tk_buf_reset(&b);
	tk_v8log_script_text(&f, &ev.u.script, &b);
	want = "'use strict';\nf(a, b),g()";
	ck_assert(b.len == strlen(want) && memcmp(b.p, want, b.len) == 0);
	decode(&f, &ev, "script-source,80,node:x", 0);
	ck_assert_int_eq(ev.bad, 1);
	decode(&f, &ev, "script-source,-1,node:x,s", 0);
	ck_assert_int_eq(ev.bad, 1);
	tk_buf_free(&b);
	tk_csv_free(&f);
}
END_TEST

START_TEST(test_small_events)
{
	struct tk_fields f = { 0 };
	struct tk_ev ev;
	decode(&f, &ev, "new,CodeRange,0x7f861c000000,0", 0); /* Node 26 */
	ck_assert_int_eq(ev.type, TK_EV_NEW);
	ck_assert_int_eq(ev.bad, 0);
	ck_assert(tk_span_is(ev.u.heap.kind, "CodeRange"));
	ck_assert_uint_eq(ev.u.heap.addr, 0x7f861c000000);
	decode(&f, &ev, "delete,MemoryChunk,0x338659d40000", 0); /* Node 20 */
	ck_assert_int_eq(ev.type, TK_EV_DELETE);
	ck_assert_int_eq(ev.bad, 0);
	ck_assert(tk_span_is(ev.u.heap.kind, "MemoryChunk"));
	ck_assert_uint_eq(ev.u.heap.addr, 0x338659d40000);
	decode(&f, &ev, "new,CodeRange", 0);
	ck_assert_int_eq(ev.bad, 1);
	decode(&f, &ev, "code-delete,0x3c94a4720d20", 0);
	ck_assert_int_eq(ev.type, TK_EV_CODE_DELETE);
	ck_assert_int_eq(ev.bad, 0);
	ck_assert_uint_eq(ev.u.addr, 0x3c94a4720d20);
	decode(&f, &ev, "sfi-move,0x1b523cd0e298,0x1b523cd0f000", 0);
	ck_assert_int_eq(ev.type, TK_EV_SFI_MOVE);
	ck_assert_int_eq(ev.bad, 0);
	ck_assert_uint_eq(ev.u.move.from, 0x1b523cd0e298);
	ck_assert_uint_eq(ev.u.move.to, 0x1b523cd0f000);
	decode(&f, &ev, "profiler,begin,1000", 0);
	ck_assert_int_eq(ev.bad, 0);
	ck_assert(tk_span_is(ev.u.profiler.what, "begin"));
	ck_assert_uint_eq(ev.u.profiler.interval, 1000);
	decode(&f, &ev, "v8-platform,linux,linux", 0);
	ck_assert_int_eq(ev.bad, 0);
	ck_assert(tk_span_is(ev.u.platform, "linux"));
	decode(&f, &ev, "v8-platform", 0);
	ck_assert_int_eq(ev.bad, 1);
	tk_csv_free(&f);
}
END_TEST

static const struct {
	const char *line;
	int bad, v[4];
	const char *emb;
} version_cases[] = {
	{ "v8-version,5,1,281,111,0", 0, { 5, 1, 281, 111 }, "" },          /* Node 6 */
	{ "v8-version,6,8,275,32,-node.59,0", 0, { 6, 8, 275, 32 }, "-node.59" }, /* Node 10 */
	{ "v8-version,11,3,244,8,-node.38,0", 0, { 11, 3, 244, 8 }, "-node.38" }, /* Node 20 */
	{ "v8-version,14,6,202,34,-node.40,0", 0, { 14, 6, 202, 34 }, "-node.40" }, /* Node 26 */
	{ "v8-version,11,3,x,8,-node.38,0", 3, { 0 }, "" },
	{ "v8-version,11,3,244,100001", 4, { 0 }, "" },
	{ "v8-version,11", 2, { 0 }, "" },
};

START_TEST(test_version)
{
	struct tk_fields f = { 0 };
	struct tk_ev ev;
	decode(&f, &ev, version_cases[_i].line, 0);
	ck_assert_int_eq(ev.type, TK_EV_V8_VERSION);
	ck_assert_int_eq(ev.bad, version_cases[_i].bad);
	if (!ev.bad) {
		for (int i = 0; i < 4; i++)
			ck_assert_int_eq(ev.u.version.v[i], version_cases[_i].v[i]);
		ck_assert(span_eq(ev.u.version.embedder, version_cases[_i].emb));
	}
	tk_csv_free(&f);
}
END_TEST

Suite *tk_suite_v8log(void)
{
	Suite *s = suite_create("v8log");
	TCase *tc = tcase_create("types");
	tcase_add_loop_test(tc, test_type, 0, N_OF(type_cases));
	tcase_add_test(tc, test_type_length);
	suite_add_tcase(s, tc);
	tc = tcase_create("decode");
	tcase_add_loop_test(tc, test_tick, 0, N_OF(tick_cases));
	tcase_add_loop_test(tc, test_tick_line, 0, N_OF(tick_field_texts));
	tcase_add_test(tc, test_move);
	tcase_add_loop_test(tc, test_marker, 0, N_OF(marker_cases));
	tcase_add_test(tc, test_tier_prefix);
	tcase_add_loop_test(tc, test_code, 0, N_OF(code_cases));
	tcase_add_test(tc, test_lib);
	tcase_add_test(tc, test_srcinfo);
	tcase_add_test(tc, test_script);
	tcase_add_test(tc, test_small_events);
	tcase_add_loop_test(tc, test_version, 0, N_OF(version_cases));
	suite_add_tcase(s, tc);
	return s;
}
