/* testutil: what several suites need: a temporary directory per test and
 * whole-file reads and writes inside it. */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include "suites.h"

char tk_test_tmpdir[PATH_MAX / 2];

void tk_test_tmp_make(void)
{
	const char *t = getenv("TMPDIR");
	snprintf(tk_test_tmpdir, sizeof tk_test_tmpdir, "%s/tk-test-XXXXXX", t && *t ? t : "/tmp");
	ck_assert_ptr_nonnull(mkdtemp(tk_test_tmpdir));
}

void tk_test_tmp_remove(void)
{
	char cmd[PATH_MAX];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", tk_test_tmpdir);
	if (system(cmd) != 0)
		fprintf(stderr, "cannot remove %s\n", tk_test_tmpdir);
}

char *tk_test_slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	ck_assert_msg(f != NULL, "open %s", path);
	ck_assert_int_eq(fseek(f, 0, SEEK_END), 0);
	long n = ftell(f);
	ck_assert_int_gt(n, 0);
	rewind(f);
	char *buf = malloc((size_t)n + 1);
	ck_assert_ptr_nonnull(buf);
	ck_assert_uint_eq(fread(buf, 1, (size_t)n, f), (size_t)n);
	fclose(f);
	*len = (size_t)n;
	return buf;
}

const char *tk_test_spit(const char *name, const void *data, size_t len)
{
	static char path[PATH_MAX];
	snprintf(path, sizeof path, "%s/%s", tk_test_tmpdir, name);
	FILE *f = fopen(path, "wb");
	ck_assert_ptr_nonnull(f);
	ck_assert_uint_eq(fwrite(data, 1, len, f), len);
	ck_assert_int_eq(fclose(f), 0);
	return path;
}
