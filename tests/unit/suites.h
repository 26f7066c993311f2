/* The Check suites of tests/unit: one per module; runner.c runs them all
 * (or the one named by CK_RUN_SUITE, which Check reads itself). */
#ifndef TK_SUITES_H
#define TK_SUITES_H
#include <check.h>

#define TK_SUITES(X) \
	X(util) \
	X(names) \
	X(csv) \
	X(input) \
	X(codemap) \
	X(libs) \
	X(profile) \
	X(out_text) \
	X(isolate) \
	X(resolve) \
	X(elfsym) \
	X(demangle) \
	X(dwline)

#define TK_DECLARE_SUITE(name) Suite *tk_suite_##name(void);
TK_SUITES(TK_DECLARE_SUITE)

/* Directory of the ELF fixtures built by make (env TK_FIXTURES). */
const char *tk_test_fixtures(void);

#endif
