/* isolate_warn: the kinds of lines a log did not (fully) use, their
 * keys (--format=json) and the summary after the reading (isolate.h);
 * isolate.c counts them as it reads. */
#include "base/diag.h"
#include "ingest/isolate.h"

static const struct {
	const char *key, *what;
} warn_info[TK_W_COUNT] = {
	[TK_W_BAD_LINE] = { "unparsable", "unparsable" },
	[TK_W_UNKNOWN_EVENT] = { "unknown_event", "of unknown events" },
	[TK_W_MOVE_UNKNOWN] = { "move_of_unknown_code", "moving unknown code" },
	[TK_W_DELETE_UNKNOWN] = { "delete_of_unknown_code", "deleting unknown code" },
	[TK_W_MARKER] = { "unknown_marker", "with an unknown optimization marker" },
	[TK_W_BAD_FRAME] = { "bad_frames", "stack frames that are not addresses" },
	[TK_W_EMPTY_LINE] = { "empty", "empty" },
	[TK_W_FIELDS] = { "too_many_fields", "with too many fields (cut)" },
	[TK_W_LONG_NAME] = { "name_too_long", "with a name over 1 MiB (cut)" },
	[TK_W_DEEP_STACK] = { "stack_too_deep", "with a stack over the frame cap (cut)" },
	[TK_W_VERSION] = { "unknown_v8_version", "naming an unknown V8 version" },
	[TK_W_LONG_LINE] = { "line_too_long", "over the line cap" },
	[TK_W_CUT_LINE] = { "cut_off", "cut off at the end" },
};

const char *tk_warn_key(enum tk_warn_kind k)
{
	return k >= 0 && k < TK_W_COUNT ? warn_info[k].key : "?";
}

unsigned long long tk_isolate_unused_lines(const struct tk_isolate *iso)
{
	unsigned long long n = 0;
	for (int k = 0; k < TK_W_COUNT; k++)
		if (k != TK_W_BAD_FRAME)
			n += iso->warn[k].count;
	return n;
}

int tk_isolate_strict_fails(const struct tk_isolate *iso)
{
	return tk_isolate_unused_lines(iso) > 0 || iso->warn[TK_W_BAD_FRAME].count > 0 || iso->truncated_gzip ||
	       iso->gzip_trailing > 0;
}

/* "ticks: a.log: 5 of 900 lines not (fully) used: 3 unparsable (first:
 * line 7), 2 empty (first: line 9); 4 stack frames that are not addresses
 * dropped" */
void tk_isolate_report_warnings(const struct tk_isolate *iso)
{
	unsigned long long n = tk_isolate_unused_lines(iso);
	const struct tk_warn *bf = &iso->warn[TK_W_BAD_FRAME];
	if (iso->opts->quiet || (n == 0 && bf->count == 0))
		return;
	tk_diagf("ticks: %s: ", iso->path);
	if (n) {
		tk_diagf("%llu of %llu lines not (fully) used:", n,
			      iso->lines + iso->warn[TK_W_LONG_LINE].count + iso->warn[TK_W_CUT_LINE].count);
		const char *sep = " ";
		for (int k = 0; k < TK_W_COUNT; k++) {
			const struct tk_warn *w = &iso->warn[k];
			if (k == TK_W_BAD_FRAME || !w->count)
				continue;
			tk_diagf("%s%llu %s (%sline %lu)", sep, w->count, warn_info[k].what,
				w->count > 1 ? "first: " : "", w->first_line);
			sep = ", ";
		}
	}
	if (bf->count)
		tk_diagf("%s%llu stack frame%s not an address, dropped (%sline %lu)", n ? "; " : "",
			      bf->count, bf->count > 1 ? "s" : "", bf->count > 1 ? "first: " : "", bf->first_line);
	tk_diagf("%s\n", iso->opts->strict ? " (--strict: an error)" : "");
}
