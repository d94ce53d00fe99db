/*
 * LSD radix sort of 16-byte (key, i, j) records with 11-bit digits: 2,048
 * buckets keep the counters and the scatter targets in cache; one read
 * pass finds the digits that vary over the input, one counts them all at
 * once, and the others are skipped (account-pair keys a << 32 | b with 100k
 * accounts need 4 passes, not 6). Records are contiguous, so every pass reads
 * sequentially.
 */
#include "core/radix.h"
#include "core/parallel.h"

#include <stdlib.h>
#include <string.h>

#define DIGIT_BITS 11
#define BUCKETS (1u << DIGIT_BITS)
#define DIGITS ((64 + DIGIT_BITS - 1) / DIGIT_BITS)

ls_rec_t *ls_radix_sort_rec(ls_rec_t *v, ls_rec_t *tmp, size_t n)
{
	if (n < 2)
		return v;
	/* which digits vary: a cheap pass, so that the counting pass
	 * counts only those */
	uint64_t first = v[0].key, diff = 0;
	for (size_t i = 0; i < n; i++)
		diff |= v[i].key ^ first;
	unsigned shift[DIGITS], nd = 0;
	for (unsigned d = 0; d < DIGITS; d++)
		if ((diff >> (d * DIGIT_BITS)) & (BUCKETS - 1))
			shift[nd++] = d * DIGIT_BITS;
	if (nd == 0)
		return v;
	size_t(*count)[BUCKETS] = calloc(nd, sizeof *count);
	if (count == NULL)
		return NULL;
	for (size_t i = 0; i < n; i++) {
		uint64_t k = v[i].key;
		for (unsigned d = 0; d < nd; d++)
			count[d][(k >> shift[d]) & (BUCKETS - 1)]++;
	}
	ls_rec_t *a = v, *b = tmp;
	for (unsigned d = 0; d < nd; d++) {
		size_t *c = count[d], sum = 0;
		for (size_t x = 0; x < BUCKETS; x++) {
			size_t k = c[x];
			c[x] = sum;
			sum += k;
		}
		for (size_t i = 0; i < n; i++)
			b[c[(a[i].key >> shift[d]) & (BUCKETS - 1)]++] = a[i];
		ls_rec_t *t = a;
		a = b;
		b = t;
	}
	free(count);
	return a;
}

/* Parallel sort: runs sorted on their own threads, then merged pairwise
 * (stable: on equal keys the left run's record first). */
typedef struct mt_job {
	ls_rec_t *v, *tmp;
	size_t bound[9]; /* run r = [bound[r], bound[r + 1]) */
	size_t runs, width;
	int oom;
} mt_job_t;

static void mt_sort_task(void *arg, size_t r)
{
	mt_job_t *mj = arg;
	size_t lo = mj->bound[r], n = mj->bound[r + 1] - lo;
	ls_rec_t *s = ls_radix_sort_rec(mj->v + lo, mj->tmp + lo, n);
	if (s == NULL)
		mj->oom = 1;
	else if (s != mj->v + lo)
		memcpy(mj->v + lo, s, n * sizeof *s);
}

static void mt_merge_task(void *arg, size_t k)
{
	mt_job_t *mj = arg;
	size_t r = k * 2 * mj->width, m = r + mj->width, e = m + mj->width;
	if (m > mj->runs)
		m = mj->runs;
	if (e > mj->runs)
		e = mj->runs;
	const ls_rec_t *a = mj->v + mj->bound[r], *ae = mj->v + mj->bound[m];
	const ls_rec_t *b = ae, *be = mj->v + mj->bound[e];
	ls_rec_t *o = mj->tmp + mj->bound[r];
	while (a < ae && b < be)
		*o++ = b->key < a->key ? *b++ : *a++;
	while (a < ae)
		*o++ = *a++;
	while (b < be)
		*o++ = *b++;
}

ls_rec_t *ls_radix_sort_rec_mt(ls_rec_t *v, ls_rec_t *tmp, size_t n, int threads)
{
	if (threads < 2 || n < ((size_t)1 << 16))
		return ls_radix_sort_rec(v, tmp, n);
	mt_job_t mj = {v, tmp, {0}, (size_t)(threads > 8 ? 8 : threads), 1, 0};
	for (size_t r = 0; r <= mj.runs; r++)
		mj.bound[r] = n / mj.runs * r + n % mj.runs * r / mj.runs;
	ls_parallel_for(threads, mj.runs, mt_sort_task, &mj);
	if (mj.oom)
		return NULL;
	for (; mj.width < mj.runs; mj.width *= 2) {
		size_t merges = (mj.runs + 2 * mj.width - 1) / (2 * mj.width);
		ls_parallel_for(threads, merges, mt_merge_task, &mj);
		ls_rec_t *t = mj.v;
		mj.v = mj.tmp;
		mj.tmp = t;
	}
	return mj.v;
}

int ls_radix_order_u64(const uint64_t *keys, uint32_t *order, size_t n)
{
	return ls_radix_order_u64_mt(keys, order, n, 1);
}

int ls_radix_order_u64_mt(const uint64_t *keys, uint32_t *order, size_t n, int threads)
{
	if (n < 2)
		return 0;
	ls_rec_t *a = malloc(n * sizeof *a), *b = malloc(n * sizeof *b);
	if (a == NULL || b == NULL) {
		free(a);
		free(b);
		return -1;
	}
	for (size_t i = 0; i < n; i++) {
		a[i].key = keys[order[i]];
		a[i].i = order[i];
	}
	ls_rec_t *s = ls_radix_sort_rec_mt(a, b, n, threads);
	if (s != NULL)
		for (size_t i = 0; i < n; i++)
			order[i] = s[i].i;
	free(a);
	free(b);
	return s == NULL ? -1 : 0;
}
