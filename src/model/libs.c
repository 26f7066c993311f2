/* libs: library ranges in sorted runs (a log has tens of them, a hostile
 * one 10^6, interleaved with ticks), ELF files in a per-run cache found
 * by path. */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>
#include "symbols/dwline.h"
#include "model/libs.h"
#include "base/util.h"

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
		free(f->why);
		free(f->debug_why);
		free(f->mismatch_why);
		free(f);
	}
	free(c->v);
	tk_hashidx_release(&c->by_path);
	memset(c, 0, sizeof *c);
}

/* *msg := the formatted message, cut to max - 1 bytes as the fixed
 * buffers it replaces cut it (the old one freed). */
static void set_msg(char **msg, size_t max, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void set_msg(char **msg, size_t max, const char *fmt, ...)
{
	char tmp[600];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(tmp, max < sizeof tmp ? max : sizeof tmp, fmt, ap);
	va_end(ap);
	free(*msg);
	size_t n = strlen(tmp);
	*msg = tk_xmalloc(n + 1);
	memcpy(*msg, tmp, n + 1);
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
		set_msg(&f->debug_why, 600, "debug file '%s' rejected: not a regular file", cand);
		return 0;
	}
	if (want_crc) {
		uint32_t got;
		if (file_crc32(cand, &got) < 0) {
			set_msg(&f->debug_why, 600, "debug file '%s' rejected: %s",
				 cand, strerror(errno));
			return 0;
		}
		if (got != crc) {
			set_msg(&f->debug_why, 600,
				 "debug file '%s' rejected: its CRC is %08" PRIx32 ", the debug link wants %08" PRIx32,
				 cand, got, crc);
			return 0;
		}
	}
	struct tk_diag d = {0};
	struct tk_elfsym *dbg = tk_elfsym_open(cand, &d);
	if (!dbg) {
		set_msg(&f->debug_why, 600, "debug file rejected: %s", d.msg);
		return 0;
	}
	size_t la, lb;
	const unsigned char *a = tk_elfsym_build_id(f->elf, &la);
	const unsigned char *b = tk_elfsym_build_id(dbg, &lb);
	if (la && (la != lb || memcmp(a, b, la) != 0)) {
		set_msg(&f->debug_why, 600,
			 "debug file '%s' rejected: %s", cand,
			 lb ? "its build id differs" : "it has no build id");
		tk_elfsym_free(dbg);
		return 0;
	}
	if (tk_elfsym_take_symbols(f->elf, dbg) < 0) {
		set_msg(&f->debug_why, 600, "debug file '%s' rejected: it has no symbol table",
			 cand);
		tk_elfsym_free(dbg);
		return 0;
	}
	f->debug_path = cat3(cand, "", "");
	free(f->debug_why);
	f->debug_why = NULL;
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

static int path_eq(const void *ctx, uint32_t i, const void *key)
{
	const struct tk_elfcache *c = ctx;
	return strcmp(c->v[i]->path, key) == 0;
}

struct tk_elffile *tk_elfcache_get(struct tk_elfcache *c, const char *path)
{
	uint32_t h = tk_hash(path, strlen(path));
	uint32_t i = tk_hashidx_find(&c->by_path, h, path_eq, c, path);
	if (i != TK_HASHIDX_NONE)
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
			set_msg(&f->why, 600, "%s", d.msg);
			c->missing++;
		} else if (!tk_elfsym_has_symtab(f->elf)) {
			find_debug(c, f);
		}
	}
	tk_xgrow((void **)&c->v, &c->cap, c->n + 1, sizeof *c->v);
	tk_hashidx_add(&c->by_path, h, (uint32_t)c->n);
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
	tk_hashidx_release(&l->by_key);
	for (size_t k = 0; k < TK_LIBS_RUNS; k++)
		free(l->run[k]);
	free(l->all);
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
		set_msg(&f->mismatch_why, 200,
			 "the file on disk does not match the log (the log maps 0x%" PRIx64
			 " bytes, the file has 0x%" PRIx64 "): names may be wrong", want, size);
	else if (code && code < want)
		set_msg(&f->mismatch_why, 200,
			 "the file on disk does not match the log (the log maps 0x%" PRIx64
			 " bytes, the file's code ends at 0x%" PRIx64 "): names may be wrong", want, code);
	else
		return;
	f->mismatch = 1;
}

/* The (name, start) key of a library line. */
struct lib_key {
	const struct tk_name *name;
	uint64_t start;
};

static int key_eq(const void *ctx, uint32_t i, const void *key)
{
	const struct tk_lib *v = ctx;
	const struct lib_key *k = key;
	return v[i].name == k->name && v[i].start == k->start;
}

static uint32_t key_hash(const struct lib_key *k)
{
	return tk_hashidx_u64(k->start ^ ((uint64_t)k->name->id * 0x9e3779b97f4a7c15ull));
}

/* Library a before b in (start, end, order added). */
static int lib_lt(const struct tk_libs *l, uint32_t a, uint32_t b)
{
	const struct tk_lib *x = &l->v[a], *y = &l->v[b];
	if (x->start != y->start)
		return x->start < y->start;
	if (x->end != y->end)
		return x->end < y->end;
	return a < b;
}

/* Adds index i as a run of one, merging equal-sized runs (a binary
 * counter): each index is merged O(log n) times in all. */
static void run_add(struct tk_libs *l, uint32_t i)
{
	uint32_t *carry = tk_xmalloc(sizeof *carry);
	size_t cn = 1;
	carry[0] = i;
	size_t k = 0;
	for (; k < TK_LIBS_RUNS - 1 && l->run_n[k]; k++) {
		uint32_t *a = l->run[k], *m = tk_xmalloc((l->run_n[k] + cn) * sizeof *m);
		size_t na = l->run_n[k], x = 0, y = 0, z = 0;
		while (x < na || y < cn)
			m[z++] = y == cn || (x < na && lib_lt(l, a[x], carry[y])) ? a[x++] : carry[y++];
		free(a);
		free(carry);
		l->run[k] = NULL;
		l->run_n[k] = 0;
		l->runs &= ~(1ull << k);
		carry = m;
		cn = z;
	}
	l->run[k] = carry; /* k < 40: 2^39 libraries is no log */
	l->run_n[k] = cn;
	l->runs |= 1ull << k;
}

void tk_libs_add(struct tk_libs *l, struct tk_elfcache *c, const struct tk_name *name,
		 uint64_t start, uint64_t end)
{
	if (end < start)
		end = start;
	l->gen++;
	l->sorted = 1;
	l->all_n = 0;
	struct lib_key key = { name, start };
	uint32_t h = key_hash(&key);
	uint32_t at = tk_hashidx_find(&l->by_key, h, key_eq, l->v, &key);
	if (at != TK_HASHIDX_NONE) {
		struct tk_lib *o = &l->v[at];
		check_range(o->file, start, end);
		/* one line per executable segment: take the union (a grown
		 * end keeps the entry's place in its run; lookups order the
		 * few candidates they look at anew) */
		if (end > o->end)
			o->end = end;
		return;
	}
	tk_xgrow((void **)&l->v, &l->cap, l->n + 1, sizeof *l->v);
	struct tk_lib *lib = &l->v[l->n];
	memset(lib, 0, sizeof *lib);
	lib->name = name;
	lib->start = start;
	lib->end = end;
	lib->file = tk_elfcache_get(c, name->str);
	check_range(lib->file, start, end);
	if (lib->file->elf && tk_elfsym_bias(lib->file->elf, start, end, &lib->bias) == 0)
		lib->has_bias = 1;
	tk_hashidx_add(&l->by_key, h, (uint32_t)l->n);
	run_add(l, (uint32_t)l->n);
	l->n++;
	l->last = NULL;
}

enum { LOOKBACK = 8 };

const struct tk_lib *tk_libs_find(struct tk_libs *l, uint64_t addr)
{
	if (l->last && addr >= l->last->start && addr < l->last->end)
		return l->last;
	if (l->n == 0)
		return NULL;
	/* The LOOKBACK greatest libraries starting at or below addr are
	 * among the LOOKBACK greatest of each run: gather those, keep the
	 * greatest LOOKBACK, and take the first that holds addr. Ranges
	 * rarely overlap (worker logs list other isolates' pages). */
	uint32_t best[LOOKBACK];
	size_t nb = 0;
	for (uint64_t left = l->runs; left; left &= left - 1) {
		size_t k = (size_t)__builtin_ctzll(left); /* the runs not empty only */
		const uint32_t *r = l->run[k];
		size_t lo = 0, hi = l->run_n[k];
		while (lo < hi) {
			size_t mid = (lo + hi) / 2;
			l->steps++;
			if (l->v[r[mid]].start <= addr)
				lo = mid + 1;
			else
				hi = mid;
		}
		for (size_t i = lo, g = 0; i > 0 && g < LOOKBACK; i--, g++) {
			uint32_t x = r[i - 1];
			l->steps++;
			/* insert x into best, greatest first */
			size_t p = nb;
			while (p > 0 && lib_lt(l, best[p - 1], x))
				p--;
			if (p >= LOOKBACK)
				continue;
			size_t top = nb < LOOKBACK ? nb : LOOKBACK - 1;
			memmove(best + p + 1, best + p, (top - p) * sizeof *best);
			best[p] = x;
			if (nb < LOOKBACK)
				nb++;
		}
	}
	for (size_t i = 0; i < nb; i++) {
		struct tk_lib *c = &l->v[best[i]];
		if (addr < c->end) {
			l->last = c;
			return c;
		}
	}
	return NULL;
}

static struct tk_libs *sort_ctx;

static int cmp_idx(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
	return lib_lt(sort_ctx, x, y) ? -1 : lib_lt(sort_ctx, y, x);
}

const struct tk_lib *tk_libs_at(struct tk_libs *l, size_t i)
{
	if (l->all_n != l->n) {
		free(l->all);
		l->all = tk_xmalloc((l->n ? l->n : 1) * sizeof *l->all);
		for (size_t k = 0; k < l->n; k++)
			l->all[k] = (uint32_t)k;
		sort_ctx = l;
		qsort(l->all, l->n, sizeof *l->all, cmp_idx);
		sort_ctx = NULL;
		l->all_n = l->n;
	}
	return i < l->n ? &l->v[l->all[i]] : NULL;
}

int tk_elffile_line(struct tk_elffile *f, uint64_t vaddr, const char **src, unsigned *line)
{
	if (!f->lines_tried) {
		/* lines live where the symbols came from: a stripped file's
		 * debug file, else the file itself */
		struct tk_diag d = {0};
		f->lines_tried = 1;
		if (f->elf && tk_elfsym_check(f->elf) == 0)
			f->lines = tk_dwline_open(f->debug_path ? f->debug_path : f->disk_path, &d);
	}
	return f->lines && tk_dwline_lookup(f->lines, vaddr, src, line);
}

const char *tk_elffile_lines_problem(const struct tk_elffile *f, const char **path)
{
	*path = f->debug_path ? f->debug_path : f->disk_path;
	return f->lines ? tk_dwline_problem(f->lines) : NULL;
}
