/*
 * Score stage (walking skeleton): each link's score is its number of
 * distinct objects; links of one account pair are fused by summing them,
 * and a pair is kept for clustering when the sum reaches min_weight.
 *
 * This is the stage the significance work replaces with per-behaviour null
 * models and p-values; the interface (links in, scored pairs out) stays.
 * Time O(L), memory O(pairs).
 */
#include "core/analysis.h"
#include "core/ctx.h"

ls_error_t ls_score_run(ls_analysis_t *an, ls_ctx_t *ctx)
{
	for (size_t i = 0; i < an->links.n;) {
		ls_pair_t p = {0};
		p.a = an->links.v[i].a;
		p.b = an->links.v[i].b;
		size_t j = i;
		for (; j < an->links.n && an->links.v[j].a == p.a && an->links.v[j].b == p.b; j++) {
			ls_link_t *l = &an->links.v[j];
			l->score = (double)l->objects;
			p.behaviours |= 1u << l->behaviour;
			p.objects += l->objects;
			p.coactions += l->coactions;
		}
		p.weight = (double)p.objects;
		p.kept = p.objects >= an->params.min_weight;
		if (ls_vec_push(&an->pairs, p))
			return ls_fail(ctx, LS_ENOMEM, "out of memory scoring links");
		i = j;
	}
	return LS_OK;
}
