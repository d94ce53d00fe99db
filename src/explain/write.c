/*
 * ls_analysis_write: the explain stage's entry point. Writes every output
 * into a staging directory that replaces the output directory in one step
 * (core/outdir.h); stops at the first error and then leaves the previous
 * outputs untouched. Adding an output = one writer and one table row.
 *
 * The evidence (strongest co-actions and post texts, explain.h) is
 * gathered once and shared by evidence.json and report.html. The manifest
 * comes last, inside the same staging directory, so that it hashes the
 * final bytes of every other output; manifest.sig follows it.
 * Time O(accounts + links + pairs + evidence, see evidence.c); memory
 * O(accounts + kept links).
 */
#include "core/afile.h"
#include "core/analysis.h"
#include "core/ctx.h"
#include "core/outdir.h"
#include "explain/explain.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

static double now_s(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

typedef ls_error_t (*writer_fn)(const ls_analysis_t *an, const char *path, ls_ctx_t *ctx);
typedef ls_error_t (*ex_writer_fn)(const ls_explain_t *ex, const char *path, ls_ctx_t *ctx);

static int always(const ls_analysis_t *an)
{
	(void)an;
	return 1;
}

static int with_pairs(const ls_analysis_t *an)
{
	return an->params.emit_pairs;
}

static const struct {
	const char *name;
	writer_fn write;       /* one of write and write_ex is set */
	ex_writer_fn write_ex;
	int (*wanted)(const ls_analysis_t *an);
} outputs[] = {
	{"accounts.csv", ls_write_accounts_csv, NULL, always},
	{"edges.csv", ls_write_edges_csv, NULL, always},
	{"clusters.csv", ls_write_clusters_csv, NULL, always},
	{"network.graphml", ls_write_graphml, NULL, always},
	{"network.gexf", ls_write_gexf, NULL, always},
	{"pairs.csv", ls_write_pairs_csv, NULL, with_pairs},
	{"ads.json", ls_write_ads_json, NULL, ls_has_ads},
	{"summary.json", ls_write_summary_json, NULL, always},
	{"evidence.json", NULL, ls_write_evidence_json, always},
	{"report.html", NULL, ls_write_report_html, always},
};
#define NOUTPUTS (sizeof outputs / sizeof outputs[0])

void ls_write_options_init(ls_write_options_t *opt)
{
	memset(opt, 0, sizeof *opt);
}

ls_error_t ls_explain_write(const ls_analysis_t *an, const char *dir,
                            const ls_write_options_t *opt, const char *const *reread,
                            ls_ctx_t *ctx)
{
	if (an == NULL || dir == NULL)
		return ls_fail(ctx, LS_EINVAL, "no analysis or output directory");
	ls_evidence_t ev;
	double t0 = now_s();
	ls_error_t err = ls_evidence_build(&ev, an, reread, ctx);
	if (err)
		return err;
	ls_diag(ctx, LS_DIAG_PROGRESS, "evidence gathered in %.2f s", now_s() - t0);
	ls_explain_t ex = {an, &ev};
	ls_outdir_t od;
	if ((err = ls_outdir_begin(&od, dir, ctx)) != LS_OK) {
		ls_evidence_free(&ev);
		return err;
	}
	const char *written[NOUTPUTS];
	size_t nw = 0;
	for (size_t i = 0; err == LS_OK && i < NOUTPUTS; i++) {
		if (!outputs[i].wanted(an))
			continue;
		char *path = ls_outdir_path(&od, outputs[i].name);
		if (path == NULL) {
			err = ls_fail(ctx, LS_ENOMEM, "out of memory");
			break;
		}
		t0 = now_s();
		err = outputs[i].write ? outputs[i].write(an, path, ctx)
		                       : outputs[i].write_ex(&ex, path, ctx);
		free(path);
		ls_diag(ctx, LS_DIAG_PROGRESS, "%s written in %.2f s", outputs[i].name, now_s() - t0);
		written[nw++] = outputs[i].name;
	}
	t0 = now_s();
	if (!err)
		err = ls_write_manifest(an, od.stage, written, nw, opt ? opt->sign_key : NULL, ctx);
	ls_diag(ctx, LS_DIAG_PROGRESS, "manifest.json written in %.2f s", now_s() - t0);
	ls_evidence_free(&ev);
	if (err) {
		ls_outdir_abort(&od);
		return err;
	}
	return ls_outdir_commit(&od, ctx);
}

ls_error_t ls_analysis_write_with(const ls_analysis_t *an, const char *dir,
                                  const ls_write_options_t *opt, ls_ctx_t *ctx)
{
	return ls_explain_write(an, dir, opt, NULL, ctx);
}

ls_error_t ls_analysis_write(const ls_analysis_t *an, const char *dir, ls_ctx_t *ctx)
{
	return ls_explain_write(an, dir, NULL, NULL, ctx);
}
