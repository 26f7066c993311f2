/* loader: worker threads for the symbol side (see loader.h). A task is
 * one pthread, made for a table large enough to be worth it and joined
 * by the caller: no queue, no shared state but the thread count. */
#include <sched.h>
#include <unistd.h>
#include "symbols/loader.h"

static unsigned n_threads = 1;

void tk_loader_set_threads(unsigned n)
{
	n_threads = n ? n : 1;
}

unsigned tk_loader_threads(void)
{
	return n_threads;
}

unsigned tk_loader_cores(void)
{
	cpu_set_t set;
	if (sched_getaffinity(0, sizeof set, &set) == 0 && CPU_COUNT(&set) > 0)
		return (unsigned)CPU_COUNT(&set);
	long n = sysconf(_SC_NPROCESSORS_ONLN);
	return n > 0 ? (unsigned)n : 1;
}

static void *trampoline(void *p)
{
	struct tk_task *t = p;
	t->fn(t->arg);
	return NULL;
}

void tk_task_start(struct tk_task *t, void (*fn)(void *), void *arg)
{
	t->threaded = 0;
	t->fn = fn;
	t->arg = arg;
	if (n_threads > 1 && pthread_create(&t->th, NULL, trampoline, t) == 0) {
		t->threaded = 1;
		return;
	}
	fn(arg);
}

void tk_task_wait(struct tk_task *t)
{
	if (t->threaded)
		pthread_join(t->th, NULL);
	t->threaded = 0;
}
