/* window: --range/--from/--to bounds; a first pass for percentages. */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "input/input.h"
#include "input/v8log.h"
#include "base/util.h"
#include "ingest/window.h"

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

int tk_window_scan(const char *path, uint64_t *first, uint64_t *last, struct tk_diag *d)
{
	struct tk_input in;
	char *line;
	size_t len;
	int r, found = 0;
	if (tk_input_open(&in, path, d) < 0)
		return -1;
	while ((r = tk_input_next(&in, &line, &len, d)) > 0) {
		uint64_t v;
		if (tk_v8log_tick_time(line, len, &v) < 0)
			continue;
		if (!found || v < *first)
			*first = v;
		if (!found || v > *last)
			*last = v;
		found = 1;
	}
	tk_input_close(&in);
	return r < 0 ? -1 : found;
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
