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

#endif
