/*
 * Incidences for the ads null (score/null_ads.h): one trace per (account,
 * object), the account's earliest on that object. An advertiser that runs
 * forty ads with one audience uses that audience once; counting its forty
 * traces would make its own repetition look like co-activity with anyone
 * else on the audience. Time O(T); memory 4 bytes per account.
 */
#include "core/analysis.h"

#include <stdlib.h>

size_t ls_incidences(ls_trace_t *t, size_t n, size_t accounts, int *oom)
{
	*oom = 0;
	/* last[a] = 1 + the index of the object run where a was last seen */
	uint32_t *last = calloc(accounts ? accounts : 1, sizeof *last);
	if (last == NULL || n >= UINT32_MAX) {
		free(last);
		*oom = 1;
		return n;
	}
	size_t out = 0;
	uint32_t run = 0;
	for (size_t i = 0; i < n; i++) {
		if (i == 0 || t[i].object != t[i - 1].object)
			run++;
		if (last[t[i].account] == run)
			continue;
		last[t[i].account] = run;
		t[out++] = t[i];
	}
	free(last);
	return out;
}

int ls_link_window(const ls_analysis_t *an, uint32_t b, ls_trace_t *t, size_t *n, int64_t *window)
{
	*window = an->params.window;
	if (!(an->ads_null >> b & 1))
		return 0;
	int oom = 0;
	*n = ls_incidences(t, *n, an->ds->accounts.n, &oom);
	*window = INT64_MAX / 2; /* any two incidences of one object, whenever */
	return oom ? -1 : 0;
}
