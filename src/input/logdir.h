/*
 * logdir: the V8 logs of a directory (what `ticks DIR` and `ticks record`
 * read): every isolate-*-v8.log and isolate-*-v8.log.gz in it (not in
 * its subdirectories), in the order of the process id in the name, then
 * of the name. The process id is the number after "isolate-0xADDR-"
 * (node 12+ writes it there; ticks record's --logfile puts it there on
 * every version); the command line is read from ".ticks-PID.cmd" when
 * ticks record's node shim left one.
 *
 * Invariants: paths are DIR/NAME, owned by the list; pid is 0 when the
 * name has none; cmd is NULL when not known.
 *
 *     struct tk_logdir ld;
 *     if (tk_logdir_read(&ld, dir, &d) < 0) ...;
 *     for (size_t i = 0; i < ld.n; i++) use(ld.logs[i].path);
 *     tk_logdir_release(&ld);
 */
#ifndef TK_LOGDIR_H
#define TK_LOGDIR_H

#include <stddef.h>
#include "ticks.h"

struct tk_logdir_log {
	char *path;
	long pid;
	char *cmd;
};

struct tk_logdir {
	struct tk_logdir_log *logs;
	size_t n;
	size_t processes; /* distinct pids (a log without one counts alone) */
};

/* Whether path names a directory. */
int tk_logdir_is_dir(const char *path);
/* The logs of dir: 0 (n may be 0), or -1 with d filled (unreadable). */
int tk_logdir_read(struct tk_logdir *ld, const char *dir, struct tk_diag *d);
void tk_logdir_release(struct tk_logdir *ld);

#endif
