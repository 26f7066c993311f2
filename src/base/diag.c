/* diag: the table of kinds and the sink on standard error. */
#include <stdlib.h>
#include "ticks.h"
#include "base/diag.h"
#include "base/escape.h"
#include "base/progress.h"
#include "base/util.h"

const struct tk_dkind_info tk_dkinds[TK_D_COUNT] = {
#define TK_DIAG_X(id, name, once) [TK_D_##id] = { name, TK_DFMT_##id, once },
	TK_DIAG_KINDS(TK_DIAG_X)
#undef TK_DIAG_X
};

static FILE *sink;
static unsigned long counts[TK_D_COUNT];

void tk_diag_sink(FILE *f)
{
	sink = f;
}

FILE *tk_diag_file(void)
{
	tk_progress_hide();
	return sink ? sink : stderr;
}

unsigned long tk_diag_count(enum tk_dkind k)
{
	return k >= 0 && k < TK_D_COUNT ? counts[k] : 0;
}

#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
void tk_warn(enum tk_dkind k, ...)
{
	if (k < 0 || k >= TK_D_COUNT)
		return;
	counts[k]++;
	va_list ap;
	va_start(ap, k);
	tk_esc_vprintf(tk_diag_file(), tk_dkinds[k].fmt, ap);
	va_end(ap);
}
#pragma GCC diagnostic pop

void tk_diag_vline(const char *path, unsigned long line, const char *fmt, va_list ap)
{
	FILE *f = tk_diag_file();
	tk_esc_printf(f, "ticks: %s:%lu: ", path, line);
	tk_esc_vprintf(f, fmt, ap);
	fputc('\n', f);
}

void tk_diagf(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	tk_esc_vprintf(tk_diag_file(), fmt, ap);
	va_end(ap);
}

/* tk_diag_print (ticks.h): a struct tk_diag, escaped */
void tk_diag_print(const struct tk_diag *d)
{
	if (d->file && d->line)
		TK_WARN(DIAG_AT, d->file, d->line, d->msg);
	else if (d->file)
		TK_WARN(DIAG_FILE, d->file, d->msg);
	else
		TK_WARN(DIAG, d->msg);
}

/* tk_diag_oom (util.h) */
void tk_diag_oom(void)
{
	fputs(TK_DFMT_OOM, sink ? sink : stderr);
	exit(TK_EXIT_SYSTEM);
}
