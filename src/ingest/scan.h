/*
 * scan: a log's events fed to consumers alone, with no isolate and no
 * profile: the first pass that --from/--to percentages need (window.c's
 * tick times). Lines are read and decoded by the same stage as the
 * isolate's (input, csv, v8log) and fed through the same consumer
 * interface (consumer.h), in log order; a line is split and decoded only
 * when some consumer takes its type.
 *
 * Invariants: memory is constant in the log (one line and its fields);
 * a consumer's end is called once after the last line, its free never
 * (the caller owns the contexts); tick stacks stay unsplit (the raw
 * text of the tick event); the other types are decoded as a log of Node
 * 6 or later (code-creation with its TIME; fields unquoted).
 *
 *     struct tk_consumer c = { .ctx = &t, .types = TK_EV_BIT(TK_EV_TICK), .event = on_tick };
 *     if (tk_scan_log(path, &c, 1, &d) < 0) ...d says why...
 */
#ifndef TK_SCAN_H
#define TK_SCAN_H

#include <stddef.h>
#include "ingest/consumer.h"

struct tk_diag;

/* Reads path to its end, feeding each of the n consumers the events of
 * its types: 0, or -1 with d set (the log could not be read, or a
 * consumer's end failed). */
int tk_scan_log(const char *path, const struct tk_consumer *cons, size_t n, struct tk_diag *d);

#endif
