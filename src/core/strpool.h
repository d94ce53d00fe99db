/*
 * String interning. Each distinct byte string gets a dense id, 1, 2, 3, ...
 * in order of first appearance (0 means "no string"), so ids double as
 * indexes into per-string arrays and the order is deterministic.
 *
 * Design: bytes live in one growing buffer (each string NUL-terminated so it
 * can be handed to printf-like code); an open-addressing table (linear
 * probing, load <= 3/4: four slots share a cache line, so the longer
 * probe runs stay within one or two lines) of 16-byte slots finds
 * duplicates; the table grows by half (not doubling: 1/6 fewer bytes on
 * average, and a smaller transient old + new table). A slot holds the
 * id, the length and a 64-bit key, so a lookup usually touches one cache
 * line of the table and nothing else:
 *  - a canonical decimal number ("0" or 1..20 digits without a leading
 *    zero, value < 2^64: post and account ids) is keyed by its value, which
 *    determines the string: equal key and length mean equal strings, no
 *    byte comparison;
 *  - any other string is keyed by its XXH3-64 hash; the stored bytes are
 *    compared only when hash and length both match (in practice: when the
 *    string is there).
 * A new string costs one probe of the table plus appends. Growing the table
 * re-places slots from their keys without reading any string; tables of
 * 2 MiB and more ask for transparent huge pages (fewer TLB misses).
 * Cost: O(len) per intern; ~ len + 1 + 8 bytes per distinct string plus the
 * table (16 bytes per slot, 21-32 bytes per string).
 */
#ifndef LS_CORE_STRPOOL_H
#define LS_CORE_STRPOOL_H

#include <stddef.h>
#include <stdint.h>

#include "core/u64map.h" /* ls_mix64 */

/* tag bit of a slot whose key is the string's decimal value */
#define LS_STRPOOL_NUMERIC UINT32_C(0x80000000)

typedef uint32_t ls_sid_t;

typedef struct ls_strslot {
	uint64_t key;    /* the number, or XXH3-64 of the bytes */
	uint32_t id;     /* 0 = empty */
	uint32_t tag;    /* length, | LS_STRPOOL_NUMERIC when key is the number */
} ls_strslot_t;

/* The key of a string (ls_strpool_key): computing it apart lets a caller
 * hash strings ahead (on another thread, or a few strings early) and
 * prefetch their slots before interning them. */
typedef struct ls_strkey {
	uint64_t key;
	uint32_t tag;
} ls_strkey_t;

typedef struct ls_strpool {
	char *bytes;
	size_t nbytes, capbytes;
	uint32_t *off;    /* off[id] = offset of string id in bytes, mod 2^32 */
	/* hi[k] = the first id at offset (k + 1) 2^32 or beyond (k < nhi):
	 * offsets grow with ids, so 4 bytes per id do, plus one entry per 4 GiB */
	uint32_t *hi;
	size_t nhi;
	uint32_t *len;    /* len[id] */
	size_t count;     /* strings stored; ids are 1..count */
	size_t capids;
	ls_strslot_t *slots;
	size_t nslots;    /* 0, or >= 1024 (grows by half) */
	int indexless;    /* the slots were dropped (ls_strpool_drop_index) */
} ls_strpool_t;

void ls_strpool_init(ls_strpool_t *sp);
void ls_strpool_destroy(ls_strpool_t *sp);
/* Interns `s[0..n)`; stores the id in *id. Returns 0, or -1 when out of
 * memory or the pool would exceed 2^32-1 strings. */
int ls_strpool_intern(ls_strpool_t *sp, const char *s, size_t n, ls_sid_t *id);
/* Frees the hash index (the slots, 16 bytes each at load <= 3/4): the
 * strings stay readable by id; the next intern or look-up builds the index
 * again from them (O(bytes)), which is then not safe on several threads at
 * once. For a pool that is done growing (the dataset after reading). */
void ls_strpool_drop_index(ls_strpool_t *sp);
/* Builds a dropped index again now; 0, or -1 when out of memory. */
int ls_strpool_reindex(ls_strpool_t *sp);
/* Makes room for n strings in all without growing the table again (a
 * hint: one rehash now instead of several while they come). Returns 0, or
 * -1 when out of memory (the pool is unchanged). */
int ls_strpool_reserve(ls_strpool_t *sp, size_t n);
/* The key of s[0..n): O(n), no access to the pool, thread-safe. */
ls_strkey_t ls_strpool_key(const char *s, size_t n);
/* ls_strpool_intern with k = ls_strpool_key(s, n) computed by the caller. */
int ls_strpool_intern_key(ls_strpool_t *sp, const char *s, size_t n, ls_strkey_t k, ls_sid_t *id);
/* The hash of a key that picks its home slot (numbers are mixed, XXH3
 * hashes are uniform already); for tables keyed like the pool's. */
static inline uint64_t ls_strpool_hash(ls_strkey_t k)
{
	return (k.tag & LS_STRPOOL_NUMERIC) ? ls_mix64(k.key) : k.key;
}
/* The home slot of k in the pool's table: the hash scaled to [0, nslots)
 * by its high bits (the table grows by half, so nslots is no power of two). */
static inline size_t ls_strpool_home(const ls_strpool_t *sp, ls_strkey_t k)
{
	__extension__ typedef unsigned __int128 u128;
	return (size_t)(((u128)ls_strpool_hash(k) * sp->nslots) >> 64);
}
/* Asks the CPU to fetch the table slots where the lookup of k starts: the
 * home slot's cache line and the next one, where a probe run often goes on
 * (a hint: no effect on results). always_inline: GCC 12 otherwise finds the
 * function free of side effects (a prefetch has none) and drops the call
 * before inlining it. */
static inline __attribute__((always_inline)) void ls_strpool_prefetch(const ls_strpool_t *sp,
                                                                      ls_strkey_t k)
{
	if (sp->nslots) {
		size_t j = ls_strpool_home(sp, k);
		__builtin_prefetch(&sp->slots[j]);
		__builtin_prefetch(&sp->slots[j + 4 < sp->nslots ? j + 4 : j + 4 - sp->nslots]);
	}
}
/* Looks up without inserting; returns the id or 0 when absent. */
ls_sid_t ls_strpool_find(const ls_strpool_t *sp, const char *s, size_t n);
/* The NUL-terminated string of `id` ("" for 0). Borrowed; valid until the
 * next intern. */
static inline const char *ls_strpool_get(const ls_strpool_t *sp, ls_sid_t id)
{
	if (id == 0)
		return "";
	uint64_t o = sp->off[id];
	for (size_t k = 0; k < sp->nhi && id >= sp->hi[k]; k++)
		o += (uint64_t)1 << 32;
	return sp->bytes + o;
}
static inline size_t ls_strpool_len(const ls_strpool_t *sp, ls_sid_t id)
{
	return id ? sp->len[id] : 0;
}

#endif
