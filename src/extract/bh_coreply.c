/* Co-reply: accounts that reply to the same post. */
#include "extract/behaviour.h"

#include <string.h>

static int extract(const ls_post_t *p, const ls_extract_env_t *env, ls_emit_fn emit, void *user)
{
	if (p->kind != LS_KIND_REPLY || p->ref_post.n == 0 || p->ref_post.n > env->scratch_cap)
		return 0;
	memcpy(env->scratch, p->ref_post.p, p->ref_post.n);
	return emit(user, env->scratch, p->ref_post.n, 1);
}

const ls_behaviour_def_t ls_bh_coreply = {
	"coreply", "replying to the same post", extract,
};
