/*
 * A minimal parallel-for: `ntasks` independent tasks run on up to `threads`
 * threads (the caller's thread is one of them). Tasks are handed out in
 * index order but may finish in any order, so a task must write only its
 * own outputs; callers merge the per-task results in task order, which
 * keeps every result independent of the thread count.
 */
#ifndef LS_CORE_PARALLEL_H
#define LS_CORE_PARALLEL_H

#include <stddef.h>

/* Runs fn(arg) on `threads` threads (the caller's included; fewer when
 * threads cannot be created) and returns when all have returned. For
 * workers that take their own work from a shared queue. */
void ls_parallel_run(int threads, void *(*fn)(void *), void *arg);

typedef void (*ls_task_fn)(void *arg, size_t task);

/* Runs fn(arg, 0) .. fn(arg, ntasks - 1). When threads cannot be started
 * the remaining tasks run on the calling thread: never fails. */
void ls_parallel_for(int threads, size_t ntasks, ls_task_fn fn, void *arg);

typedef void (*ls_range_fn)(void *arg, size_t task, size_t lo, size_t hi);

/* Runs fn(arg, k, lo, hi) over `ntasks` equal slices [lo, hi) of [0, n). */
void ls_parallel_range(int threads, size_t n, size_t ntasks, ls_range_fn fn, void *arg);

/* Task k of `ntasks` equal slices of [0, n): sets [*lo, *hi). */
static inline void ls_slice(size_t n, size_t ntasks, size_t k, size_t *lo, size_t *hi)
{
	size_t q = n / ntasks, r = n % ntasks;
	*lo = q * k + r * k / ntasks;
	*hi = q * (k + 1) + r * (k + 1) / ntasks;
}

/* Per-task counts at[0..n) to each task's first position (tasks in
 * order); returns the total. */
static inline size_t ls_counts_to_offsets(size_t *at, size_t n)
{
	size_t sum = 0;
	for (size_t k = 0; k < n; k++) {
		size_t t = at[k];
		at[k] = sum;
		sum += t;
	}
	return sum;
}

#endif
