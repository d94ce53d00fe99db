/* The ads null: a month-stratified configuration model of the page-object
 * incidences (see null_ads.h and docs/METHODS.md section 8). */
#include "score/null_ads.h"
#include "core/ctx.h"
#include "core/radix.h"
#include "extract/behaviour.h"

#include <stdlib.h>
#include <string.h>

uint32_t ls_null_ads_mask(const ls_dataset_t *ds, uint64_t behaviours)
{
	if (ds->ads.n == 0)
		return 0;
	uint64_t m = ds->ads.n == ds->posts.n
	                     ? behaviours
	                     : behaviours & (UINT64_C(1) << LS_BH_COTARGETING | UINT64_C(1) << LS_BH_ADLAUNCH);
	return (uint32_t)(m & ((UINT64_C(1) << LS_MAX_BEHAVIOURS) - 1));
}

/* Counts for one behaviour: per account, per month stratum. */
static ls_error_t build_behaviour(ls_null_ads_t *na, const ls_analysis_t *an, uint32_t b,
                                  ls_ctx_t *ctx)
{
	const ls_dataset_t *ds = an->ds;
	size_t na_ = ds->accounts.n, n = 0;
	ls_trace_t *t = ls_sorted_traces(an, ds->traces[b].v, ds->traces[b].n, &n);
	int32_t *month = NULL;
	double *slots = NULL, *total = NULL;
	uint64_t *keys = NULL;
	uint32_t *order = NULL;
	ls_error_t err = LS_OK;
	if (t == NULL)
		return ls_fail(ctx, LS_ENOMEM, "out of memory building the ads null");
	int oom = 0;
	n = ls_incidences(t, n, na_, &oom);
	if (oom || n > UINT32_MAX)
		goto fail;
	month = malloc((n ? n : 1) * sizeof *month);
	keys = malloc((n ? n : 1) * sizeof *keys);
	order = malloc((n ? n : 1) * sizeof *order);
	if (!month || !keys || !order)
		goto fail;
	/* the stratum of an object is the month of its earliest incidence
	 * (the first of its run) */
	int32_t m0 = INT32_MAX, m1 = INT32_MIN;
	for (size_t s = 0; s < n;) {
		size_t e = s + 1;
		while (e < n && t[e].object == t[s].object)
			e++;
		int32_t m = ls_time_month(t[s].time);
		for (size_t i = s; i < e; i++)
			month[i] = m;
		m0 = m < m0 ? m : m0;
		m1 = m > m1 ? m : m1;
		s = e;
	}
	size_t nm = n ? (size_t)(m1 - m0) + 1 : 1;
	slots = calloc(nm, sizeof *slots);
	total = calloc(nm, sizeof *total);
	if (!slots || !total)
		goto fail;
	for (size_t s = 0; s < n;) {
		size_t e = s + 1;
		while (e < n && t[e].object == t[s].object)
			e++;
		double k = (double)(e - s);
		slots[month[s] - m0] += k * (k - 1);
		total[month[s] - m0] += k;
		s = e;
	}
	/* incidences ordered by (account, month): runs are the CSR entries */
	for (size_t i = 0; i < n; i++) {
		keys[i] = (uint64_t)(month[i] - m0);
		order[i] = (uint32_t)i;
	}
	if (ls_radix_order_u64(keys, order, n))
		goto fail;
	for (size_t i = 0; i < n; i++)
		keys[i] = t[i].account;
	if (ls_radix_order_u64(keys, order, n))
		goto fail;
	na->start[b] = calloc(na_ + 1, sizeof *na->start[b]);
	na->entry[b] = malloc((n ? n : 1) * sizeof *na->entry[b]);
	if (!na->start[b] || !na->entry[b])
		goto fail;
	size_t ne = 0;
	for (size_t k = 0; k < n;) {
		uint32_t a = t[order[k]].account;
		int32_t m = month[order[k]];
		size_t j = k;
		while (j < n && t[order[j]].account == a && month[order[j]] == m)
			j++;
		ls_null_ads_entry_t en = {m - m0, (float)((double)(j - k) / total[m - m0]),
		                          (float)slots[m - m0]};
		na->entry[b][ne++] = en;
		na->start[b][a + 1]++;
		k = j;
	}
	for (size_t a = 0; a < na_; a++)
		na->start[b][a + 1] += na->start[b][a];
	goto done;
fail:
	err = ls_fail(ctx, LS_ENOMEM, "out of memory building the ads null");
done:
	free(t);
	free(month);
	free(slots);
	free(total);
	free(keys);
	free(order);
	return err;
}

ls_error_t ls_null_ads_build(ls_null_ads_t *na, const ls_analysis_t *an, ls_ctx_t *ctx)
{
	memset(na, 0, sizeof *na);
	for (uint32_t b = 0; b < LS_MAX_BEHAVIOURS; b++) {
		if (!(an->ads_null >> b & 1) || !(an->params.behaviours >> b & 1))
			continue;
		ls_error_t err = build_behaviour(na, an, b, ctx);
		if (err) {
			ls_null_ads_destroy(na);
			return err;
		}
	}
	return LS_OK;
}

void ls_null_ads_destroy(ls_null_ads_t *na)
{
	for (size_t b = 0; b < LS_MAX_BEHAVIOURS; b++) {
		free(na->start[b]);
		free(na->entry[b]);
		na->start[b] = NULL;
		na->entry[b] = NULL;
	}
}

double ls_null_ads_expected(const ls_null_ads_t *na, uint32_t b, uint32_t a1, uint32_t a2)
{
	if (na->start[b] == NULL)
		return 0;
	const ls_null_ads_entry_t *e = na->entry[b];
	size_t i = na->start[b][a1], ie = na->start[b][a1 + 1];
	size_t j = na->start[b][a2], je = na->start[b][a2 + 1];
	double sum = 0;
	while (i < ie && j < je) {
		if (e[i].stratum < e[j].stratum)
			i++;
		else if (e[i].stratum > e[j].stratum)
			j++;
		else {
			sum += (double)e[i].slots * (double)e[i].share * (double)e[j].share;
			i++;
			j++;
		}
	}
	return sum;
}
