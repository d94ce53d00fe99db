/*
 * Unit tests of the score stage's statistics: Poisson upper tails (against
 * direct sums, and far into the tail against the log of the leading term)
 * and the Benjamini-Hochberg adjustment (against a hand computation).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <math.h>

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

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_poisson_tail),
		cmocka_unit_test(test_bh),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
