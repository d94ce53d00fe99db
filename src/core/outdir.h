/*
 * Atomic output directories. All of a run's files are written into a
 * staging directory "<dir>.tmp.<pid>" beside the target; commit swaps it
 * with the target in one step (renameat2 RENAME_EXCHANGE, or a plain rename
 * when the target does not exist yet) and then deletes the old outputs. A
 * run killed at any point leaves the previous outputs or the new ones,
 * never a mix of the two. An existing target that is not empty must hold a
 * previous lockstep run (a summary.json): lockstep never deletes a folder
 * of someone else's files.
 */
#ifndef LS_CORE_OUTDIR_H
#define LS_CORE_OUTDIR_H

#include "lockstep.h"

typedef struct ls_outdir {
	char *final; /* the target directory */
	char *stage; /* where the files are written until commit */
} ls_outdir_t;

/* Creates the staging directory (and the target's parents). */
ls_error_t ls_outdir_begin(ls_outdir_t *od, const char *dir, ls_ctx_t *ctx);
/* Path of `name` inside the staging directory (malloc'd), or NULL. */
char *ls_outdir_path(const ls_outdir_t *od, const char *name);
/* Puts the staged files in place of the target's; frees the handle. */
ls_error_t ls_outdir_commit(ls_outdir_t *od, ls_ctx_t *ctx);
/* Removes the staging directory and frees the handle (after an error). */
void ls_outdir_abort(ls_outdir_t *od);

#endif
