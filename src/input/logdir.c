/* logdir: the V8 logs of a directory (logdir.h). */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include "base/util.h"
#include "input/logdir.h"

int tk_logdir_is_dir(const char *path)
{
	struct stat st;
	return strcmp(path, "-") != 0 && stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

static int ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);
	return n >= m && strcmp(s + n - m, suffix) == 0;
}

/* "isolate-0x55d0c3a1b2c0-4711-v8.log" -> 4711; 0 when there is none */
static long name_pid(const char *name)
{
	const char *p = name + strlen("isolate-");
	if (strncmp(p, "0x", 2) != 0)
		return 0;
	p += 2;
	while ((*p >= '0' && *p <= '9') || (*p >= 'a' && *p <= 'f') || (*p >= 'A' && *p <= 'F'))
		p++;
	if (*p++ != '-' || *p < '1' || *p > '9')
		return 0;
	char *end;
	long pid = strtol(p, &end, 10);
	return *end == '-' ? pid : 0;
}

/* The first line of DIR/.ticks-PID.cmd, or NULL */
static char *read_cmd(const char *dir, long pid)
{
	char path[4096];
	snprintf(path, sizeof path, "%s/.ticks-%ld.cmd", dir, pid);
	FILE *f = fopen(path, "r");
	if (!f)
		return NULL;
	char line[4096];
	char *cmd = NULL;
	if (fgets(line, sizeof line, f)) {
		line[strcspn(line, "\n")] = 0;
		size_t n = strlen(line);
		cmd = tk_xmalloc(n + 1);
		memcpy(cmd, line, n + 1);
	}
	fclose(f);
	return cmd;
}

static int by_pid_name(const void *a, const void *b)
{
	const struct tk_logdir_log *x = a, *y = b;
	if (x->pid != y->pid)
		return x->pid < y->pid ? -1 : 1;
	return strcmp(x->path, y->path);
}

int tk_logdir_read(struct tk_logdir *ld, const char *dir, struct tk_diag *d)
{
	memset(ld, 0, sizeof *ld);
	DIR *dp = opendir(dir);
	if (!dp) {
		tk_diag_set(d, TK_EXIT_SYSTEM, "%s: %s", dir, strerror(errno));
		return -1;
	}
	size_t cap = 0;
	struct dirent *e;
	while ((e = readdir(dp))) {
		const char *name = e->d_name;
		if (strncmp(name, "isolate-", 8) != 0 || !(ends_with(name, "-v8.log") || ends_with(name, "-v8.log.gz")))
			continue;
		struct tk_buf b = {0};
		tk_buf_printf(&b, "%s%s%s", dir, ends_with(dir, "/") ? "" : "/", name);
		struct stat st;
		if (stat(b.p, &st) < 0 || !S_ISREG(st.st_mode)) {
			tk_buf_free(&b);
			continue;
		}
		tk_xgrow((void **)&ld->logs, &cap, ld->n + 1, sizeof *ld->logs);
		ld->logs[ld->n++] = (struct tk_logdir_log){ b.p, name_pid(name), NULL };
	}
	closedir(dp);
	if (ld->n)
		qsort(ld->logs, ld->n, sizeof *ld->logs, by_pid_name);
	for (size_t i = 0; i < ld->n; i++) {
		struct tk_logdir_log *l = &ld->logs[i];
		if (!l->pid || i == 0 || l->pid != l[-1].pid) {
			ld->processes++;
			if (l->pid)
				l->cmd = read_cmd(dir, l->pid);
		}
	}
	return 0;
}

void tk_logdir_release(struct tk_logdir *ld)
{
	for (size_t i = 0; i < ld->n; i++) {
		free(ld->logs[i].path);
		free(ld->logs[i].cmd);
	}
	free(ld->logs);
	memset(ld, 0, sizeof *ld);
}
