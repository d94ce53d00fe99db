/*
 * Behaviours that need the whole dataset, completed in one pass after all
 * inputs are read (ls_dataset_derive, called lazily by ls_analysis_run):
 *
 *  - fast retweet (bh_fastretweet.c): the original's time is known only when
 *    the original post is in the data, and it may come later in the input;
 *  - synchronised posting (bh_synchrony.c): one trace per account and time
 *    bin, whatever the order of the posts in the inputs.
 *
 * Each function replaces its behaviour's traces, so calling it again (after
 * more input or a placebo shift) recomputes them.
 */
#ifndef LS_EXTRACT_DERIVED_H
#define LS_EXTRACT_DERIVED_H

#include "core/dataset.h"

/* Appends a fast-retweet trace for every co-retweet trace whose object is a
 * retweeted post id ("id:<id>") of a post in the dataset, made 0 <= lag <=
 * ds->opt.fast_retweet seconds after it. The object is the key "id:<id>"
 * hashed with the fast-retweet seed, so the table row's key scheme holds.
 * Time O(posts + objects + retweets); memory 4 bytes per interned string. */
ls_error_t ls_extract_fastretweet(ls_dataset_t *ds, ls_ctx_t *ctx);

/* One trace per (account, bin of ds->opt.sync_bin seconds) with a post of
 * any kind in it: object = the bin, time = the bin's start, post = the
 * account's first post in the bin in input order. Time O(posts) (radix
 * sort); memory 12 bytes per post while sorting. */
ls_error_t ls_extract_synchrony(ls_dataset_t *ds, ls_ctx_t *ctx);

/* Adds one trace of behaviour b for `key` (hashed as while reading:
 * XXH3-64 seeded with b + 1); label != 0 keeps the key as a readable label.
 * Returns 0 or -1 (out of memory). */
int ls_dataset_add_trace(ls_dataset_t *ds, uint32_t b, const char *key, size_t n, int label,
                         uint32_t account, uint32_t post, int64_t time);

/* Runs the dataset-wide passes of the behaviours in `mask` (bits as in
 * ls_params_t.behaviours) that are not yet up to date with the posts read.
 * Returns LS_OK or LS_ENOMEM. */
ls_error_t ls_dataset_derive(ls_dataset_t *ds, uint64_t mask, ls_ctx_t *ctx);

#endif
