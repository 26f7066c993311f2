/* record: ticks record -- COMMAND, and the process table of a log
 * directory (record.h). */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "base/diag.h"
#include "base/escape.h"
#include "base/util.h"
#include "cli/record.h"

static const char record_usage[] =
"usage: ticks record [options] [-d DIR] -- COMMAND [ARGS...]\n"
"\n"
"Runs COMMAND with every node it starts (children, grandchildren, forks,\n"
"worker threads) profiled by --prof, the logs in DIR (default: a new\n"
"ticks-YYYYmmdd-HHMMSS/ here); then prints the report of all of them (the\n"
"options are those of `ticks`; the logs are summed into one report as with\n"
"--merge, except --pcs, --timeline and --annotate: one per log) and exits\n"
"with COMMAND's exit status (128+N when signal N ended it).\n"
"\n"
"  -d, --dir=DIR   the directory of the logs (made when missing; it must hold\n"
"                  no V8 log yet)\n"
"\n"
"Node is found through PATH: a `node` shim put first on PATH runs the next\n"
"node with --prof --logfile=DIR/%p-v8.log. A node run by an absolute path\n"
"(not `node` from PATH) and not forked by a profiled node is not profiled.\n";

static int record_error(const char *fmt, const char *arg, int code)
{
	tk_diagf("ticks record: ");
	tk_diagf(fmt, arg);
	tk_diagf("\n");
	return code;
}

/* s in single quotes for sh */
static void sh_quote(struct tk_buf *b, const char *s)
{
	tk_buf_addc(b, '\'');
	for (; *s; s++) {
		if (*s == '\'')
			tk_buf_adds(b, "'\\''");
		else
			tk_buf_addc(b, *s);
	}
	tk_buf_addc(b, '\'');
}

/* The `node` shim in shim_dir, logging into logs; 0 or -1 (errno). */
static int write_shim(const char *shim_dir, const char *logs)
{
	struct tk_buf b = {0}, path = {0};
	tk_buf_adds(&b, "#!/bin/sh\n"
		"# ticks record: the next node on PATH with --prof, its logs in one directory\n"
		"shim_dir=");
	sh_quote(&b, shim_dir);
	tk_buf_adds(&b, "\nlogs=");
	sh_quote(&b, logs);
	tk_buf_adds(&b, "\n"
		"real=\n"
		"ifs=$IFS\n"
		"IFS=:\n"
		"set -f\n"
		"for d in $PATH; do\n"
		"\t[ -n \"$d\" ] || d=.\n"
		"\t[ \"$d\" = \"$shim_dir\" ] && continue\n"
		"\tif [ -f \"$d/node\" ] && [ -x \"$d/node\" ]; then real=$d/node; break; fi\n"
		"done\n"
		"set +f\n"
		"IFS=$ifs\n"
		"if [ -z \"$real\" ]; then\n"
		"\techo \"ticks record: no node on PATH (after $shim_dir)\" >&2\n"
		"\texit 127\n"
		"fi\n"
		"printf '%s\\n' \"node $*\" >\"$logs/.ticks-$$.cmd\" 2>/dev/null\n"
		"exec \"$real\" --prof --logfile=\"$logs/%p-v8.log\" \"$@\"\n");
	tk_buf_printf(&path, "%s/node", shim_dir);
	int rc = -1, fd = open(path.p, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0755);
	if (fd >= 0) {
		ssize_t w = write(fd, b.p, b.len);
		rc = (w == (ssize_t)b.len && close(fd) == 0) ? 0 : -1;
		if (w != (ssize_t)b.len)
			close(fd);
	}
	tk_buf_free(&b);
	tk_buf_free(&path);
	return rc;
}

static void remove_shim(const char *shim_dir)
{
	char path[4096];
	snprintf(path, sizeof path, "%s/node", shim_dir);
	unlink(path);
	rmdir(shim_dir);
}

/* The command's process group (its pid), for the forwarded signals. */
static volatile sig_atomic_t child_pgid;

static void forward(int sig)
{
	if (child_pgid > 0)
		kill(-(pid_t)child_pgid, sig);
}

static const int forwarded[] = { SIGINT, SIGTERM, SIGHUP, SIGQUIT };
#define N_FORWARDED (sizeof forwarded / sizeof *forwarded)

/* COMMAND with PATH = shim_dir:PATH in a process group of its own (the
 * terminal's foreground while it runs: Ctrl-C and Ctrl-Z reach it; when
 * it stops, ticks stops with it and continues it when continued); its
 * wait status, or -1 when it could not be started (*err: the errno of
 * exec). */
static int run_command(char **cmd, const char *shim_dir, int *err)
{
	int tty = isatty(STDIN_FILENO) && tcgetpgrp(STDIN_FILENO) == getpgrp() ? STDIN_FILENO : -1;
	int ep[2];
	if (pipe(ep) < 0) {
		*err = errno;
		return -1;
	}
	fcntl(ep[0], F_SETFD, FD_CLOEXEC);
	fcntl(ep[1], F_SETFD, FD_CLOEXEC);
	struct tk_buf path = {0};
	const char *old = getenv("PATH");
	tk_buf_printf(&path, "%s:%s", shim_dir, old ? old : "/usr/local/bin:/usr/bin:/bin");
	struct sigaction sa = { .sa_handler = forward }, saved[N_FORWARDED], ign = { .sa_handler = SIG_IGN }, ttou;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGTTOU, &ign, &ttou);
	fflush(NULL);
	pid_t pid = fork();
	if (pid < 0) {
		*err = errno;
		close(ep[0]);
		close(ep[1]);
		tk_buf_free(&path);
		sigaction(SIGTTOU, &ttou, NULL);
		return -1;
	}
	if (pid == 0) {
		setpgid(0, 0);
		if (tty >= 0)
			tcsetpgrp(tty, getpid());
		struct sigaction dfl = { .sa_handler = SIG_DFL };
		sigemptyset(&dfl.sa_mask);
		sigaction(SIGTTOU, &dfl, NULL);
		for (size_t i = 0; i < N_FORWARDED; i++)
			if (forwarded[i] != SIGHUP) /* nohup stays */
				sigaction(forwarded[i], &dfl, NULL);
		setenv("PATH", path.p, 1);
		execvp(cmd[0], cmd);
		int e = errno;
		if (write(ep[1], &e, sizeof e) < 0)
			_exit(127);
		_exit(e == ENOENT ? 127 : 126);
	}
	setpgid(pid, pid); /* the child's own, or already done */
	child_pgid = pid;
	for (size_t i = 0; i < N_FORWARDED; i++)
		sigaction(forwarded[i], &sa, &saved[i]);
	close(ep[1]);
	int e = 0;
	ssize_t n;
	while ((n = read(ep[0], &e, sizeof e)) < 0 && errno == EINTR)
		;
	close(ep[0]);
	int status = 0;
	for (;;) {
		pid_t w = waitpid(pid, &status, tty >= 0 ? WUNTRACED : 0);
		if (w < 0 && errno == EINTR)
			continue;
		if (w != pid || !WIFSTOPPED(status))
			break;
		/* Ctrl-Z on the terminal stopped the command: ticks stops too,
		 * so that the shell has its job back (else both wait for ever);
		 * fg / bg continue ticks, which continues the command */
		tcsetpgrp(tty, getpgrp());
		raise(SIGSTOP);
		if (tcgetpgrp(tty) == getpgrp()) /* fg, not bg */
			tcsetpgrp(tty, pid);
		kill(-pid, SIGCONT);
	}
	if (tty >= 0)
		tcsetpgrp(tty, getpgrp());
	child_pgid = 0;
	for (size_t i = 0; i < N_FORWARDED; i++)
		sigaction(forwarded[i], &saved[i], NULL);
	sigaction(SIGTTOU, &ttou, NULL);
	tk_buf_free(&path);
	if (n == (ssize_t)sizeof e) {
		*err = e;
		return -1;
	}
	return status;
}

/* ticks-YYYYmmdd-HHMMSS (-2, -3, ... when taken), made; 0 or -1 */
static int make_default_dir(char *out, size_t size)
{
	time_t now = time(NULL);
	struct tm tm;
	char stamp[32];
	strftime(stamp, sizeof stamp, "%Y%m%d-%H%M%S", localtime_r(&now, &tm));
	for (int k = 1; k < 1000; k++) {
		if (k == 1)
			snprintf(out, size, "ticks-%s", stamp);
		else
			snprintf(out, size, "ticks-%s-%d", stamp, k);
		if (mkdir(out, 0777) == 0)
			return 0;
		if (errno != EEXIST)
			return -1;
	}
	return -1;
}

int tk_record_main(int argc, char **argv, tk_report_fn report)
{
	const char *dir = NULL;
	char **cmd = NULL;
	/* the report's command line: ticks OPTIONS DIR, summed (TK_REPORT_MERGE) */
	char **rargv = tk_xcalloc((size_t)argc + 3, sizeof *rargv);
	int rargc = 0, rc;
	rargv[rargc++] = argv[0];
	for (int i = 2; i < argc; i++) {
		const char *a = argv[i];
		if (strcmp(a, "--") == 0) {
			cmd = argv + i + 1;
			break;
		} else if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
			fputs(record_usage, stdout);
			free(rargv);
			return fflush(stdout) ? TK_EXIT_SYSTEM : TK_EXIT_OK;
		} else if (strcmp(a, "-d") == 0 || strcmp(a, "--dir") == 0) {
			if (i + 1 >= argc) {
				free(rargv);
				return record_error("%s needs a directory (try 'ticks record --help')", a, TK_EXIT_USAGE);
			}
			dir = argv[++i];
		} else if (strncmp(a, "--dir=", 6) == 0) {
			dir = a + 6;
		} else if (strncmp(a, "-d", 2) == 0) {
			dir = a + 2;
		} else {
			rargv[rargc++] = argv[i];
		}
	}
	if (!cmd || !*cmd) {
		free(rargv);
		return record_error("%s", "no command: ticks record [options] [-d DIR] -- COMMAND [ARGS...]",
				    TK_EXIT_USAGE);
	}
	if (dir && !*dir) {
		free(rargv);
		return record_error("%s", "-d wants a directory, not ''", TK_EXIT_USAGE);
	}

	/* the directory, absolute (children run in other directories) */
	char made[64];
	int created = 1; /* removed again when nothing was logged into it */
	if (!dir) {
		if (make_default_dir(made, sizeof made) < 0) {
			free(rargv);
			return record_error("cannot make a log directory here: %s", strerror(errno), TK_EXIT_SYSTEM);
		}
		dir = made;
	} else if (mkdir(dir, 0777) < 0) {
		rc = errno;
		created = 0;
		if (rc != EEXIST) {
			free(rargv);
			tk_diagf("ticks record: %s: %s\n", dir, strerror(rc));
			return TK_EXIT_SYSTEM;
		}
	}
	char *abs = realpath(dir, NULL);
	struct tk_logdir ld;
	struct tk_diag d = {0};
	if (!abs || !tk_logdir_is_dir(abs) || tk_logdir_read(&ld, abs, &d) < 0) {
		tk_diagf("ticks record: %s: %s\n", dir, abs ? (d.code ? d.msg : "not a directory") : strerror(errno));
		free(abs);
		free(rargv);
		return TK_EXIT_SYSTEM;
	}
	size_t before = ld.n;
	tk_logdir_release(&ld);
	if (before) {
		free(abs);
		free(rargv);
		return record_error("%s already holds V8 logs: give a new or empty directory", dir, TK_EXIT_USAGE);
	}
	rargv[rargc++] = abs;

	/* the options, before anything runs */
	optind = 0;
	rc = report(rargc, rargv, TK_REPORT_CHECK | TK_REPORT_MERGE);
	if (rc != 0) {
		if (created)
			rmdir(dir);
		free(abs);
		free(rargv);
		return rc;
	}

	const char *tmp = getenv("TMPDIR");
	struct tk_buf shim = {0};
	tk_buf_printf(&shim, "%s/ticks-record.XXXXXX", tmp && *tmp ? tmp : "/tmp");
	if (!mkdtemp(shim.p) || write_shim(shim.p, abs) < 0) {
		tk_diagf("ticks record: cannot make the node shim in %s: %s\n", shim.p, strerror(errno));
		rmdir(shim.p);
		tk_buf_free(&shim);
		free(abs);
		free(rargv);
		return TK_EXIT_SYSTEM;
	}
	tk_diagf("ticks record: logs in %s\n", dir);
	int err = 0, status = run_command(cmd, shim.p, &err);
	remove_shim(shim.p);
	tk_buf_free(&shim);
	int cmd_rc;
	if (status < 0) {
		tk_diagf(err == ENOENT ? "ticks record: %s: command not found\n" : "ticks record: %s: %s\n",
			      cmd[0], strerror(err));
		if (created)
			rmdir(dir);
		free(abs);
		free(rargv);
		return err == ENOENT ? 127 : 126;
	}
	cmd_rc = WIFEXITED(status) ? WEXITSTATUS(status) : WIFSIGNALED(status) ? 128 + WTERMSIG(status) : 1;
	if (tk_logdir_read(&ld, abs, &d) < 0) {
		tk_diag_print(&d);
		free(abs);
		free(rargv);
		return cmd_rc ? cmd_rc : TK_EXIT_SYSTEM;
	}
	size_t nlogs = ld.n, nproc = ld.processes;
	tk_logdir_release(&ld);
	if (nlogs == 0) {
		tk_diagf("ticks record: %s started no node (no V8 log in %s); node is profiled when it is "
			      "run as `node` from PATH, or forked by such a node\n", cmd[0], dir);
		if (created)
			rmdir(dir);
		free(abs);
		free(rargv);
		return cmd_rc ? cmd_rc : TK_EXIT_INPUT;
	}
	tk_diagf("ticks record: %zu process%s, %zu isolate%s\n", nproc, nproc == 1 ? "" : "es", nlogs,
		nlogs == 1 ? "" : "s");
	optind = 0;
	rc = report(rargc, rargv, TK_REPORT_MERGE);
	free(abs);
	free(rargv);
	return cmd_rc ? cmd_rc : rc;
}

/* The rows of one directory: a pid's logs are next to each other. */
struct proc_row {
	long pid;
	const char *cmd;
	uint64_t ticks;
	size_t first, n;
};

static size_t next_row(const struct tk_logdir *ld, const uint64_t *ticks, size_t i, struct proc_row *row)
{
	const struct tk_logdir_log *l = &ld->logs[i];
	*row = (struct proc_row){ l->pid, l->cmd, 0, i, 0 };
	do {
		row->ticks += ticks ? ticks[i] : 0;
		row->n++;
		i++;
	} while (i < ld->n && l->pid && ld->logs[i].pid == l->pid);
	return i;
}

void tk_logdir_text(FILE *out, const char *dir, const struct tk_logdir *ld, const uint64_t *ticks)
{
	uint64_t total = 0;
	for (size_t i = 0; i < ld->n; i++)
		total += ticks[i];
	tk_esc_printf(out, "Logs of %s: %zu process%s, %zu isolate%s, %llu ticks\n", dir, ld->processes,
		      ld->processes == 1 ? "" : "es", ld->n, ld->n == 1 ? "" : "s", (unsigned long long)total);
	fprintf(out, "      pid    ticks  isolates  command\n");
	struct proc_row row;
	for (size_t i = 0; i < ld->n;) {
		i = next_row(ld, ticks, i, &row);
		if (row.pid)
			fprintf(out, " %8ld", row.pid);
		else
			fprintf(out, " %8s", "?");
		fprintf(out, " %8llu  %8zu  ", (unsigned long long)row.ticks, row.n);
		tk_esc_printf(out, "%s\n", row.cmd ? row.cmd : row.pid ? "-" : ld->logs[row.first].path);
	}
	fputc('\n', out);
}

void tk_logdir_json(struct tk_json *j, const char *dir, const struct tk_logdir *ld, const uint64_t *ticks)
{
	tk_json_obj(j);
	tk_json_key(j, "dir");
	tk_json_str(j, dir);
	tk_json_key(j, "processes");
	tk_json_arr(j);
	struct proc_row row;
	for (size_t i = 0; i < ld->n;) {
		i = next_row(ld, ticks, i, &row);
		tk_json_obj(j);
		tk_json_key(j, "pid");
		if (row.pid)
			tk_json_i64(j, row.pid);
		else
			tk_json_null(j);
		tk_json_key(j, "command");
		if (row.cmd)
			tk_json_str(j, row.cmd);
		else
			tk_json_null(j);
		tk_json_key(j, "ticks");
		tk_json_u64(j, row.ticks);
		tk_json_key(j, "logs");
		tk_json_arr(j);
		for (size_t k = row.first; k < row.first + row.n; k++)
			tk_json_str(j, ld->logs[k].path);
		tk_json_end(j);
		tk_json_end(j);
	}
	tk_json_end(j);
	tk_json_end(j);
}
