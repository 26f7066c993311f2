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

/* reserve: room made at once (no growth while the items added stay within
 * it), items already indexed kept, and a smaller reserve changes nothing */
START_TEST(reserve_makes_room)
{
	struct tk_hashidx h;
	tk_hashidx_init(&h);
	static uint64_t v[3000];
	for (uint32_t i = 0; i < 10; i++) {
		v[i] = (uint64_t)i * 7919;
		tk_hashidx_add(&h, tk_hashidx_u64(v[i]), i);
	}
	tk_hashidx_reserve(&h, 3000);
	const struct tk_hashidx_slot *s = h.s;
	size_t mask = h.mask;
	ck_assert_uint_ge(mask + 1, 6000);
	tk_hashidx_reserve(&h, 100);
	ck_assert_ptr_eq(h.s, s);
	for (uint32_t i = 10; i < 3000; i++) {
		v[i] = (uint64_t)i * 7919;
		tk_hashidx_add(&h, tk_hashidx_u64(v[i]), i);
	}
	ck_assert_ptr_eq(h.s, s);
	ck_assert_uint_eq(h.mask, mask);
	for (uint32_t i = 0; i < 3000; i++) {
		uint64_t k = v[i];
		ck_assert_uint_eq(tk_hashidx_find(&h, tk_hashidx_u64(k), u64_eq, v, &k), i);
	}
	tk_hashidx_release(&h);
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

/* the inline form, as a hot caller writes it: find or append */
static uint32_t probe_intern(struct tk_hashidx *h, uint64_t *v, uint32_t *n, uint64_t k, uint32_t hv,
			     uint64_t *probes)
{
	struct tk_hashidx_probe pr;
	uint32_t i = tk_hashidx_first(h, &pr, hv);
	for (; i != TK_HASHIDX_NONE; i = tk_hashidx_next(h, &pr))
		if (v[i] == k)
			break;
	*probes += pr.n;
	if (i != TK_HASHIDX_NONE)
		return i;
	i = (*n)++;
	v[i] = k;
	tk_hashidx_add_at(h, &pr, i);
	return i;
}

START_TEST(probe_finds_and_adds_through_growth)
{
	/* 5000 keys added through the probe's empty slot: the index doubles
	 * nine times on the way, and every key is found after, by the probe
	 * and by tk_hashidx_find alike */
	enum { N = 5000 };
	struct tk_hashidx h;
	tk_hashidx_init(&h);
	uint64_t *v = tk_xmalloc(N * sizeof *v), probes = 0;
	uint32_t n = 0;
	for (uint32_t i = 0; i < N; i++)
		ck_assert_uint_eq(probe_intern(&h, v, &n, (uint64_t)i * 7919, tk_hashidx_u64((uint64_t)i * 7919), &probes), i);
	ck_assert_uint_eq(n, N);
	ck_assert_uint_eq(h.n, N);
	ck_assert_uint_ge(h.mask + 1, 2 * N);
	for (uint32_t i = 0; i < N; i++) {
		uint64_t k = (uint64_t)i * 7919;
		ck_assert_uint_eq(probe_intern(&h, v, &n, k, tk_hashidx_u64(k), &probes), i);
		ck_assert_uint_eq(tk_hashidx_find(&h, tk_hashidx_u64(k), u64_eq, v, &k), i);
	}
	ck_assert_uint_eq(n, N); /* no key appended twice */
	free(v);
	tk_hashidx_release(&h);
}
END_TEST

START_TEST(probe_returns_equal_hashes_only)
{
	/* hashes 3, 3 + 16, 3 + 32 share a first slot (16 slots at first):
	 * the probe passes over the other hashes and yields each item under
	 * hash 3, in the order added, then ends */
	struct tk_hashidx h;
	tk_hashidx_init(&h);
	tk_hashidx_add(&h, 3, 0);
	tk_hashidx_add(&h, 19, 1);
	tk_hashidx_add(&h, 3, 2);
	tk_hashidx_add(&h, 35, 3);
	tk_hashidx_add(&h, 3, 4);
	ck_assert_uint_eq(h.mask, 15);
	struct tk_hashidx_probe pr;
	ck_assert_uint_eq(tk_hashidx_first(&h, &pr, 3), 0);
	ck_assert_uint_eq(tk_hashidx_next(&h, &pr), 2);
	ck_assert_uint_eq(tk_hashidx_next(&h, &pr), 4);
	ck_assert_uint_eq(tk_hashidx_next(&h, &pr), TK_HASHIDX_NONE);
	ck_assert_uint_eq(pr.n, 6); /* five full slots and the empty one */
	ck_assert_uint_eq(pr.i, 8); /* the empty slot, where add_at goes */
	ck_assert_uint_eq(tk_hashidx_first(&h, &pr, 19), 1);
	ck_assert_uint_eq(tk_hashidx_next(&h, &pr), TK_HASHIDX_NONE);
	ck_assert_uint_eq(tk_hashidx_first(&h, &pr, 4), TK_HASHIDX_NONE);
	ck_assert_uint_eq(pr.n, 5); /* slots 4..7, taken by the run from 3, and the empty 8 */
	tk_hashidx_add_at(&h, &pr, 5);
	ck_assert_uint_eq(h.s[8].item, 5);
	ck_assert_uint_eq(h.s[8].hash, 4 | TK_HASHIDX_FULL);
	ck_assert_uint_eq(tk_hashidx_first(&h, &pr, 4), 5);
	/* an empty index: a miss, and add_at allocates */
	struct tk_hashidx e;
	tk_hashidx_init(&e);
	ck_assert_uint_eq(tk_hashidx_first(&e, &pr, 9), TK_HASHIDX_NONE);
	ck_assert_uint_eq(pr.n, 0);
	tk_hashidx_add_at(&e, &pr, 0);
	ck_assert_uint_eq(tk_hashidx_first(&e, &pr, 9), 0);
	tk_hashidx_release(&e);
	/* clear forgets the items, keeps the slots */
	size_t mask = h.mask;
	tk_hashidx_clear(&h);
	ck_assert_uint_eq(h.n, 0);
	ck_assert_uint_eq(h.mask, mask);
	ck_assert_uint_eq(tk_hashidx_first(&h, &pr, 3), TK_HASHIDX_NONE);
	ck_assert_uint_eq(pr.n, 1);
	tk_hashidx_release(&h);
}
END_TEST

START_TEST(probe_probes_stay_constant)
{
	/* 10^6 keys whose hashes collide in their low bits in pairs: the
	 * probes per find-or-add stay a few, whatever the number of items */
	enum { N = 1000000 };
	struct tk_hashidx h;
	tk_hashidx_init(&h);
	uint64_t *v = tk_xmalloc(N * sizeof *v), probes = 0;
	uint32_t n = 0;
	for (uint32_t i = 0; i < N; i++)
		probe_intern(&h, v, &n, i, tk_hashidx_u64(i / 2) ^ (i & 1u) << 31, &probes);
	for (uint32_t i = 0; i < N; i++)
		ck_assert_uint_eq(probe_intern(&h, v, &n, i, tk_hashidx_u64(i / 2) ^ (i & 1u) << 31, &probes), i);
	ck_assert_uint_eq(n, N);
	ck_assert_msg(probes < 2ull * N * 4, "probes %llu for %d keys", (unsigned long long)probes, N);
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
	tcase_add_test(tc, reserve_makes_room);
	tcase_add_test(tc, probes_stay_constant);
	tcase_add_test(tc, probe_finds_and_adds_through_growth);
	tcase_add_test(tc, probe_returns_equal_hashes_only);
	tcase_add_test(tc, probe_probes_stay_constant);
	tcase_set_timeout(tc, 60);
	suite_add_tcase(s, tc);
	return s;
}
