/*
 * accounts.csv: one row per account in account-index order, with its
 * network position (degree, strength, component, cluster) and its
 * account-level test (score = -log10 p, BH q-value, flagged). Component and
 * cluster are empty for accounts outside the network or outside a reported
 * cluster. Time O(accounts); memory O(1) beyond stdio's buffer.
 */
#include "core/afile.h"
#include "core/analysis.h"
#include "core/ctx.h"
#include "explain/textout.h"

#include <inttypes.h>
#include <stdio.h>

/* fputs without a lock per call (one thread writes the file). */
static void put_s(const char *s, FILE *f)
{
	while (*s)
		putc_unlocked(*s++, f);
}

ls_error_t ls_write_accounts_csv(const ls_analysis_t *an, const char *path, ls_ctx_t *ctx)
{
	if (an == NULL || path == NULL)
		return ls_fail(ctx, LS_EINVAL, "accounts.csv: no analysis or path");
	ls_afile_t af;
	ls_error_t err = ls_afile_open(&af, path, ctx);
	if (err != LS_OK)
		return err;
	FILE *f = af.f;
	const ls_dataset_t *ds = an->ds;
	const ls_strpool_t *sp = &ds->strings;
	char num[LS_NUMBUF];
	fputs("account,id,handle,posts,degree,strength,component,cluster,score,qvalue,flagged\n", f);
	for (size_t i = 0; i < ds->accounts.n; i++) {
		const ls_account_t *a = &ds->accounts.v[i];
		uint32_t comp = an->component ? an->component[i] : 0;
		uint32_t clu = an->cluster ? an->cluster[i] : 0;
		ls_out_csv_sid(f, sp, a->key);
		putc_unlocked(',', f);
		ls_out_csv_sid(f, sp, a->id);
		putc_unlocked(',', f);
		ls_out_csv_sid(f, sp, a->handle);
		/* no printf: ten million accounts are ten million rows */
		putc_unlocked(',', f);
		put_s(ls_fmt_u64(a->posts, num), f);
		putc_unlocked(',', f);
		put_s(ls_fmt_u64(an->degree ? an->degree[i] : 0, num), f);
		putc_unlocked(',', f);
		put_s(ls_fmt_g6(an->strength ? an->strength[i] : 0, num), f);
		putc_unlocked(',', f);
		if (comp)
			put_s(ls_fmt_u64(comp, num), f);
		putc_unlocked(',', f);
		if (clu)
			put_s(ls_fmt_u64(clu, num), f);
		/* the score stage's account-level test: -log10 p, BH q, flagged */
		putc_unlocked(',', f);
		put_s(ls_fmt_g6(an->account_score ? an->account_score[i] : 0, num), f);
		putc_unlocked(',', f);
		put_s(ls_fmt_g6(an->account_q ? an->account_q[i] : 1, num), f);
		putc_unlocked(',', f);
		putc_unlocked(an->flagged && an->flagged[i] ? '1' : '0', f);
		putc_unlocked('\n', f);
	}
	return ls_afile_commit(&af, ctx);
}
