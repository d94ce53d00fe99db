/*
 * The null model shared by all behaviours (docs/METHODS.md, "The null
 * model"): within one behaviour, the co-action opportunities (pairs of
 * traces on the same object within the window, "slots") are fixed, and the
 * accounts are dealt onto the trace slots at random, each account keeping
 * its number of traces in each hour of the (UTC) day. Then the expected
 * number of co-actions of accounts a and b is
 *
 *     E_ab = 2 * sum_h P_h * s_a(h) * s_b(h),   s_a(h) = c_a(h) / C(h),
 *
 * where P_h counts the slot pairs whose earlier trace falls in hour h,
 * c_a(h) is a's traces in hour h and C(h) all traces in hour h.
 */
#ifndef LS_SCORE_NULL_HOUR_H
#define LS_SCORE_NULL_HOUR_H

#include "core/analysis.h"

typedef struct ls_null_hour {
	size_t accounts;
	float *share[LS_MAX_BEHAVIOURS]; /* accounts x 24 shares s_a(h), NULL if off */
	uint32_t *hours[LS_MAX_BEHAVIOURS]; /* per account: bit h set when s_a(h) > 0 */
	uint64_t active_accounts;        /* accounts with a trace in any behaviour on */
	uint64_t active[LS_MAX_BEHAVIOURS];
	int hours_spanned;               /* d ranges over 0..hours_spanned-1 */
} ls_null_hour_t;

/* Builds the hour-of-day shares of every account for the enabled
 * behaviours. Time O(traces + 24 accounts); memory 100 bytes per account
 * and behaviour. Returns LS_OK or LS_ENOMEM. */
ls_error_t ls_null_hour_build(ls_null_hour_t *nh, const ls_analysis_t *an, ls_ctx_t *ctx);
void ls_null_hour_destroy(ls_null_hour_t *nh);
/* E_ab for behaviour b. O(hours in which a or b act). */
double ls_null_hour_expected(const ls_null_hour_t *nh, const ls_analysis_t *an, uint32_t b,
                             uint32_t a1, uint32_t a2);
/* E_ab, or a value v with stop <= v <= E_ab: the sum, added in the same
 * order, is cut short once it reaches `stop`. So the result is < stop
 * exactly when E_ab < stop, and then it is E_ab, bit for bit. */
double ls_null_hour_expected_until(const ls_null_hour_t *nh, const ls_analysis_t *an, uint32_t b,
                                   uint32_t a1, uint32_t a2, double stop);

/* malloc(bytes), freed with free(), except that a large block (4 MB and
 * more) is 2 MB aligned and asks for transparent huge pages where the
 * system offers them on request: 512 times fewer page faults when it is
 * first written (the score stage's per-link and per-pair arrays, hundreds
 * of MB) and fewer TLB misses when read at random. Contents undefined. */
void *ls_score_big_alloc(size_t bytes);

#endif
