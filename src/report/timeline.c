/* timeline: ticks per interval by category, as a text chart. */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "base/escape.h"
#include "report/timeline.h"
#include "base/util.h"

static const char cat_letter[TK_TL_CATS] = { 'J', 'C', 'G', 'L', 'I', '?' };

enum tk_tl_cat tk_timeline_cat(const struct tk_isolate *iso, const struct tk_sample *s)
{
	int64_t st = s->state;
	if (st == iso->state_num[TK_VM_GC])
		return TK_TL_GC;
	if (st == iso->state_num[TK_VM_IDLE] || st == iso->state_num[TK_VM_IDLE_EXTERNAL])
		return TK_TL_IDLE;
	if (s->node == 0 || s->node >= iso->prof.top_down.n)
		return TK_TL_OTHER;
	switch (tk_names_get(iso->names, iso->prof.top_down.v[s->node].name)->kind) {
	case TK_KIND_CPP: return TK_TL_CPP;
	case TK_KIND_LIB: return TK_TL_LIB;
	case TK_KIND_UNKNOWN: return TK_TL_OTHER;
	default: return TK_TL_JS;
	}
}

void tk_timeline_build(struct tk_timeline *tl, const struct tk_isolate *iso, size_t n)
{
	const struct tk_profile *p = &iso->prof;
	memset(tl, 0, sizeof *tl);
	if (p->n_samples == 0 || n == 0)
		return;
	uint64_t lo = p->samples[0].time, hi = lo;
	for (size_t i = 1; i < p->n_samples; i++) {
		if (p->samples[i].time < lo)
			lo = p->samples[i].time;
		if (p->samples[i].time > hi)
			hi = p->samples[i].time;
	}
	tl->n = n;
	tl->t0 = lo;
	tl->width = (double)(hi - lo + 1) / (double)n;
	tl->c = tk_xcalloc(n, sizeof *tl->c);
	for (size_t i = 0; i < p->n_samples; i++) {
		size_t k = (size_t)((double)(p->samples[i].time - lo) / tl->width);
		if (k >= n)
			k = n - 1;
		tl->c[k][tk_timeline_cat(iso, &p->samples[i])]++;
	}
	for (size_t k = 0; k < n; k++) {
		uint64_t t = 0;
		for (int c = 0; c < TK_TL_CATS; c++)
			t += tl->c[k][c];
		if (t > tl->max)
			tl->max = t;
	}
}

void tk_timeline_free(struct tk_timeline *tl)
{
	free(tl->c);
	memset(tl, 0, sizeof *tl);
}

void tk_timeline_bar(const uint64_t c[TK_TL_CATS], uint64_t max, int width, char *out)
{
	uint64_t total = 0;
	for (int k = 0; k < TK_TL_CATS; k++)
		total += c[k];
	int len = 0, cols[TK_TL_CATS];
	double rem[TK_TL_CATS];
	if (max > 0 && total > 0) {
		int want = (int)((double)total * width / (double)max + 0.5);
		if (want < 1)
			want = 1; /* an interval with ticks is never blank */
		for (int k = 0; k < TK_TL_CATS; k++) {
			double x = (double)c[k] * want / (double)total;
			cols[k] = (int)x;
			rem[k] = x - cols[k];
			len += cols[k];
		}
		/* the columns left go to the largest remainders, the first
		 * category winning ties */
		while (len < want) {
			int best = -1;
			for (int k = 0; k < TK_TL_CATS; k++)
				if (c[k] && (best < 0 || rem[k] > rem[best]))
					best = k;
			cols[best]++;
			rem[best] = -1;
			len++;
		}
		len = 0;
		for (int k = 0; k < TK_TL_CATS; k++)
			for (int i = 0; i < cols[k]; i++)
				out[len++] = cat_letter[k];
	}
	out[len] = 0;
}

void tk_out_timeline(FILE *out, const struct tk_isolate *iso, size_t n)
{
	const struct tk_profile *p = &iso->prof;
	struct tk_timeline tl;
	tk_timeline_build(&tl, iso, n);
	tk_esc_printf(out, "Timeline of %s, (%llu ticks, %llu unaccounted, %llu excluded).\n", iso->path,
		(unsigned long long)p->total, (unsigned long long)p->unaccounted,
		(unsigned long long)p->excluded);
	if (tl.n == 0) {
		fputs("\n (no ticks)\n", out);
		return;
	}
	fprintf(out, "\n [Timeline]: %zu intervals of %.1f ms; times in ms since the profiler started\n"
		"  J JS, C C++, G GC, L shared library, I idle, ? other; %d columns = %llu ticks\n"
		"        ms  ticks    JS   C++    GC   lib  idle other\n",
		tl.n, tl.width / 1000.0, TK_TIMELINE_BAR, (unsigned long long)tl.max);
	char bar[TK_TIMELINE_BAR + 1];
	for (size_t k = 0; k < tl.n; k++) {
		uint64_t t = 0;
		for (int c = 0; c < TK_TL_CATS; c++)
			t += tl.c[k][c];
		fprintf(out, "%10.1f %6llu", ((double)tl.t0 + tl.width * (double)k) / 1000.0,
			(unsigned long long)t);
		for (int c = 0; c < TK_TL_CATS; c++)
			fprintf(out, " %5llu", (unsigned long long)tl.c[k][c]);
		tk_timeline_bar(tl.c[k], tl.max, TK_TIMELINE_BAR, bar);
		fprintf(out, "%s%s\n", *bar ? "  " : "", bar);
	}
	tk_timeline_free(&tl);
}
