/*
 * ticks: a native tick processor for V8 `--prof` logs.
 *
 * The only public header: the version, the exit codes the command
 * returns, and the diagnostic record every fallible function fills.
 * Invariants: exit codes are stable across releases; a struct tk_diag
 * names the file and line (line 0 = no particular line).
 *
 *     struct tk_diag d = {0};
 *     if (tk_something(..., &d) < 0) tk_diag_print(&d);
 */
#ifndef TICKS_H
#define TICKS_H

#include <stddef.h>

#define TK_VERSION "0.1.0"

/* Exit codes of the ticks command. */
enum tk_exit {
	TK_EXIT_OK = 0,     /* report printed (warnings allowed) */
	TK_EXIT_INPUT = 1,  /* input that would make the result wrong */
	TK_EXIT_USAGE = 2,  /* bad command line */
	TK_EXIT_SYSTEM = 3, /* I/O, system or memory failure */
	TK_EXIT_REGRESSION = 4 /* ticks diff --fail-above: a function grew too much */
};

/* Where and why something failed: file (borrowed, may be NULL), 1-based
 * line (0 = none), a lowercase message without a full stop, and the exit
 * code the failure maps to. */
struct tk_diag {
	const char *file;
	unsigned long line;
	int code;
	char msg[512];
};

/* Fills d with printf-style text; file/line are kept as they are. */
void tk_diag_set(struct tk_diag *d, int code, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Prints "ticks: FILE:LINE: MSG" to stderr. */
void tk_diag_print(const struct tk_diag *d);

#endif
