/*
 * Extract stage: behaviours. A behaviour turns one post into zero or more
 * keys ("this post acted on object K"); two accounts that act on the same
 * object within the window are linked by that behaviour.
 *
 * Adding a behaviour = one file src/extract/bh_<name>.c defining an
 * ls_behaviour_def_t, plus one row in the table in behaviours.c.
 */
#ifndef LS_EXTRACT_BEHAVIOUR_H
#define LS_EXTRACT_BEHAVIOUR_H

#include "lockstep.h"
#include "read/reader.h"

/* Receives one key of the current post. `label` != 0 asks the dataset to
 * keep the key as a readable object label (for short keys). Returns 0 or -1
 * (out of memory). */
typedef int (*ls_emit_fn)(void *user, const char *key, size_t n, int label);

/* Scratch space for normalising text: at least 2 * text length + 64 bytes. */
typedef struct ls_extract_env {
	char *scratch;
	size_t scratch_cap;
	size_t min_text_length;
} ls_extract_env_t;

typedef struct ls_behaviour_def {
	const char *name;
	const char *description;
	/* Emits the keys of `post`. Returns 0 or -1 (from emit). */
	int (*extract)(const ls_post_t *post, const ls_extract_env_t *env, ls_emit_fn emit,
	               void *user);
} ls_behaviour_def_t;

extern const ls_behaviour_def_t *const ls_behaviour_table[];
extern const size_t ls_behaviour_table_size;

/* Text normalisation for co-tweet and text-identified retweets: drops a
 * leading "RT @user:", URLs and @mentions; case-folds ASCII and the common
 * Latin-1/Cyrillic/Greek letters; collapses whitespace; trims. Writes into
 * `out` (capacity >= n + 1) and returns the length. Time O(n). */
size_t ls_text_normalise(const char *text, size_t n, char *out);
/* URL normalisation for co-link: lower-cases scheme and host, drops
 * "www.", the fragment, utm_* parameters and a trailing '/'. Returns the
 * length written to `out` (capacity >= n + 1). */
size_t ls_url_normalise(const char *url, size_t n, char *out);

#endif
