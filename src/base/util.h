/*
 * util: allocation wrappers, the per-isolate arena, a growable byte
 * buffer and the diagnostics helpers.
 *
 * Invariants: tk_x* never return NULL (they print "ticks: out of memory"
 * and exit 3); arena memory lives until tk_arena_release and is 16-byte
 * aligned; a tk_buf is always NUL-terminated after tk_buf_* calls.
 *
 *     struct tk_arena a; tk_arena_init(&a); p = tk_arena_alloc(&a, n); ...
 *     tk_arena_release(&a);
 */
#ifndef TK_UTIL_H
#define TK_UTIL_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include "ticks.h"

/* Allocation wrappers: exit with TK_EXIT_SYSTEM when memory runs out. */
/* Prints "ticks: out of memory" and exits with TK_EXIT_SYSTEM (defined in
 * diag.c, the one channel to standard error; declared here so that util
 * does not include what is above it). */
void tk_diag_oom(void) __attribute__((noreturn));
void *tk_xmalloc(size_t n);
void *tk_xcalloc(size_t count, size_t size);
void *tk_xrealloc(void *p, size_t n);
/* Grows *p (of *cap elements of size elem) to hold at least need elements. */
void tk_xgrow(void **p, size_t *cap, size_t need, size_t elem);

struct tk_arena_chunk;

/* A bump allocator: everything lives until tk_arena_release. */
struct tk_arena {
	struct tk_arena_chunk *head;
	char *cur, *end;
	size_t total;
};

void tk_arena_init(struct tk_arena *a);
void tk_arena_release(struct tk_arena *a);
/* Zeroed, 16-byte aligned; arena-owned. */
void *tk_arena_alloc(struct tk_arena *a, size_t n);
/* Copy of s[0..n) plus a NUL; arena-owned. */
char *tk_arena_strndup(struct tk_arena *a, const char *s, size_t n);

/* A growable byte buffer (NUL-terminated after each append). */
struct tk_buf {
	char *p;
	size_t len, cap;
};

void tk_buf_reset(struct tk_buf *b);
void tk_buf_free(struct tk_buf *b);
void tk_buf_add(struct tk_buf *b, const void *s, size_t n);
void tk_buf_addc(struct tk_buf *b, char c);
void tk_buf_adds(struct tk_buf *b, const char *s);
void tk_buf_printf(struct tk_buf *b, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* Appends code point cp as UTF-8 (surrogates become U+FFFD). */
void tk_buf_add_utf8(struct tk_buf *b, uint32_t cp);

/* FNV-1a over s[0..n). */
uint32_t tk_hash(const void *s, size_t n);

/* Strict number parsers for log fields: the whole field must be a
 * number. Hex with "0x", else decimal (a leading '-' allowed for signed).
 * Return 0 or -1. */
int tk_parse_u64(const char *s, size_t n, uint64_t *out);
int tk_parse_i64(const char *s, size_t n, int64_t *out);
/* A non-negative decimal number of the command line (milliseconds,
 * percentages): digits with an optional fraction ("12", "2.5", ".5",
 * "3.") and an optional exponent ("1e3"); no sign, space, hex, inf or
 * nan; finite. Returns 0 or -1. */
int tk_parse_decimal(const char *s, size_t n, double *out);
/* A count of the command line: 1 to 18 decimal digits, nothing else,
 * from lo to hi. Returns 0 or -1. */
int tk_parse_count(const char *s, long lo, long hi, long *out);
/* Hex without the 0x prefix (used by stack frames without it). */
int tk_parse_hex(const char *s, size_t n, uint64_t *out);
/* The list field at s (ending at the next ',' or at end): when it is
 * "0x"/"0X" and 1 to 16 hex digits, sets *out (what tk_parse_u64 gives)
 * and returns the field's end (its ',' or end); else NULL, and nothing is
 * said about the field. One pass: no separate search for the ','. */
const char *tk_scan_hex_field(const char *s, const char *end, uint64_t *out);
/* tk_scan_hex_field through a memo of TK_HEX_MEMO entries (zeroed by
 * the caller at first): the key is the 16 bytes at s, the field and its
 * ',' among them, so equal keys are equal fields. Deep stacks repeat a
 * few dozen return addresses; a hit costs two compares where a scan
 * costs ~150 instructions. Inline: once per stack frame. */
#define TK_HEX_MEMO 256
static inline const char *tk_scan_hex_field_memo(uint64_t (*memo)[4], const char *s, const char *end,
						 uint64_t *out)
{
	if (end - s < 16)
		return tk_scan_hex_field(s, end, out);
	uint64_t w0, w1;
	memcpy(&w0, s, 8);
	memcpy(&w1, s + 8, 8);
	uint64_t *e = memo[((w0 ^ w1 * 0x9e3779b97f4a7c15ull) * 0xbf58476d1ce4e5b9ull) >> 56];
	if (e[3] && e[0] == w0 && e[1] == w1) {
		*out = e[2];
		return s + e[3];
	}
	const char *fe = tk_scan_hex_field(s, end, out);
	if (fe && fe - s < 16) { /* its ',' is in the key */
		e[0] = w0;
		e[1] = w1;
		e[2] = *out;
		e[3] = (uint64_t)(fe - s);
	}
	return fe;
}

/* Opens a regular file for reading (source maps, scripts, debug files):
 * with O_NONBLOCK, so a FIFO never waits for a writer, then fstat: a
 * FIFO, device or directory is refused, and so is a file over cap bytes
 * (0: no cap); the descriptor is made blocking again. Returns it (and
 * *size), or -1 with *why (static text) and errno set (ENOENT: missing). */
int tk_open_regular(const char *path, uint64_t cap, uint64_t *size, const char **why);
/* The whole of such a file, NUL-terminated, at most cap bytes (caller
 * frees); NULL and *why when it is not one or cannot be read. */
char *tk_read_regular(const char *path, size_t cap, size_t *len, const char **why);

#endif
