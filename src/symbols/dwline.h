/*
 * dwline: source file:line for the code addresses of one ELF file, read
 * from its DWARF line table (.debug_line) with libdwarf.
 *
 * Invariants: addresses are the file's own virtual addresses (st_value,
 * as elfsym uses them); subtract the load bias from runtime addresses.
 * Answers are those of `addr2line -e FILE ADDR` (without -i): the last
 * row at the greatest row address <= ADDR within one sequence; past a
 * sequence's end_sequence row, and on rows with line 0, there is no
 * line. Two deliberate differences: sequences the linker discarded
 * (starting at address 0 outside relocatable objects, or at an all-ones
 * tombstone) are ignored, and GCC's DWARF 5 rows that rely on the file
 * register's initial value get the file DWARF says, not the one binutils
 * 2.40 and libdwarf 20210528 read (see row_file in dwline.c). File names
 * are full paths, joined as binutils joins them (the include directory,
 * then the CU's comp_dir, while relative), one string per distinct name.
 * Opening only checks the file and records it; the first lookup reads
 * every CU's line table into one sorted array, so a run that never asks
 * for lines never reads a large .debug_line. libdwarf is used behind this
 * file only; configured without it, open always returns NULL.
 *
 *     struct tk_dwline *dl = tk_dwline_open("/usr/lib/libfoo.so", &diag);
 *     if (dl && tk_dwline_lookup(dl, pc - bias, &file, &line)) ...
 *     tk_dwline_free(dl);
 */
#ifndef TK_DWLINE_H
#define TK_DWLINE_H

#include <stdint.h>
#include "ticks.h"

/* The line table of one ELF file. */
struct tk_dwline;

/* Opens the DWARF of the ELF file at path (the file itself, not one its
 * .gnu_debuglink names: pass the debug file's path for that). NULL with
 * d filled when the file cannot be read (d->code TK_EXIT_SYSTEM for
 * EMFILE/ENOMEM, else TK_EXIT_INPUT), is not ELF, has no DWARF line
 * table ("no DWARF line table in 'PATH'"), or libdwarf is not compiled
 * in. Never crashes on corrupt DWARF. Caller frees with tk_dwline_free(). */
struct tk_dwline *tk_dwline_open(const char *path, struct tk_diag *d);

/* Frees dl and every file name it returned; NULL is allowed. */
void tk_dwline_free(struct tk_dwline *dl);

/* The source position of vaddr: 1 with *file (a full path, borrowed
 * until tk_dwline_free) and *line (>= 1) set, 0 when no row covers vaddr
 * (then *file and *line are left alone). The first call builds the
 * table; if the file changed since tk_dwline_open (device, inode, size
 * or mtime) or its line tables cannot be read, every lookup returns 0.
 * Keeps a last-hit cache, hence the non-const object. */
int tk_dwline_lookup(struct tk_dwline *dl, uint64_t vaddr, const char **file, unsigned *line);

/* After the first lookup: why not one row could be read although the
 * file has a .debug_line with contents (libdwarf refused it, e.g. a
 * compressed one it cannot inflate), or NULL. */
const char *tk_dwline_problem(const struct tk_dwline *dl);

/* 1 when line support (libdwarf) was compiled in, else 0. */
int tk_dwline_available(void);

#endif
