/*
 * report.html: one self-contained page an analyst can open offline and
 * read: an overview (inputs, counts, parameters, FDR when the significance
 * stage ran), a picture of the network, one card per cluster (members,
 * behaviours, statistics, the strongest co-actions with the posts' text,
 * a timeline of its co-actions against all activity), for ads the
 * campaign (report_ads.c) and the method in plain words.
 *
 * Hostile data. Account names and post texts come from the inputs and may
 * hold markup, quotes, control and bidi characters. Every such string is
 * written through the XML escaper (textout.h: & < > " ' as entities,
 * controls dropped, invalid UTF-8 replaced) and inside <bdi>, which keeps
 * direction overrides from leaking into the surrounding text; nothing from
 * the data becomes a URL, an attribute name, an element, style or script.
 * The page has no script at all, and its Content-Security-Policy
 * (default-src 'none'; style-src with the SHA-256 of its one <style>
 * block; img-src data:) forbids scripts, requests, fonts and inline style
 * attributes even if an escaping bug let markup through. Colours are SVG
 * presentation attributes, which CSP does not treat as inline style.
 * Hover on a node shows the account (SVG <title>); a click jumps to its
 * cluster's card.
 *
 * Size. At most MAX_CARDS cluster cards, MAX_MEMBERS members and MAX_ROWS
 * co-action rows per card, MAX_NODES nodes and MAX_EDGES edges in the
 * picture; the page says what it left out (evidence.json has it all).
 *
 * Layout: Fruchterman-Reingold (igraph) on the drawn subgraph, igraph's
 * RNG seeded with params.seed, so the same run draws the same picture;
 * 500 iterations, fewer above ~350 nodes (layout_iterations).
 * Cost: O(P log P) to sort the post times for the timelines, O(nodes^2)
 * per layout iteration at most (igraph's grid variant above 1000 nodes is
 * not needed under MAX_NODES), O(kept links) for the cards.
 */
#include "cluster/igraph_guard.h"
#include "core/afile.h"
#include "core/ctx.h"
#include "core/radix.h"
#include "explain/digest.h"
#include "explain/explain.h"
#include "explain/jsonp.h"
#include "explain/jsonw.h"
#include "explain/params_json.h"
#include "explain/textout.h"

#include <igraph.h>
#include <inttypes.h>
#include <math.h>
#include <openssl/evp.h>
#include <stdlib.h>
#include <string.h>

#define MAX_CARDS 50
#define MAX_MEMBERS 60
#define MAX_ROWS 15
#define MAX_NODES 800
#define MAX_EDGES 4000
#define BINS 60
#define NET_W 960
#define NET_H 640

const unsigned char ls_cluster_rgb[12][3] = {
	{31, 119, 180}, {214, 39, 40}, {44, 160, 44}, {148, 103, 189}, {255, 127, 14},
	{23, 190, 207}, {227, 119, 194}, {140, 86, 75}, {188, 189, 34}, {57, 59, 121},
	{132, 60, 57}, {99, 121, 57},
};

static const char style[] =
	"body{font:15px/1.45 system-ui,sans-serif;margin:0 auto;max-width:1100px;padding:1em 1.5em;"
	"color:#1b1b1b;background:#fafafa}"
	"h1{font-size:1.6em;margin:.2em 0}h2{font-size:1.25em;margin:1.4em 0 .4em;"
	"border-bottom:1px solid #ccc}h3{margin:.2em 0}"
	"table{border-collapse:collapse;margin:.4em 0;font-size:.92em}"
	"td,th{border:1px solid #ddd;padding:.2em .45em;text-align:left;vertical-align:top}"
	"th{background:#eee}td.n{text-align:right;font-variant-numeric:tabular-nums}"
	".card{background:#fff;border:1px solid #ccc;border-radius:6px;padding:.6em 1em;"
	"margin:1em 0}.members{columns:3 14em;font-size:.92em}.note{color:#555;font-size:.9em}"
	".txt{max-width:30em;overflow-wrap:anywhere}svg{background:#fff;border:1px solid #ddd;"
	"max-width:100%;height:auto}pre{background:#f2f2f2;padding:.5em;overflow:auto;"
	"font-size:.85em}code{overflow-wrap:anywhere}";

/* Escaped text of the data inside <bdi>. */
static void put_text(FILE *f, const char *s, size_t n)
{
	fputs("<bdi>", f);
	ls_out_xml(f, s, n);
	fputs("</bdi>", f);
}

static void put_str(FILE *f, const char *s)
{
	put_text(f, s, strlen(s));
}

static void put_sid(FILE *f, const ls_strpool_t *sp, ls_sid_t id)
{
	put_text(f, ls_strpool_get(sp, id), ls_strpool_len(sp, id));
}

static void put_rgb(FILE *f, uint32_t cluster)
{
	if (cluster == 0) {
		fputs("#999999", f);
		return;
	}
	const unsigned char *c = ls_cluster_rgb[(cluster - 1) % 12];
	fprintf(f, "#%02x%02x%02x", c[0], c[1], c[2]);
}

static void swatch(FILE *f, uint32_t cluster)
{
	fputs("<svg width=\"14\" height=\"14\" viewBox=\"0 0 14 14\"><rect width=\"14\" "
	      "height=\"14\" fill=\"",
	      f);
	put_rgb(f, cluster);
	fputs("\"/></svg> ", f);
}

static void put_time(FILE *f, int64_t t)
{
	char b[32];
	fputs(ls_time_format(t, b, sizeof b), f);
}

static const char *num(double x, char *b)
{
	return ls_fmt_g6(x, b);
}

/* -------------------------------------------------------------- network */

typedef struct net {
	uint32_t *acc;  /* drawn accounts */
	size_t n;
	int32_t *node_of; /* account -> node or -1 */
	double *x, *y;
	uint32_t *ea, *eb; /* drawn edges (node indexes) */
	size_t ne;
	size_t total_nodes, total_edges;
} net_t;

static void net_free(net_t *nt)
{
	free(nt->acc);
	free(nt->node_of);
	free(nt->x);
	free(nt->y);
	free(nt->ea);
	free(nt->eb);
}

/* Fruchterman-Reingold iterations: 500 up to ~350 nodes, then fewer so
 * that iterations x nodes^2 stays under 64M (100 at MAX_NODES): the
 * picture of a big network settles early and its cost was seconds. */
static igraph_integer_t layout_iterations(size_t n)
{
	double it = 6.4e7 / ((double)n * (double)n);
	return it >= 500 ? 500 : it <= 100 ? 100 : (igraph_integer_t)it;
}

static ls_error_t net_build(net_t *nt, const ls_analysis_t *an, const ls_kept_t *kp,
                            ls_ctx_t *ctx)
{
	memset(nt, 0, sizeof *nt);
	size_t na = an->ds->accounts.n;
	if (an->cluster == NULL || an->clusters.n == 0)
		return LS_OK;
	nt->acc = malloc(MAX_NODES * sizeof *nt->acc);
	nt->node_of = malloc((na ? na : 1) * sizeof *nt->node_of);
	nt->ea = malloc(MAX_EDGES * sizeof *nt->ea);
	nt->eb = malloc(MAX_EDGES * sizeof *nt->eb);
	if (!nt->acc || !nt->node_of || !nt->ea || !nt->eb)
		return ls_fail(ctx, LS_ENOMEM, "out of memory");
	for (size_t a = 0; a < na; a++)
		nt->node_of[a] = -1;
	/* accounts of the reported clusters, by cluster id, then index: a
	 * counting sort, O(accounts + clusters) */
	size_t k = an->clusters.n;
	size_t *start = calloc(k + 2, sizeof *start);
	if (start == NULL)
		return ls_fail(ctx, LS_ENOMEM, "out of memory");
	for (size_t a = 0; a < na; a++)
		if (an->cluster[a] && an->cluster[a] <= k)
			start[an->cluster[a] + 1]++;
	for (size_t c = 1; c <= k + 1; c++)
		start[c] += start[c - 1];
	for (size_t a = 0; a < na; a++) {
		uint32_t c = an->cluster[a];
		if (c == 0 || c > k)
			continue;
		size_t slot = start[c]++;
		if (slot < MAX_NODES) {
			nt->node_of[a] = (int32_t)slot;
			nt->acc[slot] = (uint32_t)a;
			if (slot + 1 > nt->n)
				nt->n = slot + 1;
		}
	}
	free(start);
	for (size_t a = 0; a < na; a++)
		nt->total_nodes += an->cluster[a] != 0;
	for (size_t i = 0; i < kp->pairs.n; i++) {
		const ls_pair_t *p = &an->pairs.v[kp->pairs.v[i]];
		if (an->cluster[p->a] == 0 || an->cluster[p->b] == 0)
			continue;
		nt->total_edges++;
		if (nt->ne < MAX_EDGES && nt->node_of[p->a] >= 0 && nt->node_of[p->b] >= 0) {
			nt->ea[nt->ne] = (uint32_t)nt->node_of[p->a];
			nt->eb[nt->ne] = (uint32_t)nt->node_of[p->b];
			nt->ne++;
		}
	}
	nt->x = malloc((nt->n ? nt->n : 1) * sizeof *nt->x);
	nt->y = malloc((nt->n ? nt->n : 1) * sizeof *nt->y);
	if (!nt->x || !nt->y)
		return ls_fail(ctx, LS_ENOMEM, "out of memory");
	if (nt->n == 0)
		return LS_OK;

	ls_igraph_guard_t guard;
	ls_igraph_guard_begin(&guard);
	igraph_t g;
	igraph_vector_int_t edges;
	igraph_matrix_t pos;
	int have_g = 0, have_e = 0, have_p = 0;
	igraph_error_t ie = igraph_vector_int_init(&edges, (igraph_integer_t)(2 * nt->ne));
	if (ie == IGRAPH_SUCCESS) {
		have_e = 1;
		for (size_t e = 0; e < nt->ne; e++) {
			VECTOR(edges)[2 * e] = nt->ea[e];
			VECTOR(edges)[2 * e + 1] = nt->eb[e];
		}
		ie = igraph_create(&g, &edges, (igraph_integer_t)nt->n, IGRAPH_UNDIRECTED);
	}
	if (ie == IGRAPH_SUCCESS) {
		have_g = 1;
		ie = igraph_matrix_init(&pos, 0, 0);
	}
	if (ie == IGRAPH_SUCCESS) {
		have_p = 1;
		igraph_rng_seed(igraph_rng_default(), (igraph_uint_t)an->params.seed);
		ie = igraph_layout_fruchterman_reingold(&g, &pos, 0, layout_iterations(nt->n),
		                                        sqrt((double)nt->n),
		                                        IGRAPH_LAYOUT_NOGRID, NULL, NULL, NULL,
		                                        NULL, NULL);
	}
	ls_error_t err = LS_OK;
	if (ie != IGRAPH_SUCCESS) {
		err = ls_igraph_fail(ctx, ie);
	} else {
		double x0 = INFINITY, x1 = -INFINITY, y0 = INFINITY, y1 = -INFINITY;
		for (size_t v = 0; v < nt->n; v++) {
			double x = MATRIX(pos, (igraph_integer_t)v, 0), y = MATRIX(pos, (igraph_integer_t)v, 1);
			x0 = fmin(x0, x);
			x1 = fmax(x1, x);
			y0 = fmin(y0, y);
			y1 = fmax(y1, y);
		}
		double sx = x1 > x0 ? (NET_W - 40) / (x1 - x0) : 0;
		double sy = y1 > y0 ? (NET_H - 40) / (y1 - y0) : 0;
		for (size_t v = 0; v < nt->n; v++) {
			double x = MATRIX(pos, (igraph_integer_t)v, 0), y = MATRIX(pos, (igraph_integer_t)v, 1);
			nt->x[v] = sx ? 20 + (x - x0) * sx : NET_W / 2.0;
			nt->y[v] = sy ? 20 + (y - y0) * sy : NET_H / 2.0;
		}
	}
	if (have_p)
		igraph_matrix_destroy(&pos);
	if (have_g)
		igraph_destroy(&g);
	if (have_e)
		igraph_vector_int_destroy(&edges);
	ls_igraph_guard_end(&guard);
	return err;
}

/* Integer pixel coordinate (no locale, no printf of doubles). */
static long px(double v)
{
	return lround(v);
}

static void put_network(FILE *f, const ls_analysis_t *an, const net_t *nt)
{
	const ls_dataset_t *ds = an->ds;
	const ls_strpool_t *sp = &ds->strings;
	fprintf(f, "<svg id=\"network\" viewBox=\"0 0 %d %d\" width=\"%d\" height=\"%d\" "
	           "role=\"img\" aria-label=\"network of the clustered accounts\">\n",
	        NET_W, NET_H, NET_W, NET_H);
	fputs("<g stroke=\"#b8b8b8\" stroke-width=\"0.7\">\n", f);
	for (size_t e = 0; e < nt->ne; e++)
		fprintf(f, "<line x1=\"%ld\" y1=\"%ld\" x2=\"%ld\" y2=\"%ld\"/>\n", px(nt->x[nt->ea[e]]),
		        px(nt->y[nt->ea[e]]), px(nt->x[nt->eb[e]]), px(nt->y[nt->eb[e]]));
	fputs("</g>\n<g stroke=\"#fff\" stroke-width=\"0.8\">\n", f);
	for (size_t v = 0; v < nt->n; v++) {
		uint32_t a = nt->acc[v], c = an->cluster[a];
		double r = 3 + fmin(sqrt((double)an->degree[a]), 6);
		fprintf(f, "<a href=\"#c%" PRIu32 "\"><circle class=\"node\" cx=\"%ld\" cy=\"%ld\" r=\"%ld\" fill=\"",
		        c, px(nt->x[v]), px(nt->y[v]), px(r));
		put_rgb(f, c);
		fputs("\"><title>", f);
		ls_out_xml_sid(f, sp, ds->accounts.v[a].key);
		if (ls_strpool_len(sp, ds->accounts.v[a].handle)) {
			fputs(" (@", f);
			ls_out_xml_sid(f, sp, ds->accounts.v[a].handle);
			fputs(")", f);
		}
		fprintf(f, " \xC2\xB7 cluster %" PRIu32 " \xC2\xB7 %" PRIu32 " kept pairs</title></circle></a>\n",
		        c, an->degree[a]);
	}
	fputs("</g>\n</svg>\n", f);
}

/* ------------------------------------------------------------- timeline */

/* The posts' times, sorted (radix sort on the times with the sign bit
 * flipped, so that unsigned order is signed order). NULL when out of
 * memory. */
static int64_t *sorted_times(const ls_dataset_t *ds)
{
	size_t np = ds->posts.n;
	int64_t *times = malloc((np ? np : 1) * sizeof *times);
	ls_rec_t *a = malloc((np ? np : 1) * sizeof *a), *b = malloc((np ? np : 1) * sizeof *b);
	ls_rec_t *s = NULL;
	if (times != NULL && a != NULL && b != NULL) {
		for (size_t i = 0; i < np; i++)
			a[i] = (ls_rec_t){(uint64_t)ds->posts.v[i].time ^ UINT64_C(1) << 63, 0, 0};
		s = ls_radix_sort_rec(a, b, np);
	}
	if (s != NULL)
		for (size_t i = 0; i < np; i++)
			times[i] = (int64_t)(s[i].key ^ UINT64_C(1) << 63);
	free(a);
	free(b);
	if (s == NULL) {
		free(times);
		return NULL;
	}
	return times;
}

/* Number of sorted times in [lo, hi). */
static size_t count_range(const int64_t *t, size_t n, int64_t lo, int64_t hi)
{
	size_t a = 0, b = n;
	while (a < b) {
		size_t m = a + (b - a) / 2;
		if (t[m] < lo)
			a = m + 1;
		else
			b = m;
	}
	size_t s = a;
	b = n;
	while (a < b) {
		size_t m = a + (b - a) / 2;
		if (t[m] < hi)
			a = m + 1;
		else
			b = m;
	}
	return a - s;
}

static void put_timeline(FILE *f, const ls_explain_t *ex, const ls_cluster_t *cl,
                         const int64_t *times, size_t nt)
{
	const ls_analysis_t *an = ex->an;
	const ls_evidence_t *ev = ex->ev;
	int64_t first = cl->first_time, last = cl->last_time;
	int64_t pad = (last - first) / 4;
	if (pad < 1800)
		pad = 1800;
	int64_t lo = first - pad, hi = last + pad + 1;
	int64_t width = (hi - lo + BINS - 1) / BINS;
	uint64_t bg[BINS] = {0}, co[BINS] = {0}, bgmax = 1, comax = 1;
	for (int b = 0; b < BINS; b++) {
		bg[b] = count_range(times, nt, lo + b * width, lo + (b + 1) * width);
		if (bg[b] > bgmax)
			bgmax = bg[b];
	}
	size_t nk;
	const uint32_t *ks = ls_evidence_cluster_links(ev, (size_t)(cl - an->clusters.v), &nk);
	for (size_t i = 0; i < nk; i++) {
		const ls_ev_link_t *el = &ev->links.v[ks[i]];
		for (uint32_t c = 0; c < el->count; c++) {
			int64_t t = ev->coacts.v[el->first + c].time_a;
			if (t >= lo && t < lo + BINS * width) {
				int b = (int)((t - lo) / width);
				if (++co[b] > comax)
					comax = co[b];
			}
		}
	}
	const int W = 900, H = 120, bw = W / BINS;
	fprintf(f, "<svg class=\"timeline\" viewBox=\"0 0 %d %d\" width=\"%d\" height=\"%d\" "
	           "role=\"img\" aria-label=\"timeline\">\n",
	        W, H + 18, W, H + 18);
	fputs("<g fill=\"#d0d0d0\">", f);
	for (int b = 0; b < BINS; b++) {
		long h = (long)((double)bg[b] / (double)bgmax * (H - 4));
		if (h > 0)
			fprintf(f, "<rect x=\"%d\" y=\"%ld\" width=\"%d\" height=\"%ld\"/>", b * bw, H - h,
			        bw - 1, h);
	}
	fputs("</g>\n<g fill=\"", f);
	put_rgb(f, cl->id);
	fputs("\">", f);
	for (int b = 0; b < BINS; b++) {
		long h = (long)((double)co[b] / (double)comax * (H - 4));
		if (h > 0)
			fprintf(f, "<rect x=\"%d\" y=\"%ld\" width=\"%d\" height=\"%ld\"/>",
			        b * bw + bw / 4, H - h, bw / 2, h);
	}
	fprintf(f, "</g>\n<g font-size=\"11\" fill=\"#333\"><text x=\"0\" y=\"%d\">", H + 14);
	put_time(f, lo);
	fprintf(f, "</text><text x=\"%d\" y=\"%d\" text-anchor=\"end\">", W, H + 14);
	put_time(f, lo + BINS * width);
	fputs("</text></g>\n</svg>\n", f);
	char b1[LS_NUMBUF];
	fprintf(f, "<p class=\"note\">Grey: all posts in the data set per %s-minute bin (scaled to "
	           "its peak, %" PRIu64 "); colour: this cluster's strongest co-actions (scaled to "
	           "their peak, %" PRIu64 ").</p>\n",
	        num((double)width / 60.0, b1), bgmax, comax);
}

/* ---------------------------------------------------------------- cards */

static void put_post_cell(FILE *f, const ls_evidence_t *ev, uint32_t post)
{
	const ls_dataset_t *ds = ev->an->ds;
	char ref[512];
	const ls_ev_text_t *t = ls_evidence_text(ev, post);
	fputs("<td class=\"txt\"><code>", f);
	put_str(f, ls_dataset_post_ref(ds, post, ref, sizeof ref));
	fputs("</code> ", f);
	put_time(f, ds->posts.v[post].time);
	fputs("<br>", f);
	if (t)
		put_text(f, t->text, t->len);
	else
		fputs("<span class=\"note\">(text not available)</span>", f);
	fputs("</td>", f);
}

static void put_card(FILE *f, const ls_explain_t *ex, const ls_cluster_t *cl, const int64_t *times,
                     size_t nt)
{
	const ls_analysis_t *an = ex->an;
	const ls_evidence_t *ev = ex->ev;
	const ls_dataset_t *ds = an->ds;
	const ls_strpool_t *sp = &ds->strings;
	char b1[LS_NUMBUF], b2[24];
	double pairs = (double)cl->size * ((double)cl->size - 1) / 2;
	fprintf(f, "<section class=\"card cluster\" id=\"c%" PRIu32 "\">\n<h3>", cl->id);
	swatch(f, cl->id);
	fprintf(f, "Cluster %" PRIu32 ": %" PRIu32 " accounts</h3>\n<table>", cl->id, cl->size);
	fputs("<tr><th>behaviours</th><td>", f);
	ls_out_behaviour_mask(f, cl->behaviours);
	fprintf(f, "</td></tr><tr><th>kept pairs inside</th><td class=\"n\">%" PRIu64 "</td></tr>",
	        cl->internal_edges);
	fprintf(f, "<tr><th>density</th><td class=\"n\">%s</td></tr>",
	        num(pairs > 0 ? (double)cl->internal_edges / pairs : 0, b1));
	fprintf(f, "<tr><th>total weight</th><td class=\"n\">%s</td></tr>",
	        num(cl->internal_weight, b1));
	if (an->has_pvalues)
		fprintf(f, "<tr><th>p-value</th><td class=\"n\">%s</td></tr>", num(cl->pvalue, b1));
	if (cl->internal_edges) {
		fputs("<tr><th>coordinated activity</th><td>", f);
		put_time(f, cl->first_time);
		fputs(" \xE2\x80\x93 ", f);
		put_time(f, cl->last_time);
		fputs("</td></tr>", f);
	}
	fputs("</table>\n<h4>Members</h4>\n<div class=\"members\">", f);
	uint32_t shown = 0;
	for (size_t a = 0; a < ds->accounts.n && shown < MAX_MEMBERS; a++) {
		if (an->cluster[a] != cl->id)
			continue;
		fputs("<div>", f);
		put_sid(f, sp, ds->accounts.v[a].key);
		if (ls_strpool_len(sp, ds->accounts.v[a].handle)) {
			fputs(" <span class=\"note\">@", f);
			put_sid(f, sp, ds->accounts.v[a].handle);
			fputs("</span>", f);
		}
		fputs("</div>", f);
		shown++;
	}
	fputs("</div>\n", f);
	if (cl->size > shown)
		fprintf(f, "<p class=\"note\">%" PRIu32 " more members in evidence.json and clusters.csv.</p>\n",
		        cl->size - shown);

	fputs("<h4>Strongest co-actions</h4>\n<table><tr><th>accounts</th><th>behaviour</th>"
	      "<th>object</th><th>|\xCE\x94t| s</th><th>first post</th><th>second post</th></tr>\n",
	      f);
	uint32_t rows = 0;
	uint64_t total = 0;
	size_t nk;
	const uint32_t *ks = ls_evidence_cluster_links(ev, (size_t)(cl - an->clusters.v), &nk);
	for (size_t i = 0; i < nk; i++) {
		const ls_ev_link_t *el = &ev->links.v[ks[i]];
		const ls_link_t *l = &an->links.v[el->link];
		if (el->count == 0)
			continue;
		total++;
		if (rows >= MAX_ROWS)
			continue;
		const ls_coact_t *co = &ev->coacts.v[el->first];
		int64_t dt = co->time_b - co->time_a;
		fputs("<tr><td>", f);
		put_sid(f, sp, ds->accounts.v[l->a].key);
		fputs("<br>", f);
		put_sid(f, sp, ds->accounts.v[l->b].key);
		fprintf(f, "</td><td>%s<br><span class=\"note\">%" PRIu32 " objects, %" PRIu64
		           " co-actions</span></td><td class=\"txt\">",
		        ls_behaviour_name(l->behaviour), l->objects, l->coactions);
		put_str(f, ls_evidence_object(ds, co->object, b2));
		fprintf(f, "</td><td class=\"n\">%" PRId64 "</td>", dt < 0 ? -dt : dt);
		put_post_cell(f, ev, co->post_a);
		put_post_cell(f, ev, co->post_b);
		fputs("</tr>\n", f);
		rows++;
	}
	fputs("</table>\n", f);
	if (total > rows)
		fprintf(f, "<p class=\"note\">Showing the closest co-action of %" PRIu32 " of %" PRIu64
		           " links; every link and its %d closest co-actions are in evidence.json.</p>\n",
		        rows, total, LS_EVIDENCE_K);
	if (cl->internal_edges) {
		fputs("<h4>Timeline</h4>\n", f);
		put_timeline(f, ex, cl, times, nt);
	}
	fputs("</section>\n", f);
}

/* --------------------------------------------------------------- page */

static void put_overview(FILE *f, const ls_explain_t *ex)
{
	const ls_analysis_t *an = ex->an;
	const ls_dataset_t *ds = an->ds;
	ls_analysis_counts_t c;
	ls_kept_counts(an, ex->kept, &c);
	char hex[65];
	fputs("<h2>What was analysed</h2>\n<table><tr><th>#</th><th>input</th><th>format</th>"
	      "<th>bytes</th><th>posts read</th><th>skipped</th><th>SHA-256</th></tr>\n",
	      f);
	for (size_t i = 0; i < ds->inputs.n; i++) {
		const ls_input_t *in = &ds->inputs.v[i];
		fprintf(f, "<tr><td class=\"n\">%zu</td><td class=\"txt\">", i);
		put_str(f, in->path ? in->path : "");
		fputs("</td><td>", f);
		put_str(f, in->format ? in->format : "");
		fprintf(f, "</td><td class=\"n\">%" PRIu64 "</td><td class=\"n\">%" PRIu64
		           "</td><td class=\"n\">%" PRIu64 "</td><td><code>%s</code></td></tr>\n",
		        in->bytes, in->read, in->skipped, ls_hex(in->sha256, 32, hex));
	}
	fprintf(f, "</table>\n<table>"
	           "<tr><th>posts</th><td class=\"n\">%zu</td></tr>"
	           "<tr><th>accounts</th><td class=\"n\">%zu</td></tr>"
	           "<tr><th>co-actions within the window</th><td class=\"n\">%" PRIu64 "</td></tr>"
	           "<tr><th>links (account pair, behaviour)</th><td class=\"n\">%" PRIu64 "</td></tr>"
	           "<tr><th>account pairs kept</th><td class=\"n\">%" PRIu64 "</td></tr>"
	           "<tr><th>clusters reported</th><td class=\"n\">%" PRIu64 "</td></tr>"
	           "<tr><th>accounts in clusters</th><td class=\"n\">%" PRIu64 "</td></tr>",
	        ds->posts.n, ds->accounts.n, c.coactions, c.links, c.kept_links, c.clusters,
	        c.accounts_clustered);
	/* the parameters, through the one table that knows them all */
	char *pj = NULL;
	size_t pl = 0;
	FILE *m = open_memstream(&pj, &pl);
	ls_jv_t *pv = NULL;
	if (m) {
		ls_jw_t w;
		ls_jw_init(&w, m);
		ls_params_json_write(&w, &an->params, &ds->opt);
		fclose(m);
	}
	if (pj && an->has_pvalues) {
		ls_ctx_t *tmp = ls_ctx_new();
		if (tmp && ls_jv_parse(&pv, pj, pl, tmp) == LS_OK) {
			const ls_jv_t *fdr = ls_jv_get(pv, "fdr");
			if (fdr && fdr->type == LS_J_NUM) {
				fputs("<tr><th>false discovery rate of the kept pairs</th><td class=\"n\">", f);
				put_str(f, fdr->s);
				fputs("</td></tr>", f);
			}
		}
		ls_jv_free(pv);
		ls_ctx_free(tmp);
	}
	fputs("</table>\n", f);
	if (!an->has_pvalues)
		fputs("<p class=\"note\">No significance test ran in this build: pairs were kept by "
		      "their number of distinct co-action objects.</p>\n",
		      f);
	fputs("<details><summary>Every parameter of the run</summary><pre>", f);
	if (pj)
		ls_out_xml(f, pj, pl);
	fputs("</pre></details>\n", f);
	free(pj);
}

static const char method[] =
	"<h2>Method, in plain words</h2>\n"
	"<p>lockstep reads every post and notes what each account did: which post it "
	"retweeted, what text it posted, which links, hashtags and accounts it named, "
	"which post it replied to. Two accounts <em>co-act</em> when they do the same "
	"thing (retweet the same post, post the same text, share the same link...) within "
	"the time window. One co-action proves nothing: people retweet the same news. "
	"What stands out is two accounts doing the same things again and again, on many "
	"different objects, within seconds or minutes of each other.</p>\n"
	"<p>For every pair of accounts lockstep counts their co-actions and the distinct "
	"objects behind them, keeps the pairs that pass the test shown in the parameters "
	"(a significance test against chance co-activity when it ran), and groups the kept "
	"pairs into clusters (Leiden community detection). Each cluster card shows its "
	"members, the behaviours that join them, and the closest co-actions with the posts "
	"themselves, so that anyone can look the posts up and judge for themselves.</p>\n"
	"<p>Co-ordination is not proof of inauthenticity: fans, activists and newsrooms "
	"also act together. The evidence is what the accounts did; the interpretation is "
	"yours. Everything here can be re-checked: <code>lockstep verify</code> re-runs the "
	"analysis from the same inputs and parameters and compares every output byte for "
	"byte (manifest.json lists their SHA-256).</p>\n";

ls_error_t ls_write_report_html(const ls_explain_t *ex, const char *path, ls_ctx_t *ctx)
{
	const ls_analysis_t *an = ex->an;
	const ls_dataset_t *ds = an->ds;
	unsigned char h[32];
	unsigned char b64[64];
	if (ls_sha256_buf(style, sizeof style - 1, h))
		return ls_fail(ctx, LS_EINTERNAL, "SHA-256 failed");
	EVP_EncodeBlock(b64, h, 32);
	net_t nt;
	ls_error_t err = net_build(&nt, an, ex->kept, ctx);
	int64_t *times = NULL;
	size_t np = ds->posts.n;
	/* the timelines are the clusters' (none: no sort of every post) */
	if (!err && an->clusters.n > 0 && (times = sorted_times(ds)) == NULL)
		err = ls_fail(ctx, LS_ENOMEM, "out of memory");
	if (err) {
		net_free(&nt);
		return err;
	}

	ls_afile_t af;
	if ((err = ls_afile_open(&af, path, ctx)) != LS_OK) {
		net_free(&nt);
		free(times);
		return err;
	}
	FILE *f = af.f;
	fprintf(f,
	        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
	        "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
	        "style-src 'sha256-%s'; img-src data:; base-uri 'none'; form-action 'none'\">\n"
	        "<meta name=\"referrer\" content=\"no-referrer\">\n"
	        "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
	        "<title>lockstep report</title>\n<style>%s</style>\n</head>\n<body>\n",
	        (const char *)b64, style);
	ls_analysis_counts_t c;
	ls_kept_counts(an, ex->kept, &c);
	fprintf(f, "<h1>lockstep report</h1>\n<p>%" PRIu64 " clusters of accounts that acted in "
	           "concert, %" PRIu64 " accounts in all, found by lockstep " LS_VERSION_STRING
	           " (seed %" PRIu64 "). The files beside this page hold every detail: "
	           "evidence.json, edges.csv, clusters.csv, network.graphml/.gexf; manifest.json "
	           "lists their SHA-256.</p>\n",
	        c.clusters, c.accounts_clustered, an->params.seed);
	put_overview(f, ex);
	fputs("<h2>The network</h2>\n", f);
	if (nt.n) {
		put_network(f, an, &nt);
		fprintf(f, "<p class=\"note\">Each dot is an account, coloured by cluster; lines are "
		           "kept account pairs. Hover over a dot for the account; click it for its "
		           "cluster. Drawn: %zu of %zu accounts, %zu of %zu pairs.</p>\n",
		        nt.n, nt.total_nodes, nt.ne, nt.total_edges);
	} else {
		fputs("<p>No cluster was found: there is no network to draw.</p>\n", f);
	}
	if (ex->wait_texts) /* the layout and the times are done: now the texts */
		ex->wait_texts(ex->wait_arg);
	fputs("<h2>Clusters</h2>\n", f);
	size_t cards = an->clusters.n < MAX_CARDS ? an->clusters.n : MAX_CARDS;
	for (size_t i = 0; i < cards; i++)
		put_card(f, ex, &an->clusters.v[i], times, np);
	if (an->clusters.n > cards)
		fprintf(f, "<p class=\"note\">%zu smaller clusters are not shown here; they are in "
		           "evidence.json and clusters.csv.</p>\n",
		        an->clusters.n - cards);
	if ((err = ls_report_ads(f, an, ctx)) != LS_OK) {
		ls_afile_abort(&af);
		net_free(&nt);
		free(times);
		return err;
	}
	int notes = 0;
	for (size_t i = 0; i < ex->ev->n_inputs; i++)
		if (ex->ev->input_note[i]) {
			if (!notes++)
				fputs("<p class=\"note\">Post texts missing:</p><ul class=\"note\">", f);
			fputs("<li>", f);
			put_str(f, ds->inputs.v[i].path ? ds->inputs.v[i].path : "");
			fputs(": ", f);
			put_str(f, ex->ev->input_note[i]);
			fputs("</li>", f);
		}
	if (notes)
		fputs("</ul>\n", f);
	fputs(method, f);
	fputs("</body>\n</html>\n", f);
	net_free(&nt);
	free(times);
	return ls_afile_commit(&af, ctx);
}
