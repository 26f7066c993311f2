/* testutil: what several suites need: a temporary directory per test and
 * whole-file reads and writes inside it. */
#include <fcntl.h>
#include <gelf.h>
#include <libelf.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
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

size_t tk_test_exec_sections(const char *path, struct tk_test_range *out, size_t cap, int alloc_nonempty)
{
	int fd = open(path, O_RDONLY);
	size_t n = 0;
	ck_assert_int_ge(fd, 0);
	ck_assert_int_ne(elf_version(EV_CURRENT), EV_NONE);
	Elf *elf = elf_begin(fd, ELF_C_READ, NULL);
	ck_assert_ptr_nonnull(elf);
	Elf_Scn *scn = NULL;
	while ((scn = elf_nextscn(elf, scn)) && n < cap) {
		GElf_Shdr sh;
		ck_assert_ptr_nonnull(gelf_getshdr(scn, &sh));
		if (!(sh.sh_flags & SHF_EXECINSTR))
			continue;
		if (alloc_nonempty && (!(sh.sh_flags & SHF_ALLOC) || !sh.sh_size))
			continue;
		out[n++] = (struct tk_test_range){ sh.sh_addr, sh.sh_addr + sh.sh_size };
	}
	elf_end(elf);
	close(fd);
	return n;
}
