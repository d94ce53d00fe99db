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

#include <math.h>
#include <stdlib.h>

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

static int cmp_double(const void *x, const void *y)
{
	double a = *(const double *)x, b = *(const double *)y;
	return a < b ? -1 : a > b;
}

/* Account-level p-values (Simes over each account's pairs), BH across the
 * active accounts, flags. plogp[k] is the log p-value of an->pairs.v[k]. */
static ls_error_t score_accounts(ls_analysis_t *an, const double *plogp, uint64_t active,
                                 ls_ctx_t *ctx)
{
	size_t na = an->ds->accounts.n, np = an->pairs.n;
	ls_error_t err = LS_OK;
	size_t *start = calloc(na + 1, sizeof *start);
	double *lp = malloc((np ? 2 * np : 1) * sizeof *lp);
	double *alogp = malloc((na ? na : 1) * sizeof *alogp);
	double *alogq = malloc((na ? na : 1) * sizeof *alogq);
	uint32_t *tested = malloc((na ? na : 1) * sizeof *tested);
	an->account_p = calloc(na ? na : 1, sizeof *an->account_p);
	an->account_q = calloc(na ? na : 1, sizeof *an->account_q);
	an->account_score = calloc(na ? na : 1, sizeof *an->account_score);
	an->flagged = calloc(na ? na : 1, 1);
	if (!start || !lp || !alogp || !alogq || !tested || !an->account_p || !an->account_q ||
	    !an->account_score || !an->flagged) {
		err = ls_fail(ctx, LS_ENOMEM, "out of memory scoring accounts");
		goto done;
	}
	for (size_t k = 0; k < np; k++) {
		start[an->pairs.v[k].a + 1]++;
		start[an->pairs.v[k].b + 1]++;
	}
	for (size_t a = 0; a < na; a++)
		start[a + 1] += start[a];
	for (size_t k = 0; k < np; k++) {
		lp[start[an->pairs.v[k].a]++] = plogp[k];
		lp[start[an->pairs.v[k].b]++] = plogp[k];
	}
	for (size_t a = na; a > 0; a--)
		start[a] = start[a - 1];
	start[0] = 0;
	double logn1 = log(active > 1 ? (double)(active - 1) : 1.0);
	size_t nt = 0;
	for (size_t a = 0; a < na; a++) {
		an->account_p[a] = 1;
		an->account_q[a] = 1;
		size_t n = start[a + 1] - start[a];
		if (n == 0)
			continue;
		double *v = lp + start[a];
		qsort(v, n, sizeof *v, cmp_double);
		double best = 0;
		for (size_t k = 0; k < n; k++) {
			double s = logn1 - log((double)(k + 1)) + v[k];
			if (s < best)
				best = s;
		}
		alogp[nt] = best;
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
	return err;
}

ls_error_t ls_score_run(ls_analysis_t *an, ls_ctx_t *ctx)
{
	nulls_t nu;
	ls_error_t err = nulls_build(&nu, an, ctx);
	if (err)
		return err;
	const ls_null_hour_t nh = nu.hour;
	size_t nl = an->links.n;
	double *logp = malloc((nl ? nl : 1) * sizeof *logp);
	double *logq = malloc((nl ? nl : 1) * sizeof *logq);
	size_t *idx = malloc((nl ? nl : 1) * sizeof *idx);
	double *plogp = NULL, *plogq = NULL;
	if (!logp || !logq || !idx) {
		err = ls_fail(ctx, LS_ENOMEM, "out of memory scoring links");
		goto done;
	}
	/* per link: expected count and p-value */
	for (size_t i = 0; i < nl; i++) {
		ls_link_t *l = &an->links.v[i];
		l->expected = null_expected(&nu, an, l->behaviour, l->a, l->b);
		logp[i] = ls_poisson_logsf(link_count(l->objects, l->events), l->expected);
		l->pvalue = exp(logp[i]);
		l->score = significance(logp[i]);
	}
	/* per behaviour layer: BH within the behaviour */
	for (uint32_t b = 0; b < LS_MAX_BEHAVIOURS; b++) {
		size_t n = 0;
		for (size_t i = 0; i < nl; i++)
			if (an->links.v[i].behaviour == b)
				idx[n++] = i;
		if (n == 0)
			continue;
		double *lp = malloc(n * sizeof *lp);
		if (lp == NULL) {
			err = ls_fail(ctx, LS_ENOMEM, "out of memory");
			goto done;
		}
		for (size_t k = 0; k < n; k++)
			lp[k] = logp[idx[k]];
		if (ls_bh_logq(lp, lp, n, pairs_of(nh.active[b]))) {
			free(lp);
			err = ls_fail(ctx, LS_ENOMEM, "out of memory");
			goto done;
		}
		for (size_t k = 0; k < n; k++)
			an->links.v[idx[k]].qvalue = exp(lp[k]);
		free(lp);
	}
	/* fused pairs: the sum test and the best single behaviour, whichever is
	 * stronger, paying a Bonferroni factor for the choice */
	double nbehaviours = 0;
	for (uint32_t b = 0; b < LS_MAX_BEHAVIOURS; b++)
		nbehaviours += nh.share[b] != NULL;
	double logb = log(nbehaviours > 1 ? nbehaviours : 1.0), log2v = log(2.0);
	LS_VEC(double) fused = {0};
	for (size_t i = 0; i < nl;) {
		ls_pair_t p = {0};
		p.a = an->links.v[i].a;
		p.b = an->links.v[i].b;
		double e = 0, best = 0;
		size_t j = i;
		for (; j < nl && an->links.v[j].a == p.a && an->links.v[j].b == p.b; j++) {
			const ls_link_t *l = &an->links.v[j];
			uint32_t x = link_count(l->objects, l->new_events);
			p.behaviours |= 1u << l->behaviour;
			p.objects += l->objects;
			p.events += x;
			p.coactions += l->coactions;
			e += l->expected;
			double lp = ls_poisson_logsf(x, l->expected);
			if (lp < best)
				best = lp;
		}
		p.expected = e;
		double lsum = ls_poisson_logsf(p.events, e), lmin = logb + best;
		double lf = log2v + (lsum < lmin ? lsum : lmin);
		if (ls_vec_push(&an->pairs, p) || ls_vec_push(&fused, lf > 0 ? 0.0 : lf)) {
			ls_vec_free(&fused);
			err = ls_fail(ctx, LS_ENOMEM, "out of memory scoring pairs");
			goto done;
		}
		i = j;
	}
	size_t np = an->pairs.n;
	plogp = fused.v ? fused.v : malloc(sizeof *plogp);
	plogq = malloc((np ? np : 1) * sizeof *plogq);
	if (!plogp || !plogq) {
		err = ls_fail(ctx, LS_ENOMEM, "out of memory");
		goto done;
	}
	an->tested_pairs = (uint64_t)pairs_of(nh.active_accounts);
	if (ls_bh_logq(plogp, plogq, np, pairs_of(nh.active_accounts))) {
		err = ls_fail(ctx, LS_ENOMEM, "out of memory");
		goto done;
	}
	err = score_accounts(an, plogp, nh.active_accounts, ctx);
	if (err)
		goto done;
	double logfdr = log(an->params.fdr);
	for (size_t k = 0; k < np; k++) {
		ls_pair_t *p = &an->pairs.v[k];
		p->pvalue = exp(plogp[k]);
		p->qvalue = exp(plogq[k]);
		p->weight = significance(plogp[k]);
		p->kept = plogq[k] <= logfdr && an->flagged[p->a] && an->flagged[p->b] &&
		          p->events >= an->params.min_weight;
	}
	an->has_pvalues = 1;
done:
	nulls_destroy(&nu);
	free(logp);
	free(logq);
	free(idx);
	free(plogp);
	free(plogq);
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
