/*
 * Open-addressing hash map from a 64-bit key to a 32-bit value, for the hot
 * paths (object labels, pair aggregation). Linear probing at load <= 1/2
 * (or <= 3/4 for a map set dense: fewer bytes, a few more probes); keys are
 * mixed with a 64-bit finaliser so structured keys such as (a << 32 | b)
 * spread evenly. Key UINT64_MAX is reserved as "empty". Tables of 2 MiB
 * and more ask for transparent huge pages (fewer TLB misses on random
 * probes). Memory: 12 bytes per slot, slots <= 4 x entries (dense:
 * <= 8/3 x entries).
 */
#ifndef LS_CORE_U64MAP_H
#define LS_CORE_U64MAP_H

#include <stddef.h>
#include <stdint.h>

#define LS_U64MAP_EMPTY UINT64_MAX

typedef struct ls_u64map {
	uint64_t *keys;
	uint32_t *vals;
	size_t nslots; /* power of two or 0 */
	size_t count;
	int dense;     /* grow at load 3/4 instead of 1/2 (ls_u64map_set_dense) */
} ls_u64map_t;

/* An uninitialised hash table of `bytes` (free with free()): from 2 MiB on
 * 2 MiB aligned and asking for transparent huge pages (a hint: random
 * probes then miss the TLB far less). NULL when out of memory. */
void *ls_table_alloc(size_t bytes);

void ls_u64map_init(ls_u64map_t *m);
void ls_u64map_destroy(ls_u64map_t *m);
/* Makes room for n keys in all without growing again (a hint). Returns 0,
 * or -1 when out of memory (the map is unchanged). */
int ls_u64map_reserve(ls_u64map_t *m, size_t n);
/* Lets m fill to load 3/4 before it doubles (default 1/2): 1/3 less memory
 * for a big map that is mostly probed for absent keys in random order. */
static inline void ls_u64map_set_dense(ls_u64map_t *m)
{
	m->dense = 1;
}
/* Finds `key`; returns 1 and sets *val when present, else 0. */
int ls_u64map_get(const ls_u64map_t *m, uint64_t key, uint32_t *val);
/* Finds `key` or inserts it with value `val_if_new`. *slot_val points to the
 * stored value (valid until the next insert); *inserted tells which.
 * Returns 0, or -1 when out of memory. `key` must not be LS_U64MAP_EMPTY. */
int ls_u64map_upsert(ls_u64map_t *m, uint64_t key, uint32_t val_if_new, uint32_t **slot_val,
                     int *inserted);

static inline uint64_t ls_mix64(uint64_t x)
{
	x ^= x >> 33;
	x *= 0xff51afd7ed558ccdULL;
	x ^= x >> 33;
	x *= 0xc4ceb9fe1a85ec53ULL;
	x ^= x >> 33;
	return x;
}

/* Asks the CPU to fetch the slot where the lookup of `key` starts (a hint:
 * no effect on results). always_inline: GCC 12 otherwise finds the function
 * free of side effects (a prefetch has none) and drops the call before
 * inlining it. */
static inline __attribute__((always_inline)) void ls_u64map_prefetch(const ls_u64map_t *m,
                                                                     uint64_t key)
{
	if (m->nslots) {
		size_t j = ls_mix64(key) & (m->nslots - 1);
		__builtin_prefetch(&m->keys[j]);
		__builtin_prefetch(&m->vals[j]);
	}
}

#endif
