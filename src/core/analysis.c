/* The analysis driver: link -> score -> cluster over a dataset. */
#include "core/analysis.h"
#include "core/ctx.h"
#include "read/reader.h"
#include "extract/behaviour.h"
#include "extract/derived.h"
#include "score/null_ads.h"

#include <string.h>
#include <xxhash.h>

void ls_params_init(ls_params_t *p)
{
	memset(p, 0, sizeof *p);
	p->window = 60;
	p->behaviours = 0;
	/* every behaviour but synchrony: its co-actions grow with the square of
	 * the accounts active in one bin (3x the time and 4x the memory of all
	 * other behaviours together on synth medium), and beyond --max-burst
	 * accounts per bin the burst guard drops the bin; ask for it by name */
	for (const char *const *b = ls_behaviours(); *b; b++)
		p->behaviours |= ls_behaviour_bit(*b);
	p->behaviours &= ~(UINT64_C(1) << LS_BH_SYNCHRONY);
	p->min_weight = 2;
	p->fdr = 0.05;
	p->cluster = LS_CLUSTER_LEIDEN;
	p->resolution = 1.0;
	p->seed = 1;
	p->min_cluster_size = 2;
	p->max_burst = 200;
	p->min_participation = 2;
}

void ls_analysis_release_sorted(const ls_analysis_t *an)
{
	if (an->sorted == NULL)
		return;
	free(an->sorted->t);
	an->sorted->t = NULL;
	an->sorted->have = 0;
}

void ls_analysis_free(ls_analysis_t *an)
{
	if (an == NULL)
		return;
	ls_analysis_release_sorted(an);
	free(an->sorted);
	ls_vec_free(&an->links);
	ls_link_stream_free(an);
	ls_vec_free(&an->pairs);
	ls_vec_free(&an->clusters);
	free(an->component);
	free(an->cluster);
	free(an->degree);
	free(an->strength);
	free(an->account_p);
	free(an->account_q);
	free(an->account_score);
	free(an->flagged);
	free(an->shift);
	free(an);
}

ls_error_t ls_analysis_run(ls_analysis_t **out, const ls_dataset_t *ds, const ls_params_t *p,
                           ls_ctx_t *ctx)
{
	return ls_analysis_run_stream(out, ds, p, LS_LEAN_MIN_BYTES, 0, ctx);
}

ls_error_t ls_analysis_run_stream(ls_analysis_t **out, const ls_dataset_t *ds,
                                  const ls_params_t *p, size_t lean_min_bytes,
                                  size_t group_records, ls_ctx_t *ctx)
{
	*out = NULL;
	if (p->window < 0)
		return ls_fail(ctx, LS_EINVAL, "window must not be negative");
	if (!(p->resolution > 0))
		return ls_fail(ctx, LS_EINVAL, "resolution must be positive");
	if (!(p->fdr > 0 && p->fdr < 1))
		return ls_fail(ctx, LS_EINVAL, "the false discovery rate must be in (0, 1)");
	if (p->has_since && p->has_until && p->since >= p->until)
		return ls_fail(ctx, LS_EINVAL, "--since must be before --until");
	/* The dataset-wide behaviours are a cache completed on first use: the
	 * dataset is logically const here (its posts and read traces do not
	 * change), and it is never a const object (ls_dataset_new allocates). */
	uint64_t missing = p->behaviours & ~ds->extract_mask;
	for (uint32_t b = 0; missing && b < 64; b++)
		if (missing >> b & 1)
			return ls_fail(ctx, LS_EINVAL,
			               "behaviour '%s' was not extracted while reading (read options)",
			               ls_behaviour_name(b));
	ls_error_t derr = ls_dataset_derive((ls_dataset_t *)(uintptr_t)ds, p->behaviours, ctx);
	if (derr)
		return derr;
	ls_analysis_t *an = calloc(1, sizeof *an);
	if (an == NULL)
		return ls_fail(ctx, LS_ENOMEM, "out of memory");
	an->ds = ds;
	an->params = *p;
	an->ads_null = ls_null_ads_mask(ds, p->behaviours);
	ls_error_t err = LS_OK;
	if (p->placebo_days) {
		size_t na = ds->accounts.n;
		uint64_t span = 2 * (uint64_t)p->placebo_days * 86400 + 1;
		an->shift = malloc((na ? na : 1) * sizeof *an->shift);
		if (an->shift == NULL)
			err = ls_fail(ctx, LS_ENOMEM, "out of memory");
		for (size_t a = 0; !err && a < na; a++) {
			const char *key = ls_strpool_get(&ds->strings, ds->accounts.v[a].key);
			uint64_t h = XXH3_64bits_withSeed(key, strlen(key), p->seed);
			an->shift[a] = (int64_t)(h % span) - (int64_t)p->placebo_days * 86400;
		}
	}
	if (!err && p->window_auto) {
		err = ls_window_auto(an, &an->params.window, ctx);
		if (!err)
			ls_diag(ctx, LS_DIAG_PROGRESS, "window chosen from the data: %lld s",
			        (long long)an->params.window);
	}
	/* the link stage builds the lean links the score stage needs, and the
	 * score stage the full records of the links it keeps (all of them
	 * with --all-links, which the link stage then builds at once) */
	an->lean_first = !p->all_links;
	an->lean_min_bytes = lean_min_bytes;
	an->group_records = group_records;
	if (!err)
		err = ls_link_run(an, ctx);
	if (!err)
		err = ls_score_run(an, ctx);
	if (!err)
		err = ls_cluster_run(an, ctx);
	if (!err)
		err = ls_score_clusters(an, ctx);
	if (err) {
		ls_analysis_free(an);
		return err;
	}
	*out = an;
	return LS_OK;
}

void ls_analysis_counts(const ls_analysis_t *an, ls_analysis_counts_t *c)
{
	memset(c, 0, sizeof *c);
	c->coactions = an->coactions;
	c->burst_skipped = an->burst_skipped;
	c->window = an->params.window;
	c->links = an->links_total;
	for (size_t i = 0; i < an->pairs.n; i++)
		c->kept_links += an->pairs.v[i].kept != 0;
	size_t na = an->ds->accounts.n;
	for (size_t a = 0; a < na; a++) {
		c->accounts_linked += an->degree && an->degree[a] > 0;
		c->accounts_clustered += an->cluster && an->cluster[a] > 0;
	}
	c->clusters = an->clusters.n;
}

ls_error_t ls_parse_time(const char *s, int64_t *t)
{
	size_t n = strlen(s);
	char buf[32];
	if (n == 10 && s[4] == '-' && s[7] == '-') { /* a bare date: midnight UTC */
		memcpy(buf, s, 10);
		memcpy(buf + 10, " 00:00:00", 10);
		s = buf;
		n = 19;
	}
	return ls_time_parse(s, n, t) == 0 ? LS_OK : LS_EINVAL;
}
