/*
 * srcpos_consumer: source positions (js/srcpos.h) as a consumer of an
 * isolate's events, and as the resolver's JS frames (resolve.h). js is
 * below ingest and knows no consumer: this adaptor is the one place that
 * wires it in.
 *
 * Invariants: fed after the isolate handled a line (TK_CONS_AFTER: it
 * reads the code map and the entry a code-creation added); scripts, and
 * position tables when they change frames, move the code map's
 * generation, so cached ticks resolve anew; the caller keeps owning sp
 * (annotate reads it after the reading), the consumer owns its context.
 *
 *     iso->srcpos = tk_srcpos_new(...);
 *     tk_srcpos_consumer(iso->srcpos, &iso->code, &iso->added, lines, &c, &iso->res.js);
 *     tk_isolate_add_consumer(iso, &c);
 */
#ifndef TK_SRCPOS_CONSUMER_H
#define TK_SRCPOS_CONSUMER_H

#include "ingest/consumer.h"
#include "ingest/resolve.h"

struct tk_srcpos;
struct tk_codemap;
struct tk_code;

/* The consumer feeding sp (into *c) and sp as JS frames (into *js): code
 * is the map the events change, *added the entry of the last
 * code-creation line; info_gen: position tables change frames (--lines,
 * --annotate). */
void tk_srcpos_consumer(struct tk_srcpos *sp, struct tk_codemap *code, const struct tk_code *const *added,
			int info_gen, struct tk_consumer *c, struct tk_js_frames *js);

#endif
