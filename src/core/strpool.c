#include "core/strpool.h"

#include <stdlib.h>
#include <string.h>
#include <xxhash.h>

void ls_strpool_init(ls_strpool_t *sp)
{
	memset(sp, 0, sizeof *sp);
}

void ls_strpool_destroy(ls_strpool_t *sp)
{
	if (sp == NULL)
		return;
	free(sp->bytes);
	free(sp->off);
	free(sp->len);
	free(sp->slots);
	free(sp->hashes);
	memset(sp, 0, sizeof *sp);
}

static uint32_t hash32(const char *s, size_t n)
{
	return (uint32_t)XXH3_64bits(s, n);
}

static int same(const ls_strpool_t *sp, ls_sid_t id, const char *s, size_t n)
{
	return sp->len[id] == n && memcmp(sp->bytes + sp->off[id], s, n) == 0;
}

static int rehash(ls_strpool_t *sp, size_t nslots)
{
	uint32_t *slots = calloc(nslots, sizeof *slots);
	uint32_t *hashes = calloc(nslots, sizeof *hashes);
	if (slots == NULL || hashes == NULL) {
		free(slots);
		free(hashes);
		return -1;
	}
	for (size_t i = 0; i < sp->nslots; i++) {
		if (sp->slots[i] == 0)
			continue;
		size_t j = sp->hashes[i] & (nslots - 1);
		while (slots[j] != 0)
			j = (j + 1) & (nslots - 1);
		slots[j] = sp->slots[i];
		hashes[j] = sp->hashes[i];
	}
	free(sp->slots);
	free(sp->hashes);
	sp->slots = slots;
	sp->hashes = hashes;
	sp->nslots = nslots;
	return 0;
}

ls_sid_t ls_strpool_find(const ls_strpool_t *sp, const char *s, size_t n)
{
	if (sp->nslots == 0)
		return 0;
	uint32_t h = hash32(s, n);
	size_t j = h & (sp->nslots - 1);
	while (sp->slots[j] != 0) {
		if (sp->hashes[j] == h && same(sp, sp->slots[j], s, n))
			return sp->slots[j];
		j = (j + 1) & (sp->nslots - 1);
	}
	return 0;
}

int ls_strpool_intern(ls_strpool_t *sp, const char *s, size_t n, ls_sid_t *id)
{
	if ((sp->count + 1) * 2 >= sp->nslots) {
		if (rehash(sp, sp->nslots ? sp->nslots * 2 : 1024))
			return -1;
	}
	uint32_t h = hash32(s, n);
	size_t j = h & (sp->nslots - 1);
	while (sp->slots[j] != 0) {
		if (sp->hashes[j] == h && same(sp, sp->slots[j], s, n)) {
			*id = sp->slots[j];
			return 0;
		}
		j = (j + 1) & (sp->nslots - 1);
	}
	if (sp->count >= UINT32_MAX - 1 || n > UINT32_MAX)
		return -1;
	/* ids are 1-based: arrays have count + 2 entries after the insert */
	if (sp->count + 2 > sp->capids) {
		size_t c = sp->capids ? sp->capids * 2 : 1024;
		uint64_t *off = realloc(sp->off, c * sizeof *off);
		if (off == NULL)
			return -1;
		sp->off = off;
		uint32_t *len = realloc(sp->len, c * sizeof *len);
		if (len == NULL)
			return -1;
		sp->len = len;
		sp->capids = c;
	}
	if (n + 1 > SIZE_MAX - sp->nbytes)
		return -1;
	if (sp->nbytes + n + 1 > sp->capbytes) {
		size_t c = sp->capbytes ? sp->capbytes : 65536;
		while (c < sp->nbytes + n + 1) {
			if (c > SIZE_MAX / 2)
				return -1;
			c *= 2;
		}
		char *b = realloc(sp->bytes, c);
		if (b == NULL)
			return -1;
		sp->bytes = b;
		sp->capbytes = c;
	}
	ls_sid_t nid = (ls_sid_t)(sp->count + 1);
	sp->off[nid] = sp->nbytes;
	sp->len[nid] = (uint32_t)n;
	if (n)
		memcpy(sp->bytes + sp->nbytes, s, n);
	sp->bytes[sp->nbytes + n] = '\0';
	sp->nbytes += n + 1;
	sp->count++;
	sp->slots[j] = nid;
	sp->hashes[j] = h;
	*id = nid;
	return 0;
}
