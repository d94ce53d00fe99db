/*
 * ads.json: the campaign facts of a run whose inputs hold ads (ad-library
 * formats fill the dataset's ad side table, core/dataset.h). Written only
 * when there are ads.
 *
 * For all ads ("overall") and for every reported cluster (its members'
 * ads) the facts of ad_facts.c: ads and advertisers, spend per currency
 * (exact, in hundredths, and per month as reals) and converted to US
 * dollars at one stated rate ("conversion"), impressions and clicks, the
 * period, the targeting facets used most per category (at most
 * LS_AD_TOP_FACETS) and the audiences (at most LS_AD_TOP_AUDIENCES). Each
 * cluster also has its statistics (observed, expected, p-value,
 * significance, behaviours on its edges) and its pages (ads, spend, period
 * of each); "null" names the behaviours scored by the ads null
 * (score/null_ads.h).
 *
 * Canonical JSON (jsonw.h: sorted keys, shortest round-trip reals).
 */
#include "core/afile.h"
#include "core/analysis.h"
#include "core/ctx.h"
#include "explain/explain.h"
#include "explain/jsonw.h"
#include "read/reader.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void month_key(int32_t mo, char *key, size_t cap)
{
	snprintf(key, cap, "%04d-%02d", (int)(mo / 12), (int)(mo % 12 + 1));
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

/* Writes the facts of one group, the ads ads[0..n), as an object. */
static void put_group(ls_jw_t *w, const ls_ad_facts_t *f, const ls_dataset_t *ds,
                      const uint32_t *ads, size_t n)
{
	const ls_ad_totals_t *t = &f->totals;
	ls_jw_obj(w);
	ls_jw_ku64(w, "ads", f->ads);
	ls_jw_ku64(w, "advertisers", f->advertisers);
	ls_jw_key(w, "audiences");
	ls_jw_arr(w);
	for (size_t i = 0; i < f->n_audiences; i++) {
		const ls_ad_audience_t *a = &f->audiences[i];
		ls_jw_obj(w);
		ls_jw_ku64(w, "ads", a->ads);
		ls_jw_key(w, "facets");
		ls_jw_arr(w);
		for (size_t j = 0; j < a->count; j++)
			ls_jw_str(w, f->audience_facets[a->first + j]);
		ls_jw_end(w);
		ls_jw_end(w);
	}
	ls_jw_end(w);
	ls_jw_ku64(w, "clicks", t->clicks);
	if (f->ads)
		ls_jw_ktime(w, "first_ad", f->first);
	ls_jw_ku64(w, "impressions", t->impressions);
	put_upper(w, ds, ads, n, t, 0);
	if (f->ads)
		ls_jw_ktime(w, "last_ad", f->last);
	char key[16];
	ls_jw_key(w, "spend_by_month");
	ls_jw_obj(w);
	for (size_t i = 0; i < f->n_months; i++) {
		month_key(f->months[i].month, key, sizeof key);
		ls_jw_key(w, key);
		ls_jw_obj(w);
		for (size_t c = 0; c < t->n_currencies; c++)
			if (f->months[i].has[c])
				ls_jw_kreal(w, t->currency[c].code[0] ? t->currency[c].code : "unknown",
				            (double)f->months[i].cents[c] / 100.0);
		ls_jw_end(w);
	}
	ls_jw_end(w);
	ls_jw_key(w, "spend_cents");
	ls_jw_obj(w);
	for (size_t c = 0; c < t->n_currencies; c++)
		ls_jw_ki64(w, t->currency[c].code[0] ? t->currency[c].code : "unknown", t->currency[c].cents);
	ls_jw_end(w);
	put_upper(w, ds, ads, n, t, 1);
	ls_jw_kreal(w, "spend_usd", ls_ad_round_cents(f->spend_usd));
	ls_jw_key(w, "spend_usd_by_month");
	ls_jw_obj(w);
	for (size_t i = 0; i < f->n_months; i++) {
		month_key(f->months[i].month, key, sizeof key);
		ls_jw_kreal(w, key, ls_ad_round_cents(f->months[i].usd));
	}
	ls_jw_end(w);
	ls_jw_key(w, "targeting");
	ls_jw_obj(w);
	for (size_t i = 0; i < f->n_facets;) {
		const ls_ad_facet_t *fc = f->facets;
		char cat[64];
		size_t cl = fc[i].cat < sizeof cat - 1 ? fc[i].cat : sizeof cat - 1;
		memcpy(cat, fc[i].s, cl);
		cat[cl] = '\0';
		ls_jw_key(w, cat);
		ls_jw_arr(w);
		size_t j = i, shown = 0;
		while (j < f->n_facets && fc[j].cat == fc[i].cat && memcmp(fc[j].s, fc[i].s, fc[i].cat) == 0) {
			if (shown++ < LS_AD_TOP_FACETS) {
				ls_jw_obj(w);
				ls_jw_ku64(w, "ads", fc[j].ads);
				ls_jw_kstr(w, "value", fc[j].s + fc[j].cat + (fc[j].s[fc[j].cat] == ':'));
				ls_jw_end(w);
			}
			j++;
		}
		ls_jw_end(w);
		i = j;
	}
	ls_jw_end(w);
	ls_jw_ku64(w, "unattributed", t->unattributed);
	ls_jw_end(w);
}

size_t ls_ad_cluster_ads(const ls_analysis_t *an, uint32_t id, uint32_t *idx)
{
	const ls_dataset_t *ds = an->ds;
	size_t k = 0;
	for (size_t i = 0; i < ds->ads.n; i++)
		if (an->cluster && an->cluster[ds->posts.v[ds->ads.v[i].post].account] == id)
			idx[k++] = (uint32_t)i;
	return k;
}

/* The pages of one cluster: ads, first and last ad, spend in US dollars,
 * in account order. idx holds the cluster's ads (by post, so by page
 * within equal pages only in reading order: grouped here by account). */
static void put_pages(ls_jw_t *w, const ls_analysis_t *an, uint32_t id, const uint32_t *idx,
                      size_t k)
{
	const ls_dataset_t *ds = an->ds;
	ls_jw_key(w, "pages");
	ls_jw_arr(w);
	for (size_t a = 0; a < ds->accounts.n; a++) {
		if (an->cluster[a] != id)
			continue;
		uint64_t ads = 0;
		double spend = 0;
		int64_t first = INT64_MAX, last = INT64_MIN;
		for (size_t i = 0; i < k; i++) {
			const ls_ad_row_t *r = &ds->ads.v[idx[i]];
			const ls_post_row_t *p = &ds->posts.v[r->post];
			if (p->account != a)
				continue;
			ads++;
			spend += ls_ad_usd(r->currency, r->spend_cents > 0 ? r->spend_cents : 0);
			first = p->time < first ? p->time : first;
			last = p->time > last ? p->time : last;
		}
		ls_jw_obj(w);
		ls_jw_ku64(w, "ads", ads);
		if (ads)
			ls_jw_ktime(w, "first_ad", first);
		if (ads)
			ls_jw_ktime(w, "last_ad", last);
		ls_jw_kstr(w, "page", ls_strpool_get(&ds->strings, ds->accounts.v[a].key));
		ls_jw_kreal(w, "spend_usd", ls_ad_round_cents(spend));
		ls_jw_end(w);
	}
	ls_jw_end(w);
}

static void put_behaviours(ls_jw_t *w, const char *key, uint64_t mask)
{
	ls_jw_key(w, key);
	ls_jw_arr(w);
	for (uint32_t b = 0; b < LS_MAX_BEHAVIOURS; b++)
		if (mask >> b & 1)
			ls_jw_str(w, ls_behaviour_name(b));
	ls_jw_end(w);
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
		const ls_cluster_t *cl = &an->clusters.v[c];
		size_t k = ls_ad_cluster_ads(an, cl->id, idx);
		ls_ad_facts_t f;
		if (ls_ad_facts_build(&f, ds, idx, k)) {
			oom = 1;
			break;
		}
		ls_jw_obj(&w);
		put_behaviours(&w, "behaviours", cl->behaviours);
		ls_jw_kreal(&w, "expected", cl->expected);
		ls_jw_key(&w, "facts");
		put_group(&w, &f, ds, idx, k);
		ls_ad_facts_free(&f);
		ls_jw_ku64(&w, "id", cl->id);
		ls_jw_key(&w, "members");
		ls_jw_arr(&w);
		for (size_t a = 0; a < ds->accounts.n; a++)
			if (an->cluster[a] == cl->id)
				ls_jw_str(&w, ls_strpool_get(&ds->strings, ds->accounts.v[a].key));
		ls_jw_end(&w);
		ls_jw_ku64(&w, "observed", cl->observed);
		put_pages(&w, an, cl->id, idx, k);
		ls_jw_kreal(&w, "pvalue", an->has_pvalues ? cl->pvalue : 1.0);
		ls_jw_kreal(&w, "significance", an->has_pvalues ? cl->significance : 0.0);
		ls_jw_end(&w);
	}
	ls_jw_end(&w);
	ls_jw_key(&w, "conversion");
	ls_jw_obj(&w);
	ls_jw_kstr(&w, "date", LS_RUB_PER_USD_DATE);
	ls_jw_kreal(&w, "rub_per_usd", LS_RUB_PER_USD);
	ls_jw_kstr(&w, "source", LS_RUB_PER_USD_SOURCE);
	ls_jw_end(&w);
	ls_jw_key(&w, "null");
	ls_jw_obj(&w);
	put_behaviours(&w, "ads", an->ads_null & an->params.behaviours);
	put_behaviours(&w, "hour_of_day", an->params.behaviours & ~(uint64_t)an->ads_null);
	ls_jw_end(&w);
	for (size_t i = 0; i < n; i++)
		idx[i] = (uint32_t)i;
	ls_jw_key(&w, "overall");
	ls_ad_facts_t all;
	if (!oom && ls_ad_facts_build(&all, ds, idx, n) == 0) {
		put_group(&w, &all, ds, idx, n);
		ls_ad_facts_free(&all);
	} else {
		oom = 1;
	}
	ls_jw_end(&w);
	ls_jw_finish(&w);
	free(idx);
	if (oom) {
		ls_afile_abort(&af);
		return ls_fail(ctx, LS_ENOMEM, "ads.json: out of memory");
	}
	return ls_afile_commit(&af, ctx);
}
