/*
 * Tests of dwline on the fixtures of tests/fixtures/build.sh. Expected
 * positions come from outside dwline: addr2line (binutils' own DWARF
 * reader) for every address of every code section, the fixture source
 * itself (a function's start must map into its definition in fx.c), and
 * the ELF symbols read by elfsym. Nothing depends on one build's
 * addresses or line numbers. Built without libdwarf, the suite checks
 * only that dwline says so.
 */
#include <errno.h>
#include <fcntl.h>
#include <gelf.h>
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "symbols/dwline.h"
#include "symbols/elfsym.h"
#include "suites.h"

/* Declared here too until suites.h lists the suite. */
Suite *tk_suite_dwline(void);

static const char *fx(const char *name)
{
	static char path[PATH_MAX];
	snprintf(path, sizeof path, "%s/%s", tk_test_fixtures(), name);
	return path;
}

#ifndef TK_HAVE_LIBDWARF
#define TK_HAVE_LIBDWARF 0
#endif

#if TK_HAVE_LIBDWARF

/* The fixtures with DWARF: gcc's default DWARF 5 with absolute source
 * paths, the separate debug file of fx-debuglink.so, and DWARF 4 with a
 * relative source path (joined with DW_AT_comp_dir). */
static const char *const dwarf_fixtures[] = {
	"fx.so", "fx-nopie", "fx-pie", "fx-debuglink.so.debug", "fx-dwarf4.so",
	"fx-gz.so", /* compressed (gcc -gz=zlib): read as the others */
};
#define N_DWARF (sizeof dwarf_fixtures / sizeof dwarf_fixtures[0])

/* The C functions of fx.c (every definition there must be listed: see
 * test_table_complete) and, where the symbol at their start has another
 * name, that name: fx.h renames tk_fixture_mangled, and of the alias
 * pair elfsym keeps one name. */
static const struct {
	const char *name;
	const char *alt;
} fx_funcs[] = {
	{"tk_fixture_a", NULL},
	{"tk_fixture_b", NULL},
	{"tk_fixture_static", NULL},
	{"tk_fixture_call_static", NULL},
	{"tk_fixture_static_addr", NULL},
	{"tk_fixture_plt", NULL},
	{"tk_fixture_mangled", "_ZN2tk7fixture3fooEv"},
	{"tk_fixture_twin_b", "tk_fixture_twin_a"},
};
#define N_FUNCS (sizeof fx_funcs / sizeof fx_funcs[0])

static struct tk_dwline *open_ok(const char *path)
{
	struct tk_diag d = {0};
	struct tk_dwline *dl = tk_dwline_open(path, &d);
	ck_assert_msg(dl != NULL, "%s: %s", path, d.msg);
	return dl;
}

static int ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);
	return n >= m && strcmp(s + n - m, suffix) == 0;
}

/* --- fixture sources, read as text --- */

struct source {
	char **lines;   /* lines[0] is line 1, without the newline */
	size_t n;
};

static int read_source(const char *path, struct source *src)
{
	FILE *f = fopen(path, "r");
	char buf[4096];
	size_t cap = 0;
	src->lines = NULL;
	src->n = 0;
	if (!f)
		return -1;
	while (fgets(buf, sizeof buf, f)) {
		buf[strcspn(buf, "\n")] = 0;
		if (src->n == cap) {
			cap = cap ? 2 * cap : 128;
			src->lines = realloc(src->lines, cap * sizeof *src->lines);
			ck_assert_ptr_nonnull(src->lines);
		}
		src->lines[src->n] = strdup(buf);
		ck_assert_ptr_nonnull(src->lines[src->n]);
		src->n++;
	}
	fclose(f);
	return 0;
}

static void free_source(struct source *src)
{
	for (size_t i = 0; i < src->n; i++)
		free(src->lines[i]);
	free(src->lines);
}

/* A fixture source: where DWARF says it is (build.sh compiles by
 * absolute path, or relative with comp_dir), else as seen from the top
 * of the tree (make check runs there). */
static void load_source(const char *dwarf_path, const char *name, struct source *src)
{
	char path[PATH_MAX];
	if (dwarf_path && read_source(dwarf_path, src) == 0)
		return;
	snprintf(path, sizeof path, "tests/fixtures/%s", name);
	ck_assert_msg(read_source(path, src) == 0, "cannot read %s (at '%s' nor %s)", name,
		      dwarf_path ? dwarf_path : "", path);
}

/* Whether line i (0-based) of src starts the definition of a function,
 * "TYPE NAME(ARGS)" with "{" alone on the next line, as the fixtures write
 * them; *name gets its name. */
static int definition_at(const struct source *src, size_t i, char *name, size_t size)
{
	const char *l = src->lines[i], *paren = strchr(l, '(');
	if (i + 1 >= src->n || strcmp(src->lines[i + 1], "{") != 0 || !paren || strchr(l, ';') ||
	    l[0] == ' ' || l[0] == '\t' || l[0] == '/' || l[0] == '#')
		return 0;
	const char *end = paren, *start = paren;
	while (start > l && (start[-1] == '_' || (start[-1] >= 'a' && start[-1] <= 'z') ||
			     (start[-1] >= 'A' && start[-1] <= 'Z') || (start[-1] >= '0' && start[-1] <= '9')))
		start--;
	if (start == end || (size_t)(end - start) >= size)
		return 0;
	memcpy(name, start, (size_t)(end - start));
	name[end - start] = 0;
	return 1;
}

/* The lines [*first, *last] (1-based) of the definition of name in src:
 * from its "TYPE NAME(ARGS)" line to the "}" that closes it. */
static void definition_lines(const struct source *src, const char *name, unsigned *first, unsigned *last)
{
	char found[128];
	for (size_t i = 0; i < src->n; i++) {
		if (!definition_at(src, i, found, sizeof found) || strcmp(found, name) != 0)
			continue;
		for (size_t j = i + 2; j < src->n; j++) {
			if (strcmp(src->lines[j], "}") == 0) {
				*first = (unsigned)i + 1;
				*last = (unsigned)j + 1;
				return;
			}
		}
	}
	ck_abort_msg("no definition of %s in the fixture source", name);
}

/* --- ELF facts, read here with libelf --- */

/* The file offset and size of section name in path; 0 if absent. */
static int section_at(const char *path, const char *name, uint64_t *off, uint64_t *size)
{
	int fd = open(path, O_RDONLY), found = 0;
	ck_assert_int_ge(fd, 0);
	ck_assert_int_ne(elf_version(EV_CURRENT), EV_NONE);
	Elf *elf = elf_begin(fd, ELF_C_READ, NULL);
	ck_assert_ptr_nonnull(elf);
	size_t shstrndx;
	ck_assert_int_eq(elf_getshdrstrndx(elf, &shstrndx), 0);
	Elf_Scn *scn = NULL;
	while (!found && (scn = elf_nextscn(elf, scn))) {
		GElf_Shdr sh;
		ck_assert_ptr_nonnull(gelf_getshdr(scn, &sh));
		const char *n = elf_strptr(elf, shstrndx, sh.sh_name);
		if (n && strcmp(n, name) == 0 && sh.sh_type != SHT_NOBITS) {
			*off = sh.sh_offset;
			*size = sh.sh_size;
			found = 1;
		}
	}
	elf_end(elf);
	close(fd);
	return found;
}

/* Every address of every code section of path, and one past each end. */
static uint64_t *code_addresses(const char *path, size_t *n)
{
	struct tk_test_range r[64];
	size_t nr = tk_test_exec_sections(path, r, 64, 1), total = 0;
	ck_assert_uint_gt(nr, 0);
	for (size_t i = 0; i < nr; i++)
		total += (size_t)(r[i].hi - r[i].lo) + 1;
	uint64_t *a = malloc(total * sizeof *a);
	ck_assert_ptr_nonnull(a);
	*n = 0;
	for (size_t i = 0; i < nr; i++)
		for (uint64_t x = r[i].lo; x <= r[i].hi; x++)
			a[(*n)++] = x;
	return a;
}

static struct tk_sym *sym_named(struct tk_elfsym *e, const char *name)
{
	for (size_t i = 0; i < tk_elfsym_count(e); i++) {
		struct tk_sym *s = tk_elfsym_at(e, i);
		if (strcmp(s->name, name) == 0)
			return s;
	}
	return NULL;
}

/* --- addr2line --- */

static int have_addr2line(void)
{
	return system("command -v addr2line >/dev/null 2>&1") == 0;
}

/* One line of addr2line output as (file, line): 0 for "??:0", "file:?"
 * and the like (no line), 1 otherwise. The " (discriminator N)" suffix
 * is dropped. */
static int parse_a2l(char *text, char **file, unsigned *line)
{
	text[strcspn(text, "\n")] = 0;
	char *disc = strstr(text, " (discriminator ");
	if (disc)
		*disc = 0;
	char *colon = strrchr(text, ':');
	if (!colon || colon == text || !colon[1] || strspn(colon + 1, "0123456789") != strlen(colon + 1))
		return 0;
	unsigned long l = strtoul(colon + 1, NULL, 10);
	if (l == 0 || l > UINT_MAX)
		return 0;
	*colon = 0;
	*file = text;
	*line = (unsigned)l;
	return 1;
}

/* addr2line's answer for one address (a fresh process: in one batch,
 * binutils 2.40 answers a few addresses differently than alone). */
static int a2l_one(const char *path, uint64_t a, char *buf, size_t size, char **file, unsigned *line)
{
	char cmd[PATH_MAX + 64];
	snprintf(cmd, sizeof cmd, "addr2line -e '%s' 0x%" PRIx64, path, a);
	FILE *p = popen(cmd, "r");
	ck_assert_ptr_nonnull(p);
	ck_assert_ptr_nonnull(fgets(buf, (int)size, p));
	ck_assert_int_eq(pclose(p), 0);
	return parse_a2l(buf, file, line);
}

/* Compares dwline with addr2line on addrs[0..n), all in one addr2line
 * run; a disagreement is confirmed with addr2line alone before it fails. */
static void compare_a2l(const char *path, struct tk_dwline *dl, const uint64_t *addrs, size_t n)
{
	char tmp[PATH_MAX];
	const char *t = getenv("TMPDIR");
	snprintf(tmp, sizeof tmp, "%s/tk-dwline-addrs-XXXXXX", t && *t ? t : "/tmp");
	int fd = mkstemp(tmp);
	ck_assert_int_ge(fd, 0);
	FILE *f = fdopen(fd, "w");
	ck_assert_ptr_nonnull(f);
	for (size_t i = 0; i < n; i++)
		fprintf(f, "0x%" PRIx64 "\n", addrs[i]);
	ck_assert_int_eq(fclose(f), 0);
	char cmd[2 * PATH_MAX + 64], buf[PATH_MAX + 64];
	snprintf(cmd, sizeof cmd, "addr2line -e '%s' < '%s'", path, tmp);
	FILE *p = popen(cmd, "r");
	ck_assert_ptr_nonnull(p);
	size_t i = 0, with_line = 0;
	for (; i < n && fgets(buf, sizeof buf, p); i++) {
		char *file = NULL, *one_file = NULL, one[PATH_MAX + 64];
		unsigned line = 0, one_line = 0, got_line = 0;
		const char *got_file = NULL;
		int want = parse_a2l(buf, &file, &line);
		int got = tk_dwline_lookup(dl, addrs[i], &got_file, &got_line);
		if (got == want && (!got || (strcmp(got_file, file) == 0 && got_line == line))) {
			with_line += (size_t)got;
			continue;
		}
		want = a2l_one(path, addrs[i], one, sizeof one, &one_file, &one_line);
		ck_assert_msg(got == want, "%s 0x%" PRIx64 ": dwline %s:%u, addr2line %s", path, addrs[i],
			      got ? got_file : "??", got ? got_line : 0, want ? one : "no line");
		if (got) {
			ck_assert_msg(strcmp(got_file, one_file) == 0 && got_line == one_line,
				      "%s 0x%" PRIx64 ": dwline %s:%u, addr2line %s:%u", path, addrs[i],
				      got_file, got_line, one_file, one_line);
			with_line++;
		}
	}
	ck_assert_int_eq(pclose(p), 0);
	ck_assert_uint_eq(i, n);
	unlink(tmp);
	/* Lines for much of the code: C functions, not only crt code, PLTs
	 * and hand-written asm. */
	ck_assert_msg(with_line > n / 8, "%s: only %zu of %zu addresses have lines", path, with_line, n);
}

/* --- the cases --- */

/* Every function of fx.c, by the start address of its symbol: the line
 * lies in its definition in fx.c. */
START_TEST(test_functions)
{
	const char *file = dwarf_fixtures[_i / N_FUNCS];
	const char *path = fx(file);
	const char *name = fx_funcs[_i % N_FUNCS].name, *alt = fx_funcs[_i % N_FUNCS].alt;
	struct tk_diag d = {0};
	struct tk_elfsym *e = tk_elfsym_open(path, &d);
	ck_assert_msg(e != NULL, "%s: %s", path, d.msg);
	struct tk_sym *s = sym_named(e, name);
	if (!s && alt)
		s = sym_named(e, alt);
	ck_assert_msg(s != NULL, "%s: no symbol %s", file, name);
	struct tk_dwline *dl = open_ok(path);
	const char *src = NULL;
	unsigned line = 0, first = 0, last = 0;
	ck_assert_msg(tk_dwline_lookup(dl, s->start, &src, &line), "%s: %s at 0x%" PRIx64 " has no line",
		      file, name, s->start);
	ck_assert_msg(ends_with(src, "/fx.c"), "%s: %s in %s", file, name, src);
	ck_assert_msg(src[0] == '/', "%s: %s: relative path %s", file, name, src);
	struct source fxc;
	load_source(src, "fx.c", &fxc);
	definition_lines(&fxc, name, &first, &last);
	ck_assert_msg(first <= line && line <= last, "%s: %s at fx.c:%u, defined at %u-%u", file, name,
		      line, first, last);
	/* Its last byte is still in the function, and in fx.c. */
	const char *src2 = NULL;
	unsigned line2 = 0;
	ck_assert(tk_dwline_lookup(dl, s->end - 1, &src2, &line2));
	ck_assert_ptr_eq(src2, src);  /* one string per file */
	ck_assert_msg(first <= line2 && line2 <= last, "%s: end of %s at fx.c:%u, defined at %u-%u",
		      file, name, line2, first, last);
	free_source(&fxc);
	tk_dwline_free(dl);
	tk_elfsym_free(e);
}
END_TEST

/* fx_funcs lists every function fx.c defines. */
START_TEST(test_table_complete)
{
	struct tk_dwline *dl = open_ok(fx("fx.so"));
	struct tk_diag d = {0};
	struct tk_elfsym *e = tk_elfsym_open(fx("fx.so"), &d);
	ck_assert_msg(e != NULL, "%s", d.msg);
	const char *src = NULL;
	unsigned line = 0;
	struct tk_sym *s = sym_named(e, "tk_fixture_a");
	ck_assert_ptr_nonnull(s);
	ck_assert(tk_dwline_lookup(dl, s->start, &src, &line));
	struct source fxc;
	load_source(src, "fx.c", &fxc);
	size_t defs = 0;
	for (size_t i = 0; i < fxc.n; i++) {
		char name[128];
		if (!definition_at(&fxc, i, name, sizeof name))
			continue;
		size_t k = 0;
		while (k < N_FUNCS && strcmp(fx_funcs[k].name, name) != 0)
			k++;
		ck_assert_msg(k < N_FUNCS, "fx.c defines %s (line %zu): add it to fx_funcs", name, i + 1);
		defs++;
	}
	ck_assert_uint_eq(defs, N_FUNCS);
	free_source(&fxc);
	tk_elfsym_free(e);
	tk_dwline_free(dl);
}
END_TEST

/* Every address of every code section, and one past each, as addr2line
 * answers it: C functions, hand-written asm without rows, crt code,
 * padding between sequences, ends of sequences. */
START_TEST(test_addr2line)
{
	const char *path = fx(dwarf_fixtures[_i]);
	if (!have_addr2line()) {
		fprintf(stderr, "test_addr2line: no addr2line, skipped\n");
		return;
	}
	size_t n;
	uint64_t *a = code_addresses(path, &n);
	struct tk_dwline *dl = open_ok(path);
	compare_a2l(path, dl, a, n);
	tk_dwline_free(dl);
	free(a);
}
END_TEST

/* Lookups backwards, and jumping about (the last-hit cache), agree with
 * a table read forwards. */
START_TEST(test_lookup_order)
{
	const char *path = fx(dwarf_fixtures[_i]);
	size_t n;
	uint64_t *a = code_addresses(path, &n);
	const char **files = calloc(n, sizeof *files);
	unsigned *lines = calloc(n, sizeof *lines);
	ck_assert_ptr_nonnull(files);
	ck_assert_ptr_nonnull(lines);
	struct tk_dwline *fwd = open_ok(path), *bwd = open_ok(path);
	for (size_t k = 0; k < n; k++)
		if (!tk_dwline_lookup(fwd, a[k], &files[k], &lines[k]))
			files[k] = NULL;
	for (size_t step = 0; step < 2; step++) {
		for (size_t j = 0; j < n; j++) {
			/* backwards, then from both ends inwards */
			size_t k = step == 0 ? n - 1 - j : j % 2 ? n - 1 - j / 2 : j / 2;
			const char *f = NULL;
			unsigned l = 0;
			int r = tk_dwline_lookup(bwd, a[k], &f, &l);
			ck_assert_int_eq(r, files[k] != NULL);
			if (r) {
				ck_assert_str_eq(f, files[k]);
				ck_assert_uint_eq(l, lines[k]);
				ck_assert_uint_ge(l, 1);
			}
		}
	}
	tk_dwline_free(fwd);
	tk_dwline_free(bwd);
	free(files);
	free(lines);
	free(a);
}
END_TEST

/* Past the end of the code, and at the extremes, nothing. */
START_TEST(test_outside)
{
	const char *path = fx(dwarf_fixtures[_i]);
	struct tk_test_range r[64];
	size_t nr = tk_test_exec_sections(path, r, 64, 1);
	uint64_t top = 0;
	for (size_t i = 0; i < nr; i++)
		if (r[i].hi > top)
			top = r[i].hi;
	struct tk_dwline *dl = open_ok(path);
	const uint64_t outside[] = {0, 1, top, top + 1, top + 0x1000, UINT64_MAX / 2, UINT64_MAX - 1, UINT64_MAX};
	for (size_t i = 0; i < sizeof outside / sizeof outside[0]; i++) {
		const char *f = "untouched";
		unsigned l = 12345;
		ck_assert_msg(!tk_dwline_lookup(dl, outside[i], &f, &l), "%s: 0x%" PRIx64 " has a line",
			      path, outside[i]);
		ck_assert_str_eq(f, "untouched");
		ck_assert_uint_eq(l, 12345);
	}
	tk_dwline_free(dl);
}
END_TEST

/* The separate debug file answers exactly as the unstripped original. */
START_TEST(test_debug_file)
{
	size_t n;
	uint64_t *a = code_addresses(fx("fx.so"), &n);
	struct tk_dwline *so = open_ok(fx("fx.so")), *dbg = open_ok(fx("fx-debuglink.so.debug"));
	size_t with_line = 0;
	for (size_t i = 0; i < n; i++) {
		const char *f1 = NULL, *f2 = NULL;
		unsigned l1 = 0, l2 = 0;
		int r1 = tk_dwline_lookup(so, a[i], &f1, &l1), r2 = tk_dwline_lookup(dbg, a[i], &f2, &l2);
		ck_assert_msg(r1 == r2, "0x%" PRIx64 ": %d vs %d", a[i], r1, r2);
		if (r1) {
			ck_assert_str_eq(f1, f2);
			ck_assert_uint_eq(l1, l2);
			with_line++;
		}
	}
	ck_assert_uint_gt(with_line, 0);
	tk_dwline_free(so);
	tk_dwline_free(dbg);
	free(a);
}
END_TEST

/* DWARF 4 with a relative source path: the name is joined with the CU's
 * comp_dir, into the same path as the DWARF 5 build's. */
START_TEST(test_comp_dir)
{
	struct tk_diag d = {0};
	struct tk_elfsym *e4 = tk_elfsym_open(fx("fx-dwarf4.so"), &d), *e5 = tk_elfsym_open(fx("fx.so"), &d);
	ck_assert_ptr_nonnull(e4);
	ck_assert_ptr_nonnull(e5);
	struct tk_dwline *d4 = open_ok(fx("fx-dwarf4.so")), *d5 = open_ok(fx("fx.so"));
	const char *f4 = NULL, *f5 = NULL;
	unsigned l4 = 0, l5 = 0;
	ck_assert(tk_dwline_lookup(d4, sym_named(e4, "tk_fixture_plt")->start, &f4, &l4));
	ck_assert(tk_dwline_lookup(d5, sym_named(e5, "tk_fixture_plt")->start, &f5, &l5));
	ck_assert_str_eq(f4, f5);
	tk_dwline_free(d4);
	tk_dwline_free(d5);
	tk_elfsym_free(e4);
	tk_elfsym_free(e5);
}
END_TEST

/* A unit whose first code is a function of its header: its rows rely
 * on DWARF 5's initial file register, 1, which names fxinl.h here.
 * binutils 2.40's addr2line reads it as 0 and answers fxinl.c, so this
 * file stays out of the addr2line cases. */
static const struct {
	const char *func, *file;
} inl_funcs[] = {
	{"tk_fixture_inl", "fxinl.h"},
	{"tk_fixture_inl_caller", "fxinl.c"},
};

START_TEST(test_file_register)
{
	const char *path = fx("fx-inl.so");
	struct tk_diag d = {0};
	struct tk_elfsym *e = tk_elfsym_open(path, &d);
	ck_assert_msg(e != NULL, "%s: %s", path, d.msg);
	struct tk_sym *s = sym_named(e, inl_funcs[_i].func);
	ck_assert_msg(s != NULL, "no symbol %s", inl_funcs[_i].func);
	struct tk_dwline *dl = open_ok(path);
	const char *src = NULL;
	unsigned line = 0, first = 0, last = 0;
	char suffix[64];
	ck_assert(tk_dwline_lookup(dl, s->start, &src, &line));
	snprintf(suffix, sizeof suffix, "/%s", inl_funcs[_i].file);
	ck_assert_msg(ends_with(src, suffix), "%s in %s, not %s", inl_funcs[_i].func, src,
		      inl_funcs[_i].file);
	struct source text;
	load_source(src, inl_funcs[_i].file, &text);
	definition_lines(&text, inl_funcs[_i].func, &first, &last);
	ck_assert_msg(first <= line && line <= last, "%s at %s:%u, defined at %u-%u", inl_funcs[_i].func,
		      inl_funcs[_i].file, line, first, last);
	free_source(&text);
	tk_dwline_free(dl);
	tk_elfsym_free(e);
}
END_TEST

/* Files without line tables. */
START_TEST(test_no_dwarf)
{
	static const char *const files[] = {"fx-stripped.so", "fx-debuglink.so"};
	struct tk_diag d = {0};
	const char *path = fx(files[_i]);
	ck_assert_ptr_null(tk_dwline_open(path, &d));
	ck_assert_int_eq(d.code, TK_EXIT_INPUT);
	ck_assert_msg(strncmp(d.msg, "no DWARF line table in '", 24) == 0, "message: %s", d.msg);
	ck_assert_msg(strstr(d.msg, path) != NULL, "message: %s", d.msg);
}
END_TEST

START_TEST(test_available)
{
	ck_assert_int_eq(tk_dwline_available(), 1);
}
END_TEST

/* --- damaged and changing files, in a temporary directory --- */

#define tmpdir tk_test_tmpdir

static void expect_fail(const char *path, const char *why)
{
	struct tk_diag d = {0};
	struct tk_dwline *dl = tk_dwline_open(path, &d);
	ck_assert_msg(dl == NULL, "%s opened", path);
	ck_assert_int_eq(d.code, TK_EXIT_INPUT);
	ck_assert_msg(strstr(d.msg, why) != NULL, "message '%s' lacks '%s'", d.msg, why);
}

START_TEST(test_not_files)
{
	expect_fail(tk_test_fixtures(), "not a regular file");
	expect_fail("/dev/null", "not a regular file");
	expect_fail(fx("no-such-file"), strerror(ENOENT));
	char fifo[PATH_MAX];
	snprintf(fifo, sizeof fifo, "%s/fifo", tmpdir);
	ck_assert_int_eq(mkfifo(fifo, 0600), 0);
	expect_fail(fifo, "not a regular file");  /* at once, not waiting for a writer */
	expect_fail(tk_test_spit("empty", "", 0), "not an ELF file");
	expect_fail(tk_test_spit("text", "#!/bin/sh\necho hi\n", 18), "not an ELF file");
	expect_fail(tk_test_spit("magic", "\177ELF", 4), "not an ELF file");
}
END_TEST

/* Cut-off copies lose the section headers (at the end): no table. */
START_TEST(test_truncated)
{
	size_t len;
	char *data = tk_test_slurp(fx(_i ? "fx.so" : "fx-nopie"), &len);
	const size_t cuts[] = {1, 4, 16, 52, 63, 64, 65, 200, len / 2, len - 64, len - 1};
	for (size_t i = 0; i < sizeof cuts / sizeof cuts[0]; i++) {
		char name[32];
		snprintf(name, sizeof name, "cut%zu", cuts[i]);
		expect_fail(tk_test_spit(name, data, cuts[i]), "no DWARF line table in '");
	}
	free(data);
}
END_TEST

/* Section headers that put .debug_line outside the file, or the section
 * header table itself: refused at open. */
START_TEST(test_bad_headers)
{
	size_t len;
	char *data = tk_test_slurp(fx("fx.so"), &len);
	Elf64_Ehdr *eh = (Elf64_Ehdr *)data;
	ck_assert_uint_eq(eh->e_ident[EI_CLASS], ELFCLASS64);
	uint64_t off, size;
	ck_assert(section_at(fx("fx.so"), ".debug_line", &off, &size));
	/* Find .debug_line's header by its offset. */
	Elf64_Shdr *sh = (Elf64_Shdr *)(data + eh->e_shoff), *line = NULL;
	for (unsigned i = 0; i < eh->e_shnum; i++)
		if (sh[i].sh_offset == off && sh[i].sh_size == size)
			line = &sh[i];
	ck_assert_ptr_nonnull(line);

	line->sh_size = len;  /* runs past the end */
	expect_fail(tk_test_spit("bigline", data, len), "no DWARF line table in '");
	line->sh_size = size;
	line->sh_offset = len + 1;
	expect_fail(tk_test_spit("farline", data, len), "no DWARF line table in '");
	line->sh_offset = off;
	line->sh_type = SHT_NOBITS;
	expect_fail(tk_test_spit("nobits", data, len), "no DWARF line table in '");
	line->sh_type = SHT_PROGBITS;
	eh->e_shoff = len - 10;
	expect_fail(tk_test_spit("shoff", data, len), "section headers outside the file");
	eh->e_shoff = (uint64_t)((char *)sh - data);
	eh->e_shstrndx = (uint16_t)(eh->e_shnum + 5);
	expect_fail(tk_test_spit("shstrndx", data, len), "section headers outside the file");
	free(data);
}
END_TEST

/* Random damage to the line table and to the sections it depends on:
 * open succeeds (the headers are intact), lookups never crash (run under
 * ASan to mean it) and whatever they answer is well-formed. */
static const char *const damaged[] = {".debug_line", ".debug_info", ".debug_abbrev", ".debug_line_str"};

START_TEST(test_corrupt)
{
	size_t len, n;
	char *orig = tk_test_slurp(fx("fx.so"), &len);
	char *data = malloc(len);
	ck_assert_ptr_nonnull(data);
	uint64_t off, size;
	ck_assert(section_at(fx("fx.so"), damaged[_i], &off, &size));
	ck_assert_uint_gt(size, 0);
	uint64_t *a = code_addresses(fx("fx.so"), &n);
	srand(1234u + (unsigned)_i);
	for (int round = 0; round < 40; round++) {
		memcpy(data, orig, len);
		/* A few bytes, or a whole stretch, overwritten. */
		int hits = round % 4 == 3 ? (int)size : 1 + rand() % 8;
		for (int k = 0; k < hits; k++) {
			size_t at = (size_t)off + (round % 4 == 3 ? (size_t)k : (size_t)rand() % (size_t)size);
			data[at] = round % 8 == 3 ? (char)0xff : (char)rand();
		}
		char name[32];
		snprintf(name, sizeof name, "bad%d", round);
		struct tk_dwline *dl = open_ok(tk_test_spit(name, data, len));
		for (size_t i = 0; i < n; i++) {
			const char *f = NULL;
			unsigned l = 0;
			if (tk_dwline_lookup(dl, a[i], &f, &l)) {
				ck_assert_ptr_nonnull(f);
				ck_assert(f[0] != 0);
				ck_assert_uint_ge(l, 1);
			}
		}
		tk_dwline_free(dl);
	}
	free(a);
	free(data);
	free(orig);
}
END_TEST

/* A compressed .debug_line that libdwarf refuses (here: an unknown
 * compression type, as a libdwarf without zlib refuses every one): no
 * line, and why is said (it was dropped in silence); a file that gives
 * lines, or has no DWARF, has nothing to say. */
START_TEST(test_compressed_refused)
{
	size_t len;
	char *data = tk_test_slurp(fx("fx-gz.so"), &len);
	ck_assert_ptr_nonnull(data);
	ck_assert_int_eq(elf_version(EV_CURRENT) == EV_NONE, 0);
	Elf *elf = elf_memory(data, len);
	ck_assert_ptr_nonnull(elf);
	size_t shstrndx;
	ck_assert_int_eq(elf_getshdrstrndx(elf, &shstrndx), 0);
	Elf_Scn *scn = NULL;
	uint64_t off = 0;
	while ((scn = elf_nextscn(elf, scn))) {
		GElf_Shdr sh;
		ck_assert_ptr_nonnull(gelf_getshdr(scn, &sh));
		const char *name = elf_strptr(elf, shstrndx, sh.sh_name);
		if (name && strcmp(name, ".debug_line") == 0) {
			ck_assert(sh.sh_flags & SHF_COMPRESSED);
			off = sh.sh_offset;
		}
	}
	elf_end(elf);
	ck_assert_uint_ne(off, 0);
	data[off] = 99; /* ch_type, little-endian on the hosts we build on */
	data[off + 1] = data[off + 2] = data[off + 3] = 0;
	struct tk_dwline *dl = open_ok(tk_test_spit("badgz.so", data, len));
	const char *f;
	unsigned l;
	ck_assert_ptr_null(tk_dwline_problem(dl)); /* not read yet */
	ck_assert_int_eq(tk_dwline_lookup(dl, 0x1000, &f, &l), 0);
	const char *why = tk_dwline_problem(dl);
	ck_assert_ptr_nonnull(why);
	ck_assert_msg(strstr(why, "no line could be read from its DWARF (compressed, as gcc -gz writes it)") == why &&
		      strstr(why, ": libdwarf: ") != NULL, "%s", why);
	tk_dwline_free(dl);
	dl = open_ok(fx("fx-gz.so"));
	tk_dwline_lookup(dl, 0x1000, &f, &l);
	ck_assert_ptr_null(tk_dwline_problem(dl));
	tk_dwline_free(dl);
	free(data);
}
END_TEST

/* open only records the file: the table is read at the first lookup,
 * from the same file. A file replaced, changed or gone by then gives no
 * lines; one left alone gives the original's. */
START_TEST(test_changed)
{
	size_t len;
	char *data = tk_test_slurp(fx("fx.so"), &len);
	struct tk_diag d = {0};
	struct tk_elfsym *e = tk_elfsym_open(fx("fx.so"), &d);
	ck_assert_ptr_nonnull(e);
	uint64_t a = sym_named(e, "tk_fixture_a")->start;
	tk_elfsym_free(e);
	const char *f = NULL;
	unsigned l = 0;
	char path[PATH_MAX], other[PATH_MAX];
	snprintf(path, sizeof path, "%s", tk_test_spit("copy.so", data, len));
	snprintf(other, sizeof other, "%s", tk_test_spit("other.so", data, len));

	struct tk_dwline *same = open_ok(path);
	ck_assert(tk_dwline_lookup(same, a, &f, &l));
	tk_dwline_free(same);

	struct tk_dwline *gone = open_ok(path);
	ck_assert_int_eq(unlink(path), 0);
	ck_assert(!tk_dwline_lookup(gone, a, &f, &l));
	tk_dwline_free(gone);

	tk_test_spit("copy.so", data, len);
	struct tk_dwline *replaced = open_ok(path);
	ck_assert_int_eq(rename(other, path), 0);  /* another inode */
	ck_assert(!tk_dwline_lookup(replaced, a, &f, &l));
	tk_dwline_free(replaced);

	struct tk_dwline *grown = open_ok(path);
	FILE *fp = fopen(path, "ab");
	ck_assert_ptr_nonnull(fp);
	ck_assert_int_eq(fputc(0, fp), 0);
	ck_assert_int_eq(fclose(fp), 0);
	ck_assert(!tk_dwline_lookup(grown, a, &f, &l));
	tk_dwline_free(grown);

	struct tk_dwline *touched = open_ok(path);
	struct timespec t[2] = {{0, UTIME_OMIT}, {12345, 0}};
	ck_assert_int_eq(utimensat(AT_FDCWD, path, t, 0), 0);
	ck_assert(!tk_dwline_lookup(touched, a, &f, &l));
	tk_dwline_free(touched);
	free(data);
}
END_TEST

Suite *tk_suite_dwline(void)
{
	Suite *s = suite_create("dwline");
	TCase *tc = tcase_create("fixtures");
	tcase_add_test(tc, test_available);
	tcase_add_loop_test(tc, test_functions, 0, (int)(N_DWARF * N_FUNCS));
	tcase_add_test(tc, test_table_complete);
	tcase_add_loop_test(tc, test_addr2line, 0, (int)N_DWARF);
	tcase_add_loop_test(tc, test_lookup_order, 0, (int)N_DWARF);
	tcase_add_loop_test(tc, test_outside, 0, (int)N_DWARF);
	tcase_add_test(tc, test_debug_file);
	tcase_add_test(tc, test_comp_dir);
	tcase_add_loop_test(tc, test_file_register, 0, (int)(sizeof inl_funcs / sizeof inl_funcs[0]));
	tcase_add_loop_test(tc, test_no_dwarf, 0, 2);
	tcase_set_timeout(tc, 60);
	suite_add_tcase(s, tc);

	TCase *bad = tcase_create("bad-files");
	tcase_add_checked_fixture(bad, tk_test_tmp_make, tk_test_tmp_remove);
	tcase_add_test(bad, test_not_files);
	tcase_add_loop_test(bad, test_truncated, 0, 2);
	tcase_add_test(bad, test_bad_headers);
	tcase_add_loop_test(bad, test_corrupt, 0, (int)(sizeof damaged / sizeof damaged[0]));
	tcase_add_test(bad, test_changed);
	tcase_add_test(bad, test_compressed_refused);
	tcase_set_timeout(bad, 120);
	suite_add_tcase(s, bad);
	return s;
}

#else /* !TK_HAVE_LIBDWARF */

/* Built without libdwarf: dwline says so and opens nothing. */
START_TEST(test_unavailable)
{
	struct tk_diag d = {0};
	ck_assert_int_eq(tk_dwline_available(), 0);
	ck_assert_ptr_null(tk_dwline_open(fx("fx.so"), &d));
	ck_assert_msg(strstr(d.msg, "libdwarf") != NULL, "message: %s", d.msg);
	tk_dwline_free(NULL);
}
END_TEST

Suite *tk_suite_dwline(void)
{
	Suite *s = suite_create("dwline");
	TCase *tc = tcase_create("no-libdwarf");
	tcase_add_test(tc, test_unavailable);
	suite_add_tcase(s, tc);
	return s;
}

#endif
