/* otree: insert, take, at, floor, first/last against a sorted array of
 * the keys present, over a pseudo-random sequence of operations; unique
 * keys; the height stays logarithmic on sorted insertion. */
#include <stdlib.h>
#include <string.h>
#include "base/otree.h"
#include "suites.h"

#define N 2000

struct ent {
	struct tk_onode node; /* first: a cast gets the entry back */
	int payload;
};

/* the model: present[k] for keys 0..N-1 (scaled by 16 in the tree) */
static int present[N];

static uint64_t key_of(int k)
{
	return (uint64_t)k * 16 + 16;
}

START_TEST(test_otree_against_model)
{
	static struct ent e[N];
	struct tk_otree t = { 0 };
	memset(present, 0, sizeof present);
	uint32_t x = 12345;
	size_t count = 0;
	int wrong_floor = 0, wrong_at = 0;
	for (int step = 0; step < 20000; step++) {
		x = x * 1103515245u + 12345u;
		int k = (int)((x >> 8) % N);
		if ((x >> 4) & 1) {
			e[k].node.key = key_of(k);
			e[k].payload = k;
			int r = tk_otree_insert(&t, &e[k].node);
			ck_assert_int_eq(r, !present[k]);
			if (r)
				count++;
			present[k] = 1;
		} else {
			struct tk_onode *n = tk_otree_take(&t, key_of(k));
			ck_assert_int_eq(n != NULL, present[k]);
			if (n) {
				ck_assert_int_eq(((struct ent *)n)->payload, k);
				count--;
			}
			present[k] = 0;
		}
		ck_assert_uint_eq(t.count, count);
		if (step % 97 == 0) {
			int m = -1, next = 0; /* the model's floor of q, q rising */
			for (uint64_t q = 0; q < key_of(N) + 32; q += 5) {
				for (; next < N && key_of(next) <= q; next++)
					if (present[next])
						m = next;
				struct tk_onode *f = tk_otree_floor(&t, q);
				if (m < 0 ? f != NULL : !f || f->key != key_of(m))
					wrong_floor++;
				struct tk_onode *a = tk_otree_at(&t, q);
				int exact = q >= 16 && q % 16 == 0 && q / 16 - 1 < N && present[q / 16 - 1];
				if ((a != NULL) != exact || (a && a->key != q))
					wrong_at++;
			}
			/* (one assertion per round: Check's are slow in a loop) */
			ck_assert_int_eq(wrong_floor, 0);
			ck_assert_int_eq(wrong_at, 0);
			int lo = -1, hi = -1;
			for (int i = 0; i < N; i++)
				if (present[i]) {
					if (lo < 0)
						lo = i;
					hi = i;
				}
			if (lo < 0) {
				ck_assert_ptr_null(tk_otree_first(&t));
				ck_assert_ptr_null(tk_otree_last(&t));
			} else {
				ck_assert_uint_eq(tk_otree_first(&t)->key, key_of(lo));
				ck_assert_uint_eq(tk_otree_last(&t)->key, key_of(hi));
			}
		}
	}
}
END_TEST

/* a taken key can be inserted again; a taken node is detached */
START_TEST(test_otree_take_reinsert)
{
	struct ent a = { .node.key = 5 }, b = { .node.key = 5 };
	struct tk_otree t = { 0 };
	ck_assert_int_eq(tk_otree_insert(&t, &a.node), 1);
	ck_assert_int_eq(tk_otree_insert(&t, &b.node), 0);
	ck_assert_ptr_eq(tk_otree_at(&t, 5), &a.node);
	ck_assert_ptr_eq(tk_otree_take(&t, 5), &a.node);
	ck_assert_ptr_null(a.node.left);
	ck_assert_ptr_null(a.node.right);
	ck_assert_ptr_null(tk_otree_take(&t, 5));
	ck_assert_uint_eq(tk_otree_height(&t), 0);
	ck_assert_int_eq(tk_otree_insert(&t, &b.node), 1);
	ck_assert_ptr_eq(tk_otree_floor(&t, UINT64_MAX), &b.node);
	struct ent c = { .node.key = 9 };
	tk_otree_insert_new(&t, &c.node);
	ck_assert_ptr_eq(tk_otree_floor(&t, UINT64_MAX), &c.node);
	ck_assert_ptr_eq(tk_otree_floor(&t, 8), &b.node);
	ck_assert_uint_eq(t.count, 2);
	ck_assert_ptr_null(tk_otree_floor(&t, 4));
}
END_TEST

/* sorted keys, the worst case of a plain search tree: the height stays
 * near log2 (a list would be 100,000 deep) */
START_TEST(test_otree_height_sorted)
{
	enum { M = 100000 };
	struct tk_onode *n = calloc(M, sizeof *n);
	ck_assert_ptr_nonnull(n);
	struct tk_otree t = { 0 };
	for (int i = 0; i < M; i++) {
		n[i].key = (uint64_t)i * 64;
		ck_assert_int_eq(tk_otree_insert(&t, &n[i]), 1);
	}
	size_t h = tk_otree_height(&t);
	ck_assert_uint_ge(h, 17);
	ck_assert_uint_le(h, 80);
	ck_assert_uint_ne(tk_otree_seed(), 0);
	free(n);
}
END_TEST

Suite *tk_suite_otree(void)
{
	Suite *s = suite_create("otree");
	TCase *tc = tcase_create("otree");
	tcase_add_test(tc, test_otree_against_model);
	tcase_add_test(tc, test_otree_take_reinsert);
	tcase_add_test(tc, test_otree_height_sorted);
	suite_add_tcase(s, tc);
	return s;
}
