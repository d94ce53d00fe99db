/* Helpers shared by the entity-list behaviours (co-link, co-hashtag,
 * co-mention): emit each distinct entity of a post once. */
#ifndef LS_EXTRACT_BH_COMMON_H
#define LS_EXTRACT_BH_COMMON_H

#include "extract/behaviour.h"

/* Emits each of list[0..n) lower-cased (ASCII), skipping case-insensitive
 * repeats within the list and empty entries. Returns 0 or -1. */
int ls_bh_emit_folded(const ls_str_t *list, size_t n, const ls_extract_env_t *env, ls_emit_fn emit,
                      void *user);

#endif
