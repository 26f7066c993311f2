/*
 * elfsym: the function symbols of one ELF file, read with libelf, and
 * the load bias that maps its virtual addresses to a process's addresses.
 *
 * Invariants: symbols are sorted by start; start < end (zero-size symbols
 * are given the range up to the next symbol's start, cut at the end of
 * their section and of a sized symbol they sit in); of several symbols
 * with the same start only one is kept (.symtab beats .dynsym, a function
 * beats an untyped label, then the lowest raw name by strcmp, as `nm -n`
 * lists them). "Functions" are what nm prints as T/t/W/w/i. Addresses are
 * the file's own virtual addresses (st_value); add the bias for runtime
 * addresses. Names are raw (mangled) and, for versioned .dynsym symbols,
 * carry binutils' suffix: "@@VER" (default version) or "@VER" (hidden).
 * On x86-64 the PLT entries (.plt after PLT0, or .plt.sec; and .plt.got)
 * get synthetic symbols "NAME@plt" as objdump -d shows them, one entry
 * (16 or 8 bytes) each, named after the .dynsym symbol their JUMP_SLOT
 * (GLOB_DAT for .plt.got) relocation resolves; IRELATIVE entries stay
 * unnamed. They lose every tie to a real symbol and never leave the PLT
 * sections. A stripped file's symbols can be completed from its separate
 * debug file (tk_elfsym_take_symbols): same addresses, same invariants.
 * libelf is used behind this file only.
 *
 *     struct tk_elfsym *e = tk_elfsym_open("/usr/bin/node", &diag);
 *     uint64_t bias; tk_elfsym_bias(e, start, end, &bias);
 *     const struct tk_sym *s = tk_elfsym_lookup(e, pc - bias);
 */
#ifndef TK_ELFSYM_H
#define TK_ELFSYM_H

#include <stddef.h>
#include <stdint.h>
#include "ticks.h"

struct tk_sym {
	uint64_t start;      /* st_value */
	uint64_t end;        /* exclusive */
	const char *name;    /* raw name (+ version suffix); borrowed until tk_elfsym_free */
	const void *cookie;  /* free for the caller (e.g. a cached display name); starts NULL */
};

struct tk_elfsym;

/* Opens and reads path. NULL on failure, with d->msg saying why (d->code
 * TK_EXIT_INPUT for a missing/unreadable/non-ELF file). Caller frees with
 * tk_elfsym_free(). */
struct tk_elfsym *tk_elfsym_open(const char *path, struct tk_diag *d);
void tk_elfsym_free(struct tk_elfsym *e);

/* Number of symbols kept, and the i-th in address order. */
size_t tk_elfsym_count(const struct tk_elfsym *e);
struct tk_sym *tk_elfsym_at(struct tk_elfsym *e, size_t i);

/* The innermost symbol whose [start, end) holds vaddr, or NULL.
 * Keeps a last-hit cache, hence the non-const object. */
struct tk_sym *tk_elfsym_lookup(struct tk_elfsym *e, uint64_t vaddr);

/* Load bias for one logged `shared-library` line: START is the mapping
 * start minus its file offset (as V8 logs it), END the mapping end.
 * runtime address = vaddr + *bias. ET_EXEC gives 0. Returns 0, or -1 when
 * the file has no executable PT_LOAD segment. */
int tk_elfsym_bias(const struct tk_elfsym *e, uint64_t start, uint64_t end, uint64_t *bias);

/* 1 for ET_EXEC, 0 otherwise (ET_DYN: PIE or shared object). */
int tk_elfsym_is_exec(const struct tk_elfsym *e);

/* The file's GNU build-id note (borrowed), or NULL with *len = 0. */
const unsigned char *tk_elfsym_build_id(const struct tk_elfsym *e, size_t *len);

/* Size of the file in bytes. */
uint64_t tk_elfsym_file_size(const struct tk_elfsym *e);

/* 1 when the file's own .symtab has function symbols (not stripped),
 * else 0: a stripped file's symbols come from .dynsym until completed
 * from its debug file. */
int tk_elfsym_has_symtab(const struct tk_elfsym *e);

/* What is wrong with a file that could still be read (a .symtab whose
 * string table link is bad), in buf; NULL when nothing, or when a debug
 * file supplied the symbols. */
const char *tk_elfsym_problem(const struct tk_elfsym *e, char *buf, size_t n);

/* The file name recorded in .gnu_debuglink (borrowed until
 * tk_elfsym_free) and, in *crc, the CRC-32 (zlib's crc32()) the debug
 * file must have; NULL with *crc = 0 when there is no debug link. */
const char *tk_elfsym_debuglink(const struct tk_elfsym *e, uint32_t *crc);

/* Makes e's symbols the .symtab of from (its separate debug file: same
 * virtual addresses) merged with e's own .dynsym and PLT names, under
 * the invariants above; the bias, build id and file size stay e's. On
 * success e owns from (freed by tk_elfsym_free(e); do not use it
 * again) and returns 0. Returns -1, leaving both unchanged, when from
 * has no .symtab functions (tk_elfsym_has_symtab). Symbols (and their cookies) are new: call it before
 * the first lookup. Checking that from belongs to e (build id, CRC) is
 * the caller's part. */
int tk_elfsym_take_symbols(struct tk_elfsym *e, struct tk_elfsym *from);

/* Opens and reads done for names so far (a test's measure: a table is
 * read at most once per batch of names, however many symbols alias). */
void tk_elfsym_io(const struct tk_elfsym *e, uint64_t *opens, uint64_t *reads);

/* Names are read late, by reopening the file: when a reopen (or
 * tk_elfsym_check) finds that the file (or its debug file) is no longer
 * the one opened (device, inode, size or mtime differ: replaced,
 * rewritten or truncated while ticks ran), no name is read from it any
 * more and lookups find nothing. Why, or NULL while unchanged. */
const char *tk_elfsym_changed(const struct tk_elfsym *e);
/* Checks the files by path now (before another reader opens them, as
 * the DWARF lines do): 0 when unchanged, else -1 (tk_elfsym_changed). */
int tk_elfsym_check(struct tk_elfsym *e);

/* Where the file's code ends: the greatest page-rounded end of the file
 * range (p_offset + max(p_filesz, p_memsz)) of an executable PT_LOAD
 * segment, i.e. the largest END - START a `shared-library` line of this
 * file can log; 0 when there is no executable segment. */
uint64_t tk_elfsym_code_end(const struct tk_elfsym *e);

/* The largest page size a kernel of the file's architecture may map it
 * with (e_machine): 64 KiB for aarch64 and ppc64 (4, 16 or 64 KiB pages),
 * 4 KiB elsewhere. END - START of a mapping is rounded to the page size
 * of the machine that recorded the log, which the log does not say. */
uint64_t tk_elfsym_page_max(const struct tk_elfsym *e);

#endif
