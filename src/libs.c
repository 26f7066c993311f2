/* libs: library ranges in a sorted array (a log has tens of them, and
 * they come before the ticks), ELF files in a small per-run cache. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
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
		free(f->path);
		free(f->disk_path);
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

struct tk_elffile *tk_elfcache_get(struct tk_elfcache *c, const char *path)
{
	for (size_t i = 0; i < c->n; i++)
		if (strcmp(c->v[i]->path, path) == 0)
			return c->v[i];
	struct tk_elffile *f = tk_xcalloc(1, sizeof *f);
	f->path = strdup(path);
	if (!f->path)
		tk_xmalloc((size_t)-1);
	if (is_pseudo(path) || c->no_symbols) {
		f->pseudo = 1;
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

void tk_libs_add(struct tk_libs *l, struct tk_elfcache *c, const struct tk_name *name,
		 uint64_t start, uint64_t end)
{
	if (end < start)
		end = start;
	for (size_t i = 0; i < l->n; i++) {
		struct tk_lib *o = &l->v[i];
		if (o->name == name && o->start == start) {
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
