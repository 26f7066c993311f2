/* dwline: DWARF line tables through libdwarf, read lazily into one sorted
 * array per ELF file. Everything libdwarf-specific stays in this file; the
 * two API generations differ only in the TK_DW_* macros below. */
#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "symbols/dwline.h"
#include "base/util.h"

#ifndef TK_HAVE_LIBDWARF
#define TK_HAVE_LIBDWARF 0
#endif

int tk_dwline_available(void)
{
	return TK_HAVE_LIBDWARF;
}

#if TK_HAVE_LIBDWARF

#include <dwarf.h>
#include <libdwarf.h>

/* configure says which API the header has; a build without configure
 * guesses from the version macros only 0.x defines. */
#if !defined(TK_DWARF_API_new) && !defined(TK_DWARF_API_old)
#ifdef DW_LIBDWARF_VERSION_MAJOR
#define TK_DWARF_API_new 1
#else
#define TK_DWARF_API_old 1
#endif
#endif

/* Both generations open by descriptor: the file fstat checked (not one
 * replaced since), and no search for .gnu_debuglink or dSYM files, which
 * dwarf_init_path does: the caller names the debug file itself. */
#ifdef TK_DWARF_API_new
/* libdwarf 0.x (2022 on): no access mode, dwarf_finish without error. */
#define TK_DW_INIT(fd, dbg, err) \
	dwarf_init_b((fd), DW_GROUPNUMBER_ANY, ignore_error, NULL, (dbg), (err))
#define TK_DW_FINISH(dbg) ((void)dwarf_finish(dbg))
#else
/* 20210528 and older: an access mode, and dwarf_finish reports errors. */
#define TK_DW_INIT(fd, dbg, err) \
	dwarf_init_b((fd), DW_DLC_READ, DW_GROUPNUMBER_ANY, ignore_error, NULL, (dbg), (err))
#define TK_DW_FINISH(dbg) finish_old(dbg)
#endif

/* The file of a row in the final table: none (an end_sequence row, a
 * line-0 row, or a name libdwarf could not build). */
#define TK_NOLINE UINT32_MAX
/* An end_sequence row, only while building: it loses to a row of
 * another sequence that starts at the same address. */
#define TK_END (UINT32_MAX - 1)

/* One row: from addr up to the next row's addr, the source position is
 * names[file]:line (or none when file is TK_NOLINE). */
struct row {
	uint64_t addr;
	uint32_t file;
	uint32_t line;
};

struct tk_dwline {
	char *path;              /* read again by the first lookup */
	dev_t dev;               /* the file as open saw it: a lookup */
	ino_t ino;               /* refuses a file replaced since */
	off_t size;
	struct timespec mtime;
	int is_rel;              /* ET_REL: code legitimately starts at 0 */
	int compressed;          /* its .debug_line is SHF_COMPRESSED or .zdebug_line */
	int built;
	char why[300];           /* after building: why no row was read, or "" */
	struct row *rows;        /* sorted by addr, addresses unique */
	size_t n;
	size_t last;             /* index of the last lookup hit */
	const char **names;      /* file id -> interned path */
	size_t nnames, names_cap;
	uint32_t *slots;         /* hash of names: id + 1, 0 empty */
	size_t nslots;           /* a power of two */
	struct tk_arena arena;   /* the name strings */
};

/* libdwarf calls this only where it has no Dwarf_Error pointer to fill
 * (we always pass one); older versions abort() without any handler. */
static void ignore_error(Dwarf_Error err, Dwarf_Ptr arg)
{
	(void)err;
	(void)arg;
}

#ifndef TK_DWARF_API_new
static void finish_old(Dwarf_Debug dbg)
{
	Dwarf_Error err = NULL;
	/* dbg is gone either way; an error record made while tearing it
	 * down belongs to no dbg. */
	if (dwarf_finish(dbg, &err) == DW_DLV_ERROR && err)
		dwarf_dealloc_error(NULL, err);
}
#endif

/* Every libdwarf error is a record the caller must free; we only ever
 * skip what failed, so the details are not needed. */
static void drop_error(Dwarf_Debug dbg, Dwarf_Error *err)
{
	if (*err)
		dwarf_dealloc_error(dbg, *err);
	*err = NULL;
}

/* Opens path for reading and checks it is still (or is) a regular file.
 * Returns the descriptor, or -1 with errno set. */
static int open_regular(const char *path, struct stat *st)
{
	/* O_NONBLOCK: a FIFO must not make us wait for a writer. */
	int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0)
		return -1;
	if (fstat(fd, st) < 0) {
		int e = errno;
		close(fd);
		errno = e;
		return -1;
	}
	if (!S_ISREG(st->st_mode)) {
		close(fd);
		errno = EINVAL;
		return -1;
	}
	return fd;
}

/* Little- or big-endian reads of the ELF headers. */
static uint64_t get_u(const unsigned char *p, unsigned n, int big)
{
	uint64_t v = 0;
	for (unsigned i = 0; i < n; i++)
		v |= (uint64_t)p[big ? n - 1 - i : i] << (8 * i);
	return v;
}

/* Reads count bytes at off, which the caller has checked against the
 * file size; NULL (and nothing allocated) if the read falls short. */
static unsigned char *read_at(int fd, uint64_t off, uint64_t count)
{
	unsigned char *p = tk_xmalloc(count ? (size_t)count : 1);
	if (pread(fd, p, (size_t)count, (off_t)off) != (ssize_t)count) {
		free(p);
		return NULL;
	}
	return p;
}

/* The ELF header and section headers, read by hand: libdwarf's own
 * initialisation also reads .symtab and .strtab (23 MB for node 26),
 * which open must not pay for. Sets *is_rel and *has_line (a non-empty
 * .debug_line or .zdebug_line with contents in the file) and
 * *compressed (that section is compressed: SHF_COMPRESSED, gcc -gz, or
 * .zdebug_line, -gz=zlib-gnu). Returns NULL, or why the file is not
 * usable ELF. */
static const char *scan_elf(int fd, uint64_t fsize, int *is_rel, int *has_line, int *compressed)
{
	unsigned char h[64];
	*has_line = 0;
	if (pread(fd, h, sizeof h, 0) < 52 || memcmp(h, ELFMAG, SELFMAG) != 0)
		return "not an ELF file";
	int is64 = h[EI_CLASS] == ELFCLASS64, big = h[EI_DATA] == ELFDATA2MSB;
	if ((!is64 && h[EI_CLASS] != ELFCLASS32) || (!big && h[EI_DATA] != ELFDATA2LSB) ||
	    (is64 && fsize < 64))
		return "not an ELF file";
	*is_rel = get_u(h + 16, 2, big) == ET_REL;
	uint64_t shoff = is64 ? get_u(h + 40, 8, big) : get_u(h + 32, 4, big);
	uint64_t entsize = get_u(h + (is64 ? 58 : 46), 2, big);
	uint64_t shnum = get_u(h + (is64 ? 60 : 48), 2, big);
	uint64_t strndx = get_u(h + (is64 ? 62 : 50), 2, big);
	if (shoff == 0)
		return NULL; /* no section headers: no DWARF */
	if (entsize < (is64 ? 64u : 40u) || shoff > fsize || fsize - shoff < entsize)
		return "section headers outside the file";
	/* Section 0 holds the real count and string table index when they
	 * do not fit the ELF header (extended numbering). */
	unsigned char *s0 = read_at(fd, shoff, entsize);
	if (!s0)
		return "section headers outside the file";
	if (shnum == 0)
		shnum = get_u(s0 + (is64 ? 32 : 20), is64 ? 8 : 4, big);
	if (strndx == SHN_XINDEX)
		strndx = get_u(s0 + (is64 ? 40 : 24), 4, big);
	free(s0);
	if (shnum > (fsize - shoff) / entsize || strndx >= shnum)
		return "section headers outside the file";
	unsigned char *sh = read_at(fd, shoff, shnum * entsize);
	if (!sh)
		return "section headers outside the file";
	const unsigned char *st = sh + strndx * entsize;
	uint64_t str_off = get_u(st + (is64 ? 24 : 16), is64 ? 8 : 4, big);
	uint64_t str_size = get_u(st + (is64 ? 32 : 20), is64 ? 8 : 4, big);
	unsigned char *names = NULL;
	/* Section names are short: a huge string table is a corrupt one. */
	if (str_off <= fsize && str_size <= fsize - str_off && str_size <= (1u << 24))
		names = read_at(fd, str_off, str_size);
	for (uint64_t i = 0; names && i < shnum && !*has_line; i++) {
		const unsigned char *s = sh + i * entsize;
		uint64_t name = get_u(s, 4, big), type = get_u(s + 4, 4, big);
		uint64_t off = get_u(s + (is64 ? 24 : 16), is64 ? 8 : 4, big);
		uint64_t size = get_u(s + (is64 ? 32 : 20), is64 ? 8 : 4, big);
		if (type == SHT_NOBITS || size == 0 || off > fsize || size > fsize - off || name >= str_size)
			continue;
		const char *n = (const char *)names + name;
		uint64_t left = str_size - name;
		uint64_t flags = get_u(s + 8, is64 ? 8 : 4, big);
		if (left > 11 && memcmp(n, ".debug_line", 12) == 0) {
			*has_line = 1;
			*compressed = (flags & SHF_COMPRESSED) != 0;
		} else if (left > 12 && memcmp(n, ".zdebug_line", 13) == 0) {
			*has_line = 1;
			*compressed = 1;
		}
	}
	free(names);
	free(sh);
	return NULL;
}

struct tk_dwline *tk_dwline_open(const char *path, struct tk_diag *d)
{
	struct stat st;
	int fd = open_regular(path, &st);
	if (fd < 0) {
		int e = errno;
		tk_diag_set(d, e == EMFILE || e == ENFILE || e == ENOMEM ? TK_EXIT_SYSTEM : TK_EXIT_INPUT,
			    "cannot read '%s': %s", path,
			    e == EINVAL ? "not a regular file" : strerror(e));
		return NULL;
	}
	int is_rel = 0, has_line = 0, compressed = 0;
	const char *bad = scan_elf(fd, (uint64_t)st.st_size, &is_rel, &has_line, &compressed);
	close(fd);
	if (bad || !has_line) {
		tk_diag_set(d, TK_EXIT_INPUT, "no DWARF line table in '%s'%s%s", path,
			    bad ? ": " : "", bad ? bad : "");
		return NULL;
	}
	struct tk_dwline *dl = tk_xcalloc(1, sizeof *dl);
	size_t len = strlen(path);
	dl->path = tk_xmalloc(len + 1);
	memcpy(dl->path, path, len + 1);
	dl->dev = st.st_dev;
	dl->ino = st.st_ino;
	dl->size = st.st_size;
	dl->mtime = st.st_mtim;
	dl->is_rel = is_rel;
	dl->compressed = compressed;
	tk_arena_init(&dl->arena);
	return dl;
}

void tk_dwline_free(struct tk_dwline *dl)
{
	if (!dl)
		return;
	free(dl->path);
	free(dl->rows);
	free(dl->names);
	free(dl->slots);
	tk_arena_release(&dl->arena);
	free(dl);
}

/* The id of name (one string per distinct path), or TK_NOLINE if ids
 * ran out. */
static uint32_t intern(struct tk_dwline *dl, const char *name, size_t len)
{
	if (dl->nnames * 2 >= dl->nslots) {
		size_t ns = dl->nslots ? dl->nslots * 2 : 256;
		uint32_t *s = tk_xcalloc(ns, sizeof *s);
		for (size_t i = 0; i < dl->nnames; i++) {
			const char *p = dl->names[i];
			size_t h = tk_hash(p, strlen(p)) & (ns - 1);
			while (s[h])
				h = (h + 1) & (ns - 1);
			s[h] = (uint32_t)i + 1;
		}
		free(dl->slots);
		dl->slots = s;
		dl->nslots = ns;
	}
	size_t h = tk_hash(name, len) & (dl->nslots - 1);
	for (; dl->slots[h]; h = (h + 1) & (dl->nslots - 1)) {
		const char *p = dl->names[dl->slots[h] - 1];
		if (strncmp(p, name, len) == 0 && p[len] == 0)
			return dl->slots[h] - 1;
	}
	if (dl->nnames >= TK_END - 1)
		return TK_NOLINE;
	tk_xgrow((void **)&dl->names, &dl->names_cap, dl->nnames + 1, sizeof *dl->names);
	dl->names[dl->nnames] = tk_arena_strndup(&dl->arena, name, len);
	dl->slots[h] = (uint32_t)dl->nnames + 1;
	return (uint32_t)dl->nnames++;
}

/* State of one table build. */
struct build {
	struct tk_dwline *dl;
	Dwarf_Debug dbg;
	struct row *rows;
	size_t n, cap;
	uint32_t *files;         /* this CU's file table: index - base -> name id */
	size_t nfiles, files_cap;
	Dwarf_Signed base;       /* first file index: 1 in DWARF 2-4, 0 in 5 */
	int v5;                  /* a DWARF 5 line table */
	int gnu;                 /* produced by GCC or GNU as */
	struct tk_buf path;      /* a file name being joined */
	char err[200];           /* libdwarf's first refusal, or "" */
};

/* Keeps libdwarf's first refusal (to say why no line was read) and
 * frees the error record. */
static void note_error(struct build *b, Dwarf_Debug dbg, Dwarf_Error *err)
{
	if (*err && !b->err[0])
		snprintf(b->err, sizeof b->err, "%s", dwarf_errmsg(*err));
	drop_error(dbg, err);
}

/* Appends one part of a path, with a '/' before it where needed. */
static void path_add(struct tk_buf *p, const char *part)
{
	if (!part || !*part)
		return;
	if (p->len && p->p[p->len - 1] != '/')
		tk_buf_addc(p, '/');
	tk_buf_adds(p, part);
}

/* The name id of a file entry, joined as binutils joins it: a relative
 * name gets its include directory (dir; in DWARF 2-4, 0 means none), and
 * a relative result the CU's comp_dir. The strings are libdwarf's views
 * of the sections: nothing here allocates inside libdwarf, so nothing
 * can leak on its error paths. */
static uint32_t file_path(struct build *b, Dwarf_Line_Context ctx, const char *name, Dwarf_Unsigned dir,
			  const char *comp_dir)
{
	const char *sub = NULL;
	Dwarf_Error err = NULL;
	if (name[0] == '/')
		return intern(b->dl, name, strlen(name));
	if ((b->v5 || dir > 0) && dir <= INT32_MAX &&
	    dwarf_srclines_include_dir_data(ctx, (Dwarf_Signed)dir, &sub, &err) != DW_DLV_OK) {
		drop_error(b->dbg, &err);
		sub = NULL;
	}
	tk_buf_reset(&b->path);
	if (!sub || sub[0] != '/')
		path_add(&b->path, comp_dir);
	path_add(&b->path, sub);
	path_add(&b->path, name);
	return intern(b->dl, b->path.p, b->path.len);
}

/* Reads the file table of the current CU's line table. */
static void cu_files(struct build *b, Dwarf_Line_Context ctx)
{
	Dwarf_Signed base = 0, count = 0, end = 0;
	const char *comp_dir = NULL;
	Dwarf_Error err = NULL;
	b->nfiles = 0;
	if (dwarf_srclines_files_indexes(ctx, &base, &count, &end, &err) != DW_DLV_OK) {
		drop_error(b->dbg, &err);
		return;
	}
	if (dwarf_srclines_comp_dir(ctx, &comp_dir, &err) != DW_DLV_OK) {
		drop_error(b->dbg, &err);
		comp_dir = NULL;
	}
	/* A file table is read from the section: it cannot be larger. */
	if (base < 0 || end <= base || end - base > (Dwarf_Signed)UINT32_MAX / 2)
		return;
	size_t n = (size_t)(end - base);
	tk_xgrow((void **)&b->files, &b->files_cap, n, sizeof *b->files);
	for (size_t i = 0; i < n; i++) {
		const char *name = NULL;
		Dwarf_Unsigned dir = 0, mtime = 0, length = 0;
		Dwarf_Form_Data16 *md5 = NULL;
		b->files[i] = TK_NOLINE;
		if (dwarf_srclines_files_data_b(ctx, base + (Dwarf_Signed)i, &name, &dir, &mtime, &length, &md5,
						&err) == DW_DLV_OK && name && *name)
			b->files[i] = file_path(b, ctx, name, dir, comp_dir);
		drop_error(b->dbg, &err);
	}
	b->base = base;
	b->nfiles = n;
}

/* The name id for a row's file register fno. The register starts at 1
 * in every DWARF version, but libdwarf (20210528, and 0.x before its
 * issue 137 was fixed in late 2022; binutils 2.40's addr2line alike)
 * starts it at 0 in DWARF 5, where 0 indexes the file table too: rows
 * before a sequence's first DW_LNS_set_file come out as file 0. GCC
 * and GNU as rely on the default and never set file 0 (clang always
 * sets the file), so from them 0 means 1. It matters where a unit's
 * first code comes from a header, as in most C++: file 1 is then that
 * header, file 0 the unit's own source. */
static uint32_t row_file(const struct build *b, Dwarf_Unsigned fno)
{
	if (b->v5 && fno == 0 && b->gnu && b->nfiles > 1)
		fno = 1;
	if (fno < (Dwarf_Unsigned)b->base || fno - (Dwarf_Unsigned)b->base >= b->nfiles)
		return TK_NOLINE;
	return b->files[fno - (Dwarf_Unsigned)b->base];
}

/* Appends a row (room for it is made by the caller) of the sequence
 * that starts at index first. Within a sequence the last row at an
 * address wins (as in addr2line), and a row that repeats its
 * predecessor's position adds nothing. */
static void push_row(struct build *b, size_t first, uint64_t addr, uint32_t file, uint32_t line)
{
	if (b->n > first) {
		struct row *p = &b->rows[b->n - 1];
		if (p->addr == addr) {
			p->file = file;
			p->line = line;
			return;
		}
		if (p->addr < addr && p->file == file && p->line == line && file != TK_END)
			return;
	}
	b->rows[b->n++] = (struct row){ addr, file, line };
}

/* Whether a sequence starting at addr is code the linker threw away:
 * GNU ld resolves its addresses to 0, lld to an all-ones tombstone. In a
 * relocatable object 0 is a real section start. */
static int discarded(uint64_t addr, int is_rel, unsigned addr_size)
{
	uint64_t ones = addr_size == 4 ? UINT32_MAX : UINT64_MAX;
	return (addr == 0 && !is_rel) || addr == ones || addr == ones - 1;
}

/* Whether row l has the epilogue_begin flag. libdwarf (20210528, and 0.x
 * releases too) reports that flag as end_sequence on rows made by a
 * special opcode, which clang emits at every function's epilogue: such a
 * row would end the function's lines early. A true end_sequence row has
 * the flag only if DW_LNS_set_epilogue_begin came right before
 * DW_LNE_end_sequence, which no compiler writes. */
static int epilogue_begin(struct build *b, Dwarf_Line l)
{
	Dwarf_Bool prologue = 0, epilogue = 0;
	Dwarf_Unsigned isa = 0, discriminator = 0;
	Dwarf_Error err = NULL;
	if (dwarf_prologue_end_etc(l, &prologue, &epilogue, &isa, &discriminator, &err) != DW_DLV_OK) {
		drop_error(b->dbg, &err);
		return 0;
	}
	return epilogue != 0;
}

/* Adds the rows of one CU's line table. */
static void add_lines(struct build *b, Dwarf_Line *lines, Dwarf_Signed count, unsigned addr_size)
{
	size_t first = 0;
	int in_seq = 0, skip = 0;
	uint64_t last_addr = 0;
	for (Dwarf_Signed i = 0; i < count; i++) {
		Dwarf_Line l = lines[i];
		Dwarf_Error err = NULL;
		Dwarf_Addr addr = 0;
		Dwarf_Bool end = 0;
		if (dwarf_lineaddr(l, &addr, &err) != DW_DLV_OK) {
			drop_error(b->dbg, &err);
			continue;
		}
		if (dwarf_lineendsequence(l, &end, &err) != DW_DLV_OK) {
			drop_error(b->dbg, &err);
			end = 0;
		}
		if (end && epilogue_begin(b, l))
			end = 0;
		if (!in_seq) {
			in_seq = 1;
			first = b->n;
			skip = discarded(addr, b->dl->is_rel, addr_size);
		}
		if (end)
			in_seq = 0;
		if (skip)
			continue;
		last_addr = addr;
		uint32_t file = TK_END, line = 0;
		if (!end) {
			/* Line 0 (code of no source line) and rows libdwarf
			 * cannot read have no line. */
			Dwarf_Unsigned lno = 0, fno = 0;
			file = TK_NOLINE;
			if (dwarf_lineno(l, &lno, &err) == DW_DLV_OK && lno > 0 && lno <= UINT32_MAX &&
			    dwarf_line_srcfileno(l, &fno, &err) == DW_DLV_OK)
				file = row_file(b, fno);
			drop_error(b->dbg, &err);
			if (file != TK_NOLINE)
				line = (uint32_t)lno;
		}
		push_row(b, first, addr, file, line);
	}
	/* A table cut off inside a sequence: its last row's extent is
	 * unknown, so it covers nothing. */
	if (in_seq && !skip && b->n > first)
		push_row(b, first, last_addr, TK_END, 0);
}

/* Reads the line table of one CU DIE. Two-level tables (an experiment
 * of libdwarf's author, table count 2) are not read. */
static void cu_lines(struct build *b, Dwarf_Die cu, unsigned addr_size)
{
	Dwarf_Unsigned version = 0;
	Dwarf_Small tables = 0;
	Dwarf_Line_Context ctx = NULL;
	Dwarf_Error err = NULL;
	int r = dwarf_srclines_b(cu, &version, &tables, &ctx, &err);
	if (r != DW_DLV_OK) {
		note_error(b, b->dbg, &err);
		return;
	}
	b->v5 = version == 5;
	if (tables == 1)
		cu_files(b, ctx);
	/* Rows whose files cannot be named are of no use. */
	if (tables == 1 && b->nfiles) {
		Dwarf_Line *lines = NULL;
		Dwarf_Signed count = 0;
		if (dwarf_srclines_from_linecontext(ctx, &lines, &count, &err) == DW_DLV_OK && count > 0) {
			/* At most one row each (plus a closing one): room for
			 * them all up front, none per row. */
			tk_xgrow((void **)&b->rows, &b->cap, b->n + (size_t)count + 1, sizeof *b->rows);
			add_lines(b, lines, count, addr_size);
		} else {
			drop_error(b->dbg, &err);
		}
	}
	dwarf_srclines_dealloc_b(ctx);
}

/* Rows in (addr, end-before-row) order. The table is usually in order
 * already (CUs follow .text); otherwise a stable partition then a stable
 * LSD radix sort on addr, 11 bits a pass, skipping passes where all rows
 * share the digit. Stability keeps rows of equal address in table order. */
static void sort_rows(struct row *r, size_t n)
{
	size_t i;
	for (i = 1; i < n; i++)
		if (r[i - 1].addr > r[i].addr ||
		    (r[i - 1].addr == r[i].addr && r[i - 1].file != TK_END && r[i].file == TK_END))
			break;
	if (i >= n)
		return;
	struct row *tmp = tk_xmalloc(n * sizeof *tmp), *src = r, *dst = tmp;
	size_t k = 0;
	for (i = 0; i < n; i++)
		if (r[i].file == TK_END)
			tmp[k++] = r[i];
	for (i = 0; i < n; i++)
		if (r[i].file != TK_END)
			tmp[k++] = r[i];
	src = tmp;
	dst = r;
	size_t count[2048];
	for (unsigned shift = 0; shift < 64; shift += 11) {
		memset(count, 0, sizeof count);
		for (i = 0; i < n; i++)
			count[(src[i].addr >> shift) & 2047]++;
		if (count[(src[0].addr >> shift) & 2047] == n)
			continue;
		size_t sum = 0;
		for (size_t d = 0; d < 2048; d++) {
			size_t c = count[d];
			count[d] = sum;
			sum += c;
		}
		for (i = 0; i < n; i++)
			dst[count[(src[i].addr >> shift) & 2047]++] = src[i];
		struct row *t = src;
		src = dst;
		dst = t;
	}
	if (src != r)
		memcpy(r, src, n * sizeof *r);
	free(tmp);
}

/* Sorts the rows and keeps one per address: of rows at one address the
 * last one of another sequence beats an end_sequence. Adjacent rows with
 * the same position merge. */
static void finish_rows(struct tk_dwline *dl, struct row *r, size_t n)
{
	sort_rows(r, n);
	size_t m = 0;
	for (size_t i = 0, j; i < n; i = j) {
		for (j = i + 1; j < n && r[j].addr == r[i].addr; j++)
			;
		struct row x = r[j - 1];
		if (x.file == TK_END)
			x.file = TK_NOLINE;
		if (x.file == TK_NOLINE)
			x.line = 0;
		if (m ? r[m - 1].file == x.file && r[m - 1].line == x.line : x.file == TK_NOLINE)
			continue;
		r[m++] = x;
	}
	dl->rows = m ? tk_xrealloc(r, m * sizeof *r) : NULL;
	if (!m)
		free(r);
	dl->n = m;
	dl->last = 0;
}

/* Why a file whose .debug_line has contents gave no row: libdwarf's
 * refusal (err, "" when it refused nothing), and whether the section is
 * compressed (a libdwarf built without zlib refuses those). */
static void say_why(struct tk_dwline *dl, const char *err)
{
	if (!err[0] && !dl->compressed)
		return; /* read, and holds no row: nothing to explain */
	snprintf(dl->why, sizeof dl->why, "no line could be read from its DWARF%s%s%s",
		 dl->compressed ? " (compressed, as gcc -gz writes it)" : "", err[0] ? ": libdwarf: " : "", err);
}

const char *tk_dwline_problem(const struct tk_dwline *dl)
{
	return dl && dl->built && dl->why[0] ? dl->why : NULL;
}

/* Reads every CU's line table. Any failure just ends the reading: what
 * was read until then stays usable. */
static void build(struct tk_dwline *dl)
{
	dl->built = 1;
	struct stat st;
	int fd = open_regular(dl->path, &st);
	if (fd < 0)
		return;
	if (st.st_dev != dl->dev || st.st_ino != dl->ino || st.st_size != dl->size ||
	    st.st_mtim.tv_sec != dl->mtime.tv_sec || st.st_mtim.tv_nsec != dl->mtime.tv_nsec) {
		close(fd);
		return;
	}
	struct build b = { .dl = dl };
	Dwarf_Error err = NULL;
	dl->why[0] = 0;
	/* Without libdwarf's tracking of each allocation (a search tree
	 * insert per line row) the build runs markedly faster; everything
	 * is freed explicitly below instead. The flag is global: restore it. */
	int old_flag = dwarf_set_de_alloc_flag(0);
	if (TK_DW_INIT(fd, &b.dbg, &err) != DW_DLV_OK) {
		note_error(&b, NULL, &err);
		dwarf_set_de_alloc_flag(old_flag);
		close(fd);
		say_why(dl, b.err);
		return;
	}
	Dwarf_Unsigned prev_next = 0;
	for (;;) {
		Dwarf_Unsigned hdr_len = 0, typeoff = 0, next = 0;
		Dwarf_Half version = 0, addr_size = 0, len_size = 0, ext_size = 0, cu_type = 0;
		Dwarf_Off abbrev = 0;
		Dwarf_Sig8 sig;
		int r = dwarf_next_cu_header_d(b.dbg, 1, &hdr_len, &version, &abbrev, &addr_size,
					       &len_size, &ext_size, &sig, &typeoff, &next,
					       &cu_type, &err);
		if (r != DW_DLV_OK) {
			drop_error(b.dbg, &err);
			break;
		}
		/* A corrupt header must not make us go round in circles. */
		if (prev_next && next <= prev_next)
			break;
		prev_next = next;
		Dwarf_Die cu = NULL;
		r = dwarf_siblingof_b(b.dbg, NULL, 1, &cu, &err);
		if (r != DW_DLV_OK) {
			drop_error(b.dbg, &err);
			continue;
		}
		char *producer = NULL;
		b.gnu = dwarf_die_text(cu, DW_AT_producer, &producer, &err) == DW_DLV_OK && producer &&
			strncmp(producer, "GNU ", 4) == 0;
		drop_error(b.dbg, &err);
		cu_lines(&b, cu, addr_size);
		dwarf_dealloc_die(cu);
	}
	TK_DW_FINISH(b.dbg);
	dwarf_set_de_alloc_flag(old_flag);
	close(fd);
	free(b.files);
	tk_buf_free(&b.path);
	finish_rows(dl, b.rows, b.n);
	if (!dl->n)
		say_why(dl, b.err);
}

int tk_dwline_lookup(struct tk_dwline *dl, uint64_t vaddr, const char **file, unsigned *line)
{
	if (!dl->built)
		build(dl);
	const struct row *r = dl->rows;
	size_t n = dl->n, i = dl->last;
	if (!n)
		return 0;
	if (!(r[i].addr <= vaddr && (i + 1 == n || vaddr < r[i + 1].addr))) {
		/* The first row above vaddr; the one before it covers vaddr. */
		size_t lo = 0, hi = n;
		while (lo < hi) {
			size_t mid = lo + (hi - lo) / 2;
			if (r[mid].addr <= vaddr)
				lo = mid + 1;
			else
				hi = mid;
		}
		if (lo == 0)
			return 0;
		i = lo - 1;
		dl->last = i;
	}
	if (r[i].file == TK_NOLINE)
		return 0;
	*file = dl->names[r[i].file];
	*line = r[i].line;
	return 1;
}

#else /* !TK_HAVE_LIBDWARF */

/* Built without libdwarf: no file has lines. */
struct tk_dwline {
	int unused;
};

struct tk_dwline *tk_dwline_open(const char *path, struct tk_diag *d)
{
	tk_diag_set(d, TK_EXIT_INPUT, "no DWARF line table in '%s': built without libdwarf", path);
	return NULL;
}

void tk_dwline_free(struct tk_dwline *dl)
{
	free(dl);
}

const char *tk_dwline_problem(const struct tk_dwline *dl)
{
	(void)dl;
	return NULL;
}

int tk_dwline_lookup(struct tk_dwline *dl, uint64_t vaddr, const char **file, unsigned *line)
{
	(void)dl;
	(void)vaddr;
	(void)file;
	(void)line;
	return 0;
}

#endif
