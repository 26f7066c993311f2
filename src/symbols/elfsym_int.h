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
#include "symbols/elfsym.h"
#include "base/util.h"

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

/* Where a string table lies in its file. Names are read from there with
 * pread when needed: touching a mapped table would make the kernel map
 * 64 KiB around each name read (fault-around), megabytes in all. */
struct strtab {
	uint64_t off, size;
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

/* Where a candidate comes from; the lower wins a tie of starts. */
enum { SRC_SYMTAB, SRC_DYNSYM, SRC_PLT };

/* A name not read yet: an offset into the string table of its source
 * (.symtab's, .dynsym's, or the PLT pool) and, for .dynsym, the raw
 * .gnu.version entry that decorates it. */
struct nameref {
	uint32_t off;
	uint16_t versym;
	uint8_t src;        /* SRC_*; SRC_PLT names are .dynstr's plus "@plt" */
	uint8_t flag;       /* in e->ties: the last entry of its group; in a
			     * struct symc: off indexes e->ties (a tie) */
};

/* A kept symbol, compact: 24 bytes each for ~100,000 symbols (node).
 * name.flag: several names qualify and only their strcmp order decides,
 * read when the symbol is first hit; name.off then indexes e->ties. */
struct symc {
	uint64_t start, end;
	struct nameref name;
};

/* What a file was when it was opened: a reopen that finds another
 * (replaced, rewritten, truncated) reads no name from it. */
struct fileid {
	uint64_t dev, ino, size;
	int64_t mtime_s, mtime_ns;
};

/* One string table being read: the descriptor of its file while a batch
 * of names lasts, and the whole table once a batch wants many names. */
struct strsrc {
	int fd;             /* -1: closed */
	char *all;          /* the whole table, or NULL */
	uint64_t wanted;    /* names asked for in this batch */
};

struct tk_elfsym {
	Elf *elf;           /* kept open: names and the build id point into it */
	char *path;         /* for reading symbol tables with pread */
	struct symc *syms;
	size_t n;
	size_t last;        /* index of the last lookup hit; n when none */
	struct nameref *ties;  /* tie groups, each ended by .last */
	size_t nties;
	struct tk_sym **obj;   /* symbols handed out, by index hash (open addressing) */
	size_t obj_mask, nobj;
	struct tk_arena arena; /* handed-out symbols and versioned names */
	const char *sym_path;  /* the file holding the .symtab names (path or debug's) */
	struct strtab sym_str, dyn_str; /* string tables of .symtab and .dynsym */
	struct vertab vt;   /* version names of .dynsym (point into elf) */
	const unsigned char *build_id;
	size_t build_id_len;
	const char *debuglink;  /* .gnu_debuglink file name, in elf; or NULL */
	uint32_t debuglink_crc;
	uint64_t file_size;
	int is_exec;
	uint64_t page_max;  /* the largest page size of its architecture */
	int has_symtab;     /* the file's own .symtab has function symbols */
	int symtab_bad_link;   /* its .symtab links to no usable string table: */
	uint32_t symtab_link;  /* that link (every symbol of it is dropped) */
	struct tk_elfsym *debug;  /* the file the .symtab came from, owned; or NULL */
	struct fileid id;         /* of path, at open */
	const struct fileid *sym_id;  /* of sym_path (e's or the debug file's) */
	struct strsrc rd[2];      /* 0: .symtab names (sym_path), 1: .dynstr (path) */
	int rd_depth;             /* batches open */
	uint64_t n_opens, n_reads;  /* opens and preads for names (tk_elfsym_io) */
	GElf_Phdr *xload;         /* the executable PT_LOAD headers, copied at open:
	                           * the mapping is not read after load (a file
	                           * truncated since would fault there) */
	size_t nxload;
	int phdrs_ok;             /* elf_getphdrnum succeeded at open */
	int changed;              /* a reopen found another file: no more names */
	char changed_why[160];
};

/* What a symbol needs from its section. */
struct sec {
	uint64_t addr, end;
	uint64_t flags;
};

/* A symbol that passed the filter, before sorting and deduplication.
 * Names stay unread (an offset); what the section would decide later is
 * kept instead of the section: for a zero-size symbol, where its section
 * ends (sec_end) or that it sits at the very end of it (at_end). */
struct cand {
	uint64_t start;
	uint64_t size;      /* st_size; for zero-size symbols the section end */
	uint32_t idx;       /* order of reading: ties of everything keep it */
	struct nameref name;
	uint8_t label;      /* bit 0: STT_NOTYPE/STT_OBJECT (loses to a function); above: the binding's rank (elfsymtab.c) */
	uint8_t zero;       /* st_size 0: size holds the section's end */
	uint8_t at_end;     /* zero-size, at or past its section's end */
	uint8_t tie;        /* after dedup: name.off indexes e->ties */
};

/* Fills the size fields of c from st_size and its section. */
static inline void tk_cand_size(struct cand *c, uint64_t size, const struct sec *s)
{
	c->zero = size == 0;
	c->size = size ? size : s->end;
	c->at_end = size == 0 && c->start >= s->end && s->end > s->addr;
}

struct candv {
	struct cand *v;
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
	int aarch64;        /* e_machine EM_AARCH64: its PLT layout */
	int fd;             /* the file, for pread (set by the caller) */
	uint64_t file_size;
};

/* One symbol table to read (elfsymtab.c; sorted by elfsort.c). */
struct tk_symtab_read {
	int fd;             /* the file, read with pread */
	Elf *elf;
	uint64_t file_size;
	const GElf_Shdr *sh;
	int dyn;            /* .dynsym: skip starts cv already has (sorted) */
	Elf_Scn *shndx;     /* SHT_SYMTAB_SHNDX of the table, or NULL */
	Elf_Data *versym;   /* .gnu.version (.dynsym only), or NULL */
	const struct sec *secs;
	size_t nsec;
	size_t from, to;    /* entries [from, to) only; to 0: to the end */
};

/* Appends the function symbols of one symbol table to cv. Symbols a
 * corrupt file makes unreadable (bad name index, bad section index) are
 * skipped, never trusted. */
void tk_elfsym_read_table(const struct tk_symtab_read *r, struct candv *cv);
/* tk_elfsym_read_table into an empty cv, then sorted by (start, idx):
 * a large table in two halves, the first on a worker thread when the
 * loader allows (tk_loader_threads), merged; the same result either way. */
void tk_elfsym_read_sorted(const struct tk_symtab_read *r, struct candv *cv);
/* Sorts v[0..n) by (start, idx) when v[0..sorted) already is. */
void tk_elfsym_sort(struct cand *v, size_t n, size_t sorted);
/* Makes the sorted candidates e's symbols (cv is consumed). */
void tk_elfsym_finish(struct tk_elfsym *e, struct candv *cv);
/* Symbol i, named, handed out (stable until tk_elfsym_clear). */
struct tk_sym *tk_elfsym_obj(struct tk_elfsym *e, size_t i);
/* Drops the symbols, tie groups and handed-out objects of e. */
void tk_elfsym_clear(struct tk_elfsym *e);
/* The identity of an open file (fstat of fd). */
void tk_fileid_get(struct fileid *id, int fd);
/* 1 when the file open as fd is still the one of id, else 0 with e
 * marked changed (path names it in e->changed_why). */
int tk_elfsym_same_file(struct tk_elfsym *e, int fd, const struct fileid *id, const char *path);

/* Entry i of the symbol table sh, read with pread; 0 or -1. */
int tk_elfsym_read_sym(int fd, Elf *elf, uint64_t file_size, const GElf_Shdr *sh, size_t i, GElf_Sym *out);
/* Entries idx[0..n) (ascending, distinct) of the symbol table sh into
 * out[0..n), ok[j] 1 where entry j was read as tk_elfsym_read_sym reads
 * it, else 0; entries close together share one pread. */
void tk_elfsym_read_syms(int fd, Elf *elf, uint64_t file_size, const GElf_Shdr *sh,
			 const uint32_t *idx, size_t n, GElf_Sym *out, unsigned char *ok);
/* The string table a symbol table's names are in (size 0: none). */
struct strtab tk_elfsym_strtab(Elf *elf, const GElf_Shdr *sh, uint64_t file_size);

/* Appends "name@plt" for each x86-64 or aarch64 PLT entry whose relocation names a
 * dynamic symbol (named lazily, from .dynstr). */
void tk_elfplt_add(struct tk_elfsym *e, const struct tables *t, struct candv *cv);

#endif
