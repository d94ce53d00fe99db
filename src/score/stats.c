/*
 * Poisson tails and BH adjustment.
 *
 * P(X >= x) for moderate tails comes from GSL's regularised incomplete gamma
 * (P(X >= x) = P(x, lambda), the lower regularised gamma). Where it would
 * underflow (x far above lambda) the tail is summed in log space:
 *   P(X >= x) = e^-l l^x / x! * sum_{j>=0} l^j x! / (x+j)!,
 * a series whose terms fall at least geometrically (ratio l/(x+1) < 1).
 */
#include "score/stats.h"
#include "core/radix.h"

#include <gsl/gsl_errno.h>
#include <gsl/gsl_sf_gamma.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

/* log P(X >= x) by the series; x > lambda so the terms shrink. */
static double tail_series(double xd, double lambda)
{
	double lt = -lambda + xd * log(lambda) - lgamma(xd + 1);
	double sum = 1, term = 1;
	for (uint64_t j = 1; j < 10000000; j++) {
		term *= lambda / (xd + (double)j);
		sum += term;
		if (term < sum * 1e-17)
			break;
	}
	return lt + log(sum);
}

double ls_poisson_logsf_quiet(uint64_t x, double lambda)
{
	if (x == 0)
		return 0.0;
	if (!(lambda > 0))
		return -INFINITY;
	double xd = (double)x;
	if (xd > lambda && (xd > 2 * lambda + 20 ||
	                    -lambda + xd * log(lambda) - lgamma(xd + 1) < -600))
		return tail_series(xd, lambda);
	gsl_sf_result r;
	int status = gsl_sf_gamma_inc_P_e(xd, lambda, &r);
	if (status != GSL_SUCCESS || !(r.val > 0))
		return xd > lambda ? tail_series(xd, lambda) : 0.0;
	return r.val >= 1 ? 0.0 : log(r.val);
}

double ls_poisson_logsf(uint64_t x, double lambda)
{
	gsl_error_handler_t *old = gsl_set_error_handler_off();
	double r = ls_poisson_logsf_quiet(x, lambda);
	gsl_set_error_handler(old);
	return r;
}

/* A key whose unsigned order is the order of the double (no NaNs). */
uint64_t ls_order_key(double x)
{
	uint64_t u;
	memcpy(&u, &x, sizeof u);
	return u >> 63 ? ~u : u | (UINT64_C(1) << 63);
}

int ls_bh_logq(const double *logp, double *logq, size_t n, double m)
{
	return ls_bh_logq_mt(logp, logq, n, m, 1);
}

/* The double of a key made by ls_order_key. */
static double key_value(uint64_t u)
{
	u = u >> 63 ? u & ~(UINT64_C(1) << 63) : ~u;
	double x;
	memcpy(&x, &u, sizeof x);
	return x;
}

/* The step-up over records sorted by p-value: value(k) is the log p-value
 * of sorted record k. */
#define BH_STEP_UP(VALUE)                                                      \
	do {                                                                     \
		double logm = log(m), running = 0.0; /* q <= 1 */                \
		for (size_t k = n; k-- > 0;) {                                   \
			double q = (VALUE) + logm - log((double)(k + 1));        \
			if (q < running)                                         \
				running = q;                                     \
			logq[s[k].i] = running;                                  \
		}                                                                \
	} while (0)

int ls_bh_logq_mt(const double *logp, double *logq, size_t n, double m, int threads)
{
	return ls_bh_logq_keep(logp, logq, n, m, threads, NULL);
}

int ls_bh_logq_keep(const double *logp, double *logq, size_t n, double m, int threads,
                    ls_rec_t **sorted)
{
	if (sorted)
		*sorted = NULL;
	if (n == 0)
		return 0;
	if (n > UINT32_MAX)
		return -1;
	ls_rec_t *a = malloc(n * sizeof *a), *b = malloc(n * sizeof *b);
	if (a == NULL || b == NULL) {
		free(a);
		free(b);
		return -1;
	}
	for (size_t i = 0; i < n; i++) {
		a[i].key = ls_order_key(logp[i]);
		a[i].i = (uint32_t)i;
	}
	/* stable: ties keep index order; the key gives the p-value back, so
	 * the step-up reads the sorted records only */
	ls_rec_t *s = ls_radix_sort_rec_mt(a, b, n, threads);
	if (s == NULL) {
		free(a);
		free(b);
		return -1;
	}
	BH_STEP_UP(key_value(s[k].key));
	free(s == a ? b : a);
	if (sorted)
		*sorted = s;
	else
		free(s);
	return 0;
}

void ls_bh_logq_sorted(const double *logp, const ls_rec_t *s, double *logq, size_t n, double m)
{
	BH_STEP_UP(logp[s[k].i]);
}
