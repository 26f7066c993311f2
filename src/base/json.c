/* json: the writer keeps one "first element" flag per depth so that
 * callers never deal with commas. */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "base/json.h"

void tk_json_init(struct tk_json *j, FILE *out, int pretty)
{
	memset(j, 0, sizeof *j);
	j->out = out;
	j->pretty = pretty;
	j->first[0] = 1;
}

static void indent(struct tk_json *j)
{
	fputc('\n', j->out);
	for (int i = 0; i < j->depth; i++)
		fputs("  ", j->out);
}

/* before any value: a comma and indentation as the container needs */
static void pre(struct tk_json *j)
{
	if (j->after_key) {
		j->after_key = 0;
		return;
	}
	if (j->depth > 0) {
		if (!j->first[j->depth])
			fputc(',', j->out);
		if (j->pretty)
			indent(j);
	}
	j->first[j->depth] = 0;
}

static void open(struct tk_json *j, int obj)
{
	pre(j);
	fputc(obj ? '{' : '[', j->out);
	if (j->depth + 1 < TK_JSON_MAX_DEPTH)
		j->depth++;
	j->first[j->depth] = 1;
	j->is_obj[j->depth] = (unsigned char)obj;
}

void tk_json_obj(struct tk_json *j)
{
	open(j, 1);
}

void tk_json_arr(struct tk_json *j)
{
	open(j, 0);
}

void tk_json_end(struct tk_json *j)
{
	int obj = j->is_obj[j->depth], empty = j->first[j->depth];
	if (j->depth > 0)
		j->depth--;
	if (j->pretty && !empty)
		indent(j);
	fputc(obj ? '}' : ']', j->out);
	if (j->depth == 0)
		fputc('\n', j->out);
}

void tk_json_key(struct tk_json *j, const char *key)
{
	pre(j);
	fputc('"', j->out);
	tk_json_escape(j->out, key, strlen(key));
	fputs(j->pretty ? "\": " : "\":", j->out);
	j->after_key = 1;
}

void tk_json_escape(FILE *out, const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0;
	while (i < n) {
		unsigned c = p[i];
		if (c == '"' || c == '\\') {
			fputc('\\', out);
			fputc((int)c, out);
			i++;
		} else if (c < 0x20) {
			switch (c) {
			case '\n': fputs("\\n", out); break;
			case '\r': fputs("\\r", out); break;
			case '\t': fputs("\\t", out); break;
			case '\b': fputs("\\b", out); break;
			case '\f': fputs("\\f", out); break;
			default: fprintf(out, "\\u%04x", c); break;
			}
			i++;
		} else if (c < 0x80) {
			fputc((int)c, out);
			i++;
		} else {
			/* a valid UTF-8 sequence passes, anything else is U+FFFD */
			size_t k = c >= 0xc2 && c < 0xe0 ? 1 : c >= 0xe0 && c < 0xf0 ? 2 : c >= 0xf0 && c < 0xf5 ? 3 : 0;
			int ok = k > 0;
			uint32_t cp = c & (k == 1 ? 0x1f : k == 2 ? 0x0f : 0x07);
			for (size_t m = 1; ok && m <= k; m++) {
				if (i + m >= n || (p[i + m] & 0xc0) != 0x80)
					ok = 0;
				else
					cp = cp << 6 | (p[i + m] & 0x3f);
			}
			if (ok && ((k == 2 && (cp < 0x800 || (cp >= 0xd800 && cp <= 0xdfff))) ||
				   (k == 3 && (cp < 0x10000 || cp > 0x10ffff))))
				ok = 0;
			if (ok) {
				fwrite(p + i, 1, k + 1, out);
				i += k + 1;
			} else {
				fputs("\xef\xbf\xbd", out);
				i++;
			}
		}
	}
}

void tk_json_strn(struct tk_json *j, const char *s, size_t n)
{
	pre(j);
	fputc('"', j->out);
	tk_json_escape(j->out, s, n);
	fputc('"', j->out);
}

void tk_json_str(struct tk_json *j, const char *s)
{
	tk_json_strn(j, s, strlen(s));
}

void tk_json_u64(struct tk_json *j, uint64_t v)
{
	pre(j);
	fprintf(j->out, "%llu", (unsigned long long)v);
}

void tk_json_i64(struct tk_json *j, int64_t v)
{
	pre(j);
	fprintf(j->out, "%lld", (long long)v);
}

void tk_json_dbl(struct tk_json *j, double v)
{
	pre(j);
	if (!isfinite(v)) {
		fputs("null", j->out);
		return;
	}
	if (v == floor(v) && fabs(v) < 1e15) {
		fprintf(j->out, "%.0f", v);
		return;
	}
	/* shortest text that reads back as the same double */
	char b[32];
	for (int prec = 6; prec <= 17; prec++) {
		snprintf(b, sizeof b, "%.*g", prec, v);
		if (strtod(b, NULL) == v)
			break;
	}
	fputs(b, j->out);
}

void tk_json_bool(struct tk_json *j, int v)
{
	pre(j);
	fputs(v ? "true" : "false", j->out);
}

void tk_json_null(struct tk_json *j)
{
	pre(j);
	fputs("null", j->out);
}
