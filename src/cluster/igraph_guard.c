/*
 * igraph handler guard (see igraph_guard.h). The handler keeps the first
 * message after ls_igraph_guard_begin: igraph reports the root cause first
 * and callers higher up the igraph stack may add less specific ones.
 */
#include "cluster/igraph_guard.h"
#include "core/ctx.h"

#include <stdio.h>

static char guard_msg[512];
static int guard_have;

static void record_error(const char *reason, const char *file, int line, igraph_error_t code)
{
	(void)file;
	(void)line;
	if (!guard_have) {
		snprintf(guard_msg, sizeof guard_msg, "%s",
		         reason && reason[0] ? reason : igraph_strerror(code));
		guard_have = 1;
	}
	/* What igraph_error_handler_ignore does: free the objects igraph
	 * allocated for the failed call, then let the error code propagate. */
	IGRAPH_FINALLY_FREE();
}

static void drop_warning(const char *reason, const char *file, int line)
{
	(void)reason;
	(void)file;
	(void)line;
}

void ls_igraph_guard_begin(ls_igraph_guard_t *g)
{
	guard_msg[0] = '\0';
	guard_have = 0;
	g->prev_error = igraph_set_error_handler(record_error);
	g->prev_warning = igraph_set_warning_handler(drop_warning);
}

void ls_igraph_guard_end(ls_igraph_guard_t *g)
{
	igraph_set_error_handler(g->prev_error);
	igraph_set_warning_handler(g->prev_warning);
}

ls_error_t ls_igraph_fail(ls_ctx_t *ctx, igraph_error_t code)
{
	const char *msg = guard_have ? guard_msg : igraph_strerror(code);
	return ls_fail(ctx, code == IGRAPH_ENOMEM ? LS_ENOMEM : LS_EGRAPH, "igraph: %s", msg);
}
