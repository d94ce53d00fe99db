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
 * never rejected). logp[i] in, logq[i] out (may alias). Sorts only the
 * p-values that can get q < 1 (see ls_prune_values): time O(n + c log c)
 * and memory 32c bytes for c of them, exactly the result of sorting all.
 * Returns 0 or -1 when out of memory (or n >= 2^32). Reference:
 * Benjamini & Hochberg (1995), J. R. Stat. Soc. B 57:289-300. */
int ls_bh_logq(const double *logp, double *logq, size_t n, double m);
/* The same on up to `threads` threads (same result). */
int ls_bh_logq_mt(const double *logp, double *logq, size_t n, double m, int threads);

/* BH over c of n log p-values, value(arg, i) for i in [0, c), which must
 * include every one of the n below ls_prune_bound(n, log m) (the others
 * have q = 1): the ones with q < 1 as (index, log q), by index, in *out
 * (free() it; *nout of them). Returns 0 or -1 when out of memory (or c >=
 * 2^32). */
typedef double (*ls_bh_value_fn)(const void *arg, size_t i);
/* The value function of a double array: ((const double *)arg)[i]. */
double ls_bh_value_array(const void *arg, size_t i);
typedef struct ls_bh_q {
	size_t i;
	double logq;
} ls_bh_q_t;
int ls_bh_sparse_mt(ls_bh_value_fn value, const void *arg, size_t c, size_t n, double m,
                    int threads, ls_bh_q_t **out, size_t *nout);

/* For min_k p_(k) m / k over log p-values v[0..n) (BH, and Simes with m =
 * N - 1): only the values below ls_prune_bound(c, log m) for the fixpoint
 * c of c -> #{v < bound(c)}, starting from n, can make a term below 1 (log
 * below 0); the others are at ranks > c with terms >= 1 even after
 * rounding. Compacts v in place (order kept) to those c values and returns
 * c; their ranks among themselves are their ranks among all n. O(n) per
 * round, usually a few rounds. */
size_t ls_prune_values(double *v, size_t n, double logm);
/* log(c) - logm plus a slack above rounding: the bound for c values (c >= 1). */
double ls_prune_bound(size_t c, double logm);

#endif
