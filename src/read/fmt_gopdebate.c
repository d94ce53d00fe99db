/*
 * Format "gop-debate": CrowdFlower's "First GOP Debate Twitter Sentiment"
 * (tweets of 2015-08-06/07). Accounts by screen name (name; no user ids);
 * tweet_created carries its offset ("2015-08-07 09:54:46 -0700"). Retweets
 * keep the "RT @user:" prefix, which makes the post a retweet of that
 * account (the retweeted tweet's id is not in the data). O(record).
 */
#include "read/formats.h"

enum { C_NAME, C_TEXT, C_TIME, C_ID };

static const char *const columns[] = {"name", "text", "tweet_created", "tweet_id", NULL};

static int map(ls_map_env_t *env, const ls_str_t *f, const size_t *col, ls_post_t *post, ls_entities_t *ent,
               ls_map_error_t *why)
{
	post->platform = "twitter";
	post->id = f[col[C_ID]];
	post->handle = f[col[C_NAME]];
	post->text = f[col[C_TEXT]];
	if (ls_map_check_account(post, "name", why))
		return -1;
	if (ls_map_time(env, f[col[C_TIME]], "tweet_created", &post->time, why))
		return -1;
	post->kind = ls_map_text_entities_late(post, ent) ? LS_KIND_RETWEET : LS_KIND_ORIGINAL;
	return 0;
}

const ls_format_t ls_fmt_gopdebate = {
	.name = "gop-debate",
	.description = "First GOP Debate tweets (CrowdFlower, 2015): name,text,tweet_created,tweet_id,...",
	.kind = LS_FORMAT_CSV,
	.columns = columns,
	.map = map,
};
