/* merge: several logs summed into one isolate for the reports (merge.h). */
#include <stdlib.h>
#include <string.h>
#include "ingest/merge.h"
#include "base/util.h"

void tk_merge_init(struct tk_merge *m, const struct tk_opts *opts, struct tk_names *names,
		   struct tk_elfcache *cache)
{
	memset(m, 0, sizeof *m);
	tk_isolate_init(&m->iso, "", opts, names, cache);
}

/* dst's number of each of src's VM state numbers: by kind where both
 * logs have it, else the number itself */
static void state_map(const struct tk_isolate *dst, const struct tk_isolate *src, int map[TK_VM_STATES])
{
	for (int k = 0; k < TK_VM_STATES; k++)
		map[k] = k;
	for (int s = 0; s < TK_VM_COUNT; s++) {
		int from = src->state_num[s], to = dst->state_num[s];
		if (from >= 0 && from < TK_VM_STATES - 1 && to >= 0 && to < TK_VM_STATES - 1)
			map[from] = to;
	}
}

void tk_merge_add(struct tk_merge *m, const struct tk_isolate *iso)
{
	struct tk_isolate *d = &m->iso;
	if (m->n == 0) {
		memcpy(d->state_num, iso->state_num, sizeof d->state_num);
		memcpy(d->v8, iso->v8, sizeof d->v8);
		d->have_version = iso->have_version;
		memcpy(d->v8_text, iso->v8_text, sizeof d->v8_text);
		memcpy(d->platform, iso->platform, sizeof d->platform);
		d->interval_us = iso->interval_us;
	} else {
		m->version_differs |= strcmp(d->v8_text, iso->v8_text) != 0;
		m->platform_differs |= strcmp(d->platform, iso->platform) != 0;
		m->interval_differs |= d->interval_us != iso->interval_us;
	}
	int map[TK_VM_STATES];
	state_map(d, iso, map);
	tk_profile_merge(&d->prof, &iso->prof, map);
	for (int k = 0; k < TK_W_COUNT; k++) {
		if (iso->warn[k].count && !d->warn[k].count)
			d->warn[k].first_line = iso->warn[k].first_line;
		d->warn[k].count += iso->warn[k].count;
	}
	d->frames_over_cap += iso->frames_over_cap;
	d->truncated_gzip |= iso->truncated_gzip;
	d->lines += iso->lines;
	d->events += iso->events;
	tk_xgrow((void **)&m->paths, &m->cap, m->n + 1, sizeof *m->paths);
	m->ticks = tk_xrealloc(m->ticks, m->cap * sizeof *m->ticks);
	size_t len = strlen(iso->path);
	m->paths[m->n] = memcpy(tk_xmalloc(len + 1), iso->path, len + 1);
	m->ticks[m->n++] = iso->prof.total;
}

const struct tk_isolate *tk_merge_result(struct tk_merge *m)
{
	struct tk_isolate *d = &m->iso;
	if (m->version_differs)
		d->v8_text[0] = 0;
	if (m->platform_differs)
		d->platform[0] = 0;
	if (m->interval_differs)
		d->interval_us = 0;
	/* "3 logs (a, b, c)"; past 4 names "12 logs (a, b, c, d, and 8 more)" */
	struct tk_buf b = {0};
	tk_buf_printf(&b, "%zu log%s (", m->n, m->n == 1 ? "" : "s");
	for (size_t i = 0; i < m->n && i < 4; i++)
		tk_buf_printf(&b, "%s%s", i ? ", " : "", m->paths[i]);
	if (m->n > 4)
		tk_buf_printf(&b, ", and %zu more", m->n - 4);
	tk_buf_addc(&b, ')');
	free(m->title);
	m->title = b.p;
	d->path = m->title;
	return d;
}

void tk_merge_release(struct tk_merge *m)
{
	tk_isolate_release(&m->iso);
	for (size_t i = 0; i < m->n; i++)
		free(m->paths[i]);
	free(m->paths);
	free(m->ticks);
	free(m->title);
	memset(m, 0, sizeof *m);
}
