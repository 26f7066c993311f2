/* out_preprocess: writes the builder's document (preprocess.h) the way
 * JsonProfile.writeJson does: "{", then "code", "functions" and
 * "scripts" each as JSON.stringify(value, null, 2) and "ticks" one
 * JSON.stringify per tick, every piece indented from column 0. Numbers
 * are printed as JavaScript prints them (Number::toString; NaN -> null).
 *
 * With symbols (ticks' default) the "code" array holds a CPP element only
 * for each C++ symbol some tick hit, made when it was first hit; the
 * reference lists every symbol nm prints for every library, before any
 * JIT code. Ids stay consistent (every id in "ticks" indexes "code"), so
 * consumers (speedscope, 0x, profview) read both the same way. */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "out/export.h"
#include "preprocess/preprocess.h"

/* The digits of a finite double as JavaScript's Number::toString. */
static size_t js_number(char *b, double v)
{
	if (v != v || isinf(v)) {
		memcpy(b, "null", 4);
		return 4;
	}
	if (v == 0) {
		b[0] = '0';
		return 1;
	}
	if (fabs(v) < 9007199254740992.0 && v == floor(v)) {
		char t[24];
		size_t n = 0, k = 0;
		uint64_t x = (uint64_t)fabs(v);
		do
			t[n++] = (char)('0' + x % 10);
		while (x /= 10);
		if (v < 0)
			b[k++] = '-';
		while (n)
			b[k++] = t[--n];
		return k;
	}
	/* shortest digits that read back as v */
	char t[40];
	for (int prec = 1; prec <= 17; prec++) {
		snprintf(t, sizeof t, "%.*e", prec - 1, v);
		if (strtod(t, NULL) == v)
			break;
	}
	char dig[24];
	size_t nd = 0, k = 0;
	const char *s = t;
	int neg = *s == '-';
	if (neg)
		s++;
	for (; *s && *s != 'e'; s++)
		if (*s >= '0' && *s <= '9')
			dig[nd++] = *s;
	int e = atoi(s + 1);
	while (nd > 1 && dig[nd - 1] == '0')
		nd--;
	int n = e + 1, kd = (int)nd;
	if (neg)
		b[k++] = '-';
	if (kd <= n && n <= 21) {
		memcpy(b + k, dig, nd), k += nd;
		for (int i = kd; i < n; i++)
			b[k++] = '0';
	} else if (0 < n && n <= 21) {
		memcpy(b + k, dig, (size_t)n), k += (size_t)n;
		b[k++] = '.';
		memcpy(b + k, dig + n, nd - (size_t)n), k += nd - (size_t)n;
	} else if (-6 < n && n <= 0) {
		b[k++] = '0';
		b[k++] = '.';
		for (int i = 0; i < -n; i++)
			b[k++] = '0';
		memcpy(b + k, dig, nd), k += nd;
	} else {
		b[k++] = dig[0];
		if (nd > 1) {
			b[k++] = '.';
			memcpy(b + k, dig + 1, nd - 1), k += nd - 1;
		}
		k += (size_t)sprintf(b + k, "e%c%d", n - 1 < 0 ? '-' : '+', abs(n - 1));
	}
	return k;
}

static void num(FILE *out, double v)
{
	char b[48];
	fwrite(b, 1, js_number(b, v), out);
}

static void str(FILE *out, struct tk_pre_str s)
{
	putc('"', out);
	fwrite(s.s, 1, s.n, out);
	putc('"', out);
}

/* `<indent>"key": ` */
static void key(FILE *out, int indent, const char *k)
{
	fprintf(out, "%*s\"%s\": ", indent, "", k);
}

static void key_num(FILE *out, int indent, const char *k, double v, int last)
{
	key(out, indent, k);
	num(out, v);
	fputs(last ? "\n" : ",\n", out);
}

static void key_str(FILE *out, int indent, const char *k, struct tk_pre_str v, int last)
{
	key(out, indent, k);
	str(out, v);
	fputs(last ? "\n" : ",\n", out);
}

static void write_source(FILE *out, const struct tk_pre_source *s, int last)
{
	fputs("    \"source\": {\n", out);
	key_num(out, 6, "script", s->script, 0);
	key_num(out, 6, "start", s->start, 0);
	key_num(out, 6, "end", s->end, 0);
	key_str(out, 6, "positions", s->positions, 0);
	key_str(out, 6, "inlined", s->inlined, 0);
	key(out, 6, "fns");
	if (!s->n_fns) {
		fputs("[]\n", out);
	} else {
		fputs("[\n", out);
		for (uint32_t i = 0; i < s->n_fns; i++) {
			fputs("        ", out);
			if (s->fns[i] < 0)
				fputs("null", out);
			else
				fprintf(out, "%d", s->fns[i]);
			fputs(i + 1 < s->n_fns ? ",\n" : "\n", out);
		}
		fputs("      ]\n", out);
	}
	fputs(last ? "    }\n" : "    },\n", out);
}

static void write_deopt(FILE *out, const struct tk_pre_deopt *dp, int last)
{
	fputs("    \"deopt\": {\n", out);
	int more = dp->has_pos_text || dp->has_reason || dp->has_bailout;
	key_num(out, 6, "tm", dp->tm, 0);
	key_num(out, 6, "inliningId", dp->inlining_id, 0);
	key_num(out, 6, "scriptOffset", dp->script_offset, !more);
	if (dp->has_pos_text)
		key_str(out, 6, "posText", dp->pos_text, !dp->has_reason && !dp->has_bailout);
	if (dp->has_reason)
		key_str(out, 6, "reason", dp->reason, !dp->has_bailout);
	if (dp->has_bailout)
		key_str(out, 6, "bailoutType", dp->bailout, 1);
	fputs(last ? "    }\n" : "    },\n", out);
}

static void write_code(FILE *out, const struct tk_pre *p)
{
	static const char *const type[] = { "SHARED_LIB", "CPP", "CODE", "JS" };
	if (!p->n_code) {
		fputs("[]", out);
		return;
	}
	fputs("[\n", out);
	for (size_t i = 0; i < p->n_code; i++) {
		const struct tk_pre_code *c = &p->code[i];
		int tail = c->source || c->deopt;
		fputs("  {\n", out);
		key_str(out, 4, "name", c->name, 0);
		switch (c->type) {
		case TK_PRE_CODE:
			key_num(out, 4, "timestamp", c->time, 0);
			fprintf(out, "    \"type\": \"%s\",\n", type[c->type]);
			key_str(out, 4, "kind", c->kind, !tail);
			break;
		case TK_PRE_JS:
			fprintf(out, "    \"type\": \"%s\",\n", type[c->type]);
			key_str(out, 4, "kind", c->kind, 0);
			key_num(out, 4, "func", c->func, 0);
			key_num(out, 4, "tm", c->time, !tail);
			break;
		default:
			fprintf(out, "    \"type\": \"%s\"%s\n", type[c->type], tail ? "," : "");
			break;
		}
		if (c->deopt_first) {
			if (c->deopt)
				write_deopt(out, c->deopt, !c->source);
			if (c->source)
				write_source(out, c->source, 1);
		} else {
			if (c->source)
				write_source(out, c->source, !c->deopt);
			if (c->deopt)
				write_deopt(out, c->deopt, 1);
		}
		fputs(i + 1 < p->n_code ? "  },\n" : "  }\n", out);
	}
	fputs("]", out);
}

static void write_funcs(FILE *out, const struct tk_pre *p)
{
	if (!p->n_funcs) {
		fputs("[]", out);
		return;
	}
	fputs("[\n", out);
	for (size_t i = 0; i < p->n_funcs; i++) {
		const struct tk_pre_func *fn = &p->funcs[i];
		fputs("  {\n", out);
		key_str(out, 4, "name", fn->name, 0);
		key(out, 4, "codes");
		if (!fn->n_codes) {
			fputs("[]\n", out);
		} else {
			fputs("[\n", out);
			for (uint32_t k = 0; k < fn->n_codes; k++)
				fprintf(out, "      %u%s\n", fn->codes[k], k + 1 < fn->n_codes ? "," : "");
			fputs("    ]\n", out);
		}
		fputs(i + 1 < p->n_funcs ? "  },\n" : "  }\n", out);
	}
	fputs("]", out);
}

static void write_ticks(FILE *out, const struct tk_pre *p)
{
	struct tk_pre_tick_iter it;
	struct tk_pre_frame *fr = NULL;
	size_t cap = 0, n;
	double tm, vm;
	char b[48];
	tk_pre_ticks_begin(p, &it);
	uint64_t left = p->n_ticks;
	while (tk_pre_ticks_next(&it, &tm, &vm, &fr, &cap, &n)) {
		fputs("    {\n  \"tm\": ", out);
		num(out, tm);
		fputs(",\n  \"vm\": ", out);
		num(out, vm);
		if (!n) {
			fputs(",\n  \"s\": []\n}", out);
		} else {
			fputs(",\n  \"s\": [\n", out);
			for (size_t i = 0; i < n; i++) {
				size_t k = 0;
				if (fr[i].id < 0) {
					memcpy(b, "    -1,\n    ", 12);
					k = 12;
				} else {
					memcpy(b, "    ", 4);
					k = 4 + js_number(b + 4, fr[i].id);
					memcpy(b + k, ",\n    ", 6);
					k += 6;
				}
				fwrite(b, 1, k, out);
				num(out, fr[i].value);
				fputs(i + 1 < n ? ",\n" : "\n", out);
			}
			fputs("  ]\n}", out);
		}
		fputs(--left ? ",\n" : "\n", out);
	}
	free(fr);
}

/* n entries "  null,\n" (ids with no script: a log's ids can be sparse,
 * and a hostile one asks for millions of them) */
static void write_nulls(FILE *out, size_t n)
{
	static const char entry[] = "  null,\n";
	static char block[512 * (sizeof entry - 1)];
	if (!block[0])
		for (size_t k = 0; k < 512; k++)
			memcpy(block + k * (sizeof entry - 1), entry, sizeof entry - 1);
	while (n) {
		size_t m = n < 512 ? n : 512;
		fwrite(block, sizeof entry - 1, m, out);
		n -= m;
	}
}

static void write_scripts(FILE *out, const struct tk_pre *p)
{
	if (!p->n_scripts) {
		fputs("[]", out);
		return;
	}
	fputs("[\n", out);
	for (size_t i = 0; i < p->n_scripts; i++) {
		const struct tk_pre_script *s = p->scripts[i];
		const char *sep = i + 1 < p->n_scripts ? ",\n" : "\n";
		if (!s) {
			size_t j = i;
			while (j + 1 < p->n_scripts && !p->scripts[j])
				j++; /* the run of nulls before the last entry */
			write_nulls(out, j - i);
			i = j - 1;
			if (j + 1 == p->n_scripts && !p->scripts[j]) { /* (the last id always has a script) */
				fputs("  null\n", out);
				i = j;
			}
			continue;
		}
		fputs("  {\n", out);
		key_str(out, 4, "url", s->url, 0);
		if (s->has_source)
			key_str(out, 4, "source", s->source, 0);
		key_str(out, 4, "name", s->name, 0);
		fputs("    \"lineToColumn\": {},\n    \"_entries\": [],\n"
		      "    \"_sourceMapState\": \"unknown\",\n", out);
		key_num(out, 4, "id", s->id, 0);
		fputs("    \"sourcePositions\": []\n", out);
		fprintf(out, "  }%s", sep);
	}
	fputs("]", out);
}

int tk_export_preprocess(FILE *out, const struct tk_export *x, struct tk_diag *d)
{
	if (x->n != 1) {
		tk_diag_set(d, TK_EXIT_USAGE, "preprocess takes one log (or use -o FILE-%%i.json)");
		return -1;
	}
	const struct tk_pre *p = x->isos[0]->pre;
	if (!p) {
		tk_diag_set(d, TK_EXIT_USAGE, "the log was not read for --format=preprocess");
		return -1;
	}
	fputs("{\n  \"code\": ", out);
	write_code(out, p);
	fputs(",\n  \"functions\": ", out);
	write_funcs(out, p);
	fputs(",\n  \"ticks\": [\n", out);
	write_ticks(out, p);
	fputs("  ],\n  \"scripts\": ", out);
	write_scripts(out, p);
	fputs("}\n", out);
	if (ferror(out)) {
		tk_diag_set(d, TK_EXIT_SYSTEM, "error writing the preprocess document");
		return -1;
	}
	return 0;
}
