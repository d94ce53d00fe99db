/*
 * manifest.json: what a reader needs to check a bundle and rebuild it.
 * Canonical JSON (jsonw.h), keys sorted:
 *   files          {name: {bytes, sha256}} for every other output
 *   format         "lockstep-manifest-1"
 *   inputs         [{bytes, format, path, posts_read, posts_skipped, sha256}]
 *   lockstep_version, seed
 *   parameters     every field of ls_params_t and ls_read_options_t
 *                  (params_json.c, the one table)
 *   self_sha256    SHA-256 of this file with this value replaced by 64 '0's
 * The self checksum is not a defence against a forger (who can recompute
 * it; the signature and the re-run are): it lets verify say that it is the
 * manifest itself that was changed rather than blame the file whose hash
 * the change hit. The manifest is written after every other output, inside
 * the same staging directory, so it hashes the final bytes; then, with a
 * key, manifest.sig (sign.c) over its exact bytes.
 * Time O(output bytes) for the hashes; memory O(manifest).
 */
#include "core/afile.h"
#include "core/ctx.h"
#include "explain/digest.h"
#include "explain/explain.h"
#include "explain/jsonw.h"
#include "explain/params_json.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char self_key[] = "\"self_sha256\": \"";

ls_error_t ls_write_manifest(const ls_analysis_t *an, const char *dir, const char *const *names,
                             const unsigned char (*sha)[32], const uint64_t *bytes_of, size_t n,
                             const char *sign_key, ls_ctx_t *ctx)
{
	const ls_dataset_t *ds = an->ds;
	ls_error_t err = LS_OK;
	char *buf = NULL, *path = NULL;
	size_t len = 0;
	/* file indexes in name order (a handful: insertion sort) */
	size_t *sorted = malloc((n ? n : 1) * sizeof *sorted);
	if (sorted == NULL)
		return ls_fail(ctx, LS_ENOMEM, "out of memory");
	for (size_t i = 0; i < n; i++) {
		size_t j = i;
		for (; j > 0 && strcmp(names[sorted[j - 1]], names[i]) > 0; j--)
			sorted[j] = sorted[j - 1];
		sorted[j] = i;
	}
	FILE *f = open_memstream(&buf, &len);
	if (f == NULL) {
		free(sorted);
		return ls_fail(ctx, LS_ENOMEM, "out of memory");
	}
	char hex[65];
	ls_jw_t w;
	ls_jw_init(&w, f);
	ls_jw_obj(&w);
	ls_jw_key(&w, "files");
	ls_jw_obj(&w);
	for (size_t i = 0; i < n && !err; i++) {
		unsigned char h[32];
		uint64_t bytes = 0;
		const char *name = names[sorted[i]];
		if (sha && bytes_of) {
			memcpy(h, sha[sorted[i]], 32);
			bytes = bytes_of[sorted[i]];
		} else {
			path = ls_path_join(dir, name);
			if (path == NULL)
				err = ls_fail(ctx, LS_ENOMEM, "out of memory");
			else
				err = ls_sha256_file(path, h, &bytes, ctx);
			free(path);
			path = NULL;
			if (err)
				break;
		}
		ls_jw_key(&w, name);
		ls_jw_obj(&w);
		ls_jw_ku64(&w, "bytes", bytes);
		ls_jw_kstr(&w, "sha256", ls_hex(h, 32, hex));
		ls_jw_end(&w);
	}
	ls_jw_end(&w);
	ls_jw_kstr(&w, "format", "lockstep-manifest-1");
	ls_jw_key(&w, "inputs");
	ls_jw_arr(&w);
	for (size_t i = 0; i < ds->inputs.n; i++) {
		const ls_input_t *in = &ds->inputs.v[i];
		ls_jw_obj(&w);
		ls_jw_ku64(&w, "bytes", in->bytes);
		ls_jw_kstr(&w, "format", in->format ? in->format : "");
		ls_jw_kstr(&w, "path", in->path ? in->path : "");
		ls_jw_ku64(&w, "posts_read", in->read);
		ls_jw_ku64(&w, "posts_skipped", in->skipped);
		ls_jw_kstr(&w, "sha256", ls_hex(in->sha256, 32, hex));
		ls_jw_end(&w);
	}
	ls_jw_end(&w);
	ls_jw_kstr(&w, "lockstep_version", LS_VERSION_STRING);
	ls_jw_key(&w, "parameters");
	ls_params_json_write(&w, &an->params, &ds->opt);
	ls_jw_ku64(&w, "seed", an->params.seed);
	memset(hex, '0', 64);
	hex[64] = '\0';
	ls_jw_kstr(&w, "self_sha256", hex);
	ls_jw_end(&w);
	ls_jw_finish(&w);
	int bad = ferror(f);
	if (fclose(f) != 0 || bad)
		err = err ? err : ls_fail(ctx, LS_ENOMEM, "out of memory writing the manifest");
	free(sorted);
	if (err) {
		free(buf);
		return err;
	}
	/* the self checksum: the key is unique (keys are plain names and
	 * strings are escaped, so no value can hold it unescaped) */
	char *at = strstr(buf, self_key);
	unsigned char h[32];
	if (at == NULL || ls_sha256_buf(buf, len, h)) {
		free(buf);
		return ls_fail(ctx, LS_EINTERNAL, "manifest checksum failed");
	}
	memcpy(at + sizeof self_key - 1, ls_hex(h, 32, hex), 64);

	ls_afile_t af;
	path = ls_path_join(dir, "manifest.json");
	if (path == NULL)
		err = ls_fail(ctx, LS_ENOMEM, "out of memory");
	else if ((err = ls_afile_open(&af, path, ctx)) == LS_OK) {
		fwrite(buf, 1, len, af.f);
		err = ls_afile_commit(&af, ctx);
	}
	free(path);
	if (!err && sign_key) {
		path = ls_path_join(dir, "manifest.sig");
		err = path ? ls_sign_file(sign_key, buf, len, path, ctx)
		           : ls_fail(ctx, LS_ENOMEM, "out of memory");
		free(path);
	}
	free(buf);
	return err;
}
