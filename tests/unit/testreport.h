/* testreport: a profile built by hand for the writers' suites
 * (test_out_*.c): isolates whose ticks go straight into the profile
 * through the calls the ingest code makes for a resolved tick (the
 * counters of isolate.c's tick handler, then tk_profile_add and the
 * entry/library counts of resolve.c), with no log text parsed.
 *
 * The known shape, isolate 1 (path TK_TR_PATH1, interval 1000 us,
 * 10 ticks at 1000, 2000, ... 10000 us, in this order of time):
 *   main;foo;bar                        4  JS
 *   main;foo;bar;Builtin: ArrayPush     2  JS
 *   main;foo                            2  JS
 *   main;foo;LIB                        1  EXTERNAL  (library-level)
 *   main;CPP                            1  GC        (a C++ entry point)
 * so main 10, foo 9, bar 6. Isolate 2 (TK_TR_PATH2, interval 500 us,
 * 5 ticks at 100..500 us):
 *   main;foo;bar 3, main;QUX 2          JS
 * CPP and QUX have '<' and '&' in them, PATH1 too (escaping).
 * With frameless set, isolate 1 gets an 11th tick with no frames, in
 * the GC state, at 11000 us (timeline writers' pseudo-frames).
 *
 *     struct tk_test_report r;
 *     tk_test_report_build(&r, 2, 1, 0);
 *     char *s = tk_test_report_write(&r, tk_export_folded, 0, &len);
 *     free(s); tk_test_report_free(&r);
 */
#ifndef TK_TESTREPORT_H
#define TK_TESTREPORT_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include "out/export.h"

#define TK_TR_PATH1 "/tmp/a<&>.log"
#define TK_TR_PATH2 "/tmp/b.log"
#define TK_TR_MAIN "JS: ~main /app/main.js:1:1"
#define TK_TR_FOO "JS: *foo /app/main.js:10:3"
#define TK_TR_BAR "JS: ^bar /app/lib/bar.js:20:5"
#define TK_TR_BUILTIN "Builtin: ArrayPush"
#define TK_TR_CPP "v8::internal::Heap::Collect<int&>(char const&)"
#define TK_TR_LIB "/usr/lib/libc.so.6"
#define TK_TR_NODE "/usr/bin/node"
#define TK_TR_QUX "JS: +qux<&> /app/q.js:7:9"

struct tk_test_report {
	struct tk_names names;
	struct tk_opts opts;
	struct tk_elfcache cache;
	struct tk_isolate iso[2];
	const struct tk_isolate *isos[2];
	size_t n;
	/* name ids */
	uint32_t main, foo, bar, builtin, cpp, lib, qux;
};

/* n isolates (1 or 2) of the shape above; keep: keep every sample
 * (timelines); frameless: the 11th tick. The isolates are shrunk as
 * main.c shrinks those it keeps for an export, unless for_json (the JSON
 * document is streamed: its flat tables need the counts by name). */
void tk_test_report_build(struct tk_test_report *r, size_t n, int keep, int frameless, int for_json);
void tk_test_report_free(struct tk_test_report *r);

/* One tick into iso: path root first (name ids), n frames, at time us in
 * the VM state st. */
void tk_test_report_tick(struct tk_isolate *iso, const uint32_t *path, size_t n, uint64_t time,
			 enum tk_vmstate st);

/* What writer w writes for the report's isolates (merge as given), in a
 * malloc'd buffer with a NUL after it; asserts w returned 0. */
char *tk_test_report_write(const struct tk_test_report *r,
			   int (*w)(FILE *, const struct tk_export *, struct tk_diag *), int merge, size_t *len);

/* Occurrences of needle in hay[0..n). */
size_t tk_test_count(const char *hay, size_t n, const char *needle);

#endif
