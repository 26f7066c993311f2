/* elfsort: the candidates of elfsymtab in order: a radix sort of 8-byte
 * keys where the starts allow it (an in-place quicksort where not), the
 * merge of a new tail into a sorted front, and the read of a large table
 * in two halves, the first on a worker thread (tk_loader_threads).
 *
 * Order: (start, idx); idx is the order of reading, so equal starts keep
 * it and every way of sorting gives the same result. */
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include "symbols/elfsym_int.h"
#include "symbols/loader.h"

static int cand_lt(const struct cand *a, const struct cand *b)
{
	return a->start < b->start || (a->start == b->start && a->idx < b->idx);
}

static void sift(struct cand *v, size_t root, size_t n)
{
	for (;;) {
		size_t c = 2 * root + 1;
		if (c >= n)
			return;
		if (c + 1 < n && cand_lt(&v[c], &v[c + 1]))
			c++;
		if (!cand_lt(&v[root], &v[c]))
			return;
		struct cand t = v[root];
		v[root] = v[c];
		v[c] = t;
		root = c;
	}
}

/* In place (a second buffer of candidates is megabytes): quicksort by
 * (start, idx), keys unique, heapsort when the recursion goes deep. */
static void sort_range(struct cand *v, size_t n, int depth)
{
	while (n > 16) {
		if (depth-- == 0) {
			for (size_t i = n / 2; i-- > 0;)
				sift(v, i, n);
			for (size_t i = n - 1; i > 0; i--) {
				struct cand t = v[0];
				v[0] = v[i];
				v[i] = t;
				sift(v, 0, i);
			}
			return;
		}
		size_t m = n / 2;
		/* median of three to v[0] */
		if (cand_lt(&v[m], &v[0])) {
			struct cand t = v[m]; v[m] = v[0]; v[0] = t;
		}
		if (cand_lt(&v[n - 1], &v[m])) {
			struct cand t = v[n - 1]; v[n - 1] = v[m]; v[m] = t;
			if (cand_lt(&v[m], &v[0])) {
				t = v[m]; v[m] = v[0]; v[0] = t;
			}
		}
		struct cand t = v[m]; v[m] = v[0]; v[0] = t;
		size_t i = 0, j = n;
		for (;;) {
			while (cand_lt(&v[++i], &v[0]) && i < n - 1)
				;
			while (cand_lt(&v[0], &v[--j]))
				;
			if (i >= j)
				break;
			t = v[i]; v[i] = v[j]; v[j] = t;
		}
		t = v[0]; v[0] = v[j]; v[j] = t;
		/* recurse on the smaller part */
		if (j < n - j - 1) {
			sort_range(v, j, depth);
			v += j + 1;
			n -= j + 1;
		} else {
			sort_range(v + j + 1, n - j - 1, depth);
			n = j;
		}
	}
	for (size_t i = 1; i < n; i++) {
		struct cand x = v[i];
		size_t j = i;
		for (; j > 0 && cand_lt(&x, &v[j - 1]); j--)
			v[j] = v[j - 1];
		v[j] = x;
	}
}

/* Bits needed for x. */
static unsigned bits_of(uint64_t x)
{
	unsigned b = 0;
	while (x >> b)
		b++;
	return b;
}

/* Sorts v[0..n) by (start, idx) through a radix sort of 8-byte keys,
 * (start - min) above the position, then moves the candidates into place
 * along the cycles of the permutation; 0 when it cannot: the starts span
 * too much to share a key with the position, or idx does not rise with
 * the position (then the position would not break ties as idx does). */
static int radix_sort(struct cand *v, size_t n)
{
	uint64_t lo = v[0].start, hi = v[0].start;
	for (size_t i = 1; i < n; i++) {
		if (v[i].idx <= v[i - 1].idx)
			return 0;
		lo = v[i].start < lo ? v[i].start : lo;
		hi = v[i].start > hi ? v[i].start : hi;
	}
	unsigned pb = bits_of(n - 1), sb = bits_of(hi - lo);
	if (pb + sb >= 64)
		return 0;
	uint64_t *k = tk_xmalloc(2 * n * sizeof *k), *t = k + n;
	uint64_t pmask = pb ? ~(uint64_t)0 >> (64 - pb) : 0;
	for (size_t i = 0; i < n; i++)
		k[i] = ((v[i].start - lo) << pb) | i;
	enum { RB = 11, RN = 1 << RB };
	size_t *cnt = tk_xmalloc(RN * sizeof *cnt);
	/* LSD passes are stable and the keys start in position order, so
	 * the position bits need no pass of their own: equal starts keep
	 * it (node: 3 passes over its 27 start bits, not 4 over 44) */
	for (unsigned sh = pb; sh < pb + sb; sh += RB) {
		memset(cnt, 0, RN * sizeof *cnt);
		for (size_t i = 0; i < n; i++)
			cnt[(k[i] >> sh) & (RN - 1)]++;
		size_t sum = 0;
		for (size_t d = 0; d < RN; d++) {
			size_t c = cnt[d];
			cnt[d] = sum;
			sum += c;
		}
		for (size_t i = 0; i < n; i++)
			t[cnt[(k[i] >> sh) & (RN - 1)]++] = k[i];
		uint64_t *x = k;
		k = t;
		t = x;
	}
	free(cnt);
	/* slot i wants the candidate at position k[i] & pmask; a slot done
	 * is marked by a key of all ones (no real key: pb + sb < 64) */
	for (size_t i = 0; i < n; i++) {
		if (k[i] == ~(uint64_t)0 || (size_t)(k[i] & pmask) == i)
			continue;
		struct cand tmp = v[i];
		size_t j = i;
		for (;;) {
			size_t from = (size_t)(k[j] & pmask);
			k[j] = ~(uint64_t)0;
			if (from == i) {
				v[j] = tmp;
				break;
			}
			v[j] = v[from];
			j = from;
		}
	}
	free(k < t ? k : t);
	return 1;
}

void tk_elfsym_sort(struct cand *v, size_t n, size_t sorted)
{
	if (n == 0)
		return;   /* v may be NULL: no v + 0 */
	if (sorted > n)
		sorted = n;
	if (n - sorted < 256 || !radix_sort(v + sorted, n - sorted))
		sort_range(v + sorted, n - sorted, 2 * 64);
	if (sorted == 0 || sorted == n || cand_lt(&v[sorted - 1], &v[sorted]))
		return;
	/* merge the (usually short) new tail into the sorted front, from the
	 * back, with a copy of the tail only */
	size_t nt = n - sorted;
	struct cand *t = tk_xmalloc(nt * sizeof *t);
	memcpy(t, v + sorted, nt * sizeof *t);
	size_t i = sorted, j = nt, k = n;
	while (j > 0) {
		if (i > 0 && cand_lt(&t[j - 1], &v[i - 1]))
			v[--k] = v[--i];
		else
			v[--k] = t[--j];
	}
	free(t);
}

/* Below this many entries a table is read on the caller alone (a thread
 * costs more than the half it would take over). */
#define SPLIT_MIN 32768

struct half {
	struct tk_symtab_read r;
	struct candv cv;
};

static void read_half(void *p)
{
	struct half *h = p;
	tk_elfsym_read_table(&h->r, &h->cv);
	tk_elfsym_sort(h->cv.v, h->cv.n, 0);
}

void tk_elfsym_read_sorted(const struct tk_symtab_read *r, struct candv *cv)
{
	size_t esz = gelf_fsize(r->elf, ELF_T_SYM, 1, EV_CURRENT);
	size_t count = esz ? r->sh->sh_size / esz : 0;
	if (tk_loader_threads() < 2 || count < SPLIT_MIN || r->from || r->to || count > INT_MAX || cv->n) {
		tk_elfsym_read_table(r, cv);
		tk_elfsym_sort(cv->v, cv->n, 0);
		return;
	}
	/* Entries [0, mid) on a worker, [mid, count) here: the candidates of
	 * the second half follow those of the first in reading order, so
	 * their idx is shifted by the first half's count before the merge. */
	size_t mid = count / 2;
	struct half a = { *r, {0} }, b = { *r, {0} };
	a.r.to = mid;
	b.r.from = mid;
	struct tk_task t;
	tk_task_start(&t, read_half, &a);
	read_half(&b);
	tk_task_wait(&t);
	size_t na = a.cv.n, nb = b.cv.n;
	for (size_t i = 0; i < nb; i++)
		b.cv.v[i].idx += (uint32_t)na;
	if (na + nb == 0) {
		free(a.cv.v);
		free(b.cv.v);
		return;
	}
	cv->v = tk_xmalloc((na + nb) * sizeof *cv->v);
	cv->cap = cv->n = na + nb;
	size_t i = 0, j = 0, k = 0;
	while (i < na && j < nb)
		cv->v[k++] = cand_lt(&b.cv.v[j], &a.cv.v[i]) ? b.cv.v[j++] : a.cv.v[i++];
	if (i < na)
		memcpy(cv->v + k, a.cv.v + i, (na - i) * sizeof *cv->v);
	else if (j < nb)
		memcpy(cv->v + k, b.cv.v + j, (nb - j) * sizeof *cv->v);
	free(a.cv.v);
	free(b.cv.v);
}
