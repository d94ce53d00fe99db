/*
 * Internal view of the error context. The library reports every failure by
 * filling the context (code + message) and returning the code upward; the
 * first error set wins until ls_ctx_clear, so callers that clean up on the
 * way out cannot overwrite the root cause.
 */
#ifndef LS_CORE_CTX_H
#define LS_CORE_CTX_H

#include "lockstep.h"

#include <stdarg.h>

struct ls_ctx {
	ls_error_t code;
	char msg[1024];
	ls_diag_fn diag;
	void *diag_user;
	int strict;
	int threads; /* 0 = one per online CPU; see ls_ctx_threads */
};

/* Records an error (printf-style message) unless one is already recorded;
 * returns `code` so that callers can write `return ls_fail(...)`. */
ls_error_t ls_fail(ls_ctx_t *ctx, ls_error_t code, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* Worker threads to use: the count set with ls_ctx_set_threads, or the
 * number of online CPUs (at least 1, at most 256). */
int ls_ctx_threads(const ls_ctx_t *ctx);
/* Forgets the recorded error. */
void ls_ctx_clear(ls_ctx_t *ctx);
/* Sends one diagnostic line to the sink, if any. */
void ls_diag(ls_ctx_t *ctx, ls_diag_level_t level, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

#endif
