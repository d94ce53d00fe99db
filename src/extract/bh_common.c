/* Shared emitter for entity lists: O(k^2) duplicate check, k <= 64. */
#include "extract/bh_common.h"

#include <strings.h>

int ls_bh_emit_folded(const ls_str_t *list, size_t n, const ls_extract_env_t *env, ls_emit_fn emit,
                      void *user)
{
	for (size_t i = 0; i < n; i++) {
		if (list[i].n == 0 || list[i].n + 1 > env->scratch_cap)
			continue;
		int dup = 0;
		for (size_t j = 0; j < i && !dup; j++)
			dup = list[j].n == list[i].n && strncasecmp(list[j].p, list[i].p, list[i].n) == 0;
		if (dup)
			continue;
		for (size_t k = 0; k < list[i].n; k++) {
			char c = list[i].p[k];
			env->scratch[k] = (char)(c >= 'A' && c <= 'Z' ? c + 32 : c);
		}
		if (emit(user, env->scratch, list[i].n, 1))
			return -1;
	}
	return 0;
}
