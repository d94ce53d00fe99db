/*
 * The kept account pairs and the links of kept pairs, found once per write
 * and shared by the writers (explain.h): most runs keep few of their pairs,
 * and each writer scanning every pair and link (120 bytes each, millions of
 * them) cost more than writing its rows.
 *
 * One pass over the pairs gives the kept ones. Pairs and links are both
 * sorted by (a, b) (the link stage writes them so; edges.csv relied on it
 * already), so the links of each kept pair are found by a galloping search
 * forward in the links from the previous kept pair's: in the links' order,
 * the same links a merge of the two lists finds.
 * Time O(pairs + kept pairs * log links); memory O(kept pairs + kept links).
 */
#include "explain/explain.h"
#include "core/ctx.h"

#include <stdlib.h>
#include <string.h>

static int link_before(const ls_link_t *l, uint32_t a, uint32_t b)
{
	return l->a < a || (l->a == a && l->b < b);
}

/* The first link at or after `from` that is not before (a, b). */
static size_t gallop(const ls_analysis_t *an, size_t from, uint32_t a, uint32_t b)
{
	size_t n = an->links.n, lo = from, step = 1, hi = from;
	while (hi < n && link_before(&an->links.v[hi], a, b)) {
		lo = hi + 1;
		hi = step <= n - hi ? hi + step : n;
		step *= 2;
	}
	while (lo < hi) { /* links[lo - 1] is before; links[hi] (if any) is not */
		size_t mid = lo + (hi - lo) / 2;
		if (link_before(&an->links.v[mid], a, b))
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

ls_error_t ls_kept_build(ls_kept_t *k, const ls_analysis_t *an, ls_ctx_t *ctx)
{
	memset(k, 0, sizeof *k);
	size_t np = an->pairs.n;
	for (size_t i = 0; i < np; i++)
		if (an->pairs.v[i].kept && ls_vec_push(&k->pairs, i))
			goto oom;
	size_t at = 0;
	for (size_t j = 0; j < k->pairs.n; j++) {
		const ls_pair_t *p = &an->pairs.v[k->pairs.v[j]];
		at = gallop(an, at, p->a, p->b);
		for (; at < an->links.n && an->links.v[at].a == p->a && an->links.v[at].b == p->b; at++)
			if (ls_vec_push(&k->links, at))
				goto oom;
	}
	return LS_OK;
oom:
	ls_kept_free(k);
	return ls_fail(ctx, LS_ENOMEM, "out of memory");
}

void ls_kept_free(ls_kept_t *k)
{
	if (k == NULL)
		return;
	ls_vec_free(&k->pairs);
	ls_vec_free(&k->links);
}

void ls_kept_counts(const ls_analysis_t *an, const ls_kept_t *k, ls_analysis_counts_t *c)
{
	memset(c, 0, sizeof *c);
	c->coactions = an->coactions;
	c->burst_skipped = an->burst_skipped;
	c->window = an->params.window;
	c->links = an->links_total;
	c->kept_links = k->pairs.n;
	size_t na = an->ds->accounts.n;
	for (size_t a = 0; a < na; a++) {
		c->accounts_linked += an->degree && an->degree[a] > 0;
		c->accounts_clustered += an->cluster && an->cluster[a] > 0;
	}
	c->clusters = an->clusters.n;
}
