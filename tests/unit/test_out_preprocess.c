/* out_preprocess: the --preprocess document of a builder fed by hand.
 *
 * The builder (preprocess/preprocess.h) is a consumer of a log's events
 * and keeps no profile: the only way in is an event, decoded (v8log.h)
 * from the isolate's split line (iso->f). So this suite fills iso->f field
 * by field (no log text, no CSV parsing) and calls the consumer, then reads
 * the document back with jsonread: code elements, functions and their
 * codes, every tick's [code id, offset] pairs, numbers and ids consistent.
 * Reference mode (--no-symbols): the reference's own code map, no ELF. */
#include <stdlib.h>
#include <string.h>
#include "base/jsonread.h"
#include "preprocess/preprocess.h"
#include "suites.h"
#include "testreport.h"

struct feed {
	struct tk_names names;
	struct tk_opts opts;
	struct tk_elfcache cache;
	struct tk_isolate iso;
	const char *s[16];
	uint32_t n[16];
	char stack[256];
	unsigned long line;
};

/* one event: its fields, name first, NULL-terminated */
static void event(struct feed *fd, enum tk_ev_type type, const char *const *fields)
{
	size_t k = 0;
	for (; fields[k]; k++) {
		ck_assert_uint_lt(k, 16);
		fd->s[k] = fields[k];
		fd->n[k] = (uint32_t)strlen(fields[k]);
	}
	if (type == TK_EV_TICK && k > 7) {
		/* a tick's stack is one field, the rest of the line, as the isolate splits it */
		size_t len = 0;
		for (size_t i = 6; i < k; i++) {
			size_t fl = strlen(fields[i]);
			ck_assert_uint_lt(len + fl + 1, sizeof fd->stack);
			if (i > 6)
				fd->stack[len++] = ',';
			memcpy(fd->stack + len, fields[i], fl);
			len += fl;
		}
		fd->s[6] = fd->stack;
		fd->n[6] = (uint32_t)len;
		k = 7;
	}
	fd->iso.f.s = fd->s;
	fd->iso.f.n = fd->n;
	fd->iso.f.count = k;
	fd->iso.f.cap = 16;
	struct tk_ev ev = { .type = type, .lineno = ++fd->line, .f = &fd->iso.f };
	ck_assert_uint_eq(tk_ev_type_of(fields[0], strlen(fields[0])), type);
	tk_v8log_decode(&ev, 0); /* consumers take decoded events */
	ck_assert_uint_eq(fd->iso.n_cons, 1);
	fd->iso.cons[0].event(fd->iso.cons[0].ctx, &ev);
}

#define EV(fd, type, ...) event(fd, type, (const char *const[]){ __VA_ARGS__, NULL })

static void feed_init(struct feed *fd)
{
	memset(fd, 0, sizeof *fd);
	tk_names_init(&fd->names);
	tk_opts_default(&fd->opts);
	fd->opts.preprocess = 1;
	fd->opts.no_symbols = 1;
	fd->opts.quiet = 1;
	fd->opts.no_source_maps = 1;
	tk_elfcache_init(&fd->cache, NULL);
	tk_isolate_init(&fd->iso, "/tmp/pre.log", &fd->opts, &fd->names, &fd->cache);
	tk_pre_attach(&fd->iso);
	ck_assert_ptr_nonnull(fd->iso.pre);
}

static void feed_free(struct feed *fd)
{
	/* the isolate's fields were lent: not its own to free */
	memset(&fd->iso.f, 0, sizeof fd->iso.f);
	tk_isolate_release(&fd->iso);
	tk_elfcache_release(&fd->cache);
	tk_names_release(&fd->names);
}

static const struct tk_jr_val *get(const struct tk_jr_val *v, const char *key)
{
	const struct tk_jr_val *m = tk_jr_get(v, key);
	ck_assert_msg(m != NULL, "no member '%s'", key);
	return m;
}

static char *write_doc(struct feed *fd, size_t *len)
{
	char *buf = NULL;
	FILE *f = open_memstream(&buf, len);
	const struct tk_isolate *isos[1] = { &fd->iso };
	struct tk_export x = { isos, 1, 0 };
	struct tk_diag d;
	memset(&d, 0, sizeof d);
	ck_assert_int_eq(tk_export_preprocess(f, &x, &d), 0);
	ck_assert_int_eq(fclose(f), 0);
	return buf;
}

/* the document written and parsed into doc (which borrows the text:
 * free it after tk_jr_free) */
static char *parse_doc(struct feed *fd, struct tk_jr_doc *doc)
{
	size_t len;
	char err[256];
	char *s = write_doc(fd, &len);
	ck_assert_msg(tk_jr_parse(doc, s, len, err, sizeof err) == 0, "bad JSON: %s", err);
	return s;
}

START_TEST(test_preprocess_doc)
{
	struct feed fd;
	feed_init(&fd);
	EV(&fd, TK_EV_CODE_CREATION, "code-creation", "Builtin", "2", "100", "0x1000", "0x100", "ArrayPush");
	EV(&fd, TK_EV_CODE_CREATION, "code-creation", "JS", "0", "200", "0x2000", "0x200",
	   "main /app/main.js:1:1", "0x9000", "~");
	EV(&fd, TK_EV_CODE_CREATION, "code-creation", "JS", "0", "300", "0x3000", "0x100",
	   "foo /app/main.js:10:3", "0x9100", "*");
	/* foo <- main; ArrayPush <- foo <- main; an address nothing covers */
	EV(&fd, TK_EV_TICK, "tick", "0x3010", "1000", "0", "0", "0", "0x2050");
	EV(&fd, TK_EV_TICK, "tick", "0x1004", "2000", "0", "0", "0", "0x3020", "0x2060");
	EV(&fd, TK_EV_TICK, "tick", "0x5000", "3000", "0", "0", "1");
	ck_assert_uint_eq(fd.iso.pre->n_ticks, 3);
	struct tk_jr_doc doc;
	char *s = parse_doc(&fd, &doc);
	const struct tk_jr_val *code = get(doc.root, "code"), *fns = get(doc.root, "functions");
	const struct tk_jr_val *ticks = get(doc.root, "ticks");
	ck_assert_int_eq(get(doc.root, "scripts")->type, TK_JR_ARR);
	ck_assert_uint_eq(code->n, 3);
	ck_assert_str_eq(get(&code->items[0], "name")->str, "ArrayPush");
	ck_assert_str_eq(get(&code->items[0], "type")->str, "CODE");
	ck_assert_str_eq(get(&code->items[0], "kind")->str, "Builtin");
	ck_assert(get(&code->items[0], "timestamp")->num == 100);
	ck_assert_str_eq(get(&code->items[1], "type")->str, "JS");
	ck_assert_str_eq(get(&code->items[1], "name")->str, "main /app/main.js:1:1");
	ck_assert_str_eq(get(&code->items[2], "name")->str, "foo /app/main.js:10:3");
	/* one function per SFI, each holding its code's id */
	ck_assert_uint_eq(fns->n, 2);
	for (size_t i = 0; i < fns->n; i++) {
		const struct tk_jr_val *codes = get(&fns->items[i], "codes");
		ck_assert_uint_eq(codes->n, 1);
		size_t c = (size_t)codes->items[0].num;
		ck_assert_uint_lt(c, code->n);
		ck_assert(get(&code->items[c], "func")->num == (double)i);
		ck_assert_str_eq(get(&fns->items[i], "name")->str, get(&code->items[c], "name")->str);
	}
	/* ticks: tm, vm, s = [id, offset, ...] pc first, ids index "code" */
	ck_assert_uint_eq(ticks->n, 3);
	static const double want_tm[3] = { 1000, 2000, 3000 }, want_vm[3] = { 0, 0, 1 };
	static const double want_s[3][6] = { { 2, 0x10, 1, 0x50 }, { 0, 4, 2, 0x20, 1, 0x60 }, { -1, 0x5000 } };
	static const size_t want_n[3] = { 4, 6, 2 };
	for (size_t t = 0; t < 3; t++) {
		const struct tk_jr_val *tk = &ticks->items[t], *st = get(tk, "s");
		ck_assert(get(tk, "tm")->num == want_tm[t]);
		ck_assert(get(tk, "vm")->num == want_vm[t]);
		ck_assert_uint_eq(st->n, want_n[t]);
		for (size_t k = 0; k < st->n; k++)
			ck_assert_msg(st->items[k].num == want_s[t][k], "tick %zu s[%zu] = %g, want %g", t, k,
				      st->items[k].num, want_s[t][k]);
		for (size_t k = 0; k < st->n; k += 2)
			ck_assert(st->items[k].num == -1 || st->items[k].num < (double)code->n);
	}
	tk_jr_free(&doc);
	free(s);
	feed_free(&fd);
}
END_TEST

/* code moved: later ticks resolve at the new address, earlier ones keep
 * theirs; an empty line ends what the reference reads */
START_TEST(test_preprocess_move_and_stop)
{
	struct feed fd;
	feed_init(&fd);
	EV(&fd, TK_EV_CODE_CREATION, "code-creation", "JS", "0", "200", "0x2000", "0x200",
	   "main /app/main.js:1:1", "0x9000", "~");
	EV(&fd, TK_EV_TICK, "tick", "0x2010", "1000", "0", "0", "0");
	EV(&fd, TK_EV_CODE_MOVE, "code-move", "0x2000", "0x8000");
	EV(&fd, TK_EV_TICK, "tick", "0x2010", "2000", "0", "0", "0");
	EV(&fd, TK_EV_TICK, "tick", "0x8010", "3000", "0", "0", "0");
	struct tk_ev empty = { .type = TK_EV_EMPTY, .lineno = ++fd.line, .f = &fd.iso.f };
	fd.iso.f.count = 0;
	fd.iso.cons[0].event(fd.iso.cons[0].ctx, &empty);
	EV(&fd, TK_EV_TICK, "tick", "0x8010", "4000", "0", "0", "0");
	ck_assert_uint_eq(fd.iso.pre->n_ticks, 3);
	struct tk_jr_doc doc;
	char *s = parse_doc(&fd, &doc);
	const struct tk_jr_val *ticks = get(doc.root, "ticks");
	ck_assert_uint_eq(ticks->n, 3);
	const struct tk_jr_val *s0 = get(&ticks->items[0], "s"), *s1 = get(&ticks->items[1], "s");
	const struct tk_jr_val *s2 = get(&ticks->items[2], "s");
	ck_assert(s0->items[0].num == 0 && s0->items[1].num == 0x10);
	ck_assert(s1->items[0].num == -1 && s1->items[1].num == 0x2010);
	ck_assert(s2->items[0].num == 0 && s2->items[1].num == 0x10);
	tk_jr_free(&doc);
	free(s);
	feed_free(&fd);
}
END_TEST

/* lines a log has, through the isolate: each tick read and resolved once,
 * by the builder; the isolate counts it but builds no profile of it */
static void lines(struct feed *fd, const char *const *v)
{
	for (size_t i = 0; v[i]; i++) {
		char *l = strdup(v[i]);
		tk_isolate_line(&fd->iso, l, strlen(l), ++fd->line);
		free(l);
	}
}

START_TEST(test_preprocess_ticks_once)
{
	struct feed fd;
	feed_init(&fd);
	static const char *const log[] = {
		"v8-version,11,3,244,8,-node.38,0",
		"code-creation,JS,0,200,0x2000,0x200,main /app/main.js:1:1,0x9000,~",
		"code-creation,Builtin,2,100,0x1000,0x100,ArrayPush",
		/* the usual frames; node 20's lax reading of odd ones: "+10" is
		 * parseInt("+10") = 10 past the pc, "0x1008zz" 0x1008, "0X2040"
		 * hex, "o" dropped, "zz" NaN */
		"tick,0x1004,1000,0,0,0,0x2050,0x2060",
		"tick,0x1004,2000,0,0,0,+10,0x1008zz,0X2040,o,zz",
		/* a tick the isolate cannot decode (pc "12abc"): parseInt's 12 */
		"tick,12abc,3000,0,0,0,0x2010",
		NULL
	};
	lines(&fd, log);
	ck_assert_uint_eq(fd.iso.pre->n_ticks, 3);
	/* the isolate counted the decodable ones and resolved none of them */
	ck_assert_uint_eq(fd.iso.prof.total, 2);
	ck_assert_uint_eq(fd.iso.warn[TK_W_BAD_LINE].count, 1);
	ck_assert_uint_le(fd.iso.prof.top_down.n, 1);
	ck_assert_uint_le(fd.iso.prof.bottom_up.n, 1);
	ck_assert_uint_eq(fd.iso.prof.unaccounted, 0);
	struct tk_jr_doc doc;
	char *s = parse_doc(&fd, &doc);
	const struct tk_jr_val *ticks = get(doc.root, "ticks");
	ck_assert_uint_eq(ticks->n, 3);
	/* ids: 0 main (JS), 1 ArrayPush (CODE) */
	static const double want[3][12] = {
		{ 1, 4, 0, 0x50, 0, 0x60 },
		{ 1, 4, 1, 0xe, 1, 8, 0, 0x40, -1, 0 },
		{ -1, 12, 0, 0x10 },
	};
	static const size_t want_n[3] = { 6, 10, 4 };
	for (size_t t = 0; t < 3; t++) {
		const struct tk_jr_val *st = get(&ticks->items[t], "s");
		ck_assert_uint_eq(st->n, want_n[t]);
		for (size_t k = 0; k + 1 < st->n; k += 2) {
			ck_assert_msg(st->items[k].num == want[t][k], "tick %zu s[%zu] = %g, want %g", t, k,
				      st->items[k].num, want[t][k]);
			if (want[t][k] == -1 && t == 1)
				ck_assert_int_eq(st->items[k + 1].type, TK_JR_NULL); /* NaN: null */
			else
				ck_assert_msg(st->items[k + 1].num == want[t][k + 1], "tick %zu s[%zu] = %g, want %g",
					      t, k + 1, st->items[k + 1].num, want[t][k + 1]);
		}
	}
	tk_jr_free(&doc);
	free(s);
	tk_csv_free(&fd.iso.f); /* split by the isolate: its own */
	feed_free(&fd);
}
END_TEST

/* a stack longer than a split line keeps: cut at the same field, said */
START_TEST(test_preprocess_stack_cap)
{
	struct feed fd;
	feed_init(&fd);
	struct tk_buf b = {0};
	tk_buf_adds(&b, "tick,0x1004,1000,0,0,0");
	for (int i = 0; i < TK_CSV_MAX_FIELDS; i++)
		tk_buf_adds(&b, ",0x2050");
	const char *log[] = { "v8-version,11,3,244,8,-node.38,0", b.p, b.p, NULL };
	lines(&fd, log);
	ck_assert_uint_eq(fd.iso.pre->n_ticks, 2);
	ck_assert_uint_eq(fd.iso.warn[TK_W_FIELDS].count, 2);
	ck_assert_uint_eq(fd.iso.warn[TK_W_FIELDS].first_line, 2);
	struct tk_pre_tick_iter it;
	struct tk_pre_frame *frames = NULL;
	size_t cap = 0, n = 0;
	double tm, vm;
	tk_pre_ticks_begin(fd.iso.pre, &it);
	ck_assert(tk_pre_ticks_next(&it, &tm, &vm, &frames, &cap, &n));
	ck_assert_uint_eq(n, 1 + TK_CSV_MAX_FIELDS - 6); /* the pc and fields 6..4095 */
	free(frames);
	tk_buf_free(&b);
	tk_csv_free(&fd.iso.f);
	feed_free(&fd);
}
END_TEST

/* the writer's contract: one log, read for it */
START_TEST(test_preprocess_refuses)
{
	struct tk_test_report r;
	tk_test_report_build(&r, 2, 0, 0, 0);
	struct tk_export x = { r.isos, 2, 0 };
	struct tk_diag d;
	memset(&d, 0, sizeof d);
	FILE *f = tmpfile();
	ck_assert_int_eq(tk_export_preprocess(f, &x, &d), -1);
	ck_assert_ptr_nonnull(strstr(d.msg, "one log"));
	x.n = 1;
	memset(&d, 0, sizeof d);
	ck_assert_int_eq(tk_export_preprocess(f, &x, &d), -1);
	ck_assert_ptr_nonnull(strstr(d.msg, "not read for"));
	ck_assert_int_eq(ftell(f), 0);
	fclose(f);
	tk_test_report_free(&r);
}
END_TEST

Suite *tk_suite_out_preprocess(void)
{
	Suite *s = suite_create("out_preprocess");
	TCase *tc = tcase_create("core");
	tcase_add_test(tc, test_preprocess_doc);
	tcase_add_test(tc, test_preprocess_move_and_stop);
	tcase_add_test(tc, test_preprocess_ticks_once);
	tcase_add_test(tc, test_preprocess_stack_cap);
	tcase_add_test(tc, test_preprocess_refuses);
	suite_add_tcase(s, tc);
	return s;
}
