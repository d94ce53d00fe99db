/* Co-hashtag: accounts that use the same hashtag (case-insensitive) in
 * their own posts. */
#include "extract/bh_common.h"

static int extract(const ls_post_t *p, const ls_extract_env_t *env, ls_emit_fn emit, void *user)
{
	if (p->kind == LS_KIND_RETWEET)
		return 0;
	return ls_bh_emit_folded(p->hashtags, p->n_hashtags, env, emit, user);
}

const ls_behaviour_def_t ls_bh_cohashtag = {
	"cohashtag", "using the same hashtag (case-insensitive)", extract,
};
