/*
 * network.gexf: the clustered network in GEXF 1.3 for Gephi (which reads
 * GraphML too, but keeps GEXF's typed attributes and colours): accounts
 * with at least one kept pair as nodes (label = the account key), kept
 * pairs as undirected weighted edges. Node attributes: handle, posts,
 * degree, strength, component, cluster (0 = none); each node is coloured
 * by its cluster with the palette of report.html. Edge attributes:
 * objects, coactions, behaviours, pvalue and qvalue (empty without the
 * significance stage). Strings are escaped for XML 1.0 (textout.h).
 * Time O(accounts + kept pairs) (ex->kept, kept.c); memory O(1).
 */
#include "core/afile.h"
#include "core/analysis.h"
#include "core/ctx.h"
#include "explain/explain.h"
#include "explain/textout.h"

#include <inttypes.h>
#include <math.h>

static const char header[] =
	"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
	"<gexf xmlns=\"http://gexf.net/1.3\" xmlns:viz=\"http://gexf.net/1.3/viz\""
	" version=\"1.3\">\n"
	"  <meta>\n    <creator>lockstep " LS_VERSION_STRING "</creator>\n"
	"    <description>accounts that acted in concert (kept account pairs)</description>\n"
	"  </meta>\n"
	"  <graph defaultedgetype=\"undirected\" mode=\"static\">\n"
	"    <attributes class=\"node\">\n"
	"      <attribute id=\"handle\" title=\"handle\" type=\"string\"/>\n"
	"      <attribute id=\"posts\" title=\"posts\" type=\"long\"/>\n"
	"      <attribute id=\"degree\" title=\"degree\" type=\"long\"/>\n"
	"      <attribute id=\"strength\" title=\"strength\" type=\"double\"/>\n"
	"      <attribute id=\"component\" title=\"component\" type=\"long\"/>\n"
	"      <attribute id=\"cluster\" title=\"cluster\" type=\"long\"/>\n"
	"    </attributes>\n"
	"    <attributes class=\"edge\">\n"
	"      <attribute id=\"objects\" title=\"objects\" type=\"long\"/>\n"
	"      <attribute id=\"coactions\" title=\"coactions\" type=\"long\"/>\n"
	"      <attribute id=\"behaviours\" title=\"behaviours\" type=\"string\"/>\n"
	"      <attribute id=\"pvalue\" title=\"pvalue\" type=\"double\"/>\n"
	"      <attribute id=\"qvalue\" title=\"qvalue\" type=\"double\"/>\n"
	"    </attributes>\n";

ls_error_t ls_write_gexf(const ls_analysis_t *an, const char *path, ls_ctx_t *ctx)
{
	return ls_explain_alone(an, ls_write_gexf_ex, path, ctx);
}

ls_error_t ls_write_gexf_ex(const ls_explain_t *ex, const char *path, ls_ctx_t *ctx)
{
	const ls_analysis_t *an = ex->an;
	const ls_kept_t *kp = ex->kept;
	const ls_dataset_t *ds = an->ds;
	const ls_strpool_t *sp = &ds->strings;
	size_t na = ds->accounts.n;
	ls_afile_t af;
	ls_error_t err = ls_afile_open(&af, path, ctx);
	if (err)
		return err;
	FILE *f = af.f;
	char num[LS_NUMBUF];
	fputs(header, f);
	fputs("    <nodes>\n", f);
	for (size_t i = 0; i < na && an->degree; i++) {
		if (an->degree[i] == 0)
			continue;
		const ls_account_t *a = &ds->accounts.v[i];
		uint32_t c = an->cluster ? an->cluster[i] : 0;
		ls_out_fmt(f, "      <node id=\"n%zu\" label=\"", i);
		ls_out_xml_sid(f, sp, a->key);
		fputs("\">\n        <attvalues>\n", f);
		if (ls_strpool_len(sp, a->handle)) {
			fputs("          <attvalue for=\"handle\" value=\"", f);
			ls_out_xml_sid(f, sp, a->handle);
			fputs("\"/>\n", f);
		}
		ls_out_fmt(f,
		        "          <attvalue for=\"posts\" value=\"%" PRIu32 "\"/>\n"
		        "          <attvalue for=\"degree\" value=\"%" PRIu32 "\"/>\n",
		        a->posts, an->degree[i]);
		ls_out_fmt(f, "          <attvalue for=\"strength\" value=\"%s\"/>\n",
		        ls_fmt_real(an->strength ? an->strength[i] : 0, num));
		ls_out_fmt(f,
		        "          <attvalue for=\"component\" value=\"%" PRIu32 "\"/>\n"
		        "          <attvalue for=\"cluster\" value=\"%" PRIu32 "\"/>\n"
		        "        </attvalues>\n",
		        an->component ? an->component[i] : 0, c);
		const unsigned char *rgb = ls_cluster_rgb[c ? (c - 1) % 12 : 0];
		if (c)
			ls_out_fmt(f, "        <viz:color r=\"%u\" g=\"%u\" b=\"%u\"/>\n", rgb[0], rgb[1],
			        rgb[2]);
		else
			fputs("        <viz:color r=\"153\" g=\"153\" b=\"153\"/>\n", f);
		fputs("      </node>\n", f);
	}
	fputs("    </nodes>\n    <edges>\n", f);
	uint64_t e = 0;
	for (size_t i = 0; i < kp->pairs.n; i++) {
		const ls_pair_t *p = &an->pairs.v[kp->pairs.v[i]];
		ls_out_fmt(f, "      <edge id=\"e%" PRIu64 "\" source=\"n%" PRIu32 "\" target=\"n%" PRIu32
		           "\" weight=\"%s\">\n        <attvalues>\n",
		        e++, p->a, p->b, ls_fmt_real(p->weight, num));
		ls_out_fmt(f,
		        "          <attvalue for=\"objects\" value=\"%" PRIu32 "\"/>\n"
		        "          <attvalue for=\"coactions\" value=\"%" PRIu64 "\"/>\n"
		        "          <attvalue for=\"behaviours\" value=\"",
		        p->objects, p->coactions);
		ls_out_behaviour_mask(f, p->behaviours);
		fputs("\"/>\n", f);
		if (an->has_pvalues && isfinite(p->pvalue) && isfinite(p->qvalue)) {
			ls_out_fmt(f, "          <attvalue for=\"pvalue\" value=\"%s\"/>\n",
			        ls_fmt_real(p->pvalue, num));
			ls_out_fmt(f, "          <attvalue for=\"qvalue\" value=\"%s\"/>\n",
			        ls_fmt_real(p->qvalue, num));
		}
		fputs("        </attvalues>\n      </edge>\n", f);
	}
	fputs("    </edges>\n  </graph>\n</gexf>\n", f);
	return ls_afile_commit(&af, ctx);
}
