/*
 * Format "fivethirtyeight": FiveThirtyEight's Russian IRA tweets (Linvill &
 * Warren, Clemson University). No tweet ids; external_author_id went through
 * a float and lost digits, so accounts are keyed by handle (author) only.
 * publish_date "YYYY-MM-DD HH:MM:SS" is UTC. post_type "Q" is a quote
 * (those rows also carry retweet=1), "R" or retweet=1 a retweet, else an
 * original. Retweets carry the original text without an "RT @user:"
 * prefix; when one is there it gives the retweeted account. Empty content
 * is a valid post. O(record) per record.
 */
#include "read/formats.h"

#include <string.h>

enum { C_TEXT, C_DATE, C_TYPE, C_RETWEET, C_AUTHOR };

static const char *const columns[] = {"content", "publish_date", "post_type", "retweet",
                                      "author", NULL};

static int is(ls_str_t v, const char *lit)
{
	size_t n = strlen(lit);
	return v.n == n && memcmp(v.p, lit, n) == 0;
}

static int map(ls_map_env_t *env, const ls_str_t *f, const size_t *col, ls_post_t *post, ls_entities_t *ent,
               ls_map_error_t *why)
{
	post->platform = "twitter";
	post->handle = f[col[C_AUTHOR]];
	post->text = f[col[C_TEXT]];
	ls_str_t type = f[col[C_TYPE]];
	if (is(type, "Q"))
		post->kind = LS_KIND_QUOTE;
	else if (is(type, "R") || is(f[col[C_RETWEET]], "1"))
		post->kind = LS_KIND_RETWEET;
	else
		post->kind = LS_KIND_ORIGINAL;
	if (ls_map_check_account(post, "author", why))
		return -1;
	if (ls_map_time(env, f[col[C_DATE]], "publish_date", &post->time, why))
		return -1;
	ls_map_text_entities_late(post, ent);
	return 0;
}

const ls_format_t ls_fmt_fivethirtyeight = {
	.name = "fivethirtyeight",
	.description = "FiveThirtyEight IRA tweets: author,content,publish_date,post_type,retweet,... "
	"(no post ids; accounts by handle)",
	.kind = LS_FORMAT_CSV,
	.columns = columns,
	.map = map,
};
