/*
 * Statistics for the score stage: Poisson upper tails in log space and the
 * Benjamini-Hochberg step-up procedure.
 */
#ifndef LS_SCORE_STATS_H
#define LS_SCORE_STATS_H

#include "core/radix.h"

#include <stddef.h>
#include <stdint.h>

/* log P(X >= x) for X ~ Poisson(lambda), accurate far into the tail (no
 * underflow: returns e.g. -2000 where the probability is e^-2000).
 * x == 0 gives 0; lambda <= 0 with x > 0 gives -INFINITY. */
double ls_poisson_logsf(uint64_t x, double lambda);
/* The same, for threads: leaves GSL's error handler alone, so the caller
 * must have turned it off (gsl_set_error_handler_off) before any thread
 * calls this, and restore it after they are done. */
double ls_poisson_logsf_quiet(uint64_t x, double lambda);

/* A 64-bit key whose unsigned order is the order of the double x (no NaN). */
uint64_t ls_order_key(double x);

/* Benjamini-Hochberg adjusted p-values (q-values) on the log scale for
 * n tested hypotheses out of m >= n (the other m - n have p = 1 and are
 * never rejected). logp[i] in, logq[i] out (may alias). Time O(n log n).
 * Returns 0 or -1 when out of memory. Reference: Benjamini & Hochberg
 * (1995), J. R. Stat. Soc. B 57:289-300. */
int ls_bh_logq(const double *logp, double *logq, size_t n, double m);
/* The same, sorting on up to `threads` threads (same result). */
int ls_bh_logq_mt(const double *logp, double *logq, size_t n, double m, int threads);
/* The same, handing back the records sorted by p-value (index in .i) in
 * *sorted (free it) when `sorted` is not NULL. */
int ls_bh_logq_keep(const double *logp, double *logq, size_t n, double m, int threads,
                    ls_rec_t **sorted);
/* BH for p-values whose ascending order is already known: s[0..n) lists
 * their indexes (in .i) in an order where logp is non-decreasing; the
 * order of ties does not matter (tied p-values get the same q). */
void ls_bh_logq_sorted(const double *logp, const ls_rec_t *s, double *logq, size_t n, double m);

#endif
