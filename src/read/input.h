/*
 * Byte input for the readers: a path or "-" (standard input), plain, gzip or
 * zstd, decompressed on the fly. Compression is detected from the magic bytes
 * of the stored data (gzip 1f 8b, zstd 28 b5 2f fd), never from the name.
 * While reading, the stored (compressed) bytes are counted and hashed with
 * SHA-256 so that outputs can name exactly which file they came from.
 *
 * Cost: O(stored + decompressed bytes) time; memory is a ring of four 1 MiB
 * blocks of stored bytes plus the decompressor state (zlib 32 KiB window,
 * zstd up to the frame's window). Nothing is loaded whole. One helper thread
 * per open stream computes the SHA-256.
 */
#ifndef LS_READ_INPUT_H
#define LS_READ_INPUT_H

#include "lockstep.h"

#include <stddef.h>
#include <stdint.h>

typedef struct ls_instream ls_instream_t;

/* Compression of the stored data. */
typedef enum ls_codec { LS_CODEC_NONE = 0, LS_CODEC_GZIP = 1, LS_CODEC_ZSTD = 2 } ls_codec_t;

/* Opens `path` ("-" = standard input). A directory, a missing or unreadable
 * file fails with LS_EIO and "PATH: reason" in the context. The caller owns
 * *out and frees it with ls_instream_close. */
ls_error_t ls_instream_open(ls_instream_t **out, const char *path, ls_ctx_t *ctx);

/* Reads up to `cap` decompressed bytes into `dst`; *got = 0 means the end of
 * the input (after which the digest is final). Corrupt or truncated
 * compressed data and read errors fail with LS_EIO. */
ls_error_t ls_instream_read(ls_instream_t *in, void *dst, size_t cap, size_t *got, ls_ctx_t *ctx);

/* Refills a record splitter's block: reads until at least one byte (three on
 * the first call, *started == 0, so that a UTF-8 byte order mark can be seen
 * and skipped) or the end of the input (*eof = 1). On return the block holds
 * *len bytes and reading starts at *pos. Shared by the CSV and JSON-lines
 * splitters. */
ls_error_t ls_instream_fill(ls_instream_t *in, char *blk, size_t cap, size_t *len, size_t *pos,
                            int *started, int *eof, ls_ctx_t *ctx);

/* Bytes ls_instream_peek looks ahead (64 KiB). */
#define LS_INSTREAM_PEEK ((size_t)64 << 10)

/* Looks at the first decoded bytes without consuming them: *p, *n (n <
 * LS_INSTREAM_PEEK only for shorter inputs), borrowed until the next read.
 * Later reads hand the same bytes out again. Call before the first read. */
ls_error_t ls_instream_peek(ls_instream_t *in, const char **p, size_t *n, ls_ctx_t *ctx);

/* Asks for decompression on a thread of its own (gzip and zstd only),
 * started at the first read after the peeked bytes: ls_instream_read then
 * copies from a ring of four decoded 1 MiB blocks. Same bytes, same errors
 * (reported when the reader reaches them). */
void ls_instream_decode_thread(ls_instream_t *in);

/* Stops hashing the stored bytes (ls_instream_sha256 then gives zeros),
 * for a second read of an input whose digest is known: saves the SHA-256
 * pass. Call right after ls_instream_open, before any read or peek. */
void ls_instream_no_digest(ls_instream_t *in);

/* Codec detected at open. */
ls_codec_t ls_instream_codec(const ls_instream_t *in);
/* Stored bytes consumed so far (the file size once the end was reached). */
uint64_t ls_instream_stored_bytes(const ls_instream_t *in);
/* Decompressed bytes handed out so far. */
uint64_t ls_instream_data_bytes(const ls_instream_t *in);
/* SHA-256 of the stored bytes; all zero until the end was reached. */
void ls_instream_sha256(const ls_instream_t *in, unsigned char out[32]);
/* Path for messages: as given, or "<stdin>" for "-". Borrowed. */
const char *ls_instream_name(const ls_instream_t *in);
/* Closes the file (not standard input) and frees. NULL is a no-op. */
void ls_instream_close(ls_instream_t *in);

#endif
