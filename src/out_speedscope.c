/* out_speedscope: placeholder until the writer lands. */
#include "export.h"

int tk_export_speedscope(FILE *out, const struct tk_export *x, struct tk_diag *d)
{
	(void)out;
	(void)x;
	tk_diag_set(d, TK_EXIT_USAGE, "the speedscope writer is not built yet");
	return -1;
}
