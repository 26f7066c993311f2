/* rematch: regexec over a copy of at most TK_MATCH_PREFIX bytes, so a
 * 1 MiB name costs what a 1 KiB one does (regexec wants a NUL-terminated
 * string; REG_STARTEND would avoid the copy but is not POSIX). */
#include <regex.h>
#include <string.h>
#include "base/rematch.h"

unsigned long long tk_rematch_calls;

int tk_rematch(const void *re, const char *s, size_t n)
{
	tk_rematch_calls++;
	const char *z = memchr(s, 0, n < TK_MATCH_PREFIX ? n : TK_MATCH_PREFIX);
	if (z)
		n = (size_t)(z - s);
	if (n <= TK_MATCH_PREFIX)
		return regexec(re, s, 0, NULL, 0) == 0;
	char buf[TK_MATCH_PREFIX + 1];
	memcpy(buf, s, TK_MATCH_PREFIX);
	buf[TK_MATCH_PREFIX] = 0;
	return regexec(re, buf, 0, NULL, REG_NOTEOL) == 0;
}
