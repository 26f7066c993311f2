/* out_cpuprofile: placeholder until the writer lands. */
#include "export.h"

int tk_export_cpuprofile(FILE *out, const struct tk_export *x, struct tk_diag *d)
{
	(void)out;
	(void)x;
	tk_diag_set(d, TK_EXIT_USAGE, "the cpuprofile writer is not built yet");
	return -1;
}
