/* tickcache: stacks interned by text, ticks found by (stack, pc, ext,
 * tos) only in the generation they were stored in, bounds that clear
 * instead of growing. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "suites.h"
#include "ingest/tickcache.h"

static struct tk_tick_result result(uint32_t first)
{
	struct tk_tick_result r;
	memset(&r, 0, sizeof r);
	r.first = first;
	r.why = -1;
	return r;
}

START_TEST(test_stacks)
{
	struct tk_tickcache c = {0};
	uint32_t a = tk_tickcache_stack(&c, "0x10,0x20", 9);
	uint32_t b = tk_tickcache_stack(&c, "0x10,0x21", 9);
	uint32_t e = tk_tickcache_stack(&c, "", 0);
	ck_assert_uint_ne(a, 0);
	ck_assert_uint_ne(b, 0);
	ck_assert_uint_ne(e, 0);
	ck_assert_uint_ne(a, b);
	ck_assert_uint_ne(a, e);
	ck_assert_uint_eq(tk_tickcache_stack(&c, "0x10,0x20", 9), a);
	ck_assert_uint_eq(tk_tickcache_stack(&c, "0x10,0x20,", 9), a); /* by length */
	ck_assert_uint_eq(tk_tickcache_stack(&c, "", 0), e);
	/* many stacks: the table grows, every id stays */
	char buf[64];
	uint32_t ids[2000];
	for (int i = 0; i < 2000; i++)
		ids[i] = tk_tickcache_stack(&c, buf, (size_t)snprintf(buf, sizeof buf, "0x%x,0x%x", i, i * 7));
	for (int i = 0; i < 2000; i++)
		ck_assert_uint_eq(tk_tickcache_stack(&c, buf, (size_t)snprintf(buf, sizeof buf, "0x%x,0x%x", i, i * 7)),
				  ids[i]);
	ck_assert_uint_eq(tk_tickcache_stack(&c, "0x10,0x20", 9), a);
	ck_assert_uint_eq(c.clears, 0);
	/* too long: never cached */
	char *big = malloc(TK_TC_MAX_STACK + 1);
	memset(big, 'x', TK_TC_MAX_STACK + 1);
	ck_assert_uint_eq(tk_tickcache_stack(&c, big, TK_TC_MAX_STACK + 1), 0);
	ck_assert_uint_ne(tk_tickcache_stack(&c, big, TK_TC_MAX_STACK), 0);
	free(big);
	tk_tickcache_release(&c);
}
END_TEST

START_TEST(test_ticks)
{
	struct tk_tickcache c = {0};
	uint32_t s = tk_tickcache_stack(&c, "0x10", 4), t = tk_tickcache_stack(&c, "0x11", 4);
	ck_assert_ptr_null(tk_tickcache_find(&c, s, 0x100, 0, 0, 1));
	struct tk_tick_result r = result(7);
	tk_tickcache_store(&c, s, 0x100, 0, 0, 1, &r, 2);
	const struct tk_tc_tick *k = tk_tickcache_find(&c, s, 0x100, 0, 0, 1);
	ck_assert_ptr_nonnull(k);
	ck_assert_uint_eq(k->res.first, 7);
	ck_assert_uint_eq(k->bad_frames, 2);
	/* every part of the key counts */
	ck_assert_ptr_null(tk_tickcache_find(&c, t, 0x100, 0, 0, 1));
	ck_assert_ptr_null(tk_tickcache_find(&c, s, 0x101, 0, 0, 1));
	ck_assert_ptr_null(tk_tickcache_find(&c, s, 0x100, 1, 0, 1));
	ck_assert_ptr_null(tk_tickcache_find(&c, s, 0x100, 0, 0x100, 1));
	ck_assert_ptr_null(tk_tickcache_find(&c, 0, 0x100, 0, 0, 1));
	/* another generation (the code map changed): a miss, and the
	 * store replaces the entry */
	ck_assert_ptr_null(tk_tickcache_find(&c, s, 0x100, 0, 0, 2));
	r = result(8);
	tk_tickcache_store(&c, s, 0x100, 0, 0, 2, &r, 0);
	ck_assert_uint_eq(c.n_ticks, 1);
	k = tk_tickcache_find(&c, s, 0x100, 0, 0, 2);
	ck_assert_ptr_nonnull(k);
	ck_assert_uint_eq(k->res.first, 8);
	/* back to generation 1 (never happens in a log, gens only grow):
	 * a miss, not the stale result */
	ck_assert_ptr_null(tk_tickcache_find(&c, s, 0x100, 0, 0, 1));
	/* an ext that does not fit: not cached */
	tk_tickcache_store(&c, s, 0x100, 1ull << 40, 0, 1, &r, 0);
	ck_assert_ptr_null(tk_tickcache_find(&c, s, 0x100, 1ull << 40, 0, 1));
	tk_tickcache_release(&c);
}
END_TEST

START_TEST(test_bounds)
{
	struct tk_tickcache c = {0};
	uint32_t s = tk_tickcache_stack(&c, "0x10", 4);
	struct tk_tick_result r = result(1);
	/* more ticks than kept: the ticks are cleared, stack ids stay */
	for (uint64_t pc = 0; pc < TK_TC_MAX_TICKS + 10; pc++)
		tk_tickcache_store(&c, s, pc, 0, 0, 1, &r, 0);
	ck_assert_uint_eq(c.clears, 1);
	ck_assert_uint_eq(c.n_ticks, 10);
	ck_assert_ptr_nonnull(tk_tickcache_find(&c, s, TK_TC_MAX_TICKS + 9, 0, 0, 1));
	ck_assert_ptr_null(tk_tickcache_find(&c, s, 5, 0, 0, 1));
	ck_assert_uint_eq(tk_tickcache_stack(&c, "0x10", 4), s);
	/* more stack text than kept: everything cleared, ids start over */
	size_t n = TK_TC_MAX_STACK;
	char *big = malloc(n);
	size_t texts = 0;
	unsigned long long before = c.clears;
	for (uint32_t i = 0; c.clears == before; i++) {
		memset(big, 'a' + (int)(i % 26), n);
		memcpy(big, &i, sizeof i);
		tk_tickcache_stack(&c, big, n);
		texts += n;
		ck_assert_uint_le(c.text_len, TK_TC_TEXT_MAX);
	}
	ck_assert_uint_gt(texts + 4, TK_TC_TEXT_MAX); /* with "0x10" */
	ck_assert_uint_eq(c.n_stacks, 1);
	ck_assert_uint_eq(c.n_ticks, 0);
	ck_assert_ptr_null(tk_tickcache_find(&c, s, TK_TC_MAX_TICKS + 9, 0, 0, 1));
	free(big);
	tk_tickcache_release(&c);
}
END_TEST

Suite *tk_suite_tickcache(void)
{
	Suite *s = suite_create("tickcache");
	TCase *tc = tcase_create("tickcache");
	tcase_add_test(tc, test_stacks);
	tcase_add_test(tc, test_ticks);
	tcase_add_test(tc, test_bounds);
	tcase_set_timeout(tc, 60);
	suite_add_tcase(s, tc);
	return s;
}
