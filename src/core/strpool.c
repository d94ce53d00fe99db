#include "core/strpool.h"

#include <stdlib.h>
#include <string.h>
#include <xxhash.h>

#define NUMERIC LS_STRPOOL_NUMERIC
#define MAX_LEN (NUMERIC - 1)

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
	free(sp->hi);
	free(sp->len);
	free(sp->slots);
	memset(sp, 0, sizeof *sp);
}

#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
#define SWAR_DIGITS 1
/* Whether the 8 bytes of w (s[0] in the low byte) are all '0'..'9': the
 * high nibble is 3 and adding 6 leaves it 3 (no byte carries: <= 0x45). */
static int eight_digits(uint64_t w)
{
	const uint64_t hi = 0xF0F0F0F0F0F0F0F0ULL, threes = 0x3030303030303030ULL;
	return (w & hi) == threes && ((w + 0x0606060606060606ULL) & hi) == threes;
}

/* The value of 8 decimal digits (eight_digits(w)) in three multiplies:
 * digit pairs, then pairs of pairs, then the two halves. */
static uint64_t eight_digits_value(uint64_t w)
{
	w -= 0x3030303030303030ULL;
	w = w * 10 + (w >> 8); /* the low byte of each 16-bit lane: 2 digits */
	const uint64_t lo = 0x000000FF000000FFULL;
	w = ((w & lo) * (100 + (1000000ULL << 32)) +
	     ((w >> 16) & lo) * (1 + (10000ULL << 32))) >> 32;
	return w;
}
#endif

/* Value of s[0..n) when it is a canonical decimal number below 2^64 ("0", or
 * digits without a leading zero): returns 1 and sets *v. Else 0. Post and
 * account ids are such numbers: on little-endian machines the first 16
 * digits go 8 at a time. */
static int canonical_number(const char *s, size_t n, uint64_t *v)
{
	if (n == 0 || n > 20 || (s[0] == '0' && n > 1))
		return 0;
	uint64_t x = 0;
	size_t i = 0;
#ifdef SWAR_DIGITS
	for (; n - i >= 8 && i < 16; i += 8) { /* x < 10^16 after two rounds */
		uint64_t w;
		memcpy(&w, s + i, 8);
		if (!eight_digits(w))
			return 0;
		x = x * 100000000 + eight_digits_value(w);
	}
#endif
	for (; i < n && i < 19; i++) {
		unsigned d = (unsigned)(unsigned char)s[i] - '0';
		if (d > 9)
			return 0;
		x = x * 10 + d;
	}
	if (i < n) { /* the 20th digit: x < 10^19, so only the sum may wrap */
		unsigned d = (unsigned)(unsigned char)s[i] - '0';
		if (d > 9 || x > (UINT64_MAX - d) / 10)
			return 0;
		x = x * 10 + d;
	}
	*v = x;
	return 1;
}

ls_strkey_t ls_strpool_key(const char *s, size_t n)
{
	ls_strkey_t k;
	if (canonical_number(s, n, &k.key)) {
		k.tag = (uint32_t)n | NUMERIC;
	} else {
		k.key = XXH3_64bits(s, n);
		k.tag = (uint32_t)(n > MAX_LEN ? MAX_LEN : n);
	}
	return k;
}

/* Home slot of a key in a table of n slots (see ls_strpool_home). */
static size_t home(uint64_t key, uint32_t tag, size_t n)
{
	ls_strpool_t t = {.nslots = n};
	return ls_strpool_home(&t, (ls_strkey_t){key, tag});
}

/* The slot after j in a table of n slots. */
static size_t next(size_t j, size_t n)
{
	return j + 1 < n ? j + 1 : 0;
}

/* Whether slot e holds s[0..n) with the given key and tag. */
static int same(const ls_strpool_t *sp, const ls_strslot_t *e, uint64_t key, uint32_t tag,
                const char *s, size_t n)
{
	if (e->key != key || e->tag != tag)
		return 0;
	return (tag & NUMERIC) || memcmp(ls_strpool_get(sp, e->id), s, n) == 0;
}

static int rehash(ls_strpool_t *sp, size_t nslots)
{
	ls_strslot_t *slots = ls_table_alloc(nslots * sizeof *slots);
	if (slots == NULL)
		return -1;
	memset(slots, 0, nslots * sizeof *slots);
	for (size_t i = 0; i < sp->nslots; i++) {
		const ls_strslot_t *e = &sp->slots[i];
		if (e->id == 0)
			continue;
		size_t j = home(e->key, e->tag, nslots);
		while (slots[j].id != 0)
			j = next(j, nslots);
		slots[j] = *e;
	}
	free(sp->slots);
	sp->slots = slots;
	sp->nslots = nslots;
	return 0;
}

void ls_strpool_drop_index(ls_strpool_t *sp)
{
	free(sp->slots);
	sp->slots = NULL;
	sp->nslots = 0;
	sp->indexless = sp->count > 0;
}

int ls_strpool_reindex(ls_strpool_t *sp)
{
	if (!sp->indexless)
		return 0;
	size_t nslots = 1024;
	while ((sp->count + 1) * 4 > nslots * 3) { /* load <= 3/4, as when interning */
		if (nslots > SIZE_MAX / 2 / sizeof(ls_strslot_t))
			return -1;
		nslots *= 2;
	}
	if (rehash(sp, nslots)) /* an empty table: there are no slots to move */
		return -1;
	for (size_t id = 1; id <= sp->count; id++) {
		ls_strkey_t k = ls_strpool_key(ls_strpool_get(sp, (ls_sid_t)id),
		                               ls_strpool_len(sp, (ls_sid_t)id));
		size_t j = home(k.key, k.tag, nslots);
		while (sp->slots[j].id != 0)
			j = next(j, nslots);
		sp->slots[j] = (ls_strslot_t){k.key, (ls_sid_t)id, k.tag};
	}
	sp->indexless = 0;
	return 0;
}

ls_sid_t ls_strpool_find(const ls_strpool_t *sp, const char *s, size_t n)
{
	/* a dropped index is a cache: built again on first use (the pool is
	 * never a const object; see ls_strpool_drop_index) */
	if (sp->indexless && ls_strpool_reindex((ls_strpool_t *)(uintptr_t)sp))
		return 0;
	if (sp->nslots == 0 || n > MAX_LEN)
		return 0;
	ls_strkey_t k = ls_strpool_key(s, n);
	for (size_t j = home(k.key, k.tag, sp->nslots); sp->slots[j].id != 0; j = next(j, sp->nslots))
		if (same(sp, &sp->slots[j], k.key, k.tag, s, n))
			return sp->slots[j].id;
	return 0;
}

int ls_strpool_reserve(ls_strpool_t *sp, size_t n)
{
	if (ls_strpool_reindex(sp))
		return -1;
	size_t nslots = sp->nslots ? sp->nslots : 1024;
	while ((n + 1) * 4 > nslots * 3) { /* load <= 3/4, as when interning */
		if (nslots > SIZE_MAX / 2 / sizeof(ls_strslot_t))
			return -1;
		nslots *= 2;
	}
	return nslots > sp->nslots ? rehash(sp, nslots) : 0;
}

int ls_strpool_intern(ls_strpool_t *sp, const char *s, size_t n, ls_sid_t *id)
{
	return ls_strpool_intern_key(sp, s, n, ls_strpool_key(s, n), id);
}

int ls_strpool_intern_key(ls_strpool_t *sp, const char *s, size_t n, ls_strkey_t k, ls_sid_t *id)
{
	if (n > MAX_LEN || ls_strpool_reindex(sp))
		return -1;
	if ((sp->count + 1) * 4 > sp->nslots * 3) { /* load <= 3/4 */
		if (sp->nslots > SIZE_MAX / 2 / sizeof *sp->slots ||
		    rehash(sp, sp->nslots ? sp->nslots + sp->nslots / 2 : 1024))
			return -1;
	}
	size_t j = home(k.key, k.tag, sp->nslots);
	for (; sp->slots[j].id != 0; j = next(j, sp->nslots)) {
		if (same(sp, &sp->slots[j], k.key, k.tag, s, n)) {
			*id = sp->slots[j].id;
			return 0;
		}
	}
	if (sp->count >= UINT32_MAX - 1)
		return -1;
	/* ids are 1-based: arrays have count + 2 entries after the insert */
	if (sp->count + 2 > sp->capids) {
		size_t c = sp->capids ? sp->capids * 2 : 1024;
		uint32_t *off = realloc(sp->off, c * sizeof *off);
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
	while ((sp->nbytes >> 32) > sp->nhi) { /* the first string of the next 4 GiB */
		uint32_t *hi = realloc(sp->hi, (sp->nhi + 1) * sizeof *hi);
		if (hi == NULL)
			return -1;
		sp->hi = hi;
		sp->hi[sp->nhi++] = nid;
	}
	sp->off[nid] = (uint32_t)sp->nbytes;
	sp->len[nid] = (uint32_t)n;
	if (n)
		memcpy(sp->bytes + sp->nbytes, s, n);
	sp->bytes[sp->nbytes + n] = '\0';
	sp->nbytes += n + 1;
	sp->count++;
	sp->slots[j].key = k.key;
	sp->slots[j].id = nid;
	sp->slots[j].tag = k.tag;
	*id = nid;
	return 0;
}
