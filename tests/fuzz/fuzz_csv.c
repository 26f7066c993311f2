/* fuzz_csv: the CSV splitter (plain and Node 6/8 quoted fields, and the
 * bounded split used for tick lines) and the escape decoder on every
 * field (in each dialect); the number parsers on every field too. The
 * first byte picks the mode. The decoded text, escaped for a text output
 * (escape.h), must hold no control byte. */
#include <stdlib.h>
#include <string.h>
#include "input/csv.h"
#include "base/escape.h"
#include "fuzz.h"
#include "base/util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	unsigned mode = data[0];
	size_t n = size - 1;
	/* a heap copy of exactly the line: the splitter may not read past it */
	char *line = malloc(n ? n : 1);
	if (!line)
		return 0;
	memcpy(line, data + 1, n);
	struct tk_fields f = {0};
	if (mode & 1)
		tk_csv_split_max(&f, line, n, 1 + (mode >> 1) % 8);
	else
		tk_csv_split(&f, line, n, (mode & 2) != 0);
	if (f.count < 1 || f.count > TK_CSV_MAX_FIELDS)
		abort();
	struct tk_buf b = {0};
	for (size_t i = 0; i < f.count; i++) {
		if (f.s[i] < line || f.s[i] + f.n[i] > line + n)
			abort();
		tk_buf_reset(&b);
		tk_csv_unescape_as(f.s[i], f.n[i], (int)(mode >> 4) % 3, &b);
		struct tk_buf e = {0};
		tk_esc_buf(&e, b.p ? b.p : "", b.len, mode & 8 ? TK_ESC_FOLDED : 0);
		for (size_t k = 0; k < e.len; k++)
			if ((unsigned char)e.p[k] < 0x20 || e.p[k] == 0x7f || ((mode & 8) && e.p[k] == ';'))
				abort();
		tk_buf_free(&e);
		uint64_t u;
		int64_t v;
		tk_parse_u64(f.s[i], f.n[i], &u);
		tk_parse_i64(f.s[i], f.n[i], &v);
	}
	tk_field_is(&f, 0, "tick");
	/* the decoder on the raw bytes too (escapes cut at any point) */
	tk_buf_reset(&b);
	tk_csv_unescape(line, n, &b);
	tk_buf_free(&b);
	tk_csv_free(&f);
	free(line);
	return 0;
}
