/* window: --range/--from/--to bounds; a first pass for percentages. */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "base/util.h"
#include "ingest/window.h"
#include "ingest/scan.h"

int tk_window_parse(const char *s, struct tk_bound *b)
{
	size_t n = strlen(s);
	double v;
	memset(b, 0, sizeof *b);
	if (n > 0 && s[n - 1] == '%') {
		b->pct = 1;
		n--;
	}
	if (tk_parse_decimal(s, n, &v) < 0 || (b->pct && v > 100))
		return -1;
	b->v = v;
	b->set = 1;
	return 0;
}

void tk_window_narrow(struct tk_opts *o, double ms, int end)
{
	if (end) {
		if (!o->have_range_end || ms < o->range_end_ms)
			o->range_end_ms = ms;
		o->have_range_end = 1;
	} else {
		if (!o->have_range_start || ms > o->range_start_ms)
			o->range_start_ms = ms;
		o->have_range_start = 1;
	}
}

/* the first and last time of the ticks a profile would count (a tick
 * line whose fields 1-5 are numbers) */
struct span {
	uint64_t first, last;
	int found;
};

static void span_tick(void *ctx, const struct tk_ev *ev)
{
	struct span *s = ctx;
	if (ev->bad) /* its time may be unread */
		return;
	uint64_t v = ev->u.tick.time;
	if (!s->found || v < s->first)
		s->first = v;
	if (!s->found || v > s->last)
		s->last = v;
	s->found = 1;
}

int tk_window_scan(const char *path, uint64_t *first, uint64_t *last, struct tk_diag *d)
{
	struct span s = {0};
	struct tk_consumer c = { .ctx = &s, .types = TK_EV_BIT(TK_EV_TICK), .event = span_tick };
	if (tk_scan_log(path, &c, 1, d) < 0)
		return -1;
	if (s.found)
		*first = s.first, *last = s.last;
	return s.found;
}

int tk_window_resolve(struct tk_opts *o, const char *path, const struct tk_bound *from,
		      const struct tk_bound *to, struct tk_diag *d)
{
	if (!(from->set && from->pct) && !(to->set && to->pct))
		return 0;
	uint64_t first = 0, last = 0;
	int r = tk_window_scan(path, &first, &last, d);
	if (r <= 0)
		return r;
	/* ticks have whole microseconds: a bound half-way between two keeps
	 * the tick on the boundary whatever the rounding of us -> ms */
	double span = (double)(last - first);
	if (from->set && from->pct)
		tk_window_narrow(o, (ceil((double)first + span * from->v / 100.0) - 0.5) / 1000.0, 0);
	if (to->set && to->pct)
		tk_window_narrow(o, (floor((double)first + span * to->v / 100.0) + 0.5) / 1000.0, 1);
	return 0;
}
