/* libs: library ranges in a sorted array (a log has tens of them, and
 * they come before the ticks), ELF files in a small per-run cache. */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>
#include "dwline.h"
#include "libs.h"
#include "util.h"

void tk_elfcache_init(struct tk_elfcache *c, const char *sysroot)
{
	memset(c, 0, sizeof *c);
	c->sysroot = sysroot && *sysroot ? sysroot : NULL;
}

void tk_elfcache_release(struct tk_elfcache *c)
{
	for (size_t i = 0; i < c->n; i++) {
		struct tk_elffile *f = c->v[i];
		if (f->elf)
			tk_elfsym_free(f->elf);
		tk_dwline_free(f->lines);
		free(f->path);
		free(f->disk_path);
		free(f->debug_path);
		free(f);
	}
	free(c->v);
	memset(c, 0, sizeof *c);
}

static int is_hex_range(const char *s)
{
	const char *dash = strchr(s, '-');
	if (!dash || dash == s || !dash[1])
		return 0;
	for (const char *p = s; *p; p++)
		if (p != dash && !((*p >= '0' && *p <= '9') || (*p >= 'a' && *p <= 'f')))
			return 0;
	return 1;
}

static int is_pseudo(const char *path)
{
	return path[0] == '[' || path[0] == 0 || is_hex_range(path);
}

/* a + b + c, newly allocated. */
static char *cat3(const char *a, const char *b, const char *c)
{
	size_t la = strlen(a), lb = strlen(b), lc = strlen(c);
	char *s = tk_xmalloc(la + lb + lc + 1);
	memcpy(s, a, la);
	memcpy(s + la, b, lb);
	memcpy(s + la + lb, c, lc + 1);
	return s;
}

/* The directory part of path ("" for "/x", "." for "x"), allocated. */
static char *dir_of(const char *path)
{
	const char *slash = strrchr(path, '/');
	if (!slash)
		return cat3(".", "", "");
	char *d = tk_xmalloc((size_t)(slash - path) + 1);
	memcpy(d, path, (size_t)(slash - path));
	d[slash - path] = 0;
	return d;
}

/* The CRC-32 of a whole file as .gnu_debuglink records it: the same
 * polynomial and start as zlib's crc32(). 0, or -1 with errno set. */
static int file_crc32(const char *path, uint32_t *out)
{
	const char *why;
	int fd = tk_open_regular(path, 0, NULL, &why);
	if (fd < 0)
		return -1;
	enum { CHUNK = 1 << 16 };
	unsigned char *buf = tk_xmalloc(CHUNK);
	uLong crc = crc32(0L, Z_NULL, 0);
	int rc = 0;
	for (;;) {
		ssize_t n = read(fd, buf, CHUNK);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			rc = -1;
			break;
		}
		if (n == 0)
			break;
		crc = crc32(crc, buf, (uInt)n);
	}
	int err = errno;
	free(buf);
	close(fd);
	errno = err;
	*out = (uint32_t)crc;
	return rc;
}

/* Tries one debug file candidate for f; 1 when it supplied the symbols.
 * A candidate that does not exist is no news; one that exists and is
 * rejected says why in f->debug_why. want_crc: check the debug link's
 * CRC first. */
static int try_debug(struct tk_elffile *f, const char *cand, int want_crc, uint32_t crc)
{
	struct stat st;
	if (stat(cand, &st) != 0)
		return 0;
	if (!S_ISREG(st.st_mode)) {
		snprintf(f->debug_why, sizeof f->debug_why, "debug file '%s' rejected: not a regular file", cand);
		return 0;
	}
	if (want_crc) {
		uint32_t got;
		if (file_crc32(cand, &got) < 0) {
			snprintf(f->debug_why, sizeof f->debug_why, "debug file '%s' rejected: %s",
				 cand, strerror(errno));
			return 0;
		}
		if (got != crc) {
			snprintf(f->debug_why, sizeof f->debug_why,
				 "debug file '%s' rejected: its CRC is %08" PRIx32 ", the debug link wants %08" PRIx32,
				 cand, got, crc);
			return 0;
		}
	}
	struct tk_diag d = {0};
	struct tk_elfsym *dbg = tk_elfsym_open(cand, &d);
	if (!dbg) {
		snprintf(f->debug_why, sizeof f->debug_why, "debug file rejected: %s", d.msg);
		return 0;
	}
	size_t la, lb;
	const unsigned char *a = tk_elfsym_build_id(f->elf, &la);
	const unsigned char *b = tk_elfsym_build_id(dbg, &lb);
	if (la && (la != lb || memcmp(a, b, la) != 0)) {
		snprintf(f->debug_why, sizeof f->debug_why,
			 "debug file '%s' rejected: %s", cand,
			 lb ? "its build id differs" : "it has no build id");
		tk_elfsym_free(dbg);
		return 0;
	}
	if (tk_elfsym_take_symbols(f->elf, dbg) < 0) {
		snprintf(f->debug_why, sizeof f->debug_why, "debug file '%s' rejected: it has no symbol table",
			 cand);
		tk_elfsym_free(dbg);
		return 0;
	}
	f->debug_path = cat3(cand, "", "");
	f->debug_why[0] = 0;
	return 1;
}

/* Looks for the separate debug file of a stripped f (order in libs.h). */
static void find_debug(struct tk_elfcache *c, struct tk_elffile *f)
{
	size_t nroots = c->n_debug_dirs + 1;
	const char **roots = tk_xmalloc(nroots * sizeof *roots);
	char *def = cat3(c->sysroot ? c->sysroot : "", "/usr/lib/debug", "");
	size_t nr = 0;
	for (size_t i = 0; i < c->n_debug_dirs; i++)
		if (c->debug_dirs[i] && *c->debug_dirs[i])
			roots[nr++] = c->debug_dirs[i];
	roots[nr++] = def;
	int found = 0;

	size_t idlen;
	const unsigned char *id = tk_elfsym_build_id(f->elf, &idlen);
	if (id && idlen >= 2) {
		char *hex = tk_xmalloc(2 * idlen + sizeof "xx/.debug");
		char *p = hex;
		for (size_t i = 0; i < idlen; i++) {
			p += sprintf(p, "%02x", id[i]);
			if (i == 0)
				*p++ = '/';
		}
		memcpy(p, ".debug", sizeof ".debug");
		for (size_t r = 0; r < nr && !found; r++) {
			char *cand = cat3(roots[r], "/.build-id/", hex);
			found = try_debug(f, cand, 0, 0);
			free(cand);
		}
		free(hex);
	}

	uint32_t crc;
	const char *link = tk_elfsym_debuglink(f->elf, &crc);
	if (link && !found) {
		char *dir = dir_of(f->disk_path), *logdir = dir_of(f->path);
		char *cand = cat3(dir, "/", link);
		found = try_debug(f, cand, 1, crc);
		free(cand);
		if (!found) {
			cand = cat3(dir, "/.debug/", link);
			found = try_debug(f, cand, 1, crc);
			free(cand);
		}
		for (size_t r = 0; r < nr && !found; r++) {
			char *sub = cat3(roots[r], logdir[0] == '/' ? "" : "/", logdir);
			cand = cat3(sub, "/", link);
			found = try_debug(f, cand, 1, crc);
			free(cand);
			free(sub);
		}
		free(dir);
		free(logdir);
	}
	free(def);
	free(roots);
}

struct tk_elffile *tk_elfcache_get(struct tk_elfcache *c, const char *path)
{
	for (size_t i = 0; i < c->n; i++)
		if (strcmp(c->v[i]->path, path) == 0)
			return c->v[i];
	struct tk_elffile *f = tk_xcalloc(1, sizeof *f);
	f->path = strdup(path);
	if (!f->path)
		tk_xmalloc((size_t)-1);
	if (is_pseudo(path)) {
		f->pseudo = 1;
	} else if (c->no_symbols) {
		f->skipped = 1;
	} else {
		size_t n = strlen(path) + (c->sysroot ? strlen(c->sysroot) + 1 : 0) + 1;
		f->disk_path = tk_xmalloc(n);
		if (c->sysroot)
			snprintf(f->disk_path, n, "%s%s%s", c->sysroot,
				 path[0] == '/' ? "" : "/", path);
		else
			snprintf(f->disk_path, n, "%s", path);
		struct tk_diag d = {0};
		f->elf = tk_elfsym_open(f->disk_path, &d);
		if (!f->elf) {
			snprintf(f->why, sizeof f->why, "%s", d.msg);
			c->missing++;
		} else if (!tk_elfsym_has_symtab(f->elf)) {
			find_debug(c, f);
		}
	}
	tk_xgrow((void **)&c->v, &c->cap, c->n + 1, sizeof *c->v);
	c->v[c->n++] = f;
	return f;
}

void tk_libs_init(struct tk_libs *l)
{
	memset(l, 0, sizeof *l);
}

void tk_libs_release(struct tk_libs *l)
{
	free(l->v);
	memset(l, 0, sizeof *l);
}

/* Flags f when one logged line maps more than the file holds: V8 logs
 * START = mapping start - file offset, so END - START is where the
 * mapped part of the file ends, which no executable segment of the right
 * file passes. A smaller range proves nothing (Node 6/8 log the raw
 * mapping start; a line maps one of several segments). */
static void check_range(struct tk_elffile *f, uint64_t start, uint64_t end)
{
	if (!f->elf || f->mismatch || end <= start)
		return;
	uint64_t want = end - start;
	uint64_t size = tk_elfsym_file_size(f->elf);
	uint64_t code = tk_elfsym_code_end(f->elf);
	/* the last page of a mapping may run past the end of the file (a
	 * page of up to 64 KiB on aarch64) */
	uint64_t pg = tk_elfsym_page_max(f->elf);
	uint64_t pages = (size + pg - 1) & ~(pg - 1);
	if (pages < want)
		snprintf(f->mismatch_why, sizeof f->mismatch_why,
			 "the file on disk does not match the log (the log maps 0x%" PRIx64
			 " bytes, the file has 0x%" PRIx64 "): names may be wrong", want, size);
	else if (code && code < want)
		snprintf(f->mismatch_why, sizeof f->mismatch_why,
			 "the file on disk does not match the log (the log maps 0x%" PRIx64
			 " bytes, the file's code ends at 0x%" PRIx64 "): names may be wrong", want, code);
	else
		return;
	f->mismatch = 1;
}

void tk_libs_add(struct tk_libs *l, struct tk_elfcache *c, const struct tk_name *name,
		 uint64_t start, uint64_t end)
{
	if (end < start)
		end = start;
	l->gen++;
	for (size_t i = 0; i < l->n; i++) {
		struct tk_lib *o = &l->v[i];
		if (o->name == name && o->start == start) {
			check_range(o->file, start, end);
			/* one line per executable segment: take the union */
			if (end > o->end)
				o->end = end;
			l->sorted = 0;
			return;
		}
	}
	tk_xgrow((void **)&l->v, &l->cap, l->n + 1, sizeof *l->v);
	struct tk_lib *lib = &l->v[l->n++];
	memset(lib, 0, sizeof *lib);
	lib->name = name;
	lib->start = start;
	lib->end = end;
	lib->file = tk_elfcache_get(c, name->str);
	check_range(lib->file, start, end);
	if (lib->file->elf && tk_elfsym_bias(lib->file->elf, start, end, &lib->bias) == 0)
		lib->has_bias = 1;
	l->sorted = 0;
	l->last = NULL;
}

static int cmp_lib(const void *a, const void *b)
{
	const struct tk_lib *x = a, *y = b;
	if (x->start != y->start)
		return x->start < y->start ? -1 : 1;
	return x->end < y->end ? -1 : x->end > y->end;
}

const struct tk_lib *tk_libs_find(struct tk_libs *l, uint64_t addr)
{
	if (l->last && addr >= l->last->start && addr < l->last->end)
		return l->last;
	if (l->n == 0)
		return NULL;
	if (!l->sorted) {
		qsort(l->v, l->n, sizeof *l->v, cmp_lib);
		l->sorted = 1;
		l->last = NULL;
	}
	size_t lo = 0, hi = l->n;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (l->v[mid].start <= addr)
			lo = mid + 1;
		else
			hi = mid;
	}
	/* ranges rarely overlap (worker logs list other isolates' pages);
	 * look back a little for one that holds addr */
	for (size_t i = lo, k = 0; i > 0 && k < 8; i--, k++) {
		struct tk_lib *c = &l->v[i - 1];
		if (addr < c->end) {
			l->last = c;
			return c;
		}
	}
	return NULL;
}

int tk_elffile_line(struct tk_elffile *f, uint64_t vaddr, const char **src, unsigned *line)
{
	if (!f->lines_tried) {
		/* lines live where the symbols came from: a stripped file's
		 * debug file, else the file itself */
		struct tk_diag d = {0};
		f->lines_tried = 1;
		if (f->elf)
			f->lines = tk_dwline_open(f->debug_path ? f->debug_path : f->disk_path, &d);
	}
	return f->lines && tk_dwline_lookup(f->lines, vaddr, src, line);
}
