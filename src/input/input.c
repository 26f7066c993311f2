/* input: plain data is read as is; gzip (by its magic bytes) through
 * inflate, member after member as gzip -d reads them, counting any bytes
 * after the last member (trailing garbage). Other compressors are named
 * by their magic bytes and refused. stdin and files share one path. Lines are
 * split with memchr in a buffer that grows only for long lines. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>
#include "input/input.h"
#include "base/util.h"

/* read size and zlib buffer (256 KiB: a fresh page costs a fault, and
 * on the VM measured faults cost more than the reads that a 1 MiB buffer
 * saves: 1,343 -> 1,152 faults, -3 % CPU on a 24.5 MB log); the fuzz
 * build makes them small (more refills, no large allocation per input) */
#ifndef TK_INPUT_CHUNK
#define TK_INPUT_CHUNK (256u * 1024)
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
	in->fd = fd;
	in->raw = tk_xmalloc(TK_INPUT_GZBUF);
	in->cap = CHUNK;
	in->buf = tk_xmalloc(in->cap + 1);
	return 0;
}

void tk_input_close(struct tk_input *in)
{
	if (in->raw) /* open */
		close(in->fd);
	if (in->z) {
		inflateEnd((z_stream *)in->z);
		free(in->z);
	}
	free(in->raw);
	free(in->buf);
	in->fd = -1;
	in->z = NULL;
	in->raw = NULL;
	in->buf = NULL;
}

/* read(2) retried on EINTR: bytes, 0 at EOF, -1 with d filled */
static ssize_t raw_read(struct tk_input *in, void *p, size_t n, struct tk_diag *d)
{
	for (;;) {
		ssize_t r = read(in->fd, p, n);
		if (r >= 0) {
			in->raw_bytes += (unsigned long long)r;
			return r;
		}
		if (errno != EINTR) {
			tk_diag_set(d, TK_EXIT_SYSTEM, "read error: %s", strerror(errno));
			d->line = in->lineno + 1;
			return -1;
		}
	}
}

/* more compressed bytes after the unread ones; 0 at EOF */
static int raw_fill(struct tk_input *in, struct tk_diag *d)
{
	if (in->raw_pos > 0) {
		memmove(in->raw, in->raw + in->raw_pos, in->raw_len - in->raw_pos);
		in->raw_len -= in->raw_pos;
		in->raw_pos = 0;
	}
	if (in->raw_len == TK_INPUT_GZBUF)
		return 1;
	ssize_t n = raw_read(in, in->raw + in->raw_len, TK_INPUT_GZBUF - in->raw_len, d);
	if (n < 0)
		return -1;
	if (n == 0)
		in->raw_eof = 1;
	in->raw_len += (size_t)n;
	return n > 0;
}

/* the compressors whose files are mistaken for logs, by magic bytes */
static const char *other_compressor(const unsigned char *p, size_t n)
{
	static const unsigned char bzblock[6] = { 0x31, 0x41, 0x59, 0x26, 0x53, 0x59 },
				   bzend[6] = { 0x17, 0x72, 0x45, 0x38, 0x50, 0x90 };
	if (n >= 6 && memcmp(p, "\xfd" "7zXZ\0", 6) == 0)
		return "xz";
	if (n >= 4 && memcmp(p, "\x28\xb5\x2f\xfd", 4) == 0)
		return "zstd";
	if (n >= 4 && (memcmp(p, "\x04\x22\x4d\x18", 4) == 0 || memcmp(p, "\x02\x21\x4c\x18", 4) == 0))
		return "lz4";
	if (n >= 10 && memcmp(p, "BZh", 3) == 0 && p[3] >= '1' && p[3] <= '9' &&
	    (memcmp(p + 4, bzblock, 6) == 0 || memcmp(p + 4, bzend, 6) == 0))
		return "bzip2";
	if (n >= 2 && p[0] == 0x1f && p[1] == 0x9d)
		return "compress";
	return NULL;
}

/* the binary files mistaken for logs (a program, an archive), by magic bytes */
static const char *binary_kind(const unsigned char *p, size_t n)
{
	if (n >= 4 && memcmp(p, "\x7f" "ELF", 4) == 0)
		return "an ELF file";
	if (n >= 4 && memcmp(p, "PK\x03\x04", 4) == 0)
		return "a zip archive";
	if (n >= 4 && (memcmp(p, "\xcf\xfa\xed\xfe", 4) == 0 || memcmp(p, "\xfe\xed\xfa\xcf", 4) == 0))
		return "a Mach-O file";
	return NULL;
}

/* the first bytes: gzip, plain, or another compressor (refused) */
static int start(struct tk_input *in, struct tk_diag *d)
{
	in->started = 1;
	while (in->raw_len < 10 && !in->raw_eof)
		if (raw_fill(in, d) < 0)
			return -1;
	const char *other = other_compressor(in->raw, in->raw_len);
	if (other) {
		tk_diag_set(d, TK_EXIT_INPUT, "compressed with %s, not a V8 log: decompress it first (%s -dc)",
			    other, strcmp(other, "compress") == 0 ? "gzip" : other);
		d->line = 0;
		return -1;
	}
	const char *bin = binary_kind(in->raw, in->raw_len);
	if (bin) {
		tk_diag_set(d, TK_EXIT_INPUT, "not a V8 log: %s", bin);
		d->line = 0;
		return -1;
	}
	if (in->raw_len >= 2 && in->raw[0] == 0x1f && in->raw[1] == 0x8b) {
		z_stream *z = tk_xcalloc(1, sizeof *z);
		if (inflateInit2(z, 16 + MAX_WBITS) != Z_OK) {
			free(z);
			tk_diag_set(d, TK_EXIT_SYSTEM, "cannot read: out of memory");
			return -1;
		}
		in->z = z;
		in->gzip = 1;
	}
	return 0;
}

/* the rest of the input after the last gzip member, counted, not kept */
static int count_trailing(struct tk_input *in, struct tk_diag *d)
{
	in->trailing += in->raw_len - in->raw_pos;
	in->raw_pos = in->raw_len = 0;
	for (;;) {
		ssize_t n = raw_read(in, in->raw, TK_INPUT_GZBUF, d);
		if (n < 0)
			return -1;
		if (n == 0)
			return 0;
		in->trailing += (unsigned long long)n;
	}
}

/* up to want decompressed bytes at p: count, 0 at the end, -1 */
static long inflate_some(struct tk_input *in, char *p, size_t want, struct tk_diag *d)
{
	z_stream *z = in->z;
	for (;;) {
		if (in->raw_pos == in->raw_len && !in->raw_eof && raw_fill(in, d) < 0)
			return -1;
		if (in->member_done) {
			/* another member, the end, or trailing garbage */
			if (in->raw_len - in->raw_pos < 2 && !in->raw_eof) {
				if (raw_fill(in, d) < 0)
					return -1;
				continue;
			}
			if (in->raw_pos == in->raw_len)
				return 0;
			if (in->raw_len - in->raw_pos >= 2 && in->raw[in->raw_pos] == 0x1f &&
			    in->raw[in->raw_pos + 1] == 0x8b) {
				inflateReset(z);
				in->member_done = 0;
				continue;
			}
			return count_trailing(in, d) < 0 ? -1 : 0;
		}
		z->next_in = in->raw + in->raw_pos;
		z->avail_in = (uInt)(in->raw_len - in->raw_pos);
		z->next_out = (Bytef *)p;
		z->avail_out = (uInt)want;
		int r = inflate(z, Z_NO_FLUSH);
		in->raw_pos = in->raw_len - z->avail_in;
		size_t got = want - z->avail_out;
		if (r == Z_STREAM_END) {
			in->member_done = 1;
		} else if (r == Z_BUF_ERROR || (r == Z_OK && got == 0)) {
			if (in->raw_pos == in->raw_len && in->raw_eof) {
				/* the compressed stream ends early: like a cut-off log */
				in->cut_gzip = 1;
				return (long)got;
			}
		} else if (r != Z_OK) {
			tk_diag_set(d, r == Z_MEM_ERROR ? TK_EXIT_SYSTEM : TK_EXIT_INPUT, "corrupt gzip data: %s",
				    z->msg ? z->msg : "inflate failed");
			d->line = in->lineno + 1;
			return -1;
		}
		if (got > 0)
			return (long)got;
	}
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
	if (!in->started && start(in, d) < 0)
		return -1;
	size_t want = in->cap - in->end;
	if (want > (size_t)INT32_MAX)
		want = (size_t)INT32_MAX;
	char *p = in->buf + in->end;
	long n;
	if (in->gzip) {
		n = inflate_some(in, p, want, d);
	} else if (in->raw_pos < in->raw_len) {
		/* the bytes start() looked at */
		n = (long)(in->raw_len - in->raw_pos < want ? in->raw_len - in->raw_pos : want);
		memcpy(p, in->raw + in->raw_pos, (size_t)n);
		in->raw_pos += (size_t)n;
	} else {
		n = (long)raw_read(in, p, want, d);
	}
	if (n < 0)
		return -1;
	if (n == 0) {
		in->eof = 1;
		return 0;
	}
	if (!in->nonnul) {
		for (long i = 0; i < n && !in->nonnul; i++)
			in->nonnul = p[i] != 0;
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
	if (in->gzip)
		return in->raw_bytes - (in->raw_len - in->raw_pos);
	return in->bytes;
}
