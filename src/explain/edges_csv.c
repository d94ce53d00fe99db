/*
 * edges.csv: one row per (account pair, behaviour) link of the kept
 * account pairs (every link with params.all_links) in the order of
 * an->links, with the evidence an analyst needs to check it by hand: the
 * co-action counts, the Δt distribution, the first and last co-action and
 * the closest co-action's object and posts. Objects without a readable
 * label are shown as "h:" plus their 64-bit hash in hex.
 * Time O(rows written): the kept links come from ex->kept (kept.c);
 * memory O(1) beyond stdio's buffer.
 */
#include "core/afile.h"
#include "core/analysis.h"
#include "core/ctx.h"
#include "explain/explain.h"
#include "explain/hashout.h"
#include "explain/textout.h"


/* Post references are ids from the input; longer ones are cut here. */
#define POST_REF_MAX 512

static void put_post(FILE *f, const ls_dataset_t *ds, uint32_t post, char *buf)
{
	if (post == LS_NONE || post >= ds->posts.n)
		return;
	ls_out_csv_str(f, ls_fmt_post_ref(ds, post, buf, POST_REF_MAX));
}

/* "h:" and the 16 hex digits of an object hash. */
static void put_hash(FILE *f, uint64_t h)
{
	static const char hex[] = "0123456789abcdef";
	char buf[19] = "h:";
	for (int i = 0; i < 16; i++)
		buf[2 + i] = hex[h >> (60 - 4 * i) & 15];
	buf[18] = '\0';
	fputs(buf, f);
}

/* The rows' account keys and post ids are random accesses into the
 * accounts, the post rows and the string pool (cache misses at millions of
 * rows): they are prefetched a few rows ahead, in three steps as each
 * address becomes known. Only speed depends on it. */
#define PF_AHEAD 12
/* Rows from which the file is hashed while written (hashout.h). */
#define HASH_WHILE_WRITING 65536

static void prefetch_sid(const ls_strpool_t *sp, ls_sid_t id, int step)
{
	if (id == 0)
		return;
	if (step == 1) {
		__builtin_prefetch(&sp->off[id]);
		__builtin_prefetch(&sp->len[id]);
	} else {
		__builtin_prefetch(sp->bytes + sp->off[id]);
	}
}

/* step 0: the rows; 1: their strings' offsets; 2: the strings. */
static void prefetch_link(const ls_dataset_t *ds, const ls_link_t *l, int step)
{
	const ls_strpool_t *sp = &ds->strings;
	uint32_t acc[2] = {l->a, l->b}, post[2] = {l->ex_post_a, l->ex_post_b};
	for (int k = 0; k < 2; k++) {
		int acc_ok = acc[k] < ds->accounts.n, post_ok = post[k] < ds->posts.n;
		if (step == 0) {
			if (acc_ok)
				__builtin_prefetch(&ds->accounts.v[acc[k]]);
			if (post_ok)
				__builtin_prefetch(&ds->posts.v[post[k]]);
			continue;
		}
		if (acc_ok)
			prefetch_sid(sp, ds->accounts.v[acc[k]].key, step);
		if (post_ok && (ds->posts.v[post[k]].id & LS_POST_ID_SID))
			prefetch_sid(sp, (ls_sid_t)ds->posts.v[post[k]].id, step);
	}
}

ls_error_t ls_write_edges_csv(const ls_analysis_t *an, const char *path, ls_ctx_t *ctx)
{
	return ls_explain_alone(an, ls_write_edges_csv_ex, path, ctx);
}

ls_error_t ls_write_edges_csv_ex(const ls_explain_t *ex, const char *path, ls_ctx_t *ctx)
{
	const ls_analysis_t *an = ex->an;
	const ls_kept_t *kp = ex->kept;
	if (an == NULL || path == NULL)
		return ls_fail(ctx, LS_EINVAL, "edges.csv: no analysis or path");
	ls_afile_t af;
	ls_error_t err = ls_afile_open(&af, path, ctx);
	if (err != LS_OK)
		return err;
	/* every link (all_links), else only the kept pairs' links */
	size_t n = an->params.all_links ? an->links.n : kp->links.n, ki = 0;
	/* many rows (--all-links: ~180 bytes each): hashed while written, on
	 * the stream's own thread, instead of read back after */
	ls_hashout_t *ho = NULL;
	FILE *f = af.f;
	if (ex->out_sha != NULL && n >= HASH_WHILE_WRITING &&
	    (f = ls_hashout_open(af.f, &ho)) == NULL) {
		ls_afile_abort(&af);
		return ls_fail(ctx, LS_ENOMEM, "out of memory");
	}
	const ls_dataset_t *ds = an->ds;
	const ls_strpool_t *sp = &ds->strings;
	char num[LS_NUMBUF], t[LS_NUMBUF], ref[POST_REF_MAX];
	fputs("account_a,account_b,behaviour,coactions,objects,dt_min,dt_mean,dt_max,first_time,"
	      "last_time,example_object,example_post_a,example_post_b,score,kept\n",
	      f);
	for (size_t r = 0; r < n; r++) {
		size_t i = an->params.all_links ? r : kp->links.v[r];
		const ls_link_t *l = &an->links.v[i];
		for (int step = 0; step < 3; step++) {
			size_t ahead = r + (size_t)(3 - step) * PF_AHEAD / 3;
			if (ahead < n)
				prefetch_link(ds, &an->links.v[an->params.all_links ? ahead
				                                                    : kp->links.v[ahead]],
				              step);
		}
		int kept = ki < kp->links.n && kp->links.v[ki] == i;
		ki += kept;
		if (l->a >= ds->accounts.n || l->b >= ds->accounts.n) {
			if (ho != NULL)
				ls_hashout_close(ho, f, ex->out_sha, ex->out_bytes);
			ls_afile_abort(&af);
			return ls_fail(ctx, LS_EINTERNAL, "link (%u, %u) out of range", l->a, l->b);
		}
		ls_out_csv_sid(f, sp, ds->accounts.v[l->a].key);
		putc(',', f);
		ls_out_csv_sid(f, sp, ds->accounts.v[l->b].key);
		putc(',', f);
		ls_out_csv_str(f, ls_behaviour_name(l->behaviour));
		/* fputs of hand-formatted numbers: printf is the bottleneck of
		 * this file at millions of rows (see ls_fmt_g6) */
		putc(',', f);
		fputs(ls_fmt_u64(l->coactions, num), f);
		putc(',', f);
		fputs(ls_fmt_u64(l->objects, num), f);
		putc(',', f);
		fputs(ls_fmt_i64(l->dt_min, num), f);
		putc(',', f);
		if (l->coactions)
			fputs(ls_fmt_g6(l->dt_sum / (double)l->coactions, num), f);
		putc(',', f);
		fputs(ls_fmt_i64(l->dt_max, num), f);
		putc(',', f);
		fputs(ls_fmt_time(l->first_time, t), f);
		putc(',', f);
		fputs(ls_fmt_time(l->last_time, t), f);
		putc(',', f);
		const char *label = ls_dataset_object_label(ds, l->ex_object);
		if (label[0])
			ls_out_csv_str(f, label);
		else
			put_hash(f, l->ex_object);
		putc(',', f);
		put_post(f, ds, l->ex_post_a, ref);
		putc(',', f);
		put_post(f, ds, l->ex_post_b, ref);
		putc(',', f);
		fputs(ls_fmt_g6(l->score, num), f);
		fputs(kept ? ",1\n" : ",0\n", f);
	}
	if (ho != NULL) {
		*ex->out_hashed = 1;
		if (ls_hashout_close(ho, f, ex->out_sha, ex->out_bytes) != 0) {
			ls_afile_abort(&af);
			return ls_fail(ctx, LS_EIO, "%s: write failed", path);
		}
	}
	return ls_afile_commit(&af, ctx);
}
