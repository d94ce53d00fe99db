/*
 * Score stage: how unlikely is each link by chance?
 *
 * 1. Null model (score/null_hour.h): for each link (a, b, behaviour) the
 *    expected number of co-actions E under a configuration null that keeps
 *    every co-action opportunity (object, time) and every account's number
 *    of traces per UTC hour of day. Observed x = distinct objects acted on
 *    together, capped by the distinct post pairs behind them; p =
 *    P(Poisson(E) >= x). Counting these while E counts co-actions
 *    (x <= co-actions) keeps the test conservative. The behaviours in
 *    an->ads_null (ads) take their E from the ads null instead
 *    (score/null_ads.h); everything after is shared.
 * 2. Fusion: the behaviours of a pair are Poisson counts under the null, so
 *    their sum is Poisson with the summed mean: p_sum = P(Poisson(sum E) >=
 *    X), where a post pair already counted under an earlier behaviour is not
 *    counted again (one reply that also mentions its target counts once). A
 *    ring weak on every behaviour but consistent across them adds up. The
 *    sum dilutes a pair that is extreme on one behaviour with another
 *    behaviour's large expectation (thousands sharing #GOPDebate), so the
 *    fused p-value is 2 min(p_sum, B min_b p_b) (Bonferroni over the two
 *    tests and the B behaviours).
 * 3. FDR on links: Benjamini-Hochberg over every pair of active accounts
 *    (pairs that never co-acted have p = 1 and count in m), per behaviour
 *    for the layer q-values and fused for the decision.
 * 4. FDR on accounts (what is flagged): an account's p-value is the Simes
 *    combination of its N - 1 pair p-values (the unlinked ones are 1),
 *    p_a = min_k (N - 1) p_(k) / k, and BH across the N active accounts
 *    decides which accounts are flagged. A pair is kept when its fused
 *    q <= fdr, both its accounts are flagged, and it has at least
 *    min_weight events. Controlling the flagged accounts, not only the
 *    links, matters because chance links scatter over many accounts while
 *    an operation's links concentrate on few.
 *
 * BH and Simes sort only the p-values that can give a term below 1
 * (ls_prune_values): with mostly chance links that is a small fraction,
 * and the results are bit for bit those of sorting all. So the stage
 * keeps, of every link and pair, only the values below an upper bound of
 * the first pruning bound of each procedure that reads them (from upper
 * bounds of the counts: the link stage's co-actions per behaviour and per
 * account), the candidates (lcand_t, pcand_t); the rest have q = 1 and
 * take no part. The procedures then start from the exact counts, which
 * leaves the same values as pruning all of them. With one behaviour every
 * pair is one link and one candidate holds both (its log p-value, fused
 * by fused1). The results are kept where q < 1.
 *
 * The links come from the link stage's stream (ls_link_stream_run),
 * partition by partition, or from the full links built at once (few
 * links, or --all-links), cut into chunks of whole pairs: score_part
 * takes either. Once the accounts are flagged the link stage builds the
 * full records of the links of pairs between flagged accounts
 * (ls_link_detail; with --all-links it built them all); their score fields
 * are computed again (the same functions of the same fields) and the pair
 * records of those pairs only are built: nothing else can be kept,
 * clustered or explained.
 *
 * Time O(L) for L links plus the sort of the small p-values; memory 16
 * bytes per candidate (24 per link candidate with several behaviours),
 * 12 bytes per account for the bounds, the flagged pairs, plus 96 bytes per
 * account and behaviour for the null model.
 */
#include "core/analysis.h"
#include "core/ctx.h"
#include "score/null_ads.h"
#include "score/null_hour.h"
#include "score/stats.h"
#include "core/parallel.h"
#include "core/radix.h"
#include "core/timing.h"

#include <stdatomic.h>

#include <gsl/gsl_errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#define MAX_SIGNIFICANCE 1000.0 /* -log10 p reported at most (p < 1e-1000) */

static double significance(double logp)
{
	double s = -logp / log(10.0);
	return s > MAX_SIGNIFICANCE ? MAX_SIGNIFICANCE : (s < 0 ? 0 : s);
}

/* The count a link contributes: distinct objects, but no more than the
 * distinct post pairs behind them. Objects: one hashtag blasted in two
 * overlapping bursts is one thing done together, not hundreds; post
 * pairs: one copied post with five hashtags is one act, not five. */
static uint32_t link_count(uint32_t objects, uint32_t events)
{
	return objects < events ? objects : events;
}

static double pairs_of(uint64_t n)
{
	return n < 2 ? 1.0 : (double)n * (double)(n - 1) / 2.0;
}

/* The null of behaviour b: the ads null for the behaviours in
 * an->ads_null, the hour-of-day null for the rest. */
typedef struct nulls {
	ls_null_hour_t hour;
	ls_null_ads_t ads;
} nulls_t;

static ls_error_t nulls_build(nulls_t *n, const ls_analysis_t *an, ls_ctx_t *ctx)
{
	ls_error_t err = ls_null_hour_build(&n->hour, an, ctx);
	if (err)
		return err;
	err = ls_null_ads_build(&n->ads, an, ctx);
	if (err)
		ls_null_hour_destroy(&n->hour);
	return err;
}

static void nulls_destroy(nulls_t *n)
{
	ls_null_hour_destroy(&n->hour);
	ls_null_ads_destroy(&n->ads);
}

static double null_expected(const nulls_t *n, const ls_analysis_t *an, uint32_t b, uint32_t a1,
                            uint32_t a2)
{
	return an->ads_null >> b & 1 ? ls_null_ads_expected(&n->ads, b, a1, a2)
	                             : ls_null_hour_expected(&n->hour, an, b, a1, a2);
}

/* Makes an->pairs hold np pairs (contents undefined); -1 when out of memory. */
static int pairs_alloc(ls_analysis_t *an, size_t np)
{
	if (an->pairs.cap < np) {
		ls_vec_free(&an->pairs);
		if ((an->pairs.v = ls_score_big_alloc(np * sizeof *an->pairs.v)) == NULL)
			return -1;
		an->pairs.cap = np;
	}
	an->pairs.n = np;
	return 0;
}

/* q-value from log q: most are 1 (log 0) and exp(0) is exactly 1. */
static double q_of(double logq)
{
	return logq == 0 ? 1.0 : exp(logq);
}

/* Sorts v[0..n) ascending (no NaN): quicksort with median of three and
 * insertion sort below 16 elements, inlined comparisons. */
static void sort_doubles(double *v, size_t n)
{
	while (n > 16) {
		double x = v[0], y = v[n / 2], z = v[n - 1];
		double pivot = x < y ? (y < z ? y : (x < z ? z : x)) : (x < z ? x : (y < z ? z : y));
		size_t i = 0, j = n - 1;
		for (;;) {
			while (v[i] < pivot)
				i++;
			while (pivot < v[j])
				j--;
			if (i >= j)
				break;
			double t = v[i];
			v[i] = v[j];
			v[j] = t;
			i++;
			j--;
		}
		/* recurse into the smaller part, loop on the larger */
		size_t left = j + 1;
		if (left < n - left) {
			sort_doubles(v, left);
			v += left;
			n -= left;
		} else {
			sort_doubles(v + left, n - left);
			n = left;
		}
	}
	for (size_t i = 1; i < n; i++) {
		double x = v[i];
		size_t j = i;
		for (; j > 0 && x < v[j - 1]; j--)
			v[j] = v[j - 1];
		v[j] = x;
	}
}

/* One p-value of an account that can matter for its Simes combination: a
 * sort record keyed by the account, the value's bits in i (low) and j. */
static ls_rec_t simes_entry(double v, uint32_t account)
{
	uint64_t u;
	memcpy(&u, &v, sizeof u);
	return (ls_rec_t){account, (uint32_t)u, (uint32_t)(u >> 32)};
}

static double simes_value(const ls_rec_t *r)
{
	uint64_t u = (uint64_t)r->j << 32 | r->i;
	double v;
	memcpy(&v, &u, sizeof v);
	return v;
}

/* The values the FDR procedures can need (see ls_prune_values): a link's
 * log p-value, then its layer log q-value (lcand_t), and a pair's fused
 * log p-value, then its log q-value (pcand_t), both in link order (a, b,
 * behaviour). Every link or pair left out has q = 1 and takes no part in
 * any procedure. */
typedef struct lcand {
	uint32_t a, b, behaviour;
	double v;
} lcand_t;
typedef struct pcand {
	uint32_t a, b;
	double v;
} pcand_t;
typedef LS_VEC(lcand_t) lcandvec_t;
typedef LS_VEC(pcand_t) pcandvec_t;

/* One behaviour: fused_logp (below) of a one-link pair from the link's
 * log p-value lp, with logb = log B and log2v = log 2 (the same
 * operations: the same value). */
static double fused1(double logb, double log2v, double lp)
{
	double best = lp < 0 ? lp : 0;
	double lmin = logb + best;
	double lf = log2v + (lp < lmin ? lp : lmin);
	return lf > 0 ? 0.0 : lf;
}

/* Simes over the accounts: p_a = min_k (N - 1) p_(k) / k over account a's
 * pair p-values, at most 1. Its form is BH's, so only the values below
 * ls_prune_bound(deg[a], log(N - 1)) can make a term below 1 (see
 * ls_prune_values), and any deg[a] at least the account's number of pairs
 * gives the same result: the pruning from more values ends at the same
 * fixpoint. In parallel: each slice of pair candidates lists those values
 * as entries, then the entries are grouped by account (a counting sort,
 * slices in order), then pruned further, sorted and combined per account. */
/* Up to this many accounts (2 MB of entry offsets) the Simes entries are
 * grouped by a counting scatter, beyond by a radix sort on the threads. */
#define SIMES_SCATTER_ACCOUNTS ((size_t)1 << 18)

/* Slices of the pair candidates: each is compacted in place to its live
 * ones (sj->live[k] from its start) as the bounds narrow. */
#define SIMES_SLICES 64
#define SIMES_AHEAD 16 /* candidates ahead whose account b is fetched */
typedef struct simes_job {
	pcand_t *pc;            /* the pair candidates */
	int one_link;           /* their values are links' log p-values: fused1 them */
	double logb, log2v;
	size_t np, na;
	uint32_t **cntw;        /* narrowing: per worker, values below each bound */
	atomic_size_t next;
	atomic_int worker;
	size_t live[SIMES_SLICES]; /* per slice: its candidates still below a bound */
	const double *bound;    /* per account */
	size_t *at;             /* per slice: its entries' count, then the first's place */
	ls_rec_t *rec;          /* the entries, slice after slice, each in pair order */
	const size_t *start;    /* account a: cand[start[a] .. start[a + 1]) */
	double *cand, *alogp, logn1;
} simes_job_t;

/* Narrowing the bounds: each worker takes slices, counts per account the
 * values below the account's bound and keeps, in place, only the
 * candidates below either account's bound (the bounds only fall, so the
 * others never count again). The first pass turns one-link values into
 * fused ones. */
static void *simes_count_worker(void *arg)
{
	simes_job_t *sj = arg;
	uint32_t *cnt = sj->cntw[atomic_fetch_add(&sj->worker, 1)];
	for (;;) {
		size_t k = atomic_fetch_add(&sj->next, 1), lo, hi;
		if (k >= SIMES_SLICES)
			break;
		ls_slice(sj->np, SIMES_SLICES, k, &lo, &hi);
		pcand_t *pc = sj->pc + lo, *out = pc;
		size_t n = sj->live[k];
		for (size_t q = 0; q < n; q++) {
			if (q + SIMES_AHEAD < n) { /* b is random: fetch its bound and count early */
				uint32_t f = pc[q + SIMES_AHEAD].b;
				__builtin_prefetch(&sj->bound[f]);
				__builtin_prefetch(&cnt[f], 1);
			}
			pcand_t c = pc[q];
			if (sj->one_link)
				c.v = fused1(sj->logb, sj->log2v, c.v);
			int ia = c.v < sj->bound[c.a], ib = c.v < sj->bound[c.b];
			cnt[c.a] += (uint32_t)ia;
			cnt[c.b] += (uint32_t)ib;
			if (ia | ib)
				*out++ = c;
		}
		sj->live[k] = (size_t)(out - pc);
	}
	return NULL;
}

/* Narrows every account's bound (ls_prune_values' iteration, for all
 * accounts at once, before any value is listed): c' = the values below
 * bound(c), bound(c') next; a few passes while the values below shrink by
 * a quarter or more. Any step of it leaves at least the fixpoint's
 * values, so the result is the same, with far fewer entries to list and
 * sort. -1 when out of memory (the bounds are still valid). */
#define SIMES_NARROW_PASSES 6
static int simes_narrow(simes_job_t *sj, double *bound, int threads)
{
	int rc = 0;
	if ((sj->cntw = calloc((size_t)threads, sizeof *sj->cntw)) == NULL)
		return -1;
	for (int w = 0; w < threads && rc == 0; w++)
		if ((sj->cntw[w] = ls_score_big_alloc((sj->na ? sj->na : 1) * sizeof **sj->cntw)) == NULL)
			rc = -1;
	size_t before = SIZE_MAX;
	for (int pass = 0; pass < SIMES_NARROW_PASSES && rc == 0; pass++) {
		for (int w = 0; w < threads; w++)
			memset(sj->cntw[w], 0, sj->na * sizeof **sj->cntw);
		atomic_init(&sj->next, 0);
		atomic_init(&sj->worker, 0);
		ls_parallel_run(threads, simes_count_worker, sj);
		sj->one_link = 0; /* the values are fused now */
		size_t total = 0;
		for (size_t a = 0; a < sj->na; a++) {
			uint32_t c = 0;
			for (int w = 0; w < threads; w++)
				c += sj->cntw[w][a];
			total += c;
			bound[a] = c ? ls_prune_bound(c, sj->logn1) : -INFINITY;
		}
		if (total > before / 4 * 3)
			break;
		before = total;
	}
	for (int w = 0; w < threads; w++)
		free(sj->cntw[w]);
	free(sj->cntw);
	sj->cntw = NULL;
	return rc;
}

/* Slice k's entries: counted (sj->rec NULL), or written from sj->at[k]. */
static void simes_entry_task(void *arg, size_t k)
{
	simes_job_t *sj = arg;
	size_t n = 0, lo, hi;
	ls_rec_t *out = sj->rec ? sj->rec + sj->at[k] : NULL;
	ls_slice(sj->np, SIMES_SLICES, k, &lo, &hi);
	hi = lo + sj->live[k];
	for (size_t q = lo; q < hi; q++) {
		if (q + SIMES_AHEAD < hi)
			__builtin_prefetch(&sj->bound[sj->pc[q + SIMES_AHEAD].b]);
		double v = sj->pc[q].v;
		uint32_t a = sj->pc[q].a, b = sj->pc[q].b;
		if (v < sj->bound[a] && (++n, out))
			*out++ = simes_entry(v, a);
		if (v < sj->bound[b] && (++n, out))
			*out++ = simes_entry(v, b);
	}
	if (sj->rec == NULL)
		sj->at[k] = n;
}

static void simes_task(void *arg, size_t k, size_t lo, size_t hi)
{
	simes_job_t *sj = arg;
	(void)k;
	for (size_t a = lo; a < hi; a++) {
		double *v = sj->cand + sj->start[a], best = 0;
		size_t n = ls_prune_values(v, sj->start[a + 1] - sj->start[a], sj->logn1);
		sort_doubles(v, n);
		for (size_t r = 0; r < n; r++) {
			double s = sj->logn1 - log((double)(r + 1)) + v[r];
			if (s < best)
				best = s;
		}
		sj->alogp[a] = best;
	}
}

/* Account-level p-values (Simes over each account's pairs), BH across the
 * active accounts, flags. pc[0..np): the pair candidates with their fused
 * log p-values (one_link: their links' log p-values); deg[a]: at least
 * account a's pairs, 0 only when it has none; bound[a]: its first Simes
 * bound, ls_prune_bound(deg[a], log(N - 1)) or -inf (narrowed in place). */
static ls_error_t score_accounts(ls_analysis_t *an, pcand_t *pc, size_t np, int one_link,
                                 double logb, const uint32_t *deg, double *bound,
                                 uint64_t active, int threads, ls_ctx_t *ctx)
{
	size_t na = an->ds->accounts.n, ntasks = SIMES_SLICES;
	ls_error_t err = LS_OK;
	simes_job_t sj = {.pc = pc,
	                  .one_link = one_link,
	                  .logb = logb,
	                  .log2v = log(2.0),
	                  .np = np,
	                  .na = na,
	                  .logn1 = log(active > 1 ? (double)(active - 1) : 1.0)};
	ls_rec_t *rec = NULL, *rtmp = NULL; /* the entries, to sort by account */
	size_t *start = calloc(na + 1, sizeof *start);
	double *alogp = calloc(na ? na : 1, sizeof *alogp);
	double *alogq = malloc((na ? na : 1) * sizeof *alogq);
	uint32_t *tested = malloc((na ? na : 1) * sizeof *tested);
	sj.at = malloc(ntasks * sizeof *sj.at);
	an->account_p = calloc(na ? na : 1, sizeof *an->account_p);
	an->account_q = calloc(na ? na : 1, sizeof *an->account_q);
	an->account_score = calloc(na ? na : 1, sizeof *an->account_score);
	an->flagged = calloc(na ? na : 1, 1);
	if (!start || !alogp || !alogq || !tested || !sj.at ||
	    !an->account_p || !an->account_q || !an->account_score || !an->flagged)
		goto oom;
	sj.bound = bound;
	for (size_t k = 0, lo, hi; k < SIMES_SLICES; k++) {
		ls_slice(np, SIMES_SLICES, k, &lo, &hi);
		sj.live[k] = hi - lo;
	}
	double t0 = ls_wall_s(), t1, t2, t3;
	if (simes_narrow(&sj, bound, threads))
		goto oom;
	t1 = ls_wall_s();
	/* the entries in slice (pair) order, counted then written, then a
	 * stable sort by account on the threads groups them, start[a] ..
	 * start[a + 1], each account's in pair order (a scatter by account
	 * would miss the cache on every entry once the accounts are many) */
	ls_parallel_for(threads, SIMES_SLICES, simes_entry_task, &sj);
	size_t ne = ls_counts_to_offsets(sj.at, ntasks);
	rec = malloc((ne ? ne : 1) * sizeof *rec);
	rtmp = malloc((ne ? ne : 1) * sizeof *rtmp);
	if (!rec || !rtmp)
		goto oom;
	sj.rec = rec;
	ls_parallel_for(threads, SIMES_SLICES, simes_entry_task, &sj);
	if (na <= SIMES_SCATTER_ACCOUNTS) {
		/* few accounts: their counts stay in the cache, so a stable
		 * counting scatter (one thread) beats sorting */
		sj.cand = (double *)(void *)rtmp;
		for (size_t e = 0; e < ne; e++)
			start[rec[e].key + 1]++;
		for (size_t a = 0; a < na; a++)
			start[a + 1] += start[a];
		for (size_t e = 0; e < ne; e++)
			sj.cand[start[rec[e].key]++] = simes_value(&rec[e]);
		for (size_t a = na; a > 0; a--) /* the fill moved each start one account on */
			start[a] = start[a - 1];
		start[0] = 0;
	} else {
		ls_rec_t *byacc = ls_radix_sort_rec_mt(rec, rtmp, ne, threads);
		if (byacc == NULL)
			goto oom;
		/* the values go to the other buffer (8 of its 16 bytes per entry) */
		sj.cand = (double *)(void *)(byacc == rec ? rtmp : rec);
		for (size_t e = 0; e < ne; e++) {
			start[byacc[e].key + 1]++;
			sj.cand[e] = simes_value(&byacc[e]);
		}
		for (size_t a = 0; a < na; a++)
			start[a + 1] += start[a];
		free(byacc);
		if (byacc == rec)
			rec = NULL;
		else
			rtmp = NULL;
	}
	sj.start = start;
	sj.alogp = alogp;
	t2 = ls_wall_s();
	ls_parallel_range(threads, na, ntasks, simes_task, &sj);
	t3 = ls_wall_s();
	size_t nt = 0;
	for (size_t a = 0; a < na; a++) {
		an->account_p[a] = 1;
		an->account_q[a] = 1;
		if (deg[a] == 0)
			continue;
		alogp[nt] = alogp[a]; /* nt <= a: compacts in place */
		tested[nt++] = (uint32_t)a;
	}
	if (ls_bh_logq_mt(alogp, alogq, nt, (double)(active ? active : 1), threads))
		goto oom;
	double logfdr = log(an->params.fdr);
	for (size_t k = 0; k < nt; k++) {
		uint32_t a = tested[k];
		an->account_p[a] = q_of(alogp[k]);
		an->account_q[a] = q_of(alogq[k]);
		an->account_score[a] = significance(alogp[k]);
		an->flagged[a] = alogq[k] <= logfdr;
	}
	an->tested_accounts = active;
	ls_diag(ctx, LS_DIAG_PROGRESS,
	        "accounts: bounds narrowed in %.2f s, %zu values grouped in %.2f s, Simes in %.2f s, "
	        "BH in %.2f s",
	        t1 - t0, ne, t2 - t1, t3 - t2, ls_wall_s() - t3);
	goto done;
oom:
	err = ls_fail(ctx, LS_ENOMEM, "out of memory scoring accounts");
done:
	free(sj.at);
	free(rec);
	free(rtmp);
	free(start);
	free(alogp);
	free(alogq);
	free(tested);
	return err;
}

/* What one partition (a run of whole pairs) of the links left behind. */
typedef struct part_out {
	lcandvec_t lc;
	pcandvec_t pc;
	size_t links[LS_MAX_BEHAVIOURS], pairs;
} part_out_t;

/* Shared state of the parallel scoring loops. */
typedef struct score_job {
	ls_analysis_t *an;
	const nulls_t *nu;
	double logb, log2v, logfdr;
	const double *lam_skip; /* per account, or NULL: see skip_thresholds */
	/* a link is a candidate when its log p-value is below its layer's
	 * bound, a pair when its fused log p-value is below the fused bound or
	 * either account's Simes bound: each at least the first bound of its
	 * procedure (ls_prune_bound) */
	double layer_bound[LS_MAX_BEHAVIOURS], fused_bound;
	const double *acc_bound;
	int one_link;           /* one behaviour: a pair is one link, its candidate
	                         * value (pcand_t) the link's log p-value, fused by fused1 */
	part_out_t *out;        /* per partition */
	size_t nparts;
	lcandvec_t all_lc;      /* the partitions' candidates, group after group */
	pcandvec_t all_pc;
	int bad_pair;           /* one behaviour, yet a pair of several links */
	double **lp;            /* per worker: its partition's log p-values */
	size_t *lpcap;
	/* after the FDR procedures: the candidates in link order */
	const lcand_t *lc;
	const pcand_t *pc;
	size_t nlc, npc;
	size_t *cut;            /* decide: slice k = full links [cut[k], cut[k + 1]) */
	size_t *starts;         /* decide: per slice, its pairs between flagged accounts,
	                         * then the offset of its first */
	int all_full;           /* an->links holds every link (else only flagged pairs') */
} score_job_t;


#define PREFETCH 8 /* links ahead */

/* Fused pair log p-value from links lk[i, j): the sum test and the best
 * single behaviour, whichever is stronger, paying a Bonferroni factor for
 * the choice. logp: the links' own log p-values, or NULL to compute them
 * again (the same function of the same fields: the same values). */
static double fused_logp(const score_job_t *sj, const ls_lean_link_t *lk, const double *logp,
                         size_t i, size_t j)
{
	double e = 0, best = 0, lone = 0;
	uint32_t events = 0;
	for (size_t m = i; m < j; m++) {
		const ls_lean_link_t *l = &lk[m];
		uint32_t x = link_count(l->objects, l->new_events);
		uint32_t own = link_count(l->objects, l->events);
		events += x;
		e += l->expected;
		/* the link's own test when it counts the same (no events
		 * shared with an earlier behaviour) */
		double lp = x == own && logp ? logp[m] : ls_poisson_logsf_quiet(x, l->expected);
		if (lp < best)
			best = lp;
		lone = lp;
	}
	double lsum = j - i == 1 ? lone : ls_poisson_logsf_quiet(events, e);
	double lmin = sj->logb + best;
	double lf = sj->log2v + (lsum < lmin ? lsum : lmin);
	return lf > 0 ? 0.0 : lf;
}

/* The pair record of links [i, j) with fused log p-value lf. */
static void pair_fill(ls_pair_t *p, const ls_link_t *lk, size_t i, size_t j, double lf)
{
	memset(p, 0, sizeof *p);
	p->a = lk[i].a;
	p->b = lk[i].b;
	double e = 0;
	for (size_t m = i; m < j; m++) {
		const ls_link_t *l = &lk[m];
		p->behaviours |= 1u << l->behaviour;
		p->objects += l->objects;
		p->events += link_count(l->objects, l->new_events);
		p->coactions += l->coactions;
		e += l->expected;
	}
	p->expected = e;
	p->pvalue = exp(lf);
	p->weight = significance(lf);
}

/* Margins of skip_thresholds: far above rounding in a log p-value (about
 * 1e-15) and in the threshold's own computation. */
#define SKIP_LOG_MARGIN 1e-9
#define SKIP_REL_MARGIN 1e-9

/* One behaviour (pair k is link k): a count-1 link's p-value matters only
 * where it is below the first pruning bound of one of the three procedures
 * that read it (ls_prune_values): the layer BH, the fused BH (fused log p
 * = min(0, log 2 + log p)) and the Simes step of each of its two accounts.
 * Above every bound the link is no candidate, and link_task need not
 * compute the tail. P(X >= 1) = 1 - e^-lambda grows with lambda, so the
 * test is lambda >= the larger of the two accounts' thresholds: lambda at
 * which log P = the largest of its bounds (plus margins). The bounds come
 * from sj (upper bounds of the first bounds: more candidates, never
 * fewer). The full records compute the value again. Returns NULL when no
 * account can skip (or out of memory: nothing is skipped then); freed with
 * free(). */
static double *skip_thresholds(const ls_analysis_t *an, const score_job_t *sj,
                               const nulls_t *nu)
{
	int b = -1;
	for (uint32_t k = 0; k < LS_MAX_BEHAVIOURS; k++)
		if (nu->hour.share[k] != NULL)
			b = (int)k;
	if (b < 0)
		return NULL;
	double blayer = sj->layer_bound[b], bfused = sj->fused_bound;
	if (!(blayer <= 0 && bfused <= 0))
		return NULL;
	double common = blayer > bfused - sj->log2v ? blayer : bfused - sj->log2v;
	size_t na = an->ds->accounts.n;
	double *lam = ls_score_big_alloc((na ? na : 1) * sizeof *lam);
	if (lam == NULL)
		return NULL;
	for (size_t a = 0; a < na; a++) {
		double bs = sj->acc_bound[a] == -INFINITY ? 0 : sj->acc_bound[a];
		double t = (common > bs - sj->log2v ? common : bs - sj->log2v) + SKIP_LOG_MARGIN;
		lam[a] = sj->acc_bound[a] != -INFINITY && bs <= 0 && t < 0
		             ? -log1p(-exp(t)) * (1 + SKIP_REL_MARGIN)
		             : INFINITY;
	}
	return lam;
}

/* Does link i (at l) start a pair? Links are sorted by (a, b, behaviour). */
static int starts_pair(const ls_lean_link_t *l, size_t i)
{
	return i == 0 || l->a != l[-1].a || l->b != l[-1].b;
}

/* The sink of the links (ls_link_sink_t): partition k's links lk[0..n),
 * on worker w. Expected count and p-value of each link, fused p-value of
 * each pair; keeps the candidates and counts the links and pairs. */
static int score_part(void *arg, int w, size_t k, ls_lean_link_t *lk, size_t n)
{
	score_job_t *sj = arg;
	part_out_t *o = &sj->out[k];
	const ls_null_hour_t *nh = &sj->nu->hour;
	if (sj->lpcap[w] < n) {
		free(sj->lp[w]);
		sj->lpcap[w] = 0;
		if ((sj->lp[w] = malloc(n * sizeof *sj->lp[w])) == NULL)
			return -1;
		sj->lpcap[w] = n;
	}
	double *lp = sj->lp[w];
	for (size_t i = 0; i < n; i++) {
		ls_lean_link_t *l = &lk[i];
		if (i + PREFETCH < n && nh->share[l[PREFETCH].behaviour] != NULL) {
			/* b is random: fetch its null-model row early */
			const ls_lean_link_t *f = l + PREFETCH;
			__builtin_prefetch(&nh->hours[f->behaviour][f->b]);
			__builtin_prefetch(nh->share[f->behaviour] + (size_t)f->b * 24);
			__builtin_prefetch(nh->share[f->behaviour] + (size_t)f->b * 24 + 16);
			if (sj->lam_skip)
				__builtin_prefetch(&sj->lam_skip[f->b]);
			__builtin_prefetch(&sj->acc_bound[f->b]);
		}
		uint32_t x = link_count(l->objects, l->events);
		if (sj->lam_skip && sj->one_link && x == 1 && !(sj->an->ads_null >> l->behaviour & 1)) {
			/* whether E >= both thresholds is all a skipped link needs:
			 * the sum may stop at the larger (its value then unused) */
			double stop = sj->lam_skip[l->a] > sj->lam_skip[l->b] ? sj->lam_skip[l->a]
			                                                      : sj->lam_skip[l->b];
			l->expected = ls_null_hour_expected_until(nh, sj->an, l->behaviour, l->a, l->b, stop);
		} else {
			l->expected = null_expected(sj->nu, sj->an, l->behaviour, l->a, l->b);
		}
		double v = sj->lam_skip && x == 1 && l->expected >= sj->lam_skip[l->a] &&
		                   l->expected >= sj->lam_skip[l->b]
		               ? 0.0 /* no candidate, see skip_thresholds */
		               : ls_poisson_logsf_quiet(x, l->expected);
		lp[i] = v;
		o->links[l->behaviour]++;
		if (sj->one_link) {
			double f = fused1(sj->logb, sj->log2v, v);
			o->pairs++;
			if (!starts_pair(l, i))
				sj->bad_pair = 1;
			if ((v < sj->layer_bound[l->behaviour] || f < sj->fused_bound ||
			     f < sj->acc_bound[l->a] || f < sj->acc_bound[l->b]) &&
			    ls_vec_push(&o->pc, ((pcand_t){l->a, l->b, v})))
				return -1;
			continue;
		}
		if (v < sj->layer_bound[l->behaviour] &&
		    ls_vec_push(&o->lc, ((lcand_t){l->a, l->b, l->behaviour, v})))
			return -1;
	}
	for (size_t i = 0; i < n && !sj->one_link;) {
		size_t j = i + 1;
		while (j < n && !starts_pair(&lk[j], j))
			j++;
		uint32_t a = lk[i].a, b = lk[i].b;
		double f = fused_logp(sj, lk, lp, i, j);
		o->pairs++;
		if ((f < sj->fused_bound || f < sj->acc_bound[a] || f < sj->acc_bound[b]) &&
		    ls_vec_push(&o->pc, ((pcand_t){a, b, f})))
			return -1;
		i = j;
	}
	return 0;
}

/* The full-links path: the lean view of links [lo, hi) to score_part. */
typedef struct chunk_job {
	score_job_t *sj;
	const size_t *cut; /* chunk k = links [cut[k], cut[k + 1]) */
	size_t nchunks;
	atomic_size_t next;
	atomic_int worker;
	int oom;
} chunk_job_t;

static void *chunk_worker(void *arg)
{
	chunk_job_t *cj = arg;
	int w = atomic_fetch_add(&cj->worker, 1);
	const ls_link_t *lk = cj->sj->an->links.v;
	LS_VEC(ls_lean_link_t) v = {0};
	for (;;) {
		size_t k = atomic_fetch_add(&cj->next, 1);
		if (k >= cj->nchunks)
			break;
		size_t lo = cj->cut[k], n = cj->cut[k + 1] - lo;
		if (ls_vec_reserve(&v, n)) {
			cj->oom = 1;
			break;
		}
		for (size_t i = 0; i < n; i++) {
			const ls_link_t *l = &lk[lo + i];
			v.v[i] = (ls_lean_link_t){l->a,      l->b,      l->behaviour,
			                          l->objects, l->events, l->new_events, 0};
		}
		if (score_part(cj->sj, w, k, v.v, n)) {
			cj->oom = 1;
			break;
		}
	}
	ls_vec_free(&v);
	return NULL;
}

/* Cuts links [0, n) of lk into k slices at pair starts: cut[0..k]. */
static void cut_pairs(const ls_link_t *lk, size_t n, size_t k, size_t *cut)
{
	cut[0] = 0;
	for (size_t s = 1; s < k; s++) {
		size_t c = n * s / k;
		if (c < cut[s - 1])
			c = cut[s - 1];
		while (c > 0 && c < n && lk[c].a == lk[c - 1].a && lk[c].b == lk[c - 1].b)
			c++;
		cut[s] = c;
	}
	cut[k] = n;
}

/* Key order of the links: (a, b, behaviour). */
static int link_before(uint32_t a1, uint32_t b1, uint32_t c1, uint32_t a2, uint32_t b2,
                       uint32_t c2)
{
	return a1 != a2 ? a1 < a2 : b1 != b2 ? b1 < b2 : c1 < c2;
}

/* The first link candidate not before (a, b, c). */
static size_t lc_find(const lcand_t *lc, size_t n, uint32_t a, uint32_t b, uint32_t c)
{
	size_t lo = 0, hi = n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (link_before(lc[mid].a, lc[mid].b, lc[mid].behaviour, a, b, c))
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

static size_t pc_find(const pcand_t *pc, size_t n, uint32_t a, uint32_t b)
{
	size_t lo = 0, hi = n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (link_before(pc[mid].a, pc[mid].b, 0, a, b, 0))
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* Counts slice k's pairs between flagged accounts. */
static void flagged_task(void *arg, size_t k)
{
	score_job_t *sj = arg;
	const ls_link_t *lk = sj->an->links.v;
	const unsigned char *fl = sj->an->flagged;
	size_t n = 0;
	for (size_t i = sj->cut[k]; i < sj->cut[k + 1]; i++)
		n += (i == sj->cut[k] || lk[i].a != lk[i - 1].a || lk[i].b != lk[i - 1].b) &&
		     fl[lk[i].a] && fl[lk[i].b];
	sj->starts[k] = n;
}

/* Slice k of the full links after the FDR procedures: their score fields
 * (expected count and p-value computed again: the same function of the
 * same fields as in score_part; layer q-value from the link candidates)
 * and the records of the pairs between flagged accounts (from the slice's
 * offset in sj->starts) with fused q-value and decision. */
static void decide_task(void *arg, size_t k)
{
	score_job_t *sj = arg;
	ls_analysis_t *an = sj->an;
	ls_link_t *lk = an->links.v;
	size_t lo = sj->cut[k], hi = sj->cut[k + 1];
	if (lo == hi)
		return;
	ls_pair_t *p = an->pairs.v + sj->starts[k];
	size_t li = lc_find(sj->lc, sj->nlc, lk[lo].a, lk[lo].b, lk[lo].behaviour);
	size_t pi = pc_find(sj->pc, sj->npc, lk[lo].a, lk[lo].b);
	for (size_t i = lo; i < hi;) {
		size_t j = i + 1;
		while (j < hi && lk[j].a == lk[i].a && lk[j].b == lk[i].b)
			j++;
		ls_lean_link_t view[LS_MAX_BEHAVIOURS];
		for (size_t m = i; m < j; m++) {
			ls_link_t *l = &lk[m];
			double e = null_expected(sj->nu, an, l->behaviour, l->a, l->b);
			double lp = ls_poisson_logsf_quiet(link_count(l->objects, l->events), e);
			while (li < sj->nlc && link_before(sj->lc[li].a, sj->lc[li].b,
			                                   sj->lc[li].behaviour, l->a, l->b, l->behaviour))
				li++;
			int has = li < sj->nlc && sj->lc[li].a == l->a && sj->lc[li].b == l->b &&
			          sj->lc[li].behaviour == l->behaviour;
			l->expected = e;
			l->pvalue = exp(lp);
			l->score = significance(lp);
			l->qvalue = has ? q_of(sj->lc[li].v) : 1.0;
			if (m - i < LS_MAX_BEHAVIOURS)
				view[m - i] = (ls_lean_link_t){l->a,      l->b,      l->behaviour,
				                               l->objects, l->events, l->new_events, e};
		}
		if (an->flagged[lk[i].a] && an->flagged[lk[i].b]) {
			while (pi < sj->npc && link_before(sj->pc[pi].a, sj->pc[pi].b, 0, lk[i].a,
			                                   lk[i].b, 0))
				pi++;
			int has = pi < sj->npc && sj->pc[pi].a == lk[i].a && sj->pc[pi].b == lk[i].b;
			pair_fill(p, lk, i, j, fused_logp(sj, view, NULL, 0, j - i));
			double lq = has ? sj->pc[pi].v : 0.0;
			p->qvalue = q_of(lq);
			p->kept = lq <= sj->logfdr && p->events >= an->params.min_weight;
			p++;
		}
		i = j;
	}
}

/* Values for the BH procedures (ls_bh_value_fn): a double array, the pair
 * candidates' values, their fused values. */
static double value_of_pc(const void *arg, size_t i)
{
	return ((const pcand_t *)arg)[i].v;
}

static double value_fused1(const void *arg, size_t i)
{
	const score_job_t *sj = arg;
	return fused1(sj->logb, sj->log2v, sj->all_pc.v[i].v);
}

/* Layer BH (per behaviour b, over m_b = pairs of its active accounts) on
 * the link candidates (one behaviour: the pair candidates); the links with
 * q < 1 go to out with their log q-values, in link order. */
static int layer_bh(const score_job_t *sj, const size_t *nl, const nulls_t *nu, int threads,
                    lcandvec_t *out)
{
	const lcandvec_t *lc = &sj->all_lc;
	const pcandvec_t *pc = &sj->all_pc;
	size_t n = sj->one_link ? pc->n : lc->n;
	double *v = NULL, *q = NULL;
	size_t *at = NULL;
	int rc = 0;
	if (!sj->one_link) {
		v = malloc((n ? n : 1) * sizeof *v);
		q = calloc(n ? n : 1, sizeof *q);
		at = malloc((n ? n : 1) * sizeof *at);
		rc = v && q && at ? 0 : -1;
	}
	for (uint32_t b = 0; b < LS_MAX_BEHAVIOURS && rc == 0; b++) {
		if (nl[b] == 0)
			continue;
		size_t c = 0, nr = 0;
		ls_bh_q_t *r = NULL;
		double m = pairs_of(nu->hour.active[b]);
		if (sj->one_link) {
			rc = ls_bh_sparse_mt(value_of_pc, pc->v, n, nl[b], m, threads, &r, &nr);
			for (size_t k = 0; k < nr && rc == 0; k++) {
				const pcand_t *x = &pc->v[r[k].i];
				if (ls_vec_push(out, ((lcand_t){x->a, x->b, b, r[k].logq})))
					rc = -1;
			}
		} else {
			for (size_t i = 0; i < n; i++)
				if (lc->v[i].behaviour == b) {
					at[c] = i;
					v[c++] = lc->v[i].v;
				}
			rc = ls_bh_sparse_mt(ls_bh_value_array, v, c, nl[b], m, threads, &r, &nr);
			for (size_t k = 0; k < nr && rc == 0; k++)
				q[at[r[k].i]] = r[k].logq;
		}
		free(r);
	}
	for (size_t i = 0; q && i < n && rc == 0; i++)
		if (q[i] < 0 && ls_vec_push(out, ((lcand_t){lc->v[i].a, lc->v[i].b,
		                                              lc->v[i].behaviour, q[i]})))
			rc = -1;
	free(v);
	free(q);
	free(at);
	return rc;
}

/* Fused BH over every pair of active accounts (m) on the pair candidates;
 * the pairs with q < 1 go to out with their log q-values, in pair order. */
static int fused_bh(const score_job_t *sj, size_t np, double m, int threads, pcandvec_t *out)
{
	const pcandvec_t *pc = &sj->all_pc;
	ls_bh_q_t *r = NULL;
	size_t nr = 0;
	int rc = sj->one_link
	             ? ls_bh_sparse_mt(value_fused1, sj, pc->n, np, m, threads, &r, &nr)
	             : ls_bh_sparse_mt(value_of_pc, pc->v, pc->n, np, m, threads, &r, &nr);
	for (size_t k = 0; k < nr && rc == 0; k++) {
		const pcand_t *x = &pc->v[r[k].i];
		if (ls_vec_push(out, ((pcand_t){x->a, x->b, r[k].logq})))
			rc = -1;
	}
	free(r);
	return rc;
}

/* Makes room for exactly `need` elements of `elem` bytes in *v (of *cap);
 * -1 when out of memory. */
static int grow_exact(void **v, size_t *cap, size_t need, size_t elem)
{
	if (need <= *cap)
		return 0;
	void *p = realloc(*v, need * elem);
	if (p == NULL)
		return -1;
	*v = p;
	*cap = need;
	return 0;
}

/* The sink's end of a group (ls_link_sink_t): partitions [k0, k1)'s
 * candidates to the end of sj->all_lc and all_pc, which grow by exactly
 * that (large blocks: realloc remaps their pages), and their vectors
 * freed. */
static int score_group(void *arg, size_t k0, size_t k1)
{
	score_job_t *sj = arg;
	size_t nl = 0, np = 0;
	for (size_t k = k0; k < k1; k++) {
		nl += sj->out[k].lc.n;
		np += sj->out[k].pc.n;
	}
	lcandvec_t *lc = &sj->all_lc;
	pcandvec_t *pc = &sj->all_pc;
	if (grow_exact((void **)&lc->v, &lc->cap, lc->n + nl, sizeof *lc->v) ||
	    grow_exact((void **)&pc->v, &pc->cap, pc->n + np, sizeof *pc->v))
		return -1;
	for (size_t k = k0; k < k1; k++) {
		part_out_t *o = &sj->out[k];
		if (o->lc.n)
			memcpy(lc->v + lc->n, o->lc.v, o->lc.n * sizeof *o->lc.v);
		if (o->pc.n)
			memcpy(pc->v + pc->n, o->pc.v, o->pc.n * sizeof *o->pc.v);
		lc->n += o->lc.n;
		pc->n += o->pc.n;
		ls_vec_free(&o->lc);
		ls_vec_free(&o->pc);
	}
	return 0;
}

/* The full-links path: per account its pairs, per behaviour its links. */
static uint32_t *full_counts(const ls_analysis_t *an, uint64_t *links, uint64_t *pairs)
{
	size_t na = an->ds->accounts.n;
	uint32_t *deg = calloc(na ? na : 1, sizeof *deg);
	if (deg == NULL)
		return NULL;
	const ls_link_t *lk = an->links.v;
	*pairs = 0;
	for (size_t i = 0; i < an->links.n; i++) {
		links[lk[i].behaviour]++;
		if (i == 0 || lk[i].a != lk[i - 1].a || lk[i].b != lk[i - 1].b) {
			deg[lk[i].a]++;
			deg[lk[i].b]++;
			++*pairs;
		}
	}
	return deg;
}

static size_t nflagged_accounts(const ls_analysis_t *an)
{
	size_t n = 0;
	for (size_t a = 0; a < an->ds->accounts.n; a++)
		n += an->flagged[a];
	return n;
}

ls_error_t ls_score_run(ls_analysis_t *an, ls_ctx_t *ctx)
{
	double t0 = ls_wall_s();
	nulls_t nu;
	ls_error_t err = nulls_build(&nu, an, ctx);
	if (err)
		return err;
	ls_diag(ctx, LS_DIAG_PROGRESS, "score: null model in %.2f s", ls_wall_s() - t0);
	int threads = ls_ctx_threads(ctx);
	double nbehaviours = 0;
	for (uint32_t b = 0; b < LS_MAX_BEHAVIOURS; b++)
		nbehaviours += nu.hour.share[b] != NULL;
	score_job_t sj = {.an = an,
	                  .nu = &nu,
	                  .logb = log(nbehaviours > 1 ? nbehaviours : 1.0),
	                  .log2v = log(2.0),
	                  .logfdr = log(an->params.fdr),
	                  .one_link = nbehaviours <= 1};
	uint64_t nl_ub[LS_MAX_BEHAVIOURS] = {0}, np_ub = 0;
	uint32_t *deg = NULL;
	double *acc_bound = NULL, *lam_skip = NULL;
	chunk_job_t cj = {.sj = &sj};
	lcandvec_t lc = {0};
	pcandvec_t pc = {0};
	size_t na = an->ds->accounts.n, ntasks = 8 * (size_t)threads;
	size_t *cut = NULL;
	gsl_error_handler_t *old_handler = gsl_set_error_handler_off();
	/* upper bounds of the links per behaviour, the pairs and each
	 * account's pairs: the stream's co-actions, or the full links' counts */
	if (an->stream) {
		if ((deg = ls_link_stream_take_coactions(an, nl_ub)) == NULL)
			goto oom;
		for (uint32_t b = 0; b < LS_MAX_BEHAVIOURS; b++)
			np_ub += nl_ub[b];
		sj.nparts = ls_link_stream_parts(an);
	} else {
		if ((deg = full_counts(an, nl_ub, &np_ub)) == NULL)
			goto oom;
		sj.nparts = an->links.n < ntasks ? 1 : ntasks;
	}
	uint64_t active = nu.hour.active_accounts;
	double logn1 = log(active > 1 ? (double)(active - 1) : 1.0);
	for (uint32_t b = 0; b < LS_MAX_BEHAVIOURS; b++)
		sj.layer_bound[b] = nl_ub[b] ? ls_prune_bound(nl_ub[b], log(pairs_of(nu.hour.active[b])))
		                             : -INFINITY;
	sj.fused_bound = np_ub ? ls_prune_bound(np_ub, log(pairs_of(active))) : -INFINITY;
	if ((acc_bound = ls_score_big_alloc((na ? na : 1) * sizeof *acc_bound)) == NULL)
		goto oom;
	for (size_t a = 0; a < na; a++)
		acc_bound[a] = deg[a] ? ls_prune_bound(deg[a], logn1) : -INFINITY;
	sj.acc_bound = acc_bound;
	if (nbehaviours <= 1)
		sj.lam_skip = lam_skip = skip_thresholds(an, &sj, &nu);
	sj.out = calloc(sj.nparts ? sj.nparts : 1, sizeof *sj.out);
	sj.lp = calloc((size_t)threads, sizeof *sj.lp);
	sj.lpcap = calloc((size_t)threads, sizeof *sj.lpcap);
	if (!sj.out || !sj.lp || !sj.lpcap)
		goto oom;
	/* every link: expected count, p-value, candidates */
	if (an->stream) {
		ls_link_sink_t sink = {&sj, score_part, score_group};
		err = ls_link_stream_run(an, &sink, ctx);
		ls_link_stream_free(an);
		if (err)
			goto done;
	} else {
		if ((cut = malloc((sj.nparts + 1) * sizeof *cut)) == NULL)
			goto oom;
		cut_pairs(an->links.v, an->links.n, sj.nparts, cut);
		cj.cut = cut;
		cj.nchunks = sj.nparts;
		atomic_init(&cj.next, 0);
		atomic_init(&cj.worker, 0);
		ls_parallel_run(threads, chunk_worker, &cj);
		if (cj.oom || score_group(&sj, 0, sj.nparts))
			goto oom;
	}
	if (sj.bad_pair) {
		/* cannot happen: the behaviours with links have a null-model
		 * table each */
		err = ls_fail(ctx, LS_EINTERNAL, "one behaviour scored, a pair of several links");
		goto done;
	}
	size_t nl[LS_MAX_BEHAVIOURS] = {0}, np = 0;
	for (size_t k = 0; k < sj.nparts; k++) {
		for (uint32_t b = 0; b < LS_MAX_BEHAVIOURS; b++)
			nl[b] += sj.out[k].links[b];
		np += sj.out[k].pairs;
	}
	ls_diag(ctx, LS_DIAG_PROGRESS,
	        "scored %zu pairs in %.2f s: %zu p-values can matter to the FDR procedures",
	        np, ls_wall_s() - t0, sj.all_lc.n + sj.all_pc.n);
	t0 = ls_wall_s();
	free(sj.out);
	sj.out = NULL;
	for (int w = 0; w < threads; w++)
		free(sj.lp[w]);
	free(sj.lp);
	sj.lp = NULL;
	free(lam_skip);
	lam_skip = NULL;
	/* per behaviour layer: BH within the behaviour */
	if (layer_bh(&sj, nl, &nu, threads, &lc))
		goto oom;
	ls_vec_free(&sj.all_lc);
	/* fused BH over every pair of active accounts */
	if (fused_bh(&sj, np, pairs_of(active), threads, &pc))
		goto oom;
	double t1 = ls_wall_s();
	/* the accounts (Simes, BH), flags; the pair candidates are spent */
	an->tested_pairs = (uint64_t)pairs_of(active);
	/* the Simes step narrows the candidates' account bounds in place */
	err = score_accounts(an, sj.all_pc.v, sj.all_pc.n, sj.one_link, sj.logb, deg, acc_bound,
	                     active, threads, ctx);
	free(deg);
	deg = NULL;
	ls_vec_free(&sj.all_pc);
	if (err)
		goto done;
	ls_diag(ctx, LS_DIAG_PROGRESS,
	        "FDR: links and pairs in %.2f s, accounts in %.2f s; %zu accounts flagged", t1 - t0,
	        ls_wall_s() - t1, nflagged_accounts(an));
	/* the full records of the links of pairs between flagged accounts:
	 * the link stage's second pass (--all-links: it built them all) */
	sj.all_full = an->lean_first == 0;
	size_t nfl = nflagged_accounts(an);
	if (an->lean_first && nfl < 2) {
		/* no pair between flagged accounts: nothing in full, no records */
		ls_vec_free(&an->links);
		an->pairs.n = 0;
		goto scored;
	}
	if (an->lean_first && (err = ls_link_detail(an, an->flagged, ctx)) != LS_OK)
		goto done;
	sj.lc = lc.v;
	sj.nlc = lc.n;
	sj.pc = pc.v;
	sj.npc = pc.n;
	free(cut);
	sj.starts = malloc(ntasks * sizeof *sj.starts);
	if ((cut = sj.cut = malloc((ntasks + 1) * sizeof *cut)) == NULL || sj.starts == NULL)
		goto oom;
	cut_pairs(an->links.v, an->links.n, ntasks, cut);
	ls_parallel_for(threads, ntasks, flagged_task, &sj);
	size_t nflagged = ls_counts_to_offsets(sj.starts, ntasks);
	if (pairs_alloc(an, nflagged))
		goto oom;
	ls_parallel_for(threads, ntasks, decide_task, &sj);
scored:
	an->has_pvalues = 1;
	goto done;
oom:
	err = ls_fail(ctx, LS_ENOMEM, "out of memory scoring links");
done:
	gsl_set_error_handler(old_handler);
	nulls_destroy(&nu);
	if (sj.out)
		for (size_t k = 0; k < sj.nparts; k++) {
			ls_vec_free(&sj.out[k].lc);
			ls_vec_free(&sj.out[k].pc);
		}
	free(sj.out);
	for (int w = 0; sj.lp && w < threads; w++)
		free(sj.lp[w]);
	free(sj.lp);
	free(sj.lpcap);
	free(sj.starts);
	free(cut);
	free(deg);
	free(acc_bound);
	free(lam_skip);
	ls_vec_free(&lc);
	ls_vec_free(&pc);
	ls_vec_free(&sj.all_lc);
	ls_vec_free(&sj.all_pc);
	return err;
}

ls_error_t ls_score_clusters(ls_analysis_t *an, ls_ctx_t *ctx)
{
	if (an->clusters.n == 0)
		return LS_OK;
	nulls_t nu;
	ls_error_t err = nulls_build(&nu, an, ctx);
	if (err)
		return err;
	size_t na = an->ds->accounts.n, nc = an->clusters.n;
	uint64_t *x = calloc(nc, sizeof *x);
	double *e = calloc(nc, sizeof *e);
	uint32_t *start = calloc(nc + 1, sizeof *start);
	uint32_t *members = malloc((na ? na : 1) * sizeof *members);
	if (!x || !e || !start || !members) {
		err = ls_fail(ctx, LS_ENOMEM, "out of memory");
		goto done;
	}
	/* observed: objects of the linked pairs inside each cluster */
	for (size_t k = 0; k < an->pairs.n; k++) {
		const ls_pair_t *p = &an->pairs.v[k];
		uint32_t c = an->cluster[p->a];
		if (c && c == an->cluster[p->b])
			x[c - 1] += p->events;
	}
	/* expected: over every pair of members, linked or not */
	for (size_t a = 0; a < na; a++)
		if (an->cluster[a])
			start[an->cluster[a]]++;
	for (size_t c = 1; c <= nc; c++)
		start[c] += start[c - 1];
	uint32_t *fill = calloc(nc + 1, sizeof *fill);
	if (fill == NULL) {
		err = ls_fail(ctx, LS_ENOMEM, "out of memory");
		goto done;
	}
	for (size_t a = 0; a < na; a++) {
		uint32_t c = an->cluster[a];
		if (c)
			members[start[c - 1] + fill[c - 1]++] = (uint32_t)a;
	}
	free(fill);
	for (size_t c = 0; c < nc; c++) {
		for (uint32_t i = start[c]; i < start[c + 1]; i++)
			for (uint32_t j = i + 1; j < start[c + 1]; j++)
				for (uint32_t b = 0; b < LS_MAX_BEHAVIOURS; b++)
					if (nu.hour.share[b])
						e[c] += null_expected(&nu, an, b, members[i], members[j]);
		ls_cluster_t *cl = &an->clusters.v[c];
		cl->observed = x[c];
		cl->expected = e[c];
		cl->pvalue = exp(ls_poisson_logsf(x[c], e[c]));
		cl->significance = significance(ls_poisson_logsf(x[c], e[c]));
	}
done:
	nulls_destroy(&nu);
	free(x);
	free(e);
	free(start);
	free(members);
	return err;
}
