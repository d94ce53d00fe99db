/*
 * Poisson tails and BH adjustment.
 *
 * P(X >= x) for moderate tails comes from GSL's regularised incomplete gamma
 * (P(X >= x) = P(x, lambda), the lower regularised gamma), except the
 * common x = 1, summed here to the same bits (tail_one). Where it would
 * underflow (x far above lambda) the tail is summed in log space:
 *   P(X >= x) = e^-l l^x / x! * sum_{j>=0} l^j x! / (x+j)!,
 * a series whose terms fall at least geometrically (ratio l/(x+1) < 1).
 */
#include "score/stats.h"
#include "core/parallel.h"
#include "core/radix.h"

#include <gsl/gsl_errno.h>
#include <gsl/gsl_sf_gamma.h>
#include <float.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

/* log Γ(x) without lgamma's write to the global signgam (the tails run on
 * several threads at once) */
static double lgamma_ts(double x)
{
	int sign;
	return lgamma_r(x, &sign);
}

/* log P(X >= x) by the series; x > lambda so the terms shrink. */
static double tail_series(double xd, double lambda)
{
	double lt = -lambda + xd * log(lambda) - lgamma_ts(xd + 1);
	double sum = 1, term = 1;
	for (uint64_t j = 1; j < 10000000; j++) {
		term *= lambda / (xd + (double)j);
		sum += term;
		if (term < sum * 1e-17)
			break;
	}
	return lt + log(sum);
}

/* log P(X >= 1) for 1e-250 <= lambda < 20 (most links count 1): the
 * tail e^-l l sum_{j>=0} l^j / (j + 1)!, summed until a term is below
 * DBL_EPSILON of the sum. Bit for bit the value of the general path (GSL's
 * series for P(1, lambda) there) on every one of 40 M lambdas tried
 * (log-uniform over the range, uniform over [0, 20), and near both ends;
 * tests/unit/test_score.c checks 200 k), without GSL's log-gamma call. */
static double tail_one(double lambda)
{
	double sum = 1, term = 1;
	for (int j = 2; j < 1000; j++) {
		term *= lambda / (double)j;
		sum += term;
		if (fabs(term / sum) < DBL_EPSILON)
			break;
	}
	double p = exp(log(lambda) - lambda) * sum;
	return p >= 1 ? 0.0 : log(p);
}

double ls_poisson_logsf_quiet(uint64_t x, double lambda)
{
	if (x == 0)
		return 0.0;
	if (!(lambda > 0))
		return -INFINITY;
	if (x == 1 && lambda >= 1e-250 && lambda < 20)
		return tail_one(lambda);
	double xd = (double)x;
	/* the series where the leading term e^-l l^x / x! is below e^-600;
	 * for x <= 20 and lambda >= 1e-10 its log is above -20 - 20 * 23.03 -
	 * lgamma(21) > -530, so the common small counts skip computing it */
	int small = xd <= 20 && lambda >= 1e-10;
	if (xd > lambda && (xd > 2 * lambda + 20 ||
	                    (!small && -lambda + xd * log(lambda) - lgamma_ts(xd + 1) < -600)))
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

/* Benjamini-Hochberg needs the order of the small p-values only. Sorted
 * ascending, q_(k) = min_{j >= k} p_(j) m / j, capped at 1, and q_(k) < 1
 * needs some p_(j) < j / m with j >= k. With c_0 = n and c_{i+1} =
 * #{p < c_i / m} (non-increasing; stop when it repeats), a rank k in
 * (c_{i+1}, c_i] has fewer than k p-values below k / m, so p_(k) >= k / m:
 * every rank above the fixpoint c gets q = 1. Only the c smallest are
 * sorted, and their ranks among themselves are their ranks among all n.
 * The bounds carry a slack (in the log) far above rounding, so a left-out
 * element's computed log q would have been >= 0 and the step-up would
 * have left it at 0: the result is bit for bit the one of sorting all n.
 * Simes over an account's pair p-values has the same form (m = N - 1). */
#define PRUNE_SLACK 1e-9

double ls_prune_bound(size_t c, double logm)
{
	return log((double)c) - logm + PRUNE_SLACK;
}

size_t ls_prune_values(double *v, size_t n, double logm)
{
	for (size_t c = n; c > 0;) {
		double t = ls_prune_bound(c, logm);
		size_t k = 0;
		for (size_t i = 0; i < c; i++)
			if (v[i] < t)
				v[k++] = v[i];
		if (k == c)
			return c;
		c = k;
	}
	return 0;
}

/* The same over sort records keyed by ls_order_key. */
static size_t prune_records(ls_rec_t *r, size_t n, double logm)
{
	for (size_t c = n; c > 0;) {
		double t = ls_prune_bound(c, logm);
		size_t k = 0;
		for (size_t i = 0; i < c; i++)
			if (key_value(r[i].key) < t)
				r[k++] = r[i];
		if (k == c)
			return c;
		c = k;
	}
	return 0;
}


/* The candidates of the first bound, found in parallel slices: a count
 * per slice, then each slice writes its records from its offset (index
 * order, whatever the thread count). */
typedef struct bh_job {
	ls_bh_value_fn value;
	const void *arg;
	ls_rec_t *rec;
	size_t *at; /* per slice: its count, then its first record */
	double bound;
} bh_job_t;

static void bh_count_task(void *arg, size_t k, size_t lo, size_t hi)
{
	bh_job_t *bj = arg;
	size_t c = 0;
	for (size_t i = lo; i < hi; i++)
		c += bj->value(bj->arg, i) < bj->bound;
	bj->at[k] = c;
}

static void bh_fill_task(void *arg, size_t k, size_t lo, size_t hi)
{
	bh_job_t *bj = arg;
	ls_rec_t *r = bj->rec + bj->at[k];
	for (size_t i = lo; i < hi; i++) {
		double v = bj->value(bj->arg, i);
		if (v < bj->bound)
			*r++ = (ls_rec_t){ls_order_key(v), (uint32_t)i, 0};
	}
}

/* The q < 1 candidates of BH over values [0, c) of n (see
 * ls_bh_sparse_mt), as records {key: log q bits... } sorted by value:
 * *out (free()), *nout of them, each with i = its index and the log q in
 * key. */
static int bh_core(ls_bh_value_fn value, const void *arg, size_t c, size_t n, double m,
                   int threads, ls_rec_t **out, size_t *nout)
{
	*out = NULL;
	*nout = 0;
	if (c == 0)
		return 0;
	if (c > UINT32_MAX)
		return -1;
	size_t ntasks = threads > 1 ? 8 * (size_t)threads : 1;
	double logm = log(m);
	bh_job_t bj = {value, arg, NULL, malloc(ntasks * sizeof *bj.at), ls_prune_bound(n, logm)};
	if (bj.at == NULL)
		return -1;
	ls_parallel_range(threads, c, ntasks, bh_count_task, &bj);
	size_t nc = ls_counts_to_offsets(bj.at, ntasks);
	bj.rec = malloc((nc ? nc : 1) * sizeof *bj.rec);
	if (bj.rec == NULL) {
		free(bj.at);
		return -1;
	}
	ls_parallel_range(threads, c, ntasks, bh_fill_task, &bj);
	free(bj.at);
	nc = prune_records(bj.rec, nc, logm);
	/* stable: ties keep index order (tied p-values get the same q) */
	ls_rec_t *tmp = malloc((nc ? nc : 1) * sizeof *tmp);
	ls_rec_t *s = tmp ? ls_radix_sort_rec_mt(bj.rec, tmp, nc, threads) : NULL;
	if (s == NULL) {
		free(bj.rec);
		free(tmp);
		return -1;
	}
	free(s == bj.rec ? tmp : bj.rec);
	/* the step-up over the nc smallest; the key gives the p-value back */
	double running = 0.0; /* q <= 1 */
	for (size_t k = nc; k-- > 0;) {
		double q = key_value(s[k].key) + logm - log((double)(k + 1));
		if (q < running)
			running = q;
		uint64_t u;
		memcpy(&u, &running, sizeof u);
		s[k].key = u;
	}
	*out = s;
	*nout = nc;
	return 0;
}

double ls_bh_value_array(const void *arg, size_t i)
{
	return ((const double *)arg)[i];
}

static double rec_logq(const ls_rec_t *r)
{
	double q;
	memcpy(&q, &r->key, sizeof q);
	return q;
}

int ls_bh_logq_mt(const double *logp, double *logq, size_t n, double m, int threads)
{
	ls_rec_t *r;
	size_t nr;
	if (bh_core(ls_bh_value_array, logp, n, n, m, threads, &r, &nr))
		return -1;
	for (size_t i = 0; i < n; i++)
		logq[i] = 0.0; /* after every logp[i] was read: they may alias */
	for (size_t k = 0; k < nr; k++)
		logq[r[k].i] = rec_logq(&r[k]);
	free(r);
	return 0;
}

static int cmp_index(const void *x, const void *y)
{
	size_t a = ((const ls_bh_q_t *)x)->i, b = ((const ls_bh_q_t *)y)->i;
	return (a > b) - (a < b);
}

int ls_bh_sparse_mt(ls_bh_value_fn value, const void *arg, size_t c, size_t n, double m,
                    int threads, ls_bh_q_t **out, size_t *nout)
{
	ls_rec_t *r;
	size_t nr, k = 0;
	*out = NULL;
	*nout = 0;
	if (bh_core(value, arg, c, n, m, threads, &r, &nr))
		return -1;
	ls_bh_q_t *q = malloc((nr ? nr : 1) * sizeof *q);
	if (q == NULL) {
		free(r);
		return -1;
	}
	for (size_t j = 0; j < nr; j++)
		if (rec_logq(&r[j]) < 0)
			q[k++] = (ls_bh_q_t){r[j].i, rec_logq(&r[j])};
	free(r);
	qsort(q, k, sizeof *q, cmp_index); /* by index (distinct) */
	*out = q;
	*nout = k;
	return 0;
}
