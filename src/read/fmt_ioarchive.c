/*
 * Format "io-archive": the CSV of the platform's information-operations
 * archive (the state-linked account releases): tweetid, userid,
 * user_screen_name, ..., tweet_text, tweet_time ("YYYY-MM-DD HH:MM", UTC),
 * in_reply_to_tweetid, in_reply_to_userid, quoted_tweet_tweetid,
 * is_retweet, retweet_userid, retweet_tweetid, ..., hashtags, urls,
 * user_mentions. Only the columns read here matter; the rest are ignored.
 *
 * Kind: is_retweet true or a retweet_tweetid makes a retweet of it, else an
 * in_reply_to_tweetid a reply, else a quoted_tweet_tweetid a quote; the
 * other references are kept in reply_to / quoted. hashtags and urls are
 * bracketed lists ("[a, b]", also "['a', 'b']") and authoritative when the
 * columns exist; user_mentions holds user ids, so mentions (as handles,
 * like every other format) come from the text. O(record) per record.
 */
#include "read/formats.h"

enum {
	C_ID, C_USER, C_NAME, C_TEXT, C_TIME, C_IS_RT, C_REPLY, C_REPLY_USER, C_QUOTE, C_RT_USER,
	C_RT_ID, C_HASHTAGS, C_URLS
};

static const char *const columns[] = {
	"tweetid", "userid", "user_screen_name", "tweet_text", "tweet_time", "is_retweet",
	"?in_reply_to_tweetid", "?in_reply_to_userid", "?quoted_tweet_tweetid",
	"?retweet_userid", "?retweet_tweetid", "?hashtags", "?urls", NULL,
};

static int map(ls_map_env_t *env, const ls_str_t *f, const size_t *col, ls_post_t *post,
               ls_entities_t *ent, ls_map_error_t *why)
{
	post->platform = "twitter";
	post->id = f[col[C_ID]];
	post->account_id = f[col[C_USER]];
	post->handle = f[col[C_NAME]];
	post->text = f[col[C_TEXT]];
	post->reply_to = ls_field(f, col[C_REPLY]);
	post->quoted = ls_field(f, col[C_QUOTE]);
	ls_str_t rt = ls_field(f, col[C_RT_ID]);
	if (ls_map_truthy(f[col[C_IS_RT]]) || rt.n > 0) {
		post->kind = LS_KIND_RETWEET;
		post->ref_post = rt;
		post->ref_account = ls_field(f, col[C_RT_USER]);
	} else if (post->reply_to.n > 0) {
		post->kind = LS_KIND_REPLY;
		post->ref_post = post->reply_to;
		post->ref_account = ls_field(f, col[C_REPLY_USER]);
	} else if (post->quoted.n > 0) {
		post->kind = LS_KIND_QUOTE;
		post->ref_post = post->quoted;
	} else {
		post->kind = LS_KIND_ORIGINAL;
	}
	if (ls_map_check_account(post, "userid", why))
		return -1;
	if (ls_map_time(env, f[col[C_TIME]], "tweet_time", &post->time, why))
		return -1;
	ls_map_text_entities_late(post, ent);
	size_t cap = sizeof ent->urls / sizeof ent->urls[0];
	if (col[C_HASHTAGS] != LS_COL_NONE) {
		ent->n_hashtags = ls_map_split_list(f[col[C_HASHTAGS]], ent->hashtags, cap);
		ent->pending &= ~(unsigned)LS_ENT_HASHTAGS;
	}
	if (col[C_URLS] != LS_COL_NONE) {
		ent->n_urls = ls_map_split_list(f[col[C_URLS]], ent->urls, cap);
		ent->pending &= ~(unsigned)LS_ENT_URLS;
	}
	return 0;
}

const ls_format_t ls_fmt_ioarchive = {
	.name = "io-archive",
	.description = "information-operations archive CSV: tweetid,userid,user_screen_name,..."
	               "tweet_text,tweet_time,is_retweet,retweet_tweetid,hashtags,urls,...",
	.kind = LS_FORMAT_CSV,
	.columns = columns,
	.map = map,
};
