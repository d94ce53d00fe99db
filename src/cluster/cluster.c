/*
 * Cluster stage: the kept account pairs form an undirected weighted graph;
 * its connected components, and for LS_CLUSTER_LEIDEN its Leiden
 * communities (modularity objective), become the numbered components and
 * clusters that the explain stage reports.
 *
 * Graph: one node per account with at least one kept pair, in account index
 * order; one edge per kept pair, in pair (a, b) order, weighted by
 * pair.weight. Leiden (Traag, Waltman & van Eck 2019, "From Louvain to
 * Leiden: guaranteeing well-connected communities", Sci. Rep. 9:5233) is
 * run through igraph_community_leiden with node weights = strengths and
 * resolution = params.resolution / (2 * total weight), which makes its
 * quality function Newman-Girvan modularity at that resolution. igraph's
 * RNG is seeded with params.seed; passes (start from the previous
 * membership) repeat until the partition stops changing, at most
 * MAX_LEIDEN_PASSES times, so the work is bounded even on inputs that never
 * settle.
 *
 * Numbering is deterministic and independent of igraph's labels: components
 * and clusters are ranked by size descending, ties by their smallest account
 * index. Clusters below min_cluster_size get id 0 and are not reported;
 * since ranks go by size, the reported clusters are exactly ranks 1..k.
 * A cluster's first_time/last_time span the links of its internal kept
 * pairs (behaviours in the pair's mask); both are 0 when it has no internal
 * edge (a singleton, possible only with min_cluster_size <= 1).
 *
 * Cost, for A accounts, N network nodes, P pairs, E kept pairs, L links and
 * C groups: O(A + P + L + C log C) outside igraph; components O(N + E);
 * Leiden about O(passes * (N + E)) per pass in practice. Memory O(A + E).
 */
#include "cluster/igraph_guard.h"
#include "core/analysis.h"
#include "core/ctx.h"

#include <igraph.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#define MAX_LEIDEN_PASSES 100
#define LEIDEN_BETA 0.01 /* igraph's default randomness of the refinement */

/* A group (component or community) to be ranked. */
typedef struct group {
	igraph_integer_t label; /* igraph's label */
	igraph_integer_t size;
	igraph_integer_t first; /* smallest node (= smallest account) */
} group_t;

static int group_cmp(const void *x, const void *y)
{
	const group_t *a = x, *b = y;
	if (a->size != b->size)
		return a->size > b->size ? -1 : 1;
	return (a->first > b->first) - (a->first < b->first);
}

/*
 * Ranks the groups of `memb` (labels 0..n-1 over n nodes) by size desc, then
 * smallest node. Writes rank[label] (1-based; labels that do not occur keep
 * 0) and the group sizes in rank order to sizes[0..*count). rank and sizes
 * hold n entries. Returns 0 or -1 (out of memory or a label out of range).
 */
static int rank_groups(const igraph_vector_int_t *memb, igraph_integer_t n, uint32_t *rank,
                       uint32_t *sizes, uint32_t *count)
{
	group_t *g = calloc((size_t)n, sizeof *g);
	if (g == NULL)
		return -1;
	for (igraph_integer_t i = 0; i < n; i++)
		g[i].first = -1;
	for (igraph_integer_t v = 0; v < n; v++) {
		igraph_integer_t l = VECTOR(*memb)[v];
		if (l < 0 || l >= n) {
			free(g);
			return -1;
		}
		if (g[l].size++ == 0)
			g[l].first = v;
		g[l].label = l;
	}
	size_t k = 0;
	for (igraph_integer_t l = 0; l < n; l++)
		if (g[l].size > 0)
			g[k++] = g[l];
	qsort(g, k, sizeof *g, group_cmp);
	memset(rank, 0, (size_t)n * sizeof *rank);
	for (size_t r = 0; r < k; r++) {
		rank[g[r].label] = (uint32_t)(r + 1);
		sizes[r] = (uint32_t)g[r].size;
	}
	*count = (uint32_t)k;
	free(g);
	return 0;
}

/* Relabels `memb` in place by order of first appearance, so that two equal
 * partitions compare equal whatever igraph's labels. `map` has n entries. */
static void canonicalise(igraph_vector_int_t *memb, igraph_integer_t n, igraph_integer_t *map)
{
	for (igraph_integer_t i = 0; i < n; i++)
		map[i] = -1;
	igraph_integer_t next = 0;
	for (igraph_integer_t v = 0; v < n; v++) {
		igraph_integer_t l = VECTOR(*memb)[v];
		if (map[l] < 0)
			map[l] = next++;
		VECTOR(*memb)[v] = map[l];
	}
}

static uint64_t pair_key(uint32_t a, uint32_t b)
{
	return (uint64_t)a << 32 | b;
}

/* Frees the outputs of an earlier run so that the stage can be re-run. */
static void reset_outputs(ls_analysis_t *an)
{
	free(an->component);
	free(an->cluster);
	free(an->degree);
	free(an->strength);
	an->component = an->cluster = an->degree = NULL;
	an->strength = NULL;
	an->clusters.n = 0;
	an->n_components = 0;
}

/* Checks what igraph would not: indexes in range, usable weights. */
static ls_error_t check_input(const ls_analysis_t *an, ls_ctx_t *ctx)
{
	const ls_params_t *p = &an->params;
	size_t na = an->ds->accounts.n;
	if (p->cluster != LS_CLUSTER_LEIDEN && p->cluster != LS_CLUSTER_COMPONENTS)
		return ls_fail(ctx, LS_EINVAL, "unknown cluster method %d", (int)p->cluster);
	/* igraph's Leiden loops forever on a NaN resolution: refuse it here. */
	if (p->cluster == LS_CLUSTER_LEIDEN && !(isfinite(p->resolution) && p->resolution > 0))
		return ls_fail(ctx, LS_EINVAL, "resolution must be a positive finite number");
	if (na >= UINT32_MAX)
		return ls_fail(ctx, LS_ELIMIT, "too many accounts to cluster");
	for (size_t i = 0; i < an->pairs.n; i++) {
		const ls_pair_t *pr = &an->pairs.v[i];
		if (!pr->kept)
			continue;
		if (pr->a >= pr->b || pr->b >= na)
			return ls_fail(ctx, LS_EINTERNAL, "pair (%u, %u) out of range", pr->a, pr->b);
		if (!(isfinite(pr->weight) && pr->weight > 0))
			return ls_fail(ctx, LS_EINVAL, "pair (%u, %u) has weight %g; must be positive",
			               pr->a, pr->b, pr->weight);
	}
	return LS_OK;
}

/* Fills an->clusters from an->cluster: sizes, component, internal edges,
 * weight, behaviours (from kept internal pairs) and first/last time (from
 * the links of those pairs whose behaviour is in the pair's mask). */
static ls_error_t cluster_stats(ls_analysis_t *an, const uint32_t *sizes, uint32_t k,
                                ls_ctx_t *ctx)
{
	size_t na = an->ds->accounts.n;
	if (ls_vec_reserve(&an->clusters, k))
		return ls_fail(ctx, LS_ENOMEM, "out of memory");
	unsigned char *has_time = calloc(k ? k : 1, 1);
	if (has_time == NULL)
		return ls_fail(ctx, LS_ENOMEM, "out of memory");
	for (uint32_t c = 0; c < k; c++) {
		ls_cluster_t cl = {0};
		cl.id = c + 1;
		cl.size = sizes[c];
		an->clusters.v[c] = cl;
	}
	an->clusters.n = k;
	for (size_t acc = 0; acc < na; acc++) {
		uint32_t c = an->cluster[acc];
		if (c && an->clusters.v[c - 1].component == 0)
			an->clusters.v[c - 1].component = an->component[acc];
	}
	const ls_link_t *lk = an->links.v;
	size_t nl = an->links.n, j = 0;
	for (size_t i = 0; i < an->pairs.n; i++) {
		const ls_pair_t *pr = &an->pairs.v[i];
		uint64_t key = pair_key(pr->a, pr->b);
		while (j < nl && pair_key(lk[j].a, lk[j].b) < key)
			j++;
		if (!pr->kept)
			continue;
		uint32_t c = an->cluster[pr->a];
		if (c == 0 || c != an->cluster[pr->b])
			continue;
		ls_cluster_t *cl = &an->clusters.v[c - 1];
		cl->internal_edges++;
		cl->internal_weight += pr->weight;
		cl->behaviours |= pr->behaviours;
		for (size_t t = j; t < nl && lk[t].a == pr->a && lk[t].b == pr->b; t++) {
			if (lk[t].behaviour >= 32 || !(pr->behaviours >> lk[t].behaviour & 1u))
				continue;
			if (!has_time[c - 1] || lk[t].first_time < cl->first_time)
				cl->first_time = lk[t].first_time;
			if (!has_time[c - 1] || lk[t].last_time > cl->last_time)
				cl->last_time = lk[t].last_time;
			has_time[c - 1] = 1;
		}
	}
	free(has_time);
	return LS_OK;
}

ls_error_t ls_cluster_run(ls_analysis_t *an, ls_ctx_t *ctx)
{
	ls_error_t err = LS_OK;
	igraph_error_t ie = IGRAPH_SUCCESS;
	ls_igraph_guard_t guard;
	int guarded = 0, have_graph = 0, have_edges = 0, have_w = 0, have_nw = 0;
	int have_cmemb = 0, have_lmemb = 0, have_prev = 0;
	igraph_t graph;
	igraph_vector_int_t edges, cmemb, lmemb, prev;
	igraph_vector_t w, nw;
	uint32_t *node_of = NULL, *acc_of = NULL, *rank = NULL, *sizes = NULL;
	igraph_integer_t *map = NULL;

	reset_outputs(an);
	if ((err = check_input(an, ctx)) != LS_OK)
		return err;
	const ls_params_t *p = &an->params;
	size_t na = an->ds->accounts.n, alloc_n = na ? na : 1;
	an->component = calloc(alloc_n, sizeof *an->component);
	an->cluster = calloc(alloc_n, sizeof *an->cluster);
	an->degree = calloc(alloc_n, sizeof *an->degree);
	an->strength = calloc(alloc_n, sizeof *an->strength);
	node_of = malloc(alloc_n * sizeof *node_of);
	if (!an->component || !an->cluster || !an->degree || !an->strength || !node_of)
		goto oom;

	size_t n_edges = 0;
	double total = 0;
	for (size_t i = 0; i < an->pairs.n; i++) {
		const ls_pair_t *pr = &an->pairs.v[i];
		if (!pr->kept)
			continue;
		an->degree[pr->a]++;
		an->degree[pr->b]++;
		an->strength[pr->a] += pr->weight;
		an->strength[pr->b] += pr->weight;
		total += pr->weight;
		n_edges++;
	}
	igraph_integer_t n = 0;
	for (size_t acc = 0; acc < na; acc++)
		node_of[acc] = an->degree[acc] ? (uint32_t)n++ : LS_NONE;
	if (n == 0)
		goto done;
	acc_of = malloc((size_t)n * sizeof *acc_of);
	rank = malloc((size_t)n * sizeof *rank);
	sizes = malloc((size_t)n * sizeof *sizes);
	map = malloc((size_t)n * sizeof *map);
	if (!acc_of || !rank || !sizes || !map)
		goto oom;
	for (size_t acc = 0; acc < na; acc++)
		if (node_of[acc] != LS_NONE)
			acc_of[node_of[acc]] = (uint32_t)acc;

	ls_igraph_guard_begin(&guard);
	guarded = 1;
	if ((ie = igraph_vector_int_init(&edges, (igraph_integer_t)(2 * n_edges))) != IGRAPH_SUCCESS)
		goto igraph_failed;
	have_edges = 1;
	if ((ie = igraph_vector_init(&w, (igraph_integer_t)n_edges)) != IGRAPH_SUCCESS)
		goto igraph_failed;
	have_w = 1;
	for (size_t i = 0, e = 0; i < an->pairs.n; i++) {
		const ls_pair_t *pr = &an->pairs.v[i];
		if (!pr->kept)
			continue;
		VECTOR(edges)[2 * e] = node_of[pr->a];
		VECTOR(edges)[2 * e + 1] = node_of[pr->b];
		VECTOR(w)[e] = pr->weight;
		e++;
	}
	if ((ie = igraph_create(&graph, &edges, n, IGRAPH_UNDIRECTED)) != IGRAPH_SUCCESS)
		goto igraph_failed;
	have_graph = 1;

	/* Components. */
	if ((ie = igraph_vector_int_init(&cmemb, n)) != IGRAPH_SUCCESS)
		goto igraph_failed;
	have_cmemb = 1;
	igraph_integer_t ncomp = 0;
	ie = igraph_connected_components(&graph, &cmemb, NULL, &ncomp, IGRAPH_WEAK);
	if (ie != IGRAPH_SUCCESS)
		goto igraph_failed;
	uint32_t count = 0;
	if (rank_groups(&cmemb, n, rank, sizes, &count))
		goto oom;
	for (igraph_integer_t v = 0; v < n; v++)
		an->component[acc_of[v]] = rank[VECTOR(cmemb)[v]];
	an->n_components = count;

	/* Communities. */
	const igraph_vector_int_t *memb = &cmemb;
	if (p->cluster == LS_CLUSTER_LEIDEN) {
		if ((ie = igraph_vector_init(&nw, n)) != IGRAPH_SUCCESS)
			goto igraph_failed;
		have_nw = 1;
		for (igraph_integer_t v = 0; v < n; v++)
			VECTOR(nw)[v] = an->strength[acc_of[v]];
		if ((ie = igraph_vector_int_init(&lmemb, n)) != IGRAPH_SUCCESS)
			goto igraph_failed;
		have_lmemb = 1;
		if ((ie = igraph_vector_int_init(&prev, n)) != IGRAPH_SUCCESS)
			goto igraph_failed;
		have_prev = 1;
		igraph_rng_seed(igraph_rng_default(), (igraph_uint_t)p->seed);
		double gamma = p->resolution / (2 * total);
		int pass = 0, settled = 0;
		for (; pass < MAX_LEIDEN_PASSES && !settled; pass++) {
			ie = igraph_community_leiden(&graph, &w, &nw, gamma, LEIDEN_BETA, pass > 0, 1,
			                             &lmemb, NULL, NULL);
			if (ie != IGRAPH_SUCCESS)
				goto igraph_failed;
			canonicalise(&lmemb, n, map);
			settled = pass > 0 && igraph_vector_int_all_e(&lmemb, &prev);
			if ((ie = igraph_vector_int_update(&prev, &lmemb)) != IGRAPH_SUCCESS)
				goto igraph_failed;
		}
		ls_diag(ctx, LS_DIAG_PROGRESS, "leiden: %d passes%s", pass,
		        settled ? "" : ", stopped before the partition settled");
		memb = &lmemb;
	}
	if (rank_groups(memb, n, rank, sizes, &count))
		goto oom;
	uint32_t min = p->min_cluster_size, k = 0;
	while (k < count && sizes[k] >= min)
		k++;
	for (igraph_integer_t v = 0; v < n; v++) {
		uint32_t r = rank[VECTOR(*memb)[v]];
		an->cluster[acc_of[v]] = r <= k ? r : 0;
	}
	err = cluster_stats(an, sizes, k, ctx);
	goto done;

igraph_failed:
	err = ls_igraph_fail(ctx, ie);
	goto done;
oom:
	err = ls_fail(ctx, LS_ENOMEM, "out of memory clustering");
done:
	if (have_prev)
		igraph_vector_int_destroy(&prev);
	if (have_lmemb)
		igraph_vector_int_destroy(&lmemb);
	if (have_nw)
		igraph_vector_destroy(&nw);
	if (have_cmemb)
		igraph_vector_int_destroy(&cmemb);
	if (have_graph)
		igraph_destroy(&graph);
	if (have_w)
		igraph_vector_destroy(&w);
	if (have_edges)
		igraph_vector_int_destroy(&edges);
	if (guarded)
		ls_igraph_guard_end(&guard);
	free(node_of);
	free(acc_of);
	free(rank);
	free(sizes);
	free(map);
	if (err != LS_OK)
		reset_outputs(an);
	return err;
}
