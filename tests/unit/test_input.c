/* input: plain and gzip files read back as numbered lines. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>
#include "input/input.h"
#include "suites.h"

/* Writes data to a fresh temp file (gzip-compressed if gz); returns its
 * path (static storage per slot). */
static char *write_temp(int slot, const char *data, size_t n, int gz)
{
	static char paths[4][64];
	char *path = paths[slot];
	snprintf(path, sizeof paths[slot], "/tmp/tk_input_XXXXXX");
	int fd = mkstemp(path);
	ck_assert_int_ge(fd, 0);
	if (gz) {
		gzFile g = gzdopen(fd, "wb9");
		ck_assert_ptr_nonnull(g);
		size_t off = 0;
		while (off < n) {
			unsigned k = n - off > (1u << 30) ? 1u << 30 : (unsigned)(n - off);
			ck_assert_int_eq(gzwrite(g, data + off, k), (int)k);
			off += k;
		}
		ck_assert_int_eq(gzclose(g), Z_OK);
	} else {
		ck_assert_int_eq(write(fd, data, n), (ssize_t)n);
		close(fd);
	}
	return path;
}

struct got {
	char *line[16];
	size_t len[16];
	unsigned long lineno[16];
	int n;
	int last_r;
};

/* Reads every line of path (at most 16 kept). */
static void read_all(const char *path, struct got *g, struct tk_input *in)
{
	struct tk_diag d = { 0 };
	char *line;
	size_t len;
	int r;
	memset(g, 0, sizeof *g);
	ck_assert_int_eq(tk_input_open(in, path, &d), 0);
	while ((r = tk_input_next(in, &line, &len, &d)) > 0) {
		ck_assert_int_eq(line[len], 0);
		if (g->n < 16) {
			g->line[g->n] = malloc(len + 1);
			memcpy(g->line[g->n], line, len + 1);
			g->len[g->n] = len;
			g->lineno[g->n] = in->lineno;
		}
		g->n++;
	}
	g->last_r = r;
}

static void got_free(struct got *g)
{
	for (int i = 0; i < g->n && i < 16; i++)
		free(g->line[i]);
}

/* content -> expected lines (len0: length of the first one when it holds
 * a NUL), whether the last line is cut, and the text of the cut line */
static const struct {
	const char *data;
	size_t n;
	const char *want[8];
	int nwant;
	int cut;
	const char *cut_text;
	size_t len0;
} line_cases[] = {
	{ "a\nbb\nccc\n", 9, { "a", "bb", "ccc" }, 3, 0, "", 0 },
	{ "a\r\nbb\r\n", 7, { "a", "bb" }, 2, 0, "", 0 },
	{ "a\r\nb\nc\r\n", 8, { "a", "b", "c" }, 3, 0, "", 0 },            /* mixed */
	{ "a\r\r\n", 4, { "a\r" }, 1, 0, "", 0 },                            /* one \r stripped */
	{ "\r\n", 2, { "" }, 1, 0, "", 0 },
	{ "x\n\ny\n", 5, { "x", "", "y" }, 3, 0, "", 0 },                    /* empty line returned */
	{ "\n", 1, { "" }, 1, 0, "", 0 },
	{ "", 0, { 0 }, 0, 0, "", 0 },                                       /* empty file */
	{ "a\nb", 3, { "a" }, 1, 1, "b", 0 },                                /* cut last line */
	{ "tick,0x1,2", 10, { 0 }, 0, 1, "tick,0x1,2", 0 },                  /* only a cut line */
	{ "a\nb\r", 4, { "a" }, 1, 1, "b\r", 0 },
	{ "a\0b\nc\n", 6, { "a\0b", "c" }, 2, 0, "", 3 },                 /* NUL inside a line */
};

static void check_lines(int i, const struct got *g, const struct tk_input *in)
{
	ck_assert_int_eq(g->last_r, 0);
	ck_assert_int_eq(g->n, line_cases[i].nwant);
	for (int k = 0; k < g->n; k++) {
		const char *w = line_cases[i].want[k];
		size_t wn = k == 0 && line_cases[i].len0 ? line_cases[i].len0 : strlen(w);
		ck_assert_msg(g->len[k] == wn && memcmp(g->line[k], w, wn) == 0, "case %d line %d: '%s'", i, k,
			      g->line[k]);
		ck_assert_uint_eq(g->lineno[k], (unsigned long)k + 1);
	}
	ck_assert_int_eq(in->cut, line_cases[i].cut);
	if (line_cases[i].cut)
		ck_assert_str_eq(in->cut_text, line_cases[i].cut_text);
	ck_assert_uint_eq(in->bytes, line_cases[i].n);
	ck_assert_int_eq(in->cut_gzip, 0);
	ck_assert_uint_eq(in->long_lines, 0);
}

START_TEST(test_lines_plain)
{
	struct tk_input in;
	struct got g;
	char *path = write_temp(0, line_cases[_i].data, line_cases[_i].n, 0);
	read_all(path, &g, &in);
	check_lines(_i, &g, &in);
	ck_assert_int_eq(in.gzip, 0);
	ck_assert_uint_eq(in.file_size, line_cases[_i].n);
	tk_input_close(&in);
	got_free(&g);
	unlink(path);
}
END_TEST

START_TEST(test_lines_gzip)
{
	struct tk_input in;
	struct got g;
	char *path = write_temp(0, line_cases[_i].data, line_cases[_i].n, 1);
	read_all(path, &g, &in);
	check_lines(_i, &g, &in);
	if (line_cases[_i].n > 0)
		ck_assert_int_eq(in.gzip, 1);
	tk_input_close(&in);
	got_free(&g);
	unlink(path);
}
END_TEST

START_TEST(test_cut_text_capped)
{
	char data[300];
	memcpy(data, "ok\n", 3);
	memset(data + 3, 'z', sizeof data - 3);
	struct tk_input in;
	struct got g;
	char *path = write_temp(0, data, sizeof data, 0);
	read_all(path, &g, &in);
	ck_assert_int_eq(g.n, 1);
	ck_assert_int_eq(in.cut, 1);
	ck_assert_uint_eq(strlen(in.cut_text), sizeof in.cut_text - 1);
	ck_assert_int_eq(in.cut_text[0], 'z');
	tk_input_close(&in);
	got_free(&g);
	unlink(path);
}
END_TEST

/* numbered log text: "line <i> ...padding..." with varying lengths */
static char *make_log(int nlines, size_t *n)
{
	size_t cap = (size_t)nlines * 200 + 1, len = 0;
	char *s = malloc(cap);
	for (int i = 0; i < nlines; i++)
		len += (size_t)snprintf(s + len, cap - len, "tick,0x%x,%d,0,0x0,%d,%.*s\n", i * 7919, i, i % 8,
					i * 31 % 97, "0x7f0000000000,0x7f0000001111,0x7f0000002222,abcdefghijklmnopqrstuvwxyz0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ");
	*n = len;
	return s;
}

/* A cut gzip file: the lines before the cut come back intact and in
 * order, the end is reported as a cut stream (cut_gzip), never a crash.
 * Row: bytes kept (> 0: that many, < 0: the size minus that many, 0:
 * half) and the range of line counts expected. */
static const struct {
	long keep;
	int min_lines, max_lines;
} gz_cut_cases[] = {
	{ 0, 100, 19999 },      /* half the compressed bytes */
	{ 10, 0, 0 },           /* the gzip header alone */
	{ -4, 20000, 20000 },   /* all data, trailer (CRC, length) cut */
};

START_TEST(test_gzip_truncated)
{
	size_t n;
	char *log = make_log(20000, &n);
	char *path = write_temp(0, log, n, 1);
	struct stat st;
	ck_assert_int_eq(stat(path, &st), 0);
	long keep = gz_cut_cases[_i].keep;
	off_t size = keep == 0 ? st.st_size / 2 : keep > 0 ? keep : st.st_size + keep;
	ck_assert_int_eq(truncate(path, size), 0);
	struct tk_input in;
	struct tk_diag d = { 0 };
	char *line;
	size_t len;
	int r, k = 0, bad = 0;
	size_t off = 0;
	ck_assert_int_eq(tk_input_open(&in, path, &d), 0);
	while ((r = tk_input_next(&in, &line, &len, &d)) > 0) {
		const char *nl = memchr(log + off, '\n', n - off);
		if (!nl || (size_t)(nl - (log + off)) != len || memcmp(line, log + off, len) != 0) {
			bad = k + 1;
			break;
		}
		off = (size_t)(nl - log) + 1;
		k++;
	}
	ck_assert_msg(bad == 0, "line %d differs from what was written", bad);
	ck_assert_int_eq(r, 0);
	ck_assert_int_ge(k, gz_cut_cases[_i].min_lines);
	ck_assert_int_le(k, gz_cut_cases[_i].max_lines);
	ck_assert_int_eq(in.cut_gzip, 1);
	tk_input_close(&in);
	free(log);
	unlink(path);
}
END_TEST

/* A line of 5 MB (several buffer growths) comes back whole. */
START_TEST(test_very_long_line)
{
	size_t big = 5u << 20;
	size_t n = 6 + big + 1 + 6;
	char *data = malloc(n);
	memcpy(data, "first\n", 6);
	for (size_t i = 0; i < big; i++)
		data[6 + i] = (char)('a' + i % 23);
	data[6 + big] = '\n';
	memcpy(data + 6 + big + 1, "last\r\n", 6);
	char *path = write_temp(0, data, n, 0);
	struct tk_input in;
	struct tk_diag d = { 0 };
	char *line;
	size_t len;
	ck_assert_int_eq(tk_input_open(&in, path, &d), 0);
	ck_assert_int_eq(tk_input_next(&in, &line, &len, &d), 1);
	ck_assert_str_eq(line, "first");
	ck_assert_int_eq(tk_input_next(&in, &line, &len, &d), 1);
	ck_assert_uint_eq(len, big);
	ck_assert_int_eq(memcmp(line, data + 6, big), 0);
	ck_assert_uint_eq(in.lineno, 2);
	ck_assert_int_eq(tk_input_next(&in, &line, &len, &d), 1);
	ck_assert_str_eq(line, "last");
	ck_assert_int_eq(tk_input_next(&in, &line, &len, &d), 0);
	ck_assert_uint_eq(in.long_lines, 0);
	tk_input_close(&in);
	free(data);
	unlink(path);
}
END_TEST

/* Over-long lines (max_line set right after open) are skipped whole and
 * counted; line numbering and the following lines are unaffected.
 * Row: length of the long line. */
static const size_t long_lens[] = {
	(3u << 20) / 2,  /* 1.5 MiB: longer than the first read buffer */
	5000,            /* fits the buffer: skipped all the same */
	1001,            /* one past the cap */
};

START_TEST(test_long_line_skipped)
{
	size_t big = long_lens[_i];
	size_t n = 7 + big + 1 + 11;
	char *data = malloc(n);
	memcpy(data, "short1\n", 7);
	memset(data + 7, 'x', big);
	data[7 + big] = '\n';
	memcpy(data + 8 + big, "short2\nend\n", 11);
	char *path = write_temp(0, data, n, 0);
	struct tk_input in;
	struct tk_diag d = { 0 };
	char *line;
	size_t len;
	ck_assert_int_eq(tk_input_open(&in, path, &d), 0);
	in.max_line = 1000;
	ck_assert_int_eq(tk_input_next(&in, &line, &len, &d), 1);
	ck_assert_str_eq(line, "short1");
	ck_assert_int_eq(tk_input_next(&in, &line, &len, &d), 1);
	ck_assert_msg(len <= 1000, "a %zu-byte line came back with max_line 1000", len);
	ck_assert_str_eq(line, "short2");
	ck_assert_uint_eq(in.lineno, 3); /* the skipped line keeps its number */
	ck_assert_int_eq(tk_input_next(&in, &line, &len, &d), 1);
	ck_assert_str_eq(line, "end");
	ck_assert_int_eq(tk_input_next(&in, &line, &len, &d), 0);
	ck_assert_uint_eq(in.long_lines, 1);
	ck_assert_int_eq(in.cut, 0);
	tk_input_close(&in);
	free(data);
	unlink(path);
}
END_TEST

START_TEST(test_open_directory)
{
	struct tk_input in;
	struct tk_diag d = { 0 };
	ck_assert_int_eq(tk_input_open(&in, "/tmp", &d), -1);
	ck_assert_ptr_nonnull(d.file);
	ck_assert_str_eq(d.file, "/tmp");
	ck_assert_str_ne(d.msg, "");
	ck_assert_ptr_nonnull(strstr(d.msg, "directory"));
	ck_assert_int_eq(d.code, TK_EXIT_INPUT);
}
END_TEST

START_TEST(test_open_missing)
{
	const char *path = "/tmp/tk_input_no_such_file_4711.log";
	unlink(path);
	struct tk_input in;
	struct tk_diag d = { 0 };
	ck_assert_int_eq(tk_input_open(&in, path, &d), -1);
	ck_assert_ptr_nonnull(d.file);
	ck_assert_str_eq(d.file, path);
	ck_assert_ptr_nonnull(strstr(d.msg, strerror(ENOENT)));
	ck_assert_int_ne(d.code, 0);
}
END_TEST

/* "-" reads standard input (a gzip stream there too). */
START_TEST(test_stdin)
{
	static const char text[] = "v8-version,11,3,244,8,-node.38,0\ntick,0x1,2,0,0x0,6\n";
	char *path = write_temp(1, text, sizeof text - 1, 1);
	int saved = dup(0);
	int fd = open(path, O_RDONLY);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(dup2(fd, 0), 0);
	close(fd);
	struct got g;
	struct tk_input in;
	read_all("-", &g, &in);
	dup2(saved, 0);
	close(saved);
	ck_assert_int_eq(g.n, 2);
	ck_assert_str_eq(g.line[1], "tick,0x1,2,0,0x0,6");
	ck_assert_int_eq(in.gzip, 1);
	tk_input_close(&in);
	got_free(&g);
	unlink(path);
}
END_TEST

/* Two gzip members then plain bytes: both members' lines, the trailing
 * bytes counted (not returned), as gzip -d reads such a file. */
START_TEST(test_gzip_members_trailing)
{
	char *p1 = write_temp(0, "a\nb\n", 4, 1);
	char *p2 = write_temp(1, "c\n", 2, 1);
	char cat[64];
	snprintf(cat, sizeof cat, "/tmp/tk_input_cat_XXXXXX");
	int fd = mkstemp(cat);
	ck_assert_int_ge(fd, 0);
	char buf[256];
	for (int k = 0; k < 2; k++) {
		int in_fd = open(k ? p2 : p1, O_RDONLY);
		ssize_t n = read(in_fd, buf, sizeof buf);
		ck_assert_int_gt(n, 0);
		ck_assert_int_eq(write(fd, buf, (size_t)n), n);
		close(in_fd);
	}
	ck_assert_int_eq(write(fd, "tick,1\n", 7), 7);
	close(fd);
	struct got g;
	struct tk_input in;
	read_all(cat, &g, &in);
	ck_assert_int_eq(g.last_r, 0);
	ck_assert_int_eq(g.n, 3);
	ck_assert_str_eq(g.line[2], "c");
	ck_assert_uint_eq(in.trailing, 7);
	ck_assert_int_eq(in.gzip, 1);
	ck_assert_int_eq(in.cut_gzip, 0);
	tk_input_close(&in);
	got_free(&g);
	unlink(p1);
	unlink(p2);
	unlink(cat);
}
END_TEST

/* Other compressors: refused by magic bytes at the first read. */
static const struct {
	const char *magic;
	size_t n;
	const char *name;
} magic_cases[] = {
	{ "\xfd" "7zXZ\0\0\4\n", 9, "xz" },
	{ "\x28\xb5\x2f\xfd\n", 5, "zstd" },
	{ "BZh91AY&SY\n", 11, "bzip2" },
	{ "\x04\x22\x4d\x18\n", 5, "lz4" },
	{ "\x1f\x9d\x90\n", 4, "compress" },
};

START_TEST(test_other_compressors)
{
	char *path = write_temp(0, magic_cases[_i].magic, magic_cases[_i].n, 0);
	struct tk_input in;
	struct tk_diag d = { 0 };
	char *line;
	size_t len;
	ck_assert_int_eq(tk_input_open(&in, path, &d), 0);
	ck_assert_int_eq(tk_input_next(&in, &line, &len, &d), -1);
	ck_assert_int_eq(d.code, TK_EXIT_INPUT);
	char want[64];
	snprintf(want, sizeof want, "compressed with %s,", magic_cases[_i].name);
	ck_assert_msg(strstr(d.msg, want) != NULL, "'%s'", d.msg);
	tk_input_close(&in);
	unlink(path);
}
END_TEST

/* "BZh9" followed by text is a plain line, not bzip2. */
START_TEST(test_bzh_text)
{
	struct got g;
	struct tk_input in;
	char *path = write_temp(0, "BZh9 text\n", 10, 0);
	read_all(path, &g, &in);
	ck_assert_int_eq(g.n, 1);
	ck_assert_int_eq(in.nonnul, 1);
	tk_input_close(&in);
	got_free(&g);
	unlink(path);
}
END_TEST

/* A pipe spooled once reads whole twice. */
START_TEST(test_spool_pipe)
{
	int p[2];
	ck_assert_int_eq(pipe(p), 0);
	ck_assert_int_eq(write(p[1], "x\ny\n", 4), 4);
	close(p[1]);
	static char path[32];
	snprintf(path, sizeof path, "/dev/fd/%d", p[0]);
	struct tk_diag d = { 0 };
	ck_assert_int_eq(tk_input_spool(path, &d), 0);
	for (int k = 0; k < 2; k++) {
		struct got g;
		struct tk_input in;
		read_all(path, &g, &in);
		ck_assert_int_eq(g.n, 2);
		ck_assert_str_eq(g.line[1], "y");
		tk_input_close(&in);
		got_free(&g);
	}
	close(p[0]);
}
END_TEST

#define N_OF(a) ((int)(sizeof(a) / sizeof *(a)))

Suite *tk_suite_input(void)
{
	Suite *s = suite_create("input");
	TCase *tc = tcase_create("lines");
	tcase_add_loop_test(tc, test_lines_plain, 0, N_OF(line_cases));
	tcase_add_loop_test(tc, test_lines_gzip, 0, N_OF(line_cases));
	tcase_add_test(tc, test_cut_text_capped);
	tcase_add_test(tc, test_stdin);
	suite_add_tcase(s, tc);
	tc = tcase_create("big");
	tcase_add_loop_test(tc, test_gzip_truncated, 0, N_OF(gz_cut_cases));
	tcase_add_test(tc, test_very_long_line);
	tcase_add_loop_test(tc, test_long_line_skipped, 0, N_OF(long_lens));
	tcase_set_timeout(tc, 60);
	suite_add_tcase(s, tc);
	tc = tcase_create("errors");
	tcase_add_test(tc, test_open_directory);
	tcase_add_test(tc, test_open_missing);
	tcase_add_test(tc, test_gzip_members_trailing);
	tcase_add_loop_test(tc, test_other_compressors, 0, N_OF(magic_cases));
	tcase_add_test(tc, test_bzh_text);
	tcase_add_test(tc, test_spool_pipe);
	suite_add_tcase(s, tc);
	return s;
}
