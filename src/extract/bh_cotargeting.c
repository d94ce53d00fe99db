/*
 * Co-targeting: advertisers whose ads aim at the same audience. The key of
 * an ad is its whole targeting set: the facets ("cat:value", reader.h)
 * case-folded, placements ("placements:...": where the ad shows, not who it
 * aims at) left out, sorted and deduplicated, joined by '\n'; it is kept as
 * the object's label, so the evidence names the audience. Ads without a
 * targeting facet emit nothing. Only ads (post->ad) take part.
 *
 * Rarity is the scoring stage's business (the ads null, score/null_ads.h):
 * a combination many advertisers use gets a high expected count and a weak
 * p-value, a rare one shared by two pages a strong one. Cost O(F log F + key bytes) per ad,
 * F <= LS_AD_MAX_FACETS; the key is built in the extract scratch buffer
 * (the dataset sizes it for the facets).
 */
#include "extract/behaviour.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

static int cmp_facet(const void *a, const void *b)
{
	const ls_str_t *x = a, *y = b;
	size_t n = x->n < y->n ? x->n : y->n;
	int c = strncasecmp(x->p, y->p, n);
	if (c)
		return c;
	return x->n < y->n ? -1 : x->n > y->n;
}

static int extract(const ls_post_t *p, const ls_extract_env_t *env, ls_emit_fn emit, void *user)
{
	if (p->ad == NULL || p->ad->n_targeting == 0)
		return 0;
	ls_str_t f[LS_AD_MAX_FACETS];
	size_t n = 0;
	for (size_t i = 0; i < p->ad->n_targeting && n < LS_AD_MAX_FACETS; i++)
		if (!(p->ad->targeting[i].n >= 11 &&
		      strncasecmp(p->ad->targeting[i].p, "placements:", 11) == 0))
			f[n++] = p->ad->targeting[i];
	if (n == 0)
		return 0;
	qsort(f, n, sizeof f[0], cmp_facet);
	size_t at = 0;
	for (size_t i = 0; i < n; i++) {
		if (i > 0 && cmp_facet(&f[i - 1], &f[i]) == 0)
			continue;
		if (at + f[i].n + 1 > env->scratch_cap)
			return 0; /* cannot happen: the scratch is sized for the facets */
		if (at)
			env->scratch[at++] = '\n';
		for (size_t k = 0; k < f[i].n; k++) {
			char c = f[i].p[k];
			env->scratch[at++] = (char)(c >= 'A' && c <= 'Z' ? c + 32 : c);
		}
	}
	return emit(user, env->scratch, at, 1); /* the audience, readable in the evidence */
}

const ls_behaviour_def_t ls_bh_cotargeting = {
	"cotargeting",
	"ads aimed at the same targeting set (sorted facets, placements left out; ads only)",
	extract,
};
