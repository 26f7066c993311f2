/*
 * record: `ticks record [OPTIONS] [-d DIR] -- COMMAND [ARGS...]` runs
 * COMMAND with every node it starts profiled (--prof, logs into DIR),
 * then reports DIR as `ticks OPTIONS --merge DIR` would (one report
 * per log where the view cannot be summed: --pcs, --timeline, --annotate), and exits with
 * COMMAND's exit status. Also the per-process table of a log directory
 * (`ticks DIR`), in the text header and in --json.
 *
 * How node is made to profile: no node from 10 to 26 takes --prof or
 * --logfile in NODE_OPTIONS ("--prof is not allowed in NODE_OPTIONS"),
 * so a directory with a `node` shim (a sh script) is put first on PATH:
 * it runs the next node on PATH with --prof --logfile=DIR/%p-v8.log.
 * child_process.fork runs process.execPath with process.execArgv, so
 * forked children are profiled into DIR too; worker threads are isolates
 * of the same process (a log each). A node run by absolute path that is
 * not a fork of a profiled node is not seen.
 *
 *     return tk_record_main(argc, argv, report);  (argv[1] is "record")
 */
#ifndef TK_RECORD_H
#define TK_RECORD_H

#include <stdint.h>
#include <stdio.h>
#include "base/json.h"
#include "input/logdir.h"

/* How tk_report_fn runs: TK_REPORT_CHECK checks the options (0 when
 * good) and reads nothing; TK_REPORT_MERGE sums the logs into one report
 * wherever the output can be one (--merge; not with --pcs, --timeline or
 * --annotate, which stay one per log): record's report. */
enum { TK_REPORT_CHECK = 1, TK_REPORT_MERGE = 2 };

/* The report of the logs in argv (a `ticks` command line), as mode says. */
typedef int (*tk_report_fn)(int argc, char **argv, unsigned mode);

int tk_record_main(int argc, char **argv, tk_report_fn report);

/* The processes of a log directory: one row per pid with its ticks
 * (ticks[i]: log i of ld) and its command line where known. */
void tk_logdir_text(FILE *out, const char *dir, const struct tk_logdir *ld, const uint64_t *ticks);
/* The same as one JSON object {"dir", "processes": [...]} */
void tk_logdir_json(struct tk_json *j, const char *dir, const struct tk_logdir *ld, const uint64_t *ticks);

#endif
