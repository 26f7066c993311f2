/*
 * escape: how a name (or any log-supplied text) is shown in the text
 * outputs: the report, -v, --pcs, --annotate, --timeline, diff, folded
 * stacks, and every warning on standard error. A log is untrusted input:
 * a script named "\x1b]0;pwned\x07" must not retitle the terminal.
 *
 * Invariants: the result holds no byte below 0x20, no 0x7f, no C1 control
 * (U+0080..U+009F) and only valid UTF-8; everything else passes
 * unchanged, so ordinary names stay byte-identical. Escapes:
 *   tab, newline, CR      \t  \n  \r
 *   other C0, DEL         \xHH   (lower-case hex: \x1b, \x00, \x7f)
 *   C1 controls           \u0080 .. \u009f
 *   bytes not UTF-8       \xHH   (each byte of the invalid sequence)
 * A backslash itself is not doubled (RegExp sources stay as node prints
 * them), so "\x1b" in a text output may also be those four characters;
 * the JSON outputs are exact.
 *
 *     tk_esc_fwrite(out, name->str, name->len);
 */
#ifndef TK_ESCAPE_H
#define TK_ESCAPE_H

#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include "base/util.h"

/* Also replace ';' by ':' (folded stacks: ';' separates frames). */
#define TK_ESC_FOLDED 1u
/* Leave tabs raw (source lines of --annotate keep their indentation). */
#define TK_ESC_KEEP_TAB 2u

/* Appends s[0..n) to b, escaped as above. */
void tk_esc_buf(struct tk_buf *b, const char *s, size_t n, unsigned flags);
/* Writes s[0..n) to f, escaped as above. */
void tk_esc_fwrite(FILE *f, const char *s, size_t n);
/* The same with TK_ESC_* flags. */
void tk_esc_fwrite_flags(FILE *f, const char *s, size_t n, unsigned flags);
/* Writes the C string s to f, escaped as above. */
void tk_esc_fputs(FILE *f, const char *s);
/* printf to f with the whole formatted text escaped, except one final
 * newline (the messages on standard error: they quote paths and names). */
void tk_esc_printf(FILE *f, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void tk_esc_vprintf(FILE *f, const char *fmt, va_list ap) __attribute__((format(printf, 2, 0)));
/* Length of the valid, printable UTF-8 run at s[0..n) that needs no
 * escape (0 when s[0] needs one). */
size_t tk_esc_plain(const char *s, size_t n, unsigned flags);

#endif
