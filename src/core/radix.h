/*
 * Stable LSD radix sorts for the hot paths (traces by object and time,
 * links by account pair), replacing qsort's O(n log n) comparator calls and
 * element moves with O(n) passes over 11-bit digits that are skipped when a
 * digit is constant over the input.
 */
#ifndef LS_CORE_RADIX_H
#define LS_CORE_RADIX_H

#include <stddef.h>
#include <stdint.h>

/* A sort record: a 64-bit key and two 32-bit payloads (an index, or a
 * pair of indexes). */
typedef struct ls_rec {
	uint64_t key;
	uint32_t i, j;
} ls_rec_t;

/* Stable sort of v[0..n) by key, using tmp (n records) as scratch. Returns
 * the array holding the sorted records (v or tmp), or NULL when out of
 * memory (v unchanged). Time O(n * varying digits), memory 16n + 96 KB. */
ls_rec_t *ls_radix_sort_rec(ls_rec_t *v, ls_rec_t *tmp, size_t n);

/* The same on up to `threads` threads (at most 8 runs sorted in parallel,
 * then merged); the result does not depend on `threads`. */
ls_rec_t *ls_radix_sort_rec_mt(ls_rec_t *v, ls_rec_t *tmp, size_t n, int threads);

/* Sorts order[0..n) so that keys[order[i]] is non-decreasing; equal keys keep
 * their relative order in `order` (stable). `keys` is not modified.
 * Returns 0, or -1 when out of memory. Time O(n * passes), memory 12n bytes. */
int ls_radix_order_u64(const uint64_t *keys, uint32_t *order, size_t n);
/* The same on up to `threads` threads. */
int ls_radix_order_u64_mt(const uint64_t *keys, uint32_t *order, size_t n, int threads);

#endif
