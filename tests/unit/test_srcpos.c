/* srcpos: pc -> line through code-source-info tables, caller frames at
 * the call, interpreted frames as logged, inlined chains, UTF-16
 * positions, data: URL source maps, scripts kept only when needed. */
#include <stdio.h>
#include <string.h>
#include "model/codemap.h"
#include "input/csv.h"
#include "input/v8log.h"
#include "base/frame.h"
#include "base/names.h"
#include "js/srcpos.h"
#include "suites.h"

struct fx {
	struct tk_names names;
	struct tk_codemap code;
	struct tk_fields f;
	struct tk_srcpos *sp;
	char line[4096];
};

static void fx_init(struct fx *x, int lines, int maps)
{
	memset(x, 0, sizeof *x);
	tk_names_init(&x->names);
	tk_codemap_init(&x->code);
	x->sp = tk_srcpos_new(lines, maps, NULL, 1);
}

static void fx_free(struct fx *x)
{
	tk_srcpos_free(x->sp);
	tk_codemap_release(&x->code);
	tk_names_release(&x->names);
	tk_csv_free(&x->f);
}

static void split(struct fx *x, const char *s)
{
	snprintf(x->line, sizeof x->line, "%s", s);
	tk_csv_split(&x->f, x->line, strlen(x->line), 0);
}

/* the line in x->f as the isolate hands it on: decoded, and only when usable */
static void fx_script(struct fx *x)
{
	struct tk_ev ev = { .type = tk_ev_type_of(x->f.s[0], x->f.n[0]), .lineno = 1, .f = &x->f };
	tk_v8log_decode(&ev, 0);
	if (!ev.bad)
		tk_srcpos_script(x->sp, &x->f, &ev.u.script);
}

static void fx_info(struct fx *x)
{
	struct tk_ev ev = { .type = tk_ev_type_of(x->f.s[0], x->f.n[0]), .lineno = 1, .f = &x->f };
	tk_v8log_decode(&ev, 0);
	if (!ev.bad)
		tk_srcpos_code_info(x->sp, &x->code, &ev.u.info);
}

/* function code at start: its display name, tier and SFI */
static struct tk_code *code(struct fx *x, uint64_t start, uint64_t size, const char *name, int tier, uint64_t sfi)
{
	struct tk_code *c = tk_codemap_add(&x->code, start, size);
	c->display = tk_names_intern(&x->names, name, strlen(name), TK_KIND_JS);
	c->is_func = 1;
	c->tier = (uint8_t)tier;
	tk_srcpos_code(x->sp, start, sfi, c->display);
	return c;
}

/* the frames of pc, as names joined by '|' */
static const char *frames(struct fx *x, uint64_t pc, int top)
{
	static char out[1024];
	uint32_t ids[16];
	struct tk_code *c = tk_codemap_find(&x->code, pc);
	size_t n = tk_srcpos_frames(x->sp, &x->names, c, c->display, pc, top, ids, 16);
	out[0] = 0;
	for (size_t i = 0; i < n; i++) {
		if (i)
			strcat(out, "|");
		strcat(out, tk_names_get(&x->names, ids[i])->str);
	}
	return out;
}

/* "function f(a) {\n  a++;\n  return g(a);\n}\nfunction g(b) {\n  return b * 2;\n}\n"
 * offsets: f at 0; "a++" at 18; "return g" at 25; "g(a)" at 32; g at 41;
 * "return b" at 58 */
#define SRC "function f(a) {\\n  a++;\\n  return g(a);\\n}\\nfunction g(b) {\\n  return b * 2;\\n}\\n"

START_TEST(test_lines)
{
	struct fx x;
	fx_init(&x, 1, 1);
	split(&x, "script-source,3,/app/x.js," SRC);
	fx_script(&x);
	code(&x, 0x1000, 0x100, "JS: *f /app/x.js:1:11", 5, 0xa0);
	split(&x, "code-source-info,0x1000,3,0,40,C0O0C10O18C20O25C30O32,,");
	fx_info(&x);
	ck_assert(tk_srcpos_active(x.sp));
	/* the last entry at or before the offset */
	ck_assert_str_eq(frames(&x, 0x1000, 1), "JS: *f /app/x.js:1");
	ck_assert_str_eq(frames(&x, 0x1000 + 10, 1), "JS: *f /app/x.js:2");
	ck_assert_str_eq(frames(&x, 0x1000 + 19, 1), "JS: *f /app/x.js:2");
	ck_assert_str_eq(frames(&x, 0x1000 + 25, 1), "JS: *f /app/x.js:3");
	ck_assert_str_eq(frames(&x, 0x1000 + 0xff, 1), "JS: *f /app/x.js:3");
	/* a caller's return address points after its call: offset - 1 */
	ck_assert_str_eq(frames(&x, 0x1000 + 20, 1), "JS: *f /app/x.js:3");
	ck_assert_str_eq(frames(&x, 0x1000 + 20, 0), "JS: *f /app/x.js:2");
	/* code-move keeps the table */
	ck_assert_int_eq(tk_codemap_move(&x.code, 0x1000, 0x5000), 0);
	ck_assert_str_eq(frames(&x, 0x5000 + 10, 1), "JS: *f /app/x.js:2");
	/* interpreted code: a bytecode offset, used as logged */
	code(&x, 0x2000, 0x40, "JS: ~f /app/x.js:1:11", 1, 0xa0);
	split(&x, "code-source-info,0x2000,3,0,40,C0O0C4O18C9O25,,");
	fx_info(&x);
	ck_assert_str_eq(frames(&x, 0x2000 + 4, 0), "JS: ~f /app/x.js:2");
	/* code without a table (baseline code logs none): unchanged */
	code(&x, 0x3000, 0x40, "JS: ^f /app/x.js:1:11", 2, 0xa0);
	split(&x, "code-source-info,0x3000,3,0,40,,,");
	fx_info(&x);
	ck_assert_str_eq(frames(&x, 0x3000 + 4, 1), "");
	fx_free(&x);
}
END_TEST

START_TEST(test_inlined)
{
	struct fx x;
	fx_init(&x, 1, 1);
	split(&x, "script-source,3,/app/x.js," SRC);
	fx_script(&x);
	/* g's own code tells its SFI's script */
	code(&x, 0x4000, 0x10, "JS: ~g /app/x.js:5:11", 1, 0xb0);
	split(&x, "code-source-info,0x4000,3,41,70,C0O58,,");
	fx_info(&x);
	/* f with g inlined at position 32 (g(a)); offsets 40.. run g's line 6 */
	code(&x, 0x1000, 0x100, "JS: *f /app/x.js:1:11", 5, 0xa0);
	split(&x, "code-source-info,0x1000,3,0,40,C0O0C10O18C40O58I0C60O25,F0O32,S0xb0");
	fx_info(&x);
	ck_assert_str_eq(frames(&x, 0x1000 + 45, 1), "JS: g /app/x.js:6 (inlined)|JS: *f /app/x.js:3");
	ck_assert_str_eq(frames(&x, 0x1000 + 61, 1), "JS: *f /app/x.js:3");
	/* an inlined function whose SFI was never logged: the frame stays whole */
	code(&x, 0x2000, 0x100, "JS: *f /app/x.js:1:11", 5, 0xa0);
	split(&x, "code-source-info,0x2000,3,0,40,C0O0C40O58I0,F0O32,S0xdead");
	fx_info(&x);
	ck_assert_str_eq(frames(&x, 0x2000 + 45, 1), "");
	/* a nested chain: h inlined into g inlined into f */
	code(&x, 0x3000, 0x100, "JS: *f /app/x.js:1:11", 5, 0xa0);
	split(&x, "code-source-info,0x3000,3,0,40,C0O0C40O18I1,F0O32F1O58I0,S0xb0S0xa0");
	fx_info(&x);
	ck_assert_str_eq(frames(&x, 0x3000 + 41, 1),
			 "JS: f /app/x.js:2 (inlined)|JS: g /app/x.js:6 (inlined)|JS: *f /app/x.js:3");
	fx_free(&x);
}
END_TEST

START_TEST(test_utf16)
{
	/* "é" is one UTF-16 unit, "😀" two; the logged positions count units */
	struct fx x;
	fx_init(&x, 1, 1);
	split(&x, "script-source,4,/u.js,// \\u00e9\\ud83d\\ude00\\nfunction f() {\\n  x();\\n}\\n");
	fx_script(&x);
	code(&x, 0x1000, 0x100, "JS: *f /u.js:2:11", 5, 0);
	/* line 2 starts at unit 7 ("// " 3, é 1, 😀 2, \n 1), line 3 at 22; "x()" at 24 */
	split(&x, "code-source-info,0x1000,4,7,30,C0O7C10O24C20O20,,");
	fx_info(&x);
	ck_assert_str_eq(frames(&x, 0x1000, 1), "JS: *f /u.js:2");
	ck_assert_str_eq(frames(&x, 0x1000 + 10, 1), "JS: *f /u.js:3");
	ck_assert_str_eq(frames(&x, 0x1000 + 20, 1), "JS: *f /u.js:2");
	const char *s;
	size_t n;
	ck_assert(tk_srcpos_line_text(x.sp, "f\t/u.js", 7, 3, &s, &n));
	ck_assert_int_eq((int)n, 6);
	ck_assert(memcmp(s, "  x();", 6) == 0);
	ck_assert(!tk_srcpos_line_text(x.sp, "f\t/u.js", 7, 9, &s, &n));
	unsigned first = 0, last = 0;
	tk_srcpos_func_lines(x.sp, "f\t/u.js", 7, &first, &last);
	ck_assert_uint_eq(first, 2);
	ck_assert_uint_eq(last, 4);
	fx_free(&x);
}
END_TEST

START_TEST(test_data_url_map)
{
	/* {"version":3,"sources":["a.ts"],"mappings":";AAUA;AACA"}: generated
	 * line 2 -> a.ts line 11, line 3 -> line 12, columns 0 */
	struct fx x;
	fx_init(&x, 0, 1);
	split(&x, "script-source,5,/d/a.js,x\\nfunction f() {\\n  y();\\n}\\n"
		  "//# sourceMappingURL=data:application/json;base64,"
		  "eyJ2ZXJzaW9uIjozLCJzb3VyY2VzIjpbImEudHMiXSwibWFwcGluZ3MiOiI7QUFVQTtBQUNBIn0=\\n");
	fx_script(&x);
	ck_assert(tk_srcpos_active(x.sp));
	code(&x, 0x1000, 0x100, "JS: *f /d/a.js:2:11", 5, 0);
	/* without --lines: the function's own position, mapped */
	ck_assert_str_eq(frames(&x, 0x1000, 1), "JS: *f /d/a.ts:11:1");
	fx_free(&x);
	/* with --lines */
	fx_init(&x, 1, 1);
	split(&x, "script-source,5,/d/a.js,x\\nfunction f() {\\n  y();\\n}\\n"
		  "//# sourceMappingURL=data:application/json;base64,"
		  "eyJ2ZXJzaW9uIjozLCJzb3VyY2VzIjpbImEudHMiXSwibWFwcGluZ3MiOiI7QUFVQTtBQUNBIn0=\\n");
	fx_script(&x);
	code(&x, 0x1000, 0x100, "JS: *f /d/a.js:2:11", 5, 0);
	split(&x, "code-source-info,0x1000,5,2,25,C0O2C10O18,,");
	fx_info(&x);
	ck_assert_str_eq(frames(&x, 0x1000 + 12, 1), "JS: *f /d/a.ts:12");
	fx_free(&x);
	/* --no-source-maps: nothing to do without --lines */
	fx_init(&x, 0, 0);
	split(&x, "script-source,5,/d/a.js,x\\n//# sourceMappingURL=data:application/json;base64,e30=\\n");
	fx_script(&x);
	ck_assert(!tk_srcpos_active(x.sp));
	fx_free(&x);
	/* a map comment that does not end the script (node's own sources
	 * mention it in strings) is not one */
	fx_init(&x, 0, 1);
	split(&x, "script-source,6,/e.js,const re = /sourceMappingURL=(.*)/;\\n"
		  "// sourceMappingURL=x.map is parsed here\\nf();\\n");
	fx_script(&x);
	ck_assert(!tk_srcpos_active(x.sp));
	fx_free(&x);
}
END_TEST

/* display names read back into their records (frame.h: writers' view of them) */
START_TEST(test_names_parse)
{
	static const struct {
		const char *name, *func, *script;
		unsigned line, column;
		char tier;
		int inlined;
	} cases[] = {
		{ "JS: *f /app/x.js:3", "f", "/app/x.js", 3, 0, '*', 0 },
		{ "JS: g /app/x.js:6 (inlined)", "g", "/app/x.js", 6, 0, 0, 1 },
		{ "LazyCompile: ~work /a/hot.js:12", "work", "/a/hot.js", 12, 0, '~', 0 },
		{ "JS: *f /app/x.js:1:11", "f", "/app/x.js", 1, 11, '*', 0 },
		{ "JS: *<anonymous> :7", "<anonymous>", "", 7, 0, '*', 0 },
		{ "JS: *f (inlined)", "f", NULL, 0, 0, '*', 1 },
	};
	struct tk_names t;
	tk_names_init(&t);
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		const struct tk_name *n = tk_names_intern(&t, cases[i].name, strlen(cases[i].name), TK_KIND_JS);
		const struct tk_frame_rec *fi = &n->frame;
		ck_assert_msg(fi->is_func, "%s", cases[i].name);
		ck_assert_msg(fi->func_len == strlen(cases[i].func) && memcmp(fi->func, cases[i].func, fi->func_len) == 0,
			      "%s: function '%.*s'", cases[i].name, (int)fi->func_len, fi->func);
		if (cases[i].script)
			ck_assert_msg(fi->script && fi->script_len == strlen(cases[i].script) &&
					      memcmp(fi->script, cases[i].script, fi->script_len) == 0,
				      "%s: script", cases[i].name);
		else
			ck_assert_ptr_null(fi->script);
		ck_assert_uint_eq(fi->line, cases[i].line);
		ck_assert_uint_eq(fi->column, cases[i].column);
		ck_assert_int_eq(fi->tier, cases[i].tier);
		ck_assert_int_eq(fi->inlined, cases[i].inlined);
	}
	tk_names_release(&t);
}
END_TEST

START_TEST(test_many_scripts)
{
	/* 10^5 scripts, each with its function's code and table, each hit
	 * and listed: every script, url and range lookup stays O(1) (they
	 * were linear scans: 70 s for 10^5) */
	enum { N = 100000 };
	struct fx x;
	fx_init(&x, 1, 1);
	char buf[256], key[64];
	for (unsigned i = 0; i < N; i++) {
		snprintf(buf, sizeof buf, "script-source,%u,/app/s%u.js," SRC, i + 1, i);
		split(&x, buf);
		fx_script(&x);
		snprintf(buf, sizeof buf, "JS: *f /app/s%u.js:1:11", i);
		code(&x, 0x100000 + (uint64_t)i * 0x100, 0x100, buf, 5, 0x10000000 + (uint64_t)i * 8);
		snprintf(buf, sizeof buf, "code-source-info,0x%x,%u,0,40,C0O0C10O18C20O25C30O32,,",
			 0x100000 + i * 0x100, i + 1);
		split(&x, buf);
		fx_info(&x);
		snprintf(buf, sizeof buf, "JS: *f /app/s%u.js:2", i);
		ck_assert_str_eq(frames(&x, 0x100000 + (uint64_t)i * 0x100 + 10, 1), buf);
	}
	for (unsigned i = 0; i < N; i++) {
		const char *t;
		size_t n;
		int kn = snprintf(key, sizeof key, "f\t/app/s%u.js", i);
		ck_assert_int_eq(tk_srcpos_line_text(x.sp, key, (size_t)kn, 2, &t, &n), 1);
		ck_assert_int_eq((int)n, 6);
		unsigned first = 0, last = 0;
		tk_srcpos_func_lines(x.sp, key, (size_t)kn, &first, &last);
		ck_assert_uint_eq(first, 1);
		ck_assert_uint_eq(last, 4);
	}
	ck_assert_msg(tk_srcpos_probes(x.sp) < 8ull * 4 * N, "probes %llu",
		      (unsigned long long)tk_srcpos_probes(x.sp));
	fx_free(&x);
}
END_TEST

static void b64(const char *in, char *out)
{
	static const char t[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	size_t n = strlen(in), o = 0;
	for (size_t i = 0; i < n; i += 3) {
		unsigned v = (unsigned char)in[i] << 16;
		if (i + 1 < n)
			v |= (unsigned char)in[i + 1] << 8;
		if (i + 2 < n)
			v |= (unsigned char)in[i + 2];
		out[o++] = t[v >> 18 & 63];
		out[o++] = t[v >> 12 & 63];
		out[o++] = i + 1 < n ? t[v >> 6 & 63] : '=';
		out[o++] = i + 2 < n ? t[v & 63] : '=';
	}
	out[o] = 0;
}

START_TEST(test_many_mapped_sources)
{
	/* 20,000 scripts, each with a source map whose one source has its
	 * content in the map: each mapped source's text is found through
	 * an index of the loaded maps (a scan of every script's map per
	 * file before) */
	enum { N = 20000 };
	struct fx x;
	fx_init(&x, 0, 1);
	char json[256], enc[400], buf[1024], key[64];
	for (unsigned i = 0; i < N; i++) {
		snprintf(json, sizeof json,
			 "{\"version\":3,\"sources\":[\"s%u.ts\"],\"sourcesContent\":[\"// s%u\\nlet v%u;\"],"
			 "\"mappings\":\";AAUA\"}", i, i, i);
		b64(json, enc);
		snprintf(buf, sizeof buf, "script-source,%u,/d/s%u.js,x\\nfunction f() {}\\n"
			 "//# sourceMappingURL=data:application/json;base64,%s\\n", i + 1, i, enc);
		split(&x, buf);
		fx_script(&x);
		snprintf(buf, sizeof buf, "JS: *f /d/s%u.js:2:11", i);
		code(&x, 0x100000 + (uint64_t)i * 0x100, 0x100, buf, 5, 0);
		snprintf(buf, sizeof buf, "JS: *f /d/s%u.ts:11:1", i);
		ck_assert_str_eq(frames(&x, 0x100000 + (uint64_t)i * 0x100, 1), buf);
	}
	for (unsigned i = 0; i < N; i++) {
		const char *t;
		size_t n;
		int kn = snprintf(key, sizeof key, "f\t/d/s%u.ts", i);
		ck_assert_int_eq(tk_srcpos_line_text(x.sp, key, (size_t)kn, 2, &t, &n), 1);
		snprintf(buf, sizeof buf, "let v%u;", i);
		ck_assert_int_eq((int)n, (int)strlen(buf));
		ck_assert_int_eq(memcmp(t, buf, n), 0);
	}
	ck_assert_msg(tk_srcpos_probes(x.sp) < 8ull * 4 * N, "probes %llu",
		      (unsigned long long)tk_srcpos_probes(x.sp));
	fx_free(&x);
}
END_TEST

START_TEST(test_url_latest_script)
{
	/* a repeated url names its latest script; a reused id gives its
	 * url back to the script before it */
	struct fx x;
	fx_init(&x, 1, 1);
	const char *t;
	size_t n;
	split(&x, "script-source,1,/app/e.js,one\\ntwo");
	fx_script(&x);
	split(&x, "script-source,2,/app/e.js,uno\\ndos");
	fx_script(&x);
	ck_assert_int_eq(tk_srcpos_line_text(x.sp, "f\t/app/e.js", 11, 1, &t, &n), 1);
	ck_assert_int_eq(strncmp(t, "uno", n), 0);
	split(&x, "script-source,2,/app/other.js,x");
	fx_script(&x);
	ck_assert_int_eq(tk_srcpos_line_text(x.sp, "f\t/app/e.js", 11, 1, &t, &n), 1);
	ck_assert_int_eq(strncmp(t, "one", n), 0);
	fx_free(&x);
}
END_TEST

Suite *tk_suite_srcpos(void)
{
	Suite *s = suite_create("srcpos");
	TCase *tc = tcase_create("positions");
	tcase_add_test(tc, test_lines);
	tcase_add_test(tc, test_many_scripts);
	tcase_add_test(tc, test_url_latest_script);
	tcase_add_test(tc, test_many_mapped_sources);
	tcase_add_test(tc, test_inlined);
	tcase_add_test(tc, test_utf16);
	tcase_add_test(tc, test_data_url_map);
	tcase_add_test(tc, test_names_parse);
	tcase_set_timeout(tc, 60);
	suite_add_tcase(s, tc);
	return s;
}
