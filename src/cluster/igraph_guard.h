/*
 * Guard around igraph calls: the library never prints, exits or aborts, but
 * igraph's default error handler aborts the process and its default warning
 * handler prints to stderr. ls_igraph_guard_begin installs a handler that
 * frees igraph's temporary allocations (IGRAPH_FINALLY_FREE) and records the
 * first message, plus a silent warning handler; ls_igraph_guard_end puts the
 * previous handlers back. ls_igraph_fail turns the recorded message into a
 * context error.
 *
 * igraph's handlers take no user pointer, so the message lives in one static
 * buffer. That is no extra restriction: Debian's igraph is built without
 * thread safety (IGRAPH_THREAD_SAFE 0), so igraph must not be called from
 * two threads at once anyway. Guards do not nest. Cost: O(1).
 */
#ifndef LS_CLUSTER_IGRAPH_GUARD_H
#define LS_CLUSTER_IGRAPH_GUARD_H

#include "lockstep.h"

#include <igraph.h>

typedef struct ls_igraph_guard {
	igraph_error_handler_t *prev_error;
	igraph_warning_handler_t *prev_warning;
} ls_igraph_guard_t;

/* Installs the recording handlers and forgets any earlier message. */
void ls_igraph_guard_begin(ls_igraph_guard_t *g);
/* Restores the handlers saved by ls_igraph_guard_begin. */
void ls_igraph_guard_end(ls_igraph_guard_t *g);
/* Records "igraph: <message>" in ctx for igraph error `code` (the recorded
 * message, else igraph's text for the code). Returns LS_ENOMEM for
 * IGRAPH_ENOMEM, else LS_EGRAPH. */
ls_error_t ls_igraph_fail(ls_ctx_t *ctx, igraph_error_t code);

#endif
