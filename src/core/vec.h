/*
 * Growable arrays with overflow-checked growth.
 *
 *   LS_VEC(int) v = {0};
 *   if (ls_vec_push(&v, 42)) goto oom;
 *   ...; free(v.v);
 *
 * Capacity doubles, so n pushes cost O(n) amortised. A push that would
 * overflow size_t fails like an allocation failure.
 */
#ifndef LS_CORE_VEC_H
#define LS_CORE_VEC_H

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#define LS_VEC(T) struct { T *v; size_t n, cap; }

/* Ensures room for `extra` more elements of size `elem`. Returns 0 or -1. */
static inline int ls_vec_reserve_(void **v, size_t *cap, size_t n, size_t extra, size_t elem)
{
	if (extra > SIZE_MAX - n)
		return -1;
	size_t need = n + extra;
	if (need <= *cap)
		return 0;
	size_t c = *cap ? *cap : 16;
	while (c < need) {
		if (c > SIZE_MAX / 2)
			return -1;
		c *= 2;
	}
	if (c > SIZE_MAX / elem)
		return -1;
	void *p = realloc(*v, c * elem);
	if (p == NULL)
		return -1;
	*v = p;
	*cap = c;
	return 0;
}

#define ls_vec_reserve(vec, extra) \
	ls_vec_reserve_((void **)&(vec)->v, &(vec)->cap, (vec)->n, (extra), sizeof(*(vec)->v))

/* Evaluates to 0 on success, -1 when out of memory. */
#define ls_vec_push(vec, value) \
	(ls_vec_reserve((vec), 1) ? -1 : ((vec)->v[(vec)->n++] = (value), 0))

#define ls_vec_free(vec) do { free((vec)->v); (vec)->v = NULL; (vec)->n = (vec)->cap = 0; } while (0)

#endif
