/*
 * Deterministic random numbers for the synthetic scenario generator and the
 * benchmark input generators. Nothing here reads the clock or calls rand():
 * a 64-bit seed fixes every draw.
 *
 * Generator: xoshiro256** (Blackman & Vigna 2018), seeded by four outputs of
 * splitmix64 so that nearby seeds give unrelated streams. One draw costs a
 * handful of shifts and one multiply; state is 32 bytes, so a fresh stream
 * can be seeded per object (ls_synth_rng_seed2) to make an object's random
 * details reproducible without remembering them.
 *
 * Samplers:
 *  - uniform integers (rejection, no modulo bias), unit doubles (53 bits);
 *  - normal (Marsaglia polar), lognormal, Pareto;
 *  - Zipf over ranks 1..n by rejection-inversion (Hörmann & Derflinger 1996,
 *    as in Apache Commons RNG): O(1) memory and expected O(1) time for any
 *    n, used where n is too big for a table;
 *  - Walker/Vose alias tables: O(n) build, O(1) draw from any weights.
 * The floating-point samplers use log/exp/sqrt/pow from libm, so streams are
 * identical across runs of one build; bit-identity across different libm
 * implementations is not promised.
 */
#ifndef LS_SYNTH_RNG_H
#define LS_SYNTH_RNG_H

#include <stddef.h>
#include <stdint.h>

typedef struct ls_synth_rng {
	uint64_t s[4];
} ls_synth_rng_t;

/* splitmix64 step: advances *state and returns a well-mixed word. */
uint64_t ls_synth_splitmix(uint64_t *state);
/* A hash of two words (splitmix finaliser); a bijection in `b` for fixed `a`. */
uint64_t ls_synth_mix(uint64_t a, uint64_t b);

/* Seeds the stream from `seed`. */
void ls_synth_rng_seed(ls_synth_rng_t *r, uint64_t seed);
/* Seeds the stream from (seed, key): per-object streams. */
void ls_synth_rng_seed2(ls_synth_rng_t *r, uint64_t seed, uint64_t key);

static inline uint64_t ls_synth_rotl_(uint64_t x, int k)
{
	return (x << k) | (x >> (64 - k));
}

/* Next 64 random bits (xoshiro256**). */
static inline uint64_t ls_synth_rng_u64(ls_synth_rng_t *r)
{
	uint64_t *s = r->s;
	uint64_t out = ls_synth_rotl_(s[1] * 5, 7) * 9;
	uint64_t t = s[1] << 17;
	s[2] ^= s[0];
	s[3] ^= s[1];
	s[1] ^= s[2];
	s[0] ^= s[3];
	s[2] ^= t;
	s[3] = ls_synth_rotl_(s[3], 45);
	return out;
}

/* Uniform double in [0, 1). */
static inline double ls_synth_rng_unit(ls_synth_rng_t *r)
{
	return (double)(ls_synth_rng_u64(r) >> 11) * 0x1.0p-53;
}

/* Uniform integer in [0, n); n == 0 returns 0. */
uint64_t ls_synth_rng_below(ls_synth_rng_t *r, uint64_t n);
/* Uniform integer in [lo, hi] (lo <= hi). */
int64_t ls_synth_rng_range(ls_synth_rng_t *r, int64_t lo, int64_t hi);
/* 1 with probability p. */
static inline int ls_synth_rng_chance(ls_synth_rng_t *r, double p)
{
	return ls_synth_rng_unit(r) < p;
}
/* Standard normal. */
double ls_synth_rng_normal(ls_synth_rng_t *r);
/* exp(N(mu, sigma^2)): median exp(mu). */
double ls_synth_rng_lognormal(ls_synth_rng_t *r, double mu, double sigma);
/* Pareto with scale xm and shape alpha (mean alpha*xm/(alpha-1) if alpha > 1). */
double ls_synth_rng_pareto(ls_synth_rng_t *r, double xm, double alpha);

/* Zipf over ranks 0..n-1 with P(k) proportional to (k+1)^-s, s > 0. */
typedef struct ls_synth_zipf {
	double s, n;
	double h_x1, h_n, sparam;
} ls_synth_zipf_t;

void ls_synth_zipf_init(ls_synth_zipf_t *z, uint64_t n, double s);
uint64_t ls_synth_zipf_draw(const ls_synth_zipf_t *z, ls_synth_rng_t *r);

/* Alias table over n weights (n >= 1, weights >= 0, not all 0). */
typedef struct ls_synth_alias {
	double *prob;
	uint32_t *alias;
	size_t n;
} ls_synth_alias_t;

/* Builds the table; returns 0, or -1 when out of memory or n is 0 or too big
 * for 32-bit indexes. Weights that sum to 0 give a uniform table. */
int ls_synth_alias_init(ls_synth_alias_t *a, const double *w, size_t n);
/* Builds a table of Zipf weights (k+1)^-s for k in [0, n). */
int ls_synth_alias_init_zipf(ls_synth_alias_t *a, size_t n, double s);
void ls_synth_alias_free(ls_synth_alias_t *a);

static inline uint32_t ls_synth_alias_draw(const ls_synth_alias_t *a, ls_synth_rng_t *r)
{
	uint64_t x = ls_synth_rng_u64(r);
	uint32_t i = (uint32_t)(((x >> 32) * (uint64_t)a->n) >> 32);
	double u = (double)(x & 0xffffffffu) * 0x1.0p-32;
	return u < a->prob[i] ? i : a->alias[i];
}

#endif
