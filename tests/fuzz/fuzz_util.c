/* fuzz_util: the scratch file and null stream of fuzz.h. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "fuzz.h"

static char scratch[256];

static void remove_scratch(void)
{
	if (scratch[0])
		unlink(scratch);
}

const char *tk_fuzz_file(const uint8_t *data, size_t size)
{
	if (!scratch[0]) {
		const char *dir = getenv("TMPDIR");
		snprintf(scratch, sizeof scratch, "%s/ticks-fuzz.%ld", dir && *dir ? dir : "/tmp", (long)getpid());
		atexit(remove_scratch);
	}
	FILE *f = fopen(scratch, "wb");
	if (!f || (size && fwrite(data, 1, size, f) != size) || fclose(f) != 0) {
		perror(scratch);
		abort();
	}
	return scratch;
}

FILE *tk_fuzz_null(void)
{
	static FILE *null;
	if (!null && !(null = fopen("/dev/null", "w"))) {
		perror("/dev/null");
		abort();
	}
	return null;
}
