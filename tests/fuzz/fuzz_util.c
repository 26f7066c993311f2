/* fuzz_util: the scratch file and null stream of fuzz.h. */
#include <fcntl.h>
#include <stdio.h>
#ifdef __GLIBC__
#include <stdio_ext.h>
#endif
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "fuzz.h"

static char scratch[256];
static int scratch_fd = -1;

/* One file, opened once: each input is written over it and the file cut
 * to its size (no open and close per input: a fifth of fuzz_log's time).
 * It is unlinked at once and read through /proc/self/fd, so a fuzzer
 * that dies (a crash, a timeout: no atexit) leaves nothing behind. */
const char *tk_fuzz_file(const uint8_t *data, size_t size)
{
	if (scratch_fd < 0) {
		const char *dir = getenv("TMPDIR");
		char name[256];
		snprintf(name, sizeof name, "%s/ticks-fuzz.XXXXXX", dir && *dir ? dir : "/tmp");
		scratch_fd = mkstemp(name);
		if (scratch_fd < 0) {
			perror(name);
			abort();
		}
		unlink(name);
		snprintf(scratch, sizeof scratch, "/proc/self/fd/%d", scratch_fd);
	}
	size_t done = 0;
	while (done < size) {
		ssize_t w = pwrite(scratch_fd, data + done, size - done, (off_t)done);
		if (w <= 0) {
			perror(scratch);
			abort();
		}
		done += (size_t)w;
	}
	if (ftruncate(scratch_fd, (off_t)size) != 0) {
		perror(scratch);
		abort();
	}
	return scratch;
}

FILE *tk_fuzz_null(void)
{
	static FILE *null;
	static int buf_set;
	if (!null && !(null = fopen("/dev/null", "w"))) {
		perror("/dev/null");
		abort();
	}
	if (null && !buf_set) {
		/* one write(2) per 64 KiB and no stream lock per fputc: the
		 * writers' output costs little of each input's time */
		static char buf[1 << 16];
		setvbuf(null, buf, _IOFBF, sizeof buf);
#ifdef __GLIBC__
		__fsetlocking(null, FSETLOCKING_BYCALLER);
#endif
		buf_set = 1;
	}
	return null;
}
