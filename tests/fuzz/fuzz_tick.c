/* fuzz_tick: the tick and stack parser and the resolver behind it. A
 * fixed preamble (version, libraries, JIT code of each kind) is read
 * first; then every line of the input is a tick ("tick," is prepended),
 * or, when it starts with '!', any event (code-move, code-delete, ...)
 * so the code map changes between ticks. Each line is handed over in a
 * buffer of exactly its length. */
#include <stdlib.h>
#include <string.h>
#include "fuzz.h"
#include "ingest/isolate.h"
#include "model/libs.h"
#include "base/names.h"
#include "out/out_json.h"
#include "out/out_text.h"
#include "input/v8log.h"

static const char *const preamble[] = {
	"v8-version,11,3,244,8,-node.38,0",
	"shared-library,/usr/bin/node,0x400000,0x2000000,0",
	"shared-library,/lib/x86_64-linux-gnu/libc.so.6,0x7f0000000000,0x7f0000100000,0",
	"code-creation,Builtin,2,100,0x3e0000002000,64,LoadIC",
	"code-creation,BytecodeHandler,0,100,0x3e0000002100,48,LdaZero",
	"code-creation,JS,10,100,0x3e0000001000,256,jsCaller /app/x.js:1:1,0x3e0000009000,*",
	"code-creation,JS,12,101,0x3e0000003000,128,fn /app/y.js:2:3,0x3e000000a000,~",
	"code-creation,RegExp,5,102,0x3e0000004000,32,^a+b$",
	"code-creation,Function,0,103,0x3e0000005000,16,native fn",
	"profiler,begin,1000",
};

/* The isolate's one-pass tick decoder against the split and decode it
 * stands for: any difference aborts. */
static void tick_line_same(const char *line, size_t len)
{
	struct tk_fields a = { 0 }, b = { 0 };
	struct tk_ev_tick ta, tb;
	tk_csv_split_max(&a, line, len, 7);
	int ra = tk_v8log_tick(&a, &ta), rb = tk_v8log_tick_line(&b, line, len, &tb);
	if (ra != rb || a.count != b.count || b.dropped)
		abort();
	for (size_t i = 0; i < a.count; i++)
		if (a.s[i] != b.s[i] || a.n[i] != b.n[i])
			abort();
	if (!ra && (ta.pc != tb.pc || ta.time != tb.time || ta.ext != tb.ext || ta.tos != tb.tos ||
		    ta.vmstate != tb.vmstate || ta.stack_n != tb.stack_n ||
		    memcmp(ta.stack, tb.stack, ta.stack_n) != 0))
		abort();
	tk_csv_free(&a);
	tk_csv_free(&b);
}

static void feed(struct tk_isolate *iso, const char *prefix, const uint8_t *s, size_t n, unsigned long no)
{
	size_t pn = strlen(prefix);
	char *line = malloc(pn + n ? pn + n : 1);
	if (!line)
		abort();
	memcpy(line, prefix, pn);
	memcpy(line + pn, s, n);
	if (pn + n > 5 && memcmp(line, "tick,", 5) == 0)
		tick_line_same(line, pn + n);
	tk_isolate_line(iso, line, pn + n, no);
	free(line);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct tk_opts opts;
	tk_opts_default(&opts);
	opts.quiet = 1;
	opts.no_symbols = 1;
	opts.keep_samples = 1;
	struct tk_names names;
	struct tk_elfcache cache;
	tk_names_init(&names);
	tk_elfcache_init(&cache, NULL);
	cache.quiet = 1;
	cache.no_symbols = 1;
	struct tk_isolate iso;
	tk_isolate_init(&iso, "fuzz.log", &opts, &names, &cache);
	unsigned long no = 0;
	for (size_t i = 0; i < sizeof preamble / sizeof *preamble; i++)
		feed(&iso, "", (const uint8_t *)preamble[i], strlen(preamble[i]), ++no);
	size_t at = 0;
	while (at < size) {
		const uint8_t *nl = memchr(data + at, '\n', size - at);
		size_t n = nl ? (size_t)(nl - (data + at)) : size - at;
		if (n > 0 && data[at] == '!')
			feed(&iso, "", data + at + 1, n - 1, ++no);
		else
			feed(&iso, "tick,", data + at, n, ++no);
		at += n + 1;
	}
	FILE *null = tk_fuzz_null();
	tk_out_text(null, &iso);
	struct tk_json j;
	tk_out_json_begin(&j, null);
	tk_out_json_profile(&j, &iso);
	tk_out_json_finish(&j);
	fflush(null);
	tk_isolate_release(&iso);
	tk_elfcache_release(&cache);
	tk_names_release(&names);
	return 0;
}
