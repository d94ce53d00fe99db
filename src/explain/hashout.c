/* Hashing write stream (see hashout.h): fopencookie's write callback
 * copies each chunk into a block ring (core/blockring.h) whose thread
 * hashes the blocks in order, and writes the chunk to the file itself:
 * the SHA-256 (~390 MB/s without SHA instructions) is then the only work
 * of the ring's thread, the write(2) copies into the page cache happen
 * beside it. Every HO_SYNC bytes the writer also starts the write-back of
 * what it wrote (sync_file_range, which does not wait), so that the fsync
 * of ls_afile_commit only waits for the tail instead of the whole file
 * (0.2-0.5 s for evidence.json's 266 MB on the IRA corpus). */
#define _GNU_SOURCE /* fopencookie, fwrite_unlocked, sync_file_range */
#include "explain/hashout.h"
#include "core/blockring.h"

#include <fcntl.h>
#include <openssl/evp.h>
#include <stdio_ext.h>
#include <stdlib.h>
#include <string.h>

#define HO_BLOCK ((size_t)1 << 20)
#define HO_SLOTS 8
#define HO_SYNC ((uint64_t)16 << 20)

struct ls_hashout {
	FILE *out;
	EVP_MD_CTX *md;
	int md_bad;
	uint64_t bytes;
	uint64_t synced;     /* write-back started up to here */
	ls_blockring_t ring; /* blocks hashed by its thread */
};

static void hash_block(void *arg, const unsigned char *b, size_t n)
{
	ls_hashout_t *h = arg;
	if (EVP_DigestUpdate(h->md, b, n) != 1)
		h->md_bad = 1;
}

static ssize_t ho_write(void *cookie, const char *b, size_t n)
{
	ls_hashout_t *h = cookie;
	if (!ls_blockring_threaded(&h->ring)) {
		hash_block(h, (const unsigned char *)b, n);
	} else {
		for (size_t off = 0; off < n;) {
			size_t m = n - off < HO_BLOCK ? n - off : HO_BLOCK;
			memcpy(ls_blockring_next(&h->ring), b + off, m);
			ls_blockring_put(&h->ring, m);
			off += m;
		}
	}
	fwrite_unlocked(b, 1, n, h->out);
	h->bytes += n;
	if (h->bytes - h->synced >= HO_SYNC && fflush(h->out) == 0) {
		(void)sync_file_range(fileno(h->out), (off_t)h->synced, (off_t)(h->bytes - h->synced),
		                      SYNC_FILE_RANGE_WRITE);
		h->synced = h->bytes;
	}
	return (ssize_t)n;
}

static void ho_free(ls_hashout_t *h)
{
	ls_blockring_destroy(&h->ring);
	EVP_MD_CTX_free(h->md);
	free(h);
}

FILE *ls_hashout_open(FILE *out, ls_hashout_t **hp)
{
	*hp = NULL;
	ls_hashout_t *h = calloc(1, sizeof *h);
	if (h == NULL)
		return NULL;
	h->out = out;
	h->md = EVP_MD_CTX_new();
	if (h->md == NULL || EVP_DigestInit_ex(h->md, EVP_sha256(), NULL) != 1 ||
	    ls_blockring_init(&h->ring, HO_SLOTS, HO_BLOCK, hash_block, h) != 0) {
		EVP_MD_CTX_free(h->md);
		free(h);
		return NULL;
	}
	FILE *f = fopencookie(h, "w", (cookie_io_functions_t){NULL, ho_write, NULL, NULL});
	if (f == NULL) {
		ho_free(h);
		return NULL;
	}
	__fsetlocking(f, FSETLOCKING_BYCALLER);
	setvbuf(f, NULL, _IOFBF, HO_BLOCK);
	*hp = h;
	return f;
}

int ls_hashout_close(ls_hashout_t *h, FILE *f, unsigned char sha[32], uint64_t *bytes)
{
	int bad = ferror(f) != 0;
	if (fclose(f) != 0)
		bad = 1;
	ls_blockring_finish(&h->ring);
	unsigned int len = 0;
	if (h->md_bad || EVP_DigestFinal_ex(h->md, sha, &len) != 1 || len != 32)
		bad = 1;
	*bytes = h->bytes;
	ho_free(h);
	return bad ? -1 : 0;
}
