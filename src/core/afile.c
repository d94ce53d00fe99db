#include "core/afile.h"
#include "core/ctx.h"

#include <errno.h>
#include <stdio_ext.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

char *ls_path_join(const char *dir, const char *name)
{
	size_t a = strlen(dir), b = strlen(name);
	char *p = malloc(a + b + 2);
	if (p == NULL)
		return NULL;
	memcpy(p, dir, a);
	size_t k = a;
	if (a > 0 && dir[a - 1] != '/')
		p[k++] = '/';
	memcpy(p + k, name, b + 1);
	return p;
}

ls_error_t ls_mkdir_p(const char *dir, ls_ctx_t *ctx)
{
	size_t n = strlen(dir);
	char *p = malloc(n + 1);
	if (p == NULL)
		return ls_fail(ctx, LS_ENOMEM, "out of memory");
	memcpy(p, dir, n + 1);
	for (size_t i = 1; i <= n; i++) {
		if (p[i] != '/' && p[i] != '\0')
			continue;
		char c = p[i];
		p[i] = '\0';
		if (mkdir(p, 0777) != 0 && errno != EEXIST) {
			int e = errno;
			free(p);
			return ls_fail(ctx, LS_EIO, "%s: cannot create directory: %s", dir, strerror(e));
		}
		p[i] = c;
	}
	free(p);
	struct stat st;
	if (stat(dir, &st) != 0 || !S_ISDIR(st.st_mode))
		return ls_fail(ctx, LS_EIO, "%s: not a directory", dir);
	return LS_OK;
}

ls_error_t ls_afile_open(ls_afile_t *af, const char *path, ls_ctx_t *ctx)
{
	memset(af, 0, sizeof *af);
	size_t n = strlen(path);
	af->path = malloc(n + 1);
	af->tmp = malloc(n + 32);
	if (af->path == NULL || af->tmp == NULL) {
		ls_afile_abort(af);
		return ls_fail(ctx, LS_ENOMEM, "out of memory");
	}
	memcpy(af->path, path, n + 1);
	snprintf(af->tmp, n + 32, "%s.tmp.%ld", path, (long)getpid());
	af->f = fopen(af->tmp, "wb");
	if (af->f == NULL) {
		int e = errno;
		ls_afile_abort(af);
		return ls_fail(ctx, LS_EIO, "%s: cannot create: %s", path, strerror(e));
	}
	/* one thread writes each file: no stdio locking; a large buffer */
	__fsetlocking(af->f, FSETLOCKING_BYCALLER);
	setvbuf(af->f, NULL, _IOFBF, 1 << 20);
	return LS_OK;
}

ls_error_t ls_afile_commit(ls_afile_t *af, ls_ctx_t *ctx)
{
	ls_error_t err = LS_OK;
	if (af->f == NULL)
		return ls_fail(ctx, LS_EINTERNAL, "commit of a file that is not open");
	int bad = ferror(af->f) || fflush(af->f) != 0 || fsync(fileno(af->f)) != 0;
	int e = errno;
	if (fclose(af->f) != 0 && !bad) {
		bad = 1;
		e = errno;
	}
	af->f = NULL;
	if (bad) {
		err = ls_fail(ctx, LS_EIO, "%s: write failed: %s", af->path, strerror(e));
		goto done;
	}
	if (rename(af->tmp, af->path) != 0) {
		e = errno;
		err = ls_fail(ctx, LS_EIO, "%s: cannot rename into place: %s", af->path, strerror(e));
		goto done;
	}
	free(af->tmp);
	af->tmp = NULL;
done:
	ls_afile_abort(af);
	return err;
}

void ls_afile_abort(ls_afile_t *af)
{
	if (af->f != NULL) {
		fclose(af->f);
		af->f = NULL;
	}
	if (af->tmp != NULL) {
		unlink(af->tmp);
		free(af->tmp);
		af->tmp = NULL;
	}
	free(af->path);
	af->path = NULL;
}
