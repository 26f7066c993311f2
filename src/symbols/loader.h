/*
 * loader: the worker threads of the symbol side. A large symbol table is
 * read and sorted in parts, one part on a worker while the caller does
 * another; the parts are joined in a fixed order, so what comes out does
 * not depend on the thread count or on timing (1 thread: everything runs
 * on the caller, as before threads existed).
 *
 * Invariants: tk_loader_set_threads is called (by main) before any work;
 * a task started is waited for exactly once; a task's function touches
 * only what its argument gives it.
 *
 *     tk_loader_set_threads(2);
 *     struct tk_task t; tk_task_start(&t, fn, arg);   // fn(arg) on a worker
 *     ...the caller's share...
 *     tk_task_wait(&t);                               // fn(arg) has returned
 */
#ifndef TK_LOADER_H
#define TK_LOADER_H

#include <pthread.h>

/* Threads the symbol side may use, 1 or more (0 counts as 1). */
void tk_loader_set_threads(unsigned n);
unsigned tk_loader_threads(void);
/* The cores this process may run on (sched_getaffinity), at least 1. */
unsigned tk_loader_cores(void);

struct tk_task {
	pthread_t th;
	void (*fn)(void *);
	void *arg;
	int threaded;   /* 0: fn already ran on the caller */
};

/* Runs fn(arg) on a new worker thread when more than one thread is
 * allowed (and one can be made), else right here. */
void tk_task_start(struct tk_task *t, void (*fn)(void *), void *arg);
/* Returns once fn(arg) has returned; what it wrote is then visible. */
void tk_task_wait(struct tk_task *t);

#endif
