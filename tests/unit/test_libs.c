/* libs: repeated shared-library lines merge, lookups use exact ranges,
 * pseudo-libraries are never opened, missing files are counted; separate
 * debug files are found (build id, debug link), checked (CRC, build id)
 * and used; logged ranges the file cannot hold are flagged. */
#include <check.h>
#include <dlfcn.h>
#include <fcntl.h>
#include <gelf.h>
#include <inttypes.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>
#include "model/libs.h"
#include "suites.h"

static struct tk_names names;
static struct tk_elfcache cache;
static struct tk_libs libs;

static void setup(void)
{
	tk_names_init(&names);
	tk_elfcache_init(&cache, NULL);
	cache.quiet = 1;
	tk_libs_init(&libs);
}

static void teardown(void)
{
	tk_libs_release(&libs);
	tk_elfcache_release(&cache);
	tk_names_release(&names);
}

static const struct tk_name *nm(const char *s)
{
	return tk_names_intern(&names, s, strlen(s), TK_KIND_LIB);
}

START_TEST(merges_segments_with_same_start)
{
	/* Node 20's binary: three lines, one start, growing ends */
	const struct tk_name *node = nm("/no/such/node");
	tk_libs_add(&libs, &cache, node, 0x400000, 0xb71000);
	tk_libs_add(&libs, &cache, node, 0x400000, 0x25fe000);
	tk_libs_add(&libs, &cache, node, 0x400000, 0x2601000);
	ck_assert_uint_eq(libs.n, 1);
	const struct tk_lib *l = tk_libs_find(&libs, 0x1000000); /* in .text */
	ck_assert_ptr_nonnull(l);
	ck_assert_ptr_eq(l->name, node);
	ck_assert_uint_eq(l->end, 0x2601000);
	ck_assert_ptr_null(tk_libs_find(&libs, 0x2601000)); /* end is exclusive */
	ck_assert_ptr_null(tk_libs_find(&libs, 0x3fffff));
}
END_TEST

static const struct { uint64_t addr; const char *want; } find_cases[] = {
	{ 0x10000000, "/lib/a.so" },
	{ 0x100fffff, "/lib/a.so" },
	{ 0x10100000, NULL },
	{ 0x7f0000001000, "/lib/c.so" },
	{ 0x20000000, "/lib/b.so" },
	{ 0x0, NULL },
	{ UINT64_MAX, NULL },
	/* 2^32 and 2^44 away from a library: the reference's page aliasing */
	{ 0x10000000ull + (1ull << 32), NULL },
	{ 0x10000000ull + (1ull << 44), NULL },
};

START_TEST(finds_exact_ranges)
{
	/* added out of order, as worker logs may */
	tk_libs_add(&libs, &cache, nm("/lib/c.so"), 0x7f0000000000, 0x7f0000100000);
	tk_libs_add(&libs, &cache, nm("/lib/a.so"), 0x10000000, 0x10100000);
	tk_libs_add(&libs, &cache, nm("/lib/b.so"), 0x20000000, 0x20001000);
	const struct tk_lib *l = tk_libs_find(&libs, find_cases[_i].addr);
	if (!find_cases[_i].want)
		ck_assert_ptr_null(l);
	else {
		ck_assert_ptr_nonnull(l);
		ck_assert_str_eq(l->name->str, find_cases[_i].want);
	}
}
END_TEST

START_TEST(pseudo_libraries_not_opened)
{
	static const char *const pseudo[] = { "[vdso]", "[vsyscall]", "7f58f0003000-7f58f0019000" };
	for (size_t i = 0; i < 3; i++) {
		struct tk_elffile *f = tk_elfcache_get(&cache, pseudo[i]);
		ck_assert_int_eq(f->pseudo, 1);
		ck_assert_ptr_null(f->elf);
		ck_assert_ptr_null(f->disk_path);
	}
	ck_assert_uint_eq(cache.missing, 0);
	struct tk_elffile *f = tk_elfcache_get(&cache, "/no/such/lib.so");
	ck_assert_int_eq(f->pseudo, 0);
	ck_assert_ptr_null(f->elf);
	ck_assert_uint_eq(cache.missing, 1);
	ck_assert(f->why && strlen(f->why) > 0);
	/* the same path is opened once */
	ck_assert_ptr_eq(tk_elfcache_get(&cache, "/no/such/lib.so"), f);
	ck_assert_uint_eq(cache.missing, 1);
}
END_TEST

START_TEST(sysroot_prefixes_paths)
{
	struct tk_elfcache c;
	tk_elfcache_init(&c, "/mnt/host");
	struct tk_elffile *f = tk_elfcache_get(&c, "/usr/lib/libz.so.1");
	ck_assert_str_eq(f->disk_path, "/mnt/host/usr/lib/libz.so.1");
	tk_elfcache_release(&c);
}
END_TEST

START_TEST(opens_real_elf_and_biases)
{
	char path[4096];
	snprintf(path, sizeof path, "%s/fx.so", tk_test_fixtures());
	struct tk_elffile *f = tk_elfcache_get(&cache, path);
	ck_assert_msg(f->elf != NULL, "fixture %s: %s", path, f->why ? f->why : "");
	tk_libs_add(&libs, &cache, nm(path), 0x7f1234560000, 0x7f1234570000);
	const struct tk_lib *l = tk_libs_find(&libs, 0x7f1234561000);
	ck_assert_ptr_nonnull(l);
	ck_assert_int_eq(l->has_bias, 1);
	ck_assert_uint_eq(l->bias, 0x7f1234560000);
}
END_TEST

/* --- separate debug files ------------------------------------------------ */

#define tmpdir tk_test_tmpdir

static void tmp_setup(void)
{
	setup();
	tk_test_tmp_make();
}

static void tmp_teardown(void)
{
	tk_test_tmp_remove();
	teardown();
}

static const char *fx(const char *name)
{
	static char path[PATH_MAX];
	snprintf(path, sizeof path, "%s/%s", tk_test_fixtures(), name);
	return path;
}

/* mkdir -p of the directory part of path. */
static void make_parents(const char *path)
{
	char buf[PATH_MAX];
	snprintf(buf, sizeof buf, "%s", path);
	for (char *p = buf + 1; (p = strchr(p, '/')); p++) {
		*p = 0;
		ck_assert_msg(mkdir(buf, 0700) == 0 || access(buf, X_OK) == 0, "mkdir %s", buf);
		*p = '/';
	}
}

static void spit(const char *path, const void *data, size_t len)
{
	make_parents(path);
	FILE *f = fopen(path, "wb");
	ck_assert_msg(f != NULL, "create %s", path);
	ck_assert_uint_eq(fwrite(data, 1, len, f), len);
	ck_assert_int_eq(fclose(f), 0);
}

static void copy_file(const char *from, const char *to)
{
	size_t len;
	char *data = tk_test_slurp(from, &len);
	spit(to, data, len);
	free(data);
}

/* tmpdir + "/" + template, with "@ID" replaced by the fixtures' build id
 * as a .build-id path ("xx/rest") and "@TMP" by tmpdir. */
static void expand(char *out, size_t cap, const char *tmpl)
{
	static char id[64];
	if (!id[0]) {
		struct tk_diag d = {0};
		struct tk_elfsym *e = tk_elfsym_open(fx("fx.so"), &d);
		ck_assert_msg(e != NULL, "%s", d.msg);
		size_t len;
		const unsigned char *b = tk_elfsym_build_id(e, &len);
		ck_assert_uint_eq(len, 20);
		char *p = id;
		for (size_t i = 0; i < len; i++) {
			p += sprintf(p, "%02x", b[i]);
			if (i == 0)
				*p++ = '/';
		}
		tk_elfsym_free(e);
	}
	size_t n = (size_t)snprintf(out, cap, "%s/", tmpdir);
	for (const char *t = tmpl; *t && n + 1 < cap;) {
		if (strncmp(t, "@ID", 3) == 0) {
			n += (size_t)snprintf(out + n, cap - n, "%s", id);
			t += 3;
		} else if (strncmp(t, "@TMP", 4) == 0) {
			n += (size_t)snprintf(out + n, cap - n, "%s", tmpdir + 1);
			t += 4;
		} else {
			out[n++] = *t++;
			out[n] = 0;
		}
	}
	ck_assert_uint_lt(n, cap);
}

/* Where the .gnu_debuglink CRC of an ELF file is, read here with libelf. */
static long debuglink_crc_offset(const char *path)
{
	int fd = open(path, O_RDONLY);
	long at = -1;
	size_t shstrndx;
	ck_assert_int_ge(fd, 0);
	ck_assert_int_ne(elf_version(EV_CURRENT), EV_NONE);
	Elf *elf = elf_begin(fd, ELF_C_READ, NULL);
	ck_assert_ptr_nonnull(elf);
	ck_assert_int_eq(elf_getshdrstrndx(elf, &shstrndx), 0);
	Elf_Scn *scn = NULL;
	while ((scn = elf_nextscn(elf, scn))) {
		GElf_Shdr sh;
		ck_assert_ptr_nonnull(gelf_getshdr(scn, &sh));
		const char *name = elf_strptr(elf, shstrndx, sh.sh_name);
		if (name && strcmp(name, ".gnu_debuglink") == 0) {
			Elf_Data *d = elf_getdata(scn, NULL);
			ck_assert_ptr_nonnull(d);
			size_t l = strlen(d->d_buf) + 1;
			at = (long)(sh.sh_offset + ((l + 3) & ~(size_t)3));
		}
	}
	elf_end(elf);
	close(fd);
	return at;
}

enum { KEEP, APPEND_BYTE, FORGE_CRC };

/* One placement of a library and candidate debug files, and what the
 * cache must make of it. Paths are under the test's temporary dir. */
static const struct {
	const char *what;
	const char *lib, *lib_at;    /* fixture copied as the library, to */
	const char *dbg, *dbg_at;    /* first candidate (NULL: none) */
	const char *dbg2, *dbg2_at;  /* second candidate (NULL: none) */
	int sysroot;                 /* sysroot = tmp/sys, lib_at under it */
	int root;                    /* debug_dirs = { tmp/root } */
	int mutate;                  /* done to the first candidate */
	const char *found_at;        /* expected debug_path, NULL: none */
	const char *why;             /* substring of debug_why ("" = empty) */
} debug_cases[] = {
	{"build id, --debug-dir", "fx-stripped.so", "lib/fx-stripped.so",
	 "fx-debuglink.so.debug", "root/.build-id/@ID.debug", NULL, NULL, 0, 1, KEEP,
	 "root/.build-id/@ID.debug", ""},
	{"debug link, same dir", "fx-debuglink.so", "lib/fx-debuglink.so",
	 "fx-debuglink.so.debug", "lib/fx-debuglink.so.debug", NULL, NULL, 0, 0, KEEP,
	 "lib/fx-debuglink.so.debug", ""},
	{"debug link, .debug/", "fx-debuglink.so", "lib/fx-debuglink.so",
	 "fx-debuglink.so.debug", "lib/.debug/fx-debuglink.so.debug", NULL, NULL, 0, 0, KEEP,
	 "lib/.debug/fx-debuglink.so.debug", ""},
	{"debug link, --debug-dir + dir", "fx-debuglink.so", "lib/fx-debuglink.so",
	 "fx-debuglink.so.debug", "root/@TMP/lib/fx-debuglink.so.debug", NULL, NULL, 0, 1, KEEP,
	 "root/@TMP/lib/fx-debuglink.so.debug", ""},
	{"build id, sysroot's /usr/lib/debug", "fx-stripped.so", "sys/lib/fx-stripped.so",
	 "fx-debuglink.so.debug", "sys/usr/lib/debug/.build-id/@ID.debug", NULL, NULL, 1, 0, KEEP,
	 "sys/usr/lib/debug/.build-id/@ID.debug", ""},
	{"debug link, sysroot's /usr/lib/debug + dir", "fx-debuglink.so", "sys/lib/fx-debuglink.so",
	 "fx-debuglink.so.debug", "sys/usr/lib/debug/lib/fx-debuglink.so.debug", NULL, NULL, 1, 0, KEEP,
	 "sys/usr/lib/debug/lib/fx-debuglink.so.debug", ""},
	{"build id before debug link", "fx-debuglink.so", "lib/fx-debuglink.so",
	 "fx-debuglink.so.debug", "root/.build-id/@ID.debug",
	 "fx-debuglink.so.debug", "lib/fx-debuglink.so.debug", 0, 1, KEEP,
	 "root/.build-id/@ID.debug", ""},
	{"wrong CRC", "fx-debuglink.so", "lib/fx-debuglink.so",
	 "fx-debuglink.so.debug", "lib/fx-debuglink.so.debug", NULL, NULL, 0, 0, APPEND_BYTE,
	 NULL, "CRC"},
	{"other build id by build id path", "fx-stripped.so", "lib/fx-stripped.so",
	 "fx-nopie", "root/.build-id/@ID.debug", NULL, NULL, 0, 1, KEEP,
	 NULL, "build id differs"},
	{"other build id, CRC right", "fx-debuglink.so", "lib/fx-debuglink.so",
	 "fx-nopie", "lib/fx-debuglink.so.debug", NULL, NULL, 0, 0, FORGE_CRC,
	 NULL, "build id differs"},
	{"no .symtab in the candidate", "fx-stripped.so", "lib/fx-stripped.so",
	 "fx-stripped.so", "root/.build-id/@ID.debug", NULL, NULL, 0, 1, KEEP,
	 NULL, "no symbol table"},
	{"rejected by build id, then found by debug link", "fx-debuglink.so", "lib/fx-debuglink.so",
	 "fx-nopie", "root/.build-id/@ID.debug",
	 "fx-debuglink.so.debug", "lib/.debug/fx-debuglink.so.debug", 0, 1, KEEP,
	 "lib/.debug/fx-debuglink.so.debug", ""},
	{"nothing to find", "fx-debuglink.so", "lib/fx-debuglink.so",
	 NULL, NULL, NULL, NULL, 0, 1, KEEP, NULL, ""},
	{"not stripped: never looks", "fx.so", "lib/fx.so",
	 "fx-nopie", "root/.build-id/@ID.debug", NULL, NULL, 0, 1, KEEP, NULL, ""},
};

static struct tk_sym *sym_named(struct tk_elfsym *e, const char *name)
{
	for (size_t i = 0; i < tk_elfsym_count(e); i++)
		if (strcmp(tk_elfsym_at(e, i)->name, name) == 0)
			return tk_elfsym_at(e, i);
	return NULL;
}

START_TEST(finds_debug_files)
{
	char lib[PATH_MAX], dbg[PATH_MAX], dbg2[PATH_MAX], root[PATH_MAX], sys[PATH_MAX];
	expand(lib, sizeof lib, debug_cases[_i].lib_at);
	copy_file(fx(debug_cases[_i].lib), lib);
	if (debug_cases[_i].dbg) {
		expand(dbg, sizeof dbg, debug_cases[_i].dbg_at);
		copy_file(fx(debug_cases[_i].dbg), dbg);
	}
	if (debug_cases[_i].dbg2) {
		expand(dbg2, sizeof dbg2, debug_cases[_i].dbg2_at);
		copy_file(fx(debug_cases[_i].dbg2), dbg2);
	}
	if (debug_cases[_i].mutate == APPEND_BYTE) {
		FILE *f = fopen(dbg, "ab");
		ck_assert_ptr_nonnull(f);
		ck_assert_int_eq(fputc(0, f), 0);
		ck_assert_int_eq(fclose(f), 0);
	} else if (debug_cases[_i].mutate == FORGE_CRC) {
		size_t len, llen;
		char *data = tk_test_slurp(dbg, &len), *image = tk_test_slurp(lib, &llen);
		uint32_t crc = (uint32_t)crc32(0L, (const Bytef *)data, (uInt)len);
		long at = debuglink_crc_offset(lib);
		ck_assert(at > 0 && (size_t)at + 4 <= llen);
		for (int k = 0; k < 4; k++)
			image[at + k] = (char)(crc >> (8 * k)); /* little-endian x86-64 */
		spit(lib, image, llen);
		free(data);
		free(image);
	}

	struct tk_elfcache c;
	expand(sys, sizeof sys, "sys");
	tk_elfcache_init(&c, debug_cases[_i].sysroot ? sys : NULL);
	c.quiet = 1;
	expand(root, sizeof root, "root");
	const char *roots[] = { root };
	if (debug_cases[_i].root) {
		c.debug_dirs = roots;
		c.n_debug_dirs = 1;
	}
	/* with a sysroot the log names the path inside it */
	const char *logged = debug_cases[_i].sysroot ? lib + strlen(sys) : lib;
	struct tk_elffile *f = tk_elfcache_get(&c, logged);
	ck_assert_msg(f->elf != NULL, "%s: %s", debug_cases[_i].what, f->why ? f->why : "");
	ck_assert_str_eq(f->disk_path, lib);

	struct tk_diag d = {0};
	struct tk_elfsym *full = tk_elfsym_open(fx("fx.so"), &d);
	ck_assert_ptr_nonnull(full);
	if (debug_cases[_i].found_at) {
		char want[PATH_MAX];
		expand(want, sizeof want, debug_cases[_i].found_at);
		ck_assert_msg(f->debug_path != NULL, "%s: not found (%s)", debug_cases[_i].what,
			      f->debug_why ? f->debug_why : "");
		ck_assert_str_eq(f->debug_path, want);
		ck_assert_ptr_null(f->debug_why);
		/* exactly the unstripped file's symbols, PLT names included */
		ck_assert_uint_eq(tk_elfsym_count(f->elf), tk_elfsym_count(full));
		for (size_t i = 0; i < tk_elfsym_count(full); i++) {
			struct tk_sym *x = tk_elfsym_at(full, i), *y = tk_elfsym_at(f->elf, i);
			ck_assert_str_eq(x->name, y->name);
			ck_assert_uint_eq(x->start, y->start);
			ck_assert_uint_eq(x->end, y->end);
		}
		ck_assert_ptr_nonnull(sym_named(f->elf, "tk_fixture_static"));
	} else {
		ck_assert_ptr_null(f->debug_path);
		if (!*debug_cases[_i].why)
			ck_assert_ptr_null(f->debug_why);
		else
			ck_assert_msg(f->debug_why && strstr(f->debug_why, debug_cases[_i].why) &&
				      strstr(f->debug_why, dbg),
				      "%s: debug_why '%s'", debug_cases[_i].what, f->debug_why ? f->debug_why : "");
		/* the file's own symbols, as before */
		int own = tk_elfsym_has_symtab(f->elf);
		ck_assert_int_eq(sym_named(f->elf, "tk_fixture_static") != NULL, own);
		ck_assert_ptr_nonnull(sym_named(f->elf, own ? "tk_fixture_a" : "tk_fixture_a@@TKFX_1.0"));
	}
	ck_assert_uint_eq(c.missing, 0);
	tk_elfsym_free(full);
	tk_elfcache_release(&c);
}
END_TEST

/* The host's libc, where a debug package installed its symbols under
 * /usr/lib/debug/.build-id (Debian's libc6-dbg): found and used. */
START_TEST(host_libc_debug_file)
{
	char line[PATH_MAX + 256], path[PATH_MAX] = "";
	FILE *m = fopen("/proc/self/maps", "r");
	ck_assert_ptr_nonnull(m);
	while (!path[0] && fgets(line, sizeof line, m)) {
		char *slash = strchr(line, '/');
		if (slash && strstr(slash, "/libc.so.6")) {
			slash[strcspn(slash, "\n")] = 0;
			snprintf(path, sizeof path, "%s", slash);
		}
	}
	fclose(m);
	if (!path[0])
		return;
	struct tk_diag d = {0};
	struct tk_elfsym *plain = tk_elfsym_open(path, &d);
	ck_assert_msg(plain != NULL, "%s", d.msg);
	size_t len;
	const unsigned char *id = tk_elfsym_build_id(plain, &len);
	char dbg[PATH_MAX];
	int n = snprintf(dbg, sizeof dbg, "/usr/lib/debug/.build-id/");
	for (size_t i = 0; i < len && n < 200; i++)
		n += snprintf(dbg + n, sizeof dbg - (size_t)n, i == 0 ? "%02x/" : "%02x", id[i]);
	snprintf(dbg + n, sizeof dbg - (size_t)n, ".debug");
	if (tk_elfsym_has_symtab(plain) || !len || access(dbg, R_OK) != 0) {
		fprintf(stderr, "host_libc_debug_file: no debug file for %s, skipped\n", path);
		tk_elfsym_free(plain);
		return;
	}
	struct tk_elffile *f = tk_elfcache_get(&cache, path);
	ck_assert_ptr_nonnull(f->elf);
	ck_assert_msg(f->debug_path != NULL, "%s: %s", path, f->debug_why ? f->debug_why : "");
	ck_assert_str_eq(f->debug_path, dbg);
	/* local functions are back: many more symbols than .dynsym has */
	ck_assert_uint_gt(tk_elfsym_count(f->elf), tk_elfsym_count(plain) + 1000);
	tk_elfsym_free(plain);
}
END_TEST

/* --- logged ranges the file cannot hold ------------------------------------ */

/* the largest page of the file's architecture (64 KiB on aarch64),
 * set by code_end */
static uint64_t page = 0x1000;
#define PAGE_UP(x) (((x) + page - 1) & ~(page - 1))

/* The end of the code of path, from its program headers read here. */
static uint64_t code_end(const char *path)
{
	int fd = open(path, O_RDONLY);
	size_t np;
	uint64_t top = 0;
	ck_assert_int_ge(fd, 0);
	ck_assert_int_ne(elf_version(EV_CURRENT), EV_NONE);
	Elf *elf = elf_begin(fd, ELF_C_READ, NULL);
	ck_assert_ptr_nonnull(elf);
	GElf_Ehdr eh;
	ck_assert_ptr_nonnull(gelf_getehdr(elf, &eh));
	page = eh.e_machine == EM_AARCH64 ? 0x10000 : 0x1000;
	ck_assert_int_eq(elf_getphdrnum(elf, &np), 0);
	for (size_t i = 0; i < np; i++) {
		GElf_Phdr ph;
		ck_assert_ptr_nonnull(gelf_getphdr(elf, (int)i, &ph));
		uint64_t sz = ph.p_filesz > ph.p_memsz ? ph.p_filesz : ph.p_memsz;
		if (ph.p_type == PT_LOAD && (ph.p_flags & PF_X) && PAGE_UP(ph.p_offset + sz) > top)
			top = PAGE_UP(ph.p_offset + sz);
	}
	elf_end(elf);
	close(fd);
	return top;
}

enum { R_CODE, R_CODE_PLUS, R_PAGE, R_FILE_PLUS, R_HUGE };

/* END - START of each line, by what it is measured against; C = the
 * code end, F = the file's size rounded up to a page. */
static uint64_t range_len(int kind, uint64_t c, uint64_t f)
{
	switch (kind) {
	case R_CODE: return c;                  /* the right file */
	case R_CODE_PLUS: return c + 0x1000;    /* a page more code */
	case R_PAGE: return 0x1000;             /* one segment, or Node 6/8 */
	case R_FILE_PLUS: return f + 0x1000;    /* more than the file */
	default: return 0x2201000;              /* node 20's binary */
	}
}

static const struct {
	const char *file;
	int lines[3];         /* R_*, -1 ends */
	const char *why;      /* NULL: no mismatch; "code"/"file": which message */
} mismatch_cases[] = {
	{"fx.so", {R_CODE, -1}, NULL},
	{"fx.so", {R_PAGE, -1}, NULL},
	{"fx.so", {R_PAGE, R_CODE, -1}, NULL},
	{"fx.so", {R_CODE_PLUS, -1}, "code"},
	{"fx.so", {R_FILE_PLUS, -1}, "file"},
	{"fx.so", {R_HUGE, -1}, "file"},
	{"fx.so", {R_CODE, R_CODE_PLUS, -1}, "code"},        /* a merged line */
	{"fx.so", {R_CODE_PLUS, R_FILE_PLUS, -1}, "code"},   /* the first one is kept */
	{"fx-nopie", {R_CODE, -1}, NULL},
	{"fx-nopie", {R_CODE_PLUS, -1}, "code"},
	{"fx-2seg.so", {R_CODE, -1}, NULL},
	{"fx-2seg.so", {R_FILE_PLUS, -1}, "file"},
	{"fx-debuglink.so", {R_CODE_PLUS, -1}, "code"},
};

START_TEST(flags_mismatched_files)
{
	const char *path = fx(mismatch_cases[_i].file);
	uint64_t c = code_end(path);
	struct stat st;
	ck_assert_int_eq(stat(path, &st), 0);
	uint64_t size = (uint64_t)st.st_size;
	ck_assert_uint_gt(c, 0);
	ck_assert_uint_le(c, PAGE_UP(size));
	/* an ET_EXEC is logged at its link address, anything else wherever */
	uint64_t start = strcmp(mismatch_cases[_i].file, "fx-nopie") == 0 ? 0x400000 : 0x7f0012340000;
	const struct tk_name *name = nm(path);
	uint64_t first = 0;
	for (int k = 0; k < 3 && mismatch_cases[_i].lines[k] >= 0; k++) {
		uint64_t len = range_len(mismatch_cases[_i].lines[k], c, PAGE_UP(size));
		if (!first && len > c)
			first = len; /* the first line past the code: the one reported */
		tk_libs_add(&libs, &cache, name, start, start + len);
	}
	ck_assert_uint_eq(libs.n, 1);
	struct tk_elffile *f = libs.v[0].file;
	ck_assert_ptr_nonnull(f->elf);
	const char *why = mismatch_cases[_i].why;
	if (!why) {
		ck_assert_int_eq(f->mismatch, 0);
		ck_assert_ptr_null(f->mismatch_why);
		return;
	}
	ck_assert_int_eq(f->mismatch, 1);
	char want[256];
	if (strcmp(why, "code") == 0)
		snprintf(want, sizeof want, "the file on disk does not match the log (the log maps 0x%" PRIx64
			 " bytes, the file's code ends at 0x%" PRIx64 "): names may be wrong", first, c);
	else
		snprintf(want, sizeof want, "the file on disk does not match the log (the log maps 0x%" PRIx64
			 " bytes, the file has 0x%" PRIx64 "): names may be wrong", first, size);
	ck_assert_ptr_nonnull(f->mismatch_why);
	ck_assert_str_eq(f->mismatch_why, want);
	/* a missing file has nothing to compare */
	tk_libs_add(&libs, &cache, nm("/no/such/lib.so"), 0x10000, 0x20000000);
	ck_assert_int_eq(tk_elfcache_get(&cache, "/no/such/lib.so")->mismatch, 0);
}
END_TEST

/* What the loader really maps is never flagged: fx.so's executable
 * mapping, as V8 would log it from /proc/self/maps. */
START_TEST(real_mapping_not_flagged)
{
	char real[PATH_MAX], line[PATH_MAX + 256];
	ck_assert_ptr_nonnull(realpath(fx("fx.so"), real));
	void *h = dlopen(real, RTLD_NOW | RTLD_LOCAL);
	ck_assert_msg(h != NULL, "dlopen: %s", dlerror());
	FILE *m = fopen("/proc/self/maps", "r");
	ck_assert_ptr_nonnull(m);
	int lines = 0;
	while (fgets(line, sizeof line, m)) {
		uint64_t lo, hi, off;
		char perms[8], p[PATH_MAX];
		if (sscanf(line, "%" SCNx64 "-%" SCNx64 " %7s %" SCNx64 " %*s %*s %4095s",
			   &lo, &hi, perms, &off, p) != 5 || perms[2] != 'x' || strcmp(p, real))
			continue;
		tk_libs_add(&libs, &cache, nm(real), lo - off, hi);
		lines++;
	}
	fclose(m);
	ck_assert_int_ge(lines, 1);
	struct tk_elffile *f = tk_elfcache_get(&cache, real);
	ck_assert_ptr_nonnull(f->elf);
	ck_assert_int_eq(f->mismatch, 0);
	ck_assert_int_eq(libs.v[0].has_bias, 1);
	dlclose(h);
}
END_TEST

START_TEST(many_libraries_stay_cheap)
{
	/* 10^5 shared-library lines, each followed by a tick (the hostile
	 * interleaving), in falling address order, plus a repeat of every
	 * line: each add, merge and lookup inspects O(log^2 n) entries, not
	 * a share of n (the file cache and the library list were linear) */
	enum { N = 100000 };
	char buf[64];
	const struct tk_name **v = malloc(N * sizeof *v);
	for (unsigned i = 0; i < N; i++) {
		snprintf(buf, sizeof buf, "[anon:lib%u]", i);
		v[i] = nm(buf);
		uint64_t start = 0x7f0000000000ull - (uint64_t)i * 0x10000;
		tk_libs_add(&libs, &cache, v[i], start, start + 0x8000);
		const struct tk_lib *l = tk_libs_find(&libs, start + 0x100);
		ck_assert_ptr_nonnull(l);
		ck_assert_ptr_eq(l->name, v[i]);
		ck_assert_ptr_null(tk_libs_find(&libs, start + 0x9000)); /* a gap */
	}
	for (unsigned i = 0; i < N; i++) {
		uint64_t start = 0x7f0000000000ull - (uint64_t)i * 0x10000;
		tk_libs_add(&libs, &cache, v[i], start, start + 0xc000);
	}
	ck_assert_uint_eq(libs.n, N);
	ck_assert_uint_eq(cache.n, N);
	for (unsigned i = 0; i < N; i += 997) {
		uint64_t start = 0x7f0000000000ull - (uint64_t)i * 0x10000;
		const struct tk_lib *l = tk_libs_find(&libs, start + 0xa000); /* in the grown end */
		ck_assert_ptr_nonnull(l);
		ck_assert_ptr_eq(l->name, v[i]);
	}
	/* in address order for outputs */
	for (size_t i = 1; i < libs.n; i++)
		ck_assert(tk_libs_at(&libs, i - 1)->start < tk_libs_at(&libs, i)->start);
	ck_assert_msg(cache.by_path.probes < 4ull * N, "path probes %llu", (unsigned long long)cache.by_path.probes);
	ck_assert_msg(libs.by_key.probes < 3ull * 4 * N, "key probes %llu", (unsigned long long)libs.by_key.probes);
	/* 2 * N lookups over at most 17 runs: a binary search and 8 entries each */
	ck_assert_msg(libs.steps < 2ull * N * 17 * 26, "lookup steps %llu", (unsigned long long)libs.steps);
	free(v);
}
END_TEST

START_TEST(overlapping_ranges_pick_the_greatest_start)
{
	/* across runs as within one: the greatest start that holds addr */
	tk_libs_add(&libs, &cache, nm("[a]"), 0x1000, 0x9000);
	tk_libs_add(&libs, &cache, nm("[b]"), 0x3000, 0x4000);
	tk_libs_add(&libs, &cache, nm("[c]"), 0x2000, 0x8000);
	ck_assert_str_eq(tk_libs_find(&libs, 0x3500)->name->str, "[b]");
	ck_assert_str_eq(tk_libs_find(&libs, 0x4500)->name->str, "[c]");
	ck_assert_str_eq(tk_libs_find(&libs, 0x1500)->name->str, "[a]");
	ck_assert_str_eq(tk_libs_find(&libs, 0x8500)->name->str, "[a]");
	ck_assert_str_eq(tk_libs_at(&libs, 1)->name->str, "[c]");
}
END_TEST

Suite *tk_suite_libs(void)
{
	Suite *s = suite_create("libs");
	TCase *tc = tcase_create("libs");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, merges_segments_with_same_start);
	tcase_add_loop_test(tc, finds_exact_ranges, 0, sizeof find_cases / sizeof *find_cases);
	tcase_add_test(tc, pseudo_libraries_not_opened);
	tcase_add_test(tc, sysroot_prefixes_paths);
	tcase_add_test(tc, opens_real_elf_and_biases);
	tcase_add_test(tc, host_libc_debug_file);
	tcase_add_loop_test(tc, flags_mismatched_files, 0,
			    (int)(sizeof mismatch_cases / sizeof mismatch_cases[0]));
	tcase_add_test(tc, real_mapping_not_flagged);
	tcase_add_test(tc, many_libraries_stay_cheap);
	tcase_add_test(tc, overlapping_ranges_pick_the_greatest_start);
	suite_add_tcase(s, tc);

	TCase *dbg = tcase_create("debug-files");
	tcase_add_checked_fixture(dbg, tmp_setup, tmp_teardown);
	tcase_add_loop_test(dbg, finds_debug_files, 0, (int)(sizeof debug_cases / sizeof debug_cases[0]));
	tcase_set_timeout(dbg, 60);
	suite_add_tcase(s, dbg);
	return s;
}
