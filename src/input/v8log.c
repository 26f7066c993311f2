/* v8log: event names to types. */
#include <string.h>
#include "input/v8log.h"
#include "base/util.h"

struct name {
	const char *s;
	size_t n;                /* strlen(s) */
	enum tk_ev_type t;
};

/* Most frequent first: ticks and code events make most of a log. */
#define E(lit, type) { lit, sizeof lit - 1, type }
static const struct name names[] = {
	E("tick", TK_EV_TICK), E("code-creation", TK_EV_CODE_CREATION),
	E("code-move", TK_EV_CODE_MOVE), E("code-delete", TK_EV_CODE_DELETE),
	E("sfi-move", TK_EV_SFI_MOVE), E("shared-library", TK_EV_SHARED_LIBRARY),
	E("code-source-info", TK_EV_CODE_SOURCE_INFO), E("script-source", TK_EV_SCRIPT_SOURCE),
	E("script", TK_EV_SCRIPT), E("code-deopt", TK_EV_CODE_DEOPT), E("new", TK_EV_NEW),
	E("delete", TK_EV_DELETE), E("v8-version", TK_EV_V8_VERSION),
	E("v8-platform", TK_EV_V8_PLATFORM), E("profiler", TK_EV_PROFILER),
	/* events V8 writes that no reader needs */
	E("shared-library-end", TK_EV_IGNORED), E("code-disable-optimization", TK_EV_IGNORED),
	E("script-details", TK_EV_IGNORED), E("function", TK_EV_IGNORED),
	E("compilation-cache", TK_EV_IGNORED), E("feedback-vector", TK_EV_IGNORED),
	E("timer-event-start", TK_EV_IGNORED), E("timer-event-end", TK_EV_IGNORED),
	E("timer-event", TK_EV_IGNORED), E("current-time", TK_EV_IGNORED),
	E("active-runtime-timer", TK_EV_IGNORED), E("heap-capacity", TK_EV_IGNORED),
	E("heap-available", TK_EV_IGNORED), E("scavenge", TK_EV_IGNORED),
	E("markcompact", TK_EV_IGNORED), E("heap-sample-begin", TK_EV_IGNORED),
	E("heap-sample-end", TK_EV_IGNORED), E("heap-sample-item", TK_EV_IGNORED),
	E("map", TK_EV_IGNORED), E("map-create", TK_EV_IGNORED), E("map-details", TK_EV_IGNORED),
	E("code-disassemble", TK_EV_IGNORED), E("snapshot-code-name", TK_EV_IGNORED),
	E("function-creation", TK_EV_IGNORED), E("function-move", TK_EV_IGNORED),
	E("function-delete", TK_EV_IGNORED), E("code-allocate", TK_EV_IGNORED),
	E("begin-code-region", TK_EV_IGNORED), E("end-code-region", TK_EV_IGNORED),
	E("LoadIC", TK_EV_IGNORED), E("StoreIC", TK_EV_IGNORED), E("KeyedLoadIC", TK_EV_IGNORED),
	E("KeyedStoreIC", TK_EV_IGNORED), E("LoadGlobalIC", TK_EV_IGNORED),
	E("StoreGlobalIC", TK_EV_IGNORED), E("StoreInArrayLiteralIC", TK_EV_IGNORED),
	E("KeyedHasIC", TK_EV_IGNORED), E("CallIC", TK_EV_IGNORED),
	E("DefineKeyedOwnIC", TK_EV_IGNORED), E("DefineNamedOwnIC", TK_EV_IGNORED),
	E("tick-timer", TK_EV_IGNORED), E("wasm-code-create", TK_EV_IGNORED),
	E("code-creation-debug", TK_EV_IGNORED), E("suspend", TK_EV_IGNORED),
	E("resume", TK_EV_IGNORED),
};
#undef E

enum tk_ev_type tk_ev_type_of(const char *s, size_t n)
{
	for (size_t i = 0; i < sizeof names / sizeof *names; i++)
		if (names[i].n == n && names[i].s[0] == s[0] && memcmp(names[i].s, s, n) == 0)
			return names[i].t;
	return TK_EV_UNKNOWN;
}

static int num(const struct tk_fields *f, size_t i, uint64_t *v)
{
	return i < f->count ? tk_parse_u64(f->s[i], f->n[i], v) : -1;
}

int tk_v8log_tick(const struct tk_fields *f, struct tk_ev_tick *t)
{
	uint64_t *v[] = { &t->pc, &t->time, &t->ext, &t->tos, &t->vmstate };
	for (size_t i = 0; i < 5; i++)
		if (num(f, i + 1, v[i]) < 0)
			return (int)i + 1;
	t->stack = f->count > 6 ? f->s[6] : "";
	t->stack_n = f->count > 6 ? f->n[6] : 0;
	return 0;
}

/* Up to 19 decimal digits ending at a comma or the end (what cannot
 * overflow): the end of the digits, else NULL. */
static inline const char *dec_field(const char *p, const char *end, uint64_t *out)
{
	const char *s = p, *lim = end - p > 19 ? p + 19 : end;
	uint64_t v = 0;
	for (unsigned d; p < lim && (d = (unsigned)(unsigned char)*p - '0') <= 9; p++)
		v = v * 10 + d;
	if (p == s || (p < end && *p != ','))
		return NULL;
	*out = v;
	return p;
}

int tk_v8log_tick_line(struct tk_fields *f, const char *line, size_t len, struct tk_ev_tick *t)
{
	uint64_t *v[] = { &t->pc, &t->time, &t->ext, &t->tos, &t->vmstate };
	const char *p = line + 5, *end = line + len;
	int bad = 0;
	tk_csv_reserve(f, 7);
	f->dropped = 0;
	f->s[0] = line;
	f->n[0] = 4;
	f->count = 1;
	t->stack = "";
	t->stack_n = 0;
	for (size_t i = 1; i <= 5; i++) {
		const char *e;
		uint64_t x;
		if (end - p > 2 && p[0] == '0' && (p[1] == 'x' || p[1] == 'X'))
			e = tk_scan_hex_field(p, end, &x);
		else
			e = dec_field(p, end, &x);
		if (!e) {
			e = memchr(p, ',', (size_t)(end - p));
			if (!e)
				e = end;
			if (tk_parse_u64(p, (size_t)(e - p), &x) < 0 && !bad)
				bad = (int)i;
		}
		if (!bad)
			*v[i - 1] = x;
		f->s[i] = p;
		f->n[i] = e - p > UINT32_MAX ? UINT32_MAX : (uint32_t)(e - p);
		f->count = i + 1;
		if (e == end) /* no more fields: the rest are missing */
			return bad ? bad : i < 5 ? (int)i + 1 : 0;
		p = e + 1;
	}
	size_t n = (size_t)(end - p);
	f->s[6] = p;
	f->n[6] = n > UINT32_MAX ? UINT32_MAX : (uint32_t)n;
	f->count = 7;
	t->stack = p;
	t->stack_n = f->n[6];
	return bad;
}

int tk_v8log_move(const struct tk_fields *f, uint64_t *from, uint64_t *to)
{
	return num(f, 1, from) < 0 || num(f, 2, to) < 0 ? -1 : 0;
}

static const char *const tier_prefix[TK_TIER_COUNT] = { "", "~", "^", "-", "+", "*" };

const char *tk_v8log_tier_prefix(int t)
{
	return t >= 0 && t < TK_TIER_COUNT ? tier_prefix[t] : "";
}

int tk_v8log_marker(const char *s, size_t n)
{
	if (n > 0 && s[0] == 'o') { /* OSR code (Node 26) */
		s++;
		n--;
	}
	if (n == 2 && s[1] == '\'') /* context-specialized (Node 24) */
		n = 1;
	if (n == 0)
		return 0;
	if (n != 1)
		return -1;
	for (int t = 1; t < TK_TIER_COUNT; t++)
		if (s[0] == tier_prefix[t][0])
			return t;
	return -1;
}

int tk_span_is(struct tk_span a, const char *lit)
{
	size_t n = strlen(lit);
	return a.n == n && memcmp(a.s, lit, n) == 0;
}

static struct tk_span span(const struct tk_fields *f, size_t i)
{
	struct tk_span sp = { "", 0 };
	if (i < f->count) {
		sp.s = f->s[i];
		sp.n = f->n[i];
	}
	return sp;
}

static int code(const struct tk_fields *f, int no_time, struct tk_ev_code *c)
{
	size_t o = no_time ? 3 : 4; /* START */
	memset(c, 0, sizeof *c);
	c->type = c->name = c->marker = c->start_text = c->size_text = span(f, f->count); /* "" */
	c->fields = f->count;
	c->need = o + 3;
	if (f->count < o + 3)
		return TK_CODE_FEW;
	c->start_text = span(f, o);
	c->size_text = span(f, o + 1);
	if (num(f, o, &c->start) < 0 || num(f, o + 1, &c->size) < 0)
		return TK_CODE_NUM;
	if (c->size > (1ull << 32))
		return TK_CODE_BIG;
	c->type = span(f, 1);
	c->name = span(f, o + 2);
	c->regexp = (uint8_t)tk_span_is(c->type, "RegExp");
	c->is_func = f->count > o + 3 && !c->regexp;
	c->builtin = !c->is_func && (tk_span_is(c->type, "Builtin") || tk_span_is(c->type, "BytecodeHandler"));
	if (c->is_func) {
		if (num(f, o + 3, &c->sfi) < 0)
			c->sfi = 0;
		if (f->count > o + 4) {
			c->marker = span(f, o + 4);
			c->tier = tk_v8log_marker(c->marker.s, c->marker.n);
		}
	}
	return 0;
}

static int version(const struct tk_fields *f, struct tk_ev_version *v)
{
	for (int i = 0; i < 4; i++) {
		int64_t x;
		if (1 + (size_t)i >= f->count || tk_parse_i64(f->s[1 + i], f->n[1 + i], &x) < 0 || x < 0 ||
		    x > 100000)
			return i + 1;
		v->v[i] = (int)x;
	}
	/* the embedder suffix ("-node.38") when present */
	v->embedder = span(f, f->count);
	if (f->count >= 7 && f->n[5] > 0 && f->s[5][0] == '-')
		v->embedder = span(f, 5);
	return 0;
}

void tk_v8log_decode_any(struct tk_ev *ev, int no_time)
{
	const struct tk_fields *f = ev->f;
	ev->bad = 0;
	switch (ev->type) {
	case TK_EV_TICK:
		ev->bad = tk_v8log_tick(f, &ev->u.tick);
		break;
	case TK_EV_CODE_CREATION:
		ev->bad = code(f, no_time, &ev->u.code);
		break;
	case TK_EV_CODE_MOVE:
	case TK_EV_SFI_MOVE:
		ev->bad = tk_v8log_move(f, &ev->u.move.from, &ev->u.move.to) < 0;
		break;
	case TK_EV_CODE_DELETE:
		ev->bad = num(f, 1, &ev->u.addr) < 0;
		break;
	case TK_EV_SHARED_LIBRARY: {
		struct tk_ev_lib *l = &ev->u.lib;
		l->path = span(f, 1);
		l->start_text = span(f, 2);
		ev->bad = num(f, 2, &l->start) < 0 || num(f, 3, &l->end) < 0 || l->end < l->start;
		break;
	}
	case TK_EV_CODE_SOURCE_INFO: {
		struct tk_ev_srcinfo *si = &ev->u.info;
		ev->bad = f->count < 6 || num(f, 1, &si->addr) < 0;
		if (ev->bad)
			break;
		int64_t *v[] = { &si->script, &si->fstart, &si->fend };
		for (size_t i = 0; i < 3; i++)
			if (tk_parse_i64(f->s[2 + i], f->n[2 + i], v[i]) < 0)
				*v[i] = -1;
		si->positions = span(f, 5);
		si->inlining = span(f, 6);
		si->fns = span(f, 7);
		break;
	}
	case TK_EV_SCRIPT_SOURCE:
	case TK_EV_SCRIPT: {
		struct tk_ev_script *s = &ev->u.script;
		ev->bad = f->count < 4 || tk_parse_i64(f->s[1], f->n[1], &s->id) < 0 || s->id < 0;
		if (ev->bad)
			break;
		s->url = span(f, 2);
		s->source0 = span(f, 3);
		s->src_field = 3;
		break;
	}
	case TK_EV_NEW:
	case TK_EV_DELETE:
		ev->u.heap.kind = span(f, 1);
		ev->bad = num(f, 2, &ev->u.heap.addr) < 0;
		break;
	case TK_EV_V8_VERSION:
		ev->bad = version(f, &ev->u.version);
		break;
	case TK_EV_PROFILER:
		ev->u.profiler.what = span(f, 1);
		ev->bad = num(f, 2, &ev->u.profiler.interval) < 0;
		break;
	case TK_EV_V8_PLATFORM:
		ev->u.platform = span(f, 1);
		ev->bad = f->count < 2;
		break;
	default:
		break;
	}
}

void tk_v8log_script_text(const struct tk_fields *f, const struct tk_ev_script *s, struct tk_buf *out)
{
	for (size_t i = s->src_field; i < f->count; i++) {
		if (i > s->src_field)
			tk_buf_addc(out, ',');
		tk_csv_unescape_as(f->s[i], f->n[i], f->dialect, out);
	}
}
