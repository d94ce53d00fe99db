/* The parallel-for of core/parallel.h on POSIX threads. */
#include "core/parallel.h"

#include <pthread.h>
#include <stdatomic.h>

typedef struct pool {
	ls_task_fn fn;
	void *arg;
	size_t ntasks;
	atomic_size_t next;
} pool_t;

static void *worker(void *p)
{
	pool_t *pl = p;
	for (;;) {
		size_t k = atomic_fetch_add(&pl->next, 1);
		if (k >= pl->ntasks)
			break;
		pl->fn(pl->arg, k);
	}
	return NULL;
}

void ls_parallel_run(int threads, void *(*fn)(void *), void *arg)
{
	pthread_t tid[255];
	int started = 0;
	if (threads > 256)
		threads = 256;
	for (int i = 1; i < threads; i++) {
		if (pthread_create(&tid[started], NULL, fn, arg) != 0)
			break;
		started++;
	}
	fn(arg);
	for (int i = 0; i < started; i++)
		pthread_join(tid[i], NULL);
}

void ls_parallel_for(int threads, size_t ntasks, ls_task_fn fn, void *arg)
{
	pool_t pl = {fn, arg, ntasks, 0};
	atomic_init(&pl.next, 0);
	ls_parallel_run((size_t)threads < ntasks ? threads : (int)ntasks, worker, &pl);
}

typedef struct range_job {
	ls_range_fn fn;
	void *arg;
	size_t n, ntasks;
} range_job_t;

static void range_task(void *p, size_t k)
{
	range_job_t *rj = p;
	size_t lo, hi;
	ls_slice(rj->n, rj->ntasks, k, &lo, &hi);
	rj->fn(rj->arg, k, lo, hi);
}

void ls_parallel_range(int threads, size_t n, size_t ntasks, ls_range_fn fn, void *arg)
{
	range_job_t rj = {fn, arg, n, ntasks};
	ls_parallel_for(threads, ntasks, range_task, &rj);
}
