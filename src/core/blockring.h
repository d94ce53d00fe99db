/*
 * A ring of fixed-size blocks handed from one producer to a consumer
 * thread, in order: the producer fills slot after slot (waiting while the
 * ring is full), the thread calls `consume` on each. Used where a stream
 * must be hashed (and written) beside the work that produces it: the
 * stored bytes of an input (read/input.c), a hashed output
 * (explain/hashout.c). If the thread cannot be started, put() consumes
 * inline: slower, same result.
 */
#ifndef LS_CORE_BLOCKRING_H
#define LS_CORE_BLOCKRING_H

#include <pthread.h>
#include <stddef.h>
#include <stdint.h>

typedef void (*ls_blockring_fn)(void *arg, const unsigned char *b, size_t n);

typedef struct ls_blockring {
	unsigned char **slot;
	size_t *len;
	size_t nslots;
	ls_blockring_fn consume;
	void *arg;
	pthread_t thr;
	pthread_mutex_t mu;
	pthread_cond_t cv;
	int sync, thr_on, quit;
	uint64_t put, done; /* blocks handed over / consumed (guarded by mu) */
} ls_blockring_t;

/* Allocates nslots blocks of slot_bytes and starts the thread.
 * Returns 0, or -1 when out of memory (then *r holds nothing to free). */
int ls_blockring_init(ls_blockring_t *r, size_t nslots, size_t slot_bytes, ls_blockring_fn consume,
                      void *arg);
/* The next slot to fill, once the consumer is past it. */
unsigned char *ls_blockring_next(ls_blockring_t *r);
/* Hands the slot from ls_blockring_next over, holding len bytes. */
void ls_blockring_put(ls_blockring_t *r, size_t len);
/* 1 when a thread consumes (0: put() consumes inline). */
int ls_blockring_threaded(const ls_blockring_t *r);
/* Waits until every block handed over is consumed and stops the thread;
 * later puts consume inline. Idempotent. */
void ls_blockring_finish(ls_blockring_t *r);
/* Finishes, then frees the blocks. */
void ls_blockring_destroy(ls_blockring_t *r);

#endif
