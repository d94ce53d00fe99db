#define _GNU_SOURCE /* renameat2 */
#include "core/outdir.h"
#include "core/afile.h"
#include "core/ctx.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static int rm_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	return remove(path);
}

/* Removes a directory tree we created (the stage, or old outputs). */
static void rm_tree(const char *path)
{
	nftw(path, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
}

/* 1 when `dir` is missing or empty or holds a previous run; 0 otherwise. */
static int replaceable(const char *dir)
{
	DIR *d = opendir(dir);
	if (d == NULL)
		return errno == ENOENT;
	int entries = 0, summary = 0;
	struct dirent *e;
	while ((e = readdir(d)) != NULL) {
		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
			continue;
		entries++;
		summary |= strcmp(e->d_name, "summary.json") == 0;
	}
	closedir(d);
	return entries == 0 || summary;
}

static void sync_dir(const char *dir)
{
	int fd = open(dir, O_RDONLY | O_DIRECTORY);
	if (fd >= 0) {
		fsync(fd);
		close(fd);
	}
}

ls_error_t ls_outdir_begin(ls_outdir_t *od, const char *dir, ls_ctx_t *ctx)
{
	memset(od, 0, sizeof *od);
	size_t n = strlen(dir);
	while (n > 1 && dir[n - 1] == '/')
		n--;
	struct stat st;
	char *final = strndup(dir, n);
	if (final == NULL)
		return ls_fail(ctx, LS_ENOMEM, "out of memory");
	if (stat(final, &st) == 0 && !S_ISDIR(st.st_mode)) {
		free(final);
		return ls_fail(ctx, LS_EIO, "%s: exists and is not a directory", dir);
	}
	if (!replaceable(final)) {
		free(final);
		return ls_fail(ctx, LS_EIO,
		               "%s: holds files that are not a lockstep run (no summary.json); "
		               "choose a new or empty directory",
		               dir);
	}
	od->final = final;
	od->stage = malloc(n + 32);
	if (od->stage == NULL) {
		ls_outdir_abort(od);
		return ls_fail(ctx, LS_ENOMEM, "out of memory");
	}
	snprintf(od->stage, n + 32, "%s.tmp.%ld", final, (long)getpid());
	rm_tree(od->stage); /* a leftover of a killed run with our pid */
	ls_error_t err = ls_mkdir_p(od->stage, ctx);
	if (err) {
		free(od->stage);
		od->stage = NULL;
		ls_outdir_abort(od);
	}
	return err;
}

char *ls_outdir_path(const ls_outdir_t *od, const char *name)
{
	return ls_path_join(od->stage, name);
}

ls_error_t ls_outdir_commit(ls_outdir_t *od, ls_ctx_t *ctx)
{
	ls_error_t err = LS_OK;
	sync_dir(od->stage);
	struct stat st;
	if (stat(od->final, &st) != 0) {
		if (rename(od->stage, od->final) != 0)
			err = ls_fail(ctx, LS_EIO, "%s: cannot move the results into place: %s", od->final,
			              strerror(errno));
	} else if (renameat2(AT_FDCWD, od->stage, AT_FDCWD, od->final, RENAME_EXCHANGE) != 0) {
		/* no atomic exchange on this file system: move the old run aside
		 * first; a crash in between leaves it complete under <dir>.old.<pid> */
		size_t n = strlen(od->final) + 32;
		char *old = malloc(n);
		if (old == NULL) {
			err = ls_fail(ctx, LS_ENOMEM, "out of memory");
		} else {
			snprintf(old, n, "%s.old.%ld", od->final, (long)getpid());
			if (rename(od->final, old) != 0 || rename(od->stage, od->final) != 0)
				err = ls_fail(ctx, LS_EIO, "%s: cannot move the results into place: %s",
				              od->final, strerror(errno));
			else
				rm_tree(old);
			free(old);
		}
	}
	/* after an exchange the stage path holds the previous run: remove it */
	if (!err) {
		char *parent = strdup(od->final);
		if (parent) {
			char *slash = strrchr(parent, '/');
			if (slash && slash != parent) {
				*slash = '\0';
				sync_dir(parent);
			} else {
				sync_dir(slash ? "/" : ".");
			}
			free(parent);
		}
	}
	ls_outdir_abort(od);
	return err;
}

void ls_outdir_abort(ls_outdir_t *od)
{
	if (od->stage != NULL) {
		rm_tree(od->stage);
		free(od->stage);
	}
	free(od->final);
	od->stage = od->final = NULL;
}
