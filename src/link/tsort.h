/*
 * Link stage: one behaviour's traces sorted by (object, time) (tsort.c).
 */
#ifndef LS_LINK_TSORT_H
#define LS_LINK_TSORT_H

#include "core/analysis.h"

/* Copies the traces all[0..nall) whose time (ls_trace_time, shifted per
 * account) lies in the analysed period to out[] (room for nall traces),
 * with that time, sorted by (object, time); equal keys keep their input
 * order. Runs on up to `threads` threads; the result does not depend on
 * them. Returns the number copied, or SIZE_MAX when out of memory or
 * nall >= 2^32 (out[] then undefined). Time O(nall); memory O(buckets *
 * threads) plus scratch of the largest bucket. */
size_t ls_trace_sort(const ls_analysis_t *an, const ls_trace_t *all, size_t nall,
                     ls_trace_t *out, int threads);

#endif
