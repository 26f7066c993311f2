/* elfplt on aarch64 files, on any build host: the ELF fixtures cross-built
 * for aarch64 (make builds $TK_FIXTURES/aarch64 where
 * aarch64-linux-gnu-gcc exists; skipped elsewhere). Their .plt is a
 * 32-byte PLT0 and 16-byte entries "adrp x16; ldr x17, [x16, #OFF];
 * add x16; br x17", each named "NAME@plt" from the R_AARCH64_JUMP_SLOT
 * relocation of its GOT slot, as objdump names it; the assembler's
 * mapping symbols ($x, $d) name nothing; mappings of 4, 16 and 64 KiB
 * pages are told apart. */
#include <fcntl.h>
#include <gelf.h>
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "symbols/elfsym.h"
#include "symbols/elfsym_int.h"
#include "suites.h"

static const char *a64(const char *name)
{
	static char path[PATH_MAX];
	snprintf(path, sizeof path, "%s/aarch64/%s", tk_test_fixtures(), name);
	return path;
}

static int have_a64(const char *test)
{
	if (access(a64("fx.so"), R_OK) == 0)
		return 1;
	fprintf(stderr, "%s: no aarch64 fixtures (no aarch64-linux-gnu-gcc), skipped\n", test);
	return 0;
}

static struct tk_elfsym *open_ok(const char *path)
{
	struct tk_diag d = {0};
	struct tk_elfsym *e = tk_elfsym_open(path, &d);
	ck_assert_msg(e != NULL, "%s: %s", path, d.msg);
	return e;
}

static struct tk_sym *by_name(struct tk_elfsym *e, const char *name)
{
	for (size_t i = 0; i < tk_elfsym_count(e); i++)
		if (strcmp(tk_elfsym_at(e, i)->name, name) == 0)
			return tk_elfsym_at(e, i);
	return NULL;
}

/* The section's address and size; 0 when the file has none. */
static int section(const char *path, const char *want, uint64_t *addr, uint64_t *size)
{
	ck_assert_uint_ne(elf_version(EV_CURRENT), EV_NONE);
	int fd = open(path, O_RDONLY), found = 0;
	ck_assert_int_ge(fd, 0);
	Elf *elf = elf_begin(fd, ELF_C_READ, NULL);
	ck_assert_ptr_nonnull(elf);
	size_t shstrndx;
	ck_assert_int_eq(elf_getshdrstrndx(elf, &shstrndx), 0);
	GElf_Ehdr eh;
	ck_assert_ptr_nonnull(gelf_getehdr(elf, &eh));
	ck_assert_int_eq(eh.e_machine, EM_AARCH64);
	Elf_Scn *scn = NULL;
	while (!found && (scn = elf_nextscn(elf, scn))) {
		GElf_Shdr sh;
		ck_assert_ptr_nonnull(gelf_getshdr(scn, &sh));
		const char *n = elf_strptr(elf, shstrndx, sh.sh_name);
		if (n && strcmp(n, want) == 0) {
			*addr = sh.sh_addr;
			*size = sh.sh_size;
			found = 1;
		}
	}
	elf_end(elf);
	close(fd);
	return found;
}

static const char *const files[] = {"fx.so", "fx-pie", "fx-nopie", "fx-stripped.so",
				    /* objdump only: 24-byte entries */
				    "fx-pac.so", "fx-bti"};
#define N_LAYOUT 4

/* PLT0 names nothing; every 16-byte entry after it is "NAME@plt", with
 * the calls of fx.c among them. */
START_TEST(test_a64_plt_layout)
{
	if (!have_a64("test_a64_plt_layout"))
		return;
	const char *path = a64(files[_i]);
	uint64_t plt, size;
	ck_assert(section(path, ".plt", &plt, &size));
	ck_assert_uint_ge(size, 48);
	ck_assert_uint_eq(size % 16, 0);
	struct tk_elfsym *e = open_ok(path);
	for (uint64_t a = plt; a < plt + 32; a += 4)
		ck_assert_ptr_null(tk_elfsym_lookup(e, a));
	for (uint64_t a = plt + 32; a < plt + size; a += 4) {
		struct tk_sym *s = tk_elfsym_lookup(e, a);
		ck_assert_msg(s != NULL, "%s: nothing at %" PRIx64 " in .plt", files[_i], a);
		size_t n = strlen(s->name);
		ck_assert_msg(n > 4 && strcmp(s->name + n - 4, "@plt") == 0, "%s in .plt", s->name);
		ck_assert_uint_eq(s->start, a - (a - plt) % 16);
		ck_assert_uint_eq(s->end, s->start + 16);
	}
	struct tk_sym *s = by_name(e, "strlen@plt");
	ck_assert_ptr_nonnull(s);
	ck_assert(s->start >= plt + 32 && s->end <= plt + size);
	tk_elfsym_free(e);
}
END_TEST

/* Every "NAME@plt" objdump names (the cross binutils' objdump, where
 * installed) is named alike, at the same address, and no other. */
START_TEST(test_a64_plt_objdump)
{
	if (!have_a64("test_a64_plt_objdump"))
		return;
	const char *od = getenv("TK_AARCH64_OBJDUMP");
	if (!od)
		od = "aarch64-linux-gnu-objdump";
	char cmd[PATH_MAX * 2], line[1024];
	snprintf(cmd, sizeof cmd, "command -v '%s' >/dev/null 2>&1", od);
	if (system(cmd) != 0) {
		fprintf(stderr, "test_a64_plt_objdump: no %s, skipped\n", od);
		return;
	}
	const char *path = a64(files[_i]);
	snprintf(cmd, sizeof cmd, "'%s' -d -j .plt '%s' 2>/dev/null", od, path);
	FILE *p = popen(cmd, "r");
	ck_assert_ptr_nonnull(p);
	struct tk_elfsym *e = open_ok(path);
	size_t named = 0;
	while (fgets(line, sizeof line, p)) {
		uint64_t addr;
		char name[512];
		if (sscanf(line, "%" SCNx64 " <%511[^>]>:", &addr, name) != 2)
			continue;
		size_t n = strlen(name);
		if (n <= 4 || strcmp(name + n - 4, "@plt") != 0)
			continue;
		struct tk_sym *s = tk_elfsym_lookup(e, addr);
		ck_assert_msg(s != NULL, "%s: %s at %" PRIx64 " unnamed", files[_i], name, addr);
		ck_assert_str_eq(s->name, name);
		ck_assert_uint_eq(s->start, addr);
		ck_assert_uint_eq(s->end - s->start, _i < N_LAYOUT ? 16 : 24);
		named++;
	}
	ck_assert_int_eq(pclose(p), 0);
	ck_assert_uint_gt(named, 2);
	size_t ours = 0;
	for (size_t i = 0; i < tk_elfsym_count(e); i++) {
		const char *n = tk_elfsym_at(e, i)->name;
		size_t l = strlen(n);
		ours += l > 4 && strcmp(n + l - 4, "@plt") == 0;
	}
	ck_assert_uint_eq(ours, named);
	tk_elfsym_free(e);
}
END_TEST

/* The mapping symbols ($x at code, $d at data in code) name nothing:
 * the object tk_fixture_table in .text and _init (which a "$x" of crtn.o
 * follows inside .init) keep their own names and extents. */
START_TEST(test_a64_mapping_symbols)
{
	if (!have_a64("test_a64_mapping_symbols"))
		return;
	const char *path = a64(files[_i]);
	struct tk_elfsym *e = open_ok(path);
	for (size_t i = 0; i < tk_elfsym_count(e); i++) {
		const char *n = tk_elfsym_at(e, i)->name;
		ck_assert_msg(!(n[0] == '$' && (n[1] == 'x' || n[1] == 'd') && (!n[2] || n[2] == '.')),
			      "%s: mapping symbol %s kept", files[_i], n);
	}
	if (_i < 3) { /* with .symtab */
		struct tk_sym *t = by_name(e, "tk_fixture_table");
		ck_assert_ptr_nonnull(t);
		ck_assert_uint_eq(t->end - t->start, 16);
		ck_assert_ptr_eq(tk_elfsym_lookup(e, t->start), t);
		uint64_t init, size;
		ck_assert(section(path, ".init", &init, &size));
		struct tk_sym *s = by_name(e, "_init");
		ck_assert_ptr_nonnull(s);
		ck_assert_uint_eq(s->start, init);
		ck_assert_uint_eq(s->end, init + size);
	}
	tk_elfsym_free(e);
}
END_TEST

/* A mapping's END - START is rounded to the recording kernel's page: 4,
 * 16 or 64 KiB on aarch64. Each rounding of each executable segment of
 * fx-2seg.so (two, with different offset-to-address distances) picks that
 * segment's bias. */
START_TEST(test_a64_page_sizes)
{
	if (!have_a64("test_a64_page_sizes"))
		return;
	const char *path = a64("fx-2seg.so");
	struct tk_elfsym *e = open_ok(path);
	ck_assert_uint_eq(tk_elfsym_page_max(e), 0x10000);
	ck_assert_uint_eq(tk_elfsym_code_end(e) % 0x10000, 0);
	int fd = open(path, O_RDONLY);
	ck_assert_int_ge(fd, 0);
	ck_assert_uint_ne(elf_version(EV_CURRENT), EV_NONE);
	Elf *elf = elf_begin(fd, ELF_C_READ, NULL);
	ck_assert_ptr_nonnull(elf);
	size_t np;
	ck_assert_int_eq(elf_getphdrnum(elf, &np), 0);
	int segs = 0;
	for (size_t i = 0; i < np; i++) {
		GElf_Phdr ph;
		ck_assert_ptr_nonnull(gelf_getphdr(elf, (int)i, &ph));
		if (ph.p_type != PT_LOAD || !(ph.p_flags & PF_X))
			continue;
		uint64_t dist = (ph.p_vaddr & ~(uint64_t)0xfff) - (ph.p_offset & ~(uint64_t)0xfff);
		segs++;
		for (uint64_t pg = 0x1000; pg <= 0x10000; pg *= 4) {
			uint64_t start = 0x7f0000000000, b = 0;
			uint64_t end = start + ((ph.p_offset + ph.p_filesz + pg - 1) & ~(pg - 1));
			ck_assert_int_eq(tk_elfsym_bias(e, start, end, &b), 0);
			ck_assert_msg(b == start - dist, "segment %d, %" PRIu64 " KiB pages: bias %" PRIx64,
				      segs, pg / 1024, b);
		}
	}
	ck_assert_int_eq(segs, 2);
	elf_end(elf);
	close(fd);
	tk_elfsym_free(e);
}
END_TEST

/* The PLT's .dynsym entries are read in batches (tk_elfsym_read_syms):
 * each entry as tk_elfsym_read_sym reads it alone, in runs and across
 * gaps, entries past the table refused. On the host fixture and node. */
static const char *const batch_files[] = {"fx.so", "/usr/bin/node"};

START_TEST(test_read_syms_batch)
{
	char path[PATH_MAX];
	if (batch_files[_i][0] == '/')
		snprintf(path, sizeof path, "%s", batch_files[_i]);
	else
		snprintf(path, sizeof path, "%s/%s", tk_test_fixtures(), batch_files[_i]);
	if (access(path, R_OK) != 0) {
		fprintf(stderr, "test_read_syms_batch: %s absent, skipped\n", path);
		return;
	}
	ck_assert_uint_ne(elf_version(EV_CURRENT), EV_NONE);
	int fd = open(path, O_RDONLY);
	ck_assert_int_ge(fd, 0);
	Elf *elf = elf_begin(fd, ELF_C_READ, NULL);
	ck_assert_ptr_nonnull(elf);
	uint64_t size = (uint64_t)lseek(fd, 0, SEEK_END);
	GElf_Shdr sh;
	Elf_Scn *scn = NULL;
	int found = 0;
	while (!found && (scn = elf_nextscn(elf, scn)))
		found = gelf_getshdr(scn, &sh) && sh.sh_type == SHT_DYNSYM;
	ck_assert(found);
	size_t esz = gelf_fsize(elf, ELF_T_SYM, 1, EV_CURRENT);
	uint32_t count = (uint32_t)(sh.sh_size / esz);
	ck_assert_uint_gt(count, 4);
	/* runs of neighbours, steps of 7, one far jump, and two past the end */
	uint32_t *idx = malloc((count + 3) * sizeof *idx);
	size_t n = 0;
	for (uint32_t i = 1; i < count; i += i < 40 ? 1 : i < 3000 ? 7 : 997)
		idx[n++] = i;
	idx[n++] = count;
	idx[n++] = count + 1000;
	GElf_Sym *got = malloc(n * sizeof *got);
	unsigned char *ok = malloc(n);
	tk_elfsym_read_syms(fd, elf, size, &sh, idx, n, got, ok);
	for (size_t j = 0; j < n; j++) {
		GElf_Sym want;
		int w = tk_elfsym_read_sym(fd, elf, size, &sh, idx[j], &want) == 0;
		ck_assert_int_eq(ok[j], w);
		ck_assert_int_eq(ok[j], idx[j] < count);
		if (w)
			ck_assert(memcmp(&got[j], &want, sizeof want) == 0);
	}
	free(idx);
	free(got);
	free(ok);
	elf_end(elf);
	close(fd);
}
END_TEST

Suite *tk_suite_elfplt(void)
{
	Suite *s = suite_create("elfplt");
	TCase *tc = tcase_create("aarch64");
	int n = (int)(sizeof files / sizeof files[0]);
	tcase_add_loop_test(tc, test_a64_plt_layout, 0, N_LAYOUT);
	tcase_add_loop_test(tc, test_a64_plt_objdump, 0, n);
	tcase_add_loop_test(tc, test_a64_mapping_symbols, 0, N_LAYOUT);
	tcase_add_test(tc, test_a64_page_sizes);
	tcase_set_timeout(tc, 60);
	suite_add_tcase(s, tc);
	TCase *tb = tcase_create("batch");
	tcase_add_loop_test(tb, test_read_syms_batch, 0, (int)(sizeof batch_files / sizeof batch_files[0]));
	suite_add_tcase(s, tb);
	return s;
}
