/* hashidx: items are found by key, misses say so, colliding hashes are
 * told apart by the callback, growth keeps every item, and the probes
 * per operation stay O(1) at 10^6 items (a counter, not a timing). */
#include <check.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "base/hashidx.h"
#include "suites.h"
#include "base/util.h"

static int u64_eq(const void *ctx, uint32_t i, const void *key)
{
	const uint64_t *v = ctx;
	return v[i] == *(const uint64_t *)key;
}

START_TEST(finds_and_misses)
{
	struct tk_hashidx h;
	tk_hashidx_init(&h);
	uint64_t v[100];
	uint64_t k = 7;
	ck_assert_uint_eq(tk_hashidx_find(&h, tk_hashidx_u64(k), u64_eq, v, &k), TK_HASHIDX_NONE);
	for (uint32_t i = 0; i < 100; i++) {
		v[i] = (uint64_t)i * 1000;
		tk_hashidx_add(&h, tk_hashidx_u64(v[i]), i);
	}
	for (uint32_t i = 0; i < 100; i++) {
		k = (uint64_t)i * 1000;
		ck_assert_uint_eq(tk_hashidx_find(&h, tk_hashidx_u64(k), u64_eq, v, &k), i);
		k++;
		ck_assert_uint_eq(tk_hashidx_find(&h, tk_hashidx_u64(k), u64_eq, v, &k), TK_HASHIDX_NONE);
	}
	ck_assert_uint_eq(h.n, 100);
	tk_hashidx_release(&h);
	ck_assert_ptr_null(h.s);
}
END_TEST

START_TEST(equal_hashes_told_apart)
{
	/* every key under one hash: the callback decides */
	struct tk_hashidx h;
	tk_hashidx_init(&h);
	uint64_t v[50];
	for (uint32_t i = 0; i < 50; i++) {
		v[i] = i + 1;
		tk_hashidx_add(&h, 42, i);
	}
	for (uint32_t i = 0; i < 50; i++) {
		uint64_t k = i + 1;
		ck_assert_uint_eq(tk_hashidx_find(&h, 42, u64_eq, v, &k), i);
	}
	uint64_t k = 99;
	ck_assert_uint_eq(tk_hashidx_find(&h, 42, u64_eq, v, &k), TK_HASHIDX_NONE);
	tk_hashidx_release(&h);
}
END_TEST

static int str_eq(const void *ctx, uint32_t i, const void *key)
{
	char *const *v = ctx;
	return strcmp(v[i], key) == 0;
}

START_TEST(probes_stay_constant)
{
	/* 10^6 string keys that share long prefixes (paths): each add and
	 * each find inspects a few slots on average, not a share of n */
	enum { N = 1000000 };
	struct tk_hashidx h;
	tk_hashidx_init(&h);
	char **v = tk_xmalloc(N * sizeof *v);
	char buf[64];
	for (uint32_t i = 0; i < N; i++) {
		int n = snprintf(buf, sizeof buf, "/usr/lib/x86_64-linux-gnu/lib%u.so", i);
		v[i] = tk_xmalloc((size_t)n + 1);
		memcpy(v[i], buf, (size_t)n + 1);
		uint32_t hv = tk_hash(buf, (size_t)n);
		ck_assert_uint_eq(tk_hashidx_find(&h, hv, str_eq, v, buf), TK_HASHIDX_NONE);
		tk_hashidx_add(&h, hv, i);
	}
	for (uint32_t i = 0; i < N; i++) {
		int n = snprintf(buf, sizeof buf, "/usr/lib/x86_64-linux-gnu/lib%u.so", i);
		ck_assert_uint_eq(tk_hashidx_find(&h, tk_hash(buf, (size_t)n), str_eq, v, buf), i);
	}
	/* 3 * N operations (a miss, an add, a hit per key) */
	ck_assert_msg(h.probes < 3ull * N * 4, "probes %llu for %d keys", (unsigned long long)h.probes, N);
	for (uint32_t i = 0; i < N; i++)
		free(v[i]);
	free(v);
	tk_hashidx_release(&h);
}
END_TEST

Suite *tk_suite_hashidx(void)
{
	Suite *s = suite_create("hashidx");
	TCase *tc = tcase_create("hashidx");
	tcase_add_test(tc, finds_and_misses);
	tcase_add_test(tc, equal_hashes_told_apart);
	tcase_add_test(tc, probes_stay_constant);
	tcase_set_timeout(tc, 60);
	suite_add_tcase(s, tc);
	return s;
}
