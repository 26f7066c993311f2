/* names: an arena of names, found by their text through a hashidx (the
 * inline probe: every frame of every resolved stack interns). */
#include <stdlib.h>
#include <string.h>
#include "base/names.h"

void tk_names_init(struct tk_names *t)
{
	memset(t, 0, sizeof *t);
	tk_arena_init(&t->arena);
	tk_hashidx_init(&t->idx);
	tk_hashidx_reserve(&t->idx, 2048); /* a small log's names without a rehash */
}

void tk_names_release(struct tk_names *t)
{
	tk_hashidx_release(&t->idx);
	free(t->byid);
	tk_arena_release(&t->arena);
	memset(t, 0, sizeof *t);
}

static const char *moved(const char *p, const char *from, const char *to)
{
	return p ? to + (p - from) : NULL;
}

static struct tk_name *intern(struct tk_names *t, const char *s, size_t n, enum tk_kind kind,
			      const struct tk_frame_rec *parts)
{
	uint32_t h = tk_hash(s, n);
	struct tk_hashidx_probe pr;
	uint32_t i = tk_hashidx_first(&t->idx, &pr, h);
	struct tk_name *e;
	for (; i != TK_HASHIDX_NONE; i = tk_hashidx_next(&t->idx, &pr)) {
		e = t->byid[i];
		if (__builtin_expect(e->len == n && memcmp(e->str, s, n) == 0, 1)) {
			if (e->kind == TK_KIND_NONE && kind != TK_KIND_NONE) {
				e->kind = (uint8_t)kind;
				tk_frame_parse(&e->frame, e->str, e->len, e->kind);
			}
			return e;
		}
	}
	if (n > UINT32_MAX - 1)
		n = UINT32_MAX - 1;
	e = tk_arena_alloc(&t->arena, sizeof *e);
	e->str = tk_arena_strndup(&t->arena, s, n);
	e->len = (uint32_t)n;
	e->hash = h;
	e->kind = (uint8_t)kind;
	if (parts) {
		e->frame = *parts;
		e->frame.kind = (uint8_t)(kind == TK_KIND_NONE ? TK_KIND_JS : kind);
		e->frame.type = moved(parts->type, s, e->str);
		e->frame.func = moved(parts->func, s, e->str);
		e->frame.script = moved(parts->script, s, e->str);
	} else {
		memset(&e->frame, 0, sizeof e->frame);
		tk_frame_parse(&e->frame, e->str, e->len, kind);
	}
	e->id = (uint32_t)t->count;
	tk_xgrow((void **)&t->byid, &t->byid_cap, t->count + 1, sizeof *t->byid);
	t->byid[t->count++] = e;
	tk_hashidx_add_at(&t->idx, &pr, e->id);
	return e;
}

const struct tk_name *tk_names_intern(struct tk_names *t, const char *s, size_t n, enum tk_kind kind)
{
	return intern(t, s, n, kind, NULL);
}

const struct tk_name *tk_names_intern_frame(struct tk_names *t, const char *s, size_t n, enum tk_kind kind,
					    const struct tk_frame_rec *parts)
{
	return intern(t, s, n, kind, parts);
}
