/*
 * libs: the shared libraries of one isolate (its `shared-library` lines)
 * and, shared by every isolate of a run, the ELF files behind them.
 *
 * Invariants: library ranges are [start, end) in process addresses;
 * several lines with the same path and start (one per executable segment,
 * Node 20+) are merged into their union; each path is opened at most
 * once per run (tk_elfcache), and a file that cannot be read is reported
 * once and then treated as a library without symbols. Pseudo-libraries
 * ([vdso], [vsyscall], anonymous "hex-hex" mappings) are never opened.
 * A file without .symtab gets its symbols from its separate debug file
 * when one is found, checked and readable, tried in this order:
 *   1. by build id: ROOT/.build-id/xx/rest.debug;
 *   2. by .gnu_debuglink NAME (its CRC-32 verified): DIR/NAME,
 *      DIR/.debug/NAME, then ROOT/LOGDIR/NAME,
 * for each ROOT of debug_dirs (as given) and then SYSROOT/usr/lib/debug,
 * with DIR the directory of the file opened, LOGDIR that of the logged
 * path. A candidate whose build id differs from the file's (when the file
 * has one) is rejected; otherwise the file keeps its .dynsym.
 * A logged range that maps more than the file's code (END - START beyond
 * the end of its last executable segment, or beyond the file) marks the
 * file as not the one profiled (tk_elffile.mismatch).
 *
 *     struct tk_libs l; tk_libs_init(&l);
 *     tk_libs_add(&l, cache, name, start, end);
 *     const struct tk_lib *lib = tk_libs_find(&l, pc);
 */
#ifndef TK_LIBS_H
#define TK_LIBS_H

#include <stdint.h>
#include "symbols/elfsym.h"
#include "base/hashidx.h"
#include "base/names.h"

/* One ELF file as seen by this run; owned by the cache. */
struct tk_elffile {
	char *path;               /* logged path */
	char *disk_path;          /* path opened (after --sysroot); NULL if pseudo */
	struct tk_elfsym *elf;    /* NULL if it could not be read */
	int pseudo;               /* [vdso], anonymous mapping, ... */
	int skipped;              /* not opened: --no-symbols */
	int warned;               /* the missing/mismatch warning was printed */
	int changed;              /* the file changed on disk after it was read
	                           * (tk_elfsym_changed): said once, counted in
	                           * missing, its ticks at library level since */
	char *why;                /* why elf is NULL (owned; NULL while it is not);
	                           * the three messages are allocated when set:
	                           * 10^6 library lines mean 10^6 files */
	char *debug_path;         /* the separate debug file that supplied the
	                           * symbols; NULL when none (owned) */
	char *debug_why;          /* NULL or why the last debug file candidate
	                           * found was rejected (path included; owned) */
	struct tk_dwline *lines;  /* its DWARF line table (--lines); opened on first need */
	int lines_tried;
	int lines_warned;         /* why its DWARF gave no line was said */
	int mismatch;             /* a logged range does not fit this file */
	char *mismatch_why;       /* the first such range, explained (owned); no path:
	                           * "the file on disk does not match the log
	                           * (...): names may be wrong" */
};

struct tk_elfcache {
	struct tk_elffile **v;
	size_t n, cap;
	struct tk_hashidx by_path; /* logged path -> index in v */
	const char *sysroot;      /* borrowed; NULL = none */
	int quiet;                /* no warnings */
	int no_symbols;           /* open no file: libraries only */
	unsigned missing;         /* files that could not be read */
	/* Debug roots searched before SYSROOT/usr/lib/debug (--debug-dir),
	 * not prefixed with the sysroot; borrowed; set after init, before
	 * the first tk_elfcache_get. */
	const char *const *debug_dirs;
	size_t n_debug_dirs;
};

/* sysroot: borrowed, NULL or "" for none. */
void tk_elfcache_init(struct tk_elfcache *c, const char *sysroot);
void tk_elfcache_release(struct tk_elfcache *c);
/* The file for a logged path, opened on first use; never NULL. */
struct tk_elffile *tk_elfcache_get(struct tk_elfcache *c, const char *path);

/* file:line of vaddr (the file's own address) from the DWARF of the file
 * or of its separate debug file, opened on the first call (after
 * checking the files are still those read: tk_elfsym_check): 1 with
 * *src (borrowed until the cache is released) and *line set, else 0. */
int tk_elffile_line(struct tk_elffile *f, uint64_t vaddr, const char **src, unsigned *line);

/* Why the DWARF of f (or of its debug file) gave no line at all although
 * it has a line table (tk_dwline_problem), with the file read in *path;
 * NULL when it gave lines, has none, or was not read yet. */
const char *tk_elffile_lines_problem(const struct tk_elffile *f, const char **path);

struct tk_lib {
	const struct tk_name *name;  /* the logged path, kind TK_KIND_LIB */
	uint64_t start, end;
	struct tk_elffile *file;
	uint64_t bias;               /* process address = ELF vaddr + bias */
	int has_bias;
};

/* Sorted runs of library indexes, sizes distinct powers of two (the
 * logarithmic method): an add costs O(log n) amortised and a lookup
 * O(log^2 n), however adds and lookups interleave. */
#define TK_LIBS_RUNS 40

struct tk_libs {
	struct tk_lib *v;            /* in the order added */
	size_t n, cap;
	int sorted;                  /* 1: entries never move (but v grows) */
	struct tk_lib *last;
	uint32_t gen;                /* changes with every tk_libs_add */
	struct tk_hashidx by_key;    /* (name, start) -> index in v */
	uint32_t *run[TK_LIBS_RUNS]; /* indexes by (start, end, index) */
	size_t run_n[TK_LIBS_RUNS];
	uint64_t runs;               /* bit k: run k is not empty */
	uint32_t *all;               /* every index by (start, end, index), */
	size_t all_n;                /* for tk_libs_at; rebuilt after adds */
	uint64_t steps;              /* run entries inspected by lookups (tests) */
};

void tk_libs_init(struct tk_libs *l);
void tk_libs_release(struct tk_libs *l);

/* Records one `shared-library` line; merges a repeated (path, start).
 * Checks each line's range against the file (tk_elffile.mismatch). */
void tk_libs_add(struct tk_libs *l, struct tk_elfcache *c, const struct tk_name *name,
		 uint64_t start, uint64_t end);

/* The library whose range holds addr, or NULL: of those that start at
 * or below addr, the 8 with the greatest (start, end, order added) are
 * looked at, greatest first. */
const struct tk_lib *tk_libs_find(struct tk_libs *l, uint64_t addr);

/* The i-th library by (start, end, order added), i < l->n (the order
 * the libraries are listed in outputs). */
const struct tk_lib *tk_libs_at(struct tk_libs *l, size_t i);

#endif
