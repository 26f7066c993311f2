/* v8log: event types and the decoding of ticks, moves and tier markers,
 * on lines as Node 10, 20 and 26 write them (from logs of node --prof). */
#include <stdlib.h>
#include <string.h>
#include "input/v8log.h"
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

Suite *tk_suite_v8log(void)
{
	Suite *s = suite_create("v8log");
	TCase *tc = tcase_create("types");
	tcase_add_loop_test(tc, test_type, 0, N_OF(type_cases));
	tcase_add_test(tc, test_type_length);
	suite_add_tcase(s, tc);
	tc = tcase_create("decode");
	tcase_add_loop_test(tc, test_tick, 0, N_OF(tick_cases));
	tcase_add_test(tc, test_move);
	tcase_add_loop_test(tc, test_marker, 0, N_OF(marker_cases));
	tcase_add_test(tc, test_tier_prefix);
	suite_add_tcase(s, tc);
	return s;
}
