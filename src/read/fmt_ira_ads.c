/*
 * Formats "ira-ads" (JSON lines) and "ira-ads-csv" (the same fields as CSV):
 * the Facebook and Instagram ads of the Internet Research Agency released by
 * the US House Intelligence Committee in 2018, OCR-extracted by edsu/irads
 * and converted by russian-ira-facebook-ads-datasette.
 *
 *   id                         post id
 *   url (landing page)         advertiser = account (ls_ad_advertiser); also a URL
 *   created (ISO 8601 + offset) time; an ad without one is skipped
 *   text                       text; hashtags, mentions, URLs parsed from it
 *   spend_amount, spend_currency, impressions, clicks, ended, targeting
 *                              ad facts (post->ad, reader.h)
 *
 * An ad is a post by its advertiser. Ads whose URL names no advertiser
 * (empty, or OCR debris without a host) get the account
 * "unattributed:<id>": one account per ad, so that they never link to each
 * other through a shared made-up account, and ad->attributed = 0 lets the
 * facts count them. `targeting` is a JSON list of "cat:cat:value" strings,
 * '|'-joined in the CSV; the doubled prefix is dropped without copying
 * (the facet points at the second "cat:value"). O(record).
 */
#include "read/formats.h"

#include <stdio.h>
#include <string.h>

static int lower(int c)
{
	return c >= 'A' && c <= 'Z' ? c + 32 : c;
}

/* Appends s[0..n) case-folded, '|' read as 'l'. */
static size_t put(char *out, size_t cap, size_t at, const char *s, size_t n)
{
	for (size_t i = 0; i < n && at + 1 < cap; i++)
		out[at++] = (char)(s[i] == '|' ? 'l' : lower((unsigned char)s[i]));
	out[at < cap ? at : cap - 1] = '\0';
	return at;
}

static int starts(const char *s, size_t n, const char *pre)
{
	size_t k = strlen(pre);
	return n >= k && memcmp(s, pre, k) == 0;
}

/* Host, case-folded and OCR-repaired, into h; returns its length. */
static size_t clean_host(const char *s, size_t n, char *h, size_t cap)
{
	size_t k = put(h, cap, 0, s, n);
	if (k >= 4 && memcmp(h, "www.", 4) == 0) {
		memmove(h, h + 4, k - 3);
		k -= 4;
	}
	if (k >= 4 && memcmp(h + k - 4, ".oom", 4) == 0)
		h[k - 3] = 'c';
	if (starts(h, k, "faoebook."))
		h[2] = 'c';
	return k;
}

size_t ls_ad_advertiser(const char *u, size_t n, char *out, size_t cap)
{
	char host[128];
	if (cap < 2)
		return 0;
	out[0] = '\0';
	if (u == NULL || n == 0) /* no landing URL: unattributed */
		return 0;
	while (n > 0 && (u[0] == ' ' || u[0] == '\n'))
		u++, n--;
	while (n > 0 && (u[n - 1] == ' ' || u[n - 1] == '\n'))
		n--;
	const char *e = u + n, *p = u;
	const char *sch = n ? memchr(u, ':', n) : NULL;
	if (sch && sch + 2 < e && sch[1] == '/' && sch[2] == '/')
		p = sch + 3;
	const char *hs = p;
	while (p < e && *p != '/' && *p != '?' && *p != '#')
		p++;
	size_t hn = (size_t)(p - hs);
	if (hn == 0 || hn >= sizeof host || memchr(hs, '.', hn) == NULL)
		return 0;
	size_t k = clean_host(hs, hn, host, sizeof host);
	const char *path = p < e && *p == '/' ? p + 1 : e;
	/* OCR glued the path to the host: "facebook.comNeterans-Come-..." */
	const char *site = NULL;
	size_t glued = 0;
	if (starts(host, k, "facebook.com") && k > 12 && host[12] != '.' && host[12] != ':') {
		site = "facebook.com";
		glued = 12;
	} else if (starts(host, k, "facebook.com") && k == 12) {
		site = "facebook.com";
	} else if (starts(host, k, "instagram.com") && k == 13) {
		site = "instagram.com";
	}
	if (site == NULL)
		return put(out, cap, 0, host, k);
	/* the first path segment names the page / account */
	const char *seg, *se;
	if (glued) {
		seg = hs + (hn - (k - glued));
		se = hs + hn;
	} else {
		seg = path;
		se = seg;
		while (se < e && *se != '/' && *se != '?' && *se != '#')
			se++;
	}
	size_t at = put(out, cap, 0, site, strlen(site));
	at = put(out, cap, at, "/", 1);
	if (se == seg)
		return put(out, cap, 0, site, strlen(site));
	if (strcmp(site, "facebook.com") == 0 && !glued &&
	    ((se - seg == 6 && (memcmp(seg, "events", 6) == 0 || memcmp(seg, "evehts", 6) == 0)) ||
	     (se - seg == 2 && memcmp(seg, "pg", 2) == 0))) {
		/* facebook.com/events/<id> (OCR also reads "evehts"): the event's
		 * page is not in the URL, so the event stands for its advertiser;
		 * pg/<page> is a page */
		int ev = seg[0] == 'e';
		const char *s2 = se < e ? se + 1 : e, *e2 = s2;
		while (e2 < e && *e2 != '/' && *e2 != '?' && *e2 != '#')
			e2++;
		if (ev)
			at = put(out, cap, at, "events/", 7);
		seg = s2;
		se = e2;
		if (se == seg)
			return put(out, cap, 0, site, strlen(site));
	}
	/* "GovSpending-1651761351759857": drop the page id suffix */
	const char *d = se;
	while (d > seg && d[-1] >= '0' && d[-1] <= '9')
		d--;
	if (d > seg + 1 && d < se && d[-1] == '-' && se - d >= 6)
		se = d - 1;
	return put(out, cap, at, seg, (size_t)(se - seg));
}

/* "161.23" -> 16123; -1 when not a plain amount. */
static int64_t cents(ls_str_t v)
{
	int64_t c = 0;
	int frac = -1;
	if (v.n == 0 || v.n > 15)
		return -1;
	for (size_t i = 0; i < v.n; i++) {
		char ch = v.p[i];
		if (ch == '.' && frac < 0) {
			frac = 0;
		} else if (ch >= '0' && ch <= '9' && frac < 2) {
			c = c * 10 + (ch - '0');
			if (frac >= 0)
				frac++;
		} else if (ch == ',' && frac < 0) {
			continue;
		} else {
			return -1;
		}
	}
	for (int f = frac < 0 ? 0 : frac; f < 2; f++)
		c *= 10;
	return c;
}

static int64_t count(ls_str_t v)
{
	uint64_t u = 0;
	if (v.n == 0 || v.n > 18)
		return -1;
	for (size_t i = 0; i < v.n; i++) {
		if (v.p[i] < '0' || v.p[i] > '9')
			return -1;
		u = u * 10 + (uint64_t)(v.p[i] - '0');
	}
	return (int64_t)u;
}

/* Adds one raw targeting string as a facet (doubled prefix dropped, empty
 * values dropped). */
static void add_facet(ls_map_env_t *env, ls_str_t f)
{
	while (f.n > 0 && (f.p[0] == ' ' || f.p[0] == '\n'))
		f.p++, f.n--;
	while (f.n > 0 && (f.p[f.n - 1] == ' ' || f.p[f.n - 1] == '\n' || f.p[f.n - 1] == '\r'))
		f.n--;
	const char *c = memchr(f.p, ':', f.n);
	if (c) {
		size_t k = (size_t)(c - f.p) + 1; /* "cat:" */
		if (f.n >= 2 * k && memcmp(f.p, f.p + k, k) == 0)
			f.p += k, f.n -= k;
	}
	if (f.n == 0 || f.p[f.n - 1] == ':' || env->ad.n_targeting >= LS_AD_MAX_FACETS)
		return;
	env->facets[env->ad.n_targeting++] = f;
}

/* The fields both notations share, as strings; finishes the post. */
typedef struct raw_ad {
	ls_str_t id, url, text, created, ended, spend, currency, impressions, clicks;
	int has_created;
} raw_ad_t;

static int finish(ls_map_env_t *env, const raw_ad_t *a, ls_post_t *post, ls_entities_t *ent,
                  ls_map_error_t *why)
{
	post->id = a->id;
	if (a->id.n == 0) {
		why->problem = LS_MAP_MISSING;
		why->field = "id";
		return -1;
	}
	if (!a->has_created || a->created.n == 0) {
		why->problem = LS_MAP_MISSING;
		why->field = "created";
		return -1;
	}
	if (ls_map_time(env, a->created, "created", &post->time, why))
		return -1;
	ls_ad_t *ad = &env->ad;
	ad->ended = INT64_MIN;
	if (a->ended.n && ls_time_parse(a->ended.p, a->ended.n, &ad->ended) != 0)
		ad->ended = INT64_MIN;
	ad->spend_cents = cents(a->spend);
	memset(ad->currency, 0, sizeof ad->currency);
	if (a->currency.n == 3)
		for (size_t i = 0; i < 3; i++)
			ad->currency[i] = (char)(a->currency.p[i] >= 'a' && a->currency.p[i] <= 'z'
			                             ? a->currency.p[i] - 32
			                             : a->currency.p[i]);
	ad->impressions = count(a->impressions);
	ad->spend_upper_cents = ad->spend_cents; /* exact amounts */
	ad->impressions_upper = ad->impressions;
	ad->clicks = count(a->clicks);
	ad->targeting = env->facets;
	size_t k = ls_ad_advertiser(a->url.p, a->url.n, env->account, sizeof env->account);
	ad->attributed = k > 0;
	if (k == 0) {
		int w = snprintf(env->account, sizeof env->account, "unattributed:%.*s",
		                 (int)(a->id.n < 64 ? a->id.n : 64), a->id.p);
		k = w > 0 ? (size_t)w : 0;
	}
	post->handle.p = env->account;
	post->handle.n = k;
	post->platform = strncmp(env->account, "instagram.com/", 14) == 0 ? "instagram" : "facebook";
	post->kind = LS_KIND_ORIGINAL;
	post->text = a->text;
	post->ad = ad;
	ls_map_text_entities(post, ent);
	/* the landing page first, then the URLs of the text */
	size_t cap = sizeof ent->urls / sizeof ent->urls[0];
	if (a->url.n && k > 0 && ad->attributed) {
		if (ent->n_urls == cap)
			ent->n_urls--;
		memmove(ent->urls + 1, ent->urls, ent->n_urls * sizeof ent->urls[0]);
		ent->urls[0] = a->url;
		ent->n_urls++;
	}
	return 0;
}

/* ---- JSON lines ---- */

static int detect(const ls_sjson_val_t *first)
{
	ls_sjson_val_t x;
	return ls_sjson_type(first) == LS_SJSON_OBJECT && ls_sjson_get(first, "spend_currency", &x) &&
	       ls_sjson_get(first, "targeting", &x) && ls_sjson_get(first, "created", &x);
}

/* A string or a non-negative integer field as text. */
static ls_str_t jfield(ls_map_env_t *env, int slot, const ls_sjson_val_t *v, const char *key)
{
	ls_str_t s = {"", 0};
	if (!ls_jid(env, slot, v, key, &s))
		s.p = "", s.n = 0;
	return s;
}

static int map_json(ls_map_env_t *env, const ls_sjson_val_t *o, const ls_sjson_val_t *page,
                    ls_post_t *post, ls_entities_t *ent, ls_map_error_t *why)
{
	(void)page;
	raw_ad_t a;
	memset(&a, 0, sizeof a);
	env->ad.n_targeting = 0;
	a.id = jfield(env, 0, o, "id");
	a.impressions = jfield(env, 1, o, "impressions");
	a.clicks = jfield(env, 2, o, "clicks");
	ls_jstr(o, "url", &a.url);
	ls_jstr(o, "text", &a.text);
	a.has_created = ls_jstr(o, "created", &a.created);
	ls_jstr(o, "ended", &a.ended);
	ls_jstr(o, "spend_amount", &a.spend);
	ls_jstr(o, "spend_currency", &a.currency);
	ls_sjson_val_t t, el;
	if (ls_sjson_get(o, "targeting", &t)) {
		ls_sjson_iter_t it;
		ls_sjson_iter_start(&t, &it);
		while (ls_sjson_iter_next(&t, &it, &el)) {
			ls_str_t f;
			if (ls_sjson_str(&el, &f.p, &f.n))
				add_facet(env, f);
		}
	}
	return finish(env, &a, post, ent, why);
}

/* ---- CSV ---- */

/* 1 when s starts with "cat:cat:" (cat = [a-z_]+). */
static int doubled_prefix(const char *s, const char *e)
{
	const char *c = s;
	while (c < e && ((*c >= 'a' && *c <= 'z') || *c == '_'))
		c++;
	size_t k = (size_t)(c - s);
	return k > 0 && c < e && *c == ':' && (size_t)(e - c) > k + 1 && memcmp(c + 1, s, k) == 0 &&
	       c[1 + k] == ':';
}

enum { C_ID, C_CLICKS, C_IMPR, C_TEXT, C_URL, C_SPEND, C_CUR, C_CREATED, C_ENDED, C_TARGET };

static const char *const columns[] = {
	"id", "clicks", "impressions", "text", "url", "spend_amount", "spend_currency",
	"created", "?ended", "targeting", NULL,
};

static int map_csv(ls_map_env_t *env, const ls_str_t *f, const size_t *col, ls_post_t *post,
                   ls_entities_t *ent, ls_map_error_t *why)
{
	raw_ad_t a;
	memset(&a, 0, sizeof a);
	env->ad.n_targeting = 0;
	a.id = ls_field(f, col[C_ID]);
	a.clicks = ls_field(f, col[C_CLICKS]);
	a.impressions = ls_field(f, col[C_IMPR]);
	a.text = ls_field(f, col[C_TEXT]);
	a.url = ls_field(f, col[C_URL]);
	a.spend = ls_field(f, col[C_SPEND]);
	a.currency = ls_field(f, col[C_CUR]);
	a.created = ls_field(f, col[C_CREATED]);
	a.has_created = 1;
	a.ended = ls_field(f, col[C_ENDED]);
	ls_str_t t = ls_field(f, col[C_TARGET]);
	const char *p = t.p, *e = t.p + t.n, *start = p;
	while (p <= e) {
		/* a '|' inside a value is OCR for 'l' ("| Love the USA"): a facet
		 * ends only at a '|' followed by a doubled "cat:cat:" prefix */
		if (p == e || (*p == '|' && doubled_prefix(p + 1, e))) {
			ls_str_t one = {start, (size_t)(p - start)};
			add_facet(env, one);
			start = p + 1;
		}
		p++;
	}
	return finish(env, &a, post, ent, why);
}

const ls_format_t ls_fmt_ira_ads = {
	.name = "ira-ads",
	.description = "IRA Facebook/Instagram ads, JSON lines (id, url, created, text, spend_amount, "
	               "spend_currency, impressions, clicks, ended, targeting)",
	.kind = LS_FORMAT_JSON,
	.ads = 1,
	.map_json = map_json,
	.detect = detect,
};

const ls_format_t ls_fmt_ira_ads_csv = {
	.name = "ira-ads-csv",
	.description = "IRA Facebook/Instagram ads, CSV (the ira-ads fields; targeting '|'-joined)",
	.kind = LS_FORMAT_CSV,
	.ads = 1,
	.columns = columns,
	.map = map_csv,
};
