/* profile: call trees (totals, self, reverse, unique children) and the
 * flat/entry counters of tk_profile_add. */
#include <stdlib.h>
#include <string.h>
#include "model/profile.h"
#include "suites.h"

/* The node reached from the root along names[0..n), or 0 if absent
 * (searched through first_child/next, independently of the hash). Plain
 * checks in the loops: a ck_assert per node would cost a syscall. */
static uint32_t walk(const struct tk_tree *t, const uint32_t *names, size_t n)
{
	uint32_t node = 0;
	for (size_t k = 0; k < n; k++) {
		uint32_t c = t->v[node].first_child, hit = 0, dup = 0;
		for (; c; c = t->v[c].next)
			if (t->v[c].name == names[k]) {
				dup += hit != 0;
				hit = c;
			}
		ck_assert_msg(dup == 0, "two children named %u", names[k]);
		if (!hit)
			return 0;
		node = hit;
	}
	return node;
}

/* Checks the tree's structural invariants: parents, sibling names
 * unique, total = self + sum of children totals. */
static void check_tree(const struct tk_tree *t)
{
	ck_assert_uint_eq(t->v[0].name, UINT32_MAX);
	for (uint32_t i = 0; i < t->n; i++) {
		uint64_t sum = t->v[i].self;
		int bad = 0;
		for (uint32_t c = t->v[i].first_child; c && !bad; c = t->v[c].next) {
			bad |= c >= t->n || t->v[c].parent != i;
			for (uint32_t d = t->v[c].next; d && !bad; d = t->v[d].next)
				bad |= t->v[c].name == t->v[d].name;
			sum += t->v[c].total;
		}
		if (bad || t->v[i].total != sum)
			ck_abort_msg("node %u: bad children (%d) or total %llu != %llu", i, bad,
				     (unsigned long long)t->v[i].total, (unsigned long long)sum);
	}
}

/* paths added in order (0-terminated, names are >= 1), then expected
 * (path, total, self) of some nodes; reverse = add them reversed */
static const struct {
	uint32_t add[6][5];
	int nadd;
	int reverse;
	struct { uint32_t path[4]; uint64_t total, self; } want[5];
	int nwant;
	size_t nodes; /* root included */
} tree_cases[] = {
	{ { { 1, 0 } }, 1, 0, { { { 1, 0 }, 1, 1 } }, 1, 2 },
	{ { { 1, 2, 3, 0 } }, 1, 0, { { { 1, 0 }, 1, 0 }, { { 1, 2, 0 }, 1, 0 }, { { 1, 2, 3, 0 }, 1, 1 } }, 3, 4 },
	{ { { 1, 2, 3, 0 } }, 1, 1, { { { 3, 0 }, 1, 0 }, { { 3, 2, 1, 0 }, 1, 1 } }, 2, 4 },
	{ { { 1, 2, 0 }, { 1, 2, 0 }, { 1, 3, 0 }, { 1, 0 }, { 2, 1, 0 } }, 5, 0,
	  { { { 1, 0 }, 4, 1 }, { { 1, 2, 0 }, 2, 2 }, { { 1, 3, 0 }, 1, 1 }, { { 2, 0 }, 1, 0 }, { { 2, 1, 0 }, 1, 1 } },
	  5, 6 },
	/* recursion: one node per frame */
	{ { { 7, 7, 7, 0 }, { 7, 0 } }, 2, 0, { { { 7, 0 }, 2, 1 }, { { 7, 7, 0 }, 1, 0 }, { { 7, 7, 7, 0 }, 1, 1 } },
	  3, 4 },
	/* the same name under different parents is a different node */
	{ { { 1, 9, 0 }, { 2, 9, 0 } }, 2, 1, { { { 9, 0 }, 2, 0 }, { { 9, 1, 0 }, 1, 1 }, { { 9, 2, 0 }, 1, 1 } }, 3, 4 },
	/* name 0 is a valid name id too (0-terminated paths above can't say
	 * so: tested separately) */
};

static size_t plen(const uint32_t *p)
{
	size_t n = 0;
	while (p[n])
		n++;
	return n;
}

START_TEST(test_tree)
{
	struct tk_tree t;
	tk_tree_init(&t);
	for (int i = 0; i < tree_cases[_i].nadd; i++)
		tk_tree_add(&t, tree_cases[_i].add[i], plen(tree_cases[_i].add[i]), tree_cases[_i].reverse);
	ck_assert_uint_eq(t.v[0].total, (uint64_t)tree_cases[_i].nadd);
	ck_assert_uint_eq(t.n, tree_cases[_i].nodes);
	for (int k = 0; k < tree_cases[_i].nwant; k++) {
		const uint32_t *p = tree_cases[_i].want[k].path;
		uint32_t node = walk(&t, p, plen(p));
		ck_assert_msg(node != 0, "case %d: path %d missing", _i, k);
		ck_assert_uint_eq(t.v[node].total, tree_cases[_i].want[k].total);
		ck_assert_uint_eq(t.v[node].self, tree_cases[_i].want[k].self);
	}
	check_tree(&t);
	tk_tree_release(&t);
}
END_TEST

START_TEST(test_tree_children)
{
	struct tk_tree t;
	tk_tree_init(&t);
	uint32_t *kids;
	ck_assert_uint_eq(tk_tree_children(&t, 0, &kids), 0);
	free(kids);
	static const uint32_t paths[][2] = { { 0, 5 }, { 3, 5 }, { 0, 6 }, { 3, 5 }, { 8, 8 }, { 0, 5 } };
	for (size_t i = 0; i < sizeof paths / sizeof *paths; i++)
		tk_tree_add(&t, paths[i], 2, 0);
	size_t n = tk_tree_children(&t, 0, &kids);
	ck_assert_uint_eq(n, 3); /* names 0, 3, 8 */
	uint32_t seen = 0;
	for (size_t i = 0; i < n; i++) {
		uint32_t name = t.v[kids[i]].name;
		ck_assert(name == 0 || name == 3 || name == 8);
		seen |= 1u << name;
		ck_assert_uint_eq(t.v[kids[i]].total, name == 0 ? 3 : name == 3 ? 2 : 1);
	}
	ck_assert_uint_eq(seen, 1u | 1u << 3 | 1u << 8);
	free(kids);
	static const uint32_t zero_path[] = { 0, 5 };
	uint32_t z = walk(&t, zero_path, 2);
	ck_assert_uint_eq(t.v[z].self, 2);
	tk_tree_add(&t, NULL, 0, 0); /* an empty path counts at the root */
	ck_assert_uint_eq(t.v[0].self, 1);
	ck_assert_uint_eq(t.v[0].total, 7);
	check_tree(&t);
	tk_tree_release(&t);
}
END_TEST

/* Many distinct paths (the child hash rehashes several times): every one
 * found again, nodes not duplicated by a second pass. */
START_TEST(test_tree_many_paths)
{
	enum { N = 60000 };
	struct tk_tree t;
	tk_tree_init(&t);
	for (int pass = 0; pass < 2; pass++)
		for (uint32_t i = 0; i < N; i++) {
			uint32_t p[3] = { i % 97, i % 1013 + 1000, i + 100000 };
			tk_tree_add(&t, p, 3, 0);
		}
	size_t nodes = t.n;
	ck_assert_uint_eq(t.v[0].total, 2 * N);
	for (uint32_t i = 0; i < N; i += 61) {
		uint32_t p[3] = { i % 97, i % 1013 + 1000, i + 100000 };
		uint32_t leaf = walk(&t, p, 3);
		ck_assert_uint_ne(leaf, 0);
		ck_assert_uint_eq(t.v[leaf].self, 2);
		ck_assert_uint_eq(t.v[leaf].total, 2);
	}
	static const uint32_t top[] = { 5 };
	uint32_t n5 = walk(&t, top, 1);
	ck_assert_uint_eq(t.v[n5].total, 2 * ((N - 1 - 5) / 97 + 1));
	check_tree(&t);
	/* 97 first-level + (97 x 1013 pairs actually used) + N leaves */
	ck_assert_uint_le(nodes, 1 + 97 + (size_t)N + (size_t)N);
	ck_assert_uint_ge(nodes, 1 + 97 + (size_t)N);
	tk_tree_release(&t);
}
END_TEST

/* Replayed ticks (counted at their leaf until tk_profile_finish) give the
 * trees that adding the same paths again would: mixed with fresh adds,
 * finished twice, the totals and self counts of both trees match. */
START_TEST(test_profile_replay)
{
	static const uint32_t paths[][4] = { { 1, 2, 3, 4 }, { 1, 2 }, { 5, 2, 3, 4 }, { 1, 2, 3, 7 } };
	static const size_t lens[] = { 4, 2, 4, 4 };
	struct tk_profile a, b;
	tk_profile_init(&a);
	tk_profile_init(&b);
	uint32_t leaves[4][2];
	for (size_t i = 0; i < 4; i++) {
		tk_profile_add(&a, paths[i], lens[i], 0, 0, leaves[i]);
		tk_profile_add(&b, paths[i], lens[i], 0, 0, NULL);
	}
	for (int round = 0; round < 50; round++) {
		size_t i = (size_t)(round * 7 + 3) % 4;
		tk_profile_replay(&a, paths[i][0], leaves[i], 0, 0);
		tk_profile_add(&b, paths[i], lens[i], 0, 0, NULL);
		if (round == 20)
			tk_profile_finish(&a); /* finishing early changes nothing */
		if (round % 9 == 0) {
			tk_profile_add(&a, paths[round % 4], lens[round % 4], 0, 0, NULL);
			tk_profile_add(&b, paths[round % 4], lens[round % 4], 0, 0, NULL);
		}
	}
	tk_profile_finish(&a);
	tk_profile_finish(&a);
	const struct tk_tree *ta[2] = { &a.top_down, &a.bottom_up }, *tb[2] = { &b.top_down, &b.bottom_up };
	for (int k = 0; k < 2; k++) {
		ck_assert_uint_eq(ta[k]->n, tb[k]->n);
		for (size_t i = 0; i < ta[k]->n; i++) {
			ck_assert_uint_eq(ta[k]->v[i].name, tb[k]->v[i].name);
			ck_assert_uint_eq(ta[k]->v[i].total, tb[k]->v[i].total);
			ck_assert_uint_eq(ta[k]->v[i].self, tb[k]->v[i].self);
		}
	}
	for (uint32_t id = 0; id < 8; id++)
		ck_assert_uint_eq(id < a.self_cap ? a.self[id] : 0, id < b.self_cap ? b.self[id] : 0);
	tk_profile_release(&a);
	tk_profile_release(&b);
}
END_TEST

START_TEST(test_profile_add)
{
	struct tk_profile p;
	tk_profile_init(&p);
	static const uint32_t a[] = { 4, 2, 9 }, b[] = { 4 }, c[] = { 2, 4 };
	tk_profile_add(&p, a, 0, 0, 0, NULL); /* n = 0: nothing */
	ck_assert_uint_eq(p.bottom_up.v[0].total, 0);
	ck_assert_uint_eq(p.top_down.v[0].total, 0);
	ck_assert_uint_eq(p.bottom_up.n, 1);
	for (size_t i = 0; i < p.self_cap; i++)
		ck_assert_uint_eq(p.self[i], 0);
	tk_profile_add(&p, a, 3, 0, 0, NULL);
	tk_profile_add(&p, b, 1, 0, 0, NULL);
	tk_profile_add(&p, c, 2, 0, 0, NULL);
	ck_assert_uint_ge(p.self_cap, 10);
	ck_assert_uint_eq(p.self[4], 2); /* path[0] gets the self tick */
	ck_assert_uint_eq(p.self[2], 1);
	ck_assert_uint_eq(p.self[9], 0);
	ck_assert_uint_eq(p.self[0], 0);
	/* bottom-up: innermost first; top-down: outermost first */
	static const uint32_t bu[] = { 4, 2, 9 }, td[] = { 9, 2, 4 }, td2[] = { 4, 2 };
	uint32_t n = walk(&p.bottom_up, bu, 3);
	ck_assert_uint_ne(n, 0);
	ck_assert_uint_eq(p.bottom_up.v[n].self, 1);
	ck_assert_uint_eq(p.bottom_up.v[walk(&p.bottom_up, bu, 1)].total, 2);
	n = walk(&p.top_down, td, 3);
	ck_assert_uint_ne(n, 0);
	ck_assert_uint_eq(p.top_down.v[n].self, 1);
	ck_assert_uint_eq(p.top_down.v[walk(&p.top_down, td2, 2)].self, 1); /* c reversed */
	ck_assert_uint_eq(p.bottom_up.v[0].total, 3);
	ck_assert_uint_eq(p.top_down.v[0].total, 3);
	/* counters are the caller's: tk_profile_add leaves them alone */
	ck_assert_uint_eq(p.total, 0);
	ck_assert_uint_eq(p.unaccounted, 0);
	check_tree(&p.bottom_up);
	check_tree(&p.top_down);
	tk_profile_release(&p);
}
END_TEST

START_TEST(test_profile_self_large_ids)
{
	struct tk_profile p;
	tk_profile_init(&p);
	static const uint32_t ids[] = { 3, 100000, 17, 100000, 1000000, 3 };
	for (size_t i = 0; i < sizeof ids / sizeof *ids; i++)
		tk_profile_add(&p, &ids[i], 1, 0, 0, NULL);
	ck_assert_uint_gt(p.self_cap, 1000000);
	uint64_t sum = 0;
	for (size_t i = 0; i < p.self_cap; i++)
		sum += p.self[i]; /* growth zeroes the new slots */
	ck_assert_uint_eq(sum, 6);
	ck_assert_uint_eq(p.self[3], 2);
	ck_assert_uint_eq(p.self[100000], 2);
	ck_assert_uint_eq(p.self[1000000], 1);
	tk_profile_release(&p);
}
END_TEST

START_TEST(test_why_libs_many)
{
	/* library-level ticks of 10^5 libraries, two reasons each, three
	 * ticks each: counted apart, in first-seen order, O(1) probes each
	 * (a linear scan per tick before) */
	enum { N = 100000 };
	struct tk_profile p;
	tk_profile_init(&p);
	for (int round = 0; round < 3; round++)
		for (uint32_t i = 0; i < N; i++) {
			tk_profile_add_why_lib(&p, i + 1, TK_WHY_LIB_MISSING);
			tk_profile_add_why_lib(&p, i + 1, TK_WHY_NO_SYMBOL);
		}
	ck_assert_uint_eq(p.n_why_libs, 2 * N);
	for (uint32_t i = 0; i < 2 * N; i++) {
		ck_assert_uint_eq(p.why_libs[i].name, i / 2 + 1);
		ck_assert_uint_eq(p.why_libs[i].why, i % 2 ? TK_WHY_NO_SYMBOL : TK_WHY_LIB_MISSING);
		ck_assert_uint_eq(p.why_libs[i].ticks, 3);
	}
	ck_assert_msg(p.why_idx.probes < 6ull * N * 4, "probes %llu", (unsigned long long)p.why_idx.probes);
	tk_profile_release(&p);
}
END_TEST

START_TEST(test_entries)
{
	struct tk_profile p;
	tk_profile_init(&p);
	static const uint32_t seq[] = { 7, 7, 2, 40000, 7 };
	for (size_t i = 0; i < sizeof seq / sizeof *seq; i++)
		tk_profile_add_entry(&p, seq[i]);
	ck_assert_uint_eq(p.entry_total, 5);
	ck_assert_uint_eq(p.entry[7], 3);
	ck_assert_uint_eq(p.entry[2], 1);
	ck_assert_uint_eq(p.entry[40000], 1);
	uint64_t sum = 0;
	for (size_t i = 0; i < p.entry_cap; i++)
		sum += p.entry[i];
	ck_assert_uint_eq(sum, 5);
	ck_assert_uint_eq(p.self_cap, 0); /* entries are not self ticks */
	tk_profile_release(&p);
}
END_TEST


/* the path from the root to node (names, root first) into out; its length */
static size_t path_of(const struct tk_tree *t, uint32_t node, uint32_t *out, size_t cap)
{
	size_t n = 0;
	for (uint32_t i = node; i && n < cap; i = t->v[i].parent)
		out[n++] = t->v[i].name;
	for (size_t a = 0, b = n ? n - 1 : 0; a < b; a++, b--) {
		uint32_t x = out[a];
		out[a] = out[b];
		out[b] = x;
	}
	return n;
}

/* every node of want is in got with the same counts, and no other */
static void same_tree(const struct tk_tree *want, const struct tk_tree *got)
{
	uint32_t path[64];
	check_tree(got);
	ck_assert_uint_eq(got->n, want->n);
	for (uint32_t i = 0; i < want->n; i++) {
		size_t n = path_of(want, i, path, 64);
		uint32_t g = walk(got, path, n);
		if ((i && !g) || got->v[g].total != want->v[i].total || got->v[g].self != want->v[i].self)
			ck_abort_msg("node %u: in the merge %u, total %llu/%llu", i, g,
				     (unsigned long long)got->v[g].total, (unsigned long long)want->v[i].total);
	}
}

/* logs A and B merged into an empty profile = one profile of every tick */
START_TEST(test_profile_merge)
{
	struct tk_profile a, b, all, m;
	tk_profile_init(&a);
	tk_profile_init(&b);
	tk_profile_init(&all);
	tk_profile_init(&m);
	uint32_t seed = 12345, path[8], leaves[2];
	for (int t = 0; t < 3000; t++) {
		seed = seed * 1103515245u + 12345u;
		size_t n = (seed >> 8) % 7; /* 0: a tick with no frame */
		for (size_t k = 0; k < n; k++) {
			seed = seed * 1103515245u + 12345u;
			path[k] = (seed >> 10) % 9 + (t % 5 == 0 ? 300 : 0); /* large ids in a few */
		}
		struct tk_profile *one = t < 1800 ? &a : &b;
		/* B numbers VM state 2 as 5 (another V8): the map puts it back */
		uint32_t state = (uint32_t)(t % 4), bstate = state == 2 && one == &b ? 5 : state;
		tk_profile_add(one, path, n, (uint64_t)t * 10 + (one == &b ? 7 : 0), bstate, leaves);
		tk_profile_add(&all, path, n, (uint64_t)t * 10 + (one == &b ? 7 : 0), state, leaves);
		one->states[bstate]++;
		all.states[state]++;
		one->total++;
		all.total++;
		if (t % 7 == 0) {
			tk_profile_add_why(one, TK_WHY_NO_SYMBOL, (uint32_t)(t % 3));
			tk_profile_add_why(&all, TK_WHY_NO_SYMBOL, (uint32_t)(t % 3));
			tk_profile_add_entry(one, (uint32_t)(t % 11));
			tk_profile_add_entry(&all, (uint32_t)(t % 11));
		}
		if (t % 13 == 0) {
			tk_profile_add_unaccounted(one);
			tk_profile_add_unaccounted(&all);
		}
	}
	a.have_time = b.have_time = all.have_time = 1;
	a.first_time = 3, a.last_time = 100, b.first_time = 1, b.last_time = 50;
	tk_profile_finish(&a);
	tk_profile_finish(&b);
	tk_profile_finish(&all);
	int id[TK_VM_STATES], bmap[TK_VM_STATES];
	for (int k = 0; k < TK_VM_STATES; k++)
		id[k] = bmap[k] = k;
	bmap[5] = 2;
	tk_profile_merge(&m, &a, id);
	tk_profile_merge(&m, &b, bmap);
	same_tree(&all.top_down, &m.top_down);
	same_tree(&all.bottom_up, &m.bottom_up);
	ck_assert_uint_eq(m.total, 3000);
	ck_assert_uint_eq(m.unaccounted, all.unaccounted);
	ck_assert_uint_eq(m.entry_total, all.entry_total);
	for (int k = 0; k < TK_VM_STATES; k++)
		ck_assert_uint_eq(m.states[k], all.states[k]);
	ck_assert_uint_eq(m.states[5], 0);
	for (size_t i = 0; i < all.self_cap || i < m.self_cap; i++)
		ck_assert_uint_eq(i < m.self_cap ? m.self[i] : 0, i < all.self_cap ? all.self[i] : 0);
	for (size_t i = 0; i < all.entry_cap; i++)
		ck_assert_uint_eq(i < m.entry_cap ? m.entry[i] : 0, all.entry[i]);
	ck_assert_uint_eq(m.why[TK_WHY_NO_SYMBOL], all.why[TK_WHY_NO_SYMBOL]);
	ck_assert_uint_eq(m.n_why_libs, 3);
	for (size_t i = 0; i < m.n_why_libs; i++)
		for (size_t j = 0; j < all.n_why_libs; j++)
			if (all.why_libs[j].name == m.why_libs[i].name)
				ck_assert_uint_eq(m.why_libs[i].ticks, all.why_libs[j].ticks);
	ck_assert(m.have_time);
	ck_assert_uint_eq(m.first_time, 1);
	ck_assert_uint_eq(m.last_time, 100);
	tk_profile_release(&a);
	tk_profile_release(&b);
	tk_profile_release(&all);
	tk_profile_release(&m);
}
END_TEST

#define N_OF(a) ((int)(sizeof(a) / sizeof *(a)))

Suite *tk_suite_profile(void)
{
	Suite *s = suite_create("profile");
	TCase *tc = tcase_create("tree");
	tcase_add_loop_test(tc, test_tree, 0, N_OF(tree_cases));
	tcase_add_test(tc, test_tree_children);
	tcase_add_test(tc, test_why_libs_many);
	tcase_add_test(tc, test_tree_many_paths);
	tcase_set_timeout(tc, 60);
	suite_add_tcase(s, tc);
	tc = tcase_create("profile");
	tcase_add_test(tc, test_profile_add);
	tcase_add_test(tc, test_profile_replay);
	tcase_add_test(tc, test_profile_self_large_ids);
	tcase_add_test(tc, test_entries);
	tcase_add_test(tc, test_profile_merge);
	suite_add_tcase(s, tc);
	return s;
}
