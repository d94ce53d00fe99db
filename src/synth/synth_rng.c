/*
 * Deterministic random numbers: see synth_rng.h for the design. All draws
 * are O(1) (expected, for the rejection samplers); an alias table costs
 * 12 bytes per weight and O(n) to build.
 */
#include "synth/synth_rng.h"

#include <math.h>
#include <stdlib.h>

uint64_t ls_synth_splitmix(uint64_t *state)
{
	uint64_t z = (*state += 0x9E3779B97F4A7C15ull);
	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
	z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
	return z ^ (z >> 31);
}

uint64_t ls_synth_mix(uint64_t a, uint64_t b)
{
	uint64_t st = a ^ (b * 0xD6E8FEB86659FD93ull);
	return ls_synth_splitmix(&st);
}

void ls_synth_rng_seed(ls_synth_rng_t *r, uint64_t seed)
{
	uint64_t st = seed;
	for (int i = 0; i < 4; i++)
		r->s[i] = ls_synth_splitmix(&st);
	/* xoshiro must not start from all zeros; splitmix64 cannot give four
	 * zero outputs in a row, but be explicit. */
	if ((r->s[0] | r->s[1] | r->s[2] | r->s[3]) == 0)
		r->s[0] = 1;
}

void ls_synth_rng_seed2(ls_synth_rng_t *r, uint64_t seed, uint64_t key)
{
	ls_synth_rng_seed(r, ls_synth_mix(seed, key));
}

uint64_t ls_synth_rng_below(ls_synth_rng_t *r, uint64_t n)
{
	if (n == 0)
		return 0;
	/* Reject the low (2^64 mod n) values so that every residue is equally
	 * likely. */
	uint64_t threshold = (0 - n) % n;
	for (;;) {
		uint64_t x = ls_synth_rng_u64(r);
		if (x >= threshold)
			return x % n;
	}
}

int64_t ls_synth_rng_range(ls_synth_rng_t *r, int64_t lo, int64_t hi)
{
	if (hi <= lo)
		return lo;
	return lo + (int64_t)ls_synth_rng_below(r, (uint64_t)(hi - lo) + 1);
}

double ls_synth_rng_normal(ls_synth_rng_t *r)
{
	for (;;) {
		double u = 2.0 * ls_synth_rng_unit(r) - 1.0;
		double v = 2.0 * ls_synth_rng_unit(r) - 1.0;
		double q = u * u + v * v;
		if (q > 0.0 && q < 1.0)
			return u * sqrt(-2.0 * log(q) / q);
	}
}

double ls_synth_rng_lognormal(ls_synth_rng_t *r, double mu, double sigma)
{
	return exp(mu + sigma * ls_synth_rng_normal(r));
}

double ls_synth_rng_pareto(ls_synth_rng_t *r, double xm, double alpha)
{
	double u = 1.0 - ls_synth_rng_unit(r); /* (0, 1] */
	return xm / pow(u, 1.0 / alpha);
}

/* ------------------------------------------------- Zipf, rejection-inversion */

/* log1p(x)/x, continuous at 0. */
static double helper1(double x)
{
	if (fabs(x) > 1e-8)
		return log1p(x) / x;
	return 1.0 - x * (0.5 - x * (1.0 / 3.0 - 0.25 * x));
}

/* expm1(x)/x, continuous at 0. */
static double helper2(double x)
{
	if (fabs(x) > 1e-8)
		return expm1(x) / x;
	return 1.0 + x * 0.5 * (1.0 + x / 3.0 * (1.0 + 0.25 * x));
}

/* H(x) = integral of h(x) = x^-s, shifted so that it is smooth at s = 1. */
static double h_integral(double s, double x)
{
	double lx = log(x);
	return helper2((1.0 - s) * lx) * lx;
}

static double h_of(double s, double x)
{
	return exp(-s * log(x));
}

static double h_integral_inverse(double s, double x)
{
	double t = x * (1.0 - s);
	if (t < -1.0)
		t = -1.0; /* rounding guard */
	return exp(helper1(t) * x);
}

void ls_synth_zipf_init(ls_synth_zipf_t *z, uint64_t n, double s)
{
	z->s = s;
	z->n = (double)(n ? n : 1);
	z->h_x1 = h_integral(s, 1.5) - 1.0;
	z->h_n = h_integral(s, z->n + 0.5);
	z->sparam = 2.0 - h_integral_inverse(s, h_integral(s, 2.5) - h_of(s, 2.0));
}

uint64_t ls_synth_zipf_draw(const ls_synth_zipf_t *z, ls_synth_rng_t *r)
{
	for (;;) {
		double u = z->h_n + ls_synth_rng_unit(r) * (z->h_x1 - z->h_n);
		double x = h_integral_inverse(z->s, u);
		double kd = floor(x + 0.5);
		if (kd < 1.0)
			kd = 1.0;
		else if (kd > z->n)
			kd = z->n;
		if (kd - x <= z->sparam || u >= h_integral(z->s, kd + 0.5) - h_of(z->s, kd))
			return (uint64_t)kd - 1;
	}
}

/* -------------------------------------------------------- alias tables (Vose) */

int ls_synth_alias_init(ls_synth_alias_t *a, const double *w, size_t n)
{
	a->prob = NULL;
	a->alias = NULL;
	a->n = 0;
	if (n == 0 || n > UINT32_MAX)
		return -1;
	double total = 0;
	for (size_t i = 0; i < n; i++)
		total += w[i] > 0 ? w[i] : 0;
	a->prob = malloc(n * sizeof *a->prob);
	a->alias = malloc(n * sizeof *a->alias);
	uint32_t *work = malloc(n * sizeof *work);
	if (a->prob == NULL || a->alias == NULL || work == NULL) {
		free(work);
		ls_synth_alias_free(a);
		return -1;
	}
	a->n = n;
	/* Scaled weights; small ones fill the work list from the front, large
	 * ones from the back. */
	size_t ns = 0, nl = n;
	for (size_t i = 0; i < n; i++) {
		double p = total > 0 ? (w[i] > 0 ? w[i] : 0) * (double)n / total : 1.0;
		a->prob[i] = p;
		a->alias[i] = (uint32_t)i;
		if (p < 1.0)
			work[ns++] = (uint32_t)i;
		else
			work[--nl] = (uint32_t)i;
	}
	while (ns > 0 && nl < n) {
		uint32_t sm = work[--ns], lg = work[nl];
		a->alias[sm] = lg;
		a->prob[lg] -= 1.0 - a->prob[sm];
		if (a->prob[lg] < 1.0) { /* lg becomes small */
			nl++;
			work[ns++] = lg;
		}
	}
	/* Leftovers differ from 1 only by rounding: full columns. */
	for (size_t i = 0; i < ns; i++)
		a->prob[work[i]] = 1.0;
	for (size_t i = nl; i < n; i++)
		a->prob[work[i]] = 1.0;
	free(work);
	return 0;
}

int ls_synth_alias_init_zipf(ls_synth_alias_t *a, size_t n, double s)
{
	if (n == 0)
		return ls_synth_alias_init(a, NULL, 0);
	double *w = malloc(n * sizeof *w);
	if (w == NULL) {
		a->prob = NULL;
		a->alias = NULL;
		a->n = 0;
		return -1;
	}
	for (size_t i = 0; i < n; i++)
		w[i] = pow((double)(i + 1), -s);
	int rc = ls_synth_alias_init(a, w, n);
	free(w);
	return rc;
}

void ls_synth_alias_free(ls_synth_alias_t *a)
{
	free(a->prob);
	free(a->alias);
	a->prob = NULL;
	a->alias = NULL;
	a->n = 0;
}
