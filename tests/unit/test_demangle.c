/* Tests of demangle: expected strings are what binutils 2.40 prints
 * (`nm -C`, `c++filt -i`) for the same raw names. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "symbols/demangle.h"
#include "suites.h"

static const struct {
	const char *raw;
	const char *want;
} cases[] = {
	{"_ZN2v88internal4Heap8ScavengeEv", "v8::internal::Heap::Scavenge()"},
	{"_ZN4node5StartEiPPc", "node::Start(int, char**)"},
	{"_ZN2tk7fixture3fooEv", "tk::fixture::foo()"},
	/* Clone suffixes are part of the demangler's output. */
	{"_ZN4node5StartEiPPc.cold", "node::Start(int, char**) [clone .cold]"},
	/* Standard abbreviations stay short, as nm -C prints them (plain
	 * c++filt would expand std::ostream). */
	{"_ZNSo3putEc", "std::ostream::put(char)"},
	{"_ZN2v84baselsERSoRKNS0_4TimeE",
	 "v8::base::operator<<(std::ostream&, v8::base::Time const&)"},
	/* Version suffixes: demangled up to the first '@', re-appended. */
	{"_ZNKSt5ctypeIcE13_M_widen_initEv@@GLIBCXX_3.4.11",
	 "std::ctype<char>::_M_widen_init() const@@GLIBCXX_3.4.11"},
	{"_ZdlPv@GLIBCXX_3.4", "operator delete(void*)@GLIBCXX_3.4"},
	/* Not Itanium names: unchanged (a bare "i" must not become "int"). */
	{"i", "i"},
	{"v", "v"},
	{"main", "main"},
	{"", ""},
	{"memcpy@@GLIBC_2.14", "memcpy@@GLIBC_2.14"},
	{"Builtins_LoadIC", "Builtins_LoadIC"},
	/* binutils does not demangle _GLOBAL__sub_I_ names at all. */
	{"_GLOBAL__sub_I_foo.cc", "_GLOBAL__sub_I_foo.cc"},
	{"_GLOBAL__sub_I__Z16_register_configv", "_GLOBAL__sub_I__Z16_register_configv"},
	/* Invalid mangled names: unchanged, suffix and all. */
	{"_Z", "_Z"},
	{"_Zfoo", "_Zfoo"},
	{"_Zfoo@@V1", "_Zfoo@@V1"},
	{"_Z@V1", "_Z@V1"},
};

START_TEST(test_table)
{
	struct tk_demangle dm = {0};
	const char *got = tk_demangle(&dm, cases[_i].raw);
	ck_assert_str_eq(got, cases[_i].want);
	/* Unchanged names are handed back as they are, not copied. */
	if (strcmp(cases[_i].raw, cases[_i].want) == 0)
		ck_assert_ptr_eq(got, cases[_i].raw);
	tk_demangle_release(&dm);
	ck_assert_ptr_null(dm.buf);
}
END_TEST

/* One reused buffer through every case in turn, long ones in between:
 * each result must be right although the buffer grew or was replaced. */
START_TEST(test_reuse)
{
	struct tk_demangle dm = {0};
	size_t n = sizeof cases / sizeof cases[0];
	/* "_ZN" + 150 x "3abc" + "Ev": 152 components, > 600 characters. */
	char longname[4096] = "_ZN";
	for (int i = 0; i < 150; i++)
		strcat(longname, "3abc");
	strcat(longname, "Ev");
	for (int round = 0; round < 3; round++) {
		for (size_t i = 0; i < n; i++) {
			ck_assert_str_eq(tk_demangle(&dm, cases[i].raw), cases[i].want);
			const char *l = tk_demangle(&dm, longname);
			ck_assert_uint_eq(strlen(l), 150 * 5 - 2 + 2);
			ck_assert(strncmp(l, "abc::abc::", 10) == 0);
			ck_assert_str_eq(l + strlen(l) - 5, "abc()");
		}
	}
	tk_demangle_release(&dm);
}
END_TEST

/* A versioned name longer than the on-stack copy (512 bytes) takes the
 * heap path. (The demangler itself gives up on names past about 1000
 * characters, as c++filt does.) */
START_TEST(test_long_versioned)
{
	struct tk_demangle dm = {0};
	static char raw[4096], want[4096];
	const char *id = "abcdefghijklmnopqrstuvwxyzabcdefghijklmnopqrstuvwxyzabcdefgh"; /* 60 */
	strcpy(raw, "_ZN");
	want[0] = '\0';
	for (int i = 0; i < 12; i++) {
		strcat(raw, "60");
		strcat(raw, id);
		if (i)
			strcat(want, "::");
		strcat(want, id);
	}
	strcat(raw, "Ev@@TK_1.0");
	strcat(want, "()@@TK_1.0");
	ck_assert_uint_gt(strlen(raw), 700);
	ck_assert_str_eq(tk_demangle(&dm, raw), want);
	/* And a short one right after, in the now large buffer. */
	ck_assert_str_eq(tk_demangle(&dm, "_ZdlPv@GLIBCXX_3.4"), "operator delete(void*)@GLIBCXX_3.4");
	tk_demangle_release(&dm);
}
END_TEST

/* Every output length around the buffer's capacity, with a suffix to
 * re-append: the buffer must grow for it (ASan sees an overflow). */
START_TEST(test_suffix_lengths)
{
	struct tk_demangle dm = {0};
	static char raw[1024], want[1024], id[700];
	const char *suffix = "@@A_VERSION_NAME_LONGER_THAN_THE_SLACK_1.2.3";
	for (int n = 1; n < 600; n++) {
		memset(id, 'q', (size_t)n);
		id[n] = '\0';
		snprintf(raw, sizeof raw, "_Z%d%sv%s", n, id, suffix);
		snprintf(want, sizeof want, "%s()%s", id, suffix);
		ck_assert_str_eq(tk_demangle(&dm, raw), want);
	}
	tk_demangle_release(&dm);
}
END_TEST

/* Past the demangler's nesting limit binutils gives up too (c++filt
 * prints 300 nested "5abcde" unchanged; 150 demangle): unchanged. */
START_TEST(test_too_deep)
{
	struct tk_demangle dm = {0};
	static char raw[4096];
	strcpy(raw, "_ZN");
	for (int i = 0; i < 300; i++)
		strcat(raw, "5abcde");
	strcat(raw, "Ev");
	ck_assert_ptr_eq(tk_demangle(&dm, raw), raw);
	tk_demangle_release(&dm);
}
END_TEST

/* A failure must not disturb the buffer a previous result lives in:
 * callers may not rely on it, but the next success must still work. */
START_TEST(test_fail_then_ok)
{
	struct tk_demangle dm = {0};
	ck_assert_str_eq(tk_demangle(&dm, "_ZN4node5StartEiPPc"), "node::Start(int, char**)");
	ck_assert_str_eq(tk_demangle(&dm, "_Zfoo"), "_Zfoo");
	ck_assert_str_eq(tk_demangle(&dm, "_ZNSo3putEc"), "std::ostream::put(char)");
	tk_demangle_release(&dm);
	/* Release twice is harmless. */
	tk_demangle_release(&dm);
}
END_TEST

Suite *tk_suite_demangle(void)
{
	Suite *s = suite_create("demangle");
	TCase *tc = tcase_create("demangle");
	tcase_add_loop_test(tc, test_table, 0, (int)(sizeof cases / sizeof cases[0]));
	tcase_add_test(tc, test_reuse);
	tcase_add_test(tc, test_long_versioned);
	tcase_add_test(tc, test_too_deep);
	tcase_add_test(tc, test_suffix_lengths);
	tcase_add_test(tc, test_fail_then_ok);
	suite_add_tcase(s, tc);
	return s;
}
