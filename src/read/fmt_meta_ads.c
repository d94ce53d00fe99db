/*
 * Format "meta-ads": ads of the public Meta Ad Library API (the Graph API's
 * ads_archive edge, ArchivedAd objects; field list as in Meta's own client
 * facebookresearch/Radlibrary, NEWS.md), either one ad object per line or
 * whole response pages {"data": [...], "paging": {...}} (one per line, or
 * one pretty-printed document). A page yields one post per element of data.
 *
 *   id                               post id
 *   page_id, page_name               account id and handle (the advertiser)
 *   ad_delivery_start_time           time (else ad_creation_time); the API
 *                                    gives "YYYY-MM-DD" or ISO 8601 with offset
 *   ad_delivery_stop_time            end (absent: still running)
 *   ad_creative_bodies[],            text: the distinct strings in this
 *   ad_creative_link_titles[],       order, joined by "\n" (older API
 *   ad_creative_link_descriptions[]  versions: the singular string fields)
 *   ad_creative_link_captions[]      captions that are a bare host or URL
 *                                    ("blackmattersus.com") count as links
 *   spend, impressions               {lower_bound, upper_bound}: a range;
 *                                    no upper_bound = open-ended (">1M")
 *   currency                         ISO 4217
 *   demographic_distribution[]       facets age:<age>, gender:<gender>
 *   delivery_by_region[]             facets location:<region>
 *   publisher_platforms[]            facets placements:<platform> (also
 *                                    "publisher_platform", or one string)
 *   languages[]                      facets language:<code>
 *
 * Facets use the categories of the IRA release (age, gender, location,
 * language, placements), so that cotargeting and ads.json treat both alike;
 * a demographic or region entry whose percentage is 0 is not a facet.
 * ad_snapshot_url (a per-ad archive page) and bylines are not used.
 * Strings this mapper builds live in env->scratch (LS_MAP_SCRATCH bytes;
 * a longer joined text is cut at a character boundary). O(record).
 */
#include "read/formats.h"

#include <string.h>

/* An ad object: keys only the Ad Library has. */
static int detect_ad(const ls_sjson_val_t *o)
{
	ls_sjson_val_t x;
	if (ls_sjson_type(o) != LS_SJSON_OBJECT)
		return 0;
	return ls_sjson_get(o, "ad_snapshot_url", &x) || ls_sjson_get(o, "ad_creative_bodies", &x) ||
	       (ls_sjson_get(o, "page_id", &x) && (ls_sjson_get(o, "ad_delivery_start_time", &x) ||
	                                           ls_sjson_get(o, "ad_creation_time", &x)));
}

static int detect(const ls_sjson_val_t *first)
{
	ls_sjson_val_t d, el, x;
	if (ls_sjson_type(first) != LS_SJSON_OBJECT)
		return 0;
	if (ls_sjson_get(first, "data", &d)) {
		if (ls_sjson_type(&d) == LS_SJSON_OBJECT)
			return detect_ad(&d);
		ls_sjson_iter_t it;
		ls_sjson_iter_start(&d, &it);
		if (ls_sjson_iter_next(&d, &it, &el))
			return detect_ad(&el);
		/* an empty page: the Graph API pages with "paging", v2 with "meta" */
		return ls_sjson_get(first, "paging", &x) && !ls_sjson_get(first, "meta", &x);
	}
	return detect_ad(first);
}

/* Copies s into the scratch space; returns the copy, or n == 0 when full. */
static ls_str_t keep(ls_map_env_t *env, const char *a, size_t an, const char *b, size_t bn)
{
	ls_str_t out = {"", 0};
	if (an + bn > sizeof env->scratch - env->scratch_used)
		return out;
	char *p = env->scratch + env->scratch_used;
	memcpy(p, a, an);
	memcpy(p + an, b, bn);
	env->scratch_used += an + bn;
	out.p = p;
	out.n = an + bn;
	return out;
}

static int same(ls_str_t a, ls_str_t b)
{
	return a.n == b.n && memcmp(a.p, b.p, a.n) == 0;
}

/* Adds facet "<cat>:<v>" unless empty or already there. */
static void add_facet(ls_map_env_t *env, const char *cat, ls_str_t v)
{
	while (v.n > 0 && (v.p[0] == ' ' || v.p[0] == '\t'))
		v.p++, v.n--;
	while (v.n > 0 && (v.p[v.n - 1] == ' ' || v.p[v.n - 1] == '\t'))
		v.n--;
	if (v.n == 0 || env->ad.n_targeting >= LS_AD_MAX_FACETS)
		return;
	char pre[32];
	size_t k = strlen(cat);
	if (k + 1 >= sizeof pre)
		return;
	memcpy(pre, cat, k);
	pre[k++] = ':';
	for (size_t i = 0; i < env->ad.n_targeting; i++) {
		ls_str_t f = env->facets[i];
		if (f.n == k + v.n && memcmp(f.p, pre, k) == 0 && memcmp(f.p + k, v.p, v.n) == 0)
			return;
	}
	ls_str_t f = keep(env, pre, k, v.p, v.n);
	if (f.n > 0)
		env->facets[env->ad.n_targeting++] = f;
}

/* 1 when a percentage (string or number) is above 0, or unreadable (kept:
 * an entry is listed because it was reached). */
static int positive(const ls_sjson_val_t *el)
{
	ls_sjson_val_t pv;
	if (!ls_sjson_get(el, "percentage", &pv))
		return 1;
	double d;
	if (ls_sjson_f64(&pv, &d))
		return d > 0;
	const char *p;
	size_t n;
	if (!ls_sjson_str(&pv, &p, &n))
		return 1;
	for (size_t i = 0; i < n; i++) {
		if (p[i] == 'e' || p[i] == 'E')
			break;
		if (p[i] >= '1' && p[i] <= '9')
			return 1;
	}
	return n == 0;
}

/* Facets from an array of objects: `key` of each entry reached. */
static void facets_of(ls_map_env_t *env, const ls_sjson_val_t *o, const char *list,
                      const char *key, const char *cat)
{
	ls_sjson_val_t arr, el;
	ls_str_t one;
	if (!ls_sjson_get(o, list, &arr))
		return;
	if (key == NULL && ls_sjson_str(&arr, &one.p, &one.n)) { /* one value, not a list */
		add_facet(env, cat, one);
		return;
	}
	ls_sjson_iter_t it;
	ls_sjson_iter_start(&arr, &it);
	while (ls_sjson_iter_next(&arr, &it, &el)) {
		ls_str_t v;
		if (key == NULL ? ls_sjson_str(&el, &v.p, &v.n) : (ls_jstr(&el, key, &v) && positive(&el)))
			add_facet(env, cat, v);
	}
}

/* A string field or each string of an array field, into out[*n..cap). */
static void strings(const ls_sjson_val_t *o, const char *plural, const char *singular,
                    ls_str_t *out, size_t *n, size_t cap)
{
	ls_sjson_val_t arr, el;
	ls_str_t s;
	if (ls_sjson_get(o, plural, &arr)) {
		ls_sjson_iter_t it;
		ls_sjson_iter_start(&arr, &it);
		while (*n < cap && ls_sjson_iter_next(&arr, &it, &el))
			if (ls_sjson_str(&el, &s.p, &s.n) && s.n > 0)
				out[(*n)++] = s;
	}
	if (*n < cap && singular && ls_jstr(o, singular, &s) && s.n > 0)
		out[(*n)++] = s;
}

/* Joins the distinct parts with "\n" (one part: borrowed as it is). */
static ls_str_t join(ls_map_env_t *env, const ls_str_t *part, size_t n)
{
	ls_str_t none = {"", 0};
	size_t u = 0;
	ls_str_t uniq[64];
	for (size_t i = 0; i < n && u < 64; i++) {
		size_t j = 0;
		while (j < u && !same(uniq[j], part[i]))
			j++;
		if (j == u)
			uniq[u++] = part[i];
	}
	if (u == 0)
		return none;
	if (u == 1)
		return uniq[0];
	char *out = env->scratch + env->scratch_used;
	size_t room = sizeof env->scratch - env->scratch_used, k = 0;
	for (size_t i = 0; i < u && k < room; i++) {
		if (i > 0)
			out[k++] = '\n';
		size_t take = uniq[i].n < room - k ? uniq[i].n : room - k;
		if (take < uniq[i].n) /* cut at a character boundary */
			while (take > 0 && ((unsigned char)uniq[i].p[take] & 0xC0) == 0x80)
				take--;
		memcpy(out + k, uniq[i].p, take);
		k += take;
	}
	env->scratch_used += k;
	ls_str_t s = {out, k};
	return s;
}

/* A bound given as a string or a number of whole units, times `scale`;
 * -1 when absent or not a plain non-negative number. */
static int64_t bound(const ls_sjson_val_t *range, const char *key, int64_t scale)
{
	ls_sjson_val_t v;
	uint64_t u;
	const char *p;
	size_t n;
	if (!ls_sjson_get(range, key, &v))
		return -1;
	if (ls_sjson_u64(&v, &u))
		return u <= (uint64_t)INT64_MAX / (uint64_t)scale ? (int64_t)u * scale : -1;
	if (!ls_sjson_str(&v, &p, &n) || n == 0 || n > 15)
		return -1;
	int64_t x = 0;
	for (size_t i = 0; i < n; i++) {
		if (p[i] < '0' || p[i] > '9')
			return -1;
		x = x * 10 + (p[i] - '0');
	}
	return x * scale;
}

static void range(const ls_sjson_val_t *o, const char *key, int64_t scale, int64_t *lo,
                  int64_t *hi)
{
	ls_sjson_val_t r;
	*lo = *hi = -1;
	if (!ls_sjson_get(o, key, &r) || ls_sjson_type(&r) != LS_SJSON_OBJECT)
		return;
	*lo = bound(&r, "lower_bound", scale);
	*hi = bound(&r, "upper_bound", scale);
	if (*lo < 0)
		*hi = -1;
}

/* Parses an API time: "YYYY-MM-DD" (midnight UTC) or ISO 8601. */
static int api_time(ls_map_env_t *env, ls_str_t v, const char *field, int64_t *t,
                    ls_map_error_t *why)
{
	if (v.n == 10 && v.p[4] == '-' && v.p[7] == '-') {
		ls_str_t full = keep(env, v.p, v.n, "T00:00:00Z", 10);
		if (full.n > 0)
			v = full;
	}
	if (ls_time_parse(v.p, v.n, t) == 0)
		return 0;
	why->problem = LS_MAP_BAD_TIME;
	why->field = field;
	why->value = v;
	return -1;
}

/* A bare host ("site.com") or a URL: the caption is a link. */
static int linklike(ls_str_t s)
{
	if (s.n < 4 || s.n > 255 || memchr(s.p, '.', s.n) == NULL)
		return 0;
	for (size_t i = 0; i < s.n; i++)
		if (s.p[i] == ' ' || (unsigned char)s.p[i] >= 0x80)
			return 0;
	return s.p[0] != '.' && s.p[s.n - 1] != '.';
}

static int map(ls_map_env_t *env, const ls_sjson_val_t *o, const ls_sjson_val_t *page,
               ls_post_t *post, ls_entities_t *ent, ls_map_error_t *why)
{
	(void)page;
	env->scratch_used = 0;
	ls_ad_t *ad = &env->ad;
	memset(ad, 0, sizeof *ad);
	post->platform = "facebook";
	post->kind = LS_KIND_ORIGINAL;
	if (!ls_jid(env, 0, o, "id", &post->id)) {
		why->problem = LS_MAP_MISSING;
		why->field = "id";
		return -1;
	}
	ls_jid(env, 1, o, "page_id", &post->account_id);
	ls_jstr(o, "page_name", &post->handle);
	if (ls_map_check_account(post, "page_id", why))
		return -1;
	ls_str_t t;
	const char *tf = "ad_delivery_start_time";
	if (!ls_jstr(o, tf, &t) || t.n == 0) {
		tf = "ad_creation_time";
		if (!ls_jstr(o, tf, &t) || t.n == 0) {
			why->problem = LS_MAP_MISSING;
			why->field = "ad_delivery_start_time";
			return -1;
		}
	}
	if (api_time(env, t, tf, &post->time, why))
		return -1;
	ad->ended = INT64_MIN;
	ls_map_error_t ignore;
	if (ls_jstr(o, "ad_delivery_stop_time", &t) && t.n > 0 &&
	    api_time(env, t, "ad_delivery_stop_time", &ad->ended, &ignore))
		ad->ended = INT64_MIN;

	ls_str_t part[64];
	size_t np = 0;
	strings(o, "ad_creative_bodies", "ad_creative_body", part, &np, 64);
	strings(o, "ad_creative_link_titles", "ad_creative_link_title", part, &np, 64);
	strings(o, "ad_creative_link_descriptions", "ad_creative_link_description", part, &np, 64);
	post->text = join(env, part, np);

	range(o, "spend", 100, &ad->spend_cents, &ad->spend_upper_cents);
	range(o, "impressions", 1, &ad->impressions, &ad->impressions_upper);
	ad->clicks = -1;
	ls_str_t cur;
	if (ls_jstr(o, "currency", &cur) && cur.n == 3)
		for (size_t i = 0; i < 3; i++)
			ad->currency[i] = (char)(cur.p[i] >= 'a' && cur.p[i] <= 'z' ? cur.p[i] - 32 : cur.p[i]);
	ad->attributed = 1; /* the API names the page of every ad */
	facets_of(env, o, "demographic_distribution", "age", "age");
	facets_of(env, o, "demographic_distribution", "gender", "gender");
	facets_of(env, o, "delivery_by_region", "region", "location");
	facets_of(env, o, "languages", NULL, "language");
	facets_of(env, o, "publisher_platforms", NULL, "placements");
	facets_of(env, o, "publisher_platform", NULL, "placements");
	ad->targeting = env->facets;
	post->ad = ad;

	ls_map_text_entities(post, ent);
	/* link captions naming a site come first, like a landing page */
	ls_str_t cap[8];
	size_t nc = 0, room = sizeof ent->urls / sizeof ent->urls[0];
	strings(o, "ad_creative_link_captions", "ad_creative_link_caption", cap, &nc, 8);
	for (size_t i = nc; i-- > 0;) {
		if (!linklike(cap[i]))
			continue;
		if (ent->n_urls == room)
			ent->n_urls--;
		memmove(ent->urls + 1, ent->urls, ent->n_urls * sizeof ent->urls[0]);
		ent->urls[0] = cap[i];
		ent->n_urls++;
	}
	return 0;
}

const ls_format_t ls_fmt_meta_ads = {
	.name = "meta-ads",
	.description = "Meta Ad Library API ads (ads_archive), one per line or response pages "
	               "(data + paging): spend/impressions ranges, demographics, regions",
	.kind = LS_FORMAT_JSON,
	.ads = 1,
	.map_json = map,
	.detect = detect,
};
