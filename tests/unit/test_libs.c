/* libs: repeated shared-library lines merge, lookups use exact ranges,
 * pseudo-libraries are never opened, missing files are counted. */
#include <check.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include "libs.h"
#include "suites.h"

static struct tk_names names;
static struct tk_elfcache cache;
static struct tk_libs libs;

static void setup(void)
{
	tk_names_init(&names);
	tk_elfcache_init(&cache, NULL);
	cache.quiet = 1;
	tk_libs_init(&libs);
}

static void teardown(void)
{
	tk_libs_release(&libs);
	tk_elfcache_release(&cache);
	tk_names_release(&names);
}

static const struct tk_name *nm(const char *s)
{
	return tk_names_intern(&names, s, strlen(s), TK_KIND_LIB);
}

START_TEST(merges_segments_with_same_start)
{
	/* Node 20's binary: three lines, one start, growing ends */
	const struct tk_name *node = nm("/no/such/node");
	tk_libs_add(&libs, &cache, node, 0x400000, 0xb71000);
	tk_libs_add(&libs, &cache, node, 0x400000, 0x25fe000);
	tk_libs_add(&libs, &cache, node, 0x400000, 0x2601000);
	ck_assert_uint_eq(libs.n, 1);
	const struct tk_lib *l = tk_libs_find(&libs, 0x1000000); /* in .text */
	ck_assert_ptr_nonnull(l);
	ck_assert_ptr_eq(l->name, node);
	ck_assert_uint_eq(l->end, 0x2601000);
	ck_assert_ptr_null(tk_libs_find(&libs, 0x2601000)); /* end is exclusive */
	ck_assert_ptr_null(tk_libs_find(&libs, 0x3fffff));
}
END_TEST

static const struct { uint64_t addr; const char *want; } find_cases[] = {
	{ 0x10000000, "/lib/a.so" },
	{ 0x100fffff, "/lib/a.so" },
	{ 0x10100000, NULL },
	{ 0x7f0000001000, "/lib/c.so" },
	{ 0x20000000, "/lib/b.so" },
	{ 0x0, NULL },
	{ UINT64_MAX, NULL },
	/* 2^32 and 2^44 away from a library: the reference's page aliasing */
	{ 0x10000000ull + (1ull << 32), NULL },
	{ 0x10000000ull + (1ull << 44), NULL },
};

START_TEST(finds_exact_ranges)
{
	/* added out of order, as worker logs may */
	tk_libs_add(&libs, &cache, nm("/lib/c.so"), 0x7f0000000000, 0x7f0000100000);
	tk_libs_add(&libs, &cache, nm("/lib/a.so"), 0x10000000, 0x10100000);
	tk_libs_add(&libs, &cache, nm("/lib/b.so"), 0x20000000, 0x20001000);
	const struct tk_lib *l = tk_libs_find(&libs, find_cases[_i].addr);
	if (!find_cases[_i].want)
		ck_assert_ptr_null(l);
	else {
		ck_assert_ptr_nonnull(l);
		ck_assert_str_eq(l->name->str, find_cases[_i].want);
	}
}
END_TEST

START_TEST(pseudo_libraries_not_opened)
{
	static const char *const pseudo[] = { "[vdso]", "[vsyscall]", "7f58f0003000-7f58f0019000" };
	for (size_t i = 0; i < 3; i++) {
		struct tk_elffile *f = tk_elfcache_get(&cache, pseudo[i]);
		ck_assert_int_eq(f->pseudo, 1);
		ck_assert_ptr_null(f->elf);
		ck_assert_ptr_null(f->disk_path);
	}
	ck_assert_uint_eq(cache.missing, 0);
	struct tk_elffile *f = tk_elfcache_get(&cache, "/no/such/lib.so");
	ck_assert_int_eq(f->pseudo, 0);
	ck_assert_ptr_null(f->elf);
	ck_assert_uint_eq(cache.missing, 1);
	ck_assert(strlen(f->why) > 0);
	/* the same path is opened once */
	ck_assert_ptr_eq(tk_elfcache_get(&cache, "/no/such/lib.so"), f);
	ck_assert_uint_eq(cache.missing, 1);
}
END_TEST

START_TEST(sysroot_prefixes_paths)
{
	struct tk_elfcache c;
	tk_elfcache_init(&c, "/mnt/host");
	struct tk_elffile *f = tk_elfcache_get(&c, "/usr/lib/libz.so.1");
	ck_assert_str_eq(f->disk_path, "/mnt/host/usr/lib/libz.so.1");
	tk_elfcache_release(&c);
}
END_TEST

START_TEST(opens_real_elf_and_biases)
{
	char path[4096];
	snprintf(path, sizeof path, "%s/fx.so", tk_test_fixtures());
	struct tk_elffile *f = tk_elfcache_get(&cache, path);
	ck_assert_msg(f->elf != NULL, "fixture %s: %s", path, f->why);
	tk_libs_add(&libs, &cache, nm(path), 0x7f1234560000, 0x7f1234570000);
	const struct tk_lib *l = tk_libs_find(&libs, 0x7f1234561000);
	ck_assert_ptr_nonnull(l);
	ck_assert_int_eq(l->has_bias, 1);
	ck_assert_uint_eq(l->bias, 0x7f1234560000);
}
END_TEST

Suite *tk_suite_libs(void)
{
	Suite *s = suite_create("libs");
	TCase *tc = tcase_create("libs");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, merges_segments_with_same_start);
	tcase_add_loop_test(tc, finds_exact_ranges, 0, sizeof find_cases / sizeof *find_cases);
	tcase_add_test(tc, pseudo_libraries_not_opened);
	tcase_add_test(tc, sysroot_prefixes_paths);
	tcase_add_test(tc, opens_real_elf_and_biases);
	suite_add_tcase(s, tc);
	return s;
}
