/* v8log: event names to types. */
#include <string.h>
#include "input/v8log.h"
#include "base/util.h"

struct name {
	const char *s;
	enum tk_ev_type t;
};

/* Most frequent first: ticks and code events make most of a log. */
static const struct name names[] = {
	{ "tick", TK_EV_TICK }, { "code-creation", TK_EV_CODE_CREATION },
	{ "code-move", TK_EV_CODE_MOVE }, { "code-delete", TK_EV_CODE_DELETE },
	{ "sfi-move", TK_EV_SFI_MOVE }, { "shared-library", TK_EV_SHARED_LIBRARY },
	{ "code-source-info", TK_EV_CODE_SOURCE_INFO }, { "script-source", TK_EV_SCRIPT_SOURCE },
	{ "script", TK_EV_SCRIPT }, { "code-deopt", TK_EV_CODE_DEOPT }, { "new", TK_EV_NEW },
	{ "delete", TK_EV_DELETE }, { "v8-version", TK_EV_V8_VERSION },
	{ "v8-platform", TK_EV_V8_PLATFORM }, { "profiler", TK_EV_PROFILER },
	/* events V8 writes that no reader needs */
	{ "shared-library-end", TK_EV_IGNORED }, { "code-disable-optimization", TK_EV_IGNORED },
	{ "script-details", TK_EV_IGNORED }, { "function", TK_EV_IGNORED },
	{ "compilation-cache", TK_EV_IGNORED }, { "feedback-vector", TK_EV_IGNORED },
	{ "timer-event-start", TK_EV_IGNORED }, { "timer-event-end", TK_EV_IGNORED },
	{ "timer-event", TK_EV_IGNORED }, { "current-time", TK_EV_IGNORED },
	{ "active-runtime-timer", TK_EV_IGNORED }, { "heap-capacity", TK_EV_IGNORED },
	{ "heap-available", TK_EV_IGNORED }, { "scavenge", TK_EV_IGNORED },
	{ "markcompact", TK_EV_IGNORED }, { "heap-sample-begin", TK_EV_IGNORED },
	{ "heap-sample-end", TK_EV_IGNORED }, { "heap-sample-item", TK_EV_IGNORED },
	{ "map", TK_EV_IGNORED }, { "map-create", TK_EV_IGNORED }, { "map-details", TK_EV_IGNORED },
	{ "code-disassemble", TK_EV_IGNORED }, { "snapshot-code-name", TK_EV_IGNORED },
	{ "function-creation", TK_EV_IGNORED }, { "function-move", TK_EV_IGNORED },
	{ "function-delete", TK_EV_IGNORED }, { "code-allocate", TK_EV_IGNORED },
	{ "begin-code-region", TK_EV_IGNORED }, { "end-code-region", TK_EV_IGNORED },
	{ "LoadIC", TK_EV_IGNORED }, { "StoreIC", TK_EV_IGNORED }, { "KeyedLoadIC", TK_EV_IGNORED },
	{ "KeyedStoreIC", TK_EV_IGNORED }, { "LoadGlobalIC", TK_EV_IGNORED },
	{ "StoreGlobalIC", TK_EV_IGNORED }, { "StoreInArrayLiteralIC", TK_EV_IGNORED },
	{ "KeyedHasIC", TK_EV_IGNORED }, { "CallIC", TK_EV_IGNORED },
	{ "DefineKeyedOwnIC", TK_EV_IGNORED }, { "DefineNamedOwnIC", TK_EV_IGNORED },
	{ "tick-timer", TK_EV_IGNORED }, { "wasm-code-create", TK_EV_IGNORED },
	{ "code-creation-debug", TK_EV_IGNORED }, { "suspend", TK_EV_IGNORED },
	{ "resume", TK_EV_IGNORED },
};

enum tk_ev_type tk_ev_type_of(const char *s, size_t n)
{
	for (size_t i = 0; i < sizeof names / sizeof *names; i++)
		if (strlen(names[i].s) == n && memcmp(names[i].s, s, n) == 0)
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
