/*
 * LSD radix sort of (key, index) records with 11-bit digits: 2,048 buckets
 * keep the counters and the scatter targets in cache; digits that do not
 * vary over the input are skipped (account-pair keys a << 32 | b with
 * 100k accounts need 4 passes, not 6). Records are contiguous, so every
 * pass reads sequentially.
 */
#include "core/radix.h"

#include <stdlib.h>
#include <string.h>

typedef struct kv {
	uint64_t key;
	uint32_t idx;
} kv_t;

#define DIGIT_BITS 11
#define BUCKETS (1u << DIGIT_BITS)

int ls_radix_order_u64(const uint64_t *keys, uint32_t *order, size_t n)
{
	if (n < 2)
		return 0;
	kv_t *a = malloc(n * sizeof *a), *b = malloc(n * sizeof *b);
	if (a == NULL || b == NULL) {
		free(a);
		free(b);
		return -1;
	}
	uint64_t first = keys[order[0]], diff = 0;
	for (size_t i = 0; i < n; i++) {
		a[i].key = keys[order[i]];
		a[i].idx = order[i];
		diff |= a[i].key ^ first;
	}
	size_t count[BUCKETS];
	for (unsigned shift = 0; shift < 64; shift += DIGIT_BITS) {
		if (((diff >> shift) & (BUCKETS - 1)) == 0)
			continue;
		memset(count, 0, sizeof count);
		for (size_t i = 0; i < n; i++)
			count[(a[i].key >> shift) & (BUCKETS - 1)]++;
		size_t sum = 0;
		for (size_t d = 0; d < BUCKETS; d++) {
			size_t c = count[d];
			count[d] = sum;
			sum += c;
		}
		for (size_t i = 0; i < n; i++)
			b[count[(a[i].key >> shift) & (BUCKETS - 1)]++] = a[i];
		kv_t *t = a;
		a = b;
		b = t;
	}
	for (size_t i = 0; i < n; i++)
		order[i] = a[i].idx;
	free(a);
	free(b);
	return 0;
}

void ls_permute(void *items, size_t size, uint32_t *order, size_t n, void *tmp)
{
	char *it = items;
	for (size_t i = 0; i < n; i++) {
		if (order[i] == i || order[i] == UINT32_MAX)
			continue;
		/* follow the cycle starting at i */
		memcpy(tmp, it + i * size, size);
		size_t j = i;
		for (;;) {
			size_t k = order[j];
			order[j] = UINT32_MAX;
			if (k == i) {
				memcpy(it + j * size, tmp, size);
				break;
			}
			memcpy(it + j * size, it + k * size, size);
			j = k;
		}
	}
}
