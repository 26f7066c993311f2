/*
 * Tests of elfsym on the fixtures of tests/fixtures/build.sh (see fx.c for
 * the shape of each function) and, when present, /usr/bin/node. Nothing
 * depends on one build's addresses: expectations come from relations
 * (sizes, neighbours), from libelf read independently here, and from
 * what the fixture executables and the dynamic loader report at run time.
 */
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <gelf.h>
#include <inttypes.h>
#include <limits.h>
#include <link.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>
#include "symbols/elfsym.h"
#include "symbols/demangle.h"
#include "suites.h"

#define NODE "/usr/bin/node"

static int elf_machine(const char *path);

static const char *fx(const char *name)
{
	static char path[PATH_MAX];
	snprintf(path, sizeof path, "%s/%s", tk_test_fixtures(), name);
	return path;
}


static struct tk_elfsym *open_ok(const char *path)
{
	struct tk_diag d = {0};
	struct tk_elfsym *e = tk_elfsym_open(path, &d);
	ck_assert_msg(e != NULL, "%s: %s", path, d.msg);
	return e;
}

/* The symbol named name, or NULL; fails if the name occurs twice. */
static struct tk_sym *by_name(struct tk_elfsym *e, const char *name)
{
	struct tk_sym *found = NULL;
	for (size_t i = 0; i < tk_elfsym_count(e); i++) {
		struct tk_sym *s = tk_elfsym_at(e, i);
		if (strcmp(s->name, name) == 0) {
			ck_assert_msg(found == NULL, "%s listed twice", name);
			found = s;
		}
	}
	return found;
}

static struct tk_sym *need(struct tk_elfsym *e, const char *name)
{
	struct tk_sym *s = by_name(e, name);
	ck_assert_msg(s != NULL, "symbol %s not found", name);
	return s;
}

/* Innermost symbol holding a, by brute force: of all symbols containing
 * a, the one with the greatest start. */
static struct tk_sym *slow_lookup(struct tk_elfsym *e, uint64_t a)
{
	struct tk_sym *best = NULL;
	for (size_t i = 0; i < tk_elfsym_count(e); i++) {
		struct tk_sym *s = tk_elfsym_at(e, i);
		if (s->start <= a && a < s->end && (!best || s->start > best->start))
			best = s;
	}
	return best;
}

/* What holds for any file that opens, even a damaged one: sorted,
 * non-empty ranges, one symbol per start, named (names are read when a
 * symbol is first handed out: only in a damaged file can a name index
 * inside the string table turn out to point at an empty string). */
static void check_basic(struct tk_elfsym *e, const char *what)
{
	size_t n = tk_elfsym_count(e);
	ck_assert_ptr_null(tk_elfsym_at(e, n));
	for (size_t i = 0; i < n; i++) {
		struct tk_sym *s = tk_elfsym_at(e, i);
		ck_assert_msg(s->start < s->end, "%s: %s empty", what, s->name);
		ck_assert_msg(s->name && (s->name[0] || strcmp(what, "corrupt") == 0),
			      "%s: symbol %zu unnamed", what, i);
		ck_assert_ptr_null(s->cookie);
		if (i + 1 < n)
			ck_assert_msg(s->start < tk_elfsym_at(e, i + 1)->start, "%s: %s unsorted",
				      what, s->name);
	}
}

/* And for a sane file: neighbours either do not overlap or the second
 * lies inside the first. */
static void check_invariants(struct tk_elfsym *e, const char *what)
{
	check_basic(e, what);
	for (size_t i = 0; i + 1 < tk_elfsym_count(e); i++) {
		struct tk_sym *s = tk_elfsym_at(e, i), *t = tk_elfsym_at(e, i + 1);
		ck_assert_msg(s->end <= t->start || t->end <= s->end,
			      "%s: %s [%" PRIx64 ",%" PRIx64 ") overlaps %s [%" PRIx64 ",%" PRIx64 ")",
			      what, s->name, s->start, s->end, t->name, t->start, t->end);
	}
}

/* --- every fixture: invariants and exact lookups ------------------------ */

static const char *const all_fixtures[] = {
	"fx-nopie", "fx-pie", "fx.so", "fx-stripped.so", "fx-debuglink.so.debug",
};

START_TEST(test_invariants)
{
	struct tk_elfsym *e = open_ok(fx(all_fixtures[_i]));
	ck_assert_uint_gt(tk_elfsym_count(e), 10);
	check_invariants(e, all_fixtures[_i]);
	/* Every symbol starts in code (sections read here independently). */
	struct tk_test_range code[16];
	size_t nc = tk_test_exec_sections(fx(all_fixtures[_i]), code, 16, 0);
	ck_assert_uint_ge(nc, 3); /* .init, .plt, .text, .fini, ... */
	for (size_t i = 0; i < tk_elfsym_count(e); i++) {
		struct tk_sym *s = tk_elfsym_at(e, i);
		size_t k = 0;
		while (k < nc && !(code[k].lo <= s->start && s->start < code[k].hi))
			k++;
		ck_assert_msg(k < nc, "%s: %s outside code", all_fixtures[_i], s->name);
	}
	/* Lookup agrees with brute force on every byte of every symbol and
	 * of the gaps between them, visited forwards and then backwards so
	 * the last-hit cache is both hit and bypassed. */
	struct tk_sym *first = tk_elfsym_at(e, 0);
	struct tk_sym *last = tk_elfsym_at(e, tk_elfsym_count(e) - 1);
	for (uint64_t a = first->start - 16; a < last->end + 16; a++)
		ck_assert_ptr_eq(tk_elfsym_lookup(e, a), slow_lookup(e, a));
	for (uint64_t a = last->end + 16; a-- > first->start - 16;)
		ck_assert_ptr_eq(tk_elfsym_lookup(e, a), slow_lookup(e, a));
	ck_assert_ptr_null(tk_elfsym_lookup(e, 0));
	ck_assert_ptr_null(tk_elfsym_lookup(e, UINT64_MAX));
	tk_elfsym_free(e);
}
END_TEST

/* Functions every fixture has; the stripped copy has the exported ones
 * under their versioned .dynsym names. */
static const struct {
	const char *name;
	int exported;   /* in .dynsym of fx.so */
} fx_funcs[] = {
	{"tk_fixture_a", 1},
	{"tk_fixture_b", 1},
	{"tk_fixture_static", 0},
	{"tk_fixture_call_static", 1},
	{"tk_fixture_static_addr", 1},
	{"tk_fixture_plt", 1},
	{"_ZN2tk7fixture3fooEv", 1},
	{"tk_fixture_twin_a", 1},
	{"tk_fixture_sized", 1},
	{"tk_fixture_inner", 1},
	{"tk_fixture_nosize", 1},
	{"tk_fixture_after", 1},
	{"tk_fixture_outer", 1},
	{"tk_fixture_nested", 1},
	{"tk_fixture_table", 1},
	{"tk_fixture_tail", 1},
};
#define N_FUNCS (sizeof fx_funcs / sizeof fx_funcs[0])

static const struct {
	const char *file;
	const char *suffix;  /* appended to exported names */
	int has_symtab;
} fx_files[] = {
	{"fx-nopie", "", 1},
	{"fx-pie", "", 1},
	{"fx.so", "", 1},
	{"fx-debuglink.so.debug", "", 1},
	{"fx-stripped.so", "@@TKFX_1.0", 0},
};
#define N_FILES (sizeof fx_files / sizeof fx_files[0])

START_TEST(test_functions)
{
	size_t fi = (size_t)_i / N_FUNCS, ni = (size_t)_i % N_FUNCS;
	char name[256];
	snprintf(name, sizeof name, "%s%s", fx_funcs[ni].name,
		 fx_funcs[ni].exported ? fx_files[fi].suffix : "");
	struct tk_elfsym *e = open_ok(fx(fx_files[fi].file));
	struct tk_sym *s = by_name(e, name);
	if (!fx_files[fi].has_symtab && !fx_funcs[ni].exported) {
		ck_assert_msg(s == NULL, "%s: local %s survived stripping", fx_files[fi].file, name);
	} else {
		ck_assert_msg(s != NULL, "%s: %s not found", fx_files[fi].file, name);
		ck_assert_uint_gt(s->end - s->start, 0);
		ck_assert_ptr_eq(tk_elfsym_lookup(e, s->start), s);
		/* The last byte belongs to s or to a symbol nested in it. */
		struct tk_sym *t = tk_elfsym_lookup(e, s->end - 1);
		ck_assert_ptr_nonnull(t);
		ck_assert(t->start >= s->start && t->end <= s->end);
	}
	tk_elfsym_free(e);
}
END_TEST

/* --- the hand-made shapes of fx.c -------------------------------------- */

START_TEST(test_shapes)
{
	const char *suf = fx_files[_i].suffix;
	char nm[64];
#define NAME(base) (snprintf(nm, sizeof nm, "%s%s", base, suf), nm)
	struct tk_elfsym *e = open_ok(fx(fx_files[_i].file));
	struct tk_sym *sized = need(e, NAME("tk_fixture_sized"));
	struct tk_sym *inner = need(e, NAME("tk_fixture_inner"));
	struct tk_sym *nosize = need(e, NAME("tk_fixture_nosize"));
	struct tk_sym *after = need(e, NAME("tk_fixture_after"));
	struct tk_sym *twin = need(e, NAME("tk_fixture_twin_a"));

	/* A FUNC beats a NOTYPE label at its start, whatever the names. */
	ck_assert_ptr_null(by_name(e, NAME("tk_fixture_alias")));
	ck_assert_uint_eq(sized->end - sized->start, 17);
	/* Of two FUNCs at one address the lower name is kept. */
	ck_assert_ptr_null(by_name(e, NAME("tk_fixture_twin_b")));
	/* x - 1 compiled: lea; ret on x86-64, sub; ret on aarch64 */
	ck_assert_uint_eq(twin->end - twin->start, elf_machine(fx(fx_files[_i].file)) == EM_AARCH64 ? 8 : 4);

	/* The label inside ends with its enclosing function, not at the
	 * next symbol 16-byte alignment away. */
	ck_assert_uint_eq(inner->start, sized->start + 8);
	ck_assert_uint_eq(inner->end, sized->end);
	ck_assert_ptr_eq(tk_elfsym_lookup(e, sized->start + 7), sized);
	ck_assert_ptr_eq(tk_elfsym_lookup(e, sized->start + 8), inner);
	ck_assert_ptr_eq(tk_elfsym_lookup(e, sized->end - 1), inner);
	ck_assert_uint_lt(sized->end, nosize->start);
	for (uint64_t a = sized->end; a < nosize->start; a++)
		ck_assert_ptr_null(tk_elfsym_lookup(e, a));

	/* A size-less function runs to the next symbol. */
	ck_assert_uint_eq(nosize->end, after->start);
	ck_assert_uint_eq(nosize->end - nosize->start, 16);
	ck_assert_ptr_eq(tk_elfsym_lookup(e, nosize->start + 15), nosize);
	ck_assert_uint_eq(after->end - after->start, 4);

	/* A sized function inside a sized function: after the inner one
	 * ends, the outer one holds the address again (the look-back). */
	struct tk_sym *outer = need(e, NAME("tk_fixture_outer"));
	struct tk_sym *nested = need(e, NAME("tk_fixture_nested"));
	ck_assert_uint_eq(outer->end - outer->start, 32);
	ck_assert_uint_eq(nested->start, outer->start + 8);
	ck_assert_uint_eq(nested->end - nested->start, 4);
	ck_assert_ptr_eq(tk_elfsym_lookup(e, outer->start + 7), outer);
	ck_assert_ptr_eq(tk_elfsym_lookup(e, nested->start), nested);
	ck_assert_ptr_eq(tk_elfsym_lookup(e, nested->end - 1), nested);
	ck_assert_ptr_eq(tk_elfsym_lookup(e, nested->end), outer);
	ck_assert_ptr_eq(tk_elfsym_lookup(e, outer->end - 1), outer);

	/* Data in code counts (nm: T); labels and objects in data do not. */
	struct tk_sym *table = need(e, NAME("tk_fixture_table"));
	ck_assert_uint_eq(table->end - table->start, 16);
	ck_assert_ptr_null(by_name(e, NAME("tk_fixture_datalabel")));
	ck_assert_ptr_null(by_name(e, NAME("tk_fixture_data")));

	/* A label at the very end of its section covers nothing: not the
	 * padding up to the next section's first symbol. */
	struct tk_sym *tail = need(e, NAME("tk_fixture_tail"));
	ck_assert_uint_eq(tail->end - tail->start, 1);
	ck_assert_ptr_null(by_name(e, NAME("tk_fixture_tail_end")));
	struct tk_sym *past = tk_elfsym_lookup(e, tail->end);
	ck_assert(past == NULL || past->start == tail->end);
#undef NAME
	tk_elfsym_free(e);
}
END_TEST

/* The section headers of path, read here with libelf on its own. */
static int section_range(const char *path, const char *want, uint64_t *addr, uint64_t *size)
{
	int fd = open(path, O_RDONLY), found = 0;
	ck_assert_int_ge(fd, 0);
	ck_assert_int_ne(elf_version(EV_CURRENT), EV_NONE);
	Elf *elf = elf_begin(fd, ELF_C_READ, NULL);
	size_t shstrndx;
	ck_assert_ptr_nonnull(elf);
	ck_assert_int_eq(elf_getshdrstrndx(elf, &shstrndx), 0);
	Elf_Scn *scn = NULL;
	while (!found && (scn = elf_nextscn(elf, scn))) {
		GElf_Shdr sh;
		ck_assert_ptr_nonnull(gelf_getshdr(scn, &sh));
		const char *name = elf_strptr(elf, shstrndx, sh.sh_name);
		if (name && strcmp(name, want) == 0) {
			*addr = sh.sh_addr;
			*size = sh.sh_size;
			found = 1;
		}
	}
	elf_end(elf);
	close(fd);
	return found;
}

static int ends_with(const char *s, const char *suffix)
{
	size_t ls = strlen(s), lx = strlen(suffix);
	return ls >= lx && strcmp(s + ls - lx, suffix) == 0;
}

/* The file's e_machine (EM_NONE when unreadable). */
static int elf_machine(const char *path)
{
	int m = EM_NONE;
	if (elf_version(EV_CURRENT) == EV_NONE)
		return m;
	int fd = open(path, O_RDONLY);
	if (fd < 0)
		return m;
	Elf *elf = elf_begin(fd, ELF_C_READ, NULL);
	GElf_Ehdr eh;
	if (elf && gelf_getehdr(elf, &eh))
		m = eh.e_machine;
	elf_end(elf);
	close(fd);
	return m;
}

/* The machine this test binary runs on, as e_machine. */
#if defined(__aarch64__)
#define HOST_MACHINE EM_AARCH64
#elif defined(__x86_64__)
#define HOST_MACHINE EM_X86_64
#else
#define HOST_MACHINE EM_NONE
#endif

/* `_init` has no size; it must end with .init, not run on over .plt.
 * .plt itself holds PLT0 (no symbol; 16 bytes on x86-64, 32 on aarch64)
 * and then 16-byte "NAME@plt" entries, one each. */
START_TEST(test_plt_not_swallowed)
{
	static const char *const files[] = {"fx-nopie", "fx-pie", "fx.so"};
	const char *path = fx(files[_i]);
	uint64_t init_addr, init_size, plt_addr, plt_size;
	ck_assert(section_range(path, ".init", &init_addr, &init_size));
	ck_assert(section_range(path, ".plt", &plt_addr, &plt_size));
	uint64_t plt0 = elf_machine(path) == EM_AARCH64 ? 32 : 16;
	struct tk_elfsym *e = open_ok(path);
	struct tk_sym *init = need(e, "_init");
	ck_assert_uint_eq(init->start, init_addr);
	ck_assert_uint_eq(init->end, init_addr + init_size);
	ck_assert_uint_ge(plt_size, plt0 + 16);
	ck_assert_uint_eq(plt_size % 16, 0);
	for (uint64_t a = plt_addr; a < plt_addr + plt0; a++)
		ck_assert_ptr_null(tk_elfsym_lookup(e, a));
	for (uint64_t a = plt_addr + plt0; a < plt_addr + plt_size; a++) {
		struct tk_sym *s = tk_elfsym_lookup(e, a);
		ck_assert_msg(s != NULL, "%s: nothing at %" PRIx64 " in .plt", files[_i], a);
		ck_assert_msg(ends_with(s->name, "@plt"), "%s in .plt", s->name);
		ck_assert_uint_eq(s->start, a - (a - plt_addr) % 16);
		ck_assert_uint_eq(s->end, s->start + 16);
	}
	/* tk_fixture_plt calls strlen through the PLT in every fixture. */
	struct tk_sym *strlen_plt = need(e, "strlen@plt");
	ck_assert(strlen_plt->start >= plt_addr + plt0 && strlen_plt->end <= plt_addr + plt_size);
	tk_elfsym_free(e);
}
END_TEST

/* Runs objdump -d on the PLT sections of path: the "NAME@plt" entries
 * it names, as (address, name without "@plt"). -1 when objdump cannot
 * be run. */
struct plt_line {
	uint64_t addr;
	char name[256];
};

static int objdump_plt(const char *path, struct plt_line **out, size_t *n)
{
	if (system("command -v objdump >/dev/null 2>&1") != 0)
		return -1;
	char cmd[PATH_MAX + 128], line[1024];
	snprintf(cmd, sizeof cmd, "objdump -d -j .plt -j .plt.sec -j .plt.got '%s' 2>/dev/null", path);
	FILE *p = popen(cmd, "r");
	ck_assert_ptr_nonnull(p);
	size_t cap = 0;
	*out = NULL;
	*n = 0;
	while (fgets(line, sizeof line, p)) {
		uint64_t addr;
		char name[512];
		/* "0000000000001030 <puts@plt>:" */
		if (sscanf(line, "%" SCNx64 " <%511[^>]>:", &addr, name) != 2 || !ends_with(name, "@plt"))
			continue;
		if (*n == cap) {
			cap = cap ? 2 * cap : 64;
			*out = realloc(*out, cap * sizeof **out);
			ck_assert_ptr_nonnull(*out);
		}
		name[strlen(name) - 4] = 0;
		(*out)[*n].addr = addr;
		snprintf((*out)[*n].name, sizeof (*out)[*n].name, "%s", name);
		(*n)++;
	}
	ck_assert_int_eq(pclose(p), 0);
	return 0;
}

/* libc as this process maps it, for a real-world PLT with IRELATIVE
 * entries; "" when it cannot be told. */
static const char *mapped_libc(void)
{
	static char path[PATH_MAX];
	char line[PATH_MAX + 256];
	FILE *f = fopen("/proc/self/maps", "r");
	path[0] = 0;
	if (!f)
		return path;
	while (fgets(line, sizeof line, f)) {
		char *slash = strchr(line, '/');
		if (slash && strstr(slash, "/libc.so.6")) {
			slash[strcspn(slash, "\n")] = 0;
			snprintf(path, sizeof path, "%s", slash);
			break;
		}
	}
	fclose(f);
	return path;
}

/* Every PLT entry objdump -d names is named alike, at the same address,
 * and nothing else is: .plt (lazy, PLT0 first), .plt.sec (IBT) and
 * .plt.got, in executables, shared objects and stripped copies. Entries
 * objdump calls "*ABS*+0x...@plt" (IRELATIVE: no symbol) stay unnamed. */
static const struct {
	const char *file;   /* a fixture, or an absolute path */
	int plt_sec;        /* the file must have .plt.sec */
	int irelative;      /* it must have an IRELATIVE entry */
} plt_files[] = {
	{"fx-nopie", 0, 0},
	{"fx-pie", 0, 0},
	{"fx.so", 0, 0},
	{"fx-stripped.so", 0, 0},
	{"fx-debuglink.so", 0, 0},
	{"fx-ifunc.so", 0, 1},
	{"fx-ibt.so", 1, 1},
	{NODE, 0, 0},
	{"libc", 0, 0},
};

START_TEST(test_plt_objdump)
{
	const char *file = plt_files[_i].file;
	const char *path = strcmp(file, "libc") == 0 ? mapped_libc() : file[0] == '/' ? file : fx(file);
	if (!*path || access(path, R_OK) != 0) {
		fprintf(stderr, "test_plt_objdump: %s absent, skipped\n", file);
		return;
	}
	if (file[0] == '/' || strcmp(file, "libc") == 0) {
		/* the host's own binaries (a qemu-user run sees the build host's) */
		if (elf_machine(path) != HOST_MACHINE) {
			fprintf(stderr, "test_plt_objdump: %s is not of this machine, skipped\n", file);
			return;
		}
	}
	char copy[PATH_MAX];
	snprintf(copy, sizeof copy, "%s", path);
	struct plt_line *want;
	size_t nw;
	if (objdump_plt(copy, &want, &nw) < 0) {
		fprintf(stderr, "test_plt_objdump: no objdump, skipped\n");
		return;
	}
	ck_assert_msg(nw > 0, "%s: objdump names no PLT entry", copy);
	uint64_t a, sz;
	if (plt_files[_i].plt_sec)
		ck_assert(section_range(copy, ".plt.sec", &a, &sz));
	struct tk_elfsym *e = open_ok(copy);
	size_t named = 0, irel = 0;
	for (size_t i = 0; i < nw; i++) {
		struct tk_sym *s = tk_elfsym_lookup(e, want[i].addr);
		if (strncmp(want[i].name, "*ABS*", 5) == 0) {
			ck_assert_msg(s == NULL || !ends_with(s->name, "@plt"),
				      "%s: IRELATIVE entry at %" PRIx64 " named %s", copy, want[i].addr, s->name);
			irel++;
			continue;
		}
		char name[300];
		snprintf(name, sizeof name, "%s@plt", want[i].name);
		ck_assert_msg(s != NULL, "%s: %s at %" PRIx64 " unnamed", copy, name, want[i].addr);
		ck_assert_str_eq(s->name, name);
		ck_assert_uint_eq(s->start, want[i].addr);
		ck_assert(s->end - s->start == 8 || s->end - s->start == 16);
		named++;
	}
	if (plt_files[_i].irelative)
		ck_assert_uint_gt(irel, 0);
	size_t ours = 0;
	for (size_t i = 0; i < tk_elfsym_count(e); i++)
		ours += ends_with(tk_elfsym_at(e, i)->name, "@plt");
	ck_assert_uint_eq(ours, named);
	check_invariants(e, copy);
	free(want);
	tk_elfsym_free(e);
}
END_TEST

/* --- versions ---------------------------------------------------------- */

START_TEST(test_versions)
{
	struct tk_elfsym *full = open_ok(fx("fx.so"));
	struct tk_elfsym *strip = open_ok(fx("fx-stripped.so"));
	/* .symtab wins, and in it the global (exported) names over the local
	 * implementations' at the same address (as perf chooses); .symtab's
	 * versioned names are GNU as's own ("@" hidden, "@@" default). */
	struct tk_sym *impl1 = need(full, "tk_fixture_ver@TKFX_1.0");
	struct tk_sym *impl2 = need(full, "tk_fixture_ver@@TKFX_2.0");
	ck_assert_ptr_null(by_name(full, "fxver_impl1"));
	ck_assert_ptr_null(by_name(full, "fxver_impl2"));
	ck_assert_ptr_null(by_name(full, "tk_fixture_a@@TKFX_1.0"));
	need(full, "tk_fixture_a");
	/* .dynsym alone: binutils' nm -D names, hidden old version "@". */
	struct tk_sym *v1 = need(strip, "tk_fixture_ver@TKFX_1.0");
	struct tk_sym *v2 = need(strip, "tk_fixture_ver@@TKFX_2.0");
	ck_assert_uint_eq(v1->start, impl1->start);
	ck_assert_uint_eq(v1->end, impl1->end);
	ck_assert_uint_eq(v2->start, impl2->start);
	ck_assert_uint_eq(v2->end, impl2->end);
	/* Every stripped symbol is an exported one, at the same range as in
	 * the full file (same code, symbols from the other table). */
	for (size_t i = 0; i < tk_elfsym_count(strip); i++) {
		struct tk_sym *s = tk_elfsym_at(strip, i);
		struct tk_sym *f = tk_elfsym_lookup(full, s->start);
		if (ends_with(s->name, "@plt")) {
			ck_assert_ptr_nonnull(f);
			ck_assert_str_eq(f->name, s->name); /* from .dynsym in both */
			continue;
		}
		ck_assert_msg(strstr(s->name, "@TKFX_") != NULL, "%s lacks a version", s->name);
		ck_assert_ptr_nonnull(f);
		ck_assert_uint_eq(f->start, s->start);
		ck_assert_uint_eq(f->end, s->end);
	}
	tk_elfsym_free(full);
	tk_elfsym_free(strip);
}
END_TEST

/* The same symbols, in the same order, with the same ranges. */
static void same_symbols(struct tk_elfsym *a, struct tk_elfsym *b, const char *what)
{
	ck_assert_msg(tk_elfsym_count(a) == tk_elfsym_count(b), "%s: %zu symbols, want %zu", what,
		      tk_elfsym_count(b), tk_elfsym_count(a));
	for (size_t i = 0; i < tk_elfsym_count(a); i++) {
		struct tk_sym *x = tk_elfsym_at(a, i), *y = tk_elfsym_at(b, i);
		ck_assert_str_eq(x->name, y->name);
		ck_assert_uint_eq(x->start, y->start);
		ck_assert_uint_eq(x->end, y->end);
	}
}

/* The separate debug file has the full .symtab of its stripped image
 * (but no PLT: its .plt and relocations are NOBITS). */
START_TEST(test_debug_file)
{
	struct tk_elfsym *full = open_ok(fx("fx.so"));
	struct tk_elfsym *dbg = open_ok(fx("fx-debuglink.so.debug"));
	size_t j = 0;
	for (size_t i = 0; i < tk_elfsym_count(full); i++) {
		struct tk_sym *a = tk_elfsym_at(full, i);
		if (ends_with(a->name, "@plt"))
			continue;
		struct tk_sym *b = tk_elfsym_at(dbg, j++);
		ck_assert_ptr_nonnull(b);
		ck_assert_str_eq(a->name, b->name);
		ck_assert_uint_eq(a->start, b->start);
		ck_assert_uint_eq(a->end, b->end);
	}
	ck_assert_uint_eq(j, tk_elfsym_count(dbg));
	/* The stripped image itself keeps only .dynsym. */
	struct tk_elfsym *img = open_ok(fx("fx-debuglink.so"));
	ck_assert_ptr_null(by_name(img, "tk_fixture_static"));
	need(img, "tk_fixture_a@@TKFX_1.0");
	tk_elfsym_free(img);
	tk_elfsym_free(full);
	tk_elfsym_free(dbg);
}
END_TEST

static const struct {
	const char *file;
	int has_symtab;
	const char *debuglink;   /* NULL: none */
} debug_props[] = {
	{"fx-nopie", 1, NULL},
	{"fx.so", 1, NULL},
	{"fx-stripped.so", 0, NULL},
	{"fx-debuglink.so", 0, "fx-debuglink.so.debug"},
	{"fx-debuglink.so.debug", 1, NULL},
};

/* .symtab presence and the debug link, whose CRC is zlib's crc32 of the
 * debug file (the file objcopy linked, computed here). */
START_TEST(test_debug_props)
{
	struct tk_elfsym *e = open_ok(fx(debug_props[_i].file));
	ck_assert_int_eq(tk_elfsym_has_symtab(e), debug_props[_i].has_symtab);
	uint32_t crc = 1;
	const char *link = tk_elfsym_debuglink(e, &crc);
	if (!debug_props[_i].debuglink) {
		ck_assert_ptr_null(link);
		ck_assert_uint_eq(crc, 0);
	} else {
		ck_assert_ptr_nonnull(link);
		ck_assert_str_eq(link, debug_props[_i].debuglink);
		size_t len;
		char *data = tk_test_slurp(fx(link), &len);
		ck_assert_uint_eq(crc, (uint32_t)crc32(0L, (const Bytef *)data, (uInt)len));
		free(data);
	}
	tk_elfsym_free(e);
}
END_TEST

/* A stripped image completed from its debug file has exactly the
 * symbols of the unstripped file: .symtab names, versioned names gone
 * where .symtab has the symbol, PLT names from the image. */
static const struct {
	const char *image, *debug;
} take_cases[] = {
	{"fx-debuglink.so", "fx-debuglink.so.debug"},
	{"fx-stripped.so", "fx-debuglink.so.debug"},
};

START_TEST(test_take_symbols)
{
	struct tk_elfsym *full = open_ok(fx("fx.so"));
	struct tk_elfsym *img = open_ok(fx(take_cases[_i].image));
	struct tk_elfsym *dbg = open_ok(fx(take_cases[_i].debug));
	ck_assert_ptr_null(by_name(img, "tk_fixture_static"));
	ck_assert_int_eq(tk_elfsym_take_symbols(img, dbg), 0);
	need(img, "tk_fixture_static");
	ck_assert_ptr_null(by_name(img, "tk_fixture_a@@TKFX_1.0"));
	need(img, "strlen@plt");
	same_symbols(full, img, take_cases[_i].image);
	check_invariants(img, take_cases[_i].image);
	/* The image keeps its own identity. */
	size_t la, lb;
	const unsigned char *ia = tk_elfsym_build_id(full, &la), *ib = tk_elfsym_build_id(img, &lb);
	ck_assert_uint_eq(la, lb);
	ck_assert_mem_eq(ia, ib, la);
	ck_assert_int_eq(tk_elfsym_has_symtab(img), 0);
	struct stat st;
	ck_assert_int_eq(stat(fx(take_cases[_i].image), &st), 0);
	ck_assert_uint_eq(tk_elfsym_file_size(img), (uint64_t)st.st_size);
	/* Lookups agree with the full file everywhere in its code. */
	uint64_t lo = tk_elfsym_at(full, 0)->start;
	uint64_t hi = tk_elfsym_at(full, tk_elfsym_count(full) - 1)->end;
	for (uint64_t a = lo; a < hi; a++) {
		struct tk_sym *x = tk_elfsym_lookup(full, a), *y = tk_elfsym_lookup(img, a);
		ck_assert_int_eq(x == NULL, y == NULL);
		if (x)
			ck_assert_str_eq(x->name, y->name);
	}
	tk_elfsym_free(img); /* frees dbg too (ASan would tell) */
	tk_elfsym_free(full);
}
END_TEST

/* A file without .symtab has nothing to give: -1, both unchanged. */
START_TEST(test_take_nothing)
{
	struct tk_elfsym *img = open_ok(fx("fx-debuglink.so"));
	struct tk_elfsym *other = open_ok(fx("fx-stripped.so"));
	size_t n = tk_elfsym_count(img), m = tk_elfsym_count(other);
	ck_assert_int_eq(tk_elfsym_take_symbols(img, other), -1);
	ck_assert_int_eq(tk_elfsym_take_symbols(img, img), -1);
	ck_assert_int_eq(tk_elfsym_take_symbols(img, NULL), -1);
	ck_assert_uint_eq(tk_elfsym_count(img), n);
	ck_assert_uint_eq(tk_elfsym_count(other), m);
	need(other, "tk_fixture_a@@TKFX_1.0");
	tk_elfsym_free(img);
	tk_elfsym_free(other);
}
END_TEST

/* --- run time: the fixture executables and dlopen ---------------------- */

/* The mappings of the dlopen'ed path with execute permission, as V8
 * logs them (START = start - offset, END). */
static int exec_mappings(const char *real, struct tk_test_range *out, int cap)
{
	char line[PATH_MAX + 256];
	FILE *f = fopen("/proc/self/maps", "r");
	int n = 0;
	ck_assert_ptr_nonnull(f);
	while (fgets(line, sizeof line, f) && n < cap) {
		uint64_t lo, hi, off;
		char perms[8], path[PATH_MAX];
		if (sscanf(line, "%" SCNx64 "-%" SCNx64 " %7s %" SCNx64 " %*s %*s %4095s",
			   &lo, &hi, perms, &off, path) != 5 || perms[2] != 'x' || strcmp(path, real))
			continue;
		out[n].lo = lo - off;
		out[n].hi = hi;
		n++;
	}
	fclose(f);
	return n;
}

/* Runs "FIXTURE addrs": symbols at their runtime addresses and the
 * executable mappings as V8 would log them (see fx_main.c). */
START_TEST(test_exec_runtime)
{
	static const char *const files[] = {"fx-nopie", "fx-pie"};
	char cmd[2 * PATH_MAX + 16], line[512];
	/* TK_FIXTURE_RUN: a command that runs the fixtures (check-aarch64's
	 * qemu-user wrapper) */
	const char *run = getenv("TK_FIXTURE_RUN");
	snprintf(cmd, sizeof cmd, "%s%s'%s' addrs", run ? run : "", run ? " " : "", fx(files[_i]));
	struct tk_elfsym *e = open_ok(fx(files[_i]));
	ck_assert_int_eq(tk_elfsym_is_exec(e), _i == 0);
	FILE *p = popen(cmd, "r");
	ck_assert_ptr_nonnull(p);
	uint64_t bias = 0;
	int maps = 0, syms = 0;
	struct {
		char name[128];
		uint64_t addr;
	} seen[32];
	while (fgets(line, sizeof line, p)) {
		uint64_t start, end, b;
		if (sscanf(line, "map %" SCNx64 " %" SCNx64, &start, &end) == 2) {
			ck_assert_int_eq(tk_elfsym_bias(e, start, end, &b), 0);
			if (_i == 0)
				ck_assert_uint_eq(b, 0); /* ET_EXEC: file addresses */
			if (maps++)
				ck_assert_uint_eq(b, bias); /* every segment agrees */
			bias = b;
		} else if (syms < 32 && sscanf(line, "sym %127s %" SCNx64, seen[syms].name,
					       &seen[syms].addr) == 2) {
			syms++;
		}
	}
	ck_assert_int_eq(pclose(p), 0);
	ck_assert_int_ge(maps, 1);
	ck_assert_int_ge(syms, 10);
	for (int i = 0; i < syms; i++) {
		struct tk_sym *s = tk_elfsym_lookup(e, seen[i].addr - bias);
		ck_assert_msg(s != NULL, "%s at %" PRIx64 " not found", seen[i].name, seen[i].addr);
		ck_assert_str_eq(s->name, seen[i].name);
		ck_assert_uint_eq(s->start + bias, seen[i].addr);
	}
	tk_elfsym_free(e);
}
END_TEST

/* dlopen's fx.so: the loader's l_addr is the true bias; the mapping in
 * /proc/self/maps gives START/END as V8 logs them. */
START_TEST(test_so_runtime)
{
	static const char *const files[] = {"fx.so", "fx-stripped.so"};
	char real[PATH_MAX];
	ck_assert_ptr_nonnull(realpath(fx(files[_i]), real));
	void *h = dlopen(real, RTLD_NOW | RTLD_LOCAL);
	ck_assert_msg(h != NULL, "dlopen: %s", dlerror());
	struct link_map *lm = NULL;
	ck_assert_int_eq(dlinfo(h, RTLD_DI_LINKMAP, &lm), 0);
	uint64_t l_addr = (uint64_t)lm->l_addr;
	struct tk_elfsym *e = open_ok(real);

	struct tk_test_range m[4];
	ck_assert_int_eq(exec_mappings(real, m, 4), 1);
	uint64_t b;
	ck_assert_int_eq(tk_elfsym_bias(e, m[0].lo, m[0].hi, &b), 0);
	ck_assert_uint_eq(b, l_addr);
	/* .text's file offset equals its vaddr in a GNU ld shared object:
	 * the bias is V8's START itself. */
	ck_assert_uint_eq(b, m[0].lo);

	const char *suffix = _i ? "@@TKFX_1.0" : "";
	for (size_t i = 0; i < N_FUNCS; i++) {
		if (!fx_funcs[i].exported)
			continue;
		void *addr = dlsym(h, fx_funcs[i].name);
		ck_assert_msg(addr != NULL, "dlsym %s", fx_funcs[i].name);
		struct tk_sym *s = tk_elfsym_lookup(e, (uint64_t)(uintptr_t)addr - l_addr);
		ck_assert_ptr_nonnull(s);
		char want[256];
		snprintf(want, sizeof want, "%s%s", fx_funcs[i].name, suffix);
		ck_assert_str_eq(s->name, want);
		ck_assert_uint_eq(s->start + l_addr, (uint64_t)(uintptr_t)addr);
	}
	void *old = dlvsym(h, "tk_fixture_ver", "TKFX_1.0");
	ck_assert_ptr_nonnull(old);
	struct tk_sym *s = tk_elfsym_lookup(e, (uint64_t)(uintptr_t)old - l_addr);
	ck_assert_ptr_nonnull(s);
	/* the exported (global) name over the local implementation's, in the
	 * full file too: global before local, as perf chooses */
	ck_assert_str_eq(s->name, "tk_fixture_ver@TKFX_1.0");
	tk_elfsym_free(e);
	dlclose(h);
}
END_TEST

/* Two executable segments at different offset-to-address distances:
 * each mapping must yield the loader's bias, which only the right
 * segment gives (the first one would be a page off for the second). */
START_TEST(test_two_segments)
{
	char real[PATH_MAX];
	ck_assert_ptr_nonnull(realpath(fx("fx-2seg.so"), real));
	void *h = dlopen(real, RTLD_NOW | RTLD_LOCAL);
	ck_assert_msg(h != NULL, "dlopen: %s", dlerror());
	struct link_map *lm = NULL;
	ck_assert_int_eq(dlinfo(h, RTLD_DI_LINKMAP, &lm), 0);
	uint64_t l_addr = (uint64_t)lm->l_addr;
	struct tk_elfsym *e = open_ok(real);
	struct tk_test_range m[8];
	int nm = exec_mappings(real, m, 8);
	ck_assert_int_eq(nm, 2);
	for (int i = 0; i < nm; i++) {
		uint64_t b;
		ck_assert_int_eq(tk_elfsym_bias(e, m[i].lo, m[i].hi, &b), 0);
		ck_assert_uint_eq(b, l_addr);
	}
	static const char *const names[] = {"tk_fixture_rwx", "tk_fixture_call_rwx"};
	for (int i = 0; i < 2; i++) {
		void *addr = dlsym(h, names[i]);
		ck_assert_ptr_nonnull(addr);
		struct tk_sym *s = tk_elfsym_lookup(e, (uint64_t)(uintptr_t)addr - l_addr);
		ck_assert_ptr_nonnull(s);
		ck_assert_str_eq(s->name, names[i]);
	}
	tk_elfsym_free(e);
	dlclose(h);
}
END_TEST

/* --- bias on synthetic mapping lines ------------------------------------ */

/* The executable PT_LOAD segments of path, read here. */
static size_t exec_segments(const char *path, GElf_Phdr *out, size_t cap)
{
	int fd = open(path, O_RDONLY);
	size_t n = 0, np;
	ck_assert_int_ge(fd, 0);
	ck_assert_int_ne(elf_version(EV_CURRENT), EV_NONE);
	Elf *elf = elf_begin(fd, ELF_C_READ, NULL);
	ck_assert_ptr_nonnull(elf);
	ck_assert_int_eq(elf_getphdrnum(elf, &np), 0);
	for (size_t i = 0; i < np && n < cap; i++) {
		GElf_Phdr ph;
		ck_assert_ptr_nonnull(gelf_getphdr(elf, (int)i, &ph));
		if (ph.p_type == PT_LOAD && (ph.p_flags & PF_X))
			out[n++] = ph;
	}
	elf_end(elf);
	close(fd);
	return n;
}

#define PAGE_UP(x) (((x) + 0xfff) & ~(uint64_t)0xfff)
#define PAGE_DOWN(x) ((x) & ~(uint64_t)0xfff)

START_TEST(test_bias_synthetic)
{
	static const char *const files[] = {"fx-nopie", "fx-pie", "fx.so", "fx-2seg.so", NODE};
	const char *path = _i < 4 ? fx(files[_i]) : files[_i];
	if (_i == 4 && access(path, R_OK) != 0)
		return; /* no node here: nothing to check */
	GElf_Phdr seg[8];
	size_t ns = exec_segments(path, seg, 8);
	ck_assert_uint_ge(ns, 1);
	struct tk_elfsym *e = open_ok(path);
	int exec = tk_elfsym_is_exec(e);
	for (size_t i = 0; i < ns; i++) {
		/* As the kernel would map it: an ET_EXEC at its own address,
		 * anything else at an arbitrary page-aligned base. */
		uint64_t base = exec ? 0 : 0x7f1234560000;
		uint64_t map_lo = base + PAGE_DOWN(seg[i].p_vaddr);
		uint64_t start = map_lo - PAGE_DOWN(seg[i].p_offset);
		uint64_t end = base + PAGE_UP(seg[i].p_vaddr + seg[i].p_memsz);
		uint64_t b = 1;
		ck_assert_int_eq(tk_elfsym_bias(e, start, end, &b), 0);
		ck_assert_uint_eq(b, base);
		if (!exec && seg[i].p_offset == seg[i].p_vaddr)
			ck_assert_uint_eq(b, start);
	}
	/* An END matching no segment falls back to the first one. */
	uint64_t b = 1, base = exec ? 0 : 0x7f0000000000;
	uint64_t start = base + PAGE_DOWN(seg[0].p_vaddr) - PAGE_DOWN(seg[0].p_offset);
	ck_assert_int_eq(tk_elfsym_bias(e, start, start + 1, &b), 0);
	ck_assert_uint_eq(b, base);
	tk_elfsym_free(e);
}
END_TEST

/* An object file has no program headers, hence no bias. */
START_TEST(test_bias_none)
{
	struct tk_elfsym *e = open_ok(fx("fx.o"));
	uint64_t b = 42;
	ck_assert_int_eq(tk_elfsym_bias(e, 0x400000, 0x401000, &b), -1);
	ck_assert_uint_eq(b, 42);
	ck_assert_int_eq(tk_elfsym_is_exec(e), 0);
	tk_elfsym_free(e);
}
END_TEST

/* Where the code ends: the greatest page-rounded end of an executable
 * segment's file range, computed here from the program headers; never
 * past the file's last page. */
START_TEST(test_code_end)
{
	static const char *const files[] = {"fx-nopie", "fx-pie", "fx.so", "fx-2seg.so", NODE};
	const char *path = _i < 4 ? fx(files[_i]) : files[_i];
	if (_i == 4 && access(path, R_OK) != 0)
		return; /* no node here */
	GElf_Phdr seg[8];
	size_t ns = exec_segments(path, seg, 8);
	ck_assert_uint_ge(ns, 1);
	uint64_t want = 0;
	/* rounded to the largest page: 64 KiB on aarch64 */
	uint64_t pg = elf_machine(path) == EM_AARCH64 ? 0x10000 : 0x1000;
#define PAGE_UP_MAX(x) (((x) + pg - 1) & ~(pg - 1))
	for (size_t i = 0; i < ns; i++) {
		uint64_t sz = seg[i].p_filesz > seg[i].p_memsz ? seg[i].p_filesz : seg[i].p_memsz;
		if (PAGE_UP_MAX(seg[i].p_offset + sz) > want)
			want = PAGE_UP_MAX(seg[i].p_offset + sz);
	}
	struct tk_elfsym *e = open_ok(path);
	ck_assert_uint_eq(tk_elfsym_code_end(e), want);
	ck_assert_uint_le(want, PAGE_UP_MAX(tk_elfsym_file_size(e)));
#undef PAGE_UP_MAX
	tk_elfsym_free(e);
	e = open_ok(fx("fx.o"));
	ck_assert_uint_eq(tk_elfsym_code_end(e), 0);
	tk_elfsym_free(e);
}
END_TEST

/* --- build id and size --------------------------------------------------- */

START_TEST(test_build_id)
{
	struct tk_elfsym *a = open_ok(fx("fx.so"));
	struct tk_elfsym *b = open_ok(fx("fx-stripped.so"));
	struct tk_elfsym *c = open_ok(fx("fx-debuglink.so.debug"));
	struct tk_elfsym *x = open_ok(fx("fx-nopie"));
	size_t la, lb, lc, lx;
	const unsigned char *ia = tk_elfsym_build_id(a, &la);
	const unsigned char *ib = tk_elfsym_build_id(b, &lb);
	const unsigned char *ic = tk_elfsym_build_id(c, &lc);
	const unsigned char *ix = tk_elfsym_build_id(x, &lx);
	ck_assert_ptr_nonnull(ia);
	ck_assert_uint_eq(la, 20); /* ld's default: SHA-1 */
	ck_assert_uint_eq(lb, la);
	ck_assert_uint_eq(lc, la);
	/* Stripping and splitting keep the id: that is how the debug file
	 * is found again. A different link has a different one. */
	ck_assert_mem_eq(ia, ib, la);
	ck_assert_mem_eq(ia, ic, la);
	ck_assert_uint_eq(lx, 20);
	ck_assert(memcmp(ia, ix, 20) != 0);

	struct stat st;
	ck_assert_int_eq(stat(fx("fx.so"), &st), 0);
	ck_assert_uint_eq(tk_elfsym_file_size(a), (uint64_t)st.st_size);
	tk_elfsym_free(a);
	tk_elfsym_free(b);
	tk_elfsym_free(c);
	tk_elfsym_free(x);

	/* No note: NULL and 0. */
	struct tk_elfsym *o = open_ok(fx("fx.o"));
	size_t lo = 7;
	ck_assert_ptr_null(tk_elfsym_build_id(o, &lo));
	ck_assert_uint_eq(lo, 0);
	tk_elfsym_free(o);
}
END_TEST

/* --- files that are not (whole) ELF files -------------------------------- */

#define tmpdir tk_test_tmpdir

static void expect_fail(const char *path, const char *why)
{
	struct tk_diag d = {0};
	struct tk_elfsym *e = tk_elfsym_open(path, &d);
	ck_assert_msg(e == NULL, "%s opened", path);
	ck_assert_msg(strncmp(d.msg, "cannot read ELF file '", 22) == 0, "message: %s", d.msg);
	ck_assert_msg(strstr(d.msg, why) != NULL, "message '%s' lacks '%s'", d.msg, why);
	ck_assert_int_eq(d.code, TK_EXIT_INPUT);
}

START_TEST(test_not_files)
{
	expect_fail(tk_test_fixtures(), "not a regular file");
	expect_fail("/dev/null", "not a regular file");
	expect_fail(fx("no-such-file"), strerror(ENOENT));
	/* A FIFO without writer: must fail at once, not block in open. */
	char fifo[PATH_MAX];  /* tmpdir is 64 shorter */
	snprintf(fifo, sizeof fifo, "%s/fifo", tmpdir);
	ck_assert_int_eq(mkfifo(fifo, 0600), 0);
	expect_fail(fifo, "not a regular file");
	expect_fail(tk_test_spit("empty", "", 0), "not an ELF file");
	expect_fail(tk_test_spit("text", "#!/bin/sh\necho hi\n", 18), "not an ELF file");
}
END_TEST

/* 100,000 aliases at two addresses (fx-alias.so): 50,000 whose sizes
 * differ (decided at load, by name), 50,000 of one size (decided when
 * hit). Each name table is read once per batch, not once or twice per
 * alias (200,000 opens and preads before). */
START_TEST(test_alias_storm)
{
	const char *path = fx("fx-alias.so");
	if (access(path, R_OK) != 0)
		return; /* the assembler could not build it */
	struct tk_elfsym *e = open_ok(path);
	uint64_t opens, reads;
	tk_elfsym_io(e, &opens, &reads);
	ck_assert_msg(opens <= 2 && reads <= 300, "load: %llu opens, %llu reads", (unsigned long long)opens,
		      (unsigned long long)reads);
	struct tk_sym *base = tk_elfsym_lookup(e, need(e, "a0")->start);
	ck_assert_str_eq(base->name, "a0"); /* the lowest name, as nm -n lists it */
	ck_assert_uint_eq(base->end - base->start, 16); /* a0's own size */
	struct tk_sym *tie = need(e, "alias_tie");
	ck_assert_uint_eq(tie->end - tie->start, 64);
	uint64_t o2, r2;
	tk_elfsym_io(e, &o2, &r2);
	ck_assert_msg(o2 - opens <= 3 && r2 - reads <= 300, "naming: %llu opens, %llu reads",
		      (unsigned long long)(o2 - opens), (unsigned long long)(r2 - reads));
	ck_assert_uint_eq(tk_elfsym_count(e), 2);
	tk_elfsym_free(e);
}
END_TEST

/* Of several symbols at one address the one a user knows, as perf
 * chooses: global before weak before local, then fewer leading
 * underscores (glibc's write: weak write and __write, local
 * __GI___libc_write, __libc_write, __GI_write). */
START_TEST(test_binding_preference)
{
	const char *path = fx("fx-bind.so");
	if (access(path, R_OK) != 0)
		return; /* the assembler could not build it */
	struct tk_elfsym *e = open_ok(path);
	ck_assert_uint_eq(tk_elfsym_count(e), 2);
	struct tk_sym *w = tk_elfsym_at(e, 0), *r = tk_elfsym_at(e, 1);
	ck_assert_str_eq(w->name, "write");         /* weak, no underscore, over locals and __write */
	ck_assert_str_eq(r->name, "__read_global"); /* global over weak, underscores or not */
	tk_elfsym_free(e);
}
END_TEST

/* A file replaced (a new inode at its path), rewritten in place (same
 * size, new mtime) or truncated after it was opened: no name is read
 * from it any more (they would be the new file's bytes at the old
 * offsets), lookups find nothing, and why is said. */
START_TEST(test_changed_file)
{
	size_t len, len2;
	char *data = tk_test_slurp(fx("fx.so"), &len);
	char *other = tk_test_slurp(fx("fx-stripped.so"), &len2);
	const char *path = tk_test_spit("lib.so", data, len);
	char keep[PATH_MAX];
	snprintf(keep, sizeof keep, "%s", path);
	struct tk_elfsym *e = open_ok(keep);
	struct tk_sym *a = need(e, "tk_fixture_a");
	uint64_t at = a->start; /* named already: stays */
	uint64_t b = need(e, "tk_fixture_b")->start;
	ck_assert_ptr_null(tk_elfsym_changed(e));
	ck_assert_int_eq(tk_elfsym_check(e), 0);
	tk_elfsym_free(e);
	e = open_ok(keep);
	(void)at;
	const char *want = NULL;
	if (_i == 0) {
		/* replaced: written elsewhere, renamed over it */
		char tmp[PATH_MAX];
		snprintf(tmp, sizeof tmp, "%s", tk_test_spit("new.so", other, len2));
		ck_assert_int_eq(rename(tmp, keep), 0);
		want = "the file changed on disk while ticks ran (replaced)";
	} else if (_i == 1) {
		/* rewritten in place, same size, another mtime */
		FILE *f = fopen(keep, "r+b");
		ck_assert_ptr_nonnull(f);
		ck_assert_uint_eq(fwrite(data, 1, len, f), len);
		fclose(f);
		struct timespec ts[2] = { { 1, 0 }, { 1, 0 } };
		ck_assert_int_eq(utimensat(AT_FDCWD, keep, ts, 0), 0);
		want = "the file changed on disk while ticks ran (rewritten)";
	} else {
		ck_assert_int_eq(truncate(keep, (off_t)(len / 2)), 0);
		want = "the file changed on disk while ticks ran (truncated)";
	}
	ck_assert_ptr_null(tk_elfsym_lookup(e, b));
	ck_assert_ptr_nonnull(tk_elfsym_changed(e));
	ck_assert_str_eq(tk_elfsym_changed(e), want);
	ck_assert_int_eq(tk_elfsym_check(e), -1);
	tk_elfsym_free(e);
	/* checked without a lookup too (before the DWARF lines are read) */
	tk_test_spit("lib2.so", data, len);
	snprintf(keep, sizeof keep, "%s", tk_test_spit("lib2.so", data, len));
	e = open_ok(keep);
	ck_assert_int_eq(truncate(keep, (off_t)(len / 2)), 0);
	ck_assert_int_eq(tk_elfsym_check(e), -1);
	ck_assert_ptr_null(tk_elfsym_lookup(e, b));
	tk_elfsym_free(e);
	free(data);
	free(other);
}
END_TEST

/* Cut-off copies: every length that loses the ELF header or the section
 * headers (at the end of the file) must fail cleanly. */
START_TEST(test_truncated)
{
	size_t len;
	char *data = tk_test_slurp(fx(_i ? "fx.so" : "fx-nopie"), &len);
	const size_t cuts[] = {1, 4, 16, 52, 63, 64, 65, 200, len / 2, len - 64, len - 1};
	for (size_t i = 0; i < sizeof cuts / sizeof cuts[0]; i++) {
		char name[32];
		snprintf(name, sizeof name, "cut%zu", cuts[i]);
		struct tk_diag d = {0};
		const char *path = tk_test_spit(name, data, cuts[i]);
		struct tk_elfsym *e = tk_elfsym_open(path, &d);
		ck_assert_msg(e == NULL, "%zu of %zu bytes opened", cuts[i], len);
		ck_assert_msg(strncmp(d.msg, "cannot read ELF file '", 22) == 0, "message: %s", d.msg);
	}
	free(data);
}
END_TEST

/* Random damage to the header, section headers and symbol tables: no
 * crash (run under ASan to mean it), and what opens is consistent. */
START_TEST(test_corrupt)
{
	size_t len;
	char *orig = tk_test_slurp(fx("fx.so"), &len);
	char *data = malloc(len);
	ck_assert_ptr_nonnull(data);
	uint64_t shoff;
	memcpy(&shoff, orig + 0x28, 8); /* e_shoff of an ELF64 header */
	ck_assert_uint_lt(shoff, len);
	uint64_t x = 0x9e3779b97f4a7c15u + (uint64_t)_i;
	int opened = 0;
	for (int round = 0; round < 150; round++) {
		memcpy(data, orig, len);
		for (int k = 0; k < 4; k++) {
			x ^= x << 13;
			x ^= x >> 7;
			x ^= x << 17;
			size_t at;
			switch (x % 4) {
			case 0: at = (size_t)(x >> 8) % 64; break;            /* ELF header */
			case 1: at = (size_t)(shoff + (x >> 8) % (len - shoff)); break;
			default: at = (size_t)(x >> 8) % len; break;
			}
			data[at] = (char)(x >> 40);
		}
		struct tk_diag d = {0};
		struct tk_elfsym *e = tk_elfsym_open(tk_test_spit("corrupt", data, len), &d);
		if (!e) {
			ck_assert(strncmp(d.msg, "cannot read ELF file", 20) == 0);
			continue;
		}
		opened++;
		check_basic(e, "corrupt");
		for (size_t i = 0; i < tk_elfsym_count(e); i++) {
			struct tk_sym *s = tk_elfsym_at(e, i);
			ck_assert_ptr_eq(tk_elfsym_lookup(e, s->start), s);
		}
		uint64_t b;
		(void)tk_elfsym_bias(e, 0x10000, 0x20000, &b);
		size_t bl;
		(void)tk_elfsym_build_id(e, &bl);
		tk_elfsym_free(e);
	}
	ck_assert_int_gt(opened, 0); /* the damage is survivable often enough */
	free(data);
	free(orig);
}
END_TEST

/* A .symtab linked to a string table that does not exist: its symbols
 * are dropped, .dynsym still names the exported functions, and the file
 * says why (the intact file says nothing). */
START_TEST(test_symtab_bad_link)
{
	const char *orig = fx("fx.so");
	int fd = open(orig, O_RDONLY);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_ne(elf_version(EV_CURRENT), EV_NONE);
	Elf *elf = elf_begin(fd, ELF_C_READ, NULL);
	ck_assert_ptr_nonnull(elf);
	GElf_Ehdr eh;
	ck_assert_ptr_nonnull(gelf_getehdr(elf, &eh));
	size_t idx = 0;
	Elf_Scn *scn = NULL;
	while ((scn = elf_nextscn(elf, scn))) {
		GElf_Shdr sh;
		ck_assert_ptr_nonnull(gelf_getshdr(scn, &sh));
		if (sh.sh_type == SHT_SYMTAB)
			idx = elf_ndxscn(scn);
	}
	elf_end(elf);
	close(fd);
	ck_assert_uint_gt(idx, 0);
	size_t len;
	char *data = tk_test_slurp(orig, &len);
	uint32_t bad = 0x7fff;
	memcpy(data + eh.e_shoff + idx * eh.e_shentsize + 40, &bad, 4); /* Elf64_Shdr.sh_link */
	struct tk_elfsym *good = open_ok(orig);
	struct tk_elfsym *e = open_ok(tk_test_spit("badlink", data, len));
	char buf[200];
	ck_assert_ptr_null(tk_elfsym_problem(good, buf, sizeof buf));
	const char *why = tk_elfsym_problem(e, buf, sizeof buf);
	ck_assert_ptr_nonnull(why);
	ck_assert_msg(strstr(why, "section 32767") && strstr(why, ".dynsym"), "%s", why);
	ck_assert_int_eq(tk_elfsym_has_symtab(e), 0);
	/* the exported function is still named; the local ones are gone */
	int exported = 0;
	for (size_t i = 0; i < tk_elfsym_count(e); i++) {
		const char *n = tk_elfsym_at(e, i)->name;
		exported += strcmp(n, "tk_fixture_a") == 0 || strncmp(n, "tk_fixture_a@", 13) == 0;
	}
	ck_assert_int_ge(exported, 1); /* (two versions of it) */
	ck_assert_uint_lt(tk_elfsym_count(e), tk_elfsym_count(good));
	free(data);
	tk_elfsym_free(good);
	tk_elfsym_free(e);
}
END_TEST

/* A .plt whose entries do not decode (their "jmp *GOT(%rip)" replaced
 * by ud2 here) is named by position instead: entry i+1 after PLT0 for
 * relocation i of .rela.plt, the same names as the intact file's. */
START_TEST(test_plt_fallback)
{
	const char *orig = fx(_i ? "fx-pie" : "fx.so");
	if (elf_machine(orig) != EM_X86_64) {
		fprintf(stderr, "test_plt_fallback: the fixtures are not x86-64, skipped\n");
		return;
	}
	uint64_t plt_addr, plt_size, plt_off = 0;
	ck_assert(section_range(orig, ".plt", &plt_addr, &plt_size));
	int fd = open(orig, O_RDONLY);
	ck_assert_int_ge(fd, 0);
	Elf *elf = elf_begin(fd, ELF_C_READ, NULL);
	ck_assert_ptr_nonnull(elf);
	Elf_Scn *scn = NULL;
	while ((scn = elf_nextscn(elf, scn))) {
		GElf_Shdr sh;
		ck_assert_ptr_nonnull(gelf_getshdr(scn, &sh));
		if (sh.sh_addr == plt_addr && sh.sh_size == plt_size && (sh.sh_flags & SHF_EXECINSTR))
			plt_off = sh.sh_offset;
	}
	elf_end(elf);
	close(fd);
	ck_assert_uint_gt(plt_off, 0);
	size_t len;
	char *data = tk_test_slurp(orig, &len);
	ck_assert_uint_le(plt_off + plt_size, len);
	for (uint64_t k = 16; k < plt_size; k += 16) {
		ck_assert_int_eq((unsigned char)data[plt_off + k], 0xff);
		ck_assert_int_eq((unsigned char)data[plt_off + k + 1], 0x25);
		data[plt_off + k] = 0x0f;
		data[plt_off + k + 1] = 0x0b;
	}
	struct tk_elfsym *want = open_ok(orig);
	struct tk_elfsym *got = open_ok(tk_test_spit("patched", data, len));
	size_t named = 0;
	for (uint64_t a = plt_addr; a < plt_addr + plt_size; a += 16) {
		struct tk_sym *x = tk_elfsym_lookup(want, a), *y = tk_elfsym_lookup(got, a);
		ck_assert_int_eq(x == NULL, y == NULL);
		if (!x)
			continue;
		ck_assert_str_eq(x->name, y->name);
		ck_assert_uint_eq(x->start, y->start);
		ck_assert_uint_eq(x->end, y->end);
		named++;
	}
	ck_assert_uint_eq(named, plt_size / 16 - 1);
	free(data);
	tk_elfsym_free(want);
	tk_elfsym_free(got);
}
END_TEST

/* --- /usr/bin/node ------------------------------------------------------- */

START_TEST(test_node)
{
	struct tk_elfsym *e = open_ok(NODE);
	size_t n = tk_elfsym_count(e);
	ck_assert_uint_gt(n, 50000);
	check_invariants(e, NODE);

	/* node::Start(int, char**) exists in every release; find it by its
	 * demangled name rather than one mangling. */
	struct tk_demangle dm = {0};
	struct tk_sym *start = NULL;
	size_t builtins = 0;
	for (size_t i = 0; i < n; i++) {
		struct tk_sym *s = tk_elfsym_at(e, i);
		if (strncmp(s->name, "_ZN4node5Start", 14) == 0 &&
		    strcmp(tk_demangle(&dm, s->name), "node::Start(int, char**)") == 0)
			start = s;
		if (strncmp(s->name, "Builtins_", 9) == 0)
			builtins++;
	}
	tk_demangle_release(&dm);
	ck_assert_msg(start != NULL, "node::Start(int, char**) not found");
	ck_assert_ptr_eq(tk_elfsym_lookup(e, start->start), start);
	ck_assert_ptr_eq(tk_elfsym_lookup(e, start->end - 1), start);

	/* Lookups anywhere: the answer holds the address, and repeating a
	 * lookup out of order (cache cold or warm) gives the same answer. */
	uint64_t lo = tk_elfsym_at(e, 0)->start, hi = tk_elfsym_at(e, n - 1)->end;
	uint64_t x = 88172645463325252u;
	struct tk_sym *prev = NULL;
	uint64_t prev_a = 0;
	for (int i = 0; i < 200000; i++) {
		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		uint64_t a = lo + x % (hi - lo);
		struct tk_sym *s = tk_elfsym_lookup(e, a);
		if (s)
			ck_assert(s->start <= a && a < s->end);
		ck_assert_ptr_eq(tk_elfsym_lookup(e, a), s);
		if (prev_a)
			ck_assert_ptr_eq(tk_elfsym_lookup(e, prev_a), prev);
		prev = s;
		prev_a = a;
	}
	/* A node binary that has V8's embedded builtins names them. */
	if (builtins)
		need(e, "Builtins_LoadIC");
	uint64_t b;
	if (tk_elfsym_is_exec(e)) {
		ck_assert_int_eq(tk_elfsym_bias(e, 0x400000, 0x400000 + 0x1000, &b), 0);
		ck_assert_uint_eq(b, 0);
	}
	tk_elfsym_free(e);
}
END_TEST

Suite *tk_suite_elfsym(void)
{
	Suite *s = suite_create("elfsym");
	TCase *tc = tcase_create("fixtures");
	tcase_add_loop_test(tc, test_invariants, 0, (int)(sizeof all_fixtures / sizeof all_fixtures[0]));
	tcase_add_loop_test(tc, test_functions, 0, (int)(N_FILES * N_FUNCS));
	tcase_add_loop_test(tc, test_shapes, 0, (int)N_FILES);
	tcase_add_loop_test(tc, test_plt_not_swallowed, 0, 3);
	/* the last two (node, libc) run below, with more time */
	tcase_add_loop_test(tc, test_plt_objdump, 0, (int)(sizeof plt_files / sizeof plt_files[0]) - 2);
	tcase_add_test(tc, test_versions);
	tcase_add_test(tc, test_debug_file);
	tcase_add_loop_test(tc, test_debug_props, 0, (int)(sizeof debug_props / sizeof debug_props[0]));
	tcase_add_loop_test(tc, test_take_symbols, 0, (int)(sizeof take_cases / sizeof take_cases[0]));
	tcase_add_test(tc, test_take_nothing);
	tcase_add_loop_test(tc, test_exec_runtime, 0, 2);
	tcase_add_loop_test(tc, test_so_runtime, 0, 2);
	tcase_add_loop_test(tc, test_bias_synthetic, 0, 5);
	tcase_add_test(tc, test_two_segments);
	tcase_add_test(tc, test_bias_none);
	tcase_add_loop_test(tc, test_code_end, 0, 5);
	tcase_add_test(tc, test_build_id);
	tcase_add_test(tc, test_alias_storm);
	tcase_add_test(tc, test_binding_preference);
	suite_add_tcase(s, tc);

	TCase *bad = tcase_create("bad-files");
	tcase_add_checked_fixture(bad, tk_test_tmp_make, tk_test_tmp_remove);
	tcase_add_test(bad, test_not_files);
	tcase_add_loop_test(bad, test_truncated, 0, 2);
	tcase_add_loop_test(bad, test_corrupt, 0, 4);
	tcase_add_test(bad, test_symtab_bad_link);
	tcase_add_loop_test(bad, test_changed_file, 0, 3);
	tcase_add_loop_test(bad, test_plt_fallback, 0, 2);
	tcase_set_timeout(bad, 60);
	suite_add_tcase(s, bad);

	/* The host's node and libc: PLTs of real builds (each case skips
	 * itself where its file or objdump is missing). */
	TCase *host = tcase_create("host");
	tcase_add_loop_test(host, test_plt_objdump, (int)(sizeof plt_files / sizeof plt_files[0]) - 2,
			    (int)(sizeof plt_files / sizeof plt_files[0]));
	tcase_set_timeout(host, 120);
	suite_add_tcase(s, host);

	/* Skipped (not added) where there is no node binary. */
	if (access(NODE, R_OK) == 0) {
		TCase *node = tcase_create("node");
		tcase_add_test(node, test_node);
		tcase_set_timeout(node, 120);
		suite_add_tcase(s, node);
	}
	return s;
}
