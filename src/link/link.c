/*
 * Link stage: accounts that act on the same object within the window.
 *
 * The traces of every linked behaviour are sorted by (object, time) into one
 * array, behaviour after behaviour (tsort.c: two passes through memory to
 * buckets of the object hash, then in-cache radix sorts), and each object's
 * run is swept with two pointers: for every trace i, the traces j > i with
 * t_j - t_i <= W are its co-actions. The work is O(T) for the sort plus
 * O(P) for the sweep, where P is the number of within-window pairs; it
 * never enumerates the C(k,2) pairs of an object shared k times unless they
 * really fall within one window. One object shared 150,000 times over hours
 * costs only its within-window pairs.
 *
 * A burst guard bounds the worst case: a trace whose window [t, t + W]
 * holds more than max_burst traces of the object forms no pairs as the
 * earlier trace (counted in burst_skipped), so each trace forms at most
 * max_burst pairs and P <= max_burst * T whatever the data.
 *
 * Aggregation without hashing: every co-action of two different accounts
 * becomes a 16-byte record (a * accounts + b, i, j) with a < b. Records go to
 * partitions by ranges of a (of about equal expected records, a few
 * thousand traces' worth each, so a partition sorts in cache): the sweep
 * runs twice, once to count each slice's records per partition and once,
 * over only the objects that formed records, to write them straight to
 * their place, partition after partition, in slice order. Each partition is radix-sorted by (a, b) in place,
 * stably, so a pair's co-actions come together in sweep order (behaviour,
 * object, time) and its links are built in one pass: co-action count,
 * distinct objects (a change of object along the run), |dt| min/mean/max,
 * first and last co-action times, the closest co-action's posts as an
 * example, and the distinct post pairs (events), of which those not behind
 * an earlier behaviour's link of the pair are new_events. Partitions in
 * order of a give the links sorted by (a, b, behaviour) with no further
 * sort.
 *
 * Threads: the trace sorts run on several threads, the sweep on slices of
 * the sorted traces (whole objects), the partitions are sorted and
 * aggregated independently, and every merge is in slice or partition
 * order, so the links are the same for any thread count.
 *
 * A stream (ls_analysis_run without --all-links, when the full links
 * would take at least an->lean_min_bytes): ls_link_run stops after the
 * count pass, which also counts each account's co-actions (per worker,
 * summed: an upper bound on its pairs, for the score stage's bounds).
 * ls_link_stream_run then takes the partitions in groups of at most 512 MB
 * of records: it fills only the group's records (a sweep skips the traces
 * of accounts below the group's range), sorts each partition and hands its
 * lean links (32 bytes each, in a worker's buffer) to the score stage,
 * which keeps only the p-values that can matter. No link array is ever
 * held. Once the score stage has flagged accounts, ls_link_detail sweeps
 * the same sorted traces again, filing only co-actions of two flagged
 * accounts, and builds their full records (an->links). The burst guard
 * sees every trace in every pass.
 *
 * Memory: 24 bytes per trace for the sorted copy (no scratch copy), and
 * either the full links (sizeof(ls_link_t) each) and 16 bytes per
 * co-action record, or with a stream 16 bytes per record of one group and
 * 4 bytes per account and worker. The full links' records sit at the end
 * of the link array, sized for one link per record until they are spent
 * (wait_records), so links written over them take no fresh pages and the
 * records add nothing to the peak when most co-actions are links of their
 * own; the array's unused tail is given back after. The link pages are
 * mapped a partition at a time (MADV_POPULATE_WRITE) and written with
 * streaming stores.
 */
#include "core/analysis.h"
#include "core/ctx.h"
#include "core/parallel.h"
#include "core/radix.h"
#include "core/timing.h"
#include "link/tsort.h"

#include <inttypes.h>
#include <stdatomic.h>
#include <stddef.h>
#if defined(__SSE2__) && defined(__x86_64__)
#include <emmintrin.h>
#endif
#include <stdlib.h>
#include <string.h>
#include <sched.h>
#include <sys/mman.h>
#include <unistd.h>

/* Sorted copy of the traces inside the analysed period, by (object, time),
 * ties in input order (tsort.c). Returns NULL when out of memory; *nout =
 * number of traces copied. */
ls_trace_t *ls_sorted_traces(const ls_analysis_t *an, const ls_trace_t *all, size_t nall,
                             size_t *nout)
{
	*nout = 0;
	ls_trace_t *t = malloc((nall ? nall : 1) * sizeof *t);
	if (t == NULL)
		return NULL;
	size_t n = ls_trace_sort(an, all, nall, t, 1);
	if (n == SIZE_MAX) {
		free(t);
		return NULL;
	}
	*nout = n;
	return t;
}

/* Co-action records per group at most (512 MB; an->group_records when
 * set): their partitions are swept, sorted and handed on before the next
 * group's. */
#define STREAM_GROUP_RECORDS (((size_t)1 << 29) / sizeof(ls_rec_t))

/* A slice of the sorted traces: whole objects of one behaviour. */
typedef struct slice {
	size_t lo, hi;
	uint32_t b;
	uint64_t skipped;
	uint64_t slot[24][24]; /* within-window trace pairs by hour and hour gap */
	size_t *cnt; /* per partition: the slice's records (count pass) */
	size_t *at;  /* per partition: where its next record goes in jb->rec (fill pass) */
	uint32_t *deg; /* count pass of a stream: its worker's co-actions per account */
	LS_VEC(uint32_t) objects; /* the first traces of objects with records */
	int oom;
} slice_t;
typedef LS_VEC(slice_t) slicevec_t;

/* A range of accounts a: its records (sorted in place) and its links. */
typedef struct part {
	size_t first, n; /* its records: jb->rec[first .. first + n) */
	size_t nlinks, first_link;
	size_t links[LS_MAX_BEHAVIOURS]; /* its links by behaviour */
	int oom;
	atomic_int done; /* its links are built (its records no longer read) */
} part_t;

typedef struct job {
	ls_analysis_t *an;
	const ls_trace_t *t;
	size_t seg_lo[LS_MAX_BEHAVIOURS + 1]; /* segment s = [seg_lo[s], seg_lo[s + 1]) */
	uint32_t seg_b[LS_MAX_BEHAVIOURS];
	uint32_t nseg;
	slice_t *slices;
	size_t nslices;
	part_t *parts;
	size_t nparts;
	ls_rec_t *rec;     /* every co-action record, partition after partition */
	size_t rec_at;     /* rec lies in an->links at this byte offset (0: apart) */
	size_t most;       /* records of the largest partition */
	atomic_size_t next; /* sort workers: the next partition to take */
	uint32_t *part_of; /* per account a: the partition of records with lo = a */
	uint64_t naccounts;
	int64_t window;
	int64_t win[LS_MAX_BEHAVIOURS]; /* window of each behaviour (ls_link_window) */
	size_t burst;
	int lean;                   /* a stream asked for (an->lean_first) */
	const unsigned char *keep;  /* second pass: only pairs of two kept accounts */
	size_t k0, k1;              /* the fill pass writes partitions [k0, k1) only, */
	uint32_t a0, a1;            /* ... whose lower accounts are [a0, a1) */
	uint32_t **degw;            /* count pass of a stream: per worker, co-actions per account */
	atomic_int worker;          /* workers started (their index) */
	const ls_link_sink_t *sink; /* a stream: who takes each partition's links */
	int prefilled;              /* a stream whose one group is filled and sorted already */
} job_t;

static uint32_t behaviour_of(const job_t *jb, uint32_t i)
{
	uint32_t s = 0;
	while (i >= jb->seg_lo[s + 1])
		s++;
	return jb->seg_b[s];
}

/* a + b, at most UINT32_MAX. */
static inline uint32_t sat_add(uint32_t a, size_t b)
{
	return b >= (size_t)(UINT32_MAX - a) ? UINT32_MAX : a + (uint32_t)b;
}

/* Walks the co-actions of one object's traces t[s..e) of slice sl. The
 * count pass (fill = 0) counts the slot pairs, the co-actions skipped in
 * bursts and the records of each partition; the fill pass writes every
 * record to its partition's next place in jb->rec, so that the records
 * land sorted by partition, in slice order, with no growing buffers and no
 * gather. Returns the records formed. */
static inline size_t sweep_object(const job_t *jb, slice_t *sl, size_t s, size_t e, int fill)
{
	const ls_trace_t *t = jb->t;
	const uint32_t *part_of = jb->part_of;
	ls_rec_t *rec = jb->rec;
	size_t *at = fill ? sl->at : sl->cnt;
	uint32_t a0 = fill ? jb->a0 : 0, an = fill ? jb->a1 - jb->a0 : UINT32_MAX;
	uint32_t *deg = fill ? NULL : sl->deg;
	int64_t w = jb->win[sl->b];
	uint64_t na = jb->naccounts;
	size_t burst = jb->burst, formed = 0;
	size_t end = s + 1; /* one past the last trace within [t_i, t_i + W] */
	for (size_t i = s; i + 1 < e; i++) {
		if (end <= i)
			end = i + 1;
		while (end < e && t[end].time - t[i].time <= w)
			end++;
		if (end - i - 1 > burst) {
			if (!fill)
				sl->skipped += end - i - 1;
			continue;
		}
		int slots = !fill && !jb->keep; /* the first pass counts them */
		int hi_ = slots ? ls_hour_of_day(t[i].time) : 0;
		uint32_t ai = t[i].account;
		if (jb->keep && !jb->keep[ai])
			continue; /* second pass: a pair of kept accounts only */
		if (ai < a0)
			continue; /* a stream: its pairs' lower accounts are below the group's */
		size_t before = formed;
		for (size_t j = i + 1; j < end; j++) {
			if (slots) {
				int d = ls_hour_of_day(t[j].time) - hi_;
				sl->slot[hi_][d < 0 ? d + 24 : d]++;
			}
			uint32_t aj = t[j].account;
			if (aj == ai || (jb->keep && !jb->keep[aj]))
				continue;
			uint32_t lo = ai < aj ? ai : aj, hi = ai ^ aj ^ lo;
			if (lo - a0 >= an)
				continue; /* a stream: another group's record */
			size_t *x = &at[part_of[lo]];
			if (fill)
				rec[*x] = (ls_rec_t){lo * na + hi, (uint32_t)i, (uint32_t)j};
			(*x)++;
			formed++;
			if (deg)
				deg[aj] += deg[aj] != UINT32_MAX; /* an upper bound: saturates */
		}
		if (deg)
			deg[ai] = sat_add(deg[ai], formed - before);
	}
	return formed;
}

/* One past the last trace of the object of trace s (before hi). */
static inline size_t object_end(const ls_trace_t *t, size_t s, size_t hi)
{
	size_t e = s + 1;
	while (e < hi && t[e].object == t[s].object)
		e++;
	return e;
}

/* The count pass over one slice; it notes the objects that form records,
 * so that the fill pass reads only their traces (most objects of a large
 * corpus form none). */
static void count_task(void *arg, size_t k)
{
	job_t *jb = arg;
	slice_t *sl = &jb->slices[k];
	for (size_t s = sl->lo; s < sl->hi;) {
		size_t e = object_end(jb->t, s, sl->hi);
		if (sweep_object(jb, sl, s, e, 0) && ls_vec_push(&sl->objects, (uint32_t)s)) {
			sl->oom = 1;
			return;
		}
		s = e;
	}
}

/* The count pass of a stream: each worker counts its slices' co-actions
 * per account into its own array as well. */
static void *count_worker(void *arg)
{
	job_t *jb = arg;
	int w = atomic_fetch_add(&jb->worker, 1);
	for (;;) {
		size_t k = atomic_fetch_add(&jb->next, 1);
		if (k >= jb->nslices)
			break;
		jb->slices[k].deg = jb->degw[w];
		count_task(jb, k);
	}
	return NULL;
}

static void fill_task(void *arg, size_t k)
{
	job_t *jb = arg;
	slice_t *sl = &jb->slices[k];
	for (size_t r = 0; r < sl->objects.n; r++) {
		size_t s = sl->objects.v[r];
		sweep_object(jb, sl, s, object_end(jb->t, s, sl->hi), 1);
	}
}

/* Sorts partition p's records by account pair (stable) in place and
 * counts its links, with *tmp (allocated on first use for the largest
 * partition) as scratch; -1 when out of memory. */
static int sort_part(const job_t *jb, part_t *p, ls_rec_t **tmp)
{
	size_t n = p->n;
	p->nlinks = n;
	if (n < 2)
		return 0;
	if (*tmp == NULL && (*tmp = malloc(jb->most * sizeof **tmp)) == NULL)
		return -1;
	ls_rec_t *v = jb->rec + p->first, *s = ls_radix_sort_rec(v, *tmp, n);
	if (s == NULL)
		return -1;
	if (s != v)
		memcpy(v, s, n * sizeof *v);
	size_t links = 1;
	for (size_t i = 1; i < n; i++)
		links += v[i].key != v[i - 1].key ||
		         behaviour_of(jb, v[i].i) != behaviour_of(jb, v[i - 1].i);
	p->nlinks = links;
	return 0;
}

/* Sorts partitions and counts their links; each worker keeps one scratch
 * buffer of the largest partition. */
static void *sort_worker(void *arg)
{
	job_t *jb = arg;
	ls_rec_t *tmp = NULL;
	for (;;) {
		size_t k = atomic_fetch_add(&jb->next, 1);
		if (k >= jb->nparts)
			break;
		if (sort_part(jb, &jb->parts[k], &tmp))
			jb->parts[k].oom = 1;
	}
	free(tmp);
	return NULL;
}

/* The distinct post pairs of one account pair's co-actions: an open-
 * addressing set of post pairs (plo << 32 | phi, never 0 as plo < phi),
 * each with the mask of behaviours it occurs in. */
_Static_assert(LS_MAX_BEHAVIOURS <= 16, "behaviour masks are 16 bits");

/* Records whose traces aggregate_task prefetches ahead of use. */
#define PREFETCH 16

typedef struct pevset {
	uint64_t *key;
	uint16_t *mask;
	size_t cap; /* a power of two; 0 = not allocated */
} pevset_t;

/* Starts loading the traces of record r (they lie anywhere in jb->t). */
static inline void prefetch_traces(const job_t *jb, const ls_rec_t *r)
{
	__builtin_prefetch(&jb->t[r->i]);
	__builtin_prefetch(&jb->t[r->j]);
}

static uint64_t post_pair(const ls_trace_t *x, const ls_trace_t *y)
{
	uint32_t plo = x->post < y->post ? x->post : y->post, phi = x->post ^ y->post ^ plo;
	return (uint64_t)plo << 32 | phi;
}

/* Empties the set, with room for the post pairs of n co-actions. Returns
 * the table's bits, or 0 when out of memory. */
static unsigned pevset_clear(pevset_t *set, size_t n)
{
	size_t cap = 16;
	unsigned bits = 4;
	while (cap < 2 * n) {
		cap *= 2;
		bits++;
	}
	if (cap > set->cap) {
		uint64_t *k = realloc(set->key, cap * sizeof *k);
		if (k == NULL)
			return 0;
		set->key = k;
		uint16_t *m = realloc(set->mask, cap * sizeof *m);
		if (m == NULL)
			return 0;
		set->mask = m;
		set->cap = cap;
	}
	memset(set->key, 0, cap * sizeof *set->key);
	return bits;
}

/* Adds post pair pk, seen in behaviour b, to the set: 1 when it is new,
 * 2 when it is known but not yet in b, 0 when it is known in b. */
static int pevset_add(pevset_t *set, unsigned bits, uint64_t pk, uint32_t b)
{
	size_t mask = ((size_t)1 << bits) - 1;
	size_t h = (size_t)((pk * 0x9E3779B97F4A7C15ull) >> (64 - bits));
	uint64_t *key = set->key;
	while (key[h] != 0 && key[h] != pk)
		h = (h + 1) & mask;
	uint16_t bit = (uint16_t)(1u << b);
	if (key[h] == 0) {
		key[h] = pk;
		set->mask[h] = bit;
		return 1;
	}
	if (set->mask[h] & bit)
		return 0;
	set->mask[h] |= bit;
	return 2;
}

/* Starts link *l of behaviour b with the co-action of traces x, y. */
static inline void link_start(ls_link_t *l, const ls_trace_t *x, const ls_trace_t *y, uint32_t b)
{
	const ls_trace_t *lo = x->account < y->account ? x : y, *hi = lo == x ? y : x;
	int64_t dt = y->time - x->time;
	memset(l, 0, sizeof *l);
	l->a = lo->account;
	l->b = hi->account;
	l->behaviour = b;
	l->coactions = 1;
	l->objects = 1;
	l->dt_min = l->dt_max = dt;
	l->dt_sum = (double)dt;
	l->first_time = x->time;
	l->last_time = y->time;
	l->ex_post_a = lo->post;
	l->ex_post_b = hi->post;
	l->ex_object = x->object;
}

/* Adds the next co-action (traces x, y) of its pair and behaviour to *l:
 * distinct objects are changes of object along the pair's co-actions (in
 * sweep order: object, time), the example is the first closest one. */
static inline void link_add(ls_link_t *l, const ls_trace_t *x, const ls_trace_t *y,
                            uint64_t last_object)
{
	const ls_trace_t *lo = x->account < y->account ? x : y, *hi = lo == x ? y : x;
	int64_t dt = y->time - x->time;
	l->coactions++;
	l->objects += x->object != last_object;
	l->dt_sum += (double)dt;
	if (dt < l->dt_min) {
		l->dt_min = dt;
		l->ex_post_a = lo->post;
		l->ex_post_b = hi->post;
		l->ex_object = x->object;
	}
	if (dt > l->dt_max)
		l->dt_max = dt;
	if (x->time < l->first_time)
		l->first_time = x->time;
	if (y->time > l->last_time)
		l->last_time = y->time;
}

#if defined(__SSE2__) && defined(__x86_64__)
/* The 8-byte words of a link (x86-64: little-endian), composed from its
 * fields rather than copied through memory: a copy of a struct just built
 * field by field would read back 16 bytes written in smaller parts, and
 * each such read waits for the stores to retire. */
_Static_assert(sizeof(ls_link_t) == 120 && offsetof(ls_link_t, b) == 4 &&
                   offsetof(ls_link_t, objects) == 12 && offsetof(ls_link_t, new_events) == 20 &&
                   offsetof(ls_link_t, coactions) == 24 && offsetof(ls_link_t, dt_sum) == 48 &&
                   offsetof(ls_link_t, ex_post_b) == 76 && offsetof(ls_link_t, ex_object) == 80 &&
                   offsetof(ls_link_t, qvalue) == 112,
               "store_link knows the layout of ls_link_t");

static inline long long word2(uint32_t lo, uint32_t hi)
{
	return (long long)((uint64_t)hi << 32 | lo);
}

static inline long long word_d(double x)
{
	long long w;
	memcpy(&w, &x, sizeof w);
	return w;
}
#endif

/* *dst = *l, bypassing the cache where the CPU can (the link array is
 * written once, far larger than the cache, and read much later): no read
 * of each fresh line before it is overwritten. */
static inline void store_link(ls_link_t *dst, const ls_link_t *l)
{
#if defined(__SSE2__) && defined(__x86_64__)
	long long *d = (long long *)(void *)dst;
	_mm_stream_si64(d + 0, word2(l->a, l->b));
	_mm_stream_si64(d + 1, word2(l->behaviour, l->objects));
	_mm_stream_si64(d + 2, word2(l->events, l->new_events));
	_mm_stream_si64(d + 3, (long long)l->coactions);
	_mm_stream_si64(d + 4, l->dt_min);
	_mm_stream_si64(d + 5, l->dt_max);
	_mm_stream_si64(d + 6, word_d(l->dt_sum));
	_mm_stream_si64(d + 7, l->first_time);
	_mm_stream_si64(d + 8, l->last_time);
	_mm_stream_si64(d + 9, word2(l->ex_post_a, l->ex_post_b));
	_mm_stream_si64(d + 10, (long long)l->ex_object);
	_mm_stream_si64(d + 11, word_d(l->score));
	_mm_stream_si64(d + 12, word_d(l->expected));
	_mm_stream_si64(d + 13, word_d(l->pvalue));
	_mm_stream_si64(d + 14, word_d(l->qvalue));
#else
	*dst = *l;
#endif
}

/* Maps the fresh pages of out[0..n) (links about to be written) in one
 * call where the system can (MADV_POPULATE_WRITE, Linux 5.14): the pages
 * must be faulted in anyway, and one call per partition avoids a trap per
 * 4 KB page. Only a hint: on failure the stores fault them in as usual. */
static void populate(void *out, size_t bytes)
{
#if defined(MADV_POPULATE_WRITE)
	long page = sysconf(_SC_PAGESIZE);
	if (page <= 0 || bytes < 4 * (size_t)page)
		return;
	uintptr_t lo = (uintptr_t)out, hi = lo + bytes, pg = (uintptr_t)page;
	lo = (lo + pg - 1) & ~(pg - 1);
	hi &= ~(pg - 1);
	if (hi > lo)
		(void)madvise((void *)lo, hi - lo, MADV_POPULATE_WRITE);
#else
	(void)out;
	(void)bytes;
#endif
}

/* With the records inside the link array (jb->rec_at), waits until the
 * records that partition k's links will overwrite have been read. Link m
 * ends at byte 120 (m + 1) and record q starts at rec_at + 16 q with
 * rec_at >= 104 C (C records, at most C links): link m reaches no record
 * after m, and the records up to m of partition k itself are read before
 * link m is written. So only earlier partitions can be in the way, they
 * were handed out before k (ls_parallel_for goes in order), and only the
 * last partitions, whose links reach the records at all, ever wait. */
static void wait_records(job_t *jb, size_t k)
{
	if (jb->rec_at == 0)
		return;
	const part_t *p = &jb->parts[k];
	size_t end = (p->first_link + p->nlinks) * sizeof(ls_link_t);
	if (end <= jb->rec_at)
		return;
	size_t below = (end - jb->rec_at + sizeof(ls_rec_t) - 1) / sizeof(ls_rec_t);
	for (size_t j = 0; j < k && jb->parts[j].first < below; j++)
		while (!atomic_load_explicit(&jb->parts[j].done, memory_order_acquire))
			sched_yield();
}

/* A stream: partition p's lean links (p->nlinks) into out, with set as
 * scratch; -1 when out of memory. A pair with one co-action (most pairs)
 * is one link with one object and one event, read off its record without
 * touching the traces. */
static int aggregate_lean(const job_t *jb, part_t *p, ls_lean_link_t *out, pevset_t *set)
{
	const ls_rec_t *r = jb->rec + p->first;
	const ls_trace_t *t = jb->t;
	size_t n = p->n, ahead = 0;
	uint64_t base = 0; /* a * accounts, the key of (a, 0) */
	uint32_t a = 0;
	for (size_t g = 0; g < n;) {
		size_t ge = g + 1;
		while (ge < n && r[ge].key == r[g].key)
			ge++;
		if (r[g].key - base >= jb->naccounts) { /* keys ascend: divide per new a */
			a = (uint32_t)(r[g].key / jb->naccounts);
			base = (uint64_t)a * jb->naccounts;
		}
		uint32_t a2 = (uint32_t)(r[g].key - base);
		if (ge - g == 1) {
			uint32_t b = behaviour_of(jb, r[g].i);
			p->links[b]++;
			*out++ = (ls_lean_link_t){a, a2, b, 1, 1, 1, 0};
			g = ge;
			continue;
		}
		unsigned bits = pevset_clear(set, ge - g);
		if (bits == 0)
			return -1;
		ls_lean_link_t l = {a, a2, 0, 0, 0, 0, 0};
		uint64_t last_object = 0;
		if (ahead < g)
			ahead = g;
		for (size_t q = g; q < ge; q++) {
			for (; ahead < ge && ahead <= q + PREFETCH; ahead++)
				prefetch_traces(jb, &r[ahead]);
			const ls_trace_t *x = &t[r[q].i], *y = &t[r[q].j];
			uint32_t bq = behaviour_of(jb, r[q].i);
			if (q == g || bq != l.behaviour) {
				if (q > g) {
					p->links[l.behaviour]++;
					*out++ = l;
				}
				l.behaviour = bq;
				l.objects = 1;
				l.events = l.new_events = 0;
			} else {
				l.objects += x->object != last_object;
			}
			last_object = x->object;
			int added = pevset_add(set, bits, post_pair(x, y), bq);
			l.events += added != 0;
			l.new_events += added == 1;
		}
		p->links[l.behaviour]++;
		*out++ = l;
		g = ge;
	}
	return 0;
}

/* Builds one partition's links into their place in an->links. */
static void aggregate_task(void *arg, size_t k)
{
	job_t *jb = arg;
	part_t *p = &jb->parts[k];
	const ls_rec_t *r = jb->rec + p->first;
	ls_link_t *out = jb->an->links.v + p->first_link;
	wait_records(jb, k);
	populate(out, p->nlinks * sizeof *out);
	const ls_trace_t *t = jb->t;
	pevset_t set = {NULL, NULL, 0};
	size_t n = p->n, ahead = 0; /* the traces of records before it are prefetched */
	for (size_t g = 0; g < n;) {
		size_t ge = g + 1;
		while (ge < n && r[ge].key == r[g].key)
			ge++;
		/* one pass over the pair's co-actions, in sweep order (behaviour,
		 * object, time): a link per behaviour, and with several
		 * co-actions their distinct post pairs (events), of which those
		 * not seen in a lower behaviour are new */
		unsigned bits = 0;
		if (ge - g > 1 && (bits = pevset_clear(&set, ge - g)) == 0) {
			p->oom = 1;
			break;
		}
		ls_link_t l;
		uint32_t b = 0;
		uint64_t last_object = 0;
		for (size_t q = g; q < ge; q++) {
			/* records come by account pair, their traces from
			 * anywhere: fetch them a few records early */
			for (; ahead < n && ahead <= q + PREFETCH; ahead++)
				prefetch_traces(jb, &r[ahead]);
			const ls_trace_t *x = &t[r[q].i], *y = &t[r[q].j];
			uint32_t bq = behaviour_of(jb, r[q].i);
			if (q == g || bq != b) {
				if (q > g) {
					p->links[b]++;
					store_link(out++, &l);
				}
				b = bq;
				link_start(&l, x, y, b);
				l.events = l.new_events = bits == 0;
			} else {
				link_add(&l, x, y, last_object);
			}
			last_object = x->object;
			if (bits) {
				int added = pevset_add(&set, bits, post_pair(x, y), b);
				l.events += added != 0;
				l.new_events += added == 1;
			}
		}
		p->links[b]++;
		store_link(out++, &l);
		g = ge;
	}
#if defined(__SSE2__) && defined(__x86_64__)
	_mm_sfence(); /* the streamed links visible before the task ends */
#endif
	free(set.key);
	free(set.mask);
	atomic_store_explicit(&p->done, 1, memory_order_release);
}

/* Partitions of the accounts a (the lower account of a record) in order,
 * of about equal expected records: a's weight is its posts times the posts
 * of the accounts after it (its partners b > a). Only the balance between
 * threads depends on it, not the links. NULL when out of memory. */
static uint32_t *partition_accounts(const ls_dataset_t *ds, size_t naccounts, size_t nparts)
{
	uint32_t *part = malloc(naccounts * sizeof *part);
	if (part == NULL)
		return NULL;
	double after = 0, total = 0, cum = 0;
	for (size_t a = 0; a < ds->accounts.n; a++)
		after += (double)ds->accounts.v[a].posts + 1;
	double left = after;
	for (size_t a = 0; a < ds->accounts.n; a++) {
		double w = (double)ds->accounts.v[a].posts + 1;
		left -= w;
		total += w * (left + 1);
	}
	left = after;
	for (size_t a = 0; a < naccounts; a++) {
		size_t k = total > 0 ? (size_t)(cum / total * (double)nparts) : 0;
		part[a] = (uint32_t)(k < nparts ? k : nparts - 1);
		if (a < ds->accounts.n) {
			double w = (double)ds->accounts.v[a].posts + 1;
			left -= w;
			cum += w * (left + 1);
		}
	}
	return part;
}

/* Cuts segment [lo, hi) into slices of about `size` traces at object
 * boundaries. */
static int cut_slices(job_t *jb, slicevec_t *v, size_t lo, size_t hi, uint32_t b,
                      size_t size)
{
	while (lo < hi) {
		size_t cut = hi - lo > size ? lo + size : hi;
		while (cut < hi && jb->t[cut].object == jb->t[cut - 1].object)
			cut++;
		slice_t sl;
		memset(&sl, 0, sizeof sl);
		sl.lo = lo;
		sl.hi = cut;
		sl.b = b;
		if (ls_vec_push(v, sl))
			return -1;
		lo = cut;
	}
	return 0;
}

/* The sorted traces of every linked behaviour, one after another. */
static ls_error_t sorted_all(ls_analysis_t *an, job_t *jb, size_t *traces, ls_trace_t **out,
                             int threads, ls_ctx_t *ctx)
{
	*out = NULL;
	const ls_dataset_t *ds = an->ds;
	uint32_t bs[LS_MAX_BEHAVIOURS];
	size_t total = 0, nb = 0;
	for (uint32_t b = 0; b < LS_MAX_BEHAVIOURS; b++) {
		traces[b] = 0;
		if (an->params.behaviours >> b & 1 && ds->traces[b].n >= 2) {
			total += ds->traces[b].n;
			bs[nb++] = b;
		}
	}
	if (total >= UINT32_MAX)
		return ls_fail(ctx, LS_ELIMIT, "%zu traces: more than the link stage handles (2^32)",
		               total);
	ls_trace_t *t = malloc((total ? total : 1) * sizeof *t);
	ls_error_t err = t == NULL ? ls_fail(ctx, LS_ENOMEM, "out of memory sorting %zu traces",
	                                     total)
	                           : LS_OK;
	size_t n = 0;
	jb->nseg = 0;
	jb->seg_lo[0] = 0;
	for (size_t k = 0; k < nb && !err; k++) {
		uint32_t b = bs[k];
		size_t m = ls_trace_sort(an, ds->traces[b].v, ds->traces[b].n, t + n, threads);
		if (m == SIZE_MAX) {
			err = ls_fail(ctx, LS_ENOMEM, "out of memory sorting %zu traces",
			              ds->traces[b].n);
			break;
		}
		/* ads null (score/null_ads.h): one incidence per (account,
		 * object), no window */
		if (ls_link_window(an, b, t + n, &m, &jb->win[b])) {
			err = ls_fail(ctx, LS_ENOMEM, "out of memory linking %s", ls_behaviour_name(b));
			break;
		}
		n += m;
		traces[b] = m;
		jb->seg_b[jb->nseg++] = b;
		jb->seg_lo[jb->nseg] = n;
	}
	if (err) {
		free(t);
		return err;
	}
	*out = t;
	return LS_OK;
}

/* The count pass over every slice: per partition its records (jb->parts'
 * n), per behaviour the co-actions and those skipped in bursts; adds the
 * slot pairs to an->slot_pairs (first pass). With jb->degw (a stream, one
 * array per worker) also the co-actions of each account. */
static ls_error_t count_records(job_t *jb, uint64_t *pairs, uint64_t *skipped, int threads,
                                ls_ctx_t *ctx)
{
	for (size_t c = 0; c < jb->nslices; c++)
		if ((jb->slices[c].cnt = calloc(jb->nparts, sizeof(size_t))) == NULL ||
		    (jb->slices[c].at = malloc(jb->nparts * sizeof(size_t))) == NULL)
			return ls_fail(ctx, LS_ENOMEM, "out of memory");
	if (jb->degw) {
		atomic_init(&jb->next, 0);
		atomic_init(&jb->worker, 0);
		ls_parallel_run(threads, count_worker, jb);
	} else {
		ls_parallel_for(threads, jb->nslices, count_task, jb);
	}
	for (size_t c = 0; c < jb->nslices; c++)
		if (jb->slices[c].oom)
			return ls_fail(ctx, LS_ENOMEM, "out of memory collecting co-actions");
	for (size_t k = 0; k < jb->nparts; k++) {
		part_t *p = &jb->parts[k];
		p->n = 0;
		for (size_t c = 0; c < jb->nslices; c++) {
			p->n += jb->slices[c].cnt[k];
			pairs[jb->slices[c].b] += jb->slices[c].cnt[k];
		}
		if (p->n > jb->most)
			jb->most = p->n;
	}
	for (size_t c = 0; c < jb->nslices; c++) {
		const slice_t *sl = &jb->slices[c];
		skipped[sl->b] += sl->skipped;
		for (int h = 0; h < 24 && !jb->keep; h++)
			for (int d = 0; d < 24; d++)
				jb->an->slot_pairs[sl->b][h][d] += (double)sl->slot[h][d];
	}
	return LS_OK;
}

/* Places the records of partitions [k0, k1) in jb->rec, partition after
 * partition, each slice's in slice order, and sweeps them there (the fill
 * pass writes only those partitions' records). */
static void fill_records(job_t *jb, size_t k0, size_t k1, int threads)
{
	size_t total = 0;
	for (size_t k = k0; k < k1; k++) {
		part_t *p = &jb->parts[k];
		atomic_init(&p->done, 0);
		p->first = total;
		for (size_t c = 0; c < jb->nslices; c++) {
			jb->slices[c].at[k] = total;
			total += jb->slices[c].cnt[k];
		}
	}
	jb->k0 = k0;
	jb->k1 = k1;
	/* partitions are ranges of accounts, in order */
	uint32_t a = 0;
	while (a < jb->naccounts && jb->part_of[a] < k0)
		a++;
	jb->a0 = a;
	while (a < jb->naccounts && jb->part_of[a] < k1)
		a++;
	jb->a1 = a < jb->naccounts ? a : UINT32_MAX;
	ls_parallel_for(threads, jb->nslices, fill_task, jb);
}

/* Every record in jb->rec: at the end of the link array, so that the links
 * written over them need no fresh pages: there are at most as many links
 * as records, which keeps every record ahead of the links until it is
 * read (see aggregate_task); a stream keeps them apart. */
static ls_error_t collect_records(job_t *jb, int threads, ls_ctx_t *ctx)
{
	size_t total = 0;
	for (size_t k = 0; k < jb->nparts; k++)
		total += jb->parts[k].n;
	ls_analysis_t *an = jb->an;
	ls_link_t *all = !jb->lean && total && an->links.cap == 0 && total <= SIZE_MAX / sizeof *all
	                     ? malloc(total * sizeof *all)
	                     : NULL;
	if (all != NULL) {
		an->links.v = all;
		an->links.cap = total;
		jb->rec_at = an->links.cap * sizeof(ls_link_t) - total * sizeof(ls_rec_t);
		jb->rec = (ls_rec_t *)(void *)((char *)an->links.v + jb->rec_at);
	} else {
		jb->rec = malloc((total ? total : 1) * sizeof *jb->rec);
	}
	if (jb->rec == NULL)
		return ls_fail(ctx, LS_ENOMEM, "out of memory: %zu co-action records", total);
	fill_records(jb, 0, jb->nparts, threads);
	return LS_OK;
}

/* Hands the sorted traces to an->sorted for the evidence sweep (or frees
 * them: after an error, or when the cache cannot be allocated). */
static void keep_sorted(ls_analysis_t *an, const job_t *jb, ls_trace_t *t, ls_error_t err)
{
	if (an->sorted == NULL && !err)
		an->sorted = calloc(1, sizeof *an->sorted);
	if (an->sorted == NULL || err) {
		free(t);
		return;
	}
	ls_analysis_release_sorted(an);
	an->sorted->t = t;
	for (uint32_t s = 0; s < jb->nseg; s++) {
		uint32_t b = jb->seg_b[s];
		an->sorted->lo[b] = jb->seg_lo[s];
		an->sorted->n[b] = jb->seg_lo[s + 1] - jb->seg_lo[s];
		an->sorted->window[b] = jb->win[b];
		an->sorted->have |= 1u << b;
	}
}

/* Cuts the sorted traces jb->t (segments set) into slices (whole objects)
 * and the accounts into partitions. */
static ls_error_t plan_job(ls_analysis_t *an, job_t *jb, int threads, ls_ctx_t *ctx)
{
	size_t n = jb->seg_lo[jb->nseg];
	slicevec_t slices = {0};
	/* about 8 slices per thread for balance; partitions of ~64k traces */
	size_t size = n / (8 * (size_t)threads) + 1, nparts = n / 16384 + 8 * (size_t)threads;
	if (size < 4096)
		size = 4096;
	if (nparts > jb->naccounts)
		nparts = jb->naccounts;
	ls_error_t err = LS_OK;
	for (uint32_t s = 0; s < jb->nseg && !err; s++)
		if (cut_slices(jb, &slices, jb->seg_lo[s], jb->seg_lo[s + 1], jb->seg_b[s], size))
			err = ls_fail(ctx, LS_ENOMEM, "out of memory");
	jb->slices = slices.v;
	jb->nslices = slices.n;
	jb->nparts = nparts;
	jb->parts = calloc(nparts, sizeof *jb->parts);
	jb->part_of = partition_accounts(an->ds, jb->naccounts, nparts);
	if (!err && (jb->parts == NULL || jb->part_of == NULL))
		err = ls_fail(ctx, LS_ENOMEM, "out of memory");
	return err;
}

static void free_degw(job_t *jb, int threads)
{
	for (int w = 0; jb->degw && w < threads; w++)
		free(jb->degw[w]);
	free(jb->degw);
	jb->degw = NULL;
}

static void free_job(job_t *jb)
{
	for (size_t c = 0; c < jb->nslices; c++) {
		free(jb->slices[c].cnt);
		free(jb->slices[c].at);
		ls_vec_free(&jb->slices[c].objects);
	}
	free(jb->rec);
	free(jb->parts);
	free(jb->part_of);
	free(jb->slices);
	jb->rec = NULL;
	jb->slices = NULL;
	jb->nslices = 0;
	jb->parts = NULL;
	jb->part_of = NULL;
}

/* Sweeps the sorted traces jb->t (segments set), sorts the co-action
 * records by pair and builds the full links into an->links. Per
 * behaviour: co-actions, skipped in bursts, links. Adds the slot counts to
 * an->slot_pairs on the first pass (keep NULL). With jb->lean (a stream
 * asked for) it stops after the count pass when the full links would take
 * at least an->lean_min_bytes, and sets *stream: the job is kept for
 * ls_link_stream_run. */
static ls_error_t link_traces(ls_analysis_t *an, job_t *jb, int threads, uint64_t *pairs,
                              uint64_t *skipped, size_t *links, int *stream, ls_ctx_t *ctx)
{
	*stream = 0;
	ls_error_t err = plan_job(an, jb, threads, ctx);
	if (!err && jb->lean) {
		size_t na = an->ds->accounts.n;
		if ((jb->degw = calloc((size_t)threads, sizeof *jb->degw)) == NULL)
			err = ls_fail(ctx, LS_ENOMEM, "out of memory");
		for (int w = 0; !err && w < threads; w++)
			if ((jb->degw[w] = calloc(na ? na : 1, sizeof **jb->degw)) == NULL)
				err = ls_fail(ctx, LS_ENOMEM, "out of memory");
	}
	if (!err)
		err = count_records(jb, pairs, skipped, threads, ctx);
	int sorted = 0;
	if (!err && jb->lean) {
		size_t total = 0, cap = an->group_records ? an->group_records : STREAM_GROUP_RECORDS;
		for (size_t k = 0; k < jb->nparts; k++)
			total += jb->parts[k].n;
		if (total >= an->lean_min_bytes / sizeof(ls_link_t) &&
		    total < an->lean_min_bytes / sizeof(ls_rec_t) && total <= cap) {
			/* the records take less than the bound (the full links
			 * might not): sort them all now and count the links, which
			 * co-actions of several behaviours or objects share (the
			 * IRA corpus: 4.9 M co-actions, 236 k links) */
			if ((jb->rec = malloc((total ? total : 1) * sizeof *jb->rec)) == NULL)
				err = ls_fail(ctx, LS_ENOMEM, "out of memory: %zu co-action records", total);
			if (!err) {
				fill_records(jb, 0, jb->nparts, threads);
				atomic_init(&jb->next, 0);
				ls_parallel_run(threads, sort_worker, jb);
				sorted = 1;
			}
			size_t nlinks = 0;
			for (size_t k = 0; k < jb->nparts && !err; k++)
				nlinks += jb->parts[k].nlinks;
			if (!err && nlinks >= an->lean_min_bytes / sizeof(ls_link_t)) {
				jb->prefilled = 1; /* the stream's one group, filled and sorted */
				*stream = 1;
				return LS_OK;
			}
		} else if (total >= an->lean_min_bytes / sizeof(ls_link_t)) {
			*stream = 1;
			return LS_OK;
		}
		jb->lean = 0; /* few links: all in full at once */
	}
	free_degw(jb, threads);
	if (!err && !sorted)
		err = collect_records(jb, threads, ctx);
	if (!err && !sorted) {
		atomic_init(&jb->next, 0);
		ls_parallel_run(threads, sort_worker, jb);
	}
	size_t nlinks = 0;
	for (size_t k = 0; k < jb->nparts && !err; k++) {
		if (jb->parts[k].oom)
			err = ls_fail(ctx, LS_ENOMEM, "out of memory sorting co-actions");
		jb->parts[k].first_link = nlinks;
		nlinks += jb->parts[k].nlinks;
	}
	if (!err && !jb->rec_at && ls_vec_reserve(&an->links, nlinks))
		err = ls_fail(ctx, LS_ENOMEM, "out of memory: %zu links", nlinks);
	if (!err) {
		an->links.n = nlinks;
		ls_parallel_for(threads, jb->nparts, aggregate_task, jb);
		for (size_t k = 0; k < jb->nparts && !err; k++)
			if (jb->parts[k].oom)
				err = ls_fail(ctx, LS_ENOMEM, "out of memory aggregating links");
	}
	for (size_t k = 0; !err && k < jb->nparts; k++)
		for (uint32_t b = 0; b < LS_MAX_BEHAVIOURS; b++)
			links[b] += jb->parts[k].links[b];
	if (jb->rec_at) {
		/* the records are spent: give back the array's tail */
		ls_link_t *v = err || an->links.n == an->links.cap
		                   ? NULL
		                   : realloc(an->links.v, (an->links.n ? an->links.n : 1) * sizeof *v);
		if (v != NULL) {
			an->links.v = v;
			an->links.cap = an->links.n ? an->links.n : 1;
		}
		jb->rec = NULL;
	}
	free_job(jb);
	return err;
}

/* A link stage that streams (ls_link_run leaves it in an->stream). */
struct ls_link_stream {
	job_t jb;
	int threads;
	uint32_t *deg; /* per account: its co-actions (at least its pairs) */
	size_t traces[LS_MAX_BEHAVIOURS];
	uint64_t pairs[LS_MAX_BEHAVIOURS], skipped[LS_MAX_BEHAVIOURS];
};

static void job_init(job_t *jb, ls_analysis_t *an)
{
	memset(jb, 0, sizeof *jb);
	jb->an = an;
	jb->window = an->params.window;
	jb->burst = an->params.max_burst ? an->params.max_burst : SIZE_MAX;
	jb->naccounts = an->ds->accounts.n ? an->ds->accounts.n : 1;
	jb->k1 = SIZE_MAX;
	jb->a1 = UINT32_MAX;
}

static void link_diag(const job_t *jb, const size_t *traces, const uint64_t *pairs,
                      const size_t *links, const uint64_t *skipped, ls_ctx_t *ctx)
{
	for (uint32_t s = 0; s < jb->nseg; s++) {
		uint32_t b = jb->seg_b[s];
		ls_diag(ctx, LS_DIAG_PROGRESS,
		        "%s: %zu traces, %" PRIu64 " co-actions, %zu links, %" PRIu64
		        " skipped in bursts",
		        ls_behaviour_name(b), traces[b], pairs[b], links[b], skipped[b]);
	}
}

void ls_link_stream_free(ls_analysis_t *an)
{
	ls_link_stream_t *st = an->stream;
	if (st == NULL)
		return;
	free_job(&st->jb);
	free_degw(&st->jb, st->threads);
	free(st->deg);
	free(st);
	an->stream = NULL;
}

ls_error_t ls_link_run(ls_analysis_t *an, ls_ctx_t *ctx)
{
	ls_link_stream_t *st = calloc(1, sizeof *st);
	if (st == NULL)
		return ls_fail(ctx, LS_ENOMEM, "out of memory");
	job_t *jb = &st->jb;
	job_init(jb, an);
	jb->lean = an->lean_first;
	int threads = st->threads = ls_ctx_threads(ctx);
	ls_trace_t *t = NULL;
	double t0 = ls_wall_s();
	ls_error_t err = sorted_all(an, jb, st->traces, &t, threads, ctx);
	if (err) {
		free(st);
		return err;
	}
	jb->t = t;
	double t1 = ls_wall_s();
	size_t links[LS_MAX_BEHAVIOURS] = {0};
	int stream = 0;
	err = link_traces(an, jb, threads, st->pairs, st->skipped, links, &stream, ctx);
	an->lean_first = stream;
	if (!err && stream)
		ls_diag(ctx, LS_DIAG_PROGRESS,
		        "link: %zu traces sorted in %.2f s, co-actions counted in %.2f s",
		        jb->seg_lo[jb->nseg], t1 - t0, ls_wall_s() - t1);
	for (uint32_t s = 0; !err && s < jb->nseg; s++) {
		uint32_t b = jb->seg_b[s];
		an->coactions += st->pairs[b];
		an->burst_skipped += st->skipped[b];
	}
	if (!err && stream) {
		/* the co-actions per account, summed over the workers */
		st->deg = jb->degw[0];
		jb->degw[0] = NULL;
		for (int w = 1; w < threads; w++)
			for (size_t a = 0; a < an->ds->accounts.n; a++)
				st->deg[a] = sat_add(st->deg[a], jb->degw[w][a]);
		free_degw(jb, threads);
		an->stream = st;
	} else if (!err) {
		an->links_total = an->links.n;
		link_diag(jb, st->traces, st->pairs, links, st->skipped, ctx);
	}
	keep_sorted(an, jb, t, err);
	if (an->stream == NULL) {
		free_job(jb);
		free_degw(jb, threads);
		free(st);
	}
	return err;
}

uint32_t *ls_link_stream_take_coactions(ls_analysis_t *an, uint64_t *per_behaviour)
{
	ls_link_stream_t *st = an->stream;
	for (uint32_t b = 0; b < LS_MAX_BEHAVIOURS; b++)
		per_behaviour[b] = st->pairs[b];
	uint32_t *deg = st->deg;
	st->deg = NULL;
	return deg;
}

/* A stream's worker: takes partitions of the current group in order, sorts
 * each, builds its lean links into its own buffer and hands them to the
 * sink. */
static void *stream_worker(void *arg)
{
	job_t *jb = arg;
	int w = atomic_fetch_add(&jb->worker, 1);
	ls_rec_t *tmp = NULL;
	LS_VEC(ls_lean_link_t) out = {0};
	pevset_t set = {NULL, NULL, 0};
	for (;;) {
		size_t k = atomic_fetch_add(&jb->next, 1);
		if (k >= jb->k1)
			break;
		part_t *p = &jb->parts[k];
		if (p->n == 0)
			continue;
		if ((!jb->prefilled && sort_part(jb, p, &tmp)) || ls_vec_reserve(&out, p->nlinks) ||
		    aggregate_lean(jb, p, out.v, &set) ||
		    jb->sink->part(jb->sink->arg, w, k, out.v, p->nlinks)) {
			p->oom = 1;
			break;
		}
	}
	free(tmp);
	ls_vec_free(&out);
	free(set.key);
	free(set.mask);
	return NULL;
}


/* The group of partitions from k0: as many as hold at most cap records
 * (at least one); returns its end, *n its records. */
static size_t group_end(const job_t *jb, size_t k0, size_t cap, size_t *n)
{
	size_t k1 = k0 + 1;
	*n = jb->parts[k0].n;
	for (; k1 < jb->nparts && *n + jb->parts[k1].n <= cap; k1++)
		*n += jb->parts[k1].n;
	return k1;
}

ls_error_t ls_link_stream_run(ls_analysis_t *an, const ls_link_sink_t *sink, ls_ctx_t *ctx)
{
	ls_link_stream_t *st = an->stream;
	job_t *jb = &st->jb;
	jb->sink = sink;
	size_t most = 0, groups = 0;
	size_t cap = an->group_records ? an->group_records : STREAM_GROUP_RECORDS;
	for (size_t k0 = 0, k1, n; k0 < jb->nparts; k0 = k1, groups++) {
		k1 = group_end(jb, k0, cap, &n);
		if (n > most)
			most = n;
	}
	if (!jb->prefilled && (jb->rec = malloc((most ? most : 1) * sizeof *jb->rec)) == NULL)
		return ls_fail(ctx, LS_ENOMEM, "out of memory: %zu co-action records", most);
	if (groups > 1)
		ls_diag(ctx, LS_DIAG_PROGRESS, "linking in %zu groups of at most %zu co-actions",
		        groups, most);
	ls_error_t err = LS_OK;
	for (size_t k0 = 0, k1, n; k0 < jb->nparts && !err; k0 = k1) {
		k1 = group_end(jb, k0, cap, &n);
		if (!jb->prefilled) /* else one group: every record is in place, sorted */
			fill_records(jb, k0, k1, st->threads);
		atomic_init(&jb->next, k0);
		atomic_init(&jb->worker, 0);
		ls_parallel_run(st->threads, stream_worker, jb);
		for (size_t k = k0; k < k1 && !err; k++)
			if (jb->parts[k].oom)
				err = ls_fail(ctx, LS_ENOMEM, "out of memory linking");
		if (!err && sink->group(sink->arg, k0, k1))
			err = ls_fail(ctx, LS_ENOMEM, "out of memory linking");
	}
	size_t links[LS_MAX_BEHAVIOURS] = {0};
	for (size_t k = 0; !err && k < jb->nparts; k++)
		for (uint32_t b = 0; b < LS_MAX_BEHAVIOURS; b++)
			links[b] += jb->parts[k].links[b];
	if (!err) {
		an->links_total = 0;
		for (uint32_t b = 0; b < LS_MAX_BEHAVIOURS; b++)
			an->links_total += links[b];
		link_diag(jb, st->traces, st->pairs, links, st->skipped, ctx);
	}
	free(jb->rec);
	jb->rec = NULL;
	return err;
}

ls_error_t ls_link_detail(ls_analysis_t *an, const unsigned char *keep, ls_ctx_t *ctx)
{
	job_t jb;
	job_init(&jb, an);
	jb.keep = keep;
	int threads = ls_ctx_threads(ctx);
	ls_vec_free(&an->links);
	ls_error_t err = LS_OK;
	const ls_sorted_cache_t *sc = an->sorted;
	ls_trace_t *own = NULL;
	if (sc != NULL && sc->t != NULL) {
		/* the first pass's segments: behaviours in increasing order */
		for (uint32_t b = 0; b < LS_MAX_BEHAVIOURS; b++) {
			if (!(sc->have >> b & 1))
				continue;
			jb.seg_b[jb.nseg] = b;
			jb.seg_lo[jb.nseg] = sc->lo[b];
			jb.seg_lo[jb.nseg + 1] = sc->lo[b] + sc->n[b];
			jb.win[b] = sc->window[b];
			jb.nseg++;
		}
		jb.t = sc->t;
	} else {
		size_t traces[LS_MAX_BEHAVIOURS];
		if ((err = sorted_all(an, &jb, traces, &own, threads, ctx)) != LS_OK)
			return err;
		jb.t = own;
	}
	uint64_t pairs[LS_MAX_BEHAVIOURS] = {0}, skipped[LS_MAX_BEHAVIOURS] = {0};
	size_t links[LS_MAX_BEHAVIOURS] = {0};
	int stream;
	err = link_traces(an, &jb, threads, pairs, skipped, links, &stream, ctx);
	if (own != NULL)
		keep_sorted(an, &jb, own, err);
	return err;
}

size_t ls_link_stream_parts(const ls_analysis_t *an)
{
	return an->stream->jb.nparts;
}
