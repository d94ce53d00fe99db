/* Co-retweet: accounts that retweet the same post. The object is the
 * retweeted post's id; where the format has none (the FiveThirtyEight IRA
 * corpus, the GOP-debate CSV) the retweet's normalised text stands for it. */
#include "extract/behaviour.h"

#include <string.h>

static int extract(const ls_post_t *p, const ls_extract_env_t *env, ls_emit_fn emit, void *user)
{
	if (p->kind != LS_KIND_RETWEET)
		return 0;
	if (p->ref_post.n) {
		if (p->ref_post.n + 3 > env->scratch_cap)
			return 0;
		memcpy(env->scratch, "id:", 3);
		memcpy(env->scratch + 3, p->ref_post.p, p->ref_post.n);
		return emit(user, env->scratch, p->ref_post.n + 3, 1);
	}
	size_t n;
	const char *t = ls_extract_text(env, p, &n);
	if (n == 0)
		return 0;
	memmove(env->scratch + 3, t, n); /* t may be scratch itself */
	memcpy(env->scratch, "tx:", 3);
	return emit(user, env->scratch, n + 3, 0);
}

const ls_behaviour_def_t ls_bh_coretweet = {
	"coretweet", "retweeting the same post (by id, else by normalised text)", extract,
};
