/*
 * Format "cnt": the CSV of the coordination-network-toolkit (QUT DMRC):
 * message_id,user_id,username,repost_id,reply_id,message,timestamp,urls.
 * A non-empty repost_id makes a retweet of it, else a non-empty reply_id a
 * reply to it, else an original post. The urls column (space-separated) is
 * authoritative for URLs; hashtags and mentions come from the message, and
 * a leading "RT @user:" gives the retweeted account. O(record) per record.
 */
#include "read/formats.h"

enum { C_ID, C_USER, C_NAME, C_REPOST, C_REPLY, C_TEXT, C_TIME, C_URLS };

static const char *const columns[] = {"message_id", "user_id", "username", "repost_id",
                                      "reply_id", "message", "timestamp", "urls", NULL};

static void split_urls(ls_str_t v, ls_entities_t *ent)
{
	ent->n_urls = 0;
	size_t i = 0;
	while (i < v.n) {
		while (i < v.n && v.p[i] == ' ')
			i++;
		size_t s = i;
		while (i < v.n && v.p[i] != ' ')
			i++;
		if (i > s && ent->n_urls < sizeof ent->urls / sizeof ent->urls[0]) {
			ent->urls[ent->n_urls].p = v.p + s;
			ent->urls[ent->n_urls].n = i - s;
			ent->n_urls++;
		}
	}
}

static int map(ls_map_env_t *env, const ls_str_t *f, const size_t *col, ls_post_t *post, ls_entities_t *ent,
               ls_map_error_t *why)
{
	post->platform = "twitter";
	post->id = f[col[C_ID]];
	post->account_id = f[col[C_USER]];
	post->handle = f[col[C_NAME]];
	post->text = f[col[C_TEXT]];
	ls_str_t repost = f[col[C_REPOST]], reply = f[col[C_REPLY]];
	if (repost.n > 0) {
		post->kind = LS_KIND_RETWEET;
		post->ref_post = repost;
	} else if (reply.n > 0) {
		post->kind = LS_KIND_REPLY;
		post->ref_post = reply;
	} else {
		post->kind = LS_KIND_ORIGINAL;
	}
	if (ls_map_check_account(post, "user_id", why))
		return -1;
	if (ls_map_time(env, f[col[C_TIME]], "timestamp", &post->time, why))
		return -1;
	ls_map_text_entities(post, ent);
	split_urls(f[col[C_URLS]], ent);
	return 0;
}

const ls_format_t ls_fmt_cnt = {
	.name = "cnt",
	.description = "coordination-network-toolkit CSV: message_id,user_id,username,repost_id,reply_id,"
	"message,timestamp,urls",
	.kind = LS_FORMAT_CSV,
	.columns = columns,
	.map = map,
};
