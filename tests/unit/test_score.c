/*
 * Unit tests of the score stage's statistics: Poisson upper tails (against
 * direct sums, and far into the tail against the log of the leading term),
 * the hour-of-day null model's E_ab (its sparse sum against the full one,
 * bit for bit, also when cut short at a threshold), the Benjamini-Hochberg adjustment (against a hand
 * computation, and its pruned sort against sorting everything), Simes on
 * pruned values, and the parallel radix sort.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "score/null_hour.h"
#include "score/stats.h"

#include <gsl/gsl_errno.h>
#include <gsl/gsl_sf_gamma.h>

static double direct_sf(uint64_t x, double l)
{
	double cdf = 0, term = exp(-l);
	for (uint64_t k = 0; k < x; k++) {
		cdf += term;
		term *= l / (double)(k + 1);
	}
	return 1 - cdf;
}

/* E_ab of the hour-of-day null model, summed over every hour h and every
 * d < spanned in order, zero terms included: what ls_null_hour_expected,
 * which skips the terms with a zero share, must equal bit for bit. */
static double expected_full(const ls_null_hour_t *nh, const ls_analysis_t *an, uint32_t a1,
                            uint32_t a2)
{
	const float *s1 = nh->share[0] + (size_t)a1 * 24, *s2 = nh->share[0] + (size_t)a2 * 24;
	double e = 0;
	for (int h = 0; h < 24; h++)
		for (int d = 0; d < nh->hours_spanned; d++) {
			int h2 = (h + d) % 24;
			e += an->slot_pairs[0][h][d] *
			     ((double)s1[h] * (double)s2[h2] + (double)s2[h] * (double)s1[h2]);
		}
	return e;
}

static void test_null_hour_expected(void **state)
{
	(void)state;
	enum { NA = 64 };
	float share[NA * 24];
	uint32_t hours[NA];
	ls_analysis_t *an = calloc(1, sizeof *an);
	assert_non_null(an);
	uint64_t x = 88172645463325252ULL;
#define NEXT() (x ^= x << 13, x ^= x >> 7, x ^= x << 17, x)
	for (int h = 0; h < 24; h++)
		for (int d = 0; d < 24; d++)
			an->slot_pairs[0][h][d] = (double)(NEXT() % 1000) / 7.0;
	for (int a = 0; a < NA; a++) {
		hours[a] = 0;
		int density = a % 4; /* 1 in 2, 4, 8 or 16 hours active */
		for (int h = 0; h < 24; h++) {
			int on = NEXT() % (2u << density) == 0;
			share[a * 24 + h] = on ? (float)((double)(NEXT() % 100000 + 1) / 3e5) : 0.0f;
			hours[a] |= (uint32_t)on << h;
		}
	}
	ls_null_hour_t nh = {0};
	nh.accounts = NA;
	nh.share[0] = share;
	nh.hours[0] = hours;
	size_t stopped = 0;
	for (int spanned = 1; spanned <= 24; spanned++) {
		nh.hours_spanned = spanned;
		for (uint32_t a1 = 0; a1 < NA; a1++)
			for (uint32_t a2 = 0; a2 < NA; a2++) {
				double want = expected_full(&nh, an, a1, a2);
				double got = ls_null_hour_expected(&nh, an, 0, a1, a2);
				assert_memory_equal(&got, &want, sizeof got);
				/* cut short at `stop`: below it only when E is, and then E */
				double stop = want * (double)(NEXT() % 1000) / 500.0;
				double cut = ls_null_hour_expected_until(&nh, an, 0, a1, a2, stop);
				if (cut < stop)
					assert_memory_equal(&cut, &want, sizeof cut);
				else
					assert_true(want >= stop && cut <= want);
				stopped += cut < want;
			}
	}
#undef NEXT
	assert_true(stopped > 1000); /* the early stop was taken, often */
	free(an);
}

static void test_poisson_tail(void **state)
{
	(void)state;
	assert_true(ls_poisson_logsf(0, 3.0) == 0.0);
	assert_true(isinf(ls_poisson_logsf(1, 0.0)));
	double cases[][2] = {{1, 0.5}, {3, 2.0}, {10, 2.0}, {5, 10.0}, {20, 3.0}, {2, 1e-4}};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		uint64_t x = (uint64_t)cases[i][0];
		double l = cases[i][1], want = log(direct_sf(x, l)), got = ls_poisson_logsf(x, l);
		assert_true(fabs(got - want) < 1e-6 * fabs(want) + 1e-9);
	}
	/* far tail: P(X >= 500 | 1) ~ e^-1 / 500! (1 + 1/501 + ...) */
	double lead = -1 - lgamma(501.0);
	double got = ls_poisson_logsf(500, 1.0);
	assert_true(got < lead + 0.01 && got >= lead);
	assert_true(got < -2500); /* no underflow to -inf or 0 */
	/* monotone in x and in lambda */
	assert_true(ls_poisson_logsf(6, 2.0) < ls_poisson_logsf(5, 2.0));
	assert_true(ls_poisson_logsf(5, 2.0) < ls_poisson_logsf(5, 3.0));
}

/* The count-1 shortcut is bit for bit GSL's P(1, lambda) (the general
 * path) over its range [1e-250, 20): log-uniform lambdas and both ends. */
static void test_poisson_tail_one(void **state)
{
	(void)state;
	gsl_error_handler_t *old = gsl_set_error_handler_off();
	uint64_t s = 88172645463325252u;
	double ends[] = {1e-250, 1e-10, 0.5, 1, 2, 19.999999999, nextafter(20, 0)};
	for (size_t i = 0; i < 200000 + sizeof ends / sizeof ends[0]; i++) {
		s ^= s << 13;
		s ^= s >> 7;
		s ^= s << 17;
		double l = i < 200000 ? pow(10, -250 + (double)(s >> 11) * 0x1p-53 * 251.3)
		                      : ends[i - 200000];
		if (l >= 20)
			continue;
		double p = gsl_sf_gamma_inc_P(1.0, l), want = p >= 1 ? 0.0 : log(p);
		assert_true(ls_poisson_logsf_quiet(1, l) == want);
	}
	gsl_set_error_handler(old);
}

static void test_bh(void **state)
{
	(void)state;
	double p[] = {0.01, 0.04, 0.03, 0.5}, lp[4], lq[4];
	for (int i = 0; i < 4; i++)
		lp[i] = log(p[i]);
	assert_int_equal(ls_bh_logq(lp, lq, 4, 4.0), 0);
	double want[] = {0.04, 0.04 * 4 / 3, 0.04 * 4 / 3, 0.5};
	for (int i = 0; i < 4; i++)
		assert_true(fabs(exp(lq[i]) - want[i]) < 1e-12);
	/* untested hypotheses (p = 1) count in m: m = 8 doubles the q-values */
	assert_int_equal(ls_bh_logq(lp, lq, 4, 8.0), 0);
	assert_true(fabs(exp(lq[0]) - 0.08) < 1e-12);
	assert_true(fabs(exp(lq[3]) - 1.0) < 1e-12); /* capped at 1 */
}

static int cmp_dbl(const void *x, const void *y)
{
	double a = *(const double *)x, b = *(const double *)y;
	return a < b ? -1 : a > b;
}

/* Reference BH: sorts all n (index order on ties), then the step-up. */
static const double *ref_lp;
static int cmp_ref(const void *x, const void *y)
{
	uint32_t i = *(const uint32_t *)x, j = *(const uint32_t *)y;
	if (ref_lp[i] != ref_lp[j])
		return ref_lp[i] < ref_lp[j] ? -1 : 1;
	return i < j ? -1 : i > j;
}

static void ref_bh(const double *lp, double *lq, size_t n, double m)
{
	uint32_t *o = malloc(n * sizeof *o);
	assert_non_null(o);
	for (uint32_t i = 0; i < n; i++)
		o[i] = i;
	ref_lp = lp;
	qsort(o, n, sizeof *o, cmp_ref);
	double logm = log(m), running = 0.0;
	for (size_t k = n; k-- > 0;) {
		double q = lp[o[k]] + logm - log((double)(k + 1));
		if (q < running)
			running = q;
		lq[o[k]] = running;
	}
	free(o);
}

static uint64_t xorshift(uint64_t *x)
{
	*x ^= *x << 13;
	*x ^= *x >> 7;
	*x ^= *x << 17;
	return *x;
}

/* The parallel radix sort gives the single-threaded result (stable: equal
 * keys keep their input order) for any thread count; BH, which sorts only
 * the p-values that can get q < 1, equals BH sorting all of them bit for
 * bit: mostly chance p-values with a few small ones, many ties, and
 * p-values on the boundary p_(k) = k / m where rounding decides. */
static void test_parallel_sort_and_bh(void **state)
{
	(void)state;
	enum { N = 200003 };
	ls_rec_t *v = malloc(N * sizeof *v), *tmp = malloc(N * sizeof *tmp);
	ls_rec_t *w = malloc(N * sizeof *w), *wtmp = malloc(N * sizeof *wtmp);
	double *lp = malloc(N * sizeof *lp), *q1 = malloc(N * sizeof *q1);
	double *q2 = malloc(N * sizeof *q2);
	assert_non_null(v && tmp && w && wtmp && lp && q1 && q2);
	uint64_t x = 88172645463325252ull;
	for (uint32_t i = 0; i < N; i++)
		v[i] = (ls_rec_t){xorshift(&x) % 5000, i, 0}; /* many equal keys */
	ls_rec_t *want = ls_radix_sort_rec(v, tmp, N);
	assert_non_null(want);
	for (uint32_t i = 1; i < N; i++)
		assert_true(want[i - 1].key < want[i].key ||
		            (want[i - 1].key == want[i].key && want[i - 1].i < want[i].i));
	for (int threads = 1; threads <= 4; threads++) {
		for (uint32_t i = 0; i < N; i++)
			w[i] = (ls_rec_t){want[i].key, want[i].i, 0};
		/* back to input order, then sort on `threads` threads */
		for (uint32_t i = 0; i < N; i++)
			wtmp[want[i].i] = want[i];
		ls_rec_t *got = ls_radix_sort_rec_mt(wtmp, w, N, threads);
		assert_non_null(got);
		for (uint32_t i = 0; i < N; i++) {
			assert_true(got[i].key == want[i].key);
			assert_true(got[i].i == want[i].i);
		}
	}
	for (int dist = 0; dist < 3; dist++) {
		for (uint32_t i = 0; i < N; i++) {
			uint64_t r = xorshift(&x);
			if (dist == 0) /* ties on a coarse grid */
				lp[i] = -(double)(r % 977) / 50.0;
			else if (dist == 1) /* chance p-values, 2 % small ones */
				lp[i] = r % 50 == 0 ? -(double)(r >> 40) / 1e4 : log((double)(r >> 11) / 0x1p53 + 1e-300);
			else /* p_(k) = k / m for m = 4N, shuffled */
				lp[i] = log((double)(i + 1) / (4.0 * N));
		}
		double ms[] = {N, 4.0 * N, 1e6, 1e12};
		for (size_t mi = 0; mi < sizeof ms / sizeof ms[0]; mi++)
			for (int threads = 1; threads <= 4; threads += 3) {
				ref_bh(lp, q2, N, ms[mi]);
				assert_int_equal(ls_bh_logq_mt(lp, q1, N, ms[mi], threads), 0);
				for (uint32_t i = 0; i < N; i++)
					assert_true(q1[i] == q2[i]);
			}
		/* in place */
		memcpy(q1, lp, N * sizeof *q1);
		assert_int_equal(ls_bh_logq_mt(q1, q1, N, 1e6, 2), 0);
		ref_bh(lp, q2, N, 1e6);
		for (uint32_t i = 0; i < N; i++)
			assert_true(q1[i] == q2[i]);
	}
	free(v);
	free(tmp);
	free(w);
	free(wtmp);
	free(lp);
	free(q1);
	free(q2);
}

/* Simes, min_k log(m) - log(k) + v_(k) capped at 0, over the values
 * ls_prune_values keeps equals it over all values, bit for bit. */
static void test_prune_simes(void **state)
{
	(void)state;
	enum { N = 3000 };
	double v[N], all[N];
	uint64_t x = 2463534242ull;
	for (int round = 0; round < 200; round++) {
		size_t n = 1 + xorshift(&x) % N;
		double logm = log((double)(1 + xorshift(&x) % 100000));
		for (size_t i = 0; i < n; i++) {
			uint64_t r = xorshift(&x);
			all[i] = r % 7 == 0 ? -(double)(r >> 44) / 1e3 : log((double)(r >> 11) / 0x1p53 + 1e-300);
			if (round % 3 == 0)
				all[i] = log((double)(1 + r % n) / exp(logm)); /* on the boundary */
			v[i] = all[i];
		}
		qsort(all, n, sizeof *all, cmp_dbl);
		double want = 0, got = 0;
		for (size_t r = 0; r < n; r++) {
			double s = logm - log((double)(r + 1)) + all[r];
			if (s < want)
				want = s;
		}
		size_t c = ls_prune_values(v, n, logm);
		assert_true(c <= n);
		qsort(v, c, sizeof *v, cmp_dbl);
		for (size_t r = 0; r < c; r++) {
			double s = logm - log((double)(r + 1)) + v[r];
			if (s < got)
				got = s;
		}
		assert_true(got == want);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_null_hour_expected),
		cmocka_unit_test(test_poisson_tail),
		cmocka_unit_test(test_poisson_tail_one),
		cmocka_unit_test(test_bh),
		cmocka_unit_test(test_parallel_sort_and_bh),
		cmocka_unit_test(test_prune_simes),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
