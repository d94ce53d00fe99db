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
