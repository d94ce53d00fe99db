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

/* Indexes of the behaviours in the table (behaviours.c checks them): the
 * index is the behaviour's bit and the seed of its object hashes. */
enum {
	LS_BH_CORETWEET = 0,
	LS_BH_COTWEET = 1,
	LS_BH_COLINK = 2,
	LS_BH_COHASHTAG = 3,
	LS_BH_COMENTION = 4,
	LS_BH_COREPLY = 5,
	LS_BH_NEARDUP = 6,
	LS_BH_FASTRETWEET = 7,
	LS_BH_HASHTAGSEQ = 8,
	LS_BH_SYNCHRONY = 9,
	LS_BH_COTARGETING = 10,
	LS_BH_ADLAUNCH = 11
};

/* A post's normalised text (ls_text_normalise), computed once per post and
 * shared by the behaviours that need it (co-tweet, near-duplicate, co-retweet
 * by text). The owner clears `done` before each post. */
typedef struct ls_text_cache {
	char *buf;  /* capacity >= text length + 1 */
	size_t n;
	int done;
} ls_text_cache_t;

/* Scratch space for normalising text: at least 2 * text length + 64 bytes. */
typedef struct ls_extract_env {
	char *scratch;
	size_t scratch_cap;
	size_t min_text_length;
	unsigned nd_bands, nd_rows; /* near-duplicate LSH: bands x rows = permutations */
	uint64_t nd_seed;           /* near-duplicate hash seed (ls_read_options_t) */
	ls_text_cache_t *text;      /* NULL: every call normalises into scratch */
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
/* The same, a byte at a time (no 16-byte steps): for the tests. */
size_t ls_text_normalise_bytewise(const char *text, size_t n, char *out);
/* The normalised text of `p` and its length in *n: from env->text (computed
 * on the first call for the current post) or, without a cache, normalised
 * into env->scratch. Borrowed until the next post or scratch use. */
const char *ls_extract_text(const ls_extract_env_t *env, const ls_post_t *p, size_t *n);
/* URL normalisation for co-link: lower-cases scheme and host, drops
 * "www.", the fragment, utm_* parameters and a trailing '/'. Returns the
 * length written to `out` (capacity >= n + 1). */
size_t ls_url_normalise(const char *url, size_t n, char *out);

/* ---- MinHash and LSH banding (bh_neardup.c) ---- */

#define LS_MINHASH_SHINGLE 5   /* characters (UTF-8 code points) per shingle */
#define LS_MINHASH_BUDGET 64   /* permutations at most: bands x rows <= 64 */
#define LS_MINHASH_MIN_PERM 48 /* and at least */

/* Chooses LSH bands x rows for a Jaccard threshold j in (0, 1): among
 * 48 <= b x r <= 64, the pair whose S-curve threshold (1/b)^(1/r)
 * (Leskovec, Rajaraman & Ullman, Mining of Massive Datasets, 3.4.3) is
 * closest to j. j = 0.8 gives 6 bands x 8 rows. */
void ls_minhash_choose(double j, unsigned *bands, unsigned *rows);

/* MinHash signature of the character 5-shingles of s[0..n) (texts of
 * fewer than 5 characters are one shingle) by one-permutation hashing with
 * optimal densification (Li, Owen & Zhang 2012; Shrivastava 2017): each
 * shingle's hash goes to one of k <= LS_MINHASH_BUDGET bins, sig[i] is the
 * least hash in bin i, and an empty bin copies a filled one chosen by a
 * fixed probe sequence. For two texts with shingle-set Jaccard similarity
 * J, each sig[i] agrees with probability J. Returns the number of shingles
 * (0 for an empty text, then sig is all UINT64_MAX). Time O(n + k); no
 * allocation. */
size_t ls_minhash_signature(const char *s, size_t n, unsigned k, uint64_t *sig);
/* The same under the hash draw `seed` (1 gives ls_minhash_signature's). */
size_t ls_minhash_signature_seeded(const char *s, size_t n, unsigned k, uint64_t seed,
                                   uint64_t *sig);

/* Writes the LSH key of band `band` of sig (rows entries from band * rows)
 * into key (at least 4 + 8 * rows bytes) and returns its length. */
size_t ls_minhash_band_key(const uint64_t *sig, unsigned band, unsigned rows, unsigned char *key);

#endif
