/* progress: the "\r" line. Time is asked of the clock only when the
 * caller updates (every few thousand lines), never per line. */
#include <string.h>
#include <time.h>
#include "base/escape.h"
#include "base/progress.h"

/* the progress under way (one line on one stream: at most one) */
static struct tk_progress *active;

void tk_progress_init(struct tk_progress *p, FILE *f, const char *path, int on)
{
	memset(p, 0, sizeof *p);
	p->f = f;
	p->path = path;
	p->on = on;
	p->last = -1;
	if (on)
		active = p;
}

static void erase(struct tk_progress *p)
{
	if (!p->on || !p->shown)
		return;
	fprintf(p->f, "\r%*s\r", (int)p->shown, "");
	fflush(p->f);
	p->shown = 0;
}

void tk_progress_hide(void)
{
	if (active)
		erase(active);
}

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

void tk_progress_update(struct tk_progress *p, uint64_t done, uint64_t total, uint64_t ticks)
{
	if (!p->on)
		return;
	double t = now();
	if (p->last >= 0 && t - p->last < 0.1)
		return;
	p->last = t;
	char line[256];
	int n;
	struct tk_buf path = { 0 }; /* the path escaped (escape.h): it may hold control characters */
	tk_esc_buf(&path, p->path, strlen(p->path), 0);
	if (total && done <= total)
		n = snprintf(line, sizeof line, "ticks: %s: %3.0f%% of %.1f MB, %llu ticks", path.p,
			     100.0 * (double)done / (double)total, (double)total / 1e6,
			     (unsigned long long)ticks);
	else
		n = snprintf(line, sizeof line, "ticks: %s: %.1f MB, %llu ticks", path.p,
			     (double)done / 1e6, (unsigned long long)ticks);
	tk_buf_free(&path);
	if (n < 0)
		return;
	size_t len = (size_t)n < sizeof line ? (size_t)n : sizeof line - 1;
	/* pad over what a longer previous line left */
	fprintf(p->f, "\r%s%*s", line, p->shown > len ? (int)(p->shown - len) : 0, "");
	fflush(p->f);
	if (len > p->shown)
		p->shown = len;
}

void tk_progress_end(struct tk_progress *p)
{
	erase(p);
	if (active == p)
		active = NULL;
}
