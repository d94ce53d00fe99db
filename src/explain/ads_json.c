/*
 * ads.json: the campaign facts of a run whose inputs hold ads (ad-library
 * formats fill the dataset's ad side table, core/dataset.h). Written only
 * when there are ads.
 *
 * For all ads ("overall") and for every reported cluster (its members'
 * ads): the number of ads and advertisers, spend per currency (exact, in
 * hundredths, and as a real) and converted to US dollars at one stated
 * rate (LS_RUB_PER_USD, docs/FORMATS.md), impressions and clicks, spend by
 * month of creation (UTC), the targeting facets used most per category
 * (ads using each; at most TOP_FACETS per category) and the audiences
 * (whole targeting sets without placements, as in the cotargeting
 * behaviour; at most TOP_AUDIENCES), most used first.
 *
 * Canonical JSON (jsonw.h: sorted keys, shortest round-trip reals).
 * Cost: O(A log A + F log F) per group for A ads with F facets in all;
 * memory O(A + F).
 */
#include "core/afile.h"
#include "core/analysis.h"
#include "core/ctx.h"
#include "explain/explain.h"
#include "explain/jsonw.h"
#include "read/reader.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <xxhash.h>

/* Average of the Bank of Russia's daily official US dollar rates over 2016
 * (roubles per dollar): the year most of the ads ran. See docs/FORMATS.md. */
#define LS_RUB_PER_USD 67.0349
#define TOP_FACETS 10
#define TOP_AUDIENCES 5

typedef struct facet_count {
	const char *s;
	size_t cat; /* length of the category prefix */
	uint64_t ads;
} facet_count_t;

static int cmp_sid(const void *a, const void *b)
{
	ls_sid_t x = *(const ls_sid_t *)a, y = *(const ls_sid_t *)b;
	return x < y ? -1 : x > y;
}

/* category, then most ads, then the facet text */
static int cmp_facet(const void *a, const void *b)
{
	const facet_count_t *x = a, *y = b;
	size_t n = x->cat < y->cat ? x->cat : y->cat;
	int c = memcmp(x->s, y->s, n);
	if (c == 0 && x->cat != y->cat)
		c = x->cat < y->cat ? -1 : 1;
	if (c)
		return c;
	if (x->ads != y->ads)
		return x->ads > y->ads ? -1 : 1;
	return strcmp(x->s, y->s);
}

static int is_placement(const char *s)
{
	return strncasecmp(s, "placements:", 11) == 0;
}

typedef struct audience {
	uint64_t key;
	uint32_t ad; /* index into ds->ads of one ad with this set */
	uint64_t ads;
} audience_t;

static int cmp_aud_key(const void *a, const void *b)
{
	const audience_t *x = a, *y = b;
	if (x->key != y->key)
		return x->key < y->key ? -1 : 1;
	return x->ad < y->ad ? -1 : x->ad > y->ad;
}

static int cmp_aud_count(const void *a, const void *b)
{
	const audience_t *x = a, *y = b;
	if (x->ads != y->ads)
		return x->ads > y->ads ? -1 : 1;
	return x->ad < y->ad ? -1 : x->ad > y->ad;
}

static int cmp_str(const void *a, const void *b)
{
	return strcasecmp(*(const char *const *)a, *(const char *const *)b);
}

/* Hash of an ad's targeting set: the non-placement facets, case-folded,
 * sorted and deduplicated (the cotargeting key). */
static uint64_t audience_key(const ls_dataset_t *ds, const ls_ad_row_t *a, const char **tmp)
{
	size_t n = 0;
	for (uint32_t k = 0; k < a->facet_count; k++) {
		const char *s = ls_strpool_get(&ds->strings, ds->ad_facets.v[a->facet_first + k]);
		if (!is_placement(s))
			tmp[n++] = s;
	}
	qsort(tmp, n, sizeof tmp[0], cmp_str);
	uint64_t h = 0;
	for (size_t i = 0; i < n; i++) {
		if (i > 0 && strcasecmp(tmp[i - 1], tmp[i]) == 0)
			continue;
		/* chained hash of the case-folded facet, in chunks, then a separator */
		char buf[256];
		size_t k = 0;
		for (const char *c = tmp[i];; c++) {
			if (*c == '\0' || k == sizeof buf) {
				h = XXH3_64bits_withSeed(buf, k, h);
				k = 0;
				if (*c == '\0')
					break;
			}
			buf[k++] = (char)(*c >= 'A' && *c <= 'Z' ? *c + 32 : *c);
		}
		h = XXH3_64bits_withSeed("\n", 1, h);
	}
	return h;
}

typedef struct month_row {
	int32_t month; /* "YYYY-MM" as year * 12 + month - 1 */
	char currency[4];
	int64_t cents;
} month_row_t;

static int cmp_month(const void *a, const void *b)
{
	const month_row_t *x = a, *y = b;
	if (x->month != y->month)
		return x->month < y->month ? -1 : 1;
	return strcmp(x->currency, y->currency);
}

static double usd(const char *code, int64_t cents)
{
	if (strcmp(code, "USD") == 0)
		return (double)cents / 100.0;
	if (strcmp(code, "RUB") == 0)
		return (double)cents / 100.0 / LS_RUB_PER_USD;
	return 0;
}

/* Formats that give ranges (meta-ads): spend_cents and impressions sum
 * the lower bounds; "impressions_upper" (spend = 0) or "spend_upper_cents"
 * (spend = 1) sum the upper bounds, null where an ad of the group has an
 * open-ended or unknown one. Written only when some ad of the group has a
 * range, so exact data (IRA) keeps its shape. */
static void put_upper(ls_jw_t *w, const ls_dataset_t *ds, const uint32_t *ads, size_t n,
                      const ls_ad_totals_t *t, int spend)
{
	int ranged = 0;
	for (size_t i = 0; i < n; i++) {
		const ls_ad_row_t *a = &ds->ads.v[ads[i]];
		ranged |= a->spend_upper_cents != a->spend_cents || a->impressions_upper != a->impressions;
	}
	if (!ranged)
		return;
	ls_jw_key(w, spend ? "spend_upper_cents" : "impressions_upper");
	if (spend)
		ls_jw_obj(w);
	for (size_t c = 0; c < (spend ? t->n_currencies : 1); c++) {
		int64_t sum = 0;
		int open = 0;
		for (size_t i = 0; i < n; i++) {
			const ls_ad_row_t *a = &ds->ads.v[ads[i]];
			int64_t lo = spend ? a->spend_cents : a->impressions;
			int64_t hi = spend ? a->spend_upper_cents : a->impressions_upper;
			if (spend && strcmp(a->currency, t->currency[c].code) != 0)
				continue;
			open |= lo >= 0 && hi < 0;
			sum += hi > 0 ? hi : 0;
		}
		if (spend)
			ls_jw_key(w, t->currency[c].code[0] ? t->currency[c].code : "unknown");
		if (open)
			ls_jw_null(w);
		else
			ls_jw_i64(w, sum);
	}
	if (spend)
		ls_jw_end(w);
}

/* Writes the facts of the ads ads[0..n) (indexes into ds->ads) as one
 * object. Returns 0 or -1 (out of memory). */
static int put_group(ls_jw_t *w, const ls_dataset_t *ds, const uint32_t *ads, size_t n)
{
	int rc = -1;
	ls_ad_totals_t t;
	memset(&t, 0, sizeof t);
	size_t nf = 0;
	for (size_t i = 0; i < n; i++)
		nf += ds->ads.v[ads[i]].facet_count;
	ls_sid_t *sids = malloc((nf ? nf : 1) * sizeof *sids);
	facet_count_t *fc = malloc((nf ? nf : 1) * sizeof *fc);
	month_row_t *mr = malloc((n ? n : 1) * sizeof *mr);
	audience_t *au = malloc((n ? n : 1) * sizeof *au);
	uint32_t *accts = malloc((n ? n : 1) * sizeof *accts);
	const char *tmp[LS_AD_MAX_FACETS];
	if (!sids || !fc || !mr || !au || !accts)
		goto done;
	nf = 0;
	uint64_t unattributed = 0, impressions = 0, clicks = 0;
	/* per currency: reuse the public totals' layout */
	for (size_t i = 0; i < n; i++) {
		const ls_ad_row_t *a = &ds->ads.v[ads[i]];
		for (uint32_t k = 0; k < a->facet_count; k++)
			sids[nf++] = ds->ad_facets.v[a->facet_first + k];
		unattributed += a->attributed == 0;
		impressions += a->impressions > 0 ? (uint64_t)a->impressions : 0;
		clicks += a->clicks > 0 ? (uint64_t)a->clicks : 0;
		size_t c = 0;
		while (c < t.n_currencies && strcmp(t.currency[c].code, a->currency) != 0)
			c++;
		if (c == t.n_currencies && c < LS_AD_MAX_CURRENCIES) {
			while (c > 0 && strcmp(t.currency[c - 1].code, a->currency) > 0) {
				t.currency[c] = t.currency[c - 1];
				c--;
			}
			memset(&t.currency[c], 0, sizeof t.currency[c]);
			memcpy(t.currency[c].code, a->currency, 4);
			t.n_currencies++;
		}
		if (c < LS_AD_MAX_CURRENCIES) {
			t.currency[c].ads++;
			t.currency[c].cents += a->spend_cents > 0 ? a->spend_cents : 0;
		}
		char when[32];
		ls_time_format(ds->posts.v[a->post].time, when, sizeof when);
		int y = (when[0] - '0') * 1000 + (when[1] - '0') * 100 + (when[2] - '0') * 10 +
		        (when[3] - '0');
		int m = (when[5] - '0') * 10 + (when[6] - '0');
		mr[i].month = y * 12 + m - 1;
		memcpy(mr[i].currency, a->currency, 4);
		mr[i].cents = a->spend_cents > 0 ? a->spend_cents : 0;
		au[i].key = audience_key(ds, a, tmp);
		au[i].ad = ads[i];
		au[i].ads = 1;
		accts[i] = ds->posts.v[a->post].account;
	}
	qsort(accts, n, sizeof accts[0], cmp_sid);
	size_t nacc = 0;
	for (size_t i = 0; i < n; i++)
		nacc += i == 0 || accts[i] != accts[i - 1];

	ls_jw_obj(w);
	ls_jw_ku64(w, "ads", n);
	ls_jw_ku64(w, "advertisers", nacc);

	/* audiences: group equal keys, keep the first ad of each, most ads first */
	qsort(au, n, sizeof au[0], cmp_aud_key);
	size_t na = 0;
	for (size_t i = 0; i < n; i++) {
		if (na > 0 && au[na - 1].key == au[i].key)
			au[na - 1].ads++;
		else
			au[na++] = au[i];
	}
	qsort(au, na, sizeof au[0], cmp_aud_count);
	ls_jw_key(w, "audiences");
	ls_jw_arr(w);
	for (size_t i = 0; i < na && i < TOP_AUDIENCES; i++) {
		const ls_ad_row_t *a = &ds->ads.v[au[i].ad];
		ls_jw_obj(w);
		ls_jw_ku64(w, "ads", au[i].ads);
		ls_jw_key(w, "facets");
		ls_jw_arr(w);
		size_t k = 0;
		for (uint32_t j = 0; j < a->facet_count; j++) {
			const char *s = ls_strpool_get(&ds->strings, ds->ad_facets.v[a->facet_first + j]);
			if (!is_placement(s))
				tmp[k++] = s;
		}
		qsort(tmp, k, sizeof tmp[0], cmp_str);
		for (size_t j = 0; j < k; j++)
			if (j == 0 || strcasecmp(tmp[j - 1], tmp[j]) != 0)
				ls_jw_str(w, tmp[j]);
		ls_jw_end(w);
		ls_jw_end(w);
	}
	ls_jw_end(w);

	ls_jw_ku64(w, "clicks", clicks);
	ls_jw_ku64(w, "impressions", impressions);
	put_upper(w, ds, ads, n, &t, 0);

	/* spend by month and currency */
	qsort(mr, n, sizeof mr[0], cmp_month);
	ls_jw_key(w, "spend_by_month");
	ls_jw_obj(w);
	for (size_t i = 0; i < n;) {
		char key[16];
		int32_t mo = mr[i].month;
		snprintf(key, sizeof key, "%04d-%02d", (int)(mo / 12), (int)(mo % 12 + 1));
		ls_jw_key(w, key);
		ls_jw_obj(w);
		while (i < n && mr[i].month == mo) {
			size_t j = i;
			int64_t c = 0;
			while (j < n && mr[j].month == mo && strcmp(mr[j].currency, mr[i].currency) == 0)
				c += mr[j++].cents;
			ls_jw_kreal(w, mr[i].currency[0] ? mr[i].currency : "unknown", (double)c / 100.0);
			i = j;
		}
		ls_jw_end(w);
	}
	ls_jw_end(w);

	ls_jw_key(w, "spend_cents");
	ls_jw_obj(w);
	double total_usd = 0;
	for (size_t c = 0; c < t.n_currencies; c++) {
		ls_jw_ki64(w, t.currency[c].code[0] ? t.currency[c].code : "unknown", t.currency[c].cents);
		total_usd += usd(t.currency[c].code, t.currency[c].cents);
	}
	ls_jw_end(w);
	put_upper(w, ds, ads, n, &t, 1);
	ls_jw_kreal(w, "spend_usd", (double)(int64_t)(total_usd * 100.0 + 0.5) / 100.0);

	/* targeting facets: count ads per facet (a facet repeated within one ad
	 * counts once: sids are sorted per ad below) */
	size_t off = 0;
	for (size_t i = 0; i < n; i++) {
		uint32_t fcn = ds->ads.v[ads[i]].facet_count;
		qsort(sids + off, fcn, sizeof sids[0], cmp_sid);
		size_t keep = off;
		for (size_t k = off; k < off + fcn; k++)
			if (k == off || sids[k] != sids[k - 1])
				sids[keep++] = sids[k];
		for (size_t k = keep; k < off + fcn; k++)
			sids[k] = 0;
		off += fcn;
	}
	qsort(sids, nf, sizeof sids[0], cmp_sid);
	size_t nc = 0;
	for (size_t i = 0; i < nf;) {
		size_t j = i;
		while (j < nf && sids[j] == sids[i])
			j++;
		if (sids[i] != 0) {
			const char *s = ls_strpool_get(&ds->strings, sids[i]);
			const char *colon = strchr(s, ':');
			fc[nc].s = s;
			fc[nc].cat = colon ? (size_t)(colon - s) : strlen(s);
			fc[nc].ads = j - i;
			nc++;
		}
		i = j;
	}
	qsort(fc, nc, sizeof fc[0], cmp_facet);
	ls_jw_key(w, "targeting");
	ls_jw_obj(w);
	for (size_t i = 0; i < nc;) {
		char cat[64];
		size_t cl = fc[i].cat < sizeof cat - 1 ? fc[i].cat : sizeof cat - 1;
		memcpy(cat, fc[i].s, cl);
		cat[cl] = '\0';
		ls_jw_key(w, cat);
		ls_jw_arr(w);
		size_t j = i, shown = 0;
		while (j < nc && fc[j].cat == fc[i].cat && memcmp(fc[j].s, fc[i].s, fc[i].cat) == 0) {
			if (shown++ < TOP_FACETS) {
				ls_jw_obj(w);
				ls_jw_ku64(w, "ads", fc[j].ads);
				const char *v = fc[j].s + fc[j].cat + (fc[j].s[fc[j].cat] == ':');
				ls_jw_kstr(w, "value", v);
				ls_jw_end(w);
			}
			j++;
		}
		ls_jw_end(w);
		i = j;
	}
	ls_jw_end(w);
	ls_jw_ku64(w, "unattributed", unattributed);
	ls_jw_end(w);
	rc = 0;
done:
	free(sids);
	free(fc);
	free(mr);
	free(au);
	free(accts);
	return rc;
}

int ls_has_ads(const ls_analysis_t *an)
{
	return an->ds->ads.n > 0;
}

ls_error_t ls_write_ads_json(const ls_analysis_t *an, const char *path, ls_ctx_t *ctx)
{
	const ls_dataset_t *ds = an->ds;
	size_t n = ds->ads.n;
	uint32_t *idx = malloc((n ? n : 1) * sizeof *idx);
	if (idx == NULL)
		return ls_fail(ctx, LS_ENOMEM, "out of memory");
	ls_afile_t af;
	ls_error_t err = ls_afile_open(&af, path, ctx);
	if (err != LS_OK) {
		free(idx);
		return err;
	}
	ls_jw_t w;
	ls_jw_init(&w, af.f);
	ls_jw_obj(&w);
	ls_jw_key(&w, "clusters");
	ls_jw_arr(&w);
	int oom = 0;
	for (size_t c = 0; c < an->clusters.n && !oom; c++) {
		uint32_t id = an->clusters.v[c].id;
		size_t k = 0;
		for (size_t i = 0; i < n; i++)
			if (an->cluster[ds->posts.v[ds->ads.v[i].post].account] == id)
				idx[k++] = (uint32_t)i;
		ls_jw_obj(&w);
		ls_jw_key(&w, "facts");
		oom = put_group(&w, ds, idx, k) != 0;
		ls_jw_ku64(&w, "id", id);
		ls_jw_key(&w, "members");
		ls_jw_arr(&w);
		for (size_t a = 0; a < ds->accounts.n; a++)
			if (an->cluster[a] == id)
				ls_jw_str(&w, ls_strpool_get(&ds->strings, ds->accounts.v[a].key));
		ls_jw_end(&w);
		ls_jw_kreal(&w, "pvalue", an->has_pvalues ? an->clusters.v[c].pvalue : 1.0);
		ls_jw_end(&w);
	}
	ls_jw_end(&w);
	ls_jw_key(&w, "conversion");
	ls_jw_obj(&w);
	ls_jw_kstr(&w, "date", "2016 (average of the daily official rates)");
	ls_jw_kreal(&w, "rub_per_usd", LS_RUB_PER_USD);
	ls_jw_kstr(&w, "source", "Bank of Russia, official RUB/USD exchange rates (cbr.ru)");
	ls_jw_end(&w);
	for (size_t i = 0; i < n; i++)
		idx[i] = (uint32_t)i;
	ls_jw_key(&w, "overall");
	if (!oom)
		oom = put_group(&w, ds, idx, n) != 0;
	ls_jw_end(&w);
	ls_jw_finish(&w);
	free(idx);
	if (oom) {
		ls_afile_abort(&af);
		return ls_fail(ctx, LS_ENOMEM, "ads.json: out of memory");
	}
	return ls_afile_commit(&af, ctx);
}
