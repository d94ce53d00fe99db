/*
 * Format "coortweet": the input of the R package CooRTweet (Righetti &
 * Balluff), one row per share: object_id (the shared object, e.g. the
 * retweeted tweet), account_id, content_id (the share itself),
 * timestamp_share (Unix seconds). Every row becomes a retweet of object_id;
 * there is no text. A content_id may repeat (one row per object a post
 * shares), so repeated ids are not treated as duplicates. O(1) per record.
 */
#include "read/formats.h"

enum { C_OBJECT, C_ACCOUNT, C_CONTENT, C_TIME };

static const char *const columns[] = {"object_id", "account_id", "content_id",
                                      "timestamp_share", NULL};

static int map(ls_map_env_t *env, const ls_str_t *f, const size_t *col, ls_post_t *post, ls_entities_t *ent,
               ls_map_error_t *why)
{
	(void)ent;
	post->platform = "any";
	post->id = f[col[C_CONTENT]];
	post->account_id = f[col[C_ACCOUNT]];
	post->kind = LS_KIND_RETWEET;
	post->ref_post = f[col[C_OBJECT]];
	if (ls_map_check_account(post, "account_id", why))
		return -1;
	return ls_map_time(env, f[col[C_TIME]], "timestamp_share", &post->time, why);
}

const ls_format_t ls_fmt_coortweet = {
	.name = "coortweet",
	.description = "CooRTweet shares: object_id,account_id,content_id,timestamp_share (Unix seconds)",
	.kind = LS_FORMAT_CSV,
	.columns = columns,
	.map = map,
	.ids_repeat = 1,
};
