/*
 * Byte input: open, detect compression by magic bytes, decompress streaming,
 * count and hash the stored bytes.
 *
 * Design: stored bytes are read with read(2) into a ring of four 1 MiB
 * blocks. Every stored byte passes through the ring exactly once, so the
 * SHA-256 and the byte count cover the file as stored, whatever the decoder
 * does with it. Hashing runs on a helper thread (SHA-256 without CPU SHA
 * instructions is slower than parsing) that trails the reader by at most
 * three blocks; if the thread cannot be started, blocks are hashed inline.
 * gzip is decoded with zlib (windowBits 15+32; members concatenated one
 * after another are all decoded); zstd with ZSTD_decompressStream, which
 * moves from one frame to the next by itself. Truncated or corrupt
 * compressed data is an LS_EIO error, never a silent short read.
 *
 * Cost: O(bytes) time; memory O(1): 4 MiB of blocks plus decoder state
 * (zlib: 32 KiB window; zstd: the frame's window, at most 128 MiB, the
 * decoder's default limit).
 */
#include "read/input.h"
#include "core/blockring.h"

#include "core/ctx.h"

#include <errno.h>
#include <fcntl.h>
#include <openssl/evp.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>
#include <zstd.h>

/* LS_IO_BLOCK: block size, 1 MiB; the fuzz build makes it tiny so that
 * records spanning blocks are exercised. */
#ifndef LS_IO_BLOCK
#define LS_IO_BLOCK ((size_t)1 << 20)
#endif
#define RAW_BLOCK ((size_t)LS_IO_BLOCK)
#define NBLOCKS 4 /* stored blocks in flight between reader and hasher */
#define NDECODED 4 /* decoded blocks in flight between decoder and parser */

struct ls_instream {
	int fd;
	int own_fd;             /* close fd at the end (not stdin) */
	char *name;             /* for messages */
	ls_codec_t codec;
	ls_blockring_t ring;    /* stored blocks, hashed by the ring's thread */
	int ring_init;
	unsigned char *raw;     /* current block: raw[pos..len) not yet consumed */
	size_t raw_pos, raw_len;
	int raw_eof;            /* read(2) returned 0 */
	uint64_t stored, data;
	EVP_MD_CTX *md;
	unsigned char digest[32];
	int finished;           /* decoded end reached; read returns 0 */
	int no_digest;          /* ls_instream_no_digest: stored bytes not hashed */
	char *peek;             /* first decoded bytes (ls_instream_peek) */
	size_t peek_len, peek_pos;
	z_stream z;
	int z_init;
	ZSTD_DStream *zs;
	size_t zs_last;         /* last ZSTD_decompressStream result (0 = frame done) */
	/* The ring's thread hashes the stored blocks: SHA-256 runs at ~350 MB/s
	 * per core without SHA instructions, slower than the rest of the read
	 * stage, so it hashes block i while this thread parses it; the ring
	 * only lets the reader refill a block once it has been hashed. */
	/* Decoding thread (compressed input, ls_instream_decode_thread): it
	 * decodes into a ring of NDECODED blocks that ls_instream_read copies
	 * out, so decompression overlaps parsing. Guarded by dmu. */
	int dec_wanted, dec_on, dec_sync, dec_quit, dec_end;
	pthread_t dthr;
	pthread_mutex_t dmu;
	pthread_cond_t dcv;
	char *dec[NDECODED];
	size_t dec_len[NDECODED], dec_pos;
	uint64_t dec_made, dec_used;
	ls_error_t dec_err;
	ls_ctx_t dec_ctx;       /* the decoding thread's errors */
};

/* The ring's consumer. EVP_DigestUpdate only fails on a broken context;
 * the digest is then wrong, which cannot hide data loss since bytes are
 * counted. no_digest is only set once the ring's thread has stopped. */
static void hash_block(void *arg, const unsigned char *b, size_t n)
{
	ls_instream_t *in = arg;
	if (!in->no_digest)
		(void)EVP_DigestUpdate(in->md, b, n);
}

/* Stops the hashing thread after it has hashed every block handed over. */
static void stop_hasher(ls_instream_t *in)
{
	if (in->ring_init)
		ls_blockring_finish(&in->ring);
}

static void finish_digest(ls_instream_t *in)
{
	stop_hasher(in);
	unsigned int len = 0;
	if (in->no_digest)
		memset(in->digest, 0, sizeof in->digest);
	else if (EVP_DigestFinal_ex(in->md, in->digest, &len) != 1 || len != 32)
		memset(in->digest, 0, sizeof in->digest);
}

/* read(2) with EINTR retry; returns bytes, 0 at end, -1 with errno. */
static ssize_t read_fd(int fd, void *dst, size_t cap)
{
	for (;;) {
		ssize_t n = read(fd, dst, cap);
		if (n >= 0 || errno != EINTR)
			return n;
	}
}

/* Moves to the next stored block once the current one is consumed: waits
 * until the hasher is done with the ring slot, reads at least `min` bytes
 * (fewer only at the end of the file) and hands the block to the hasher.
 * Sets raw_eof (and finalises the digest) at the end of the file. */
static ls_error_t fill_raw_min(ls_instream_t *in, size_t min, ls_ctx_t *ctx)
{
	if (in->raw_eof || in->raw_pos < in->raw_len)
		return LS_OK;
	unsigned char *b = ls_blockring_next(&in->ring);
	size_t len = 0;
	while (len < min) {
		ssize_t n = read_fd(in->fd, b + len, RAW_BLOCK - len);
		if (n < 0)
			return ls_fail(ctx, LS_EIO, "%s: %s", in->name, strerror(errno));
		if (n == 0)
			break;
		len += (size_t)n;
	}
	in->raw = b;
	in->raw_pos = 0;
	in->raw_len = len;
	in->stored += len;
	if (len > 0)
		ls_blockring_put(&in->ring, len);
	if (len < min) { /* read(2) returned 0 */
		in->raw_eof = 1;
		finish_digest(in);
	}
	return LS_OK;
}

static ls_error_t fill_raw(ls_instream_t *in, ls_ctx_t *ctx)
{
	return fill_raw_min(in, 1, ctx);
}

ls_error_t ls_instream_open(ls_instream_t **out, const char *path, ls_ctx_t *ctx)
{
	*out = NULL;
	int is_stdin = strcmp(path, "-") == 0;
	ls_instream_t *in = calloc(1, sizeof *in);
	if (in == NULL)
		return ls_fail(ctx, LS_ENOMEM, "out of memory opening %s", path);
	in->fd = -1;
	ls_error_t err = LS_OK;
	in->name = strdup(is_stdin ? "<stdin>" : path);
	in->md = EVP_MD_CTX_new();
	if (in->name == NULL || in->md == NULL) {
		err = ls_fail(ctx, LS_ENOMEM, "out of memory opening %s", path);
		goto done;
	}
	if (EVP_DigestInit_ex(in->md, EVP_sha256(), NULL) != 1) {
		err = ls_fail(ctx, LS_EINTERNAL, "%s: cannot initialise SHA-256", in->name);
		goto done;
	}
	if (is_stdin) {
		in->fd = STDIN_FILENO;
	} else {
		in->fd = open(path, O_RDONLY | O_CLOEXEC);
		if (in->fd < 0) {
			err = ls_fail(ctx, LS_EIO, "%s: %s", path, strerror(errno));
			goto done;
		}
		in->own_fd = 1;
	}
	struct stat st;
	if (fstat(in->fd, &st) != 0) {
		err = ls_fail(ctx, LS_EIO, "%s: %s", in->name, strerror(errno));
		goto done;
	}
	if (S_ISDIR(st.st_mode)) {
		err = ls_fail(ctx, LS_EIO, "%s: is a directory", in->name);
		goto done;
	}
	if (S_ISREG(st.st_mode))
		(void)posix_fadvise(in->fd, 0, 0, POSIX_FADV_SEQUENTIAL);
	/* Without a thread, blocks are hashed inline: slower, same. */
	if (ls_blockring_init(&in->ring, NBLOCKS, RAW_BLOCK, hash_block, in) != 0) {
		err = ls_fail(ctx, LS_ENOMEM, "out of memory opening %s", path);
		goto done;
	}
	in->ring_init = 1;
	/* Pipes may deliver the magic bytes over several reads. */
	err = fill_raw_min(in, 4, ctx);
	if (err != LS_OK)
		goto done;
	const unsigned char *m = in->raw;
	if (in->raw_len >= 2 && m[0] == 0x1f && m[1] == 0x8b) {
		in->codec = LS_CODEC_GZIP;
		if (inflateInit2(&in->z, 15 + 32) != Z_OK) {
			err = ls_fail(ctx, LS_ENOMEM, "%s: cannot initialise zlib", in->name);
			goto done;
		}
		in->z_init = 1;
	} else if (in->raw_len >= 4 && m[0] == 0x28 && m[1] == 0xb5 && m[2] == 0x2f && m[3] == 0xfd) {
		in->codec = LS_CODEC_ZSTD;
		in->zs = ZSTD_createDStream();
		if (in->zs == NULL || ZSTD_isError(ZSTD_initDStream(in->zs))) {
			err = ls_fail(ctx, LS_ENOMEM, "%s: cannot initialise zstd", in->name);
			goto done;
		}
		in->zs_last = 0;
	}
done:
	if (err != LS_OK) {
		ls_instream_close(in);
		return err;
	}
	*out = in;
	return LS_OK;
}

static ls_error_t read_plain(ls_instream_t *in, void *dst, size_t cap, size_t *got, ls_ctx_t *ctx)
{
	ls_error_t err = fill_raw(in, ctx);
	if (err != LS_OK)
		return err;
	size_t n = in->raw_len - in->raw_pos;
	if (n > cap)
		n = cap;
	if (n > 0)
		memcpy(dst, in->raw + in->raw_pos, n);
	in->raw_pos += n;
	*got = n;
	return LS_OK;
}

static ls_error_t read_gzip(ls_instream_t *in, void *dst, size_t cap, size_t *got, ls_ctx_t *ctx)
{
	/* zlib counts in uInt; larger requests are simply served in part. */
	if (cap > (size_t)UINT32_MAX)
		cap = UINT32_MAX;
	for (;;) {
		if (in->raw_pos == in->raw_len) {
			ls_error_t err = fill_raw(in, ctx);
			if (err != LS_OK)
				return err;
		}
		size_t avail = in->raw_len - in->raw_pos;
		in->z.next_in = in->raw + in->raw_pos;
		in->z.avail_in = (uInt)avail;
		in->z.next_out = dst;
		in->z.avail_out = (uInt)cap;
		int rc = inflate(&in->z, Z_NO_FLUSH);
		in->raw_pos = in->raw_len - in->z.avail_in;
		size_t produced = cap - in->z.avail_out;
		if (rc == Z_STREAM_END) {
			/* End of one member: another may follow. */
			if (in->raw_pos == in->raw_len) {
				ls_error_t err = fill_raw(in, ctx);
				if (err != LS_OK)
					return err;
			}
			if (in->raw_pos == in->raw_len && in->raw_eof)
				in->finished = 1;
			else if (inflateReset(&in->z) != Z_OK)
				return ls_fail(ctx, LS_EIO, "%s: corrupt gzip data", in->name);
		} else if (rc != Z_OK && rc != Z_BUF_ERROR) {
			return ls_fail(ctx, LS_EIO, "%s: corrupt gzip data (%s)", in->name,
			               in->z.msg ? in->z.msg : "inflate failed");
		}
		if (produced > 0 || in->finished) {
			*got = produced;
			return LS_OK;
		}
		/* No output although inflate could write: it needs input. */
		if (rc != Z_STREAM_END && avail == 0 && in->raw_eof)
			return ls_fail(ctx, LS_EIO, "%s: truncated gzip data", in->name);
	}
}

static ls_error_t read_zstd(ls_instream_t *in, void *dst, size_t cap, size_t *got, ls_ctx_t *ctx)
{
	for (;;) {
		if (in->raw_pos == in->raw_len) {
			ls_error_t err = fill_raw(in, ctx);
			if (err != LS_OK)
				return err;
		}
		ZSTD_inBuffer ib = {in->raw + in->raw_pos, in->raw_len - in->raw_pos, 0};
		ZSTD_outBuffer ob = {dst, cap, 0};
		int had_input = ib.size > 0;
		size_t prev = in->zs_last; /* 0: the last frame was complete */
		size_t r = ZSTD_decompressStream(in->zs, &ob, &ib);
		in->raw_pos += ib.pos;
		if (ZSTD_isError(r))
			return ls_fail(ctx, LS_EIO, "%s: corrupt zstd data (%s)", in->name,
			               ZSTD_getErrorName(r));
		in->zs_last = r;
		if (ob.pos > 0) {
			*got = ob.pos;
			return LS_OK;
		}
		if (!had_input && in->raw_eof) {
			if (prev != 0)
				return ls_fail(ctx, LS_EIO, "%s: truncated zstd data", in->name);
			in->finished = 1;
			*got = 0;
			return LS_OK;
		}
	}
}

/* Decodes up to cap bytes (the stream after any peeked bytes). */
static ls_error_t decode(ls_instream_t *in, void *dst, size_t cap, size_t *got, ls_ctx_t *ctx)
{
	*got = 0;
	if (in->finished || cap == 0)
		return LS_OK;
	ls_error_t err;
	switch (in->codec) {
	case LS_CODEC_GZIP: err = read_gzip(in, dst, cap, got, ctx); break;
	case LS_CODEC_ZSTD: err = read_zstd(in, dst, cap, got, ctx); break;
	default: err = read_plain(in, dst, cap, got, ctx); break;
	}
	if (err != LS_OK)
		return err;
	if (*got == 0) {
		/* Decoded end: hash whatever stored bytes remain (nothing for
		 * well-formed input) so the digest covers the whole file. */
		in->finished = 1;
		while (!in->raw_eof) {
			in->raw_pos = in->raw_len;
			err = fill_raw(in, ctx);
			if (err != LS_OK)
				return err;
		}
	}
	return LS_OK;
}

/* The decoding thread: fills decoded blocks until the end, an error or
 * quit. Only it calls decode() once started. */
static void *decoder_main(void *arg)
{
	ls_instream_t *in = arg;
	for (;;) {
		pthread_mutex_lock(&in->dmu);
		while (in->dec_made - in->dec_used >= NDECODED && !in->dec_quit)
			pthread_cond_wait(&in->dcv, &in->dmu);
		int quit = in->dec_quit;
		size_t k = (size_t)(in->dec_made % NDECODED);
		pthread_mutex_unlock(&in->dmu);
		if (quit)
			break;
		size_t len = 0, got = 1;
		ls_error_t err = LS_OK;
		while (len < RAW_BLOCK && got > 0 && err == LS_OK)
			err = decode(in, in->dec[k] + len, RAW_BLOCK - len, &got, &in->dec_ctx), len += got;
		pthread_mutex_lock(&in->dmu);
		in->dec_len[k] = len;
		if (len > 0)
			in->dec_made++;
		if (err != LS_OK || got == 0) {
			in->dec_err = err;
			in->dec_end = 1;
		}
		pthread_cond_broadcast(&in->dcv);
		int end = in->dec_end;
		pthread_mutex_unlock(&in->dmu);
		if (end)
			break;
	}
	return NULL;
}

static void stop_decoder(ls_instream_t *in)
{
	if (!in->dec_on)
		return;
	pthread_mutex_lock(&in->dmu);
	in->dec_quit = 1;
	pthread_cond_broadcast(&in->dcv);
	pthread_mutex_unlock(&in->dmu);
	pthread_join(in->dthr, NULL);
	in->dec_on = 0;
}

/* Starts the decoding thread; on failure decoding stays on the caller's
 * thread (slower, same bytes). */
static void start_decoder(ls_instream_t *in)
{
	in->dec_wanted = 0;
	for (size_t k = 0; k < NDECODED; k++)
		if ((in->dec[k] = malloc(RAW_BLOCK)) == NULL)
			return;
	if (pthread_mutex_init(&in->dmu, NULL) != 0)
		return;
	if (pthread_cond_init(&in->dcv, NULL) != 0) {
		pthread_mutex_destroy(&in->dmu);
		return;
	}
	in->dec_sync = 1;
	in->dec_on = pthread_create(&in->dthr, NULL, decoder_main, in) == 0;
}

/* Copies decoded bytes from the decoding thread's ring. */
static ls_error_t read_decoded(ls_instream_t *in, void *dst, size_t cap, size_t *got,
                               ls_ctx_t *ctx)
{
	pthread_mutex_lock(&in->dmu);
	size_t k = (size_t)(in->dec_used % NDECODED);
	if (in->dec_used < in->dec_made && in->dec_pos == in->dec_len[k]) {
		in->dec_used++; /* block k is consumed: the decoder may refill it */
		in->dec_pos = 0;
		k = (size_t)(in->dec_used % NDECODED);
		pthread_cond_broadcast(&in->dcv);
	}
	while (in->dec_used == in->dec_made && !in->dec_end)
		pthread_cond_wait(&in->dcv, &in->dmu);
	int have = in->dec_used < in->dec_made;
	ls_error_t err = in->dec_err;
	pthread_mutex_unlock(&in->dmu);
	if (!have) {
		if (err != LS_OK)
			return ls_fail(ctx, err, "%s", in->dec_ctx.msg);
		return LS_OK;
	}
	size_t n = in->dec_len[k] - in->dec_pos;
	if (n > cap)
		n = cap;
	memcpy(dst, in->dec[k] + in->dec_pos, n);
	in->dec_pos += n;
	*got = n;
	return LS_OK;
}

void ls_instream_decode_thread(ls_instream_t *in)
{
	in->dec_wanted = in->codec != LS_CODEC_NONE;
}

ls_error_t ls_instream_read(ls_instream_t *in, void *dst, size_t cap, size_t *got, ls_ctx_t *ctx)
{
	*got = 0;
	if (in->peek_pos == in->peek_len && in->dec_wanted && !in->finished)
		start_decoder(in);
	if (in->dec_on) {
		ls_error_t err = read_decoded(in, dst, cap, got, ctx);
		if (err != LS_OK)
			return err;
	} else if (in->peek_pos < in->peek_len) {
		size_t n = in->peek_len - in->peek_pos;
		if (n > cap)
			n = cap;
		memcpy(dst, in->peek + in->peek_pos, n);
		in->peek_pos += n;
		*got = n;
	} else {
		ls_error_t err = decode(in, dst, cap, got, ctx);
		if (err != LS_OK)
			return err;
	}
	in->data += *got;
	return LS_OK;
}

ls_error_t ls_instream_peek(ls_instream_t *in, const char **p, size_t *n, ls_ctx_t *ctx)
{
	if (in->peek == NULL) {
		in->peek = malloc(LS_INSTREAM_PEEK);
		if (in->peek == NULL)
			return ls_fail(ctx, LS_ENOMEM, "out of memory opening %s", in->name);
		size_t len = 0;
		for (;;) {
			size_t got = 0;
			ls_error_t err = decode(in, in->peek + len, LS_INSTREAM_PEEK - len, &got, ctx);
			if (err != LS_OK)
				return err;
			if (got == 0 || (len += got) == LS_INSTREAM_PEEK)
				break;
		}
		in->peek_len = len;
		in->peek_pos = 0;
	}
	*p = in->peek + in->peek_pos;
	*n = in->peek_len - in->peek_pos;
	return LS_OK;
}

void ls_instream_no_digest(ls_instream_t *in)
{
	/* only the first block went to the hasher so far (open reads it) */
	stop_hasher(in);
	in->no_digest = 1;
}

ls_codec_t ls_instream_codec(const ls_instream_t *in)
{
	return in->codec;
}

uint64_t ls_instream_stored_bytes(const ls_instream_t *in)
{
	return in->stored;
}

uint64_t ls_instream_data_bytes(const ls_instream_t *in)
{
	return in->data;
}

void ls_instream_sha256(const ls_instream_t *in, unsigned char out[32])
{
	memcpy(out, in->digest, 32);
}

const char *ls_instream_name(const ls_instream_t *in)
{
	return in->name;
}

void ls_instream_close(ls_instream_t *in)
{
	if (in == NULL)
		return;
	stop_decoder(in);
	if (in->dec_sync) {
		pthread_cond_destroy(&in->dcv);
		pthread_mutex_destroy(&in->dmu);
	}
	for (size_t k = 0; k < NDECODED; k++)
		free(in->dec[k]);
	if (in->ring_init)
		ls_blockring_destroy(&in->ring);
	if (in->own_fd && in->fd >= 0)
		close(in->fd);
	if (in->z_init)
		inflateEnd(&in->z);
	ZSTD_freeDStream(in->zs);
	EVP_MD_CTX_free(in->md);
	free(in->peek);
	free(in->name);
	free(in);
}

ls_error_t ls_instream_fill(ls_instream_t *in, char *blk, size_t cap, size_t *len, size_t *pos,
                            int *started, int *eof, ls_ctx_t *ctx)
{
	*pos = *len = 0;
	size_t want = *started ? 1 : 3;
	while (*len < want) {
		size_t got = 0;
		ls_error_t err = ls_instream_read(in, blk + *len, cap - *len, &got, ctx);
		if (err != LS_OK)
			return err;
		if (got == 0) {
			*eof = 1;
			break;
		}
		*len += got;
	}
	if (!*started) {
		*started = 1;
		if (*len >= 3 && memcmp(blk, "\xEF\xBB\xBF", 3) == 0)
			*pos = 3;
	}
	return LS_OK;
}
