/*
 * Synchronised posting: accounts that post (anything: originals, retweets,
 * replies) in the same short time bins, bin after bin. Scheduled accounts
 * run by one operator fire together whatever they post.
 *
 * Every post falls into the bin floor(time / B) of --sync-bin B seconds
 * (default 60). One trace per (account, bin): an account posting five
 * times in one bin acts once. The trace's object is the bin (key: the
 * bin's start as "YYYY-MM-DDTHH:MM:SSZ", kept as its label) and its time
 * is the bin's start, so two accounts co-act exactly when they post in
 * the same bin, whatever --window is (Δt is always 0; adjacent bins are
 * different objects and never meet). The pair's count is then the number
 * of distinct bins shared, tested against the hour-of-day null like every
 * behaviour; the burst guard (--max-burst) drops bins with more active
 * accounts than that.
 *
 * Deduplication needs all of an account's posts, in whatever order the
 * inputs hold them, so the traces are made from the post rows by a pass
 * after reading (ls_extract_synchrony, run by ls_dataset_derive); the
 * table row's extract() emits nothing. A placebo shift re-runs the pass.
 *
 * Time O(posts) (two stable radix sorts by bin, then account); memory 12
 * bytes per post while sorting, then 24 bytes per (account, bin).
 */
#include "core/ctx.h"
#include "core/radix.h"
#include "extract/behaviour.h"
#include "extract/derived.h"

#include <stdlib.h>

static int extract(const ls_post_t *p, const ls_extract_env_t *env, ls_emit_fn emit, void *user)
{
	(void)p;
	(void)env;
	(void)emit;
	(void)user;
	return 0; /* completed after reading: ls_extract_synchrony */
}

const ls_behaviour_def_t ls_bh_synchrony = {
	"synchrony", "posting in the same --sync-bin time bins (one act per account and bin)", extract,
};

static int64_t bin_of(int64_t t, int64_t width)
{
	int64_t q = t / width;
	return (t % width != 0 && t < 0) ? q - 1 : q;
}

ls_error_t ls_extract_synchrony(ls_dataset_t *ds, ls_ctx_t *ctx)
{
	ds->traces[LS_BH_SYNCHRONY].n = 0;
	size_t n = ds->posts.n;
	if (n == 0)
		return LS_OK;
	if (n > UINT32_MAX)
		return ls_fail(ctx, LS_ELIMIT, "too many posts for the synchrony pass");
	int64_t w = ds->opt.sync_bin > 0 ? ds->opt.sync_bin : 60;
	const ls_post_row_t *p = ds->posts.v;
	uint64_t *keys = malloc(n * sizeof *keys);
	uint32_t *order = malloc(n * sizeof *order);
	ls_error_t err = LS_OK;
	if (keys == NULL || order == NULL) {
		err = ls_fail(ctx, LS_ENOMEM, "out of memory in the synchrony pass");
		goto done;
	}
	int64_t bmin = bin_of(p[0].time, w);
	for (size_t i = 1; i < n; i++) {
		int64_t b = bin_of(p[i].time, w);
		if (b < bmin)
			bmin = b;
	}
	for (size_t i = 0; i < n; i++) {
		keys[i] = (uint64_t)(bin_of(p[i].time, w) - bmin);
		order[i] = (uint32_t)i;
	}
	if (ls_radix_order_u64(keys, order, n))
		goto oom;
	for (size_t i = 0; i < n; i++)
		keys[i] = p[i].account;
	if (ls_radix_order_u64(keys, order, n))
		goto oom;
	/* now ordered by (account, bin, input order): keep the first of each run */
	int64_t prev_bin = 0;
	uint32_t prev_acc = LS_NONE;
	for (size_t k = 0; k < n; k++) {
		const ls_post_row_t *r = &ds->posts.v[order[k]];
		int64_t b = bin_of(r->time, w);
		if (r->account == prev_acc && b == prev_bin)
			continue;
		prev_acc = r->account;
		prev_bin = b;
		int64_t start = b * w;
		char key[32];
		ls_time_format(start, key, sizeof key);
		size_t kn = 0;
		while (key[kn])
			kn++;
		if (ls_dataset_add_trace(ds, LS_BH_SYNCHRONY, key, kn, 1, r->account, order[k], start))
			goto oom;
	}
	goto done;
oom:
	err = ls_fail(ctx, LS_ENOMEM, "out of memory in the synchrony pass");
done:
	free(keys);
	free(order);
	return err;
}
