/* Co-link: accounts that share the same normalised URL in their own posts
 * (retweets excluded: the link is the original author's). */
#include "extract/behaviour.h"

#include <strings.h>

static int extract(const ls_post_t *p, const ls_extract_env_t *env, ls_emit_fn emit, void *user)
{
	if (p->kind == LS_KIND_RETWEET)
		return 0;
	for (size_t i = 0; i < p->n_urls; i++) {
		int dup = 0;
		for (size_t j = 0; j < i && !dup; j++)
			dup = p->urls[j].n == p->urls[i].n &&
			      strncasecmp(p->urls[j].p, p->urls[i].p, p->urls[i].n) == 0;
		if (dup || 2 * p->urls[i].n + 1 > env->scratch_cap)
			continue;
		size_t n = ls_url_normalise(p->urls[i].p, p->urls[i].n, env->scratch);
		if (n && emit(user, env->scratch, n, 1))
			return -1;
	}
	return 0;
}

const ls_behaviour_def_t ls_bh_colink = {
	"colink", "sharing the same URL (normalised: scheme, www., utm_*, fragment dropped)", extract,
};
