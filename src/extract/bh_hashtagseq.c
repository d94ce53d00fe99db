/*
 * Hashtag sequence: accounts whose own posts carry the same ordered list of
 * at least two hashtags. Operations paste a fixed block of tags
 * ("#a #b #c") into every post; the same tags in the same order is much
 * rarer by chance than one shared tag (co-hashtag).
 *
 * Key: the post's hashtags, case-folded (ASCII, as co-hashtag), in text
 * order, a repeat dropped after its first use, each prefixed with '#':
 * "#maga#tcot#pjnet". Posts with fewer than two distinct hashtags emit
 * nothing; retweets emit nothing (the tags are the original author's, and
 * co-retweet covers them). The key doubles as a readable label when it is
 * at most 256 bytes. Cost O(h^2 + bytes) per post for h <= 64 hashtags.
 */
#include "extract/behaviour.h"

#include <strings.h>

#define MAX_LABEL 256

static int extract(const ls_post_t *p, const ls_extract_env_t *env, ls_emit_fn emit, void *user)
{
	if (p->kind == LS_KIND_RETWEET || p->n_hashtags < 2)
		return 0;
	const ls_str_t *h = p->hashtags;
	size_t o = 0, distinct = 0;
	for (size_t i = 0; i < p->n_hashtags; i++) {
		if (h[i].n == 0)
			continue;
		int dup = 0;
		for (size_t j = 0; j < i && !dup; j++)
			dup = h[j].n == h[i].n && strncasecmp(h[j].p, h[i].p, h[i].n) == 0;
		if (dup)
			continue;
		if (h[i].n + 1 > env->scratch_cap - o)
			return 0; /* does not fit the scratch space: skip the post */
		env->scratch[o++] = '#';
		for (size_t k = 0; k < h[i].n; k++) {
			char c = h[i].p[k];
			env->scratch[o++] = (char)(c >= 'A' && c <= 'Z' ? c + 32 : c);
		}
		distinct++;
	}
	if (distinct < 2)
		return 0;
	return emit(user, env->scratch, o, o <= MAX_LABEL);
}

const ls_behaviour_def_t ls_bh_hashtagseq = {
	"hashtagseq", "using the same ordered list of two or more hashtags (case-insensitive)", extract,
};
