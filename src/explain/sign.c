/*
 * Ed25519 signatures of manifest.json (OpenSSL libcrypto, EVP_PKEY_ED25519,
 * one-shot EVP_DigestSign/EVP_DigestVerify as Ed25519 requires), and key
 * generation for `lockstep keygen`.
 *
 * manifest.sig is four lines of text, so that it diffs and mails well:
 *   lockstep-signature 1
 *   algorithm ed25519
 *   public-key <64 hex digits: the raw 32-byte public key>
 *   signature <128 hex digits: the 64-byte signature of manifest.json>
 * A checker parses it strictly and re-creates it from the parsed values;
 * any byte that differs from that canonical text makes it invalid, so no
 * byte of the file can change unnoticed. Carrying the public key lets
 * verify check a signature without being given the key; `--pubkey` then
 * pins the key the reader trusts.
 * Cost: O(manifest bytes).
 */
#include "core/afile.h"
#include "core/ctx.h"
#include "explain/digest.h"
#include "explain/explain.h"

#include <errno.h>
#include <fcntl.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static ls_error_t ossl_fail(ls_ctx_t *ctx, ls_error_t code, const char *what)
{
	char buf[256] = "";
	unsigned long e = ERR_get_error();
	if (e)
		ERR_error_string_n(e, buf, sizeof buf);
	ERR_clear_error();
	return ls_fail(ctx, code, "%s%s%s", what, buf[0] ? ": " : "", buf);
}

static ls_error_t load_key(const char *path, int priv, EVP_PKEY **out, ls_ctx_t *ctx)
{
	*out = NULL;
	FILE *f = fopen(path, "rb");
	if (f == NULL)
		return ls_fail(ctx, LS_EIO, "%s: %s", path, strerror(errno));
	EVP_PKEY *k = priv ? PEM_read_PrivateKey(f, NULL, NULL, NULL) : PEM_read_PUBKEY(f, NULL, NULL, NULL);
	if (k == NULL && !priv) { /* a private key file also holds the public key */
		rewind(f);
		ERR_clear_error();
		k = PEM_read_PrivateKey(f, NULL, NULL, NULL);
	}
	fclose(f);
	if (k == NULL) {
		char what[600];
		snprintf(what, sizeof what, "%s: not a PEM %s key", path, priv ? "private" : "public");
		return ossl_fail(ctx, LS_EINVAL, what);
	}
	if (EVP_PKEY_get_id(k) != EVP_PKEY_ED25519) {
		EVP_PKEY_free(k);
		return ls_fail(ctx, LS_EINVAL,
		               "%s: not an Ed25519 key (make one with 'lockstep keygen' or "
		               "'openssl genpkey -algorithm ed25519')",
		               path);
	}
	*out = k;
	return LS_OK;
}

static void sig_text(char *out, size_t cap, const unsigned char *pub, const unsigned char *sig)
{
	char hp[65], hs[129];
	snprintf(out, cap, "lockstep-signature 1\nalgorithm ed25519\npublic-key %s\nsignature %s\n",
	         ls_hex(pub, 32, hp), ls_hex(sig, 64, hs));
}

ls_error_t ls_sign_file(const char *key_pem, const char *msg, size_t n, const char *sig_path,
                        ls_ctx_t *ctx)
{
	EVP_PKEY *k;
	ls_error_t err = load_key(key_pem, 1, &k, ctx);
	if (err)
		return err;
	unsigned char pub[32], sig[64];
	size_t plen = sizeof pub, slen = sizeof sig;
	EVP_MD_CTX *md = EVP_MD_CTX_new();
	if (md == NULL || EVP_PKEY_get_raw_public_key(k, pub, &plen) != 1 || plen != 32 ||
	    EVP_DigestSignInit(md, NULL, NULL, NULL, k) != 1 ||
	    EVP_DigestSign(md, sig, &slen, (const unsigned char *)msg, n) != 1 || slen != 64)
		err = ossl_fail(ctx, LS_EINTERNAL, "signing the manifest failed");
	EVP_MD_CTX_free(md);
	EVP_PKEY_free(k);
	if (err)
		return err;
	char text[512];
	sig_text(text, sizeof text, pub, sig);
	ls_afile_t af;
	if ((err = ls_afile_open(&af, sig_path, ctx)) != LS_OK)
		return err;
	fputs(text, af.f);
	return ls_afile_commit(&af, ctx);
}

ls_error_t ls_sign_check(const char *sig, size_t sig_len, const char *msg, size_t n,
                         const char *pubkey_pem, int *valid, unsigned char *pub_out, char *why,
                         size_t why_cap, ls_ctx_t *ctx)
{
	*valid = 0;
	why[0] = '\0';
	unsigned char pub[32], s[64];
	/* strict parse: fixed prefix, hex fields, canonical re-creation */
	static const char p1[] = "lockstep-signature 1\nalgorithm ed25519\npublic-key ";
	char hp[65], hs[129];
	if (sig_len < sizeof p1 - 1 + 64 + 11 + 128 + 1 || memcmp(sig, p1, sizeof p1 - 1) != 0) {
		snprintf(why, why_cap, "manifest.sig is not a lockstep Ed25519 signature file");
		return LS_OK;
	}
	memcpy(hp, sig + sizeof p1 - 1, 64);
	hp[64] = '\0';
	const char *q = sig + sizeof p1 - 1 + 64;
	if (memcmp(q, "\nsignature ", 11) != 0) {
		snprintf(why, why_cap, "manifest.sig is malformed");
		return LS_OK;
	}
	memcpy(hs, q + 11, 128);
	hs[128] = '\0';
	if (ls_unhex(hp, pub, 32) || ls_unhex(hs, s, 64)) {
		snprintf(why, why_cap, "manifest.sig holds a malformed key or signature");
		return LS_OK;
	}
	char canon[512];
	sig_text(canon, sizeof canon, pub, s);
	if (strlen(canon) != sig_len || memcmp(canon, sig, sig_len) != 0) {
		snprintf(why, why_cap, "manifest.sig is not in its canonical form");
		return LS_OK;
	}
	if (pub_out)
		memcpy(pub_out, pub, 32);
	if (pubkey_pem) {
		EVP_PKEY *trusted;
		ls_error_t err = load_key(pubkey_pem, 0, &trusted, ctx);
		if (err)
			return err;
		unsigned char tp[32];
		size_t tl = sizeof tp;
		int ok = EVP_PKEY_get_raw_public_key(trusted, tp, &tl) == 1 && tl == 32;
		EVP_PKEY_free(trusted);
		if (!ok)
			return ossl_fail(ctx, LS_EINVAL, "cannot read the public key");
		if (memcmp(tp, pub, 32) != 0) {
			snprintf(why, why_cap, "manifest.sig was made with a different key than %s",
			         pubkey_pem);
			return LS_OK;
		}
	}
	EVP_PKEY *k = EVP_PKEY_new_raw_public_key(EVP_PKEY_ED25519, NULL, pub, 32);
	EVP_MD_CTX *md = EVP_MD_CTX_new();
	if (k == NULL || md == NULL || EVP_DigestVerifyInit(md, NULL, NULL, NULL, k) != 1) {
		EVP_MD_CTX_free(md);
		EVP_PKEY_free(k);
		return ossl_fail(ctx, LS_EINTERNAL, "Ed25519 unavailable");
	}
	int r = EVP_DigestVerify(md, s, 64, (const unsigned char *)msg, n);
	EVP_MD_CTX_free(md);
	EVP_PKEY_free(k);
	ERR_clear_error();
	if (r == 1)
		*valid = 1;
	else
		snprintf(why, why_cap, "the signature in manifest.sig does not match manifest.json");
	return LS_OK;
}

/* Opens a new file with `mode` (refusing an existing one) for PEM output. */
static FILE *create_new(const char *path, mode_t mode, ls_ctx_t *ctx, ls_error_t *err)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL, mode);
	if (fd < 0) {
		*err = ls_fail(ctx, LS_EIO, "%s: %s", path, strerror(errno));
		return NULL;
	}
	FILE *f = fdopen(fd, "wb");
	if (f == NULL) {
		close(fd);
		*err = ls_fail(ctx, LS_EIO, "%s: %s", path, strerror(errno));
	}
	return f;
}

ls_error_t ls_keygen(const char *private_pem, const char *public_pem, ls_ctx_t *ctx)
{
	if (private_pem == NULL || public_pem == NULL)
		return ls_fail(ctx, LS_EINVAL, "keygen: two file names are needed");
	EVP_PKEY *k = NULL;
	EVP_PKEY_CTX *pc = EVP_PKEY_CTX_new_id(EVP_PKEY_ED25519, NULL);
	if (pc == NULL || EVP_PKEY_keygen_init(pc) != 1 || EVP_PKEY_keygen(pc, &k) != 1) {
		EVP_PKEY_CTX_free(pc);
		return ossl_fail(ctx, LS_EINTERNAL, "Ed25519 key generation failed");
	}
	EVP_PKEY_CTX_free(pc);
	ls_error_t err = LS_OK;
	FILE *f = create_new(private_pem, 0600, ctx, &err);
	if (f) {
		int ok = PEM_write_PrivateKey(f, k, NULL, NULL, 0, NULL, NULL) == 1;
		if (fclose(f) != 0 || !ok) {
			err = ossl_fail(ctx, LS_EIO, "writing the private key failed");
			unlink(private_pem);
		}
	}
	if (!err && (f = create_new(public_pem, 0644, ctx, &err)) != NULL) {
		int ok = PEM_write_PUBKEY(f, k) == 1;
		if (fclose(f) != 0 || !ok) {
			err = ossl_fail(ctx, LS_EIO, "writing the public key failed");
			unlink(public_pem);
		}
	}
	EVP_PKEY_free(k);
	return err;
}
