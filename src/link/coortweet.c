/*
 * CooRTweet parity: the rows CooRTweet 2.1.3's detect_groups() returns, from
 * the co-retweet traces of a dataset (see docs/FORMATS.md and the semantics
 * stated with the reference outputs):
 *
 *  1. drop every share of an account with fewer than M shares;
 *  2. candidate pairs: two shares of the same object with |Δt| <= W;
 *  3. loops (unless kept): same account, same content id, or a content id
 *     equal to the object id;
 *  4. participation: S = contents in surviving pairs; an account passes
 *     with >= M of its (pre-filtered) shares in S; a pair stays when either
 *     side's content belongs to a passing account;
 *  5. orientation: the older share first; on a tie, the share whose account
 *     appeared first in the input.
 *
 * Time O(T log T + P) with P the within-window pairs; memory O(T + P).
 */
#include "core/afile.h"
#include "core/analysis.h"
#include "core/ctx.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

typedef struct share {
	ls_trace_t t;
	uint64_t content; /* post id code (ls_post_row_t.id), 0 if none */
	uint64_t object;  /* the object id's code (ls_dataset_id_code), 0 if no post can have it */
	uint32_t cid;     /* content numbered 1, 2, ... (0: none), for the marks */
} share_t;

static int cmp_share(const void *x, const void *y)
{
	const share_t *a = x, *b = y;
	if (a->t.object != b->t.object)
		return a->t.object < b->t.object ? -1 : 1;
	if (a->t.time != b->t.time)
		return a->t.time < b->t.time ? -1 : 1;
	return a->t.post < b->t.post ? -1 : a->t.post > b->t.post;
}

typedef struct spair {
	uint32_t x, y; /* indexes into the sorted shares, x older (or tie-first) */
} spair_t;

static const char *object_id(const ls_dataset_t *ds, uint64_t object)
{
	const char *l = ls_dataset_object_label(ds, object);
	return strncmp(l, "id:", 3) == 0 ? l + 3 : l;
}

ls_error_t ls_coortweet_pairs_file(const ls_dataset_t *ds, int64_t window,
                                   uint32_t min_participation, int keep_loops, const char *path,
                                   uint64_t *rows_out, ls_ctx_t *ctx)
{
	const uint32_t bh = 0; /* co-retweet is row 0 of the behaviour table */
	const ls_trace_t *tr = ds->traces[bh].v;
	size_t nt = ds->traces[bh].n, na = ds->accounts.n;
	ls_error_t err = LS_OK;
	uint32_t *cnt = calloc(na ? na : 1, sizeof *cnt);
	uint32_t *inS = calloc(na ? na : 1, sizeof *inS);
	unsigned char *mark = calloc(nt + 1, 1); /* by cid; bit 1: content in S; bit 2: in C */
	ls_u64map_t cids;
	ls_u64map_init(&cids);
	share_t *sh = malloc((nt ? nt : 1) * sizeof *sh);
	LS_VEC(spair_t) pairs = {0};
	ls_afile_t af = {0};
	uint64_t rows = 0;
	/* the object ids are looked up: the pool's index is built again if it
	 * was dropped (ls_dataset_derive; the dataset is logically const) */
	if (!cnt || !inS || !mark || !sh ||
	    ls_strpool_reindex((ls_strpool_t *)(uintptr_t)&ds->strings)) {
		err = ls_fail(ctx, LS_ENOMEM, "out of memory");
		goto done;
	}
	for (size_t i = 0; i < nt; i++)
		cnt[tr[i].account]++;
	size_t n = 0;
	for (size_t i = 0; i < nt; i++) {
		if (cnt[tr[i].account] < min_participation)
			continue;
		sh[n].t = tr[i];
		sh[n].content = ds->posts.v[tr[i].post].id;
		const char *oid = object_id(ds, tr[i].object);
		sh[n].object = *oid ? ls_dataset_id_code(ds, oid, strlen(oid)) : 0;
		sh[n].cid = 0;
		uint32_t *slot;
		int inserted;
		if (sh[n].content) {
			if (ls_u64map_upsert(&cids, sh[n].content, (uint32_t)cids.count + 1, &slot,
			                     &inserted)) {
				err = ls_fail(ctx, LS_ENOMEM, "out of memory");
				goto done;
			}
			sh[n].cid = *slot;
		}
		n++;
	}
	qsort(sh, n, sizeof *sh, cmp_share);

	for (size_t s = 0; s < n;) {
		size_t e = s + 1;
		while (e < n && sh[e].t.object == sh[s].t.object)
			e++;
		for (size_t i = s; i + 1 < e; i++) {
			for (size_t j = i + 1; j < e && sh[j].t.time - sh[i].t.time <= window; j++) {
				const share_t *a = &sh[i], *b = &sh[j];
				if (!keep_loops && (a->t.account == b->t.account || a->content == b->content ||
				                    (a->object && (a->content == a->object ||
				                                   b->content == a->object))))
					continue;
				spair_t p = {(uint32_t)i, (uint32_t)j};
				if (a->t.time == b->t.time && b->t.account < a->t.account)
					p = (spair_t){(uint32_t)j, (uint32_t)i};
				if (ls_vec_push(&pairs, p)) {
					err = ls_fail(ctx, LS_ENOMEM, "out of memory collecting share pairs");
					goto done;
				}
			}
		}
		s = e;
	}
	/* participation post-filter */
	for (size_t k = 0; k < pairs.n; k++) {
		mark[sh[pairs.v[k].x].cid] |= 1;
		mark[sh[pairs.v[k].y].cid] |= 1;
	}
	mark[0] &= (unsigned char)~1u;
	for (size_t i = 0; i < n; i++)
		if (mark[sh[i].cid] & 1)
			inS[sh[i].t.account]++;
	for (size_t i = 0; i < n; i++)
		if ((mark[sh[i].cid] & 1) && inS[sh[i].t.account] >= min_participation)
			mark[sh[i].cid] |= 2;

	err = ls_afile_open(&af, path, ctx);
	if (err)
		goto done;
	fputs("object_id,content_id,content_id_y,time_delta,account_id,account_id_y\n", af.f);
	for (size_t k = 0; k < pairs.n; k++) {
		const share_t *a = &sh[pairs.v[k].x], *b = &sh[pairs.v[k].y];
		if (!((mark[a->cid] & 2) || (mark[b->cid] & 2)))
			continue;
		int64_t dt = b->t.time - a->t.time;
		char ca[24], cb[24];
		size_t la, lb; /* unused: the texts are NUL-terminated */
		fprintf(af.f, "%s,%s,%s,%" PRId64 ",%s,%s\n", object_id(ds, a->t.object),
		        a->content ? ls_dataset_id_text(ds, a->content, ca, sizeof ca, &la) : "",
		        b->content ? ls_dataset_id_text(ds, b->content, cb, sizeof cb, &lb) : "",
		        dt < 0 ? -dt : dt,
		        ls_strpool_get(&ds->strings, ds->accounts.v[a->t.account].key),
		        ls_strpool_get(&ds->strings, ds->accounts.v[b->t.account].key));
		rows++;
	}
	err = ls_afile_commit(&af, ctx);
done:
	ls_afile_abort(&af);
	if (rows_out)
		*rows_out = rows;
	free(cnt);
	free(inS);
	free(mark);
	ls_u64map_destroy(&cids);
	free(sh);
	ls_vec_free(&pairs);
	return err;
}

ls_error_t ls_write_pairs_csv(const ls_analysis_t *an, const char *path, ls_ctx_t *ctx)
{
	const ls_params_t *p = &an->params;
	return ls_coortweet_pairs_file(an->ds, p->window, p->min_participation, p->keep_loops, path,
	                               NULL, ctx);
}

ls_error_t ls_coortweet_write_pairs(const ls_dataset_t *ds, int64_t window,
                                    uint32_t min_participation, int keep_loops,
                                    const char *dir, uint64_t *rows_out, ls_ctx_t *ctx)
{
	ls_error_t err = ls_mkdir_p(dir, ctx);
	if (err)
		return err;
	char *path = ls_path_join(dir, "pairs.csv");
	if (path == NULL)
		return ls_fail(ctx, LS_ENOMEM, "out of memory");
	err = ls_coortweet_pairs_file(ds, window, min_participation, keep_loops, path, rows_out, ctx);
	free(path);
	return err;
}
