/*
 * --window auto: the co-action window chosen from the data.
 *
 * Rule (a variant of CooRnet's estimate_coord_interval, Giglietto et al.
 * 2020): for every object shared by at least two different accounts, take
 * the time from its first share to the share that reaches half of its
 * shares ("time to half"); the window is the 10% quantile of these times
 * over all objects of the enabled behaviours, in whole seconds, clamped to
 * [resolution, 1 h], where the resolution is 60 s when nine in ten
 * timestamps fall on a whole minute (minute-resolution data) and 1 s
 * otherwise. The fastest tenth of objects reach half their shares within
 * it: co-actions closer than that are at the speed of the quickest organic
 * spread or faster. The rule reads only times, not who shared, so it does
 * not pick a window that flatters any particular group of accounts.
 * Time O(T log T) (one sort per behaviour); memory O(T).
 */
#include "core/analysis.h"
#include "core/ctx.h"
#include "core/radix.h"
#include "core/vec.h"

#include <stdlib.h>

ls_error_t ls_window_auto(ls_analysis_t *an, int64_t *window, ls_ctx_t *ctx)
{
	const ls_dataset_t *ds = an->ds;
	LS_VEC(uint64_t) gaps = {0};
	ls_error_t err = LS_OK;
	for (uint32_t b = 0; b < LS_MAX_BEHAVIOURS && !err; b++) {
		if (!(an->params.behaviours >> b & 1) || ds->traces[b].n < 2)
			continue;
		size_t n = 0;
		ls_trace_t *t = ls_sorted_traces(an, ds->traces[b].v, ds->traces[b].n, &n);
		if (t == NULL)
			return ls_fail(ctx, LS_ENOMEM, "out of memory choosing the window");
		for (size_t s = 0; s < n;) {
			size_t e = s + 1;
			int other = 0;
			while (e < n && t[e].object == t[s].object) {
				other |= t[e].account != t[s].account;
				e++;
			}
			if (other) {
				size_t half = s + (e - s) / 2; /* the share reaching half */
				if (half == s)
					half = s + 1;
				if (ls_vec_push(&gaps, (uint64_t)(t[half].time - t[s].time)))
					err = ls_fail(ctx, LS_ENOMEM, "out of memory choosing the window");
			}
			s = e;
		}
		free(t);
	}
	if (err) {
		ls_vec_free(&gaps);
		return err;
	}
	/* the data's time resolution: minute-resolution data (all seconds :00,
	 * as in the FiveThirtyEight IRA release) cannot resolve less than a
	 * minute, so the window is at least that */
	uint64_t total = 0, whole_minutes = 0;
	for (uint32_t b = 0; b < LS_MAX_BEHAVIOURS; b++) {
		if (!(an->params.behaviours >> b & 1))
			continue;
		for (size_t i = 0; i < ds->traces[b].n; i++) {
			total++;
			whole_minutes += ds->traces[b].v[i].time % 60 == 0;
		}
	}
	int64_t resolution = total && whole_minutes * 10 >= total * 9 ? 60 : 1;
	int64_t w = 60; /* no object shared twice: the default */
	if (gaps.n > 0) {
		uint32_t *order = malloc(gaps.n * sizeof *order);
		if (order == NULL || gaps.n > UINT32_MAX) {
			free(order);
			ls_vec_free(&gaps);
			return ls_fail(ctx, LS_ENOMEM, "out of memory choosing the window");
		}
		for (size_t i = 0; i < gaps.n; i++)
			order[i] = (uint32_t)i;
		if (ls_radix_order_u64(gaps.v, order, gaps.n)) {
			free(order);
			ls_vec_free(&gaps);
			return ls_fail(ctx, LS_ENOMEM, "out of memory choosing the window");
		}
		w = (int64_t)gaps.v[order[(gaps.n - 1) / 10]];
		free(order);
	}
	ls_vec_free(&gaps);
	*window = w < resolution ? resolution : (w > 3600 ? 3600 : w);
	return LS_OK;
}
