/* preprocess_ticks: the builder's store of encoded ticks (preprocess_int.h):
 * chunks of varint-coded records, written once per tick and read back in
 * order by the writer (tk_pre_ticks_next). */
#include <stdlib.h>
#include <string.h>
#include "base/util.h"
#include "preprocess/preprocess_int.h"

static const unsigned char *get_varint(const unsigned char *s, uint64_t *v)
{
	uint64_t x = 0;
	int sh = 0;
	while (*s & 0x80) {
		x |= (uint64_t)(*s++ & 0x7f) << sh;
		sh += 7;
	}
	*v = x | (uint64_t)*s++ << sh;
	return s;
}

static const unsigned char *get_num(const unsigned char *s, double *v)
{
	uint64_t x;
	s = get_varint(s, &x);
	if (x & 1) {
		memcpy(v, s, sizeof *v);
		return s + sizeof *v;
	}
	*v = (double)(x >> 1);
	return s;
}

#ifndef TK_PRE_TICK_CHUNK /* the fuzz build (FUZZ_SMALL) sets less */
#define TK_PRE_TICK_CHUNK (1u << 20)
#endif

unsigned char *tk_pre_tick_space(struct tk_pre *p, size_t need)
{
	struct tk_pre_chunk *c = p->ticks_tail;
	if (!c || c->cap - c->len < need) {
		size_t cap = need > TK_PRE_TICK_CHUNK ? need : TK_PRE_TICK_CHUNK;
		c = tk_xmalloc(sizeof *c + cap);
		c->next = NULL;
		c->len = 0;
		c->cap = cap;
		if (p->ticks_tail)
			p->ticks_tail->next = c;
		else
			p->ticks_head = c;
		p->ticks_tail = c;
	}
	return c->data + c->len;
}

void tk_pre_ticks_begin(const struct tk_pre *p, struct tk_pre_tick_iter *it)
{
	it->c = p->ticks_head;
	it->pos = 0;
	it->left = p->n_ticks;
}

int tk_pre_ticks_next(struct tk_pre_tick_iter *it, double *tm, double *vm,
		      struct tk_pre_frame **frames, size_t *cap, size_t *n_frames)
{
	if (!it->left)
		return 0;
	while (it->pos >= it->c->len) {
		it->c = it->c->next;
		it->pos = 0;
	}
	const unsigned char *s = it->c->data + it->pos;
	uint64_t n;
	s = get_num(s, tm);
	s = get_num(s, vm);
	s = get_varint(s, &n);
	tk_xgrow((void **)frames, cap, (size_t)n + 1, sizeof **frames);
	for (uint64_t i = 0; i < n; i++) {
		uint64_t id;
		s = get_varint(s, &id);
		(*frames)[i].id = (int32_t)id - 1;
		s = get_num(s, &(*frames)[i].value);
	}
	*n_frames = (size_t)n;
	it->pos = (size_t)(s - it->c->data);
	it->left--;
	return 1;
}

void tk_pre_tick_done(struct tk_pre *p, size_t used)
{
	p->ticks_tail->len += used;
	p->n_ticks++;
}

void tk_pre_ticks_free(struct tk_pre *p)
{
	for (struct tk_pre_chunk *c = p->ticks_head, *n; c; c = n) {
		n = c->next;
		free(c);
	}
	p->ticks_head = p->ticks_tail = NULL;
}
