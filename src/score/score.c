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
 * and the results are bit for bit those of sorting all. With one behaviour
 * every pair is one link and is fused in the links' pass.
 *
 * The stage reads the lean links (an->lean). Once the accounts are
 * flagged it asks the link stage for the full records of the links of
 * pairs between two flagged accounts (ls_link_detail; with --all-links the
 * link stage built them all), fills their score fields and builds the
 * pair records of those pairs only: nothing else can be kept, clustered
 * or explained. The lean links are freed at the end.
 *
 * Time O(L log L) for L links (O(L) plus the sort of the small p-values);
 * memory 16 bytes per link (log p then log q, fused log p) plus the
 * flagged pairs, plus 96 bytes per account and behaviour for the null
 * model.
 */
#include "core/analysis.h"
#include "core/ctx.h"
#include "score/null_ads.h"
#include "score/null_hour.h"
#include "score/stats.h"
#include "core/parallel.h"
#include "core/radix.h"

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

/* The first link of pair q: pair q is the run of links from pstart[q], or
 * link q itself when pstart is NULL (one link per pair). */
static inline size_t pair_first(const size_t *pstart, size_t q)
{
	return pstart ? pstart[q] : q;
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

/* Simes over the accounts: p_a = min_k (N - 1) p_(k) / k over account a's
 * deg[a] pair p-values, at most 1. Its form is BH's, so only the values
 * below ls_prune_bound(deg[a], log(N - 1)) can make a term below 1 (see
 * ls_prune_values). In parallel: the degrees (a few partial counts), then
 * each slice of pairs lists those values as entries, then the entries are
 * grouped by account (a counting sort, slices in order), then pruned
 * further, sorted and combined per account. */
/* Up to this many accounts (2 MB of entry offsets) the Simes entries are
 * grouped by a counting scatter, beyond by a radix sort on the threads. */
#define SIMES_SCATTER_ACCOUNTS ((size_t)1 << 18)
#define DEG_PARTS 4 /* partial degree counts at most: memory 4 bytes each per account */

typedef struct simes_job {
	const ls_lean_link_t *links; /* pair q's accounts: links[pstart[q]] (links[q] when NULL) */
	const size_t *pstart;
	const double *plogp;    /* per pair: fused log p-value */
	size_t np, na, parts;
	uint32_t *deg;          /* parts x na partial counts; part 0 the sum */
	const double *bound;    /* per account */
	size_t *at;             /* per slice: its entries' count, then the first's place */
	ls_rec_t *rec;          /* the entries, slice after slice, each in pair order */
	const size_t *start;    /* account a: cand[start[a] .. start[a + 1]) */
	double *cand, *alogp, logn1;
} simes_job_t;

static void simes_deg_task(void *arg, size_t k)
{
	simes_job_t *sj = arg;
	size_t lo, hi;
	uint32_t *d = sj->deg + k * sj->na;
	ls_slice(sj->np, sj->parts, k, &lo, &hi);
	for (size_t q = lo; q < hi; q++) {
		const ls_lean_link_t *l = &sj->links[pair_first(sj->pstart, q)];
		d[l->a]++;
		d[l->b]++;
	}
}

/* Slice k's entries: counted (sj->rec NULL), or written from sj->at[k]. */
static void simes_entry_task(void *arg, size_t k, size_t lo, size_t hi)
{
	simes_job_t *sj = arg;
	size_t n = 0;
	ls_rec_t *out = sj->rec ? sj->rec + sj->at[k] : NULL;
	for (size_t q = lo; q < hi; q++) {
		double v = sj->plogp[q];
		const ls_lean_link_t *l = &sj->links[pair_first(sj->pstart, q)];
		uint32_t a = l->a, b = l->b;
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

/* Each account's number of pairs (pair q: the links from
 * an->lean.v[pstart[q]], link q when pstart is NULL), counted in a few
 * partial counts; NULL when out of memory, else freed with free(). */
static uint32_t *pair_degrees(const ls_analysis_t *an, const size_t *pstart, size_t np,
                              int threads)
{
	size_t na = an->ds->accounts.n, parts = threads < DEG_PARTS ? (size_t)threads : DEG_PARTS;
	simes_job_t sj = {.links = an->lean.v, .pstart = pstart, .np = np, .na = na, .parts = parts};
	if ((sj.deg = calloc(na ? parts * na : 1, sizeof *sj.deg)) == NULL)
		return NULL;
	ls_parallel_for(threads, parts, simes_deg_task, &sj);
	for (size_t k = 1; k < parts; k++)
		for (size_t a = 0; a < na; a++)
			sj.deg[a] += sj.deg[k * na + a];
	return sj.deg;
}

/* Account-level p-values (Simes over each account's pairs), BH across the
 * active accounts, flags. Pair q is the run of links starting at
 * an->lean.v[pstart[q]] (link q when pstart is NULL); plogp[q] is its
 * fused log p-value. */
static ls_error_t score_accounts(ls_analysis_t *an, const size_t *pstart, const double *plogp,
                                 size_t np, const uint32_t *deg, uint64_t active, int threads,
                                 ls_ctx_t *ctx)
{
	size_t na = an->ds->accounts.n, ntasks = 8 * (size_t)threads;
	ls_error_t err = LS_OK;
	simes_job_t sj = {.links = an->lean.v,
	                  .pstart = pstart,
	                  .plogp = plogp,
	                  .np = np,
	                  .na = na,
	                  .logn1 = log(active > 1 ? (double)(active - 1) : 1.0)};
	ls_rec_t *rec = NULL, *rtmp = NULL; /* the entries, to sort by account */
	double *bound = malloc((na ? na : 1) * sizeof *bound);
	size_t *start = calloc(na + 1, sizeof *start);
	double *alogp = calloc(na ? na : 1, sizeof *alogp);
	double *alogq = malloc((na ? na : 1) * sizeof *alogq);
	uint32_t *tested = malloc((na ? na : 1) * sizeof *tested);
	sj.at = malloc(ntasks * sizeof *sj.at);
	an->account_p = calloc(na ? na : 1, sizeof *an->account_p);
	an->account_q = calloc(na ? na : 1, sizeof *an->account_q);
	an->account_score = calloc(na ? na : 1, sizeof *an->account_score);
	an->flagged = calloc(na ? na : 1, 1);
	if (!bound || !start || !alogp || !alogq || !tested || !sj.at ||
	    !an->account_p || !an->account_q || !an->account_score || !an->flagged)
		goto oom;
	for (size_t a = 0; a < na; a++)
		bound[a] = deg[a] ? ls_prune_bound(deg[a], sj.logn1) : -INFINITY;
	sj.bound = bound;
	/* the entries in slice (pair) order, counted then written, then a
	 * stable sort by account on the threads groups them, start[a] ..
	 * start[a + 1], each account's in pair order (a scatter by account
	 * would miss the cache on every entry once the accounts are many) */
	ls_parallel_range(threads, np, ntasks, simes_entry_task, &sj);
	size_t ne = 0;
	for (size_t k = 0; k < ntasks; k++) {
		size_t t = sj.at[k];
		sj.at[k] = ne;
		ne += t;
	}
	rec = malloc((ne ? ne : 1) * sizeof *rec);
	rtmp = malloc((ne ? ne : 1) * sizeof *rtmp);
	if (!rec || !rtmp)
		goto oom;
	sj.rec = rec;
	ls_parallel_range(threads, np, ntasks, simes_entry_task, &sj);
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
	ls_parallel_range(threads, na, ntasks, simes_task, &sj);
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
	goto done;
oom:
	err = ls_fail(ctx, LS_ENOMEM, "out of memory scoring accounts");
done:
	free(sj.at);
	free(rec);
	free(rtmp);
	free(bound);
	free(start);
	free(alogp);
	free(alogq);
	free(tested);
	return err;
}

/* Shared state of the parallel scoring loops. */
typedef struct score_job {
	ls_analysis_t *an;
	const nulls_t *nu;
	double *logp;       /* per link; after the layer BH its log q-value */
	double *fused;      /* per pair: fused log p-value; after the BH its log q */
	double logb, log2v, logfdr;
	int one_link;       /* pair k is link k: fused in the links' pass */
	size_t *starts;     /* per slice: links that start a pair, then where the first goes;
	                     * at the end its pairs between flagged accounts, then their offset */
	size_t *fstarts;    /* per slice: links with full records, then their offset */
	int all_full;       /* an->links holds every link (else only flagged pairs') */
	int mismatch;       /* a full link is not its lean record's link */
	size_t *per_b;      /* per slice: LS_MAX_BEHAVIOURS counts of links */
	size_t *pstart;     /* pair k = links [pstart[k], pstart[k + 1]) */
	const double *lam_skip; /* per account, or NULL: see skip_thresholds */
	size_t *idx;        /* several behaviours: the links by behaviour ... */
	double *lp;         /* ... and their log p-values, then log q-values */
} score_job_t;

#define PREFETCH 8 /* links ahead */

/* Fused pair log p-value from links [i, j): the sum test and the best
 * single behaviour, whichever is stronger, paying a Bonferroni factor for
 * the choice. logp: the links' own log p-values, or NULL to compute them
 * again (the same function of the same fields: the same values). */
static double fused_logp(const score_job_t *sj, const double *logp, size_t i, size_t j)
{
	const ls_lean_link_t *lk = sj->an->lean.v;
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

/* Does link i (at l) start a pair? Links are sorted by (a, b, behaviour). */
static int starts_pair(const ls_lean_link_t *l, size_t i)
{
	return i == 0 || l->a != l[-1].a || l->b != l[-1].b;
}

/* Margins of skip_thresholds: far above rounding in a log p-value (about
 * 1e-15) and in the threshold's own computation. */
#define SKIP_LOG_MARGIN 1e-9
#define SKIP_REL_MARGIN 1e-9

/* One behaviour (pair k is link k): a count-1 link's p-value matters only
 * where it is below the first pruning bound of one of the three procedures
 * that read it (ls_prune_values): the layer BH (n links, m pairs of the
 * behaviour's active accounts), the fused BH (fused log p = min(0, log 2 +
 * log p), m pairs of active accounts) and the Simes step of each of its
 * two accounts (bound from the account's degree, m = N - 1). Above every
 * bound the value is left out of all three, and so is 0 (p = 1) when every
 * bound is <= 0: the results are bit for bit the same, and link_task need
 * not compute the tail. P(X >= 1) = 1 - e^-lambda grows with lambda, so the
 * test is lambda >= the larger of the two accounts' thresholds: lambda at
 * which log P = the largest of its bounds (plus margins). The full records
 * compute the value again (link_fill). Returns NULL when no account can
 * skip (or out of memory: nothing is skipped then); freed with free(). */
static double *skip_thresholds(const ls_analysis_t *an, const nulls_t *nu, const uint32_t *deg,
                               size_t nl)
{
	int b = -1;
	for (uint32_t k = 0; k < LS_MAX_BEHAVIOURS; k++)
		if (nu->hour.share[k] != NULL)
			b = (int)k;
	if (b < 0 || nl == 0)
		return NULL;
	uint64_t active = nu->hour.active_accounts;
	double log2v = log(2.0), logn1 = log(active > 1 ? (double)(active - 1) : 1.0);
	double blayer = ls_prune_bound(nl, log(pairs_of(nu->hour.active[b])));
	double bfused = ls_prune_bound(nl, log(pairs_of(active)));
	if (!(blayer <= 0 && bfused <= 0))
		return NULL;
	double common = blayer > bfused - log2v ? blayer : bfused - log2v;
	size_t na = an->ds->accounts.n;
	double *lam = malloc((na ? na : 1) * sizeof *lam);
	if (lam == NULL)
		return NULL;
	for (size_t a = 0; a < na; a++) {
		double bs = deg[a] ? ls_prune_bound(deg[a], logn1) : 0;
		double t = (common > bs - log2v ? common : bs - log2v) + SKIP_LOG_MARGIN;
		lam[a] = deg[a] && bs <= 0 && t < 0 ? -log1p(-exp(t)) * (1 + SKIP_REL_MARGIN)
		                                      : INFINITY;
	}
	return lam;
}

/* Links of slice k: expected count and p-value; with one link per pair
 * also the pair. Counts the slice's pair starts and links per behaviour. */
static void link_task(void *arg, size_t k, size_t lo, size_t hi)
{
	score_job_t *sj = arg;
	const ls_null_hour_t *nh = &sj->nu->hour;
	size_t starts = 0, *per_b = sj->per_b + k * LS_MAX_BEHAVIOURS;
	for (size_t i = lo; i < hi; i++) {
		ls_lean_link_t *l = &sj->an->lean.v[i];
		if (i + PREFETCH < hi && nh->share[l[PREFETCH].behaviour] != NULL) {
			/* b is random: fetch its null-model row early */
			const ls_lean_link_t *f = l + PREFETCH;
			__builtin_prefetch(&nh->hours[f->behaviour][f->b]);
			__builtin_prefetch(nh->share[f->behaviour] + (size_t)f->b * 24);
			__builtin_prefetch(nh->share[f->behaviour] + (size_t)f->b * 24 + 16);
			if (sj->lam_skip)
				__builtin_prefetch(&sj->lam_skip[f->b]);
		}
		l->expected = null_expected(sj->nu, sj->an, l->behaviour, l->a, l->b);
		uint32_t x = link_count(l->objects, l->events);
		double lp = sj->lam_skip && x == 1 && l->expected >= sj->lam_skip[l->a] &&
		                    l->expected >= sj->lam_skip[l->b]
		                ? 0.0 /* cannot matter, see skip_thresholds */
		                : ls_poisson_logsf_quiet(x, l->expected);
		sj->logp[i] = lp;
		starts += starts_pair(l, i);
		per_b[l->behaviour]++;
		if (sj->one_link)
			sj->fused[i] = fused_logp(sj, sj->logp, i, i + 1);
	}
	sj->starts[k] = starts;
}

/* The pair starts of slice k, from its offset in sj->starts. */
static void start_task(void *arg, size_t k, size_t lo, size_t hi)
{
	score_job_t *sj = arg;
	size_t *o = sj->pstart + sj->starts[k];
	for (size_t i = lo; i < hi; i++)
		if (starts_pair(&sj->an->lean.v[i], i))
			*o++ = i;
}

/* Fused log p-values of slice k's pairs (links [pstart[q], pstart[q + 1])
 * each). */
static void pair_task(void *arg, size_t k, size_t lo, size_t hi)
{
	score_job_t *sj = arg;
	(void)k;
	for (size_t q = lo; q < hi; q++)
		sj->fused[q] = fused_logp(sj, sj->logp, sj->pstart[q], sj->pstart[q + 1]);
}

/* Pair q's links [*i, *j). */
static void pair_links(const score_job_t *sj, size_t q, size_t *i, size_t *j)
{
	*i = pair_first(sj->pstart, q);
	*j = pair_first(sj->pstart, q + 1);
}

/* Is pair q between two flagged accounts? Only those pairs can be kept or
 * lie inside a cluster, so only those get a record in an->pairs. */
static int pair_flagged(const score_job_t *sj, size_t q)
{
	const ls_lean_link_t *l = &sj->an->lean.v[pair_first(sj->pstart, q)];
	return sj->an->flagged[l->a] && sj->an->flagged[l->b];
}

/* Counts slice k's pairs between flagged accounts (sj->starts) and the
 * links of its pairs with full records in an->links (sj->fstarts): those
 * same pairs, or every pair when the link stage built every link. */
static void flagged_task(void *arg, size_t k, size_t lo, size_t hi)
{
	score_job_t *sj = arg;
	size_t n = 0, nf = 0;
	for (size_t q = lo; q < hi; q++) {
		size_t i, j;
		pair_links(sj, q, &i, &j);
		int f = pair_flagged(sj, q);
		n += (size_t)f;
		nf += f || sj->all_full ? j - i : 0;
	}
	sj->starts[k] = n;
	sj->fstarts[k] = nf;
}

/* The score fields of full link record *l from its lean record and layer
 * log q-value; the log p-value is computed again (the same function of the
 * same fields as in link_task). Returns -1 when they are not the same link. */
static int link_fill(ls_link_t *l, const ls_lean_link_t *ll, double logq)
{
	if (l->a != ll->a || l->b != ll->b || l->behaviour != ll->behaviour ||
	    l->objects != ll->objects || l->events != ll->events)
		return -1;
	double lp = ls_poisson_logsf_quiet(link_count(ll->objects, ll->events), ll->expected);
	l->expected = ll->expected;
	l->pvalue = exp(lp);
	l->score = significance(lp);
	l->qvalue = q_of(logq);
	return 0;
}

/* Slice k's pairs after the fused BH (sj->fused holds log q-values): the
 * score fields of their full links (from the slice's offset in
 * sj->fstarts) and the records of the pairs between flagged accounts
 * (from its offset in sj->starts) with q-value and decision. The fused log
 * p-value is computed again from the links (the same function of the same
 * fields). */
static void decide_task(void *arg, size_t k, size_t lo, size_t hi)
{
	score_job_t *sj = arg;
	ls_analysis_t *an = sj->an;
	ls_pair_t *p = an->pairs.v + sj->starts[k];
	ls_link_t *full = an->links.v + sj->fstarts[k];
	for (size_t q = lo; q < hi; q++) {
		int f = pair_flagged(sj, q);
		if (!f && !sj->all_full)
			continue;
		size_t i, j;
		pair_links(sj, q, &i, &j);
		for (size_t m = i; m < j; m++)
			if (link_fill(&full[m - i], &an->lean.v[m], sj->logp[m]))
				sj->mismatch = 1;
		if (f) {
			pair_fill(p, full, 0, j - i, fused_logp(sj, NULL, i, j));
			double lq = sj->fused[q];
			p->qvalue = q_of(lq);
			p->kept = lq <= sj->logfdr && p->events >= an->params.min_weight;
			p++;
		}
		full += j - i;
	}
}

/* Several behaviours: slice k's links to their behaviour's run of sj->idx
 * and sj->lp, from the slice's offsets in sj->per_b. */
static void gather_task(void *arg, size_t k, size_t lo, size_t hi)
{
	score_job_t *sj = arg;
	size_t *o = sj->per_b + k * LS_MAX_BEHAVIOURS;
	for (size_t i = lo; i < hi; i++) {
		size_t j = o[sj->an->lean.v[i].behaviour]++;
		sj->idx[j] = i;
		sj->lp[j] = sj->logp[i];
	}
}

/* Several behaviours: the layer log q-values of gathered links [lo, hi)
 * back to their links' places in sj->logp. */
static void layer_q_task(void *arg, size_t k, size_t lo, size_t hi)
{
	score_job_t *sj = arg;
	(void)k;
	for (size_t j = lo; j < hi; j++)
		sj->logp[sj->idx[j]] = sj->lp[j];
}

/* The lean records of full links [lo, hi) (the link stage built them all). */
static void lean_task(void *arg, size_t k, size_t lo, size_t hi)
{
	ls_analysis_t *an = arg;
	(void)k;
	for (size_t i = lo; i < hi; i++) {
		const ls_link_t *l = &an->links.v[i];
		an->lean.v[i] = (ls_lean_link_t){l->a,      l->b,          l->behaviour,
		                                 l->objects, l->events, l->new_events, 0};
	}
}

ls_error_t ls_score_run(ls_analysis_t *an, ls_ctx_t *ctx)
{
	nulls_t nu;
	ls_error_t err = nulls_build(&nu, an, ctx);
	if (err)
		return err;
	int threads = ls_ctx_threads(ctx);
	size_t ntasks = 8 * (size_t)threads;
	if (!an->lean_first) { /* the link stage built every full link: their lean view */
		an->lean.n = 0;
		if (ls_vec_reserve(&an->lean, an->links.n)) {
			nulls_destroy(&nu);
			return ls_fail(ctx, LS_ENOMEM, "out of memory scoring links");
		}
		an->lean.n = an->links.n;
		ls_parallel_range(threads, an->links.n, ntasks, lean_task, an);
	}
	size_t nl = an->lean.n, np = nl;
	double nbehaviours = 0;
	for (uint32_t b = 0; b < LS_MAX_BEHAVIOURS; b++)
		nbehaviours += nu.hour.share[b] != NULL;
	/* one behaviour: pair k is link k, fused in the links' pass */
	score_job_t sj = {.an = an,
	                  .nu = &nu,
	                  .logb = log(nbehaviours > 1 ? nbehaviours : 1.0),
	                  .log2v = log(2.0),
	                  .logfdr = log(an->params.fdr),
	                  .one_link = nbehaviours <= 1};
	uint32_t *deg = NULL;
	double *lam_skip = NULL;
	gsl_error_handler_t *old_handler = gsl_set_error_handler_off();
	sj.logp = ls_score_big_alloc(nl * sizeof *sj.logp);
	sj.starts = malloc(ntasks * sizeof *sj.starts);
	sj.fstarts = malloc(ntasks * sizeof *sj.fstarts);
	sj.per_b = calloc(ntasks * LS_MAX_BEHAVIOURS, sizeof *sj.per_b);
	if (sj.one_link && (sj.fused = ls_score_big_alloc(nl * sizeof *sj.fused)) == NULL)
		goto oom;
	if (!sj.logp || !sj.starts || !sj.fstarts || !sj.per_b)
		goto oom;
	/* one behaviour: the degrees now, for the tails that cannot matter */
	if (sj.one_link) {
		if ((deg = pair_degrees(an, NULL, nl, threads)) == NULL)
			goto oom;
		sj.lam_skip = lam_skip = skip_thresholds(an, &nu, deg, nl);
	}
	/* per link: expected count and p-value */
	ls_parallel_range(threads, nl, ntasks, link_task, &sj);
	/* links per behaviour, and the pairs (a pair is a run of links) */
	size_t per_b[LS_MAX_BEHAVIOURS + 1] = {0};
	for (size_t k = 0; k < ntasks; k++)
		for (uint32_t b = 0; b < LS_MAX_BEHAVIOURS; b++)
			per_b[b + 1] += sj.per_b[k * LS_MAX_BEHAVIOURS + b];
	np = 0;
	for (size_t k = 0; k < ntasks; k++) {
		size_t t = sj.starts[k];
		sj.starts[k] = np;
		np += t;
	}
	if (np != nl && sj.one_link) {
		/* two links of a pair after all: cannot happen (the behaviours
		 * with links have a null-model table each) */
		err = ls_fail(ctx, LS_EINTERNAL, "one behaviour scored, %zu pairs of %zu links", np, nl);
		goto done;
	}
	if (!sj.one_link) {
		if ((sj.pstart = malloc((np + 1) * sizeof *sj.pstart)) == NULL)
			goto oom;
		ls_parallel_range(threads, nl, ntasks, start_task, &sj);
		sj.pstart[np] = nl;
		free(sj.fused);
		if ((sj.fused = ls_score_big_alloc(np * sizeof *sj.fused)) == NULL)
			goto oom;
		ls_parallel_range(threads, np, ntasks, pair_task, &sj);
	}
	/* per behaviour layer: BH within the behaviour (the pairs are fused
	 * already, so the p-values can turn into q-values in place) */
	size_t first[LS_MAX_BEHAVIOURS + 1] = {0}; /* behaviour b: [first[b], first[b + 1]) */
	int layers = 0;
	for (uint32_t b = 0; b < LS_MAX_BEHAVIOURS; b++) {
		first[b + 1] = first[b] + per_b[b + 1];
		layers += per_b[b + 1] != 0;
	}
	if (layers == 1) { /* one behaviour: no gathering */
		for (uint32_t b = 0; b < LS_MAX_BEHAVIOURS; b++)
			if (per_b[b + 1] &&
			    ls_bh_logq_mt(sj.logp, sj.logp, nl, pairs_of(nu.hour.active[b]), threads))
				goto oom;
	} else if (layers > 1) {
		/* gather the links by behaviour, each slice from its offsets */
		if ((sj.idx = malloc(nl * sizeof *sj.idx)) == NULL ||
		    (sj.lp = malloc(nl * sizeof *sj.lp)) == NULL)
			goto oom;
		for (uint32_t b = 0; b < LS_MAX_BEHAVIOURS; b++)
			for (size_t k = 0, o = first[b]; k < ntasks; k++) {
				size_t t = sj.per_b[k * LS_MAX_BEHAVIOURS + b];
				sj.per_b[k * LS_MAX_BEHAVIOURS + b] = o;
				o += t;
			}
		ls_parallel_range(threads, nl, ntasks, gather_task, &sj);
		for (uint32_t b = 0; b < LS_MAX_BEHAVIOURS; b++)
			if (per_b[b + 1] && ls_bh_logq_mt(sj.lp + first[b], sj.lp + first[b], per_b[b + 1],
			                                  pairs_of(nu.hour.active[b]), threads))
				goto oom;
		ls_parallel_range(threads, nl, ntasks, layer_q_task, &sj);
	}
	/* sj.logp holds every link's layer log q-value now */
	free(sj.idx);
	free(sj.lp);
	sj.idx = NULL;
	sj.lp = NULL;
	an->tested_pairs = (uint64_t)pairs_of(nu.hour.active_accounts);
	if (deg == NULL && (deg = pair_degrees(an, sj.pstart, np, threads)) == NULL)
		goto oom;
	err = score_accounts(an, sj.pstart, sj.fused, np, deg, nu.hour.active_accounts, threads, ctx);
	if (err)
		goto done;
	/* fused BH over every pair of active accounts (sj.fused turns into log
	 * q-values), then the records and decisions of the pairs between
	 * flagged accounts, in pair order */
	if (ls_bh_logq_mt(sj.fused, sj.fused, np, pairs_of(nu.hour.active_accounts), threads))
		goto oom;
	/* the full records of the links of pairs between flagged accounts:
	 * the link stage's second pass (--all-links: it built them all) */
	sj.all_full = !an->lean_first;
	size_t nfl = 0;
	for (size_t a = 0; a < an->ds->accounts.n; a++)
		nfl += an->flagged[a];
	if (an->lean_first && nfl < 2) {
		/* no pair between flagged accounts: nothing in full, no records */
		ls_vec_free(&an->links);
		an->pairs.n = 0;
		goto scored;
	}
	if (an->lean_first && (err = ls_link_detail(an, an->flagged, ctx)) != LS_OK)
		goto done;
	ls_parallel_range(threads, np, ntasks, flagged_task, &sj);
	size_t nflagged = 0, nfull = 0;
	for (size_t k = 0; k < ntasks; k++) {
		size_t t = sj.starts[k], f = sj.fstarts[k];
		sj.starts[k] = nflagged;
		sj.fstarts[k] = nfull;
		nflagged += t;
		nfull += f;
	}
	if (nfull != an->links.n) {
		err = ls_fail(ctx, LS_EINTERNAL, "%zu links in full, %zu expected", an->links.n, nfull);
		goto done;
	}
	if (pairs_alloc(an, nflagged))
		goto oom;
	ls_parallel_range(threads, np, ntasks, decide_task, &sj);
	if (sj.mismatch) {
		err = ls_fail(ctx, LS_EINTERNAL, "the second link pass found other links");
		goto done;
	}
scored:
	ls_vec_free(&an->lean); /* every later stage reads an->links */
	an->has_pvalues = 1;
	goto done;
oom:
	err = ls_fail(ctx, LS_ENOMEM, "out of memory scoring links");
done:
	gsl_set_error_handler(old_handler);
	nulls_destroy(&nu);
	free(sj.logp);
	free(sj.fused);
	free(deg);
	free(lam_skip);
	free(sj.starts);
	free(sj.fstarts);
	free(sj.per_b);
	free(sj.pstart);
	free(sj.idx);
	free(sj.lp);
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
