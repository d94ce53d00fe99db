/*
 * Atomic output files: write to "<path>.tmp.<pid>", fsync, rename over
 * <path>. A run killed at any point leaves the previous file or the new one,
 * never a truncated mix. Write errors are remembered (ferror) and reported
 * at commit.
 */
#ifndef LS_CORE_AFILE_H
#define LS_CORE_AFILE_H

#include "lockstep.h"

#include <stdio.h>

typedef struct ls_afile {
	FILE *f;        /* write through this */
	char *path;     /* final path */
	char *tmp;      /* temporary path */
} ls_afile_t;

/* Opens a temporary file beside `path`. On failure *af is left closed. */
ls_error_t ls_afile_open(ls_afile_t *af, const char *path, ls_ctx_t *ctx);
/* Flushes, syncs and renames into place; frees the handle either way. */
ls_error_t ls_afile_commit(ls_afile_t *af, ls_ctx_t *ctx);
/* Closes and removes the temporary file (after an error). Safe to call on a
 * committed or never-opened handle. */
void ls_afile_abort(ls_afile_t *af);

/* Creates directory `dir` (one level) if it does not exist. */
ls_error_t ls_mkdir_p(const char *dir, ls_ctx_t *ctx);
/* Joins dir and name into a new malloc'd string, or NULL. */
char *ls_path_join(const char *dir, const char *name);

#endif
