/*
 * summary.json: counts, inputs (with their SHA-256), version and parameters
 * of a run, as canonical JSON so that two runs diff cleanly: keys sorted at
 * every level, 2-space indent, no wall-clock time, integers in full and the
 * resolution shortest-round-trip. The layout is byte-for-byte what Python's
 * json.dumps(obj, indent=2, sort_keys=True, ensure_ascii=False) writes, plus
 * a final newline, which the unit test checks.
 * Time O(inputs + behaviours^2); memory O(1).
 */
#include "core/afile.h"
#include "core/analysis.h"
#include "core/ctx.h"
#include "explain/explain.h"
#include "explain/textout.h"

#include <inttypes.h>
#include <math.h>
#include <string.h>

/* Enabled behaviours (bit order) into idx[]; returns how many. */
static size_t enabled_behaviours(uint64_t mask, uint32_t *idx)
{
	size_t n = 0;
	const char *const *names = ls_behaviours();
	for (uint32_t i = 0; i < LS_MAX_BEHAVIOURS && names[i] != NULL; i++)
		if (mask >> i & 1u)
			idx[n++] = i;
	return n;
}

static void put_traces(FILE *f, const ls_dataset_t *ds, const uint32_t *idx, size_t n)
{
	/* sorted by name: n <= LS_MAX_BEHAVIOURS, so insertion sort */
	uint32_t s[LS_MAX_BEHAVIOURS];
	for (size_t i = 0; i < n; i++) {
		size_t j = i;
		while (j > 0 && strcmp(ls_behaviour_name(s[j - 1]), ls_behaviour_name(idx[i])) > 0) {
			s[j] = s[j - 1];
			j--;
		}
		s[j] = idx[i];
	}
	if (n == 0) {
		fputs("{}", f);
		return;
	}
	fputs("{\n", f);
	for (size_t i = 0; i < n; i++) {
		fputs("      ", f);
		ls_out_json_str(f, ls_behaviour_name(s[i]));
		fprintf(f, ": %zu%s\n", ds->traces[s[i]].n, i + 1 < n ? "," : "");
	}
	fputs("    }", f);
}

static void put_inputs(FILE *f, const ls_dataset_t *ds)
{
	if (ds->inputs.n == 0) {
		fputs("[]", f);
		return;
	}
	fputs("[\n", f);
	for (size_t i = 0; i < ds->inputs.n; i++) {
		const ls_input_t *in = &ds->inputs.v[i];
		fprintf(f, "    {\n      \"bytes\": %" PRIu64 ",\n      \"format\": ", in->bytes);
		ls_out_json_str(f, in->format ? in->format : "");
		fputs(",\n      \"path\": ", f);
		ls_out_json_str(f, in->path ? in->path : "");
		fprintf(f,
		        ",\n      \"posts_read\": %" PRIu64 ",\n      \"posts_skipped\": %" PRIu64
		        ",\n      \"sha256\": \"",
		        in->read, in->skipped);
		for (size_t b = 0; b < sizeof in->sha256; b++)
			fprintf(f, "%02x", in->sha256[b]);
		fprintf(f, "\"\n    }%s\n", i + 1 < ds->inputs.n ? "," : "");
	}
	fputs("  ]", f);
}

/* A period bound as a JSON value: null or "YYYY-MM-DDTHH:MM:SSZ". */
static const char *period(int has, int64_t t, char *buf)
{
	if (!has)
		return "null";
	char iso[32];
	snprintf(buf, 40, "\"%s\"", ls_time_format(t, iso, sizeof iso));
	return buf;
}

/* "ads": totals of the ads read (spend per currency in hundredths and in
 * US dollars at the ads.json rate, impressions, clicks, unattributed, and
 * the ads of pages in clusters), only when the inputs hold ads. */
static void put_ads(FILE *f, const ls_analysis_t *an)
{
	const ls_dataset_t *ds = an->ds;
	ls_ad_totals_t t;
	ls_dataset_ad_totals(ds, &t);
	if (t.ads == 0)
		return;
	uint64_t clustered = 0;
	for (size_t i = 0; i < ds->ads.n; i++)
		clustered += an->cluster && an->cluster[ds->posts.v[ds->ads.v[i].post].account] != 0;
	fprintf(f,
	        "  \"ads\": {\n    \"ads\": %" PRIu64 ",\n    \"clicks\": %" PRIu64
	        ",\n    \"clustered_ads\": %" PRIu64 ",\n    \"impressions\": %" PRIu64
	        ",\n    \"spend_cents\": {",
	        t.ads, t.clicks, clustered, t.impressions);
	double usd = 0;
	for (size_t i = 0; i < t.n_currencies; i++) {
		fputs(i ? ",\n      " : "\n      ", f);
		ls_out_json_str(f, t.currency[i].code[0] ? t.currency[i].code : "unknown");
		fprintf(f, ": %" PRId64, t.currency[i].cents);
		usd += ls_ad_usd(t.currency[i].code, t.currency[i].cents);
	}
	char num[LS_NUMBUF];
	fprintf(f, "%s},\n    \"spend_usd\": %s,\n    \"unattributed\": %" PRIu64 "\n  },\n",
	        t.n_currencies ? "\n    " : "",
	        ls_fmt_real(ls_ad_round_cents(usd), num), t.unattributed);
}

ls_error_t ls_write_summary_json(const ls_analysis_t *an, const char *path, ls_ctx_t *ctx)
{
	return ls_explain_alone(an, ls_write_summary_json_ex, path, ctx);
}

ls_error_t ls_write_summary_json_ex(const ls_explain_t *ex, const char *path, ls_ctx_t *ctx)
{
	const ls_analysis_t *an = ex->an;
	if (an == NULL || path == NULL)
		return ls_fail(ctx, LS_EINVAL, "summary.json: no analysis or path");
	const ls_dataset_t *ds = an->ds;
	const ls_params_t *p = &an->params;
	ls_analysis_counts_t c;
	ls_kept_counts(an, ex->kept, &c);
	uint64_t read = 0, skipped = 0;
	for (size_t i = 0; i < ds->inputs.n; i++) {
		read += ds->inputs.v[i].read;
		skipped += ds->inputs.v[i].skipped;
	}
	uint32_t idx[LS_MAX_BEHAVIOURS];
	size_t nb = enabled_behaviours(p->behaviours, idx);
	char num[LS_NUMBUF];

	char fdrbuf[LS_NUMBUF], jacbuf[LS_NUMBUF], since[40], until[40];
	ls_afile_t af;
	ls_error_t err = ls_afile_open(&af, path, ctx);
	if (err != LS_OK)
		return err;
	FILE *f = af.f;
	fputs("{\n", f);
	put_ads(f, an);
	fprintf(f,
	        "  \"counts\": {\n"
	        "    \"accounts\": %zu,\n"
	        "    \"accounts_clustered\": %" PRIu64 ",\n"
	        "    \"accounts_linked\": %" PRIu64 ",\n"
	        "    \"clusters\": %" PRIu64 ",\n"
	        "    \"coactions\": %" PRIu64 ",\n"
	        "    \"coactions_skipped_in_bursts\": %" PRIu64 ",\n"
	        "    \"kept_links\": %" PRIu64 ",\n"
	        "    \"links\": %" PRIu64 ",\n"
	        "    \"posts_read\": %" PRIu64 ",\n"
	        "    \"posts_skipped\": %" PRIu64 ",\n"
	        "    \"traces\": ",
	        ds->accounts.n, c.accounts_clustered, c.accounts_linked, c.clusters, c.coactions,
	        c.burst_skipped, c.kept_links, c.links, read, skipped);
	put_traces(f, ds, idx, nb);
	fputs("\n  },\n  \"inputs\": ", f);
	put_inputs(f, ds);
	fputs(",\n  \"lockstep_version\": ", f);
	ls_out_json_str(f, LS_VERSION_STRING);
	fprintf(f, ",\n  \"parameters\": {\n    \"all_links\": %s,\n    \"behaviours\": ",
	        p->all_links ? "true" : "false");
	if (nb == 0) {
		fputs("[]", f);
	} else {
		fputs("[\n", f);
		for (size_t i = 0; i < nb; i++) {
			fputs("      ", f);
			ls_out_json_str(f, ls_behaviour_name(idx[i]));
			fputs(i + 1 < nb ? ",\n" : "\n", f);
		}
		fputs("    ]", f);
	}
	fputs(",\n    \"cluster\": ", f);
	ls_out_json_str(f, p->cluster == LS_CLUSTER_COMPONENTS ? "components" : "leiden");
	fprintf(f,
	        ",\n    \"emit_pairs\": %s,\n"
	        "    \"fast_retweet\": %" PRId64 ",\n"
	        "    \"fdr\": %s,\n"
	        "    \"keep_loops\": %s,\n"
	        "    \"max_burst\": %" PRIu32 ",\n"
	        "    \"min_cluster_size\": %" PRIu32 ",\n"
	        "    \"min_participation\": %" PRIu32 ",\n"
	        "    \"min_text_length\": %zu,\n"
	        "    \"min_weight\": %" PRIu32 ",\n"
	        "    \"neardup_jaccard\": %s,\n"
	        "    \"neardup_seed\": %" PRIu64 ",\n"
	        "    \"placebo_days\": %" PRIu32 ",\n"
	        "    \"resolution\": %s,\n"
	        "    \"seed\": %" PRIu64 ",\n"
	        "    \"since\": %s,\n"
	        "    \"sync_bin\": %" PRId64 ",\n"
	        "    \"until\": %s,\n"
	        "    \"window\": %" PRId64 ",\n"
	        "    \"window_auto\": %s\n"
	        "  },\n"
	        "  \"seed\": %" PRIu64 "\n"
	        "}\n",
	        p->emit_pairs ? "true" : "false", ds->opt.fast_retweet, ls_fmt_real(p->fdr, fdrbuf),
	        p->keep_loops ? "true" : "false", p->max_burst,
	        p->min_cluster_size, p->min_participation, ds->opt.min_text_length, p->min_weight,
	        ls_fmt_real(ds->opt.neardup_jaccard, jacbuf), ds->opt.neardup_seed, p->placebo_days,
	        isfinite(p->resolution) ? ls_fmt_real(p->resolution, num) : "null", p->seed,
	        period(p->has_since, p->since, since), ds->opt.sync_bin, period(p->has_until, p->until, until),
	        p->window, p->window_auto ? "true" : "false", p->seed);
	return ls_afile_commit(&af, ctx);
}
