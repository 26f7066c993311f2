/*
 * input: a log file (plain or gzip, by magic bytes; gzip members one
 * after another as gzip reads them) or stdin ("-") as a sequence of
 * numbered lines. xz, zstd, bzip2, lz4 and compress data is refused by
 * its magic bytes ("compressed with xz...").
 *
 * Invariants: lines are returned without "\n" and without a trailing
 * "\r"; they are borrowed until the next call and may be modified in
 * place by the caller. A last line without "\n" (a killed process) is not
 * returned: cut is set and cut_text holds its start. Lines longer than
 * max_line are skipped whole and counted in long_lines.
 *
 *     struct tk_input in;
 *     if (tk_input_open(&in, path, &d) < 0) ...;
 *     while ((r = tk_input_next(&in, &line, &len, &d)) > 0) ...;
 *     tk_input_close(&in);
 */
#ifndef TK_INPUT_H
#define TK_INPUT_H

#include <stddef.h>
#include <stdint.h>
#include "ticks.h"

/* Longest line read (bytes, without the newline): V8 writes lines of a
 * few KiB, script-source lines of a whole script; a longer line is
 * skipped whole without being held in memory. */
#define TK_MAX_LINE ((size_t)64 << 20)

struct tk_input {
	int fd;                /* -1 when closed */
	void *z;               /* z_stream, for gzip input */
	unsigned char *raw;    /* bytes read, not yet inflated */
	size_t raw_pos, raw_len;
	int raw_eof, started, member_done;
	unsigned long long raw_bytes; /* bytes read from the file */
	const char *path;      /* as given; borrowed */
	char *buf;
	size_t cap, start, end, scan;
	size_t max_line;       /* TK_MAX_LINE */
	unsigned long lineno;  /* number of the line last returned */
	unsigned long long bytes; /* uncompressed bytes read so far */
	unsigned long long file_size; /* of the file on disk, 0 if unknown */
	int eof;
	int gzip;              /* input was gzip-compressed */
	int cut;               /* the last line had no newline */
	int cut_gzip;          /* the gzip stream itself ended early */
	unsigned long long trailing; /* bytes after the last gzip member (ignored) */
	int nonnul;            /* a byte other than NUL was read */
	char cut_text[64];
	unsigned long long long_lines;
	unsigned long long_first; /* number of the first over-long line */
	int discarding;        /* inside an over-long line */
};

/* Opens path ("-" = stdin). -1 with d filled on failure. */
int tk_input_open(struct tk_input *in, const char *path, struct tk_diag *d);

/* Makes path readable more than once (ticks diff sniffs each input, a
 * percentage --from/--to scans it first): '-' and any input that cannot
 * seek (a pipe, a FIFO, <(...)) is copied once to an unlinked temporary
 * file, which every later tk_input_open of path reads from its start.
 * Regular files are left alone. 0, or -1 with d filled. */
int tk_input_spool(const char *path, struct tk_diag *d);

/* Next line: 1 and *line, *len set, 0 at the end, -1 on a read error. */
int tk_input_next(struct tk_input *in, char **line, size_t *len, struct tk_diag *d);

void tk_input_close(struct tk_input *in);

/* How far into the file reading is, in bytes of the file (compressed
 * bytes for gzip input), to compare with file_size. */
unsigned long long tk_input_offset(const struct tk_input *in);

#endif
