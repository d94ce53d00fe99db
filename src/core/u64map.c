#include "core/u64map.h"

#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

void ls_u64map_init(ls_u64map_t *m)
{
	memset(m, 0, sizeof *m);
}

void ls_u64map_destroy(ls_u64map_t *m)
{
	if (m == NULL)
		return;
	free(m->keys);
	free(m->vals);
	memset(m, 0, sizeof *m);
}

int ls_u64map_get(const ls_u64map_t *m, uint64_t key, uint32_t *val)
{
	if (m->nslots == 0)
		return 0;
	size_t mask = m->nslots - 1;
	for (size_t j = ls_mix64(key) & mask;; j = (j + 1) & mask) {
		if (m->keys[j] == key) {
			*val = m->vals[j];
			return 1;
		}
		if (m->keys[j] == LS_U64MAP_EMPTY)
			return 0;
	}
}

void *ls_table_alloc(size_t bytes)
{
	if (bytes < ((size_t)2 << 20))
		return malloc(bytes);
	void *p = NULL;
	if (posix_memalign(&p, (size_t)2 << 20, bytes) != 0)
		return NULL;
#ifdef MADV_HUGEPAGE
	(void)madvise(p, bytes, MADV_HUGEPAGE);
#endif
	return p;
}

/* Rehashes into n slots (a power of two above the count). */
static int grow_to(ls_u64map_t *m, size_t n)
{
	if (n > SIZE_MAX / sizeof(uint64_t))
		return -1;
	uint64_t *keys = ls_table_alloc(n * sizeof *keys);
	uint32_t *vals = ls_table_alloc(n * sizeof *vals);
	if (keys == NULL || vals == NULL) {
		free(keys);
		free(vals);
		return -1;
	}
	memset(keys, 0xff, n * sizeof *keys);
	size_t mask = n - 1;
	for (size_t i = 0; i < m->nslots; i++) {
		if (m->keys[i] == LS_U64MAP_EMPTY)
			continue;
		size_t j = ls_mix64(m->keys[i]) & mask;
		while (keys[j] != LS_U64MAP_EMPTY)
			j = (j + 1) & mask;
		keys[j] = m->keys[i];
		vals[j] = m->vals[i];
	}
	free(m->keys);
	free(m->vals);
	m->keys = keys;
	m->vals = vals;
	m->nslots = n;
	return 0;
}

static int grow(ls_u64map_t *m)
{
	return grow_to(m, m->nslots ? m->nslots * 2 : 1024);
}

int ls_u64map_reserve(ls_u64map_t *m, size_t n)
{
	size_t nslots = m->nslots ? m->nslots : 1024;
	/* the load at which upsert grows: 1/2, or 3/4 when dense */
	while ((n + 1) * (m->dense ? 4 : 2) > nslots * (m->dense ? 3 : 1)) {
		if (nslots > SIZE_MAX / 2 / sizeof(uint64_t))
			return -1;
		nslots *= 2;
	}
	return nslots > m->nslots ? grow_to(m, nslots) : 0;
}

int ls_u64map_upsert(ls_u64map_t *m, uint64_t key, uint32_t val_if_new, uint32_t **slot_val,
                     int *inserted)
{
	if ((m->count + 1) * (m->dense ? 4 : 2) > m->nslots * (m->dense ? 3 : 1) && grow(m))
		return -1;
	size_t mask = m->nslots - 1;
	size_t j = ls_mix64(key) & mask;
	while (m->keys[j] != LS_U64MAP_EMPTY) {
		if (m->keys[j] == key) {
			*slot_val = &m->vals[j];
			*inserted = 0;
			return 0;
		}
		j = (j + 1) & mask;
	}
	m->keys[j] = key;
	m->vals[j] = val_if_new;
	m->count++;
	*slot_val = &m->vals[j];
	*inserted = 1;
	return 0;
}
