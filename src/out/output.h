/*
 * output: the -o file. A regular (or new) file is written to a temporary
 * file beside it and renamed into place only when the run produced its
 * report, so a failed or interrupted run leaves the previous file as it
 * was; '-' is standard output; /dev/null, a FIFO or another non-regular
 * file is written directly.
 *
 *     tk_output_std_fds();                       (first thing in main)
 *     if ((rc = tk_output_check(path, logs, n))) return rc;
 *     struct tk_output o;
 *     if ((rc = tk_output_open(&o, path))) return rc;
 *     ... write o.f ...
 *     rc = tk_output_close(&o, report_done);
 */
#ifndef TK_OUTPUT_H
#define TK_OUTPUT_H

#include <stdio.h>

struct tk_output {
	const char *path;  /* as given; borrowed */
	FILE *f;
	char *tmp;         /* the temporary file, NULL when written directly */
	char *dest;        /* what tmp becomes (path, symbolic links followed) */
};

/* Opens /dev/null on any of descriptors 0-2 that is closed, so that no
 * file opened later becomes standard error (warnings in the output). */
void tk_output_std_fds(void);

/* Refuses (message printed, TK_EXIT_USAGE) an output path that is one of
 * the logs (standard input for '-' included: same device and inode) or
 * a V8 log (plain or gzip). 0 when it may be written. */
int tk_output_check(const char *path, char **logs, int nlogs);

/* Opens path for writing; 0 or TK_EXIT_SYSTEM (message printed). */
int tk_output_open(struct tk_output *o, const char *path);

/* Flushes and closes; keep: the temporary file replaces the target (else
 * it is removed). 0, or TK_EXIT_SYSTEM when writing failed (message
 * printed; the target is then left as it was). */
int tk_output_close(struct tk_output *o, int keep);

#endif
