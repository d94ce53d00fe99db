/*
 * The ads section of report.html (written only when the inputs hold ads):
 * the campaign in numbers, the spend per month as an inline SVG bar chart
 * (all ads in grey, the clustered pages' ads in colour, converted to US
 * dollars at the stated rate), the targeting facets used most, and one row
 * per page cluster (pages, ads, spend, period, statistics, top audience).
 * The same rules as the rest of the page (report_html.c): every string from
 * the data goes through the XML escaper inside <bdi>; no script, no style
 * attribute, no URL from the data. Facts come from ad_facts.c, the same
 * numbers as ads.json. Cost O(A log A + F log F) per cluster.
 */
#include "core/analysis.h"
#include "core/ctx.h"
#include "explain/explain.h"
#include "explain/textout.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#define ADS_TOP_CATEGORY 5    /* facets per category in the targeting table */
#define ADS_TOP_CATEGORIES 8  /* categories in the targeting table */
#define ADS_MAX_CLUSTERS 50 /* rows of the cluster table */
#define ADS_MAX_PAGES 12    /* pages named per cluster row */

static void bdi(FILE *f, const char *s)
{
	fputs("<bdi>", f);
	ls_out_xml(f, s, strlen(s));
	fputs("</bdi>", f);
}

static void put_day(FILE *f, int64_t t)
{
	char b[32];
	ls_time_format(t, b, sizeof b);
	fwrite(b, 1, 10, f);
}

static void put_usd(FILE *f, double usd)
{
	fprintf(f, "%.2f", usd);
}

static void put_spend(FILE *f, const ls_ad_totals_t *t)
{
	for (size_t c = 0; c < t->n_currencies; c++) {
		fprintf(f, "%s%s ", c ? ", " : "", t->currency[c].code[0] ? t->currency[c].code : "unknown");
		fprintf(f, "%" PRId64 ".%02d", t->currency[c].cents / 100, (int)(t->currency[c].cents % 100));
	}
}

/* Spend per month in US dollars: grey bars for all ads, coloured bars for
 * the ads of clustered pages (stacked on the same scale). */
static void put_spend_chart(FILE *f, const ls_ad_facts_t *all, const double *clustered)
{
	const int W = 900, H = 160, left = 60;
	size_t n = all->n_months;
	if (n == 0)
		return;
	int32_t m0 = all->months[0].month, m1 = all->months[n - 1].month;
	int span = (int)(m1 - m0) + 1;
	double max = 1;
	for (size_t i = 0; i < n; i++)
		if (all->months[i].usd > max)
			max = all->months[i].usd;
	double bw = (double)(W - left) / span;
	fprintf(f, "<svg class=\"spend\" viewBox=\"0 0 %d %d\" width=\"%d\" height=\"%d\" role=\"img\" "
	           "aria-label=\"spend per month\">\n<g fill=\"#c8c8c8\">",
	        W, H + 20, W, H + 20);
	for (size_t i = 0; i < n; i++) {
		long h = (long)(all->months[i].usd / max * (H - 6));
		double x = left + (all->months[i].month - m0) * bw;
		if (h > 0)
			fprintf(f, "<rect x=\"%.1f\" y=\"%ld\" width=\"%.1f\" height=\"%ld\"><title>%04d-%02d: "
			           "USD %.2f</title></rect>",
			        x, H - h, bw * 0.9, h, (int)(all->months[i].month / 12),
			        (int)(all->months[i].month % 12 + 1), all->months[i].usd);
	}
	fputs("</g>\n<g fill=\"#d62728\">", f);
	for (int k = 0; k < span; k++) {
		long h = (long)(clustered[k] / max * (H - 6));
		if (h > 0)
			fprintf(f, "<rect x=\"%.1f\" y=\"%ld\" width=\"%.1f\" height=\"%ld\"/>",
			        left + k * bw + bw * 0.2, H - h, bw * 0.5, h);
	}
	fprintf(f, "</g>\n<g font-size=\"11\" fill=\"#333\"><text x=\"0\" y=\"12\">USD %.0f</text>"
	           "<text x=\"0\" y=\"%d\">0</text>",
	        max, H);
	for (int k = 0; k < span; k++) {
		int32_t mo = m0 + k;
		if (k == 0 || mo % 12 == 0)
			fprintf(f, "<text x=\"%.1f\" y=\"%d\">%04d-%02d</text>", left + k * bw, H + 14,
			        (int)(mo / 12), (int)(mo % 12 + 1));
	}
	fputs("</g>\n</svg>\n", f);
}

typedef struct category {
	size_t first, end; /* its facets: facets[first .. end) */
	uint64_t ads;      /* Σ ads over its facets: how much it is used */
} category_t;

static int cmp_category(const void *x, const void *y)
{
	const category_t *a = x, *b = y;
	if (a->ads != b->ads)
		return a->ads > b->ads ? -1 : 1;
	return a->first < b->first ? -1 : a->first > b->first;
}

/* The ADS_TOP_CATEGORIES categories used most (summed over their facets),
 * placements left out, each with its ADS_TOP_CATEGORY facets used most. */
static int put_targeting(FILE *f, const ls_ad_facts_t *all)
{
	const ls_ad_facet_t *fc = all->facets;
	category_t *cat = malloc((all->n_facets ? all->n_facets : 1) * sizeof *cat);
	if (cat == NULL)
		return -1;
	size_t nc = 0;
	for (size_t i = 0; i < all->n_facets;) {
		size_t j = i;
		uint64_t sum = 0;
		while (j < all->n_facets && fc[j].cat == fc[i].cat &&
		       memcmp(fc[j].s, fc[i].s, fc[i].cat) == 0)
			sum += fc[j++].ads;
		/* placements say where an ad shows, not whom it aims at */
		if (!(fc[i].cat == 10 && memcmp(fc[i].s, "placements", 10) == 0)) {
			cat[nc].first = i;
			cat[nc].end = j;
			cat[nc++].ads = sum;
		}
		i = j;
	}
	qsort(cat, nc, sizeof *cat, cmp_category);
	fputs("<table><tr><th>category</th><th>facet</th><th>ads</th></tr>\n", f);
	for (size_t c = 0; c < nc && c < ADS_TOP_CATEGORIES; c++)
		for (size_t j = cat[c].first; j < cat[c].end && j < cat[c].first + ADS_TOP_CATEGORY; j++) {
			fputs("<tr><td><bdi>", f);
			ls_out_xml(f, fc[j].s, fc[j].cat);
			fputs("</bdi></td><td class=\"txt\">", f);
			bdi(f, fc[j].s + fc[j].cat + (fc[j].s[fc[j].cat] == ':'));
			fprintf(f, "</td><td class=\"n\">%" PRIu64 "</td></tr>\n", fc[j].ads);
		}
	fputs("</table>\n", f);
	if (nc > ADS_TOP_CATEGORIES)
		fprintf(f, "<p class=\"note\">%zu less used categories are in ads.json.</p>\n",
		        nc - ADS_TOP_CATEGORIES);
	free(cat);
	return 0;
}

/* One row of the cluster table. */
static void put_cluster_row(FILE *f, const ls_analysis_t *an, const ls_cluster_t *cl,
                            const ls_ad_facts_t *fa)
{
	const ls_dataset_t *ds = an->ds;
	const unsigned char *rgb = ls_cluster_rgb[(cl->id - 1) % 12];
	fprintf(f, "<tr><td><svg width=\"14\" height=\"14\" viewBox=\"0 0 14 14\"><rect width=\"14\" "
	           "height=\"14\" fill=\"#%02x%02x%02x\"/></svg> <a href=\"#c%" PRIu32 "\">%" PRIu32
	           "</a></td><td class=\"txt\">",
	        rgb[0], rgb[1], rgb[2], cl->id, cl->id);
	size_t named = 0;
	for (size_t a = 0; a < ds->accounts.n; a++) {
		if (an->cluster[a] != cl->id)
			continue;
		if (named++ < ADS_MAX_PAGES) {
			if (named > 1)
				fputs("<br>", f);
			bdi(f, ls_strpool_get(&ds->strings, ds->accounts.v[a].key));
		}
	}
	if (named > ADS_MAX_PAGES)
		fprintf(f, "<br>and %zu more", named - ADS_MAX_PAGES);
	fprintf(f, "</td><td class=\"n\">%" PRIu64 "</td><td class=\"n\">", fa->ads);
	put_spend(f, &fa->totals);
	fputs("<br>in all USD ", f);
	put_usd(f, fa->spend_usd);
	fprintf(f, "</td><td class=\"n\">%" PRIu64 "<br>%" PRIu64 "</td><td>", fa->totals.impressions,
	        fa->totals.clicks);
	if (fa->ads) {
		put_day(f, fa->first);
		fputs(" to ", f);
		put_day(f, fa->last);
	}
	fputs("</td><td>", f);
	ls_out_behaviour_mask(f, cl->behaviours);
	char b1[LS_NUMBUF], b2[LS_NUMBUF];
	fprintf(f, "</td><td class=\"n\">%" PRIu64 " vs %s<br>p = %s</td><td class=\"txt\">",
	        cl->observed, ls_fmt_g6(cl->expected, b1),
	        ls_fmt_g6(an->has_pvalues ? cl->pvalue : 1.0, b2));
	if (fa->n_audiences) {
		const ls_ad_audience_t *au = &fa->audiences[0];
		fprintf(f, "%" PRIu64 " ads: ", au->ads);
		for (size_t j = 0; j < au->count; j++) {
			if (j)
				fputs("; ", f);
			bdi(f, fa->audience_facets[au->first + j]);
		}
	}
	fputs("</td></tr>\n", f);
}

ls_error_t ls_report_ads(FILE *f, const ls_analysis_t *an, ls_ctx_t *ctx)
{
	const ls_dataset_t *ds = an->ds;
	size_t n = ds->ads.n;
	if (n == 0)
		return LS_OK;
	uint32_t *idx = malloc(n * sizeof *idx);
	if (idx == NULL)
		return ls_fail(ctx, LS_ENOMEM, "out of memory writing the ads section");
	for (size_t i = 0; i < n; i++)
		idx[i] = (uint32_t)i;
	ls_ad_facts_t all;
	if (ls_ad_facts_build(&all, ds, idx, n)) {
		free(idx);
		return ls_fail(ctx, LS_ENOMEM, "out of memory writing the ads section");
	}
	int32_t m0 = all.n_months ? all.months[0].month : 0;
	size_t span = all.n_months ? (size_t)(all.months[all.n_months - 1].month - m0) + 1 : 1;
	double *clustered = calloc(span, sizeof *clustered);
	if (clustered == NULL) {
		ls_ad_facts_free(&all);
		free(idx);
		return ls_fail(ctx, LS_ENOMEM, "out of memory writing the ads section");
	}
	uint64_t cl_ads = 0;
	for (size_t i = 0; i < n; i++) {
		const ls_ad_row_t *r = &ds->ads.v[i];
		const ls_post_row_t *p = &ds->posts.v[r->post];
		if (an->cluster && an->cluster[p->account]) {
			cl_ads++;
			clustered[ls_time_month(p->time) - m0] +=
				ls_ad_usd(r->currency, r->spend_cents > 0 ? r->spend_cents : 0);
		}
	}
	fputs("<h2 id=\"ads\">Ads: the campaign</h2>\n<p>", f);
	fprintf(f, "%" PRIu64 " ads by %" PRIu64 " advertisers (%" PRIu64 " ads name no advertiser "
	           "in their landing URL), created ",
	        all.ads, all.advertisers, all.totals.unattributed);
	put_day(f, all.first);
	fputs(" to ", f);
	put_day(f, all.last);
	fputs(". Spend: ", f);
	put_spend(f, &all.totals);
	fputs("; in all USD ", f);
	put_usd(f, all.spend_usd);
	fprintf(f, " at %.4f roubles to the dollar (" LS_RUB_PER_USD_DATE "; " LS_RUB_PER_USD_SOURCE
	           "). Impressions %" PRIu64 ", clicks %" PRIu64 ". The %zu clusters below hold "
	           "%" PRIu64 " of the ads.</p>\n",
	        LS_RUB_PER_USD, all.totals.impressions, all.totals.clicks, an->clusters.n, cl_ads);
	fputs("<h3>Spend per month</h3>\n", f);
	put_spend_chart(f, &all, clustered);
	fputs("<p class=\"note\">Grey: all ads' spend per month of creation (UTC), in US dollars at "
	      "the rate above; red: the ads of pages in clusters.</p>\n",
	      f);
	fputs("<h3>Targeting used most</h3>\n", f);
	if (put_targeting(f, &all)) {
		free(clustered);
		ls_ad_facts_free(&all);
		free(idx);
		return ls_fail(ctx, LS_ENOMEM, "out of memory writing the ads section");
	}
	fputs("<h3>Page clusters</h3>\n", f);
	if (an->clusters.n == 0)
		fputs("<p>No cluster of pages was found.</p>\n", f);
	else
		fputs("<table><tr><th>cluster</th><th>pages</th><th>ads</th><th>spend</th>"
		      "<th>impressions<br>clicks</th><th>period</th><th>behaviours</th>"
		      "<th>observed vs expected</th><th>audience used most</th></tr>\n",
		      f);
	ls_error_t err = LS_OK;
	for (size_t c = 0; c < an->clusters.n && c < ADS_MAX_CLUSTERS; c++) {
		const ls_cluster_t *cl = &an->clusters.v[c];
		size_t k = ls_ad_cluster_ads(an, cl->id, idx);
		ls_ad_facts_t fa;
		if (ls_ad_facts_build(&fa, ds, idx, k)) {
			err = ls_fail(ctx, LS_ENOMEM, "out of memory writing the ads section");
			break;
		}
		put_cluster_row(f, an, cl, &fa);
		ls_ad_facts_free(&fa);
	}
	if (an->clusters.n)
		fputs("</table>\n", f);
	if (an->clusters.n > ADS_MAX_CLUSTERS)
		fprintf(f, "<p class=\"note\">%zu smaller clusters are in ads.json.</p>\n",
		        an->clusters.n - ADS_MAX_CLUSTERS);
	fputs("<p class=\"note\">ads.json has every number of this section, per cluster and "
	      "overall.</p>\n",
	      f);
	free(clustered);
	ls_ad_facts_free(&all);
	free(idx);
	return err;
}
