/*
 * srcpos_int: what srcpos.c (scripts, position tables, frames) and
 * srcpos_map.c (texts, their lines, source maps, files) share. Private to
 * js/srcpos*.c.
 */
#ifndef TK_SRCPOS_INT_H
#define TK_SRCPOS_INT_H

#include <stdlib.h>
#include <string.h>
#include "base/hashidx.h"
#include "base/util.h"
#include "js/sourcemap.h"
#include "js/srcpos.h"

#define MAX_MAP_BYTES (256u << 20)
#define FSLOTS 4096             /* answers remembered, direct-mapped */
#define FSLOT_FRAMES 6          /* longer inlining chains are not remembered */

/* a text with its line starts (bytes and UTF-16 units), computed lazily */
struct text {
	char *s;
	size_t len;
	uint32_t *lb, *lu;          /* line starts: byte offset, UTF-16 offset */
	size_t n_lines;             /* 0: not computed */
};

struct script {
	int64_t id;
	char *url;
	struct text t;              /* t.s NULL: source not kept */
	int map_state;              /* 0 not tried, 1 loaded, -1 none */
	int has_map_comment;
	struct tk_smap map;
};

struct pos {
	uint32_t off, pos;
	int32_t inl;                /* inlining id, -1 none */
};

struct inl {
	uint32_t fn, pos;
	int32_t parent;
};

/* one code object's position table; texts until parsed */
struct tk_srcinfo {
	int64_t script;
	uint32_t fstart, fend;
	char *ptext, *itext, *ftext;
	int parsed;
	struct pos *pos;
	size_t n_pos;
	struct inl *inl;
	size_t n_inl;
	uint64_t *fns;
	size_t n_fns;
};

struct sfi {
	uint64_t addr;
	const struct tk_name *name; /* display name of its code */
	int64_t script;
};

struct frange {
	char *key;                  /* "FUNC\tFILE" */
	unsigned first, last;
	int64_t script;             /* FILE is this script's url (-1: a mapped source) */
};

/* a script url, with the latest script (greatest index) that has it */
struct url {
	char *url;
	uint32_t latest;            /* TK_HASHIDX_NONE: none left */
};

/* a mapped source with sourcesContent: the first (script, source) that
 * has it among the maps loaded */
struct msrc {
	char *path;
	uint32_t script, j;
};

struct file {
	char *path;
	struct text t;
	int ok;
};

/* one remembered answer of tk_srcpos_frames for (table, offset) */
struct fslot {
	const struct tk_srcinfo *si;
	uint64_t off;
	uint32_t n;                 /* frames; 0: the plain name */
	uint32_t ids[FSLOT_FRAMES];
};

struct tk_srcpos {
	int lines, maps, quiet;
	const char *map_dir;
	struct tk_arena arena;
	struct script *scripts;
	size_t n_scripts, cap_scripts;
	struct tk_hashidx script_idx;  /* id -> index in scripts */
	struct url *urls;
	size_t n_urls, cap_urls;
	struct tk_hashidx url_idx;  /* url -> index in urls */
	int any_map;                /* a script names a source map */
	struct sfi *sfis;
	size_t n_sfis, cap_sfis;
	struct tk_hashidx sfi_idx;  /* SFI address -> index in sfis */
	uint64_t last_code, last_sfi;
	uint32_t *renamed;          /* by name id: mapped name id + 1 (0 not done) */
	size_t renamed_cap;
	struct frange *ranges;
	size_t n_ranges, cap_ranges;
	struct tk_hashidx range_idx;  /* key -> index in ranges */
	struct file *files;
	size_t n_files, cap_files;
	struct tk_hashidx file_idx;  /* path -> index in files */
	struct msrc *msrcs;
	size_t n_msrcs, cap_msrcs;
	struct tk_hashidx msrc_idx; /* path -> index in msrcs */
	struct fslot *fcache;
	struct tk_buf b, b2;
};

static inline char *dupn(const char *s, size_t n)
{
	char *p = tk_xmalloc(n + 1);
	memcpy(p, s, n);
	p[n] = 0;
	return p;
}

/* free a text's storage (not t itself) */
void tk_srcpos_text_free(struct text *t);
/* the URL of a "//# sourceMappingURL=URL" comment (or "//@") that ends
 * the text (only whitespace after it), in [*a, *e); 0 if none */
int tk_srcpos_map_comment(const char *s, size_t n, const char **a, const char **e);
/* line (1-based) of t into s and n: 1, or 0 if t has no such line */
int tk_srcpos_text_line(struct text *t, unsigned line, const char **s, size_t *n);
/* finds and reads the map script s names, once (s->map_state set) */
void tk_srcpos_load_map(struct tk_srcpos *sp, struct script *s);
/* script position pos (UTF-16) to file, 1-based line and column */
int tk_srcpos_where(struct tk_srcpos *sp, struct script *s, uint32_t pos, const char **file, unsigned *line,
		    unsigned *col);
/* the text of path (a mapped source's content, else the file), read once */
struct file *tk_srcpos_get_file(struct tk_srcpos *sp, const char *path);

#endif
