/* scan: a log's events fed to consumers without an isolate: each
 * consumer gets the types it takes, in log order, decoded as the
 * isolate decodes them (tick stacks unsplit), end once; errors said. */
#include <string.h>
#include "ingest/scan.h"
#include "base/diag.h"
#include "suites.h"

struct seen {
	int n[TK_EV_COUNT], ends;
	unsigned long last_line;
	int in_order;
	uint64_t tick_pc;
	size_t stack_n;
	int bad_ticks;
};

static void on_event(void *ctx, const struct tk_ev *ev)
{
	struct seen *s = ctx;
	s->n[ev->type]++;
	if (ev->lineno <= s->last_line)
		s->in_order = 0;
	s->last_line = ev->lineno;
	if (ev->type == TK_EV_TICK && !ev->bad) {
		s->tick_pc = ev->u.tick.pc;
		s->stack_n = ev->u.tick.stack_n;
	}
	if (ev->type == TK_EV_TICK && ev->bad)
		s->bad_ticks++;
}

static int on_end(void *ctx, struct tk_diag *d)
{
	(void)d;
	((struct seen *)ctx)->ends++;
	return 0;
}

static const char text[] =
	"v8-version,11,3,244,8,0,0\n"
	"shared-library,/usr/bin/node,0x400000,0x2000000,0\n"
	"code-creation,JS,10,100,0x1000,256,f a.js:1:1,0x9000,*\n"
	"tick,0x1010,1000,0,0x0,0,0x20,0x30\n"
	"\n"
	"no-such-event,1\n"
	"tick,bad,2000,0,0x0,0\n"
	"code-move,0x1000,0x2000\n";

START_TEST(test_scan_types)
{
	struct seen all = { .in_order = 1 }, code = { .in_order = 1 };
	struct tk_consumer c[2] = {
		{ .ctx = &all, .event = on_event, .end = on_end },
		{ .ctx = &code, .types = TK_EV_BIT(TK_EV_CODE_CREATION) | TK_EV_BIT(TK_EV_TICK),
		  .event = on_event, .end = on_end },
	};
	struct tk_diag d = {0};
	const char *p = tk_test_spit("s.log", text, sizeof text - 1);
	ck_assert_int_eq(tk_scan_log(p, c, 2, &d), 0);
	ck_assert_int_eq(all.n[TK_EV_V8_VERSION], 1);
	ck_assert_int_eq(all.n[TK_EV_SHARED_LIBRARY], 1);
	ck_assert_int_eq(all.n[TK_EV_CODE_CREATION], 1);
	ck_assert_int_eq(all.n[TK_EV_TICK], 2);
	ck_assert_int_eq(all.n[TK_EV_EMPTY], 1);
	ck_assert_int_eq(all.n[TK_EV_UNKNOWN], 1);
	ck_assert_int_eq(all.n[TK_EV_CODE_MOVE], 1);
	ck_assert(all.in_order && all.last_line == 8);
	ck_assert_int_eq(code.n[TK_EV_CODE_CREATION], 1);
	ck_assert_int_eq(code.n[TK_EV_TICK], 2);
	ck_assert_int_eq(code.n[TK_EV_V8_VERSION] + code.n[TK_EV_CODE_MOVE] + code.n[TK_EV_EMPTY], 0);
	/* decoded: the good tick's pc, its stack one field of raw text; the bad one said so */
	ck_assert_uint_eq(code.tick_pc, 0x1010);
	ck_assert_uint_eq(code.stack_n, strlen("0x20,0x30"));
	ck_assert_int_eq(code.bad_ticks, 1);
	ck_assert_int_eq(all.ends + code.ends, 2);
	ck_assert_int_eq(tk_scan_log("/nonexistent/s.log", c, 2, &d), -1);
	ck_assert_int_ne(d.code, 0);
	tk_test_tmp_remove();
}
END_TEST

Suite *tk_suite_scan(void)
{
	Suite *s = suite_create("scan");
	TCase *tc = tcase_create("scan");
	tcase_add_test(tc, test_scan_types);
	suite_add_tcase(s, tc);
	return s;
}
