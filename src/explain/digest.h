/*
 * SHA-256 of files and buffers (OpenSSL EVP), and lower-case hex text, for
 * the manifest and verify. Files are read in 64 KiB blocks.
 * Cost: O(bytes); memory O(1).
 */
#ifndef LS_EXPLAIN_DIGEST_H
#define LS_EXPLAIN_DIGEST_H

#include "lockstep.h"

#include <stddef.h>
#include <stdint.h>

/* SHA-256 and size of the file at `path`. `bytes` may be NULL. */
ls_error_t ls_sha256_file(const char *path, unsigned char out[32], uint64_t *bytes, ls_ctx_t *ctx);
/* SHA-256 of buf[0..n). Returns 0, or -1 when OpenSSL fails. */
int ls_sha256_buf(const void *buf, size_t n, unsigned char out[32]);
/* Writes 2n hex digits and a NUL into hex (2n + 1 bytes). Returns hex. */
const char *ls_hex(const unsigned char *b, size_t n, char *hex);
/* Parses exactly 2n lower-case hex digits from s. Returns 0 or -1. */
int ls_unhex(const char *s, unsigned char *b, size_t n);

/* Reads a whole file (at most `max` bytes; larger is LS_ELIMIT) into a new
 * NUL-terminated buffer. */
ls_error_t ls_slurp(const char *path, size_t max, char **out, size_t *len, ls_ctx_t *ctx);

#endif
