/* Co-tweet: accounts that post the same normalised text (retweets excluded:
 * they are co-retweets). Texts shorter than min_text_length are ignored. */
#include "extract/behaviour.h"

static int extract(const ls_post_t *p, const ls_extract_env_t *env, ls_emit_fn emit, void *user)
{
	if (p->kind == LS_KIND_RETWEET || p->text.n == 0)
		return 0;
	size_t n;
	const char *t = ls_extract_text(env, p, &n);
	if (n == 0 || n < env->min_text_length)
		return 0;
	return emit(user, t, n, 0);
}

const ls_behaviour_def_t ls_bh_cotweet = {
	"cotweet", "posting the same text (case-folded, URLs and mentions removed)", extract,
};
