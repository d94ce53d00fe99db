/*
 * ls_analysis_write: the explain stage's entry point. Creates the output
 * directory and writes the five files, each atomically; stops at the first
 * error, so a failed run leaves earlier files complete and later ones as
 * they were. Time O(accounts + links + pairs); memory O(accounts).
 */
#include "core/afile.h"
#include "core/analysis.h"
#include "core/ctx.h"

#include <stdlib.h>

typedef ls_error_t (*writer_fn)(const ls_analysis_t *an, const char *path, ls_ctx_t *ctx);

static const struct {
	const char *name;
	writer_fn write;
} outputs[] = {
	{"accounts.csv", ls_write_accounts_csv},   {"edges.csv", ls_write_edges_csv},
	{"clusters.csv", ls_write_clusters_csv},   {"network.graphml", ls_write_graphml},
	{"summary.json", ls_write_summary_json},
};

ls_error_t ls_analysis_write(const ls_analysis_t *an, const char *dir, ls_ctx_t *ctx)
{
	if (an == NULL || dir == NULL)
		return ls_fail(ctx, LS_EINVAL, "no analysis or output directory");
	ls_error_t err = ls_mkdir_p(dir, ctx);
	for (size_t i = 0; err == LS_OK && i < sizeof outputs / sizeof outputs[0]; i++) {
		char *path = ls_path_join(dir, outputs[i].name);
		if (path == NULL)
			return ls_fail(ctx, LS_ENOMEM, "out of memory");
		err = outputs[i].write(an, path, ctx);
		free(path);
	}
	return err;
}
