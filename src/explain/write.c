/*
 * ls_analysis_write: the explain stage's entry point. Writes every output
 * into a staging directory that replaces the output directory in one step
 * (core/outdir.h); stops at the first error and then leaves the previous
 * outputs untouched. Adding an output = one writer and one table row.
 * Time O(accounts + links + pairs); memory O(accounts).
 */
#include "core/afile.h"
#include "core/analysis.h"
#include "core/ctx.h"
#include "core/outdir.h"

#include <stdlib.h>

typedef ls_error_t (*writer_fn)(const ls_analysis_t *an, const char *path, ls_ctx_t *ctx);

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
	writer_fn write;
	int (*wanted)(const ls_analysis_t *an);
} outputs[] = {
	{"accounts.csv", ls_write_accounts_csv, always},
	{"edges.csv", ls_write_edges_csv, always},
	{"clusters.csv", ls_write_clusters_csv, always},
	{"network.graphml", ls_write_graphml, always},
	{"pairs.csv", ls_write_pairs_csv, with_pairs},
	{"summary.json", ls_write_summary_json, always},
};

ls_error_t ls_analysis_write(const ls_analysis_t *an, const char *dir, ls_ctx_t *ctx)
{
	if (an == NULL || dir == NULL)
		return ls_fail(ctx, LS_EINVAL, "no analysis or output directory");
	ls_outdir_t od;
	ls_error_t err = ls_outdir_begin(&od, dir, ctx);
	if (err)
		return err;
	for (size_t i = 0; err == LS_OK && i < sizeof outputs / sizeof outputs[0]; i++) {
		if (!outputs[i].wanted(an))
			continue;
		char *path = ls_outdir_path(&od, outputs[i].name);
		if (path == NULL) {
			err = ls_fail(ctx, LS_ENOMEM, "out of memory");
			break;
		}
		err = outputs[i].write(an, path, ctx);
		free(path);
	}
	if (err) {
		ls_outdir_abort(&od);
		return err;
	}
	return ls_outdir_commit(&od, ctx);
}
