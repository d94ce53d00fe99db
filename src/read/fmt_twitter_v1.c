/*
 * Format "twitter-v1": Twitter API v1.1 tweet objects, one per line (JSON
 * lines, as written by twarc 1, tweepy dumps and the streaming API), or a
 * JSON array of them.
 *
 *   id_str (else id)             post id
 *   user.id_str / user.screen_name   account id / handle
 *   created_at ("Wed Oct 10 20:19:24 +0000 2018"; else timestamp_ms)
 *   extended_tweet.full_text, else full_text, else text
 *   retweeted_status             retweet of its id_str, by its user
 *   in_reply_to_status_id_str    reply (to in_reply_to_user_id_str)
 *   quoted_status_id_str / quoted_status.id_str   quote
 *   entities (extended_tweet.entities first): urls[].expanded_url,
 *   hashtags[].text, user_mentions[].screen_name
 *
 * Kind: retweet > reply > quote > original; reply_to and quoted are always
 * filled when present. Without an entities object they are parsed from the
 * text. O(record): every lookup is one pass over an object's keys.
 */
#include "read/formats.h"

#include <string.h>

static int detect(const ls_sjson_val_t *first)
{
	ls_sjson_val_t x;
	return ls_sjson_type(first) == LS_SJSON_OBJECT && ls_sjson_get(first, "user", &x) &&
	       (ls_sjson_get(first, "id_str", &x) || ls_sjson_get(first, "created_at", &x));
}

static void entities(const ls_sjson_val_t *tw, ls_post_t *post, ls_entities_t *ent)
{
	ls_sjson_val_t e;
	if (!ls_jget(tw, "extended_tweet.entities", &e) && !ls_jget(tw, "entities", &e)) {
		ls_map_text_entities(post, ent);
		return;
	}
	size_t cap = sizeof ent->urls / sizeof ent->urls[0];
	ls_sjson_val_t a;
	if (ls_sjson_get(&e, "urls", &a))
		ent->n_urls = ls_jcollect(&a, "expanded_url", "url", ent->urls, cap);
	if (ls_sjson_get(&e, "hashtags", &a))
		ent->n_hashtags = ls_jcollect(&a, "text", NULL, ent->hashtags, cap);
	if (ls_sjson_get(&e, "user_mentions", &a))
		ent->n_mentions = ls_jcollect(&a, "screen_name", NULL, ent->mentions, cap);
}

static int map(ls_map_env_t *env, const ls_sjson_val_t *tw, const ls_sjson_val_t *page,
               ls_post_t *post, ls_entities_t *ent, ls_map_error_t *why)
{
	(void)page;
	post->platform = "twitter";
	if (!ls_jid(env, 0, tw, "id_str", &post->id) && !ls_jid(env, 0, tw, "id", &post->id)) {
		why->problem = LS_MAP_MISSING;
		why->field = "id_str";
		return -1;
	}
	ls_sjson_val_t user;
	if (!ls_sjson_get(tw, "user", &user) || ls_sjson_type(&user) != LS_SJSON_OBJECT) {
		why->problem = LS_MAP_MISSING;
		why->field = "user";
		return -1;
	}
	if (!ls_jid(env, 1, &user, "id_str", &post->account_id))
		ls_jid(env, 1, &user, "id", &post->account_id);
	ls_jstr(&user, "screen_name", &post->handle);
	if (ls_map_check_account(post, "user.id_str", why))
		return -1;
	ls_str_t t;
	if (ls_jstr(tw, "created_at", &t)) {
		if (ls_map_time(NULL, t, "created_at", &post->time, why))
			return -1;
	} else if (ls_jid(env, 2, tw, "timestamp_ms", &t)) {
		int64_t ms;
		if (ls_time_parse_format("unix-ms", t.p, t.n, &ms) != 0) {
			why->problem = LS_MAP_BAD_TIME;
			why->field = "timestamp_ms";
			why->value = t;
			return -1;
		}
		post->time = ms;
	} else {
		why->problem = LS_MAP_MISSING;
		why->field = "created_at";
		return -1;
	}
	if (!ls_jstr(tw, "extended_tweet.full_text", &post->text) &&
	    !ls_jstr(tw, "full_text", &post->text))
		ls_jstr(tw, "text", &post->text);

	if (!ls_jid(env, 2, tw, "in_reply_to_status_id_str", &post->reply_to))
		ls_jid(env, 2, tw, "in_reply_to_status_id", &post->reply_to);
	if (!ls_jid(env, 3, tw, "quoted_status_id_str", &post->quoted))
		ls_jid(env, 3, tw, "quoted_status.id_str", &post->quoted);
	ls_sjson_val_t rt;
	if (ls_sjson_get(tw, "retweeted_status", &rt) && ls_sjson_type(&rt) == LS_SJSON_OBJECT) {
		post->kind = LS_KIND_RETWEET;
		if (!ls_jstr(&rt, "id_str", &post->ref_post) || post->ref_post.n == 0) {
			why->problem = LS_MAP_MISSING;
			why->field = "retweeted_status.id_str";
			return -1;
		}
		if (!ls_jstr(&rt, "user.id_str", &post->ref_account))
			ls_jstr(&rt, "user.screen_name", &post->ref_account);
	} else if (post->reply_to.n > 0) {
		post->kind = LS_KIND_REPLY;
		post->ref_post = post->reply_to;
		if (!ls_jstr(tw, "in_reply_to_user_id_str", &post->ref_account))
			ls_jstr(tw, "in_reply_to_screen_name", &post->ref_account);
	} else if (post->quoted.n > 0) {
		post->kind = LS_KIND_QUOTE;
		post->ref_post = post->quoted;
		ls_jstr(tw, "quoted_status.user.id_str", &post->ref_account);
	} else {
		post->kind = LS_KIND_ORIGINAL;
	}
	entities(tw, post, ent);
	return 0;
}

const ls_format_t ls_fmt_twitter_v1 = {
	.name = "twitter-v1",
	.description = "Twitter API v1.1 tweets, JSON lines (id_str, created_at, user, "
	               "retweeted_status, entities, ...)",
	.kind = LS_FORMAT_JSON,
	.map_json = map,
	.detect = detect,
};
