/* codemap: half-open ranges, the overlap rule, move/delete, and a
 * randomized comparison with a brute-force model of the same rule. */
#include <stdlib.h>
#include <string.h>
#include "model/codemap.h"
#include "suites.h"

START_TEST(test_half_open)
{
	static const struct { uint64_t addr; int hit; } probes[] = {
		{ 0xfff, 0 }, { 0x1000, 1 }, { 0x1001, 1 }, { 0x10ff, 1 }, { 0x1100, 0 }, { 0, 0 },
		{ UINT64_MAX, 0 },
	};
	struct tk_codemap m;
	tk_codemap_init(&m);
	ck_assert_ptr_null(tk_codemap_find(&m, 0x1000)); /* empty map */
	struct tk_code *e = tk_codemap_add(&m, 0x1000, 0x100);
	ck_assert_uint_eq(e->start, 0x1000);
	ck_assert_uint_eq(e->size, 0x100);
	ck_assert_ptr_null(e->type);  /* fresh entries are zeroed */
	ck_assert_int_eq(e->is_func, 0);
	ck_assert_uint_eq(m.tree.count, 1);
	for (size_t i = 0; i < sizeof probes / sizeof *probes; i++) {
		/* twice: once through the tree, once through the last-hit cache */
		for (int k = 0; k < 2; k++) {
			struct tk_code *f = tk_codemap_find(&m, probes[i].addr);
			ck_assert_msg((f == e) == probes[i].hit, "addr 0x%llx", (unsigned long long)probes[i].addr);
		}
	}
	ck_assert_ptr_eq(tk_codemap_at(&m, 0x1000), e);
	ck_assert_ptr_null(tk_codemap_at(&m, 0x1001));
	ck_assert_ptr_null(tk_codemap_at(&m, 0xfff));
	tk_codemap_release(&m);
}
END_TEST

/* Overlap rule: initial entries, one add, the starts that must remain
 * (the new entry included) and probes with the start they must find
 * (NONE = miss). Probes run in order on a map without earlier lookups
 * (see test_find_independent_of_cache for why the order matters). */
#define NONE UINT64_MAX
static const struct {
	const char *what;
	uint64_t init[4][2];
	int ninit;
	uint64_t add[2];
	uint64_t keep[5];
	int nkeep;
	uint64_t probe[3][2];
} overlap_cases[] = {
	{ "over the middle of two", { { 100, 100 }, { 200, 100 } }, 2, { 150, 100 }, { 150 }, 1,
	  { { 120, NONE }, { 260, NONE }, { 249, 150 } } },
	{ "starts before, overlaps", { { 100, 100 } }, 1, { 150, 10 }, { 150 }, 1,
	  { { 120, NONE }, { 155, 150 }, { 170, NONE } } },
	{ "starts inside the new range", { { 100, 100 } }, 1, { 50, 60 }, { 50 }, 1,
	  { { 150, NONE }, { 109, 50 }, { 110, NONE } } },
	{ "covers three", { { 100, 100 }, { 200, 100 }, { 300, 100 } }, 3, { 150, 200 }, { 150 }, 1,
	  { { 399, NONE }, { 349, 150 }, { 350, NONE } } },
	{ "swallows many", { { 100, 10 }, { 120, 10 }, { 140, 10 }, { 900, 10 } }, 4, { 0, 1000 }, { 0 }, 1,
	  { { 905, 0 } } },
	{ "adjacent after", { { 100, 100 }, { 200, 100 } }, 2, { 300, 100 }, { 100, 200, 300 }, 3,
	  { { 299, 200 }, { 300, 300 } } },
	{ "adjacent before", { { 100, 100 } }, 1, { 0, 100 }, { 0, 100 }, 2,
	  { { 99, 0 }, { 100, 100 } } },
	{ "fills a gap exactly", { { 100, 100 }, { 300, 100 } }, 2, { 200, 100 }, { 100, 200, 300 }, 3,
	  { { 199, 100 }, { 200, 200 }, { 399, 300 } } },
	{ "same start replaces", { { 100, 100 } }, 1, { 100, 100 }, { 100 }, 1, { { 150, 100 } } },
	{ "same start, smaller", { { 100, 100 }, { 200, 10 } }, 2, { 100, 50 }, { 100, 200 }, 2,
	  { { 160, NONE }, { 149, 100 }, { 205, 200 } } },
	{ "same start, larger", { { 100, 100 }, { 200, 10 } }, 2, { 100, 150 }, { 100 }, 1,
	  { { 205, 100 }, { 249, 100 }, { 250, NONE } } },
	{ "one byte at the end of an entry", { { 100, 100 } }, 1, { 199, 1 }, { 199 }, 1,
	  { { 150, NONE }, { 199, 199 } } },
	/* zero-size code covers nothing and never enters the map: it only
	 * replaces what starts exactly there (codemap.h) */
	{ "zero size inside", { { 100, 100 } }, 1, { 150, 0 }, { 100 }, 1,
	  { { 99, NONE }, { 100, 100 }, { 160, 100 } } },
	{ "zero size does not shield the one before", { { 100, 100 }, { 150, 0 } }, 2, { 170, 10 },
	  { 170 }, 1, { { 175, 170 }, { 185, NONE }, { 120, NONE } } },
	{ "zero size at the new start", { { 100, 100 }, { 150, 0 } }, 2,
	  { 150, 10 }, { 150 }, 1, { { 155, 150 }, { 165, NONE }, { 120, NONE } } },
	{ "zero size inside the new range", { { 150, 0 } }, 1, { 100, 100 }, { 100 }, 1,
	  { { 160, 100 } } },
	{ "zero size replaces what starts there", { { 100, 10 } }, 1, { 100, 0 }, { 0 }, 0,
	  { { 105, NONE } } },
};

START_TEST(test_overlap)
{
	struct tk_codemap m;
	tk_codemap_init(&m);
	for (int i = 0; i < overlap_cases[_i].ninit; i++)
		tk_codemap_add(&m, overlap_cases[_i].init[i][0], overlap_cases[_i].init[i][1]);
	const uint64_t *a = overlap_cases[_i].add;
	struct tk_code *e = tk_codemap_add(&m, a[0], a[1]);
	ck_assert_ptr_eq(tk_codemap_at(&m, a[0]), a[1] ? e : NULL);
	ck_assert_uint_eq(e->size, a[1]);
	ck_assert_msg(m.tree.count == (size_t)overlap_cases[_i].nkeep, "%s: %zu entries", overlap_cases[_i].what,
		      m.tree.count);
	for (int k = 0; k < overlap_cases[_i].nkeep; k++)
		ck_assert_msg(tk_codemap_at(&m, overlap_cases[_i].keep[k]) != NULL, "%s: %llu removed",
			      overlap_cases[_i].what, (unsigned long long)overlap_cases[_i].keep[k]);
	for (int k = 0; k < 3; k++) {
		uint64_t addr = overlap_cases[_i].probe[k][0], want = overlap_cases[_i].probe[k][1];
		if (addr == 0 && want == 0 && k > 0)
			break;
		struct tk_code *f = tk_codemap_find(&m, addr);
		if (want == NONE)
			ck_assert_msg(f == NULL, "%s: %llu found", overlap_cases[_i].what, (unsigned long long)addr);
		else
			ck_assert_msg(f && f->start == want, "%s: %llu -> %lld", overlap_cases[_i].what,
				      (unsigned long long)addr, f ? (long long)f->start : -1LL);
	}
	tk_codemap_release(&m);
}
END_TEST

START_TEST(test_move_delete)
{
	struct tk_codemap m;
	tk_codemap_init(&m);
	struct tk_code *a = tk_codemap_add(&m, 0x1000, 0x100);
	struct tk_code *b = tk_codemap_add(&m, 0x3000, 0x100);
	a->tier = 5;
	ck_assert_ptr_eq(tk_codemap_find(&m, 0x1010), a); /* warm the cache */
	/* to a free range: same entry, new place, old place empty */
	ck_assert_int_eq(tk_codemap_move(&m, 0x1000, 0x2000), 0);
	ck_assert_ptr_null(tk_codemap_find(&m, 0x1010));
	ck_assert_ptr_null(tk_codemap_at(&m, 0x1000));
	ck_assert_ptr_eq(tk_codemap_find(&m, 0x2010), a);
	ck_assert_uint_eq(a->start, 0x2000);
	ck_assert_uint_eq(a->size, 0x100);
	ck_assert_int_eq(a->tier, 5);
	/* onto an overlapping range: the victim goes */
	ck_assert_int_eq(tk_codemap_move(&m, 0x2000, 0x2f80), 0);
	ck_assert_ptr_null(tk_codemap_at(&m, 0x3000));
	ck_assert_ptr_eq(tk_codemap_find(&m, 0x307f), a);
	ck_assert_ptr_null(tk_codemap_find(&m, 0x3080));
	ck_assert_uint_eq(m.tree.count, 1);
	(void)b;
	/* unknown source, also a start that is only inside an entry */
	ck_assert_int_eq(tk_codemap_move(&m, 0x9999, 0x5000), -1);
	ck_assert_int_eq(tk_codemap_move(&m, 0x2f81, 0x5000), -1);
	ck_assert_ptr_eq(tk_codemap_at(&m, 0x2f80), a);
	/* onto itself, and onto an overlapping part of its own range */
	ck_assert_int_eq(tk_codemap_move(&m, 0x2f80, 0x2f80), 0);
	ck_assert_int_eq(tk_codemap_move(&m, 0x2f80, 0x2fc0), 0);
	ck_assert_ptr_eq(tk_codemap_find(&m, 0x30bf), a);
	ck_assert_uint_eq(m.tree.count, 1);
	/* delete: exact start only */
	ck_assert_int_eq(tk_codemap_delete(&m, 0x2fc1), -1);
	ck_assert_ptr_eq(tk_codemap_find(&m, 0x2fc1), a);
	ck_assert_int_eq(tk_codemap_delete(&m, 0x2fc0), 0);
	ck_assert_ptr_null(tk_codemap_find(&m, 0x2fc1));
	ck_assert_int_eq(tk_codemap_delete(&m, 0x2fc0), -1);
	ck_assert_uint_eq(m.tree.count, 0);
	/* entries are recycled: the map keeps working */
	for (uint64_t i = 0; i < 1000; i++)
		tk_codemap_add(&m, 0x10000 + i * 0x10, 0x10);
	ck_assert_uint_eq(m.tree.count, 1000);
	ck_assert_uint_eq(tk_codemap_find(&m, 0x10000 + 500 * 0x10 + 3)->start, 0x10000 + 500 * 0x10);
	tk_codemap_release(&m);
}
END_TEST

/* Regression: tk_codemap_find's answer must not depend on earlier lookups
 * (the last-hit cache). It did while zero-size entries sat in the map
 * inside other code: add [100,200); add [150,+0); find(160) gave NULL
 * cold and the entry at 100 after a find(120). */
START_TEST(test_find_independent_of_cache)
{
	long long got[2]; /* start of the entry found, -1 for none */
	for (int warm = 0; warm < 2; warm++) {
		struct tk_codemap m;
		tk_codemap_init(&m);
		tk_codemap_add(&m, 100, 100);
		if (warm)
			ck_assert_uint_eq(tk_codemap_find(&m, 120)->start, 100);
		tk_codemap_add(&m, 150, 0);
		struct tk_code *f = tk_codemap_find(&m, 160);
		got[warm] = f ? (long long)f->start : -1;
		tk_codemap_release(&m);
	}
	ck_assert_msg(got[0] == got[1], "find(160) = entry at %lld without a find(120) before, %lld with one",
		      got[0], got[1]);
}
END_TEST

/* ---- randomized comparison with a brute-force model ------------------- */

struct ment {
	uint64_t start, size;
	struct tk_code *code;
};

struct model {
	struct ment v[4096];
	int n;
};

static int m_le(const struct model *md, uint64_t a)
{
	int best = -1;
	for (int i = 0; i < md->n; i++)
		if (md->v[i].start <= a && (best < 0 || md->v[i].start > md->v[best].start))
			best = i;
	return best;
}

static int m_at(const struct model *md, uint64_t s)
{
	for (int i = 0; i < md->n; i++)
		if (md->v[i].start == s)
			return i;
	return -1;
}

static void m_del(struct model *md, int i)
{
	md->v[i] = md->v[--md->n];
}

/* codemap.c's rule, literally: walk down from the last byte through
 * predecessors, removing what overlaps; stop at the first non-empty
 * entry starting at or before start (zero-size ones are stepped over). */
static void m_remove_overlaps(struct model *md, uint64_t start, uint64_t size)
{
	if (size == 0)
		return;
	uint64_t end = start + size, a = end - 1;
	for (;;) {
		int i = m_le(md, a);
		if (i < 0)
			break;
		uint64_t key = md->v[i].start;
		if (key < end && start < key + md->v[i].size)
			m_del(md, i);
		if (key <= start && md->v[i].size)
			break;
		a = key - 1;
	}
}

static struct tk_code *m_find(const struct model *md, uint64_t addr)
{
	int i = m_le(md, addr);
	return i >= 0 && addr - md->v[i].start < md->v[i].size ? md->v[i].code : NULL;
}

static uint64_t rng_state;
static uint64_t rnd(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return rng_state;
}

/* Row: zero-size entries allowed (they exercise the stepping-over rule);
 * cold: forget the last-hit cache before each lookup, to check the rule
 * on its own despite the cache bug above. */
static const struct {
	int zero_sizes, cold;
	uint64_t seed;
} random_cases[] = {
	{ 0, 0, 0x9e3779b97f4a7c15ull },
	{ 0, 0, 12345 },
	{ 1, 1, 0x9e3779b97f4a7c15ull },
	{ 1, 1, 777 },
	{ 1, 0, 0x9e3779b97f4a7c15ull }, /* regression: the cache bug above */
};

START_TEST(test_random_vs_model)
{
	static struct model md;
	struct tk_codemap m;
	tk_codemap_init(&m);
	md.n = 0;
	rng_state = random_cases[_i].seed;
	const uint64_t space = 1 << 20;
	for (int op = 0; op < 20000; op++) {
		uint64_t r = rnd() % 100;
		uint64_t s = rnd() % space;
		if (md.n > 0 && rnd() % 10 < 7)
			s = md.v[rnd() % (uint64_t)md.n].start; /* mostly existing starts */
		if (r < 40 && md.n < 4000) {
			uint64_t size = 1 + rnd() % 4096;
			if (random_cases[_i].zero_sizes && rnd() % 8 == 0)
				size = 0;
			if (rnd() % 2)
				s = rnd() % space;
			struct tk_code *c = tk_codemap_add(&m, s, size);
			m_remove_overlaps(&md, s, size);
			int k = m_at(&md, s);
			if (k >= 0)
				m_del(&md, k);
			if (size) /* zero-size code never enters the map */
				md.v[md.n++] = (struct ment){ s, size, c };
		} else if (r < 55) {
			uint64_t to = rnd() % space;
			int k = m_at(&md, s);
			int got = tk_codemap_move(&m, s, to);
			ck_assert_int_eq(got, k < 0 ? -1 : 0);
			if (k >= 0) {
				struct ment e = md.v[k];
				m_del(&md, k);
				m_remove_overlaps(&md, to, e.size);
				int j = m_at(&md, to);
				if (j >= 0)
					m_del(&md, j);
				e.start = to;
				md.v[md.n++] = e;
				ck_assert_uint_eq(e.code->start, to);
			}
		} else if (r < 65) {
			int k = m_at(&md, s);
			ck_assert_int_eq(tk_codemap_delete(&m, s), k < 0 ? -1 : 0);
			if (k >= 0)
				m_del(&md, k);
		} else {
			/* lookups near entries: starts, ends, just past */
			for (int t = 0; t < 4; t++) {
				uint64_t addr = rnd() % space;
				if (md.n > 0 && t > 0) {
					const struct ment *e = &md.v[rnd() % (uint64_t)md.n];
					addr = t == 1 ? e->start : t == 2 ? e->start + e->size - 1 : e->start + e->size;
				}
				if (random_cases[_i].cold)
					m.last = NULL;
				struct tk_code *want = m_find(&md, addr), *got = tk_codemap_find(&m, addr);
				ck_assert_msg(got == want, "op %d: find(%llu) = %lld, model %lld", op,
					      (unsigned long long)addr, got ? (long long)got->start : -1LL,
					      want ? (long long)want->start : -1LL);
			}
			int k = m_at(&md, s);
			ck_assert_ptr_eq(tk_codemap_at(&m, s), k < 0 ? NULL : md.v[k].code);
		}
		ck_assert_uint_eq(m.tree.count, (size_t)md.n);
	}
	/* every model entry is there with its range; without zero sizes no
	 * two entries overlap */
	for (int i = 0; i < md.n; i++) {
		struct tk_code *c = tk_codemap_at(&m, md.v[i].start);
		ck_assert_ptr_eq(c, md.v[i].code);
		ck_assert_uint_eq(c->size, md.v[i].size);
		if (!random_cases[_i].zero_sizes)
			for (int j = 0; j < md.n; j++)
				ck_assert(i == j || md.v[j].start >= md.v[i].start + md.v[i].size ||
					  md.v[i].start >= md.v[j].start + md.v[j].size);
	}
	ck_assert_int_gt(md.n, 50);
	tk_codemap_release(&m);
}
END_TEST

/* A log cannot shape the treap: code created in the order of the
 * priorities a fixed seed (the one used before) would give, at addresses
 * ranked by them, made it a list (height N, quadratic time, recursion N
 * deep); with a seed per run the height stays logarithmic. */
START_TEST(test_adversarial_order)
{
	enum { N = 20000 };
	static uint32_t prio[N], rank[N], order[N];
	uint32_t x = 2463534242u;
	for (uint32_t i = 0; i < N; i++) {
		x ^= x << 13;
		x ^= x >> 17;
		x ^= x << 5;
		prio[i] = x;
		order[i] = i;
	}
	/* order: the indices sorted by priority (a Shell sort) */
	for (uint32_t gap = N / 2; gap; gap /= 2)
		for (uint32_t i = gap; i < N; i++)
			for (uint32_t j = i; j >= gap && prio[order[j - gap]] > prio[order[j]]; j -= gap) {
				uint32_t t = order[j];
				order[j] = order[j - gap];
				order[j - gap] = t;
			}
	for (uint32_t r = 0; r < N; r++)
		rank[order[r]] = r;
	struct tk_codemap m;
	tk_codemap_init(&m);
	for (uint32_t i = 0; i < N; i++)
		tk_codemap_add(&m, 0x10000 + (uint64_t)rank[i] * 0x100, 0x100);
	size_t h = tk_codemap_height(&m);
	ck_assert_msg(h < 100, "height %zu for %d entries", h, N);
	ck_assert_uint_eq(tk_codemap_find(&m, 0x10000 + 77 * 0x100 + 5)->start, 0x10000 + 77 * 0x100);
	tk_codemap_release(&m);
	/* two maps get different seeds (drawn at the first add) */
	struct tk_codemap a, b;
	tk_codemap_init(&a);
	tk_codemap_init(&b);
	tk_codemap_add(&a, 0x1000, 0x10);
	tk_codemap_add(&b, 0x1000, 0x10);
	ck_assert_uint_ne(a.tree.seed, b.tree.seed);
	ck_assert_uint_ne(a.tree.seed, 0);
	tk_codemap_release(&a);
	tk_codemap_release(&b);
}
END_TEST

#define N_OF(a) ((int)(sizeof(a) / sizeof *(a)))

Suite *tk_suite_codemap(void)
{
	Suite *s = suite_create("codemap");
	TCase *tc = tcase_create("rules");
	tcase_add_test(tc, test_half_open);
	tcase_add_loop_test(tc, test_overlap, 0, N_OF(overlap_cases));
	tcase_add_test(tc, test_move_delete);
	tcase_add_test(tc, test_find_independent_of_cache);
	tcase_add_test(tc, test_adversarial_order);
	suite_add_tcase(s, tc);
	tc = tcase_create("random");
	tcase_add_loop_test(tc, test_random_vs_model, 0, N_OF(random_cases));
	tcase_set_timeout(tc, 60);
	suite_add_tcase(s, tc);
	return s;
}
