/*
 * Campaign facts of a group of ads (all ads, or one cluster's), computed
 * once and written by ads.json and the ads section of report.html: the
 * number of ads and advertisers, spend per currency and converted to US
 * dollars at one stated rate (LS_RUB_PER_USD, docs/METHODS.md section 8),
 * impressions and clicks, the period, spend by month of creation (UTC), the
 * targeting facets by category, most used first, and the audiences (whole
 * targeting sets without placements, as in the cotargeting behaviour), most
 * used first. Cost O(A log A + F log F) for A ads with F facets in all;
 * memory O(A + F).
 */
#include "core/analysis.h"
#include "explain/explain.h"
#include "read/reader.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <xxhash.h>


static int cmp_sid(const void *a, const void *b)
{
	ls_sid_t x = *(const ls_sid_t *)a, y = *(const ls_sid_t *)b;
	return x < y ? -1 : x > y;
}

/* category, then most ads, then the facet text */
static int cmp_facet(const void *a, const void *b)
{
	const ls_ad_facet_t *x = a, *y = b;
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

double ls_ad_usd(const char *code, int64_t cents)
{
	if (strcmp(code, "USD") == 0)
		return (double)cents / 100.0;
	if (strcmp(code, "RUB") == 0)
		return (double)cents / 100.0 / LS_RUB_PER_USD;
	return 0;
}

double ls_ad_round_cents(double usd)
{
	return (double)(int64_t)(usd * 100.0 + 0.5) / 100.0;
}

void ls_ad_facts_free(ls_ad_facts_t *f)
{
	free(f->months);
	free(f->facets);
	free(f->audience_facets);
	memset(f, 0, sizeof *f);
}

int ls_ad_facts_build(ls_ad_facts_t *f, const ls_dataset_t *ds, const uint32_t *ads, size_t n)
{
	int rc = -1;
	memset(f, 0, sizeof *f);
	size_t nf = 0;
	for (size_t i = 0; i < n; i++)
		nf += ds->ads.v[ads[i]].facet_count;
	ls_sid_t *sids = malloc((nf ? nf : 1) * sizeof *sids);
	month_row_t *mr = malloc((n ? n : 1) * sizeof *mr);
	audience_t *au = malloc((n ? n : 1) * sizeof *au);
	uint32_t *accts = malloc((n ? n : 1) * sizeof *accts);
	f->facets = malloc((nf ? nf : 1) * sizeof *f->facets);
	f->months = malloc((n ? n : 1) * sizeof *f->months);
	f->audience_facets = malloc((nf ? nf : 1) * sizeof *f->audience_facets);
	const char *tmp[LS_AD_MAX_FACETS];
	if (!sids || !mr || !au || !accts || !f->facets || !f->months || !f->audience_facets)
		goto done;
	nf = 0;
	f->first = INT64_MAX;
	f->last = INT64_MIN;
	for (size_t i = 0; i < n; i++) {
		const ls_ad_row_t *a = &ds->ads.v[ads[i]];
		int64_t t = ds->posts.v[a->post].time;
		f->first = t < f->first ? t : f->first;
		f->last = t > f->last ? t : f->last;
		for (uint32_t k = 0; k < a->facet_count; k++)
			sids[nf++] = ds->ad_facets.v[a->facet_first + k];
		ls_ad_totals_add(&f->totals, a);
		mr[i].month = ls_time_month(t);
		memcpy(mr[i].currency, a->currency, 4);
		mr[i].cents = a->spend_cents > 0 ? a->spend_cents : 0;
		au[i].key = audience_key(ds, a, tmp);
		au[i].ad = ads[i];
		au[i].ads = 1;
		accts[i] = ds->posts.v[a->post].account;
	}
	qsort(accts, n, sizeof accts[0], cmp_sid);
	for (size_t i = 0; i < n; i++)
		f->advertisers += i == 0 || accts[i] != accts[i - 1];
	for (size_t c = 0; c < f->totals.n_currencies; c++)
		f->spend_usd += ls_ad_usd(f->totals.currency[c].code, f->totals.currency[c].cents);

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
	size_t at = 0;
	for (size_t i = 0; i < na && i < LS_AD_TOP_AUDIENCES; i++) {
		const ls_ad_row_t *a = &ds->ads.v[au[i].ad];
		size_t k = 0;
		for (uint32_t j = 0; j < a->facet_count; j++) {
			const char *s = ls_strpool_get(&ds->strings, ds->ad_facets.v[a->facet_first + j]);
			if (!is_placement(s))
				tmp[k++] = s;
		}
		qsort(tmp, k, sizeof tmp[0], cmp_str);
		ls_ad_audience_t *out = &f->audiences[f->n_audiences++];
		out->ads = au[i].ads;
		out->first = at;
		for (size_t j = 0; j < k; j++)
			if (j == 0 || strcasecmp(tmp[j - 1], tmp[j]) != 0)
				f->audience_facets[at++] = tmp[j];
		out->count = at - out->first;
	}

	/* spend by month: one row per month, currencies as in totals */
	qsort(mr, n, sizeof mr[0], cmp_month);
	for (size_t i = 0; i < n;) {
		ls_ad_month_t *m = &f->months[f->n_months++];
		memset(m, 0, sizeof *m);
		m->month = mr[i].month;
		for (; i < n && mr[i].month == m->month; i++) {
			size_t c = 0;
			while (c < f->totals.n_currencies && strcmp(f->totals.currency[c].code, mr[i].currency))
				c++;
			if (c == f->totals.n_currencies)
				continue; /* beyond LS_AD_MAX_CURRENCIES */
			m->cents[c] += mr[i].cents;
			m->has[c] = 1;
			m->usd += ls_ad_usd(mr[i].currency, mr[i].cents);
		}
	}

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
	for (size_t i = 0; i < nf;) {
		size_t j = i;
		while (j < nf && sids[j] == sids[i])
			j++;
		if (sids[i] != 0) {
			const char *s = ls_strpool_get(&ds->strings, sids[i]);
			const char *colon = strchr(s, ':');
			ls_ad_facet_t *fc = &f->facets[f->n_facets++];
			fc->s = s;
			fc->cat = colon ? (size_t)(colon - s) : strlen(s);
			fc->ads = j - i;
		}
		i = j;
	}
	qsort(f->facets, f->n_facets, sizeof f->facets[0], cmp_facet);
	f->ads = n;
	rc = 0;
done:
	free(sids);
	free(mr);
	free(au);
	free(accts);
	if (rc)
		ls_ad_facts_free(f);
	return rc;
}
