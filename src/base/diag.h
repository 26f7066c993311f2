/*
 * diag: the one channel for warnings and errors on standard error. Every
 * message ticks prints there (but the usage errors of cli/args.c) is a kind
 * of the table below, or a line warning of the log reader, or a
 * struct tk_diag (tk_diag_print, ticks.h), and goes through one sink: it
 * first erases the progress line (progress.h), if one is shown, then
 * writes the message escaped (escape.h: a log is untrusted input).
 *
 * Invariants: the bytes written are those of tk_esc_printf(stderr, fmt,
 * ...) with the kind's format; a format starts with "ticks: " and ends
 * with one newline; names are unique; "once" says the message is printed
 * at most once per log (or per library file): the site guards it, the
 * table documents it. Nothing writes to stderr but this module and cli/args.c
 * (tests/check-stderr.sh, part of make check).
 *
 *     TK_WARN(GZIP_SHORT, path);           // format checked by the compiler
 *     tk_diag_sink(f);                     // tests: write to f instead
 */
#ifndef TK_DIAG_H
#define TK_DIAG_H

#include <stdarg.h>
#include <stdio.h>

/* the formats, one macro each so that TK_WARN can have them checked */
#define TK_DFMT_LIB_UNREAD "ticks: %s: %s: its ticks are reported at library level\n"
#define TK_DFMT_LIB_MISMATCH "ticks: %s: %s\n"
#define TK_DFMT_LIB_SYMBOLS "ticks: %s: %s\n"
#define TK_DFMT_LIB_CHANGED "ticks: %s: %s: its ticks from here on are reported at library level\n"
#define TK_DFMT_NO_LINES "ticks: %s: %s: its functions are shown without FILE:LINE\n"
#define TK_DFMT_CUT_LAST_LINE \
	"ticks: %s:%lu: the last line is cut off (was the process killed?): ignored it, profiled the %lu lines before it\n"
#define TK_DFMT_GZIP_SHORT "ticks: %s: the gzip data ends early: profiled what was there\n"
#define TK_DFMT_GZIP_TRAILING "ticks: %s: %llu bytes after the end of the gzip data: ignored (trailing garbage)\n"
#define TK_DFMT_LONG_LINE "ticks: %s:%lu: a line over %zu MiB (the line cap): skipped\n"
#define TK_DFMT_NO_VERSION "ticks: %s: no v8-version line: VM states read as V8 11\n"
#define TK_DFMT_PREPROCESS "ticks: %s:%lu: preprocess: %s%s%s%s\n"
#define TK_DFMT_ANNOTATE_NONE \
	"ticks: %s: no JS function with ticks matches --annotate (Node 10-14 log positions only with --log-source-code)\n"
#define TK_DFMT_REFUSE_STDIN "ticks: refusing to write over %s: it is the log on standard input (-o is the output file)\n"
#define TK_DFMT_REFUSE_LOG "ticks: refusing to write over the log %s (-o is the output file)\n"
#define TK_DFMT_REFUSE_V8LOG "ticks: refusing to write over %s: it is a V8 log (-o is the output file)\n"
#define TK_DFMT_CANNOT_WRITE "ticks: cannot write %s: %s\n"
#define TK_DFMT_NO_TMPFILE "ticks: cannot write %s: no temporary file beside it: %s%s\n"
#define TK_DFMT_WRITE_ERROR "ticks: error writing %s: %s\n"
#define TK_DFMT_SOURCE_MAP "ticks: %s: source map: %s%s%s\n"
#define TK_DFMT_SOURCE_MAP_MISSING "ticks: %s: source map %s not found (--source-map-dir)\n"
#define TK_DFMT_SOURCE_UNREAD "ticks: %s: source not read: %s\n"
#define TK_DFMT_DIAG_AT "ticks: %s:%lu: %s\n"
#define TK_DFMT_DIAG_FILE "ticks: %s: %s\n"
#define TK_DFMT_DIAG "ticks: %s\n"
#define TK_DFMT_OOM "ticks: out of memory\n"
#define TK_DFMT_NO_TICKS "ticks: %s: no ticks in this log (was it written with --prof?)\n"
#define TK_DFMT_NO_TICKS_WINDOW "ticks: %s: no ticks in the time window\n"
#define TK_DFMT_LIBS_MISSING "ticks: %u libraries could not be read: their ticks are reported at library level\n"
#define TK_DFMT_DIR_NO_LOG "ticks: %s: a directory without a V8 log (isolate-*-v8.log)\n"
#define TK_DFMT_OPTION_IGNORED "ticks: %s has no effect %s: ignored\n"

/* X(ID, name, once): the kinds, in the order of the table */
#define TK_DIAG_KINDS(X)                                                                                          \
	X(LIB_UNREAD, "library_unread", 1)                                                                      \
	X(LIB_MISMATCH, "library_mismatch", 1)                                                                  \
	X(LIB_SYMBOLS, "library_symbols", 1)                                                                    \
	X(LIB_CHANGED, "library_changed", 1)                                                                    \
	X(NO_LINES, "no_lines", 1)                                                                              \
	X(CUT_LAST_LINE, "cut_last_line", 1)                                                                    \
	X(GZIP_SHORT, "gzip_short", 1)                                                                          \
	X(GZIP_TRAILING, "gzip_trailing", 1)                                                                    \
	X(LONG_LINE, "long_line", 1)                                                                            \
	X(NO_VERSION, "no_version", 1)                                                                          \
	X(PREPROCESS, "preprocess", 1)                                                                          \
	X(ANNOTATE_NONE, "annotate_none", 1)                                                                    \
	X(REFUSE_STDIN, "refuse_stdin", 0)                                                                      \
	X(REFUSE_LOG, "refuse_log", 0)                                                                          \
	X(REFUSE_V8LOG, "refuse_v8log", 0)                                                                      \
	X(CANNOT_WRITE, "cannot_write", 0)                                                                      \
	X(NO_TMPFILE, "no_tmpfile", 0)                                                                          \
	X(WRITE_ERROR, "write_error", 0)                                                                        \
	X(SOURCE_MAP, "source_map", 1)                                                                          \
	X(SOURCE_MAP_MISSING, "source_map_missing", 1)                                                          \
	X(SOURCE_UNREAD, "source_unread", 1)                                                                    \
	X(DIAG_AT, "diag_at", 0)                                                                                \
	X(DIAG_FILE, "diag_file", 0)                                                                            \
	X(DIAG, "diag", 0)                                                                                      \
	X(OOM, "out_of_memory", 1)                                                                              \
	X(NO_TICKS, "no_ticks", 1)                                                                              \
	X(NO_TICKS_WINDOW, "no_ticks_window", 1)                                                                \
	X(LIBS_MISSING, "libraries_missing", 1)                                                                 \
	X(DIR_NO_LOG, "directory_without_log", 0)                                                               \
	X(OPTION_IGNORED, "option_ignored", 0)

enum tk_dkind {
#define TK_DIAG_X(id, name, once) TK_D_##id,
	TK_DIAG_KINDS(TK_DIAG_X)
#undef TK_DIAG_X
	TK_D_COUNT
};

struct tk_dkind_info {
	const char *name; /* snake_case, unique */
	const char *fmt;  /* printf format: "ticks: ...\n" */
	int once;         /* at most once per log or library file */
};
extern const struct tk_dkind_info tk_dkinds[TK_D_COUNT];

/* A message of kind K with its arguments; the compiler checks them
 * against the kind's format (the printf in sizeof is never called). */
#define TK_WARN(K, ...) ((void)sizeof(printf(TK_DFMT_##K, __VA_ARGS__)), tk_warn(TK_D_##K, __VA_ARGS__))
void tk_warn(enum tk_dkind k, ...);
/* How many messages of kind k were written (tests). */
unsigned long tk_diag_count(enum tk_dkind k);

/* "ticks: PATH:LINE: " fmt "\n": a line warning of the log reader (its
 * text is the caller's, one per warning kind of the reader). */
void tk_diag_vline(const char *path, unsigned long line, const char *fmt, va_list ap)
	__attribute__((format(printf, 3, 0)));
/* Free text, escaped as tk_esc_printf does: a message composed of parts
 * (the reader's summary of unused lines). */
void tk_diagf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* The stream of the sink, the progress line erased: for a module that
 * writes its own lines there (the diff gate, the progress line). */
FILE *tk_diag_file(void);
/* Where the sink writes (NULL: stderr again). */
void tk_diag_sink(FILE *f);

/* "ticks: out of memory" and exit(TK_EXIT_SYSTEM), allocating nothing
 * (util.h's allocators call it; declared there). */

#endif
