/* Hashing write stream (see hashout.h): fopencookie's write callback
 * copies each chunk into a ring of blocks that the helper thread hashes
 * and writes out in order. */
#define _GNU_SOURCE /* fopencookie, fwrite_unlocked */
#include "explain/hashout.h"

#include <openssl/evp.h>
#include <pthread.h>
#include <stdio_ext.h>
#include <stdlib.h>
#include <string.h>

#define HO_BLOCK ((size_t)1 << 20)
#define HO_SLOTS 8

struct ls_hashout {
	FILE *out;
	EVP_MD_CTX *md;
	int md_bad;
	uint64_t bytes;
	char *slot[HO_SLOTS];
	size_t len[HO_SLOTS];
	pthread_t thr;
	pthread_mutex_t mu;
	pthread_cond_t cv;
	int thr_on, quit;
	uint64_t put, done; /* blocks handed over / hashed and written (mu) */
};

static void consume(ls_hashout_t *h, const char *b, size_t n)
{
	if (EVP_DigestUpdate(h->md, b, n) != 1)
		h->md_bad = 1;
	fwrite_unlocked(b, 1, n, h->out);
}

static void *hasher(void *arg)
{
	ls_hashout_t *h = arg;
	pthread_mutex_lock(&h->mu);
	for (;;) {
		while (h->done == h->put && !h->quit)
			pthread_cond_wait(&h->cv, &h->mu);
		if (h->done == h->put)
			break;
		size_t k = (size_t)(h->done % HO_SLOTS);
		pthread_mutex_unlock(&h->mu);
		consume(h, h->slot[k], h->len[k]);
		pthread_mutex_lock(&h->mu);
		h->done++;
		pthread_cond_broadcast(&h->cv);
	}
	pthread_mutex_unlock(&h->mu);
	return NULL;
}

static ssize_t ho_write(void *cookie, const char *b, size_t n)
{
	ls_hashout_t *h = cookie;
	h->bytes += n;
	if (!h->thr_on) {
		consume(h, b, n);
		return (ssize_t)n;
	}
	for (size_t off = 0; off < n;) {
		size_t m = n - off < HO_BLOCK ? n - off : HO_BLOCK;
		pthread_mutex_lock(&h->mu);
		while (h->put - h->done >= HO_SLOTS)
			pthread_cond_wait(&h->cv, &h->mu);
		size_t k = (size_t)(h->put % HO_SLOTS);
		pthread_mutex_unlock(&h->mu);
		memcpy(h->slot[k], b + off, m); /* slot k is free: the thread is past it */
		h->len[k] = m;
		pthread_mutex_lock(&h->mu);
		h->put++;
		pthread_cond_broadcast(&h->cv);
		pthread_mutex_unlock(&h->mu);
		off += m;
	}
	return (ssize_t)n;
}

static void ho_free(ls_hashout_t *h)
{
	for (size_t k = 0; k < HO_SLOTS; k++)
		free(h->slot[k]);
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
	int ok = h->md != NULL && EVP_DigestInit_ex(h->md, EVP_sha256(), NULL) == 1;
	for (size_t k = 0; k < HO_SLOTS && ok; k++)
		ok = (h->slot[k] = malloc(HO_BLOCK)) != NULL;
	FILE *f = ok ? fopencookie(h, "w", (cookie_io_functions_t){NULL, ho_write, NULL, NULL})
	             : NULL;
	if (f == NULL) {
		ho_free(h);
		return NULL;
	}
	__fsetlocking(f, FSETLOCKING_BYCALLER);
	setvbuf(f, NULL, _IOFBF, HO_BLOCK);
	if (pthread_mutex_init(&h->mu, NULL) == 0) {
		if (pthread_cond_init(&h->cv, NULL) == 0) {
			h->thr_on = pthread_create(&h->thr, NULL, hasher, h) == 0;
			if (!h->thr_on)
				pthread_cond_destroy(&h->cv);
		}
		if (!h->thr_on)
			pthread_mutex_destroy(&h->mu);
	}
	*hp = h;
	return f;
}

int ls_hashout_close(ls_hashout_t *h, FILE *f, unsigned char sha[32], uint64_t *bytes)
{
	int bad = ferror(f) != 0;
	if (fclose(f) != 0)
		bad = 1;
	if (h->thr_on) {
		pthread_mutex_lock(&h->mu);
		h->quit = 1;
		pthread_cond_broadcast(&h->cv);
		pthread_mutex_unlock(&h->mu);
		pthread_join(h->thr, NULL);
		pthread_cond_destroy(&h->cv);
		pthread_mutex_destroy(&h->mu);
	}
	unsigned int len = 0;
	if (h->md_bad || EVP_DigestFinal_ex(h->md, sha, &len) != 1 || len != 32)
		bad = 1;
	*bytes = h->bytes;
	ho_free(h);
	return bad ? -1 : 0;
}
