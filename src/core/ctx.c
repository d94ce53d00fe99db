/* Error context: codes plus a message, never a global. */
#include "core/ctx.h"

#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

ls_ctx_t *ls_ctx_new(void)
{
	return calloc(1, sizeof(ls_ctx_t));
}

void ls_ctx_free(ls_ctx_t *ctx)
{
	free(ctx);
}

const char *ls_ctx_message(const ls_ctx_t *ctx)
{
	return ctx ? ctx->msg : "";
}

void ls_ctx_set_diag(ls_ctx_t *ctx, ls_diag_fn fn, void *user)
{
	ctx->diag = fn;
	ctx->diag_user = user;
}

void ls_ctx_set_strict(ls_ctx_t *ctx, int strict)
{
	ctx->strict = strict != 0;
}

void ls_ctx_set_threads(ls_ctx_t *ctx, int threads)
{
	ctx->threads = threads < 0 ? 0 : threads > 256 ? 256 : threads;
}

int ls_ctx_threads(const ls_ctx_t *ctx)
{
	if (ctx != NULL && ctx->threads > 0)
		return ctx->threads;
	long n = sysconf(_SC_NPROCESSORS_ONLN);
	return n < 1 ? 1 : n > 256 ? 256 : (int)n;
}

void ls_ctx_clear(ls_ctx_t *ctx)
{
	ctx->code = LS_OK;
	ctx->msg[0] = '\0';
}

ls_error_t ls_fail(ls_ctx_t *ctx, ls_error_t code, const char *fmt, ...)
{
	if (ctx == NULL || ctx->code != LS_OK)
		return code;
	ctx->code = code;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(ctx->msg, sizeof ctx->msg, fmt, ap);
	va_end(ap);
	return code;
}

void ls_diag(ls_ctx_t *ctx, ls_diag_level_t level, const char *fmt, ...)
{
	if (ctx == NULL || ctx->diag == NULL)
		return;
	char line[1024];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(line, sizeof line, fmt, ap);
	va_end(ap);
	ctx->diag(ctx->diag_user, level, line);
}

const char *ls_error_name(ls_error_t err)
{
	switch (err) {
	case LS_OK: return "ok";
	case LS_ENOMEM: return "out of memory";
	case LS_EIO: return "I/O error";
	case LS_EPARSE: return "parse error";
	case LS_EINVAL: return "invalid argument";
	case LS_EFORMAT: return "unknown format";
	case LS_ELIMIT: return "limit exceeded";
	case LS_EGRAPH: return "graph error";
	case LS_EINTERNAL: return "internal error";
	}
	return "unknown error";
}
