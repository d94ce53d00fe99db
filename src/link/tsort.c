/*
 * Sorting one behaviour's traces by (object, time), stably: the link
 * stage's first step and its biggest cost before this file (two LSD radix
 * sorts of 16-byte records over a 64-bit object hash and the time, 9 to 11
 * passes through memory, a merge per sort on two threads and a gather).
 *
 * Objects are 64-bit hashes, so their top bits spread the traces evenly.
 * One pass counts the traces inside the analysed period per bucket of the
 * top varying object bits (about 1,000 traces a bucket, at most 1,024
 * buckets so that the copy writes to few places at once); a second copies
 * each trace, with its shifted time, straight into its bucket of the
 * output. Both passes run on input chunks on several threads; the chunk
 * offsets keep the copy stable. Every bucket is then small enough to sort
 * in cache, on any thread: an MSD radix step on the next varying object
 * bits, recursively, insertion sort for runs of a few traces, and an LSD
 * radix sort by time for the traces of one object. Each step is stable, so
 * equal (object, time) keep the input order, and the output does not
 * depend on the number of threads.
 *
 * Time O(T) passes through memory twice plus in-cache work; memory: the
 * output, 8 bytes per bucket and chunk, and scratch of the largest bucket.
 */
#include "link/tsort.h"
#include "core/parallel.h"

#include <stdlib.h>
#include <string.h>

#define CHUNKS_MAX 16
#define TASKS_MAX 128
#define SMALL 24         /* insertion sort at or below this many traces */
#define RUN_BITS 11      /* widest MSD digit inside a bucket */
#define BUCKET_TRACES 1024 /* aimed traces per top-level bucket ... */
#define TOP_BITS 10        /* ... in at most 1,024: few write streams */

static int trace_less(const ls_trace_t *x, const ls_trace_t *y)
{
	return x->object != y->object ? x->object < y->object : x->time < y->time;
}

static void insertion_sort(ls_trace_t *t, size_t n)
{
	for (size_t i = 1; i < n; i++) {
		if (!trace_less(&t[i], &t[i - 1]))
			continue;
		ls_trace_t x = t[i];
		size_t j = i;
		do {
			t[j] = t[j - 1];
			j--;
		} while (j > 0 && trace_less(&x, &t[j - 1]));
		t[j] = x;
	}
}

/* Stable LSD radix sort of t[0..n) (one object) by time, 8-bit digits of
 * time - min, constant digits skipped; tmp holds n traces. */
static void sort_by_time(ls_trace_t *t, size_t n, ls_trace_t *tmp)
{
	int64_t lo = t[0].time;
	uint64_t any = 0;
	for (size_t i = 1; i < n; i++)
		if (t[i].time < lo)
			lo = t[i].time;
	for (size_t i = 0; i < n; i++)
		any |= (uint64_t)t[i].time - (uint64_t)lo;
	ls_trace_t *a = t, *b = tmp;
	for (unsigned shift = 0; shift < 64 && any >> shift; shift += 8) {
		uint32_t cnt[256] = {0};
		if ((any >> shift & 255) == 0)
			continue;
		for (size_t i = 0; i < n; i++)
			cnt[((uint64_t)a[i].time - (uint64_t)lo) >> shift & 255]++;
		uint32_t sum = 0;
		for (unsigned d = 0; d < 256; d++) {
			uint32_t k = cnt[d];
			cnt[d] = sum;
			sum += k;
		}
		for (size_t i = 0; i < n; i++)
			b[cnt[((uint64_t)a[i].time - (uint64_t)lo) >> shift & 255]++] = a[i];
		ls_trace_t *s = a;
		a = b;
		b = s;
	}
	if (a != t)
		memcpy(t, a, n * sizeof *t);
}

/* Highest varying bit + 1 of the objects of t[0..n) (0: one object). */
static unsigned object_bits(const ls_trace_t *t, size_t n)
{
	uint64_t diff = 0;
	for (size_t i = 1; i < n; i++)
		diff |= t[i].object ^ t[0].object;
	return diff ? 64 - (unsigned)__builtin_clzll(diff) : 0;
}

/* Sorts t[0..n) (n < 2^32) by (object, time), stably; tmp holds n traces. */
static void sort_run(ls_trace_t *t, size_t n, ls_trace_t *tmp)
{
	if (n <= SMALL) {
		insertion_sort(t, n);
		return;
	}
	unsigned hb = object_bits(t, n);
	if (hb == 0) {
		sort_by_time(t, n, tmp);
		return;
	}
	unsigned bits = 64 - (unsigned)__builtin_clzll((uint64_t)n);
	if (bits > RUN_BITS)
		bits = RUN_BITS;
	if (bits > hb)
		bits = hb;
	unsigned shift = hb - bits;
	uint32_t mask = (1u << bits) - 1, start[(1u << RUN_BITS) + 1];
	memset(start, 0, (mask + 2) * sizeof *start);
	for (size_t i = 0; i < n; i++)
		start[(t[i].object >> shift & mask) + 1]++;
	for (uint32_t d = 0; d <= mask; d++)
		start[d + 1] += start[d];
	uint32_t pos[1u << RUN_BITS];
	memcpy(pos, start, (mask + 1) * sizeof *pos);
	for (size_t i = 0; i < n; i++)
		tmp[pos[t[i].object >> shift & mask]++] = t[i];
	memcpy(t, tmp, n * sizeof *t);
	for (uint32_t d = 0; d <= mask; d++)
		if (start[d + 1] - start[d] > 1)
			sort_run(t + start[d], start[d + 1] - start[d], tmp);
}

typedef struct tsort_job {
	const ls_analysis_t *an;
	const ls_trace_t *all;
	size_t nall;
	ls_trace_t *out;
	size_t nchunks;
	unsigned shift;
	uint64_t mask;
	size_t *count; /* count[b * nchunks + c]: chunk c's traces in bucket b */
	uint64_t first[CHUNKS_MAX], diff[CHUNKS_MAX];
	size_t n[CHUNKS_MAX];
	size_t *task_lo; /* bucket sort task k: buckets [task_lo[k], task_lo[k + 1]) */
	size_t *bstart;  /* bucket b: out[bstart[b], bstart[b + 1]) */
	int oom[TASKS_MAX];
} tsort_job_t;

/* Pass 1 on chunk c: the traces in the period, their object bits and
 * (with `hist`) the bucket counts. */
static void count_chunk(tsort_job_t *j, size_t c, int hist)
{
	size_t lo, hi, n = 0;
	ls_slice(j->nall, j->nchunks, c, &lo, &hi);
	size_t *cnt = j->count;
	uint64_t first = 0, diff = 0;
	for (size_t i = lo; i < hi; i++) {
		const ls_trace_t *x = &j->all[i];
		if (!ls_in_period(&j->an->params, ls_trace_time(j->an, x)))
			continue;
		if (n++ == 0)
			first = x->object;
		diff |= x->object ^ first;
		if (hist)
			cnt[(x->object >> j->shift & j->mask) * j->nchunks + c]++;
	}
	j->first[c] = first;
	j->diff[c] = diff;
	j->n[c] = n;
}

static void count_task(void *arg, size_t c)
{
	count_chunk(arg, c, 1);
}

static void recount_task(void *arg, size_t c)
{
	tsort_job_t *j = arg;
	size_t lo, hi;
	ls_slice(j->nall, j->nchunks, c, &lo, &hi);
	for (size_t i = lo; i < hi; i++) {
		const ls_trace_t *x = &j->all[i];
		if (ls_in_period(&j->an->params, ls_trace_time(j->an, x)))
			j->count[(x->object >> j->shift & j->mask) * j->nchunks + c]++;
	}
}

/* Pass 2 on chunk c: each trace in the period, time shifted, to its
 * bucket (count[] holds the chunk's next output position per bucket). */
static void scatter_task(void *arg, size_t c)
{
	tsort_job_t *j = arg;
	size_t lo, hi;
	ls_slice(j->nall, j->nchunks, c, &lo, &hi);
	for (size_t i = lo; i < hi; i++) {
		ls_trace_t x = j->all[i];
		x.time = ls_trace_time(j->an, &x);
		if (!ls_in_period(&j->an->params, x.time))
			continue;
		j->out[j->count[(x.object >> j->shift & j->mask) * j->nchunks + c]++] = x;
	}
}

/* Sorts the buckets of task k in cache. */
static void bucket_task(void *arg, size_t k)
{
	tsort_job_t *j = arg;
	size_t b0 = j->task_lo[k], b1 = j->task_lo[k + 1], most = 0;
	for (size_t b = b0; b < b1; b++)
		if (j->bstart[b + 1] - j->bstart[b] > most)
			most = j->bstart[b + 1] - j->bstart[b];
	if (most < 2)
		return;
	ls_trace_t *tmp = malloc(most * sizeof *tmp);
	if (tmp == NULL) {
		j->oom[k] = 1;
		return;
	}
	for (size_t b = b0; b < b1; b++)
		if (j->bstart[b + 1] - j->bstart[b] > 1)
			sort_run(j->out + j->bstart[b], j->bstart[b + 1] - j->bstart[b], tmp);
	free(tmp);
}

size_t ls_trace_sort(const ls_analysis_t *an, const ls_trace_t *all, size_t nall,
                     ls_trace_t *out, int threads)
{
	if (nall >= UINT32_MAX)
		return SIZE_MAX;
	if (threads < 1)
		threads = 1;
	tsort_job_t j;
	memset(&j, 0, sizeof j);
	j.an = an;
	j.all = all;
	j.nall = nall;
	j.out = out;
	j.nchunks = nall < ((size_t)1 << 16) ? 1 : (size_t)(threads < CHUNKS_MAX ? threads : CHUNKS_MAX);
	unsigned bits = 0;
	while (bits < TOP_BITS && ((size_t)BUCKET_TRACES << bits) < nall)
		bits++;
	size_t nb = (size_t)1 << bits, n = 0, result = SIZE_MAX;
	j.shift = 64 - bits;
	j.mask = nb - 1;
	j.count = calloc(nb * j.nchunks, sizeof *j.count);
	j.bstart = malloc((nb + 1) * sizeof *j.bstart);
	size_t ntasks = 8 * (size_t)threads < TASKS_MAX ? 8 * (size_t)threads : TASKS_MAX;
	if (ntasks > nb)
		ntasks = nb;
	j.task_lo = malloc((ntasks + 1) * sizeof *j.task_lo);
	if (j.count == NULL || j.bstart == NULL || j.task_lo == NULL)
		goto done;
	if (bits == 0)
		j.shift = 0;
	ls_parallel_for(threads, j.nchunks, count_task, &j);
	uint64_t diff = 0;
	for (size_t c = 0; c < j.nchunks; c++) {
		n += j.n[c];
		if (j.n[c])
			diff |= j.diff[c] | (j.first[c] ^ j.first[0]);
	}
	/* the top digit on the highest varying object bits */
	unsigned hb = diff ? 64 - (unsigned)__builtin_clzll(diff) : 0;
	if (hb < 64) {
		if (bits > hb)
			bits = hb;
		nb = (size_t)1 << bits;
		j.mask = nb - 1;
		j.shift = hb - bits;
		memset(j.count, 0, nb * j.nchunks * sizeof *j.count);
		ls_parallel_for(threads, j.nchunks, recount_task, &j);
		if (ntasks > nb)
			ntasks = nb;
	}
	/* offsets: bucket-major, chunk-minor (stable) */
	size_t sum = 0;
	for (size_t b = 0; b < nb; b++) {
		j.bstart[b] = sum;
		for (size_t c = 0; c < j.nchunks; c++) {
			size_t k = j.count[b * j.nchunks + c];
			j.count[b * j.nchunks + c] = sum;
			sum += k;
		}
	}
	j.bstart[nb] = sum;
	ls_parallel_for(threads, j.nchunks, scatter_task, &j);
	/* bucket tasks of about equal traces */
	size_t b = 0;
	j.task_lo[0] = 0;
	for (size_t k = 1; k < ntasks; k++) {
		while (b < nb && j.bstart[b] < n / ntasks * k)
			b++;
		j.task_lo[k] = b;
	}
	j.task_lo[ntasks] = nb;
	ls_parallel_for(threads, ntasks, bucket_task, &j);
	result = n;
	for (size_t k = 0; k < ntasks; k++)
		if (j.oom[k])
			result = SIZE_MAX;
done:
	free(j.count);
	free(j.bstart);
	free(j.task_lo);
	return result;
}
