/* frame: a name's record from its display string, for names whose maker
 * does not give the parts. The names are built by isolate.c, resolve.c
 * and srcpos.c from the log's fields; this is the inverse, run once when
 * a name is interned. */
#include <string.h>
#include "base/frame.h"

static const char *const func_types[] = { "JS", "LazyCompile", "Function", "Script", "Eval", NULL };

const char *tk_frame_tier_name(char tier)
{
	switch (tier) {
	case '~': return "ignition";
	case '^': return "sparkplug";
	case '+': return "maglev";
	case '*': return "turbofan";
	case '-': return "turboprop";
	default: return "";
	}
}

const char *tk_frame_kind_name(int kind)
{
	switch (kind) {
	case TK_KIND_CPP: return "cpp";
	case TK_KIND_LIB: return "lib";
	case TK_KIND_UNKNOWN: return "unknown";
	default: return "js";
	}
}

/* parses "SCRIPT:LINE:COL" (nums 2) or "SCRIPT:LINE" (nums 1) at the end
 * of s[0..n): 1 if it is one */
static int location(const char *s, size_t n, int nums, size_t *script_len, unsigned *line, unsigned *col)
{
	size_t i = n;
	unsigned v[2] = { 0, 0 };
	for (int k = nums - 1; k >= 0; k--) {
		size_t end = i;
		unsigned long x = 0, mul = 1;
		while (i > 0 && s[i - 1] >= '0' && s[i - 1] <= '9') {
			if (end - i < 9) {
				x += (unsigned long)(s[i - 1] - '0') * mul;
				mul *= 10;
			}
			i--;
		}
		if (i == end || i == 0 || s[i - 1] != ':')
			return 0;
		v[k] = (unsigned)x;
		i--;
	}
	*script_len = i;
	*line = v[0];
	*col = v[1];
	return 1;
}

void tk_frame_parse(struct tk_frame_rec *fi, const char *s, size_t n, int kind)
{
	const struct tk_name *lib = fi->lib;
	memset(fi, 0, sizeof *fi);
	fi->lib = lib;
	fi->kind = (uint8_t)(kind == TK_KIND_NONE ? TK_KIND_JS : kind);
	fi->func = s;
	fi->func_len = (uint32_t)n;
	if (fi->kind != TK_KIND_JS)
		return;
	const char *colon = memchr(s, ':', n);
	if (!colon || (size_t)(colon - s) + 1 >= n || colon[1] != ' ')
		return;
	fi->type = s;
	fi->type_len = (uint32_t)(colon - s);
	const char *rest = colon + 2;
	size_t rn = n - (size_t)(rest - s);
	for (const char *const *t = func_types; *t; t++)
		if (strlen(*t) == fi->type_len && memcmp(*t, fi->type, fi->type_len) == 0)
			fi->is_func = 1;
	if (fi->is_func && rn > 0 && strchr("~^+*-", rest[0])) {
		fi->tier = rest[0];
		rest++;
		rn--;
	}
	if (fi->is_func && rn > 10 && memcmp(rest + rn - 10, " (inlined)", 10) == 0) {
		fi->inlined = 1;
		rn -= 10;
	}
	fi->func = rest;
	fi->func_len = (uint32_t)rn;
	if (!fi->is_func)
		return;
	/* "NAME SCRIPT:L:C": the script starts after the last space */
	const char *sp = NULL;
	for (size_t i = rn; i > 0; i--)
		if (rest[i - 1] == ' ') {
			sp = rest + i - 1;
			break;
		}
	const char *loc = sp ? sp + 1 : rest;
	size_t ln = rn - (size_t)(loc - rest), sl;
	unsigned line, col;
	if (location(loc, ln, 2, &sl, &line, &col) || location(loc, ln, 1, &sl, &line, &col)) {
		fi->script = loc;
		fi->script_len = (uint32_t)sl;
		fi->line = line;
		fi->column = col;
		fi->func_len = sp ? (uint32_t)(sp - rest) : 0;
	}
}
