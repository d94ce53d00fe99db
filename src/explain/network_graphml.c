/*
 * network.graphml: the clustered network (accounts with at least one kept
 * pair, and the kept pairs) as GraphML that networkx.read_graphml and R
 * igraph's read_graph(format = "graphml") load unmodified.
 *
 * Nodes are "n<account index>" in index order; edges follow the pair order.
 * Attribute types are limited to the ones both readers know (string, int,
 * long, double). No attribute is called "id" or "name", which R igraph
 * treats specially. Component and cluster are 0 when none; empty handles
 * are omitted (networkx drops empty string data anyway). Doubles are
 * written shortest-round-trip so that weights read back exactly. Strings
 * are escaped for XML 1.0 (see textout.h): account names are hostile input.
 * Time O(accounts + kept pairs) (ex->kept, kept.c); memory O(1) beyond
 * stdio's buffer.
 */
#include "core/afile.h"
#include "core/analysis.h"
#include "core/ctx.h"
#include "explain/explain.h"
#include "explain/textout.h"

#include <inttypes.h>

static const char header[] =
	"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
	"<graphml xmlns=\"http://graphml.graphdrawing.org/xmlns\""
	" xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\""
	" xsi:schemaLocation=\"http://graphml.graphdrawing.org/xmlns"
	" http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd\">\n"
	"  <key id=\"account\" for=\"node\" attr.name=\"account\" attr.type=\"string\"/>\n"
	"  <key id=\"handle\" for=\"node\" attr.name=\"handle\" attr.type=\"string\"/>\n"
	"  <key id=\"posts\" for=\"node\" attr.name=\"posts\" attr.type=\"long\"/>\n"
	"  <key id=\"degree\" for=\"node\" attr.name=\"degree\" attr.type=\"long\"/>\n"
	"  <key id=\"strength\" for=\"node\" attr.name=\"strength\" attr.type=\"double\"/>\n"
	"  <key id=\"component\" for=\"node\" attr.name=\"component\" attr.type=\"long\"/>\n"
	"  <key id=\"cluster\" for=\"node\" attr.name=\"cluster\" attr.type=\"long\"/>\n"
	"  <key id=\"weight\" for=\"edge\" attr.name=\"weight\" attr.type=\"double\"/>\n"
	"  <key id=\"objects\" for=\"edge\" attr.name=\"objects\" attr.type=\"long\"/>\n"
	"  <key id=\"coactions\" for=\"edge\" attr.name=\"coactions\" attr.type=\"long\"/>\n"
	"  <key id=\"behaviours\" for=\"edge\" attr.name=\"behaviours\" attr.type=\"string\"/>\n"
	"  <graph id=\"lockstep\" edgedefault=\"undirected\">\n";

ls_error_t ls_write_graphml(const ls_analysis_t *an, const char *path, ls_ctx_t *ctx)
{
	return ls_explain_alone(an, ls_write_graphml_ex, path, ctx);
}

ls_error_t ls_write_graphml_ex(const ls_explain_t *ex, const char *path, ls_ctx_t *ctx)
{
	const ls_analysis_t *an = ex->an;
	const ls_kept_t *kp = ex->kept;
	if (an == NULL || path == NULL)
		return ls_fail(ctx, LS_EINVAL, "network.graphml: no analysis or path");
	const ls_dataset_t *ds = an->ds;
	const ls_strpool_t *sp = &ds->strings;
	size_t na = ds->accounts.n;
	for (size_t i = 0; i < kp->pairs.n; i++) {
		const ls_pair_t *p = &an->pairs.v[kp->pairs.v[i]];
		if (p->a >= na || p->b >= na || an->degree == NULL)
			return ls_fail(ctx, LS_EINTERNAL, "pair (%u, %u) not in the network", p->a, p->b);
	}
	ls_afile_t af;
	ls_error_t err = ls_afile_open(&af, path, ctx);
	if (err != LS_OK)
		return err;
	FILE *f = af.f;
	char num[LS_NUMBUF];
	fputs(header, f);
	for (size_t i = 0; i < na && an->degree; i++) {
		if (an->degree[i] == 0)
			continue;
		const ls_account_t *a = &ds->accounts.v[i];
		ls_out_fmt(f, "    <node id=\"n%zu\">\n      <data key=\"account\">", i);
		ls_out_xml_sid(f, sp, a->key);
		fputs("</data>\n", f);
		if (ls_strpool_len(sp, a->handle) > 0) {
			fputs("      <data key=\"handle\">", f);
			ls_out_xml_sid(f, sp, a->handle);
			fputs("</data>\n", f);
		}
		ls_out_fmt(f,
		        "      <data key=\"posts\">%" PRIu32 "</data>\n"
		        "      <data key=\"degree\">%" PRIu32 "</data>\n"
		        "      <data key=\"strength\">%s</data>\n"
		        "      <data key=\"component\">%" PRIu32 "</data>\n"
		        "      <data key=\"cluster\">%" PRIu32 "</data>\n"
		        "    </node>\n",
		        a->posts, an->degree[i], ls_fmt_real(an->strength ? an->strength[i] : 0, num),
		        an->component ? an->component[i] : 0, an->cluster ? an->cluster[i] : 0);
	}
	for (size_t i = 0; i < kp->pairs.n; i++) {
		const ls_pair_t *p = &an->pairs.v[kp->pairs.v[i]];
		ls_out_fmt(f,
		        "    <edge source=\"n%" PRIu32 "\" target=\"n%" PRIu32 "\">\n"
		        "      <data key=\"weight\">%s</data>\n"
		        "      <data key=\"objects\">%" PRIu32 "</data>\n"
		        "      <data key=\"coactions\">%" PRIu64 "</data>\n"
		        "      <data key=\"behaviours\">",
		        p->a, p->b, ls_fmt_real(p->weight, num), p->objects, p->coactions);
		ls_out_behaviour_mask(f, p->behaviours);
		fputs("</data>\n    </edge>\n", f);
	}
	fputs("  </graph>\n</graphml>\n", f);
	return ls_afile_commit(&af, ctx);
}
