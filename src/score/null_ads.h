/*
 * The ads null (docs/METHODS.md section 8). Ads are not tweets: a page
 * books its ads days or weeks apart and repeats one text or audience in
 * many of them, so a 60-second window and an hour-of-day null say nothing
 * about them. For the behaviours in an->ads_null the link stage links at
 * object level (any two pages on one object, whenever) on incidences, one
 * per (page, object); this null is a configuration model of the bipartite
 * page-object graph of those incidences, stratified by calendar month:
 *
 *   stratum of an object   m(o) = UTC month of its earliest incidence
 *   object size            k_o  = pages with an incidence on o
 *   page degree by month   d_a(m) = objects of stratum m page a is on
 *   month total            D(m) = sum_a d_a(m) = sum_{o in m} k_o
 *   month share            s_a(m) = d_a(m) / D(m)
 *   ordered slot pairs     S(m) = sum_{o in m} k_o (k_o - 1)
 *
 * Dealing the pages' incidences at random onto the object slots of each
 * month (every page keeps its number of objects per month, every object its
 * size), the expected number of objects pages a and b share is
 *
 *   E_ab = sum_m S(m) s_a(m) s_b(m)
 *
 * (the Chung-Lu / Poisson approximation of the hypergeometric overlap).
 * The observed count is the number of distinct objects they share (capped
 * by distinct ad pairs), tested as P(Poisson(E_ab) >= x_ab) by score.c like
 * every link.
 */
#ifndef LS_SCORE_NULL_ADS_H
#define LS_SCORE_NULL_ADS_H

#include "core/analysis.h"

typedef struct ls_null_ads_entry {
	int32_t stratum; /* month index from the first month */
	float share;     /* s_a(m) */
	float slots;     /* S(m) */
} ls_null_ads_entry_t;

typedef struct ls_null_ads {
	/* per behaviour in an->ads_null: CSR by account of the months it is
	 * active in, ascending; NULL when off */
	size_t *start[LS_MAX_BEHAVIOURS];
	ls_null_ads_entry_t *entry[LS_MAX_BEHAVIOURS];
} ls_null_ads_t;

/* The behaviours a run scores with the ads null: every linked behaviour
 * when every post is an ad (an ad-only run), else only the ad-only
 * behaviours (cotargeting, adlaunch) when there are ads, else none. */
uint32_t ls_null_ads_mask(const ls_dataset_t *ds, uint64_t behaviours);

/* Builds the month shares for the behaviours in an->ads_null. Time
 * O(T log T) (the link stage's sort) per behaviour; memory 12 bytes per
 * (account, active month). Returns LS_OK or LS_ENOMEM. */
ls_error_t ls_null_ads_build(ls_null_ads_t *na, const ls_analysis_t *an, ls_ctx_t *ctx);
void ls_null_ads_destroy(ls_null_ads_t *na);
/* E_ab for behaviour b. O(months a or b is active in). */
double ls_null_ads_expected(const ls_null_ads_t *na, uint32_t b, uint32_t a1, uint32_t a2);

#endif
