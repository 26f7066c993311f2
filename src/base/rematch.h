/*
 * rematch: a compiled --focus/--ignore/--hide/--annotate pattern (POSIX
 * extended regex) matched against a name at a bounded cost.
 *
 * Invariants: a name is matched on its first TK_MATCH_PREFIX bytes (the
 * whole name when shorter); when it is cut, '$' does not match at the cut
 * (REG_NOTEOL), and a NUL inside ends the subject, as for regexec. glibc's
 * regexec is quadratic in the subject for some patterns ('(a|aa)*c'), so
 * the prefix bounds one match to about a millisecond; callers match each
 * distinct name once (memo by name id). tk_rematch_calls counts regexec
 * calls, for tests.
 *
 *     if (tk_rematch(re, name->str, name->len)) ...
 */
#ifndef TK_REMATCH_H
#define TK_REMATCH_H

#include <stddef.h>

#define TK_MATCH_PREFIX 1024

/* Whether the regex_t re matches s[0..n), which is NUL-terminated (only
 * its first TK_MATCH_PREFIX bytes are looked at). */
int tk_rematch(const void *re, const char *s, size_t n);

/* regexec calls made by tk_rematch since the start. */
extern unsigned long long tk_rematch_calls;

#endif
