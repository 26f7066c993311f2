/* v8log: event names to types. */
#include <string.h>
#include "input/v8log.h"

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

