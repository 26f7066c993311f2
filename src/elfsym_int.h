/*
 * elfsym_int: what elfsym.c and elfplt.c share, and nothing else sees:
 * the object behind struct tk_elfsym, symbol candidates before sorting,
 * and the section tables of one open Elf.
 *
 * Invariants: as in elfsym.h; a candidate's name is borrowed from the Elf
 * or from a pool the object owns.
 */
#ifndef TK_ELFSYM_INT_H
#define TK_ELFSYM_INT_H

#include <gelf.h>
#include <libelf.h>
#include <stdint.h>
#include "elfsym.h"

/* V8 logs mappings as /proc/self/maps shows them: 4 KiB pages on the
 * platforms we read. */
#define TK_PAGE_MASK (~(uint64_t)0xfff)
/* How many earlier symbols a lookup inspects for one that encloses the
 * address when the nearest one below it ends too early (nested symbols
 * are rare and shallow; an unbounded walk would make misses O(n)). */
#define TK_LOOKBACK 16
/* Version indexes are 15 bits; bit 15 is the "hidden" flag. */
#define TK_VER_HIDDEN 0x8000u
#define TK_VER_MASK 0x7fffu

struct tk_elfsym {
	Elf *elf;           /* kept open: names and the build id point into it */
	struct tk_sym *syms;
	size_t n;
	size_t last;        /* index of the last lookup hit; n when none */
	char *pool;         /* "name@@VER" strings of versioned .dynsym symbols */
	char *plt_pool;     /* "name@plt" strings of the synthetic PLT symbols */
	const unsigned char *build_id;
	size_t build_id_len;
	const char *debuglink;  /* .gnu_debuglink file name, in elf; or NULL */
	uint32_t debuglink_crc;
	uint64_t file_size;
	int is_exec;
	int has_symtab;     /* the file's own .symtab has function symbols */
	struct tk_elfsym *debug;  /* the file the .symtab came from, owned; or NULL */
};

/* What a symbol needs from its section. */
struct sec {
	uint64_t addr, end;
	uint64_t flags;
};

/* Where a candidate comes from; the lower wins a tie of starts. */
enum { SRC_SYMTAB, SRC_DYNSYM, SRC_PLT };

/* A symbol that passed the filter, before sorting and deduplication. */
struct cand {
	uint64_t start, size;
	const char *name;
	const struct sec *sec;  /* its section (in the table of the file it came from) */
	uint16_t versym;    /* raw .gnu.version entry; 0 unless from .dynsym */
	uint8_t src;        /* SRC_*: .symtab beats .dynsym beats a PLT name */
	uint8_t label;      /* STT_NOTYPE/STT_OBJECT: loses to a function */
};

struct candv {
	struct cand *v;
	size_t n, cap;
};

/* A version name by index; verneed names always print as "@" (binutils
 * marks them hidden: they only ever decorate references). */
struct ver {
	const char *name;
	int hidden;
};

struct vertab {
	struct ver *v;
	size_t n, cap;
};

/* The tables of one open Elf that symbols are read from. */
struct tables {
	struct sec *secs;   /* by section index */
	size_t nsec;
	Elf_Scn *symtab, *dynsym, *versym, *shndx;
	GElf_Shdr symtab_sh, dynsym_sh;
	size_t dynsym_idx;
	struct vertab vt;
	Elf_Scn *plt, *plt_sec, *plt_got, *rela_plt;
	int x86_64;
};

/* Appends "name@plt" for each x86-64 PLT entry whose relocation names a
 * dynamic symbol (the names go into e->plt_pool). */
void tk_elfplt_add(struct tk_elfsym *e, const struct tables *t, struct candv *cv);

#endif
