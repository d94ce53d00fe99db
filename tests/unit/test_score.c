/*
 * Unit tests of the score stage's statistics: Poisson upper tails (against
 * direct sums, and far into the tail against the log of the leading term)
 * and the Benjamini-Hochberg adjustment (against a hand computation, and
 * from a known order against sorting), and the parallel radix sort.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <math.h>
#include <stdlib.h>

#include "score/stats.h"

static double direct_sf(uint64_t x, double l)
{
	double cdf = 0, term = exp(-l);
	for (uint64_t k = 0; k < x; k++) {
		cdf += term;
		term *= l / (double)(k + 1);
	}
	return 1 - cdf;
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

/* The parallel radix sort gives the single-threaded result (stable: equal
 * keys keep their input order) for any thread count, and BH from a known
 * order equals BH that sorts, with many tied p-values. */
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
	for (uint32_t i = 0; i < N; i++) {
		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		v[i] = (ls_rec_t){x % 5000, i, 0}; /* many equal keys */
		lp[i] = -(double)(x % 977) / 50.0;  /* many tied p-values */
	}
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
	ls_rec_t *order = NULL;
	assert_int_equal(ls_bh_logq_keep(lp, q1, N, 1e6, 2, &order), 0);
	assert_non_null(order);
	ls_bh_logq_sorted(lp, order, q2, N, 1e6);
	for (uint32_t i = 0; i < N; i++)
		assert_true(q1[i] == q2[i]);
	/* a non-decreasing transform sorts the same: q of 2p from p's order */
	for (uint32_t i = 0; i < N; i++)
		lp[i] += log(2.0);
	assert_int_equal(ls_bh_logq_mt(lp, q1, N, 1e6, 4), 0);
	ls_bh_logq_sorted(lp, order, q2, N, 1e6);
	for (uint32_t i = 0; i < N; i++)
		assert_true(q1[i] == q2[i]);
	free(order);
	free(v);
	free(tmp);
	free(w);
	free(wtmp);
	free(lp);
	free(q1);
	free(q2);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_poisson_tail),
		cmocka_unit_test(test_bh),
		cmocka_unit_test(test_parallel_sort_and_bh),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
