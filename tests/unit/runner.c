/* runner: adds every suite of suites.h to one SRunner. */
#include <stdlib.h>
#include "suites.h"

const char *tk_test_fixtures(void)
{
	const char *d = getenv("TK_FIXTURES");
	return d && *d ? d : "build/fixtures";
}

int main(void)
{
	SRunner *sr = srunner_create(NULL);
#define TK_ADD_SUITE(name) srunner_add_suite(sr, tk_suite_##name());
	TK_SUITES(TK_ADD_SUITE)
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
