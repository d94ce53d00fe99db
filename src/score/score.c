/*
 * Score stage: how unlikely is each link by chance?
 *
 * 1. Null model (score/null_hour.h): for each link (a, b, behaviour) the
 *    expected number of co-actions E under a configuration null that keeps
 *    every co-action opportunity (object, time) and every account's number
 *    of traces per UTC hour of day. Observed x = distinct post pairs behind
 *    the co-actions ("events"); p = P(Poisson(E) >= x). Counting events
 *    while E counts co-actions (x <= co-actions) keeps the test conservative.
 * 2. Fusion: the behaviours of a pair are Poisson counts under the null, so
 *    their sum is Poisson with the summed mean: the fused p-value is
 *    P(Poisson(sum E) >= X) with X the distinct post pairs over all
 *    behaviours (one reply that also mentions its target counts once). A
 *    ring weak on every behaviour but consistent across them adds up.
 * 3. FDR: Benjamini-Hochberg over every pair of active accounts (pairs that
 *    never co-acted have p = 1 and count in m), per behaviour for the layer
 *    q-values and fused for the decision: a pair is kept when its fused
 *    q <= fdr (and it has at least min_weight objects).
 *
 * Time O(L log L) for L links; memory O(L) plus 96 bytes per account and
 * behaviour for the null model.
 */
#include "core/analysis.h"
#include "core/ctx.h"
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

static double pairs_of(uint64_t n)
{
	return n < 2 ? 1.0 : (double)n * (double)(n - 1) / 2.0;
}

ls_error_t ls_score_run(ls_analysis_t *an, ls_ctx_t *ctx)
{
	ls_null_hour_t nh;
	ls_error_t err = ls_null_hour_build(&nh, an, ctx);
	if (err)
		return err;
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
		l->expected = ls_null_hour_expected(&nh, an, l->behaviour, l->a, l->b);
		logp[i] = ls_poisson_logsf(l->events, l->expected);
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
	/* fused pairs */
	for (size_t i = 0; i < nl;) {
		ls_pair_t p = {0};
		p.a = an->links.v[i].a;
		p.b = an->links.v[i].b;
		double e = 0;
		size_t j = i;
		for (; j < nl && an->links.v[j].a == p.a && an->links.v[j].b == p.b; j++) {
			const ls_link_t *l = &an->links.v[j];
			p.behaviours |= 1u << l->behaviour;
			p.objects += l->objects;
			p.events += l->new_events;
			p.coactions += l->coactions;
			e += l->expected;
		}
		p.expected = e;
		if (ls_vec_push(&an->pairs, p)) {
			err = ls_fail(ctx, LS_ENOMEM, "out of memory scoring pairs");
			goto done;
		}
		i = j;
	}
	size_t np = an->pairs.n;
	plogp = malloc((np ? np : 1) * sizeof *plogp);
	plogq = malloc((np ? np : 1) * sizeof *plogq);
	if (!plogp || !plogq) {
		err = ls_fail(ctx, LS_ENOMEM, "out of memory");
		goto done;
	}
	for (size_t k = 0; k < np; k++)
		plogp[k] = ls_poisson_logsf(an->pairs.v[k].events, an->pairs.v[k].expected);
	an->tested_pairs = (uint64_t)pairs_of(nh.active_accounts);
	if (ls_bh_logq(plogp, plogq, np, pairs_of(nh.active_accounts))) {
		err = ls_fail(ctx, LS_ENOMEM, "out of memory");
		goto done;
	}
	double logfdr = log(an->params.fdr);
	for (size_t k = 0; k < np; k++) {
		ls_pair_t *p = &an->pairs.v[k];
		p->pvalue = exp(plogp[k]);
		p->qvalue = exp(plogq[k]);
		p->weight = significance(plogp[k]);
		p->kept = plogq[k] <= logfdr && p->objects >= an->params.min_weight;
	}
	an->has_pvalues = 1;
done:
	ls_null_hour_destroy(&nh);
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
	ls_null_hour_t nh;
	ls_error_t err = ls_null_hour_build(&nh, an, ctx);
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
					if (nh.share[b])
						e[c] += ls_null_hour_expected(&nh, an, b, members[i], members[j]);
		ls_cluster_t *cl = &an->clusters.v[c];
		cl->observed = x[c];
		cl->expected = e[c];
		cl->pvalue = exp(ls_poisson_logsf(x[c], e[c]));
		cl->significance = significance(ls_poisson_logsf(x[c], e[c]));
	}
done:
	ls_null_hour_destroy(&nh);
	free(x);
	free(e);
	free(start);
	free(members);
	return err;
}
