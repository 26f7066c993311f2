/* scan: a log's events for consumers, without an isolate (scan.h). */
#include <string.h>
#include "ingest/scan.h"
#include "base/diag.h"
#include "input/csv.h"
#include "input/input.h"
#include "input/v8log.h"

/* The type of the event on line[0..len), from its first field. */
static enum tk_ev_type line_type(const char *line, size_t len)
{
	if (len == 0)
		return TK_EV_EMPTY;
	if (len > 5 && memcmp(line, "tick,", 5) == 0) /* most lines */
		return TK_EV_TICK;
	const char *comma = memchr(line, ',', len);
	return tk_ev_type_of(line, comma ? (size_t)(comma - line) : len);
}

int tk_scan_log(const char *path, const struct tk_consumer *cons, size_t n, struct tk_diag *d)
{
	uint32_t wanted = 0;
	for (size_t i = 0; i < n; i++)
		wanted |= cons[i].types ? cons[i].types : UINT32_MAX;
	struct tk_input in;
	struct tk_fields f = {0};
	char *line;
	size_t len;
	unsigned long lineno = 0;
	int r;
	if (tk_input_open(&in, path, d) < 0)
		return -1;
	while ((r = tk_input_next(&in, &line, &len, d)) > 0) {
		lineno++;
		enum tk_ev_type type = line_type(line, len);
		if (!(wanted & TK_EV_BIT(type)))
			continue;
		struct tk_ev ev; /* u is set by the decoder */
		ev.type = type;
		ev.lineno = lineno;
		ev.bad = 0;
		ev.f = &f;
		if (type == TK_EV_EMPTY) {
			f.count = 0; /* no fields */
		} else if (type == TK_EV_TICK) {
			ev.bad = tk_v8log_tick_line(&f, line, len, &ev.u.tick); /* the stack one field */
		} else {
			tk_csv_split(&f, line, len, 0);
			tk_v8log_decode(&ev, 0);
		}
		for (size_t i = 0; i < n; i++)
			if (!cons[i].types || (cons[i].types & TK_EV_BIT(type)))
				cons[i].event(cons[i].ctx, &ev);
	}
	tk_input_close(&in);
	tk_csv_free(&f);
	if (r < 0)
		return -1;
	for (size_t i = 0; i < n; i++)
		if (cons[i].end && cons[i].end(cons[i].ctx, d) < 0)
			return -1;
	return 0;
}
