/* SHA-256 and hex helpers (see digest.h). */
#include "explain/digest.h"
#include "core/ctx.h"

#include <errno.h>
#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

ls_error_t ls_sha256_file(const char *path, unsigned char out[32], uint64_t *bytes, ls_ctx_t *ctx)
{
	FILE *f = fopen(path, "rb");
	if (f == NULL)
		return ls_fail(ctx, LS_EIO, "%s: %s", path, strerror(errno));
	EVP_MD_CTX *md = EVP_MD_CTX_new();
	unsigned char *buf = malloc(1 << 16);
	ls_error_t err = LS_OK;
	uint64_t total = 0;
	if (md == NULL || buf == NULL) {
		err = ls_fail(ctx, LS_ENOMEM, "out of memory");
		goto done;
	}
	if (EVP_DigestInit_ex(md, EVP_sha256(), NULL) != 1) {
		err = ls_fail(ctx, LS_EINTERNAL, "SHA-256 unavailable");
		goto done;
	}
	size_t n;
	while ((n = fread(buf, 1, 1 << 16, f)) > 0) {
		(void)EVP_DigestUpdate(md, buf, n);
		total += n;
	}
	if (ferror(f)) {
		err = ls_fail(ctx, LS_EIO, "%s: read error", path);
		goto done;
	}
	unsigned int len = 0;
	if (EVP_DigestFinal_ex(md, out, &len) != 1 || len != 32)
		err = ls_fail(ctx, LS_EINTERNAL, "SHA-256 failed");
	if (bytes)
		*bytes = total;
done:
	EVP_MD_CTX_free(md);
	free(buf);
	fclose(f);
	return err;
}

int ls_sha256_buf(const void *buf, size_t n, unsigned char out[32])
{
	unsigned int len = 0;
	return EVP_Digest(buf, n, out, &len, EVP_sha256(), NULL) == 1 && len == 32 ? 0 : -1;
}

const char *ls_hex(const unsigned char *b, size_t n, char *hex)
{
	static const char digits[] = "0123456789abcdef";
	for (size_t i = 0; i < n; i++) {
		hex[2 * i] = digits[b[i] >> 4];
		hex[2 * i + 1] = digits[b[i] & 15];
	}
	hex[2 * n] = '\0';
	return hex;
}

int ls_unhex(const char *s, unsigned char *b, size_t n)
{
	for (size_t i = 0; i < 2 * n; i++) {
		char c = s[i];
		unsigned v;
		if (c >= '0' && c <= '9')
			v = (unsigned)(c - '0');
		else if (c >= 'a' && c <= 'f')
			v = (unsigned)(c - 'a' + 10);
		else
			return -1;
		if (i % 2 == 0)
			b[i / 2] = (unsigned char)(v << 4);
		else
			b[i / 2] |= (unsigned char)v;
	}
	return s[2 * n] == '\0' ? 0 : -1;
}

ls_error_t ls_slurp(const char *path, size_t max, char **out, size_t *len, ls_ctx_t *ctx)
{
	*out = NULL;
	FILE *f = fopen(path, "rb");
	if (f == NULL)
		return ls_fail(ctx, LS_EIO, "%s: %s", path, strerror(errno));
	size_t cap = 4096, n = 0;
	char *buf = malloc(cap + 1);
	ls_error_t err = LS_OK;
	while (buf != NULL) {
		size_t got = fread(buf + n, 1, cap - n, f);
		n += got;
		if (got == 0)
			break;
		if (n > max) {
			err = ls_fail(ctx, LS_ELIMIT, "%s: larger than %zu bytes", path, max);
			break;
		}
		if (n == cap) {
			char *nb = cap <= max ? realloc(buf, 2 * cap + 1) : NULL;
			if (nb == NULL) {
				free(buf);
				buf = NULL;
				break;
			}
			buf = nb;
			cap *= 2;
		}
	}
	if (buf == NULL && !err)
		err = ls_fail(ctx, LS_ENOMEM, "out of memory reading %s", path);
	if (!err && ferror(f))
		err = ls_fail(ctx, LS_EIO, "%s: read error", path);
	fclose(f);
	if (err) {
		free(buf);
		return err;
	}
	buf[n] = '\0';
	*out = buf;
	if (len)
		*len = n;
	return LS_OK;
}
