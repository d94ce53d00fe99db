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
 * Time O(L log L) for L links; memory O(L) plus 96 bytes per account and
 * behaviour for the null model.
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

/* Simes over the accounts of one task: account_p (log) of each account
 * with pairs, from its pair p-values lp[start[a] .. start[a + 1]). */
typedef struct simes_job {
	size_t *start;
	double *lp, *logk, *alogp, logn1;
} simes_job_t;

static void simes_task(void *arg, size_t k, size_t lo, size_t hi)
{
	simes_job_t *sj = arg;
	(void)k;
	for (size_t a = lo; a < hi; a++) {
		size_t n = sj->start[a + 1] - sj->start[a];
		double *v = sj->lp + sj->start[a], best = 0;
		sort_doubles(v, n);
		for (size_t r = 0; r < n; r++) {
			double s = sj->logn1 - sj->logk[r] + v[r];
			if (s < best)
				best = s;
		}
		sj->alogp[a] = best;
	}
}

/* Account-level p-values (Simes over each account's pairs), BH across the
 * active accounts, flags. plogp[k] is the log p-value of an->pairs.v[k]. */
static ls_error_t score_accounts(ls_analysis_t *an, const double *plogp, uint64_t active,
                                 int threads, ls_ctx_t *ctx)
{
	size_t na = an->ds->accounts.n, np = an->pairs.n;
	ls_error_t err = LS_OK;
	size_t *start = calloc(na + 1, sizeof *start);
	double *lp = malloc((np ? 2 * np : 1) * sizeof *lp);
	double *alogp = malloc((na ? na : 1) * sizeof *alogp);
	double *alogq = malloc((na ? na : 1) * sizeof *alogq);
	uint32_t *tested = malloc((na ? na : 1) * sizeof *tested);
	double *logk = NULL;
	ls_rec_t *bs = malloc((np ? 2 * np : 1) * sizeof *bs);
	an->account_p = calloc(na ? na : 1, sizeof *an->account_p);
	an->account_q = calloc(na ? na : 1, sizeof *an->account_q);
	an->account_score = calloc(na ? na : 1, sizeof *an->account_score);
	an->flagged = calloc(na ? na : 1, 1);
	if (!start || !lp || !alogp || !alogq || !tested || !bs || !an->account_p ||
	    !an->account_q || !an->account_score || !an->flagged) {
		err = ls_fail(ctx, LS_ENOMEM, "out of memory scoring accounts");
		goto done;
	}
	for (size_t k = 0; k < np; k++) {
		start[an->pairs.v[k].a + 1]++;
		start[an->pairs.v[k].b + 1]++;
	}
	size_t maxdeg = 0;
	for (size_t a = 0; a < na; a++) {
		if (start[a + 1] > maxdeg)
			maxdeg = start[a + 1];
		start[a + 1] += start[a];
	}
	/* start[a] .. start[a + 1]: account a's p-values in lp */
	logk = malloc((maxdeg ? maxdeg : 1) * sizeof *logk);
	if (logk == NULL) {
		err = ls_fail(ctx, LS_ENOMEM, "out of memory scoring accounts");
		goto done;
	}
	for (size_t k = 0; k < maxdeg; k++)
		logk[k] = log((double)(k + 1));
	/* each account's p-values: its pairs as a (a run, pairs are sorted by
	 * a) then as b (a radix sort by b, instead of scattered writes) */
	for (size_t k = 0; k < np; k++) {
		uint64_t u;
		memcpy(&u, &plogp[k], sizeof u);
		bs[k] = (ls_rec_t){an->pairs.v[k].b, (uint32_t)u, (uint32_t)(u >> 32)};
	}
	ls_rec_t *sb = ls_radix_sort_rec_mt(bs, bs + np, np, threads);
	if (sb == NULL) {
		err = ls_fail(ctx, LS_ENOMEM, "out of memory scoring accounts");
		goto done;
	}
	for (size_t a = 0, ka = 0, kb = 0, o = 0; a < na; a++) {
		for (; ka < np && an->pairs.v[ka].a == a; ka++)
			lp[o++] = plogp[ka];
		for (; kb < np && sb[kb].key == a; kb++) {
			uint64_t u = (uint64_t)sb[kb].j << 32 | sb[kb].i;
			memcpy(&lp[o++], &u, sizeof u);
		}
	}
	simes_job_t sj = {start, lp, logk, alogp, log(active > 1 ? (double)(active - 1) : 1.0)};
	ls_parallel_range(threads, na, 8 * (size_t)threads, simes_task, &sj);
	size_t nt = 0;
	for (size_t a = 0; a < na; a++) {
		an->account_p[a] = 1;
		an->account_q[a] = 1;
		if (start[a + 1] == start[a])
			continue;
		alogp[nt] = alogp[a]; /* nt <= a: compacts in place */
		tested[nt++] = (uint32_t)a;
	}
	if (ls_bh_logq(alogp, alogq, nt, (double)(active ? active : 1))) {
		err = ls_fail(ctx, LS_ENOMEM, "out of memory");
		goto done;
	}
	double logfdr = log(an->params.fdr);
	for (size_t k = 0; k < nt; k++) {
		uint32_t a = tested[k];
		an->account_p[a] = exp(alogp[k]);
		an->account_q[a] = exp(alogq[k]);
		an->account_score[a] = significance(alogp[k]);
		an->flagged[a] = alogq[k] <= logfdr;
	}
	an->tested_accounts = active;
done:
	free(start);
	free(lp);
	free(alogp);
	free(alogq);
	free(tested);
	free(logk);
	free(bs);
	return err;
}

/* Shared state of the parallel scoring loops. */
typedef struct score_job {
	ls_analysis_t *an;
	const nulls_t *nu;
	double *logp;      /* per link */
	size_t *pstart;    /* pair k = links [pstart[k], pstart[k + 1]) */
	double *fused;     /* per pair: fused log p-value */
	size_t ntasks;
	double logb, log2v;
	unsigned char *mixed; /* per task: a pair whose fused test differs from its link's */
} score_job_t;

#define PREFETCH 8 /* links ahead */

/* Links of task k: expected count and p-value. */
static void link_task(void *arg, size_t k, size_t lo, size_t hi)
{
	score_job_t *sj = arg;
	(void)k;
	const ls_null_hour_t *nh = &sj->nu->hour;
	for (size_t i = lo; i < hi; i++) {
		ls_link_t *l = &sj->an->links.v[i];
		if (i + PREFETCH < hi && nh->share[l[PREFETCH].behaviour] != NULL) {
			/* b is random: fetch its null-model row early */
			const ls_link_t *f = l + PREFETCH;
			__builtin_prefetch(&nh->hours[f->behaviour][f->b]);
			__builtin_prefetch(nh->share[f->behaviour] + (size_t)f->b * 24);
			__builtin_prefetch(nh->share[f->behaviour] + (size_t)f->b * 24 + 16);
		}
		l->expected = null_expected(sj->nu, sj->an, l->behaviour, l->a, l->b);
		sj->logp[i] = ls_poisson_logsf_quiet(link_count(l->objects, l->events), l->expected);
		l->pvalue = exp(sj->logp[i]);
		l->score = significance(sj->logp[i]);
	}
}

/* Fused pairs of task k: the sum test and the best single behaviour,
 * whichever is stronger, paying a Bonferroni factor for the choice. */
static void pair_task(void *arg, size_t k, size_t lo, size_t hi)
{
	score_job_t *sj = arg;
	const ls_link_t *lk = sj->an->links.v;
	for (size_t q = lo; q < hi; q++) {
		ls_pair_t *p = &sj->an->pairs.v[q];
		memset(p, 0, sizeof *p);
		size_t i = sj->pstart[q], j = sj->pstart[q + 1];
		p->a = lk[i].a;
		p->b = lk[i].b;
		double e = 0, best = 0, lone = 0;
		for (size_t m = i; m < j; m++) {
			const ls_link_t *l = &lk[m];
			uint32_t x = link_count(l->objects, l->new_events);
			p->behaviours |= 1u << l->behaviour;
			p->objects += l->objects;
			p->events += x;
			p->coactions += l->coactions;
			e += l->expected;
			/* the link's own test when it counts the same (no events
			 * shared with an earlier behaviour) */
			int same = x == link_count(l->objects, l->events);
			double lp = same ? sj->logp[m] : ls_poisson_logsf_quiet(x, l->expected);
			if (!same || j - i > 1)
				sj->mixed[k] = 1;
			if (lp < best)
				best = lp;
			lone = lp;
		}
		p->expected = e;
		double lsum = j - i == 1 ? lone : ls_poisson_logsf_quiet(p->events, e);
		double lmin = sj->logb + best;
		double lf = sj->log2v + (lsum < lmin ? lsum : lmin);
		sj->fused[q] = lf > 0 ? 0.0 : lf;
	}
}

ls_error_t ls_score_run(ls_analysis_t *an, ls_ctx_t *ctx)
{
	nulls_t nu;
	ls_error_t err = nulls_build(&nu, an, ctx);
	if (err)
		return err;
	size_t nl = an->links.n;
	int threads = ls_ctx_threads(ctx);
	score_job_t sj = {an, &nu, NULL, NULL, NULL, 8 * (size_t)threads, 0, 0, NULL};
	unsigned char mixed[8 * 256] = {0};
	sj.mixed = mixed;
	sj.logp = malloc((nl ? nl : 1) * sizeof *sj.logp);
	size_t *idx = NULL; /* only with several behaviours */
	size_t *pstart = malloc((nl + 1) * sizeof *pstart);
	double *lp = malloc((nl ? nl : 1) * sizeof *lp);
	double *plogq = NULL;
	ls_rec_t *lsorted = NULL; /* links by p-value, with a single behaviour */
	gsl_error_handler_t *old_handler = gsl_set_error_handler_off();
	if (!sj.logp || !pstart || !lp) {
		err = ls_fail(ctx, LS_ENOMEM, "out of memory scoring links");
		goto done;
	}
	/* per link: expected count and p-value */
	ls_parallel_range(threads, nl, sj.ntasks, link_task, &sj);
	/* one pass: links per behaviour, and the pairs (a pair is a run of
	 * links, which are sorted by (a, b, behaviour)) */
	size_t per_b[LS_MAX_BEHAVIOURS + 1] = {0}, np = 0;
	for (size_t i = 0; i < nl; i++) {
		const ls_link_t *l = &an->links.v[i];
		per_b[l->behaviour + 1]++;
		if (i == 0 || l->a != l[-1].a || l->b != l[-1].b)
			pstart[np++] = i;
	}
	pstart[np] = nl;
	/* per behaviour layer: BH within the behaviour */
	for (uint32_t b = 0; b < LS_MAX_BEHAVIOURS; b++) {
		size_t n = per_b[b + 1];
		if (n == 0)
			continue;
		if (n == nl) { /* the only behaviour: no gathering */
			if (ls_bh_logq_keep(sj.logp, lp, n, pairs_of(nu.hour.active[b]), threads, &lsorted)) {
				err = ls_fail(ctx, LS_ENOMEM, "out of memory");
				goto done;
			}
			for (size_t i = 0; i < nl; i++)
				an->links.v[i].qvalue = exp(lp[i]);
			break;
		}
		if (idx == NULL && (idx = malloc(nl * sizeof *idx)) == NULL) {
			err = ls_fail(ctx, LS_ENOMEM, "out of memory");
			goto done;
		}
		size_t k = 0;
		for (size_t i = 0; i < nl; i++)
			if (an->links.v[i].behaviour == b) {
				idx[k] = i;
				lp[k++] = sj.logp[i];
			}
		if (ls_bh_logq_mt(lp, lp, n, pairs_of(nu.hour.active[b]), threads)) {
			err = ls_fail(ctx, LS_ENOMEM, "out of memory");
			goto done;
		}
		for (k = 0; k < n; k++)
			an->links.v[idx[k]].qvalue = exp(lp[k]);
	}
	/* fused pairs */
	double nbehaviours = 0;
	for (uint32_t b = 0; b < LS_MAX_BEHAVIOURS; b++)
		nbehaviours += nu.hour.share[b] != NULL;
	sj.logb = log(nbehaviours > 1 ? nbehaviours : 1.0);
	sj.log2v = log(2.0);
	sj.pstart = pstart;
	sj.fused = malloc((np ? np : 1) * sizeof *sj.fused);
	plogq = malloc((np ? np : 1) * sizeof *plogq);
	if (!sj.fused || !plogq || ls_vec_reserve(&an->pairs, np)) {
		err = ls_fail(ctx, LS_ENOMEM, "out of memory scoring pairs");
		goto done;
	}
	an->pairs.n = np;
	ls_parallel_range(threads, np, sj.ntasks, pair_task, &sj);
	/* the per-link arrays are done: release them before the account step */
	free(sj.logp);
	free(idx);
	free(pstart);
	free(lp);
	sj.logp = lp = NULL;
	idx = pstart = NULL;
	an->tested_pairs = (uint64_t)pairs_of(nu.hour.active_accounts);
	/* every pair one link counted alike in both tests: its fused log
	 * p-value is a non-decreasing function of the link's, so the links'
	 * order by p-value serves the fused BH too (ties get the same q) */
	int reuse = lsorted != NULL && np == nl;
	for (size_t k = 0; reuse && k < sj.ntasks; k++)
		reuse = !sj.mixed[k];
	if (reuse)
		ls_bh_logq_sorted(sj.fused, lsorted, plogq, np, pairs_of(nu.hour.active_accounts));
	else if (ls_bh_logq_mt(sj.fused, plogq, np, pairs_of(nu.hour.active_accounts), threads)) {
		err = ls_fail(ctx, LS_ENOMEM, "out of memory");
		goto done;
	}
	free(lsorted);
	lsorted = NULL;
	err = score_accounts(an, sj.fused, nu.hour.active_accounts, threads, ctx);
	if (err)
		goto done;
	double logfdr = log(an->params.fdr);
	for (size_t k = 0; k < np; k++) {
		ls_pair_t *p = &an->pairs.v[k];
		p->pvalue = exp(sj.fused[k]);
		p->qvalue = exp(plogq[k]);
		p->weight = significance(sj.fused[k]);
		p->kept = plogq[k] <= logfdr && an->flagged[p->a] && an->flagged[p->b] &&
		          p->events >= an->params.min_weight;
	}
	an->has_pvalues = 1;
done:
	gsl_set_error_handler(old_handler);
	nulls_destroy(&nu);
	free(sj.logp);
	free(sj.fused);
	free(idx);
	free(pstart);
	free(lp);
	free(plogq);
	free(lsorted);
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
