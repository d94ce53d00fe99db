/*
 * ls_verify_run: checks an output bundle (see lockstep.h). In order, and
 * stopping at the first finding, which names the file:
 *   1. manifest.json parses and its self checksum holds (manifest.c);
 *   2. manifest.sig, when present or required by --pubkey, is a valid
 *      Ed25519 signature of manifest.json (by the given key);
 *   3. the folder holds exactly the files the manifest lists (plus the
 *      manifest and its signature), each with its recorded size and SHA-256;
 *   4. each input (at its recorded path, or where the caller says it is
 *      now) exists with its recorded size and SHA-256;
 *   5. the analysis re-run from those inputs and the recorded parameters
 *      (params_json.c) into a temporary folder gives byte-identical files;
 *      the first differing line is reported.
 * Steps 1-3 are "tampered", 4 "inputs", 5 "tampered" (the outputs are not
 * what these inputs and parameters give). Findings are text for a
 * terminal: characters of the data other than printable ones are shown as
 * '?', so a hostile line cannot send escape sequences.
 * Time: O(bytes of outputs and inputs) plus one analysis run; memory: one
 * analysis run plus the manifest.
 */
#include "core/afile.h"
#include "core/analysis.h"
#include "core/ctx.h"
#include "explain/digest.h"
#include "explain/explain.h"
#include "explain/jsonp.h"
#include "explain/params_json.h"

#include <dirent.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define MANIFEST_MAX (64u << 20)

void ls_verify_options_init(ls_verify_options_t *opt)
{
	memset(opt, 0, sizeof *opt);
}

static void finding(ls_verify_report_t *rep, ls_verify_status_t st, const char *file,
                    const char *fmt, ...) __attribute__((format(printf, 4, 5)));

static void finding(ls_verify_report_t *rep, ls_verify_status_t st, const char *file,
                    const char *fmt, ...)
{
	rep->status = st;
	snprintf(rep->file, sizeof rep->file, "%s", file);
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(rep->detail, sizeof rep->detail, fmt, ap);
	va_end(ap);
	for (char *p = rep->detail; *p; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7f)
			*p = '?';
	for (char *p = rep->file; *p; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7f)
			*p = '?';
}

/* A name the manifest may list: a plain file name in the folder. */
static int plain_name(const char *s)
{
	if (s[0] == '\0' || s[0] == '.' || strlen(s) > 200)
		return 0;
	for (const char *p = s; *p; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
		      *p == '.' || *p == '_' || *p == '-'))
			return 0;
	return 1;
}

/* Step 1. Returns 0 when the manifest holds, else fills rep. */
static int check_self(const char *text, size_t len, ls_verify_report_t *rep)
{
	static const char key[] = "\"self_sha256\": \"";
	const char *at = strstr(text, key);
	unsigned char want[32], got[32];
	char hex[65];
	if (at == NULL || (size_t)(at - text) + sizeof key - 1 + 64 > len) {
		finding(rep, LS_VERIFY_TAMPERED, "manifest.json", "manifest.json has no self checksum");
		return -1;
	}
	const char *hv = at + sizeof key - 1;
	memcpy(hex, hv, 64);
	hex[64] = '\0';
	char *copy = malloc(len ? len : 1);
	if (copy == NULL || ls_unhex(hex, want, 32)) {
		free(copy);
		finding(rep, LS_VERIFY_TAMPERED, "manifest.json",
		        "manifest.json: the self checksum is malformed");
		return -1;
	}
	memcpy(copy, text, len);
	memset(copy + (hv - text), '0', 64);
	int bad = ls_sha256_buf(copy, len, got) || memcmp(want, got, 32) != 0;
	free(copy);
	if (bad) {
		finding(rep, LS_VERIFY_TAMPERED, "manifest.json",
		        "manifest.json was changed after it was written (its self checksum does not "
		        "match)");
		return -1;
	}
	return 0;
}

static char *join(const char *dir, const char *name, ls_ctx_t *ctx, ls_error_t *err)
{
	char *p = ls_path_join(dir, name);
	if (p == NULL)
		*err = ls_fail(ctx, LS_ENOMEM, "out of memory");
	return p;
}

/* Step 3: every listed file with its hash; nothing added. */
static ls_error_t check_files(const char *outdir, const ls_jv_t *files, ls_verify_report_t *rep,
                              ls_ctx_t *ctx)
{
	if (files == NULL || files->type != LS_J_OBJ) {
		finding(rep, LS_VERIFY_TAMPERED, "manifest.json", "manifest.json lists no files");
		return LS_OK;
	}
	DIR *d = opendir(outdir);
	if (d == NULL)
		return ls_fail(ctx, LS_EIO, "%s: %s", outdir, strerror(errno));
	struct dirent *e;
	while ((e = readdir(d)) != NULL) {
		const char *n = e->d_name;
		if (strcmp(n, ".") == 0 || strcmp(n, "..") == 0 || strcmp(n, "manifest.json") == 0 ||
		    strcmp(n, "manifest.sig") == 0)
			continue;
		if (ls_jv_get(files, n) == NULL) {
			finding(rep, LS_VERIFY_TAMPERED, n,
			        "%s is in the folder but not in the manifest (added after the run)", n);
			break;
		}
	}
	closedir(d);
	if (rep->status != LS_VERIFY_OK)
		return LS_OK;
	for (size_t i = 0; i < files->n; i++) {
		const char *name = files->keys[i];
		const ls_jv_t *fv = &files->items[i];
		const char *sh = ls_jv_get_str(fv, "sha256");
		uint64_t want_bytes, bytes;
		unsigned char want[32], got[32];
		if (!plain_name(name) || sh == NULL || ls_unhex(sh, want, 32) ||
		    ls_jv_u64(ls_jv_get(fv, "bytes"), &want_bytes)) {
			finding(rep, LS_VERIFY_TAMPERED, "manifest.json",
			        "manifest.json: malformed entry for a file");
			return LS_OK;
		}
		ls_error_t err = LS_OK;
		char *path = join(outdir, name, ctx, &err);
		if (path == NULL)
			return err;
		struct stat st;
		if (stat(path, &st) != 0) {
			free(path);
			finding(rep, LS_VERIFY_TAMPERED, name, "%s is missing", name);
			return LS_OK;
		}
		err = ls_sha256_file(path, got, &bytes, ctx);
		free(path);
		if (err)
			return err;
		if (bytes != want_bytes || memcmp(want, got, 32) != 0) {
			char hex[65];
			if (bytes != want_bytes)
				finding(rep, LS_VERIFY_TAMPERED, name,
				        "%s was changed: %llu bytes, the manifest says %llu", name,
				        (unsigned long long)bytes, (unsigned long long)want_bytes);
			else
				finding(rep, LS_VERIFY_TAMPERED, name,
				        "%s was changed: SHA-256 %s, the manifest says %s", name,
				        ls_hex(got, 32, hex), sh);
			return LS_OK;
		}
	}
	ls_diag(ctx, LS_DIAG_PROGRESS, "%zu output files match the manifest", files->n);
	return LS_OK;
}

/* Step 4. `where[i]` is set to the path input i is read from. */
static ls_error_t check_inputs(const ls_jv_t *inputs, const ls_verify_options_t *opt,
                               const char **where, ls_verify_report_t *rep, ls_ctx_t *ctx)
{
	for (size_t i = 0; i < inputs->n; i++) {
		const ls_jv_t *in = &inputs->items[i];
		const char *rec = ls_jv_get_str(in, "path");
		const char *sh = ls_jv_get_str(in, "sha256");
		uint64_t want_bytes, bytes;
		unsigned char want[32], got[32];
		if (rec == NULL || sh == NULL || ls_unhex(sh, want, 32) ||
		    ls_jv_u64(ls_jv_get(in, "bytes"), &want_bytes) ||
		    ls_jv_get_str(in, "format") == NULL) {
			finding(rep, LS_VERIFY_TAMPERED, "manifest.json",
			        "manifest.json: malformed entry for input %zu", i);
			return LS_OK;
		}
		const char *path = opt->n_inputs ? opt->inputs[i] : rec;
		where[i] = path;
		if (strcmp(path, "-") == 0) {
			finding(rep, LS_VERIFY_INPUTS, rec,
			        "input %zu was read from standard input; give its file with --inputs", i);
			return LS_OK;
		}
		struct stat st;
		if (stat(path, &st) != 0 || !S_ISREG(st.st_mode)) {
			finding(rep, LS_VERIFY_INPUTS, path, "input %zu (%s) is missing%s", i, path,
			        opt->n_inputs ? "" : "; give its new place with --inputs");
			return LS_OK;
		}
		ls_error_t err = ls_sha256_file(path, got, &bytes, ctx);
		if (err)
			return err;
		if (bytes != want_bytes || memcmp(want, got, 32) != 0) {
			finding(rep, LS_VERIFY_INPUTS, path,
			        "input %zu (%s) is not the file that was analysed: %llu bytes, "
			        "SHA-256 %.16s...; the manifest says %llu bytes, %.16s...",
			        i, path, (unsigned long long)bytes, ls_hex(got, 32, (char[65]){0}),
			        (unsigned long long)want_bytes, sh);
			return LS_OK;
		}
	}
	ls_diag(ctx, LS_DIAG_PROGRESS, "%zu inputs match the manifest", inputs->n);
	return LS_OK;
}

/* Compares two files line by line; fills rep at the first difference. */
static ls_error_t compare_file(const char *name, const char *a, const char *b,
                               ls_verify_report_t *rep, ls_ctx_t *ctx)
{
	FILE *fa = fopen(a, "rb"), *fb = fopen(b, "rb");
	if (fa == NULL || fb == NULL) {
		if (fa)
			fclose(fa);
		if (fb)
			fclose(fb);
		if (fb == NULL) {
			finding(rep, LS_VERIFY_TAMPERED, name, "%s: the re-run does not write this file",
			        name);
			return LS_OK;
		}
		return ls_fail(ctx, LS_EIO, "%s: %s", a, strerror(errno));
	}
	char *la = NULL, *lb = NULL;
	size_t ca = 0, cb = 0;
	uint64_t line = 0;
	for (;;) {
		ssize_t na = getline(&la, &ca, fa), nb = getline(&lb, &cb, fb);
		line++;
		if (na < 0 && nb < 0)
			break;
		if (na != nb || memcmp(la, lb, (size_t)na) != 0) {
			const char *sa = na < 0 ? "(end of file)" : la, *sb = nb < 0 ? "(end of file)" : lb;
			int csv = strstr(name, ".csv") != NULL;
			char rec[64] = "";
			if (csv && line > 1)
				snprintf(rec, sizeof rec, " (record %llu)", (unsigned long long)(line - 1));
			finding(rep, LS_VERIFY_TAMPERED, name,
			        "%s differs from the re-run at line %llu%s: the folder has \"%.120s\", the "
			        "re-run \"%.120s\"",
			        name, (unsigned long long)line, rec, sa, sb);
			break;
		}
	}
	free(la);
	free(lb);
	fclose(fa);
	fclose(fb);
	return LS_OK;
}

static void remove_tree(const char *dir)
{
	DIR *d = opendir(dir);
	if (d) {
		struct dirent *e;
		while ((e = readdir(d)) != NULL) {
			if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
				continue;
			char *p = ls_path_join(dir, e->d_name);
			if (p) {
				unlink(p);
				free(p);
			}
		}
		closedir(d);
	}
	rmdir(dir);
}

/* Step 5. */
static ls_error_t rerun(const char *outdir, const ls_jv_t *man, const char **where,
                        ls_verify_report_t *rep, ls_ctx_t *ctx)
{
	const ls_jv_t *inputs = ls_jv_get(man, "inputs");
	const ls_jv_t *files = ls_jv_get(man, "files");
	ls_params_t params;
	ls_read_options_t ro;
	ls_error_t err = ls_params_json_read(ls_jv_get(man, "parameters"), &params, &ro, ctx);
	if (err)
		return err;
	ls_dataset_t *ds = NULL;
	ls_analysis_t *an = NULL;
	char *tmp = NULL, *out = NULL;
	if ((err = ls_dataset_new(&ds, &ro, ctx)) != LS_OK)
		return err;
	/* texts are re-read from where the inputs are now, except that an
	 * input first read from standard input had none: the re-run must not
	 * have them either */
	const char **reread = calloc(inputs->n ? inputs->n : 1, sizeof *reread);
	if (reread == NULL) {
		ls_dataset_free(ds);
		return ls_fail(ctx, LS_ENOMEM, "out of memory");
	}
	for (size_t i = 0; i < inputs->n; i++)
		reread[i] = strcmp(ls_jv_get_str(&inputs->items[i], "path"), "-") == 0 ? "-" : where[i];
	ls_diag(ctx, LS_DIAG_PROGRESS, "re-running the analysis");
	for (size_t i = 0; i < inputs->n && !err; i++) {
		const ls_jv_t *in = &inputs->items[i];
		err = ls_dataset_read(ds, where[i], ls_jv_get_str(in, "format"), ctx);
		if (err)
			break;
		/* outputs record the path as first given, not where it is now */
		ls_input_t *di = &ds->inputs.v[ds->inputs.n - 1];
		char *rec = strdup(ls_jv_get_str(in, "path"));
		if (rec == NULL) {
			err = ls_fail(ctx, LS_ENOMEM, "out of memory");
			break;
		}
		free(di->path);
		di->path = rec;
	}
	if (!err)
		err = ls_analysis_run(&an, ds, &params, ctx);
	if (!err) {
		const char *base = getenv("TMPDIR");
		size_t n = strlen(base && base[0] ? base : "/tmp") + 32;
		tmp = malloc(n);
		if (tmp == NULL) {
			err = ls_fail(ctx, LS_ENOMEM, "out of memory");
		} else {
			snprintf(tmp, n, "%s/lockstep-verify.XXXXXX", base && base[0] ? base : "/tmp");
			if (mkdtemp(tmp) == NULL) {
				err = ls_fail(ctx, LS_EIO, "%s: %s", tmp, strerror(errno));
				free(tmp);
				tmp = NULL;
			}
		}
	}
	if (!err) {
		out = ls_path_join(tmp, "out");
		err = out ? ls_explain_write(an, out, NULL, reread, ctx)
		          : ls_fail(ctx, LS_ENOMEM, "out of memory");
	}
	for (size_t i = 0; !err && i <= files->n && rep->status == LS_VERIFY_OK; i++) {
		const char *name = i < files->n ? files->keys[i] : "manifest.json";
		char *a = join(outdir, name, ctx, &err), *b = a ? join(out, name, ctx, &err) : NULL;
		if (a && b)
			err = compare_file(name, a, b, rep, ctx);
		free(a);
		free(b);
	}
	if (!err && rep->status == LS_VERIFY_OK)
		ls_diag(ctx, LS_DIAG_PROGRESS, "the re-run gives byte-identical outputs");
	if (out) {
		remove_tree(out);
		free(out);
	}
	if (tmp) {
		rmdir(tmp);
		free(tmp);
	}
	free(reread);
	ls_analysis_free(an);
	ls_dataset_free(ds);
	return err;
}

ls_error_t ls_verify_run(const char *outdir, const ls_verify_options_t *opt,
                         ls_verify_report_t *rep, ls_ctx_t *ctx)
{
	ls_verify_options_t defaults;
	if (opt == NULL) {
		ls_verify_options_init(&defaults);
		opt = &defaults;
	}
	memset(rep, 0, sizeof *rep);
	struct stat st;
	if (outdir == NULL || stat(outdir, &st) != 0 || !S_ISDIR(st.st_mode))
		return ls_fail(ctx, LS_EIO, "%s: not a folder", outdir ? outdir : "(null)");
	ls_error_t err = LS_OK;
	char *text = NULL, *sig = NULL;
	size_t len = 0, slen = 0;
	ls_jv_t *man = NULL;
	const char **where = NULL;
	char *mpath = join(outdir, "manifest.json", ctx, &err);
	char *spath = mpath ? join(outdir, "manifest.sig", ctx, &err) : NULL;
	if (err)
		goto done;
	if (stat(mpath, &st) != 0) {
		finding(rep, LS_VERIFY_TAMPERED, "manifest.json",
		        "manifest.json is missing: nothing to verify against");
		goto done;
	}
	if ((err = ls_slurp(mpath, MANIFEST_MAX, &text, &len, ctx)) != LS_OK)
		goto done;
	if (check_self(text, len, rep))
		goto done;
	if (ls_jv_parse(&man, text, len, ctx) != LS_OK || man->type != LS_J_OBJ) {
		ls_ctx_clear(ctx);
		finding(rep, LS_VERIFY_TAMPERED, "manifest.json", "manifest.json is not valid JSON");
		goto done;
	}
	const char *fmt = ls_jv_get_str(man, "format");
	if (fmt == NULL || strcmp(fmt, "lockstep-manifest-1") != 0) {
		err = ls_fail(ctx, LS_EPARSE, "manifest.json: unknown format (newer lockstep?)");
		goto done;
	}
	/* step 2 */
	if (stat(spath, &st) == 0) {
		if ((err = ls_slurp(spath, 4096, &sig, &slen, ctx)) != LS_OK) {
			if (err == LS_ELIMIT) {
				ls_ctx_clear(ctx);
				err = LS_OK;
				finding(rep, LS_VERIFY_TAMPERED, "manifest.sig", "manifest.sig is malformed");
			}
			goto done;
		}
		int valid;
		unsigned char pub[32];
		char why[512];
		err = ls_sign_check(sig, slen, text, len, opt->pubkey, &valid, pub, why, sizeof why, ctx);
		if (err)
			goto done;
		if (!valid) {
			finding(rep, LS_VERIFY_TAMPERED, "manifest.sig", "%s", why);
			goto done;
		}
		rep->signed_ = 1;
		ls_hex(pub, 32, rep->signer);
		ls_diag(ctx, LS_DIAG_PROGRESS, "manifest.sig: valid Ed25519 signature by key %s%s",
		        rep->signer, opt->pubkey ? " (the given public key)" : "");
	} else if (opt->pubkey) {
		finding(rep, LS_VERIFY_TAMPERED, "manifest.sig",
		        "manifest.sig is missing, but a signature by %s was required", opt->pubkey);
		goto done;
	}
	/* step 3 */
	if ((err = check_files(outdir, ls_jv_get(man, "files"), rep, ctx)) != LS_OK ||
	    rep->status != LS_VERIFY_OK)
		goto done;
	/* step 4 */
	const ls_jv_t *inputs = ls_jv_get(man, "inputs");
	if (inputs == NULL || inputs->type != LS_J_ARR) {
		finding(rep, LS_VERIFY_TAMPERED, "manifest.json", "manifest.json lists no inputs");
		goto done;
	}
	if (opt->n_inputs && opt->n_inputs != inputs->n) {
		err = ls_fail(ctx, LS_EINVAL, "%zu inputs given, the manifest records %zu",
		              opt->n_inputs, inputs->n);
		goto done;
	}
	where = calloc(inputs->n ? inputs->n : 1, sizeof *where);
	if (where == NULL) {
		err = ls_fail(ctx, LS_ENOMEM, "out of memory");
		goto done;
	}
	if ((err = check_inputs(inputs, opt, where, rep, ctx)) != LS_OK ||
	    rep->status != LS_VERIFY_OK)
		goto done;
	/* step 5 */
	if (!opt->no_rerun)
		err = rerun(outdir, man, where, rep, ctx);
done:
	free(where);
	ls_jv_free(man);
	free(text);
	free(sig);
	free(mpath);
	free(spath);
	return err;
}
