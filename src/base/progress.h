/*
 * progress: one line on standard error while a log is read (how far into
 * the file, in MB of 10^6 bytes: of the compressed file for gzip; ticks
 * so far), rewritten in place with "\r" at most ten times a second and
 * erased at the end, so the report prints on a clean line.
 *
 * Invariants: nothing is written unless the progress is on (main turns it
 * on by default only when standard error is a terminal; --progress and
 * --no-progress force it); every line written is erased by
 * tk_progress_end; only standard error is ever written.
 *
 *     struct tk_progress p; tk_progress_init(&p, stderr, path, 1);
 *     tk_progress_update(&p, offset, size, ticks);  // often: cheap
 *     tk_progress_end(&p);
 */
#ifndef TK_PROGRESS_H
#define TK_PROGRESS_H

#include <stdint.h>
#include <stdio.h>

struct tk_progress {
	FILE *f;
	const char *path;     /* borrowed */
	int on;
	double last;          /* when the line was last written (s, monotonic) */
	size_t shown;         /* length of the line on screen, 0 = none */
};

void tk_progress_init(struct tk_progress *p, FILE *f, const char *path, int on);
/* done of total bytes of the file (total 0: unknown), ticks read so far;
 * writes only when the last update is 0.1 s old (or there was none). */
void tk_progress_update(struct tk_progress *p, uint64_t done, uint64_t total, uint64_t ticks);
/* Erases the line, if one is shown; p is done. */
void tk_progress_end(struct tk_progress *p);
/* Erases the line of the progress under way, if any, before a message
 * goes to standard error (the next update writes it again). */
void tk_progress_hide(void);

#endif
