/* Producer/consumer block ring (see blockring.h). */
#include "core/blockring.h"

#include <stdlib.h>
#include <string.h>

static void *consumer(void *arg)
{
	ls_blockring_t *r = arg;
	pthread_mutex_lock(&r->mu);
	for (;;) {
		while (r->done == r->put && !r->quit)
			pthread_cond_wait(&r->cv, &r->mu);
		if (r->done == r->put)
			break;
		size_t k = (size_t)(r->done % r->nslots);
		pthread_mutex_unlock(&r->mu);
		r->consume(r->arg, r->slot[k], r->len[k]);
		pthread_mutex_lock(&r->mu);
		r->done++;
		pthread_cond_broadcast(&r->cv);
	}
	pthread_mutex_unlock(&r->mu);
	return NULL;
}

int ls_blockring_init(ls_blockring_t *r, size_t nslots, size_t slot_bytes, ls_blockring_fn consume,
                      void *arg)
{
	memset(r, 0, sizeof *r);
	r->nslots = nslots;
	r->consume = consume;
	r->arg = arg;
	r->slot = calloc(nslots, sizeof *r->slot);
	r->len = calloc(nslots, sizeof *r->len);
	int ok = r->slot != NULL && r->len != NULL;
	for (size_t k = 0; k < nslots && ok; k++)
		ok = (r->slot[k] = malloc(slot_bytes)) != NULL;
	if (!ok) {
		ls_blockring_destroy(r);
		return -1;
	}
	if (pthread_mutex_init(&r->mu, NULL) == 0) {
		if (pthread_cond_init(&r->cv, NULL) == 0) {
			r->sync = 1;
			r->thr_on = pthread_create(&r->thr, NULL, consumer, r) == 0;
		} else {
			pthread_mutex_destroy(&r->mu);
		}
	}
	return 0;
}

unsigned char *ls_blockring_next(ls_blockring_t *r)
{
	if (r->thr_on) {
		pthread_mutex_lock(&r->mu);
		while (r->put - r->done >= r->nslots)
			pthread_cond_wait(&r->cv, &r->mu);
		pthread_mutex_unlock(&r->mu);
	}
	return r->slot[r->put % r->nslots];
}

void ls_blockring_put(ls_blockring_t *r, size_t len)
{
	size_t k = (size_t)(r->put % r->nslots);
	r->len[k] = len;
	if (!r->thr_on) {
		r->consume(r->arg, r->slot[k], len);
		r->put++;
		r->done++;
		return;
	}
	pthread_mutex_lock(&r->mu);
	r->put++;
	pthread_cond_broadcast(&r->cv);
	pthread_mutex_unlock(&r->mu);
}

int ls_blockring_threaded(const ls_blockring_t *r)
{
	return r->thr_on;
}

void ls_blockring_finish(ls_blockring_t *r)
{
	if (!r->thr_on)
		return;
	pthread_mutex_lock(&r->mu);
	r->quit = 1;
	pthread_cond_broadcast(&r->cv);
	pthread_mutex_unlock(&r->mu);
	pthread_join(r->thr, NULL);
	r->thr_on = 0;
}

void ls_blockring_destroy(ls_blockring_t *r)
{
	ls_blockring_finish(r);
	if (r->sync) {
		pthread_cond_destroy(&r->cv);
		pthread_mutex_destroy(&r->mu);
		r->sync = 0;
	}
	for (size_t k = 0; r->slot != NULL && k < r->nslots; k++)
		free(r->slot[k]);
	free(r->slot);
	free(r->len);
	r->slot = NULL;
	r->len = NULL;
}
