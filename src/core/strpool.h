/*
 * String interning. Each distinct byte string gets a dense id, 1, 2, 3, ...
 * in order of first appearance (0 means "no string"), so ids double as
 * indexes into per-string arrays and the order is deterministic.
 *
 * Design: bytes live in one growing buffer (each string NUL-terminated so it
 * can be handed to printf-like code); an open-addressing table of ids with a
 * cached 32-bit hash finds duplicates with one probe in the common case.
 * Cost: O(len) per intern, ~ len + 1 + 16 bytes per distinct string plus the
 * table (<= 8 bytes per slot at load 1/2).
 */
#ifndef LS_CORE_STRPOOL_H
#define LS_CORE_STRPOOL_H

#include <stddef.h>
#include <stdint.h>

typedef uint32_t ls_sid_t;

typedef struct ls_strpool {
	char *bytes;
	size_t nbytes, capbytes;
	uint64_t *off;    /* off[id] = offset of string id in bytes */
	uint32_t *len;    /* len[id] */
	size_t count;     /* strings stored; ids are 1..count */
	size_t capids;
	uint32_t *slots;  /* 0 = empty, else id */
	uint32_t *hashes; /* hash of slots[i]'s string */
	size_t nslots;    /* power of two */
} ls_strpool_t;

void ls_strpool_init(ls_strpool_t *sp);
void ls_strpool_destroy(ls_strpool_t *sp);
/* Interns `s[0..n)`; stores the id in *id. Returns 0, or -1 when out of
 * memory or the pool would exceed 2^32-1 strings. */
int ls_strpool_intern(ls_strpool_t *sp, const char *s, size_t n, ls_sid_t *id);
/* Looks up without inserting; returns the id or 0 when absent. */
ls_sid_t ls_strpool_find(const ls_strpool_t *sp, const char *s, size_t n);
/* The NUL-terminated string of `id` ("" for 0). Borrowed; valid until the
 * next intern. */
static inline const char *ls_strpool_get(const ls_strpool_t *sp, ls_sid_t id)
{
	return id ? sp->bytes + sp->off[id] : "";
}
static inline size_t ls_strpool_len(const ls_strpool_t *sp, ls_sid_t id)
{
	return id ? sp->len[id] : 0;
}

#endif
