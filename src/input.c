/* input: zlib's gzread serves plain and gzip input alike (it passes
 * non-gzip data through), so stdin and files share one path. Lines are
 * split with memchr in a buffer that grows only for long lines. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>
#include "input.h"
#include "util.h"

/* read size and zlib buffer; the fuzz build makes them small (more
 * refills, no large allocation per input) */
#ifndef TK_INPUT_CHUNK
#define TK_INPUT_CHUNK (1u << 20)
#endif
#ifndef TK_INPUT_GZBUF
#define TK_INPUT_GZBUF (256u * 1024)
#endif
#define CHUNK TK_INPUT_CHUNK

/* inputs copied to unlinked temporary files (tk_input_spool) */
static struct spooled {
	const char *path;
	int fd;
} *spooled;
static size_t n_spooled, cap_spooled;

static int spooled_fd(const char *path)
{
	for (size_t i = 0; i < n_spooled; i++)
		if (strcmp(spooled[i].path, path) == 0)
			return spooled[i].fd;
	return -1;
}

/* path opened for blocking reads; -1 with d filled */
static int open_path(const char *path, struct stat *st, struct tk_diag *d)
{
	int fd = open(path, O_RDONLY | O_NONBLOCK);
	if (fd < 0) {
		tk_diag_set(d, TK_EXIT_INPUT, "cannot open: %s", strerror(errno));
		return -1;
	}
	if (fstat(fd, st) < 0) {
		tk_diag_set(d, TK_EXIT_INPUT, "cannot open: %s", strerror(errno));
		close(fd);
		return -1;
	}
	if (S_ISDIR(st->st_mode)) {
		close(fd);
		tk_diag_set(d, TK_EXIT_INPUT, "is a directory, not a log");
		return -1;
	}
	if (S_ISFIFO(st->st_mode)) {
		/* opened without a writer, a FIFO reads EOF at once: wait for one */
		int b = open(path, O_RDONLY);
		if (b < 0) {
			tk_diag_set(d, TK_EXIT_INPUT, "cannot open: %s", strerror(errno));
			close(fd);
			return -1;
		}
		close(fd);
		return b;
	}
	/* blocking reads from here on */
	int fl = fcntl(fd, F_GETFL);
	if (fl >= 0)
		fcntl(fd, F_SETFL, fl & ~O_NONBLOCK);
	return fd;
}

int tk_input_spool(const char *path, struct tk_diag *d)
{
	d->file = path;
	d->line = 0;
	if (spooled_fd(path) >= 0)
		return 0;
	int src = 0;
	struct stat st;
	if (strcmp(path, "-") != 0) {
		struct tk_diag ignored = {0};
		src = open_path(path, &st, &ignored);
		if (src < 0)
			return 0; /* said when it is read */
		if (S_ISREG(st.st_mode) || S_ISBLK(st.st_mode)) {
			close(src); /* seekable: read in place */
			return 0;
		}
	}
	const char *dir = getenv("TMPDIR");
	struct tk_buf tmp = {0};
	tk_buf_printf(&tmp, "%s/ticks-input.XXXXXX", dir && *dir ? dir : "/tmp");
	int fd = mkstemp(tmp.p);
	if (fd < 0) {
		tk_diag_set(d, TK_EXIT_SYSTEM, "cannot make a temporary file %s: %s", tmp.p, strerror(errno));
		tk_buf_free(&tmp);
		if (src)
			close(src);
		return -1;
	}
	unlink(tmp.p);
	tk_buf_free(&tmp);
	static char buf[1 << 16];
	int err = 0;
	for (;;) {
		ssize_t n = read(src, buf, sizeof buf);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			err = n < 0 ? errno : 0;
			break;
		}
		for (ssize_t off = 0; off < n && !err;) {
			ssize_t w = write(fd, buf + off, (size_t)(n - off));
			if (w < 0 && errno == EINTR)
				continue;
			if (w <= 0)
				err = w < 0 ? errno : ENOSPC;
			else
				off += w;
		}
		if (err)
			break;
	}
	if (src)
		close(src);
	if (err) {
		tk_diag_set(d, TK_EXIT_SYSTEM, "cannot copy to a temporary file: %s", strerror(err));
		close(fd);
		return -1;
	}
	tk_xgrow((void **)&spooled, &cap_spooled, n_spooled + 1, sizeof *spooled);
	spooled[n_spooled].path = path;
	spooled[n_spooled++].fd = fd;
	return 0;
}

int tk_input_open(struct tk_input *in, const char *path, struct tk_diag *d)
{
	memset(in, 0, sizeof *in);
	in->path = path;
	in->max_line = TK_MAX_LINE;
	d->file = path;
	d->line = 0;
	int fd, sfd = spooled_fd(path);
	struct stat st;
	if (sfd >= 0) {
		/* read again from its start */
		fd = dup(sfd);
		if (fd < 0 || lseek(fd, 0, SEEK_SET) < 0) {
			tk_diag_set(d, TK_EXIT_SYSTEM, "cannot read the copy of the input: %s", strerror(errno));
			if (fd >= 0)
				close(fd);
			return -1;
		}
		if (fstat(fd, &st) == 0)
			in->file_size = (unsigned long long)st.st_size;
	} else if (strcmp(path, "-") == 0) {
		fd = dup(0);
		if (fd < 0) {
			tk_diag_set(d, TK_EXIT_SYSTEM, "cannot read standard input: %s", strerror(errno));
			return -1;
		}
	} else {
		fd = open_path(path, &st, d);
		if (fd < 0)
			return -1;
		if (S_ISREG(st.st_mode))
			in->file_size = (unsigned long long)st.st_size;
	}
	gzFile gz = gzdopen(fd, "rb");
	if (!gz) {
		close(fd);
		tk_diag_set(d, TK_EXIT_SYSTEM, "cannot read: out of memory");
		return -1;
	}
	gzbuffer(gz, TK_INPUT_GZBUF);
	in->gz = gz;
	in->cap = CHUNK;
	in->buf = tk_xmalloc(in->cap + 1);
	return 0;
}

void tk_input_close(struct tk_input *in)
{
	if (in->gz)
		gzclose((gzFile)in->gz);
	free(in->buf);
	in->gz = NULL;
	in->buf = NULL;
}

/* Reads more data after end; 1 if some came, 0 at EOF, -1 on error. */
static int fill(struct tk_input *in, struct tk_diag *d)
{
	if (in->start > 0 && (in->start == in->end || in->end == in->cap)) {
		memmove(in->buf, in->buf + in->start, in->end - in->start);
		in->end -= in->start;
		in->scan -= in->start;
		in->start = 0;
	}
	if (in->end == in->cap) {
		size_t ncap = in->cap * 2;
		if (ncap > in->max_line + 1)
			ncap = in->max_line + 1;
		if (ncap <= in->cap)
			return -2; /* line over the cap */
		in->buf = tk_xrealloc(in->buf, ncap + 1);
		in->cap = ncap;
	}
	size_t want = in->cap - in->end;
	if (want > (size_t)INT32_MAX)
		want = (size_t)INT32_MAX;
	int n = gzread((gzFile)in->gz, in->buf + in->end, (unsigned)want);
	if (in->bytes == 0 && n > 0 && !in->gzip)
		in->gzip = !gzdirect((gzFile)in->gz);
	if (n < 0) {
		int err;
		const char *msg = gzerror((gzFile)in->gz, &err);
		if (err == Z_BUF_ERROR) {
			/* the compressed stream ends early: like a cut-off log */
			in->cut_gzip = 1;
			in->eof = 1;
			return 0;
		}
		if (err == Z_ERRNO)
			tk_diag_set(d, TK_EXIT_SYSTEM, "read error: %s", strerror(errno));
		else
			tk_diag_set(d, TK_EXIT_INPUT, "corrupt gzip data: %s", msg);
		d->line = in->lineno + 1;
		return -1;
	}
	if (n == 0) {
		int err;
		gzerror((gzFile)in->gz, &err);
		if (err == Z_BUF_ERROR)
			in->cut_gzip = 1;
		in->eof = 1;
		return 0;
	}
	in->bytes += (unsigned long long)n;
	in->end += (size_t)n;
	return 1;
}

int tk_input_next(struct tk_input *in, char **line, size_t *len, struct tk_diag *d)
{
	d->file = in->path;
	for (;;) {
		char *nl = NULL;
		if (in->scan < in->end)
			nl = memchr(in->buf + in->scan, '\n', in->end - in->scan);
		if (nl) {
			size_t pos = (size_t)(nl - in->buf);
			char *s = in->buf + in->start;
			size_t n = pos - in->start;
			in->start = in->scan = pos + 1;
			in->lineno++;
			if (in->discarding) {
				in->discarding = 0;
				continue;
			}
			if (n > in->max_line) {
				if (!in->long_lines++)
					in->long_first = in->lineno;
				continue;
			}
			if (n > 0 && s[n - 1] == '\r')
				n--;
			s[n] = 0;
			*line = s;
			*len = n;
			return 1;
		}
		in->scan = in->end;
		if (in->eof) {
			if (in->start < in->end && !in->discarding) {
				size_t n = in->end - in->start;
				if (n >= sizeof in->cut_text)
					n = sizeof in->cut_text - 1;
				memcpy(in->cut_text, in->buf + in->start, n);
				in->cut_text[n] = 0;
				in->cut = 1;
			}
			in->start = in->end = in->scan = 0;
			return 0;
		}
		int r = in->end - in->start > in->max_line ? -2 : fill(in, d);
		if (r == -1)
			return -1;
		if (r == -2) {
			/* drop what we have of the over-long line, keep reading */
			if (!in->discarding && !in->long_lines++)
				in->long_first = in->lineno + 1;
			in->discarding = 1;
			in->start = in->scan = in->end = 0;
		}
	}
}

unsigned long long tk_input_offset(const struct tk_input *in)
{
	if (in->gzip && in->gz) {
		z_off_t o = gzoffset((gzFile)in->gz);
		return o > 0 ? (unsigned long long)o : 0;
	}
	return in->bytes;
}
