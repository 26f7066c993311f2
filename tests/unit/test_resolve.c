/* resolve: which entry names an address (library symbols, JIT code inside
 * a library, the library itself, Node 20's re-mapped builtins), and the
 * per-tick rules (UNKNOWN, C++ entry points). */
#include <check.h>
#include <regex.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include "ingest/isolate.h"
#include "base/rematch.h"
#include "ingest/resolve.h"
#include "suites.h"

static struct tk_names names;
static struct tk_elfcache cache;
static struct tk_opts opts;
static struct tk_isolate iso;

static void setup(void)
{
	tk_names_init(&names);
	tk_elfcache_init(&cache, NULL);
	cache.quiet = 1;
	tk_opts_default(&opts);
	opts.quiet = 1;
	tk_isolate_init(&iso, "test.log", &opts, &names, &cache);
}

static void teardown(void)
{
	tk_isolate_release(&iso);
	tk_elfcache_release(&cache);
	tk_names_release(&names);
}

static void feed(const char *text)
{
	char buf[4096];
	snprintf(buf, sizeof buf, "%s", text);
	tk_isolate_line(&iso, buf, strlen(buf), 1);
}

static const char *name_at(uint64_t addr)
{
	struct tk_frame fr;
	if (!tk_resolve_addr(&iso.res, addr, &fr))
		return NULL;
	return fr.name->str;
}

/* Node 20: builtins logged in the binary (0x18c4000...), run from a copy
 * at the end of the 512 MiB code range, rounded to 256 KiB. */
START_TEST(node20_remapped_builtins)
{
	feed("v8-version,11,3,244,8,-node.38,0");
	feed("shared-library,/no/such/node,0x400000,0x2601000,0");
	feed("new,CodeRange,0x7ffb44000000,0");
	feed("code-creation,Builtin,2,1,0x18c4000,256,FirstBuiltin");
	feed("code-creation,Builtin,2,1,0x18c4100,512,LoadIC");
	feed("code-creation,BytecodeHandler,2,1,0x18c4300,0x100,LdaZero");
	/* blob 0x18c4000..0x18c4400 (1 KiB) -> rounded 256 KiB */
	uint64_t base = 0x7ffb44000000ull + (512ull << 20) - (256 << 10);
	ck_assert_str_eq(name_at(base + 0x100 + 7), "Builtin: LoadIC");
	ck_assert_str_eq(name_at(base + 0x300), "BytecodeHandler: LdaZero");
	ck_assert_str_eq(name_at(base), "Builtin: FirstBuiltin");
	ck_assert_ptr_null(name_at(base + 0x400)); /* past the blob */
	ck_assert_ptr_null(name_at(base - 1));
	/* in the binary itself: no symbols (missing file) -> the logged code */
	ck_assert_str_eq(name_at(0x18c4100), "Builtin: LoadIC");
	/* elsewhere in the binary: the library */
	ck_assert_str_eq(name_at(0x500000), "/no/such/node");
}
END_TEST

START_TEST(node22_builtins_not_remapped)
{
	/* Node 22+: builtins logged where they run, inside the code range */
	feed("v8-version,12,4,254,21,-node.57,0");
	feed("shared-library,/no/such/node,0x400000,0x3401000,0");
	feed("new,CodeRange,0x7f7bb7e00000,0");
	feed("code-creation,Builtin,2,1,0x7f7bb7e00000,768,DeoptimizationEntry_Eager");
	ck_assert_str_eq(name_at(0x7f7bb7e00010), "Builtin: DeoptimizationEntry_Eager");
	uint64_t base = 0x7f7bb7e00000ull + (512ull << 20) - (256 << 10);
	ck_assert_ptr_null(name_at(base + 0x10));
}
END_TEST

START_TEST(library_symbols_win_over_code)
{
	char line[4096];
	snprintf(line, sizeof line, "shared-library,%s/fx.so,0x7f0000000000,0x7f0000200000,0",
		 tk_test_fixtures());
	feed("v8-version,11,3,244,8,-node.38,0");
	feed(line);
	/* a code object logged over the whole library: symbols still win,
	 * the code covers the gaps between symbols */
	feed("code-creation,Builtin,2,1,0x7f0000000000,0x200000,Everything");
	const struct tk_lib *lib = tk_libs_find(&iso.libs, 0x7f0000000000);
	ck_assert_ptr_nonnull(lib);
	ck_assert_ptr_nonnull(lib->file->elf);
	struct tk_elfsym *e = lib->file->elf;
	const struct tk_sym *a = NULL;
	for (size_t i = 0; i < tk_elfsym_count(e); i++)
		if (strcmp(tk_elfsym_at(e, i)->name, "tk_fixture_a") == 0)
			a = tk_elfsym_at(e, i);
	ck_assert_ptr_nonnull(a);
	ck_assert_str_eq(name_at(0x7f0000000000 + a->start + 1), "tk_fixture_a");
	ck_assert_str_eq(name_at(0x7f0000000000 + 0x1fff00), "Builtin: Everything");
}
END_TEST

/* stack (innermost first) -> C++ entry point counted, or none */
START_TEST(entry_points)
{
	char line[4096];
	snprintf(line, sizeof line, "shared-library,%s/fx.so,0x7f0000000000,0x7f0000200000,0",
		 tk_test_fixtures());
	feed(line);
	feed("code-creation,JS,10,1,0x3e0000001000,256,f /a.js:1:1,0x3e0000009000,*");
	const struct tk_lib *lib = tk_libs_find(&iso.libs, 0x7f0000000000);
	ck_assert_ptr_nonnull(lib->file->elf);
	struct tk_elfsym *e = lib->file->elf;
	uint64_t a = 0, b = 0;
	for (size_t i = 0; i < tk_elfsym_count(e); i++) {
		if (strcmp(tk_elfsym_at(e, i)->name, "tk_fixture_a") == 0)
			a = 0x7f0000000000 + tk_elfsym_at(e, i)->start + 1;
		if (strcmp(tk_elfsym_at(e, i)->name, "tk_fixture_b") == 0)
			b = 0x7f0000000000 + tk_elfsym_at(e, i)->start + 1;
	}
	ck_assert(a && b);
	uint64_t js = 0x3e0000001010;
	/* b <- a <- JS: the entry is a (last C++ frame before JS) */
	uint64_t s1[] = { b, a, js };
	tk_resolve_tick(&iso.res, s1, 3, 0, 0, NULL, NULL);
	/* C++ to the end: no entry */
	uint64_t s2[] = { b, a };
	tk_resolve_tick(&iso.res, s2, 2, 0, 0, NULL, NULL);
	/* JS first: no entry */
	uint64_t s3[] = { js, a };
	tk_resolve_tick(&iso.res, s3, 2, 0, 0, NULL, NULL);
	/* unknown caller ends the run: entry b */
	uint64_t s4[] = { b, 0x1234 };
	tk_resolve_tick(&iso.res, s4, 2, 0, 0, NULL, NULL);
	ck_assert_uint_eq(iso.prof.entry_total, 2);
	const struct tk_name *na = tk_names_intern(&names, "tk_fixture_a", 12, TK_KIND_NONE);
	const struct tk_name *nb = tk_names_intern(&names, "tk_fixture_b", 12, TK_KIND_NONE);
	ck_assert_uint_eq(iso.prof.entry[na->id], 1);
	ck_assert_uint_eq(iso.prof.entry[nb->id], 1);
	/* unresolved first frame: UNKNOWN, counted; deeper ones vanish */
	uint64_t s5[] = { 0x1234, 0x5678, js };
	tk_resolve_tick(&iso.res, s5, 3, 0, 0, NULL, NULL);
	ck_assert_uint_eq(iso.prof.unaccounted, 1);
	ck_assert_uint_eq(iso.prof.self[iso.res.unknown->id], 1);
}
END_TEST

/* The address of symbol name in the fixture file (read apart). */
static uint64_t fx_addr(const char *file, const char *name)
{
	char path[4096];
	snprintf(path, sizeof path, "%s/%s", tk_test_fixtures(), file);
	struct tk_diag d = {0};
	struct tk_elfsym *e = tk_elfsym_open(path, &d);
	ck_assert_ptr_nonnull(e);
	uint64_t at = 0;
	for (size_t i = 0; i < tk_elfsym_count(e); i++)
		if (strcmp(tk_elfsym_at(e, i)->name, name) == 0)
			at = tk_elfsym_at(e, i)->start;
	tk_elfsym_free(e);
	ck_assert_uint_ne(at, 0);
	return at;
}

/* A library replaced on disk after its first names were read: the next
 * symbol is not named from the new file at the old offset; the file is
 * counted with the unreadable ones and its ticks, earlier names' too,
 * go to library level (missing file) from then on. */
START_TEST(library_changed_on_disk)
{
	uint64_t a = fx_addr("fx.so", "tk_fixture_a"), b = fx_addr("fx.so", "tk_fixture_b");
	char src[1024], line[2048];
	snprintf(src, sizeof src, "%s/fx.so", tk_test_fixtures());
	size_t len, len2;
	char *data = tk_test_slurp(src, &len);
	snprintf(src, sizeof src, "%s/fx-stripped.so", tk_test_fixtures());
	char *other = tk_test_slurp(src, &len2);
	char lib[1024], tmp[1024];
	snprintf(lib, sizeof lib, "%s", tk_test_spit("lib.so", data, len));
	snprintf(tmp, sizeof tmp, "%s", tk_test_spit("new.so", other, len2));
	snprintf(line, sizeof line, "shared-library,%s,0x7f0000000000,0x7f0000200000,0", lib);
	feed("v8-version,11,3,244,8,-node.38,0");
	feed(line);
	ck_assert_str_eq(name_at(0x7f0000000000 + a + 1), "tk_fixture_a");
	ck_assert_uint_eq(cache.missing, 0);
	ck_assert_int_eq(rename(tmp, lib), 0);
	ck_assert_str_eq(name_at(0x7f0000000000 + b + 1), lib);
	ck_assert_uint_eq(cache.missing, 1);
	ck_assert_str_eq(name_at(0x7f0000000000 + a + 1), lib); /* cached before: anew */
	snprintf(line, sizeof line, "tick,0x%llx,5,0,0x0,6", (unsigned long long)(0x7f0000000000 + b + 2));
	feed(line);
	ck_assert_uint_eq(iso.prof.why[TK_WHY_LIB_MISSING], 1);
	free(data);
	free(other);
}
END_TEST

/* the resolver stands alone: its own code map, libraries and profile,
 * no isolate; the pc's frame comes back to the caller (for --pcs) */
START_TEST(resolver_without_isolate)
{
	struct tk_codemap code;
	struct tk_libs libs;
	struct tk_profile prof;
	struct tk_resolver rs;
	struct tk_resolve_opts ro = { .separate_builtins = 1, .quiet = 1 };
	tk_codemap_init(&code);
	tk_libs_init(&libs);
	tk_profile_init(&prof);
	tk_resolver_init(&rs, &ro, &names, &cache, &code, &libs, &prof);
	struct tk_code *c = tk_codemap_add(&code, 0x1000, 0x100);
	c->type = tk_names_intern(&names, "Builtin", 7, TK_KIND_NONE);
	c->raw = tk_names_intern(&names, "Foo", 3, TK_KIND_NONE);
	uint64_t s1[] = { 0x1010, 0x9999 };
	struct tk_frame first;
	struct tk_tick_result r;
	tk_resolve_tick(&rs, s1, 2, 0, 0, &r, &first);
	ck_assert_int_eq(first.type, TK_FRAME_JS_OTHER);
	ck_assert_str_eq(first.name->str, "Builtin: Foo");
	ck_assert_uint_eq(prof.self[first.name->id], 1);
	uint64_t s2[] = { 0x5000 };
	tk_resolve_tick(&rs, s2, 1, 0, 0, &r, &first);
	ck_assert_int_eq(first.type, TK_FRAME_NONE);
	ck_assert_uint_eq(r.unaccounted, 1);
	ck_assert_uint_eq(prof.unaccounted, 1);
	ck_assert_uint_eq(prof.self[rs.unknown->id], 1);
	tk_resolve_replay(&rs, &r, 0, 0);
	ck_assert_uint_eq(prof.unaccounted, 2);
	tk_resolver_release(&rs);
	tk_profile_release(&prof);
	tk_libs_release(&libs);
	tk_codemap_release(&code);
}
END_TEST

/* --focus/--ignore/--hide: each distinct name is matched once, however
 * many ticks carry it */
START_TEST(regex_once_per_name)
{
	regex_t focus, hide;
	ck_assert_int_eq(regcomp(&focus, "(a|aa)*c", REG_EXTENDED | REG_NOSUB), 0);
	ck_assert_int_eq(regcomp(&hide, "^JS: ~h ", REG_EXTENDED | REG_NOSUB), 0);
	opts.focus = &focus;
	opts.hide = &hide;
	/* options are read at init */
	tk_isolate_release(&iso);
	tk_isolate_init(&iso, "test.log", &opts, &names, &cache);
	feed("code-creation,JS,10,1,0x3e0000001000,256,f /a.js:1:1,0x3e0000009000,~");
	feed("code-creation,JS,10,1,0x3e0000002000,256,g /a.js:2:1,0x3e000000a000,~");
	feed("code-creation,JS,10,1,0x3e0000003000,256,h /a.js:3:1,0x3e000000b000,~");
	uint64_t s[] = { 0x3e0000001010, 0x3e0000002010, 0x3e0000003010, 0x3e0000001010 };
	unsigned long long before = tk_rematch_calls;
	for (int i = 0; i < 100; i++)
		tk_resolve_tick(&iso.res, s, 4, 0, 0, NULL, NULL);
	/* f, g and h once each for --hide, f and g (h is hidden) for --focus */
	ck_assert_uint_eq(tk_rematch_calls - before, 5);
	ck_assert_uint_eq(iso.prof.excluded, 100);
	opts.focus = NULL;
	opts.hide = NULL;
	regfree(&focus);
	regfree(&hide);
}
END_TEST

/* a name is matched on its first TK_MATCH_PREFIX bytes; '$' does not
 * match where it is cut */
START_TEST(regex_prefix)
{
	size_t n = 3 * TK_MATCH_PREFIX;
	char *s = malloc(n + 1);
	memset(s, 'a', n);
	s[n] = 0;
	regex_t re;
	struct { const char *pat; size_t b; int want; } t[] = {
		{ "b", TK_MATCH_PREFIX - 1, 1 }, { "b", TK_MATCH_PREFIX, 0 }, { "a$", n, 0 },
		{ "^a+$", n, 0 }, { "^a", n, 1 }, { "(a|aa)*c", n, 0 }, { "b$", TK_MATCH_PREFIX - 1, 0 },
	};
	for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) {
		ck_assert_int_eq(regcomp(&re, t[i].pat, REG_EXTENDED | REG_NOSUB), 0);
		if (t[i].b < n)
			s[t[i].b] = 'b';
		ck_assert_msg(tk_rematch(&re, s, n) == t[i].want, "%s, b at %zu", t[i].pat, t[i].b);
		if (t[i].b < n)
			s[t[i].b] = 'a';
		regfree(&re);
	}
	/* short names whole, up to a NUL */
	ck_assert_int_eq(regcomp(&re, "^ab$", REG_EXTENDED | REG_NOSUB), 0);
	ck_assert(tk_rematch(&re, "ab", 2));
	ck_assert(tk_rematch(&re, "ab\0cd", 5));
	regfree(&re);
	free(s);
}
END_TEST

Suite *tk_suite_resolve(void)
{
	Suite *s = suite_create("resolve");
	TCase *tc = tcase_create("resolve");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, node20_remapped_builtins);
	tcase_add_test(tc, node22_builtins_not_remapped);
	tcase_add_test(tc, library_symbols_win_over_code);
	tcase_add_test(tc, entry_points);
	tcase_add_test(tc, resolver_without_isolate);
	tcase_add_test(tc, regex_once_per_name);
	tcase_add_test(tc, regex_prefix);
	suite_add_tcase(s, tc);
	TCase *disk = tcase_create("changed-on-disk");
	tcase_add_checked_fixture(disk, setup, teardown);
	tcase_add_checked_fixture(disk, tk_test_tmp_make, tk_test_tmp_remove);
	tcase_add_test(disk, library_changed_on_disk);
	suite_add_tcase(s, disk);
	return s;
}
