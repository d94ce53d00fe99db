/*
 * Format "twitter-v2": Twitter API v2 tweets, either one tweet object per
 * line, or whole response pages {"data": [...], "includes": {"users":
 * [...], "tweets": [...]}, "meta": ...} (one per line, or one
 * pretty-printed document). A page yields one post per element of data.
 *
 *   id, author_id, created_at (ISO 8601), text (note_tweet.text when the
 *   tweet is long)
 *   referenced_tweets[]: {type: retweeted | replied_to | quoted, id}
 *   entities: urls[].expanded_url, hashtags[].tag, mentions[].username
 *   handle: author.username (twarc's flattened output), else the page's
 *   includes.users entry of author_id
 *   ref_account: the referenced tweet's author_id from includes.tweets
 *   (a reply: in_reply_to_user_id)
 *
 * Kind: retweeted > replied_to > quoted > original; reply_to and quoted are
 * always filled when present. Lookups in includes scan at most the first
 * LOOKUP_MAX entries, so a hostile page cannot make mapping quadratic
 * beyond that bound: O(record + LOOKUP_MAX) per tweet.
 */
#include "read/formats.h"

#include <string.h>

#define LOOKUP_MAX 1000

static int detect(const ls_sjson_val_t *first)
{
	ls_sjson_val_t x;
	return ls_sjson_type(first) == LS_SJSON_OBJECT &&
	       (ls_sjson_get(first, "data", &x) || ls_sjson_get(first, "author_id", &x));
}

static int same(ls_str_t a, ls_str_t b)
{
	return a.n == b.n && a.n > 0 && memcmp(a.p, b.p, a.n) == 0;
}

/* The element of page.includes.<list> whose id is `id`. */
static int lookup(const ls_sjson_val_t *page, const char *list, ls_str_t id, ls_sjson_val_t *out)
{
	ls_sjson_val_t arr, el;
	if (page == NULL || id.n == 0 || !ls_jget(page, list, &arr))
		return 0;
	ls_sjson_iter_t it;
	ls_sjson_iter_start(&arr, &it);
	for (size_t k = 0; k < LOOKUP_MAX && ls_sjson_iter_next(&arr, &it, &el); k++) {
		ls_str_t s;
		if (ls_jstr(&el, "id", &s) && same(s, id)) {
			*out = el;
			return 1;
		}
	}
	return 0;
}

static int is(ls_str_t v, const char *lit)
{
	size_t n = strlen(lit);
	return v.n == n && memcmp(v.p, lit, n) == 0;
}

static int map(ls_map_env_t *env, const ls_sjson_val_t *tw, const ls_sjson_val_t *page,
               ls_post_t *post, ls_entities_t *ent, ls_map_error_t *why)
{
	post->platform = "twitter";
	if (!ls_jid(env, 0, tw, "id", &post->id)) {
		why->problem = LS_MAP_MISSING;
		why->field = "id";
		return -1;
	}
	ls_jid(env, 1, tw, "author_id", &post->account_id);
	ls_sjson_val_t user;
	if (!ls_jstr(tw, "author.username", &post->handle) &&
	    lookup(page, "includes.users", post->account_id, &user))
		ls_jstr(&user, "username", &post->handle);
	if (ls_map_check_account(post, "author_id", why))
		return -1;
	ls_str_t t;
	if (!ls_jstr(tw, "created_at", &t)) {
		why->problem = LS_MAP_MISSING;
		why->field = "created_at";
		return -1;
	}
	if (ls_map_time(NULL, t, "created_at", &post->time, why))
		return -1;
	if (!ls_jstr(tw, "note_tweet.text", &post->text))
		ls_jstr(tw, "text", &post->text);

	ls_str_t retweeted = {NULL, 0};
	ls_sjson_val_t refs, ref;
	if (ls_sjson_get(tw, "referenced_tweets", &refs)) {
		ls_sjson_iter_t it;
		ls_sjson_iter_start(&refs, &it);
		while (ls_sjson_iter_next(&refs, &it, &ref)) {
			ls_str_t type, id;
			if (!ls_jstr(&ref, "type", &type) || !ls_jstr(&ref, "id", &id) || id.n == 0)
				continue;
			if (is(type, "retweeted"))
				retweeted = id;
			else if (is(type, "replied_to"))
				post->reply_to = id;
			else if (is(type, "quoted"))
				post->quoted = id;
		}
	}
	if (retweeted.n > 0) {
		post->kind = LS_KIND_RETWEET;
		post->ref_post = retweeted;
	} else if (post->reply_to.n > 0) {
		post->kind = LS_KIND_REPLY;
		post->ref_post = post->reply_to;
		ls_jid(env, 2, tw, "in_reply_to_user_id", &post->ref_account);
	} else if (post->quoted.n > 0) {
		post->kind = LS_KIND_QUOTE;
		post->ref_post = post->quoted;
	} else {
		post->kind = LS_KIND_ORIGINAL;
	}
	ls_sjson_val_t reft;
	if (post->ref_account.n == 0 && post->ref_post.n > 0 &&
	    lookup(page, "includes.tweets", post->ref_post, &reft))
		ls_jid(env, 2, &reft, "author_id", &post->ref_account);

	ls_sjson_val_t e, a;
	if (!ls_sjson_get(tw, "entities", &e)) {
		ls_map_text_entities(post, ent);
		return 0;
	}
	size_t cap = sizeof ent->urls / sizeof ent->urls[0];
	if (ls_sjson_get(&e, "urls", &a))
		ent->n_urls = ls_jcollect(&a, "expanded_url", "url", ent->urls, cap);
	if (ls_sjson_get(&e, "hashtags", &a))
		ent->n_hashtags = ls_jcollect(&a, "tag", NULL, ent->hashtags, cap);
	if (ls_sjson_get(&e, "mentions", &a))
		ent->n_mentions = ls_jcollect(&a, "username", NULL, ent->mentions, cap);
	return 0;
}

const ls_format_t ls_fmt_twitter_v2 = {
	.name = "twitter-v2",
	.description = "Twitter API v2 tweets, one per line or response pages (data + "
	               "includes.users/tweets), with referenced_tweets",
	.kind = LS_FORMAT_JSON,
	.map_json = map,
	.detect = detect,
};
