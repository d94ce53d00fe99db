/*
 * Near-duplicate text: accounts that post texts that are almost the same
 * (a word swapped, a hashtag added, a typo fixed), found with MinHash and
 * LSH banding, never by comparing texts pairwise.
 *
 * Shingles. The normalised text (ls_text_normalise: case-folded, URLs and
 * mentions removed, whitespace collapsed) is cut into overlapping shingles
 * of 5 characters (UTF-8 code points, so Cyrillic counts like Latin). Word
 * shingles suit long documents; a tweet has 10 to 30 words, and one edited
 * word changes up to 3 of ~15 word 3-shingles (Jaccard 0.6), but only ~9
 * of ~100 character 5-shingles (Jaccard ~0.83): character shingles keep
 * light edits above the threshold and unrelated texts far below it.
 *
 * MinHash by one-permutation hashing (A. Broder, "On the resemblance and
 * containment of documents", 1997; P. Li, A. Owen & C.-H. Zhang, "One
 * permutation hashing", NIPS 2012; A. Shrivastava, "Optimal densification
 * for fast and accurate minwise hashing", ICML 2017). Each shingle is hashed
 * once with XXH3-64 (h). The high 32 bits of h choose one of the k bins
 * (multiply-shift: bin = (h >> 32) * k >> 32, uniform for any k) and sig[bin]
 * is the minimum h that fell into it: one hash and one comparison per
 * shingle instead of k multiply-adds (classic k-permutation MinHash cost
 * ~50 ns per shingle at k = 48, this ~3 ns). A bin no shingle fell into
 * (likely for short texts: ~6 of 48 for a 100-character tweet) is filled by
 * optimal densification: empty bin i probes bins g(i, 1), g(i, 2), ... of a
 * fixed pseudo-random sequence (splitmix64 of i and the attempt, seeded)
 * and copies the value of the first bin that was filled by a shingle. Both
 * texts of a pair probe the same sequence, so for shingle-set Jaccard
 * similarity J every sig[i] agrees with probability exactly J (Shrivastava
 * 2017, Theorem 3.1), and the k values are less correlated than with
 * rotation densification; for long texts the bins behave like sampling
 * without replacement, so the estimate's variance is at most that of k
 * independent permutations (test_behaviours.c checks bias, variance and
 * the band match rates).
 *
 * LSH banding (Leskovec, Rajaraman & Ullman, Mining of Massive Datasets,
 * ch. 3.4). The k = b x r values are cut into b bands of r rows; a post
 * emits one key per band (band index + its r values), so two posts share
 * an object when they agree on a whole band, with probability
 * P(J) = 1 - (1 - J^r)^b. ls_minhash_choose puts the S-curve's threshold
 * (1/b)^(1/r) as close as it can to the --jaccard option with 48 to 64
 * bins (fewer make the curve too shallow, more cost time). For the
 * default 0.8 it picks b = 6 bands of r = 8 rows (48 bins, threshold
 * 0.799):
 *     P(0.5) = 0.023,  P(0.7) = 0.30,  P(0.8) = 0.67,  P(0.9) = 0.97;
 * other options: 0.7 -> 9 x 6 (P(0.5) = 0.13, P(0.9) = 0.999); 0.9 ->
 * 4 x 13 (P(0.8) = 0.20, P(0.95) = 0.95).
 * A pair that shares several bands is one post pair, and the link stage
 * caps a pair's count by its distinct post pairs, so it counts once.
 *
 * Cost: O(characters + k) per post (one XXH3 per shingle, about 100 for a
 * tweet, plus k bins; well under a microsecond), b traces per post, no
 * allocation; the link stage's sort and window sweep make the whole
 * behaviour O(N log N + within-window pairs) for N posts: sub-quadratic by
 * construction.
 */
#include "extract/behaviour.h"

#include <math.h>
#include <string.h>
#define XXH_INLINE_ALL
#include <xxhash.h>

#define SHINGLE_SEED UINT64_C(0x6e65617264757031) /* "neardup1" */

void ls_minhash_choose(double j, unsigned *bands, unsigned *rows)
{
	unsigned best_b = 1, best_r = LS_MINHASH_BUDGET;
	double best = HUGE_VAL;
	for (unsigned r = 1; r <= LS_MINHASH_BUDGET; r++) {
		for (unsigned b = 1; b * r <= LS_MINHASH_BUDGET; b++) {
			if (b * r < LS_MINHASH_MIN_PERM)
				continue;
			double d = fabs(pow(1.0 / b, 1.0 / r) - j);
			if (d < best) {
				best = d;
				best_b = b;
				best_r = r;
			}
		}
	}
	*bands = best_b;
	*rows = best_r;
}

/* splitmix64 (Steele, Lea & Flood 2014): the densification's probe hash. */
static uint64_t mix64(uint64_t x)
{
	x += UINT64_C(0x9e3779b97f4a7c15);
	x = (x ^ (x >> 30)) * UINT64_C(0xbf58476d1ce4e5b9);
	x = (x ^ (x >> 27)) * UINT64_C(0x94d049bb133111eb);
	return x ^ (x >> 31);
}

/* Bin of a 64-bit value among k: multiply-shift of its high half. */
static unsigned bin_of(uint64_t h, unsigned k)
{
	return (unsigned)(((h >> 32) * k) >> 32);
}

/* The first PROBES bins of every bin's probe sequence (below) for one
 * seed and k. They depend on no text, so each thread computes them once
 * per hash draw instead of one splitmix64 per probe per text: a 20-character
 * text leaves about 33 of 48 bins empty, each probing about 3 times, and
 * those probes took more time than its shingles. */
#define PROBES 16
typedef struct probe_table {
	uint64_t hs;
	unsigned k;
	unsigned char bin[LS_MINHASH_BUDGET][PROBES];
} probe_table_t;

static const probe_table_t *probes(uint64_t hs, unsigned k)
{
	static _Thread_local probe_table_t tab;
	static _Thread_local int have;
	if (!have || tab.hs != hs || tab.k != k) {
		for (unsigned i = 0; i < k; i++)
			for (unsigned t = 1; t <= PROBES; t++)
				tab.bin[i][t - 1] = (unsigned char)bin_of(mix64(hs ^ ((uint64_t)i << 32 | t)), k);
		tab.hs = hs;
		tab.k = k;
		have = 1;
	}
	return &tab;
}

/* Fills the empty bins (optimal densification, Shrivastava 2017): bin i
 * copies the first filled bin of its probe sequence (the first PROBES
 * from the table). After 64 k probes without success (probability below
 * e^-64 when a single bin is filled) it takes the next filled bin after i, so the loop always ends. Every empty
 * bin copies a bin filled by a shingle, so the order they are filled in
 * does not matter. */
static void densify(uint64_t *sig, const uint64_t *filled, unsigned k, uint64_t hs)
{
	_Static_assert(LS_MINHASH_BUDGET <= 64, "the bins' bits fit in one word");
	const probe_table_t *tab = probes(hs, k);
	uint64_t f = filled[0];
	for (unsigned i = 0; i < k; i++) {
		if (f >> i & 1)
			continue;
		unsigned j = k;
		const unsigned char *pb = tab->bin[i];
		for (unsigned t = 0; t < PROBES; t++)
			if (f >> pb[t] & 1) {
				j = pb[t];
				break;
			}
		for (uint64_t t = PROBES + 1; t <= 64u * k && j == k; t++) {
			unsigned c = bin_of(mix64(hs ^ ((uint64_t)i << 32 | t)), k);
			if (f >> c & 1)
				j = c;
		}
		for (unsigned d = 1; j == k && d < k; d++) {
			unsigned c = (i + d) % k;
			if (f >> c & 1)
				j = c;
		}
		sig[i] = sig[j];
	}
}

/* XXH3-64 of one shingle under seed hs: XXH3_64bits_withSeed, whose
 * short-input path (up to 16 bytes: every ASCII shingle and most others)
 * xxhash 0.8 declares force-inline, is called directly so that it is
 * inlined into the shingle loops and its seed terms hoisted out of them
 * (the public function is too big for the compiler to inline). */
static inline uint64_t shingle_hash(const char *p, size_t len, uint64_t hs)
{
#if XXH_VERSION_MAJOR == 0 && XXH_VERSION_MINOR == 8
	if (len <= 16)
		return XXH3_len_0to16_64b((const xxh_u8 *)p, len, XXH3_kSecret, hs);
#endif
	return XXH3_64bits_withSeed(p, len, hs);
}

/* One shingle's hash h: the least h of its bin is kept. */
static inline void add_shingle(uint64_t h, unsigned k, uint64_t *sig, uint64_t *filled)
{
	unsigned c = bin_of(h, k);
	uint64_t v = sig[c];
	sig[c] = h < v ? h : v; /* no branch: the minimum changes unpredictably */
	filled[c / 64] |= UINT64_C(1) << (c % 64);
}

size_t ls_minhash_signature(const char *s, size_t n, unsigned k, uint64_t *sig)
{
	return ls_minhash_signature_seeded(s, n, k, 1, sig);
}

size_t ls_minhash_signature_seeded(const char *s, size_t n, unsigned k, uint64_t seed,
                                   uint64_t *sig)
{
	/* seed 1 keeps the constant; others move it by a multiple of an odd
	 * constant (distinct seeds, distinct hash functions) */
	const uint64_t hs = SHINGLE_SEED ^ (seed - 1) * UINT64_C(0x9e3779b97f4a7c15);
	if (k > LS_MINHASH_BUDGET)
		k = LS_MINHASH_BUDGET;
	if (k == 0)
		return 0;
	for (unsigned i = 0; i < k; i++)
		sig[i] = UINT64_MAX;
	uint64_t filled[(LS_MINHASH_BUDGET + 63) / 64] = {0};
	size_t shingles = 0;
	size_t ascii = 0;
	while (ascii < n && (unsigned char)s[ascii] < 0x80)
		ascii++;
	if (ascii == n && n >= LS_MINHASH_SHINGLE) {
		/* ASCII: every byte is a code point, a shingle is 5 bytes */
		for (size_t p = 0; p + LS_MINHASH_SHINGLE <= n; p++)
			add_shingle(shingle_hash(s + p, LS_MINHASH_SHINGLE, hs), k, sig, filled);
		shingles = n - LS_MINHASH_SHINGLE + 1;
	} else {
		/* The shingle ending at a code point boundary p starts
		 * LS_MINHASH_SHINGLE code points back, at q; q then moves on by
		 * one code point (past its continuation bytes) */
		size_t q = 0, t = 0;
		for (size_t p = 0; p <= n; p++) {
			if (p < n && ((unsigned char)s[p] & 0xC0) == 0x80)
				continue; /* UTF-8 continuation byte */
			if (t < LS_MINHASH_SHINGLE) {
				t++;
				continue;
			}
			add_shingle(shingle_hash(s + q, p - q, hs), k, sig, filled);
			shingles++;
			do
				q++;
			while (((unsigned char)s[q] & 0xC0) == 0x80);
		}
	}
	if (shingles == 0 && n > 0) {
		add_shingle(shingle_hash(s, n, hs), k, sig, filled);
		shingles = 1;
	}
	if (shingles > 0)
		densify(sig, filled, k, hs);
	return shingles;
}

size_t ls_minhash_band_key(const uint64_t *sig, unsigned band, unsigned rows, unsigned char *key)
{
	size_t o = 0;
	for (int s = 0; s < 32; s += 8)
		key[o++] = (unsigned char)(band >> s);
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	memcpy(key + o, sig + (size_t)band * rows, 8 * (size_t)rows); /* already little-endian */
	o += 8 * (size_t)rows;
#else
	for (unsigned i = 0; i < rows; i++) {
		uint64_t v = sig[(size_t)band * rows + i];
		for (int s = 0; s < 64; s += 8)
			key[o++] = (unsigned char)(v >> s);
	}
#endif
	return o;
}

static int extract(const ls_post_t *p, const ls_extract_env_t *env, ls_emit_fn emit, void *user)
{
	if (p->kind == LS_KIND_RETWEET || p->text.n == 0 || env->nd_bands == 0)
		return 0;
	size_t n;
	const char *t = ls_extract_text(env, p, &n);
	if (n == 0 || n < env->min_text_length)
		return 0;
	uint64_t sig[LS_MINHASH_BUDGET];
	unsigned char key[4 + 8 * LS_MINHASH_BUDGET];
	ls_minhash_signature_seeded(t, n, env->nd_bands * env->nd_rows, env->nd_seed, sig);
	for (unsigned b = 0; b < env->nd_bands; b++) {
		size_t kn = ls_minhash_band_key(sig, b, env->nd_rows, key);
		if (emit(user, (const char *)key, kn, 0))
			return -1;
	}
	return 0;
}

const ls_behaviour_def_t ls_bh_neardup = {
	"neardup",
	"posting nearly the same text (MinHash/LSH on character 5-shingles, Jaccard >= --jaccard)",
	extract,
};
