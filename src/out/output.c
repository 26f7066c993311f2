/* output: -o through a temporary file renamed into place; SIGINT, SIGTERM
 * and SIGHUP (and an exit() on the way, out of memory) remove the
 * temporary file before the signal takes its default course. Only a
 * SIGKILL or a crash leaves it behind (".NAME.XXXXXX" beside NAME). */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>
#include "base/diag.h"
#include "base/escape.h"
#include "out/output.h"
#include "base/util.h"

/* the temporary file being written, for the signal handler */
static char *volatile pending_tmp;

static void on_signal(int sig)
{
	char *p = pending_tmp;
	if (p)
		unlink(p);
	signal(sig, SIG_DFL);
	raise(sig);
}

/* exit() before the rename (out of memory): the temporary file goes too */
static void at_exit(void)
{
	if (pending_tmp)
		unlink(pending_tmp);
}

static void catch_signals(void)
{
	static int done;
	static const int sigs[] = { SIGINT, SIGTERM, SIGHUP };
	if (done++)
		return;
	atexit(at_exit);
	for (size_t i = 0; i < sizeof sigs / sizeof *sigs; i++) {
		struct sigaction sa, old;
		memset(&sa, 0, sizeof sa);
		sa.sa_handler = on_signal;
		sigemptyset(&sa.sa_mask);
		/* a signal ignored by our parent (nohup, &) stays ignored */
		if (sigaction(sigs[i], NULL, &old) == 0 && old.sa_handler == SIG_IGN)
			continue;
		sigaction(sigs[i], &sa, NULL);
	}
}

void tk_output_std_fds(void)
{
	for (int fd = 0; fd <= 2; fd++) {
		if (fcntl(fd, F_GETFD) >= 0 || errno != EBADF)
			continue;
		int n = open("/dev/null", fd == 0 ? O_RDONLY : O_WRONLY);
		if (n >= 0 && n != fd) { /* a lower one was closed too: taken in order */
			dup2(n, fd);
			close(n);
		}
	}
}

static int same_file(const struct stat *a, const struct stat *b)
{
	return a->st_dev == b->st_dev && a->st_ino == b->st_ino;
}

int tk_output_check(const char *path, char **logs, int nlogs)
{
	struct stat st;
	if (strcmp(path, "-") == 0 || stat(path, &st) != 0 || !S_ISREG(st.st_mode))
		return 0;
	for (int i = 0; i < nlogs; i++) {
		struct stat ls;
		int r = strcmp(logs[i], "-") == 0 ? fstat(0, &ls) : stat(logs[i], &ls);
		if (r == 0 && same_file(&ls, &st)) {
			if (strcmp(logs[i], "-") == 0)
				TK_WARN(REFUSE_STDIN, path);
			else
				TK_WARN(REFUSE_LOG, path);
			return TK_EXIT_USAGE;
		}
	}
	/* gzread passes plain data through: one test for both */
	char head[16] = {0};
	int n = 0;
	int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	gzFile gz = fd >= 0 ? gzdopen(fd, "rb") : NULL;
	if (gz) {
		n = gzread(gz, head, sizeof head - 1);
		gzclose(gz);
	} else if (fd >= 0) {
		close(fd);
	}
	if (n >= 11 && memcmp(head, "v8-version,", 11) == 0) {
		TK_WARN(REFUSE_V8LOG, path);
		return TK_EXIT_USAGE;
	}
	return 0;
}

int tk_output_open(struct tk_output *o, const char *path)
{
	memset(o, 0, sizeof *o);
	o->path = path;
	if (strcmp(path, "-") == 0) {
		o->f = stdout;
		return 0;
	}
	struct stat st;
	if (stat(path, &st) == 0 && !S_ISREG(st.st_mode)) {
		/* /dev/null, a FIFO, a terminal: nothing to keep, written directly */
		o->f = fopen(path, "wb");
		if (!o->f) {
			TK_WARN(CANNOT_WRITE, path, strerror(errno));
			return TK_EXIT_SYSTEM;
		}
		return 0;
	}
	/* a symbolic link stays one: its target is replaced */
	char *real = realpath(path, NULL);
	o->dest = real ? real : strcpy(tk_xmalloc(strlen(path) + 1), path);
	const char *slash = strrchr(o->dest, '/');
	struct tk_buf t = {0};
	if (slash)
		tk_buf_printf(&t, "%.*s/.%s.XXXXXX", (int)(slash - o->dest), o->dest, slash + 1);
	else
		tk_buf_printf(&t, ".%s.XXXXXX", o->dest);
	catch_signals();
	int fd = mkstemp(t.p);
	if (fd < 0) {
		int e = errno;
		TK_WARN(NO_TMPFILE, path, strerror(e),
			e == EACCES || e == EPERM ? " (-o - >FILE writes in place)" : "");
		tk_buf_free(&t);
		free(o->dest);
		o->dest = NULL;
		return TK_EXIT_SYSTEM;
	}
	o->tmp = t.p;
	pending_tmp = o->tmp;
	/* mkstemp makes 0600: the mode a new file would get */
	mode_t mask = umask(0);
	umask(mask);
	(void)fchmod(fd, 0666 & ~mask);
	o->f = fdopen(fd, "wb");
	if (!o->f) {
		TK_WARN(CANNOT_WRITE, path, strerror(errno));
		close(fd);
		tk_output_close(o, 0);
		return TK_EXIT_SYSTEM;
	}
	return 0;
}

int tk_output_close(struct tk_output *o, int keep)
{
	int rc = 0;
	if (o->f && (fflush(o->f) != 0 || ferror(o->f))) {
		TK_WARN(WRITE_ERROR, o->path, strerror(errno));
		rc = TK_EXIT_SYSTEM;
	}
	if (o->f && o->f != stdout && fclose(o->f) != 0 && !rc) {
		TK_WARN(WRITE_ERROR, o->path, strerror(errno));
		rc = TK_EXIT_SYSTEM;
	}
	o->f = NULL;
	if (o->tmp) {
		if (keep && !rc && rename(o->tmp, o->dest) != 0) {
			TK_WARN(CANNOT_WRITE, o->path, strerror(errno));
			rc = TK_EXIT_SYSTEM;
		}
		if (!keep || rc)
			unlink(o->tmp);
		pending_tmp = NULL;
		free(o->tmp);
		o->tmp = NULL;
	}
	free(o->dest);
	o->dest = NULL;
	return rc;
}
