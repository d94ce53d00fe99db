/*
 * clusters.csv: one row per reported cluster, in id order (size descending,
 * then smallest account), with its internal edges and weight, density
 * (internal edges over possible pairs), the behaviours seen inside it, its
 * active period and its members' keys joined by a space in account-index
 * order. Members are bucketed by one counting sort over the accounts.
 * Time O(accounts + clusters); memory O(accounts + clusters).
 */
#include "core/afile.h"
#include "core/analysis.h"
#include "core/ctx.h"
#include "explain/textout.h"

#include <inttypes.h>
#include <stdlib.h>

ls_error_t ls_write_clusters_csv(const ls_analysis_t *an, const char *path, ls_ctx_t *ctx)
{
	if (an == NULL || path == NULL)
		return ls_fail(ctx, LS_EINVAL, "clusters.csv: no analysis or path");
	const ls_dataset_t *ds = an->ds;
	const ls_strpool_t *sp = &ds->strings;
	size_t na = ds->accounts.n, k = an->clusters.n;
	ls_error_t err = LS_OK;
	ls_afile_t af = {0};
	/* start[c] .. start[c + 1]: members of cluster c (0-based) in order[] */
	size_t *start = calloc(k + 2, sizeof *start);
	uint32_t *order = malloc((na ? na : 1) * sizeof *order);
	if (start == NULL || order == NULL) {
		err = ls_fail(ctx, LS_ENOMEM, "out of memory");
		goto done;
	}
	for (size_t i = 0; i < na && an->cluster; i++) {
		uint32_t c = an->cluster[i];
		if (c > k) {
			err = ls_fail(ctx, LS_EINTERNAL, "account %zu in unknown cluster %" PRIu32, i, c);
			goto done;
		}
		if (c)
			start[c]++;
	}
	for (size_t c = 1; c <= k + 1; c++)
		start[c] += start[c - 1];
	/* start[c] now ends cluster c; fill backwards so order stays ascending */
	for (size_t i = na; i-- > 0 && an->cluster;)
		if (an->cluster[i])
			order[--start[an->cluster[i]]] = (uint32_t)i;

	if ((err = ls_afile_open(&af, path, ctx)) != LS_OK)
		goto done;
	FILE *f = af.f;
	char num[LS_NUMBUF], t1[32], t2[32];
	fputs("cluster,size,component,internal_edges,internal_weight,density,behaviours,"
	      "first_time,last_time,members\n",
	      f);
	for (size_t c = 0; c < k; c++) {
		const ls_cluster_t *cl = &an->clusters.v[c];
		double pairs = (double)cl->size * ((double)cl->size - 1) / 2;
		ls_out_fmt(f, "%" PRIu32 ",%" PRIu32 ",%" PRIu32 ",%" PRIu64 ",%s,", cl->id, cl->size,
		        cl->component, cl->internal_edges, ls_fmt_g6(cl->internal_weight, num));
		ls_out_fmt(f, "%s,", ls_fmt_g6(pairs > 0 ? (double)cl->internal_edges / pairs : 0, num));
		ls_out_behaviour_mask(f, cl->behaviours);
		if (cl->internal_edges)
			ls_out_fmt(f, ",%s,%s,", ls_time_format(cl->first_time, t1, sizeof t1),
			        ls_time_format(cl->last_time, t2, sizeof t2));
		else
			fputs(",,,", f);
		/* members of cluster id c + 1 are order[start[c + 1] .. start[c + 2]) */
		size_t lo = start[c + 1], hi = start[c + 2];
		int quote = 0;
		for (size_t m = lo; m < hi && !quote; m++) {
			ls_sid_t key = ds->accounts.v[order[m]].key;
			quote = ls_csv_needs_quotes(ls_strpool_get(sp, key), ls_strpool_len(sp, key));
		}
		if (quote)
			putc('"', f);
		for (size_t m = lo; m < hi; m++) {
			ls_sid_t key = ds->accounts.v[order[m]].key;
			if (m > lo)
				putc(' ', f);
			ls_out_csv_part(f, ls_strpool_get(sp, key), ls_strpool_len(sp, key));
		}
		if (quote)
			putc('"', f);
		putc('\n', f);
	}
	err = ls_afile_commit(&af, ctx);
done:
	if (err != LS_OK)
		ls_afile_abort(&af);
	free(start);
	free(order);
	return err;
}
