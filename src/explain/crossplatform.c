/*
 * crossplatform.json: what the ads and the other posts of one run both
 * push (issue 7, "pages and sites that both the ads and the tweets push").
 * Written when the run has at least one ad input (a format with `ads` set:
 * ira-ads, ira-ads-csv, meta-ads) and one other input, both with posts.
 *
 * Keys, of three kinds, taken from every post:
 *   url     each URL, normalised as for colink (ls_url_normalise: scheme,
 *           "www.", fragment, utm_* and a trailing '/' dropped)
 *   domain  the registrable domain of each URL's host (lower-case, "www."
 *           dropped, the last two labels, three under a two-letter
 *           second level such as co.uk); platforms and link shorteners
 *           (facebook.com, twitter.com, t.co, bit.ly, youtube.com, ...) are
 *           not domains: they say nothing about who is behind a link
 *   handle  an account name, compared case-insensitively without '.', '-',
 *           '_' and blanks: an ad's advertiser (its Facebook page or
 *           Instagram account from the landing URL; meta-ads: page_name),
 *           a tweet's author, @mentions in either, and the first path
 *           segment of facebook.com / instagram.com / twitter.com URLs
 * A key is reported when both an ad and another post carry it: the ads and
 * advertisers using it, the posts and accounts pushing it, example post
 * ids (the earliest three; "<input>:<line>" without an id) and first/last
 * times per side. `matching` counts how many links could be compared: the
 * IRA tweets hold t.co-shortened URLs only, which never match a landing
 * page, so their sites meet the ads' only through handles and the few
 * URLs written out in full.
 *
 * The posts are re-read from the inputs (texts are not kept), quietly, and
 * matched to the dataset's posts in reading order, so posts the dataset
 * dropped (duplicates) are left out. Ad inputs are read first; other posts
 * only produce hits for keys the ads have.
 * Time O(bytes of the inputs + H log H) for H hits; memory O(ad keys + H).
 */
#include "core/afile.h"
#include "core/analysis.h"
#include "core/ctx.h"
#include "core/u64map.h"
#include "explain/explain.h"
#include "explain/jsonw.h"
#include "extract/behaviour.h"
#include "read/formats.h"
#include "read/reader.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <xxhash.h>

#define TOP_NAMES 10 /* advertisers / accounts listed per key */
#define EXAMPLES 3
#define KEY_MAX 512 /* longer URLs are not keys */

enum { K_DOMAIN, K_HANDLE, K_URL, K_KINDS };
static const char *const kind_name[K_KINDS] = {"domain", "handle", "url"};

typedef struct cp_entry {
	char *key;
	uint8_t kind;
} cp_entry_t;

typedef struct cp_hit {
	uint32_t entry;
	uint32_t side; /* 0 ad, 1 other post */
	uint32_t post;
	uint32_t account;
	int64_t time;
} cp_hit_t;

typedef struct cp {
	const ls_dataset_t *ds;
	ls_u64map_t index; /* hash(kind, key) -> entry */
	LS_VEC(cp_entry_t) entries;
	LS_VEC(cp_hit_t) hits;
	/* matching counts */
	uint64_t ads, ad_urls, posts, post_urls, post_short, post_url_matched, post_mentions,
	    post_mention_matched, posts_matched;
	uint64_t ad_keys[K_KINDS];
} cp_t;

/* Hosts that are platforms or shorteners, not sites of their own. */
static const char *const platforms[] = {
	"facebook.com", "fb.com",      "fb.me",     "instagram.com", "instagr.am", "twitter.com",
	"t.co",         "x.com",       "bit.ly",    "goo.gl",        "ow.ly",      "tinyurl.com",
	"dlvr.it",      "ift.tt",      "buff.ly",   "youtube.com",   "youtu.be",   "google.com",
	"is.gd",        "tiny.cc",     "j.mp",      "trib.al",       "lnkd.in",    "wp.me",
	NULL,
};
/* Of those, the shorteners: a link through one cannot be matched. */
static const char *const shorteners[] = {
	"t.co", "bit.ly", "goo.gl", "ow.ly", "tinyurl.com", "dlvr.it", "ift.tt", "buff.ly",
	"fb.me", "is.gd", "tiny.cc", "j.mp", "trib.al", "lnkd.in", "wp.me", NULL,
};

static int in_list(const char *const *list, const char *s, size_t n)
{
	for (size_t i = 0; list[i]; i++)
		if (strlen(list[i]) == n && memcmp(list[i], s, n) == 0)
			return 1;
	return 0;
}

/* Host of a normalised URL (scheme and "www." already gone). */
static size_t host_len(const char *u, size_t n)
{
	size_t i = 0;
	while (i < n && u[i] != '/' && u[i] != '?' && u[i] != '#' && u[i] != ':')
		i++;
	return i;
}

/* Registrable domain of host h[0..n): start offset and length. */
static size_t registrable(const char *h, size_t n, size_t *len)
{
	size_t dots[3] = {n, n, n}; /* positions of the last three dots */
	int nd = 0;
	for (size_t i = n; i-- > 0;)
		if (h[i] == '.' && nd < 3)
			dots[nd++] = i;
	*len = n;
	if (nd < 2)
		return 0;
	/* "co.uk", "com.au": a generic second level under a country code */
	static const char *const second[] = {"co", "com", "org", "net", "gov", "ac", "edu", NULL};
	size_t tld = n - dots[0] - 1, sld = dots[0] - dots[1] - 1;
	int cc = tld == 2 && in_list(second, h + dots[1] + 1, sld);
	size_t at = cc ? (nd >= 3 ? dots[2] + 1 : 0) : dots[1] + 1;
	*len = n - at;
	return at;
}

/* Handle normal form: ASCII lower-case without '.', '-', '_', blanks. */
static size_t handle_norm(const char *s, size_t n, char *out, size_t cap)
{
	size_t k = 0;
	for (size_t i = 0; i < n && k + 1 < cap; i++) {
		char c = s[i];
		if (c == '.' || c == '-' || c == '_' || c == ' ' || c == '@')
			continue;
		out[k++] = (char)(c >= 'A' && c <= 'Z' ? c + 32 : c);
	}
	out[k] = '\0';
	return k;
}

static uint64_t key_hash(int kind, const char *k, size_t n)
{
	uint64_t h = XXH3_64bits_withSeed(k, n, (uint64_t)kind + 1);
	return h == LS_U64MAP_EMPTY ? h - 1 : h;
}

/* The entry of (kind, key): found, or added when `add`. Returns the entry
 * index, UINT32_MAX when absent (or out of memory: *oom). */
static uint32_t entry_of(cp_t *cp, int kind, const char *k, size_t n, int add, int *oom)
{
	uint64_t h = key_hash(kind, k, n);
	uint32_t e;
	if (ls_u64map_get(&cp->index, h, &e))
		return cp->entries.v[e].kind == kind && strlen(cp->entries.v[e].key) == n &&
		               memcmp(cp->entries.v[e].key, k, n) == 0
		           ? e
		           : UINT32_MAX;
	if (!add)
		return UINT32_MAX;
	cp_entry_t en = {malloc(n + 1), (uint8_t)kind};
	if (en.key == NULL || ls_vec_push(&cp->entries, en)) {
		free(en.key);
		*oom = 1;
		return UINT32_MAX;
	}
	memcpy(en.key, k, n);
	en.key[n] = '\0';
	uint32_t *slot;
	int ins;
	if (ls_u64map_upsert(&cp->index, h, (uint32_t)(cp->entries.n - 1), &slot, &ins)) {
		*oom = 1;
		return UINT32_MAX;
	}
	cp->ad_keys[kind]++;
	return (uint32_t)(cp->entries.n - 1);
}

/* One key of one post: an ad adds it, another post hits it. Returns 1 when
 * the key is known (an ad has it). */
static int key(cp_t *cp, int kind, const char *k, size_t n, int side, uint32_t post, int *oom)
{
	if (n == 0 || (kind == K_HANDLE && n < 3))
		return 0;
	uint32_t e = entry_of(cp, kind, k, n, side == 0, oom);
	if (e == UINT32_MAX)
		return 0;
	const ls_post_row_t *row = &cp->ds->posts.v[post];
	cp_hit_t hit = {e, (uint32_t)side, post, row->account, row->time};
	if (ls_vec_push(&cp->hits, hit))
		*oom = 1;
	return 1;
}

/* The page or account named by a platform URL's first path segment. */
static size_t platform_handle(const char *u, size_t n, const char **seg)
{
	size_t h = host_len(u, n);
	const char *host = u;
	size_t hn = h;
	if (hn > 2 && (memcmp(host, "m.", 2) == 0))
		host += 2, hn -= 2;
	if (hn > 7 && memcmp(host, "mobile.", 7) == 0)
		host += 7, hn -= 7;
	if (!(hn == 12 && memcmp(host, "facebook.com", 12) == 0) &&
	    !(hn == 13 && memcmp(host, "instagram.com", 13) == 0) &&
	    !(hn == 11 && memcmp(host, "twitter.com", 11) == 0))
		return 0;
	size_t i = h;
	if (i < n && u[i] == '/')
		i++;
	if (i + 3 < n && memcmp(u + i, "pg/", 3) == 0)
		i += 3;
	size_t s = i;
	while (i < n && u[i] != '/' && u[i] != '?' && u[i] != '#')
		i++;
	static const char *const reserved[] = {
		"events", "pages", "groups", "hashtag", "share", "sharer.php", "intent", "search", "i",
		"home", "watch", "story.php", "profile.php", "photo.php", "permalink.php", "l.php",
		"p", "explore", "status", "statuses", "login", "notes", NULL,
	};
	if (i == s || in_list(reserved, u + s, i - s))
		return 0;
	*seg = u + s;
	return i - s;
}

/* All keys of one post. */
static int post_keys(cp_t *cp, const ls_post_t *p, int side, uint32_t post, int *oom)
{
	const ls_dataset_t *ds = cp->ds;
	char norm[KEY_MAX + 1], hbuf[256];
	int any = 0;
	for (size_t i = 0; i < p->n_urls; i++) {
		if (p->urls[i].n > KEY_MAX)
			continue;
		size_t n = ls_url_normalise(p->urls[i].p, p->urls[i].n, norm);
		size_t hn = host_len(norm, n), dl;
		size_t at = registrable(norm, hn, &dl);
		int shortened = in_list(shorteners, norm + at, dl);
		int hit = key(cp, K_URL, norm, n, side, post, oom);
		if (!in_list(platforms, norm + at, dl) && memchr(norm, '.', hn))
			hit |= key(cp, K_DOMAIN, norm + at, dl, side, post, oom);
		const char *seg;
		size_t sn = platform_handle(norm, n, &seg);
		if (sn) {
			size_t k = handle_norm(seg, sn, hbuf, sizeof hbuf);
			hit |= key(cp, K_HANDLE, hbuf, k, side, post, oom);
		}
		if (side == 0) {
			cp->ad_urls++;
		} else {
			cp->post_urls++;
			cp->post_short += shortened;
			cp->post_url_matched += hit;
		}
		any |= hit;
	}
	for (size_t i = 0; i < p->n_mentions; i++) {
		size_t k = handle_norm(p->mentions[i].p, p->mentions[i].n, hbuf, sizeof hbuf);
		int hit = key(cp, K_HANDLE, hbuf, k, side, post, oom);
		if (side == 1) {
			cp->post_mentions++;
			cp->post_mention_matched += hit;
		}
		any |= hit;
	}
	/* the account itself: an advertiser's page, a tweet's author */
	const char *acct = ls_strpool_get(&ds->strings, ds->accounts.v[ds->posts.v[post].account].key);
	const char *name = NULL;
	size_t nn = 0;
	if (side == 0 && p->ad && p->ad->attributed && p->account_id.n > 0 && p->handle.n > 0) {
		name = p->handle.p; /* meta-ads: page_name */
		nn = p->handle.n;
	} else if (side == 0 && strncmp(acct, "facebook.com/", 13) == 0 &&
	           strncmp(acct, "facebook.com/events/", 20) != 0) {
		name = acct + 13;
		nn = strlen(name);
	} else if (side == 0 && strncmp(acct, "instagram.com/", 14) == 0) {
		name = acct + 14;
		nn = strlen(name);
	} else if (side == 1 && p->handle.n > 0) {
		name = p->handle.p;
		nn = p->handle.n;
	}
	if (name) {
		size_t k = handle_norm(name, nn, hbuf, sizeof hbuf);
		any |= key(cp, K_HANDLE, hbuf, k, side, post, oom);
	}
	return any;
}

/* Re-reads input `in`, feeding its dataset posts to post_keys. */
static ls_error_t read_input(cp_t *cp, size_t in, const char *path, int side, ls_ctx_t *ctx)
{
	const ls_dataset_t *ds = cp->ds;
	ls_reader_t *r = NULL;
	ls_diag_fn diag = ctx->diag;
	ctx->diag = NULL;
	ls_error_t err = ls_explain_reopen(ds, in, path, &r, ctx);
	uint32_t k, end;
	ls_dataset_input_posts(ds, in, &k, &end);
	int oom = 0;
	while (!err && !oom && k < end) {
		const ls_post_t *p;
		err = ls_reader_next(r, &p, ctx);
		if (err || p == NULL)
			break;
		const ls_post_row_t *row = &ds->posts.v[k];
		if (row->line != ls_reader_line(r))
			continue;
		int same = row->id ? ls_dataset_post_id_is(ds, row, p->id.p, p->id.n)
		                   : row->time == p->time;
		if (!same)
			continue;
		if (side == 0)
			cp->ads++;
		else
			cp->posts++;
		if (post_keys(cp, p, side, k, &oom) && side == 1)
			cp->posts_matched++;
		k++;
	}
	ctx->diag = diag;
	ls_reader_free(r);
	if (oom)
		return ls_fail(ctx, LS_ENOMEM, "crossplatform.json: out of memory");
	if (err) {
		char why[512];
		snprintf(why, sizeof why, "%s", ls_ctx_message(ctx));
		return ls_fail(ctx, err, "crossplatform.json: %s could not be re-read: %s", path, why);
	}
	return LS_OK;
}

static int input_is_ads(const ls_dataset_t *ds, size_t in)
{
	const ls_format_t *f = ls_format_find(ds->inputs.v[in].format);
	return f != NULL && f->ads;
}

int ls_has_crossplatform(const ls_analysis_t *an)
{
	const ls_dataset_t *ds = an->ds;
	int ads = 0, other = 0;
	for (size_t i = 0; i < ds->inputs.n; i++) {
		if (ds->inputs.v[i].read == 0)
			continue;
		/* standard input cannot be read a second time */
		if (ds->inputs.v[i].path == NULL || strcmp(ds->inputs.v[i].path, "-") == 0)
			return 0;
		if (input_is_ads(ds, i))
			ads = 1;
		else
			other = 1;
	}
	return ads && other;
}

static int cmp_hit(const void *a, const void *b)
{
	const cp_hit_t *x = a, *y = b;
	if (x->entry != y->entry)
		return x->entry < y->entry ? -1 : 1;
	if (x->side != y->side)
		return x->side < y->side ? -1 : 1;
	if (x->time != y->time)
		return x->time < y->time ? -1 : 1;
	return (x->post > y->post) - (x->post < y->post);
}

typedef struct name_count {
	uint32_t account;
	uint64_t posts;
} name_count_t;

static int cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
	return (x > y) - (x < y);
}

static int cmp_name_count(const void *a, const void *b)
{
	const name_count_t *x = a, *y = b;
	if (x->posts != y->posts)
		return x->posts > y->posts ? -1 : 1;
	return (x->account > y->account) - (x->account < y->account);
}

/* One key's side (hits h[0..n), sorted by time, one per post). */
typedef struct cp_side {
	const cp_hit_t *h;
	size_t n;
	size_t accounts;
} cp_side_t;

typedef struct cp_link {
	uint32_t entry;
	int kind;
	const char *key;
	cp_side_t side[2];
} cp_link_t;

/* Writes one side of a link; acc and nc have room for s->n entries. */
static void put_side(ls_jw_t *w, const cp_t *cp, const cp_side_t *s, int ad, uint32_t *acc,
                     name_count_t *nc)
{
	const ls_dataset_t *ds = cp->ds;
	for (size_t i = 0; i < s->n; i++)
		acc[i] = s->h[i].account;
	qsort(acc, s->n, sizeof acc[0], cmp_u32);
	size_t m = 0;
	for (size_t i = 0; i < s->n; i++) {
		if (m > 0 && nc[m - 1].account == acc[i])
			nc[m - 1].posts++;
		else
			nc[m++] = (name_count_t){acc[i], 1};
	}
	qsort(nc, m, sizeof nc[0], cmp_name_count);
	ls_jw_obj(w);
	ls_jw_key(w, ad ? "advertisers" : "accounts");
	ls_jw_arr(w);
	for (size_t i = 0; i < m && i < TOP_NAMES; i++) {
		const ls_account_t *a = &ds->accounts.v[nc[i].account];
		ls_jw_obj(w);
		ls_jw_kstr(w, "account", ls_strpool_get(&ds->strings, a->key));
		if (ad)
			ls_jw_ku64(w, "ads", nc[i].posts);
		/* meta-ads: the page id is the account, its name the handle */
		if (a->handle && a->handle != a->key)
			ls_jw_kstr(w, "handle", ls_strpool_get(&ds->strings, a->handle));
		if (!ad)
			ls_jw_ku64(w, "posts", nc[i].posts);
		ls_jw_end(w);
	}
	ls_jw_end(w);
	ls_jw_ku64(w, ad ? "advertisers_total" : "accounts_total", m);
	if (ad)
		ls_jw_ku64(w, "ads", s->n);
	ls_jw_key(w, "examples");
	ls_jw_arr(w);
	for (size_t i = 0; i < s->n && i < EXAMPLES; i++) {
		char ref[256];
		ls_jw_str(w, ls_dataset_post_ref(ds, s->h[i].post, ref, sizeof ref));
	}
	ls_jw_end(w);
	ls_jw_ktime(w, "first", s->h[0].time);
	ls_jw_ktime(w, "last", s->h[s->n - 1].time);
	if (!ad)
		ls_jw_ku64(w, "posts", s->n);
	ls_jw_end(w);
}

/* kind, then most accounts pushing it, most posts, most ads, the key */
static int cmp_link_order(const void *a, const void *b)
{
	const cp_link_t *x = a, *y = b;
	if (x->kind != y->kind)
		return x->kind < y->kind ? -1 : 1;
	if (x->side[1].accounts != y->side[1].accounts)
		return x->side[1].accounts > y->side[1].accounts ? -1 : 1;
	if (x->side[1].n != y->side[1].n)
		return x->side[1].n > y->side[1].n ? -1 : 1;
	if (x->side[0].n != y->side[0].n)
		return x->side[0].n > y->side[0].n ? -1 : 1;
	return strcmp(x->key, y->key);
}

static size_t count_accounts(const cp_side_t *s, uint32_t *tmp)
{
	for (size_t i = 0; i < s->n; i++)
		tmp[i] = s->h[i].account;
	qsort(tmp, s->n, sizeof tmp[0], cmp_u32);
	size_t m = 0;
	for (size_t i = 0; i < s->n; i++)
		m += i == 0 || tmp[i] != tmp[i - 1];
	return m;
}

static void put_matching(ls_jw_t *w, const cp_t *cp, const size_t *links)
{
	ls_jw_key(w, "matching");
	ls_jw_obj(w);
	ls_jw_ku64(w, "ad_urls", cp->ad_urls);
	ls_jw_key(w, "ads");
	ls_jw_obj(w);
	for (int k = 0; k < K_KINDS; k++)
		ls_jw_ku64(w, kind_name[k], cp->ad_keys[k]);
	ls_jw_end(w);
	ls_jw_ku64(w, "ads_read", cp->ads);
	ls_jw_key(w, "links");
	ls_jw_obj(w);
	for (int k = 0; k < K_KINDS; k++)
		ls_jw_ku64(w, kind_name[k], links[k]);
	ls_jw_end(w);
	ls_jw_ku64(w, "post_mentions", cp->post_mentions);
	ls_jw_ku64(w, "post_mentions_matched", cp->post_mention_matched);
	ls_jw_ku64(w, "post_urls", cp->post_urls);
	ls_jw_ku64(w, "post_urls_matched", cp->post_url_matched);
	ls_jw_ku64(w, "post_urls_shortened", cp->post_short);
	ls_jw_ku64(w, "posts_matched", cp->posts_matched);
	ls_jw_ku64(w, "posts_read", cp->posts);
	ls_jw_end(w);
}

ls_error_t ls_write_crossplatform_json(const ls_explain_t *ex, const char *path, ls_ctx_t *ctx)
{
	const ls_dataset_t *ds = ex->an->ds;
	cp_t cp;
	memset(&cp, 0, sizeof cp);
	cp.ds = ds;
	ls_u64map_init(&cp.index);
	ls_error_t err = LS_OK;
	cp_link_t *links = NULL;
	uint32_t *acc = NULL;
	name_count_t *nc = NULL;
	/* ads first: they define the keys */
	for (int side = 0; side < 2 && !err; side++)
		for (size_t in = 0; in < ds->inputs.n && !err; in++) {
			if (input_is_ads(ds, in) != (side == 0) || ds->inputs.v[in].read == 0)
				continue;
			const char *p = ex->reread && ex->reread[in] ? ex->reread[in] : ds->inputs.v[in].path;
			if (p == NULL || strcmp(p, "-") == 0) {
				err = ls_fail(ctx, LS_EINVAL, "crossplatform.json: input %zu was read from "
				              "standard input, which cannot be read again", in);
				break;
			}
			err = read_input(&cp, in, p, side, ctx);
		}
	if (err)
		goto done;
	if (cp.hits.n > 1)
		qsort(cp.hits.v, cp.hits.n, sizeof cp.hits.v[0], cmp_hit);
	/* one hit per (entry, side, post): equal ones are adjacent */
	size_t u = 0;
	for (size_t i = 0; i < cp.hits.n; i++) {
		const cp_hit_t *h = &cp.hits.v[i], *g = u ? &cp.hits.v[u - 1] : NULL;
		if (g == NULL || g->entry != h->entry || g->side != h->side || g->post != h->post)
			cp.hits.v[u++] = *h;
	}
	cp.hits.n = u;
	links = malloc((cp.entries.n ? cp.entries.n : 1) * sizeof *links);
	acc = malloc((u ? u : 1) * sizeof *acc);
	nc = malloc((u ? u : 1) * sizeof *nc);
	if (!links || !acc || !nc) {
		err = ls_fail(ctx, LS_ENOMEM, "crossplatform.json: out of memory");
		goto done;
	}
	size_t nl = 0, per_kind[K_KINDS] = {0};
	for (size_t i = 0; i < u;) {
		cp_link_t l;
		memset(&l, 0, sizeof l);
		l.entry = cp.hits.v[i].entry;
		for (int s = 0; s < 2; s++) {
			size_t j = i;
			while (j < u && cp.hits.v[j].entry == l.entry && cp.hits.v[j].side == (uint32_t)s)
				j++;
			l.side[s].h = cp.hits.v + i;
			l.side[s].n = j - i;
			i = j;
		}
		while (i < u && cp.hits.v[i].entry == l.entry)
			i++;
		if (l.side[0].n == 0 || l.side[1].n == 0)
			continue;
		l.side[1].accounts = count_accounts(&l.side[1], acc);
		l.kind = cp.entries.v[l.entry].kind;
		l.key = cp.entries.v[l.entry].key;
		per_kind[l.kind]++;
		links[nl++] = l;
	}
	qsort(links, nl, sizeof links[0], cmp_link_order);

	ls_afile_t af;
	if ((err = ls_afile_open(&af, path, ctx)) != LS_OK)
		goto done;
	ls_jw_t w;
	ls_jw_init(&w, af.f);
	ls_jw_obj(&w);
	ls_jw_key(&w, "links");
	ls_jw_arr(&w);
	for (size_t i = 0; i < nl; i++) {
		const cp_entry_t *e = &cp.entries.v[links[i].entry];
		ls_jw_obj(&w);
		ls_jw_key(&w, "ads");
		put_side(&w, &cp, &links[i].side[0], 1, acc, nc);
		ls_jw_kstr(&w, "key", e->key);
		ls_jw_kstr(&w, "kind", kind_name[e->kind]);
		ls_jw_key(&w, "posts");
		put_side(&w, &cp, &links[i].side[1], 0, acc, nc);
		ls_jw_end(&w);
	}
	ls_jw_end(&w);
	put_matching(&w, &cp, per_kind);
	ls_jw_end(&w);
	ls_jw_finish(&w);
	err = ls_afile_commit(&af, ctx);
done:
	for (size_t i = 0; i < cp.entries.n; i++)
		free(cp.entries.v[i].key);
	ls_vec_free(&cp.entries);
	ls_vec_free(&cp.hits);
	ls_u64map_destroy(&cp.index);
	free(links);
	free(acc);
	free(nc);
	return err;
}
