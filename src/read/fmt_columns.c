/*
 * Format "columns": any CSV, its columns named by the user:
 *   --columns account=user,time=created,text=body,id=tweet_id,retweet_of=rt
 * Fields: id, account (a stable account id), handle, time, text,
 * retweet_of, reply_to, quote_of, ref_account, retweet (a true/false
 * column), urls, hashtags, mentions (lists: "a b", "a,b" or "[a, b]").
 * time and one of account / handle are required. Kind: retweet_of set or
 * retweet true → retweet; else reply_to → reply; else quote_of → quote;
 * else a leading "RT @user:" in the text → retweet of that account; else
 * original. Entities come from the list columns when named, else from the
 * text. Times follow --time-format (default: every notation ls_time_parse
 * knows).
 *
 * The spec is resolved against the header once per input
 * (ls_columns_resolve); mapping is O(record).
 */
#include "read/formats.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

enum {
	K_ID, K_ACCOUNT, K_HANDLE, K_TIME, K_TEXT, K_RETWEET_OF, K_REPLY_TO, K_QUOTE_OF,
	K_REF_ACCOUNT, K_RETWEET, K_URLS, K_HASHTAGS, K_MENTIONS, K_COUNT
};

static const char *const fields[K_COUNT + 1] = {
	"id", "account", "handle", "time", "text", "retweet_of", "reply_to", "quote_of",
	"ref_account", "retweet", "urls", "hashtags", "mentions", NULL,
};

/* Column names are the user's: the table lists the fields, all optional. */
static const char *const columns[] = {NULL};

static int field_index(const char *p, size_t n)
{
	for (int k = 0; k < K_COUNT; k++)
		if (strlen(fields[k]) == n && memcmp(fields[k], p, n) == 0)
			return k;
	return -1;
}

/* Walks "f=c,f=c": calls back per pair; -1 with a message on bad syntax. */
typedef int (*pair_fn)(void *user, int field, const char *col, size_t ncol, char *err,
                       size_t errcap);

static int walk(const char *spec, pair_fn fn, void *user, char *err, size_t errcap)
{
	int seen[K_COUNT] = {0};
	const char *p = spec;
	if (spec == NULL || *spec == '\0') {
		snprintf(err, errcap, "--columns: empty");
		return -1;
	}
	while (*p) {
		const char *c = strchr(p, ',');
		size_t n = c ? (size_t)(c - p) : strlen(p);
		const char *eq = memchr(p, '=', n);
		if (eq == NULL || eq == p || eq + 1 == p + n) {
			snprintf(err, errcap, "--columns: '%.*s' is not FIELD=COLUMN", (int)(n > 60 ? 60 : n), p);
			return -1;
		}
		int k = field_index(p, (size_t)(eq - p));
		if (k < 0) {
			snprintf(err, errcap,
			         "--columns: unknown field '%.*s' (fields: id, account, handle, time, text, "
			         "retweet_of, reply_to, quote_of, ref_account, retweet, urls, hashtags, mentions)",
			         (int)(eq - p > 40 ? 40 : eq - p), p);
			return -1;
		}
		if (seen[k]++) {
			snprintf(err, errcap, "--columns: field '%s' named twice", fields[k]);
			return -1;
		}
		if (fn && fn(user, k, eq + 1, (size_t)(p + n - eq - 1), err, errcap))
			return -1;
		p += n;
		if (*p == ',')
			p++;
	}
	if (!seen[K_TIME] || (!seen[K_ACCOUNT] && !seen[K_HANDLE])) {
		snprintf(err, errcap, "--columns: needs time= and account= or handle=");
		return -1;
	}
	return 0;
}

int ls_columns_check(const char *spec, char *err, size_t errcap)
{
	return walk(spec, NULL, NULL, err, errcap);
}

typedef struct resolve {
	const ls_str_t *hdr;
	size_t n;
	size_t *col;
} resolve_t;

static int resolve_one(void *user, int field, const char *name, size_t len, char *err,
                       size_t errcap)
{
	resolve_t *r = user;
	for (size_t i = 0; i < r->n; i++) {
		ls_str_t h = r->hdr[i];
		if (h.n >= 3 && memcmp(h.p, "\xEF\xBB\xBF", 3) == 0)
			h.p += 3, h.n -= 3;
		while (h.n > 0 && (h.p[0] == ' ' || h.p[0] == '\t'))
			h.p++, h.n--;
		while (h.n > 0 && (h.p[h.n - 1] == ' ' || h.p[h.n - 1] == '\t' || h.p[h.n - 1] == '\r'))
			h.n--;
		if (h.n == len && strncasecmp(h.p, name, len) == 0) {
			r->col[field] = i;
			return 0;
		}
	}
	snprintf(err, errcap, "--columns: the header has no column '%.*s' (for %s=)",
	         (int)(len > 60 ? 60 : len), name, fields[field]);
	return -1;
}

int ls_columns_resolve(const char *spec, const ls_str_t *hdr, size_t n, size_t *col, char *err,
                       size_t errcap)
{
	for (size_t k = 0; k < LS_FORMAT_MAX_COLS; k++)
		col[k] = LS_COL_NONE;
	resolve_t r = {hdr, n, col};
	return walk(spec, resolve_one, &r, err, errcap);
}

static int map(ls_map_env_t *env, const ls_str_t *f, const size_t *col, ls_post_t *post,
               ls_entities_t *ent, ls_map_error_t *why)
{
	post->platform = "any";
	post->id = ls_field(f, col[K_ID]);
	post->account_id = ls_field(f, col[K_ACCOUNT]);
	post->handle = ls_field(f, col[K_HANDLE]);
	post->text = ls_field(f, col[K_TEXT]);
	post->reply_to = ls_field(f, col[K_REPLY_TO]);
	post->quoted = ls_field(f, col[K_QUOTE_OF]);
	post->ref_account = ls_field(f, col[K_REF_ACCOUNT]);
	ls_str_t rt = ls_field(f, col[K_RETWEET_OF]);
	if (rt.n > 0 || ls_map_truthy(ls_field(f, col[K_RETWEET]))) {
		post->kind = LS_KIND_RETWEET;
		post->ref_post = rt;
	} else if (post->reply_to.n > 0) {
		post->kind = LS_KIND_REPLY;
		post->ref_post = post->reply_to;
	} else if (post->quoted.n > 0) {
		post->kind = LS_KIND_QUOTE;
		post->ref_post = post->quoted;
	} else {
		post->kind = LS_KIND_ORIGINAL;
	}
	if (ls_map_check_account(post, col[K_ACCOUNT] != LS_COL_NONE ? "account" : "handle", why))
		return -1;
	if (ls_map_time(env, f[col[K_TIME]], "time", &post->time, why))
		return -1;
	if (ls_map_text_entities(post, ent) && post->kind == LS_KIND_ORIGINAL)
		post->kind = LS_KIND_RETWEET;
	size_t cap = sizeof ent->urls / sizeof ent->urls[0];
	if (col[K_URLS] != LS_COL_NONE)
		ent->n_urls = ls_map_split_list(f[col[K_URLS]], ent->urls, cap);
	if (col[K_HASHTAGS] != LS_COL_NONE)
		ent->n_hashtags = ls_map_split_list(f[col[K_HASHTAGS]], ent->hashtags, cap);
	if (col[K_MENTIONS] != LS_COL_NONE)
		ent->n_mentions = ls_map_split_list(f[col[K_MENTIONS]], ent->mentions, cap);
	return 0;
}

const ls_format_t ls_fmt_columns = {
	.name = "columns",
	.description = "any CSV, columns named with --columns field=column,... (fields: id, "
	               "account, handle, time, text, retweet_of, reply_to, quote_of, urls, ...)",
	.kind = LS_FORMAT_CSV,
	.columns = columns,
	.map = map,
	.user_columns = 1,
};
