/*
 * Evidence for the kept account pairs: the strongest co-actions of each of
 * their links and the text of the posts involved.
 *
 * The link records keep one example co-action. For the evidence we want
 * the k closest in time (LS_EVIDENCE_K) per link, so the sweep of the link
 * stage (src/link/link.c) is repeated per behaviour over the link stage's
 * own sorted traces (kept in an->sorted until the evidence is built; sorted
 * again only when that cache is gone, e.g. a second write): traces sorted by
 * (object, time) with ties in input order, each trace paired with the later
 * traces of its object within the window, the same burst guard. Only pairs
 * of accounts that have a kept pair are looked up (a map from the account
 * pair to its link), and only traces of accounts in the network start an
 * inner loop, so the work is the sort plus the co-actions of linked
 * accounts. Each link keeps its k closest co-actions in a small sorted
 * array (ties: first seen, which is deterministic).
 *
 * Texts: the posts of those co-actions are grouped by input and sorted by
 * line. When the dataset kept the texts while reading (they fit in
 * --text-memory: ls_dataset_post_text) they are taken from there.
 * Otherwise each input is re-read once with the reader (stopping after the
 * last needed record; records on other lines are only split, not mapped:
 * ls_reader_only_lines), and a record on a needed line is taken when it is
 * the same post (same id, or same time when posts have no id; the other
 * posts of a line holding several, like a page of API results, are
 * passed over). Standard input cannot be re-read, so its posts get no
 * excerpts even when kept (a re-run from the bundle must give the same
 * evidence); a file that is gone or changed gives no excerpts. Either way
 * the reason is recorded per input and the run goes on. Excerpts are cut
 * to LS_EXCERPT_MAX bytes at a character boundary.
 *
 * Time O(T + P_linked + bytes re-read) (O(T log T) without the cache);
 * memory O(kept links * k) (plus O(T) per behaviour without the cache).
 */
#include "explain/explain.h"
#include "core/ctx.h"
#include "core/parallel.h"
#include "core/radix.h"
#include "core/u64map.h"
#include "read/reader.h"

#include <stdlib.h>
#include <string.h>

static int64_t coact_dt(const ls_coact_t *c)
{
	int64_t d = c->time_b - c->time_a;
	return d < 0 ? -d : d;
}

/* Offers a co-action to link `el`'s top-k (closest first). */
static void offer(ls_evidence_t *ev, ls_ev_link_t *el, const ls_coact_t *c)
{
	ls_coact_t *top = &ev->coacts.v[el->first];
	int64_t d = coact_dt(c);
	uint32_t n = el->count;
	if (n == LS_EVIDENCE_K && coact_dt(&top[n - 1]) <= d)
		return;
	uint32_t pos = n < LS_EVIDENCE_K ? n : LS_EVIDENCE_K - 1;
	while (pos > 0 && coact_dt(&top[pos - 1]) > d) {
		top[pos] = top[pos - 1];
		pos--;
	}
	top[pos] = *c;
	if (n < LS_EVIDENCE_K)
		el->count++;
}

static ls_error_t sweep_behaviour(ls_evidence_t *ev, uint32_t b, const ls_u64map_t *map,
                                  ls_ctx_t *ctx)
{
	const ls_analysis_t *an = ev->an;
	const ls_dataset_t *ds = an->ds;
	size_t n = 0;
	if (ds->traces[b].n < 2)
		return LS_OK;
	const ls_sorted_cache_t *sc = an->sorted;
	const ls_trace_t *t;
	ls_trace_t *own = NULL;
	int64_t w; /* as the link stage pairs them (ads: incidences, no window) */
	if (sc != NULL && sc->t != NULL && (sc->have >> b & 1)) {
		/* the link stage's own sorted traces, kept for us */
		t = sc->t + sc->lo[b];
		n = sc->n[b];
		w = sc->window[b];
	} else {
		/* the link stage's own sort: same period filter and placebo shift */
		own = ls_sorted_traces(an, ds->traces[b].v, ds->traces[b].n, &n);
		if (own == NULL)
			return ls_fail(ctx, LS_ENOMEM, "out of memory sorting traces for the evidence");
		if (ls_link_window(an, b, own, &n, &w)) {
			free(own);
			return ls_fail(ctx, LS_ENOMEM, "out of memory sorting traces for the evidence");
		}
		t = own;
	}
	size_t burst = an->params.max_burst ? an->params.max_burst : SIZE_MAX;
	const uint32_t *deg = an->degree;
	for (size_t s = 0; s < n;) {
		size_t e = s + 1;
		while (e < n && t[e].object == t[s].object)
			e++;
		size_t end = s + 1;
		for (size_t i = s; i + 1 < e; i++) {
			if (end <= i)
				end = i + 1;
			while (end < e && t[end].time - t[i].time <= w)
				end++;
			if (end - i - 1 > burst || deg[t[i].account] == 0)
				continue;
			for (size_t j = i + 1; j < end; j++) {
				if (t[j].account == t[i].account || deg[t[j].account] == 0)
					continue;
				const ls_trace_t *lo = &t[i], *hi = &t[j];
				if (lo->account > hi->account) {
					lo = &t[j];
					hi = &t[i];
				}
				uint32_t k;
				if (!ls_u64map_get(map, (uint64_t)lo->account << 32 | hi->account, &k))
					continue;
				ls_coact_t c = {lo->post, hi->post, t[i].object, lo->time, hi->time};
				offer(ev, &ev->links.v[k], &c);
			}
		}
		s = e;
	}
	free(own);
	return LS_OK;
}

/* One behaviour's sweep with its own link map. */
static ls_error_t sweep_one(ls_evidence_t *ev, uint32_t b, ls_ctx_t *ctx)
{
	const ls_analysis_t *an = ev->an;
	ls_u64map_t map;
	ls_u64map_init(&map);
	for (size_t k = 0; k < ev->links.n; k++) {
		const ls_link_t *l = &an->links.v[ev->links.v[k].link];
		if (l->behaviour != b)
			continue;
		uint32_t *slot;
		int ins;
		if (ls_u64map_upsert(&map, (uint64_t)l->a << 32 | l->b, (uint32_t)k, &slot, &ins)) {
			ls_u64map_destroy(&map);
			return ls_fail(ctx, LS_ENOMEM, "out of memory");
		}
	}
	ls_error_t err = map.count ? sweep_behaviour(ev, b, &map, ctx) : LS_OK;
	ls_u64map_destroy(&map);
	return err;
}

/* The behaviours are swept by ls_ctx_threads workers, each taking the
 * next behaviour (largest first). A link belongs to one behaviour, so each
 * link's top-k is filled by one worker in the sweep's own order: the
 * result does not depend on the thread count. */
typedef struct sweep_job {
	ls_evidence_t *ev;
	uint32_t order[LS_MAX_BEHAVIOURS];
	uint32_t n;
	ls_error_t err[LS_MAX_BEHAVIOURS];
	ls_ctx_t ctx[LS_MAX_BEHAVIOURS];
} sweep_job_t;

static void sweep_item(void *arg, size_t i)
{
	sweep_job_t *j = arg;
	j->err[i] = sweep_one(j->ev, j->order[i], &j->ctx[i]);
}

static ls_error_t sweep_all(ls_evidence_t *ev, ls_ctx_t *ctx)
{
	const ls_dataset_t *ds = ev->an->ds;
	sweep_job_t *j = calloc(1, sizeof *j);
	if (j == NULL)
		return ls_fail(ctx, LS_ENOMEM, "out of memory");
	j->ev = ev;
	for (uint32_t b = 0; b < LS_MAX_BEHAVIOURS; b++)
		if (ds->traces[b].n >= 2)
			j->order[j->n++] = b;
	for (uint32_t i = 1; i < j->n; i++) /* largest first: better balance */
		for (uint32_t k = i; k > 0 && ds->traces[j->order[k]].n > ds->traces[j->order[k - 1]].n;
		     k--) {
			uint32_t t = j->order[k];
			j->order[k] = j->order[k - 1];
			j->order[k - 1] = t;
		}
	for (uint32_t i = 0; i < j->n; i++) {
		j->ctx[i] = *ctx;
		j->ctx[i].diag = NULL;
		ls_ctx_clear(&j->ctx[i]);
	}
	ls_parallel_for(ls_ctx_threads(ctx), j->n, sweep_item, j);
	ls_error_t err = LS_OK;
	for (uint32_t i = 0; i < j->n && !err; i++)
		if (j->err[i])
			err = ls_fail(ctx, j->err[i], "%s", ls_ctx_message(&j->ctx[i]));
	free(j);
	return err;
}

/* The links of kept pairs into ev->links, and their co-actions. */
static ls_error_t strongest(ls_evidence_t *ev, ls_ctx_t *ctx)
{
	const ls_analysis_t *an = ev->an;
	ls_error_t err = ls_kept_build(&ev->kept, an, ctx);
	if (err || an->degree == NULL)
		return err;
	for (size_t k = 0; k < ev->kept.links.n; k++) {
		size_t i = ev->kept.links.v[k];
		if (ev->links.n >= UINT32_MAX / LS_EVIDENCE_K || i > UINT32_MAX)
			return ls_fail(ctx, LS_ELIMIT, "too many kept links for the evidence");
		ls_ev_link_t el = {(uint32_t)i, (uint32_t)(ev->links.n * LS_EVIDENCE_K), 0};
		if (ls_vec_push(&ev->links, el))
			return ls_fail(ctx, LS_ENOMEM, "out of memory");
	}
	if (ls_vec_reserve(&ev->coacts, ev->links.n * LS_EVIDENCE_K))
		return ls_fail(ctx, LS_ENOMEM, "out of memory");
	ev->coacts.n = ev->links.n * LS_EVIDENCE_K;
	if (ev->links.n == 0) /* nothing kept: no sweep */
		return LS_OK;
	err = sweep_all(ev, ctx);
	if (err)
		return err;
	/* a link the sweep found nothing for (hand-built analyses in tests)
	 * shows its recorded example */
	for (size_t k = 0; k < ev->links.n; k++) {
		ls_ev_link_t *el = &ev->links.v[k];
		const ls_link_t *l = &an->links.v[el->link];
		if (el->count || l->ex_post_a >= an->ds->posts.n || l->ex_post_b >= an->ds->posts.n)
			continue;
		ls_coact_t c = {l->ex_post_a, l->ex_post_b, l->ex_object,
		                an->ds->posts.v[l->ex_post_a].time, an->ds->posts.v[l->ex_post_b].time};
		ev->coacts.v[el->first] = c;
		el->count = 1;
	}
	return LS_OK;
}

static int set_note(ls_evidence_t *ev, size_t input, const char *text)
{
	if (ev->input_note[input] != NULL)
		return 0;
	ev->input_note[input] = strdup(text);
	return ev->input_note[input] ? 0 : -1;
}

/* Copies at most LS_EXCERPT_MAX bytes of s, cut before a UTF-8
 * continuation byte, plus "…" when cut. */
static char *excerpt(const char *s, size_t n, uint32_t *len)
{
	size_t k = n;
	int cut = 0;
	if (k > LS_EXCERPT_MAX) {
		k = LS_EXCERPT_MAX;
		while (k > 0 && ((unsigned char)s[k] & 0xC0) == 0x80)
			k--;
		cut = 1;
	}
	char *o = malloc(k + 4);
	if (o == NULL)
		return NULL;
	memcpy(o, s, k);
	if (cut) {
		memcpy(o + k, "\xE2\x80\xA6", 3);
		k += 3;
	}
	*len = (uint32_t)k;
	return o;
}

ls_error_t ls_explain_reopen(const ls_dataset_t *ds, size_t in, const char *path,
                             ls_reader_t **r, ls_ctx_t *ctx)
{
	/* a fresh duplicate set: a post skipped as a duplicate was never a
	 * dataset post, and the others keep their lines */
	ls_reader_config_t cfg = {0};
	cfg.format = ds->inputs.v[in].format;
	cfg.max_record = ds->opt.max_record_bytes;
	cfg.columns = ds->opt.columns;
	cfg.time_format = ds->opt.time_format;
	cfg.no_digest = 1; /* the digest was taken at the first read */
	return ls_reader_open_config(r, path, &cfg, ctx);
}

/* A post whose text is wanted, in (input, line, post) order; posts <
 * 2^32, lines < 2^32, inputs < 2^16. */
typedef struct ev_ref {
	uint16_t input;
	uint32_t line, post;
} ev_ref_t;

/* Re-reads input `in` for the posts posts[0..n) (sorted by line). */
static ls_error_t reread_input(ls_evidence_t *ev, size_t in, const char *path,
                               const uint32_t *posts, size_t n, ls_ctx_t *ctx)
{
	const ls_dataset_t *ds = ev->an->ds;
	ls_reader_t *r = NULL;
	/* the records were reported when first read: keep quiet now */
	ls_diag_fn diag = ctx->diag;
	ctx->diag = NULL;
	/* only the wanted records are mapped; the others are just split */
	uint64_t *lines = malloc((n ? n : 1) * sizeof *lines);
	if (lines == NULL) {
		ctx->diag = diag;
		return ls_fail(ctx, LS_ENOMEM, "out of memory");
	}
	for (size_t i = 0; i < n; i++)
		lines[i] = ds->posts.v[posts[i]].line;
	ls_error_t err = ls_explain_reopen(ds, in, path, &r, ctx);
	if (!err)
		ls_reader_only_lines(r, lines, n);
	size_t k = 0, mismatched = 0;
	while (!err && k < n) {
		const ls_post_t *p;
		err = ls_reader_next(r, &p, ctx);
		if (err || p == NULL)
			break;
		uint64_t line = ls_reader_line(r);
		while (k < n && ds->posts.v[posts[k]].line < line) {
			mismatched++;
			k++;
		}
		if (k >= n || ds->posts.v[posts[k]].line != line)
			continue;
		const ls_post_row_t *row = &ds->posts.v[posts[k]];
		int same = row->id ? ls_dataset_post_id_is(ds, row, p->id.p, p->id.n)
		                   : row->time == p->time;
		if (!same)
			continue; /* another post of the line (a page of posts): not one we need */
		ls_ev_text_t t = {posts[k], 0, NULL};
		t.text = excerpt(p->text.p ? p->text.p : "", p->text.n, &t.len);
		if (t.text == NULL || ls_vec_push(&ev->texts, t)) {
			free(t.text);
			ctx->diag = diag;
			ls_reader_free(r);
			free(lines);
			return ls_fail(ctx, LS_ENOMEM, "out of memory");
		}
		k++;
	}
	mismatched += n - k;
	ctx->diag = diag;
	ls_reader_free(r);
	free(lines);
	if (err) {
		char note[1200];
		snprintf(note, sizeof note, "could not be re-read: %s", ls_ctx_message(ctx));
		ls_ctx_clear(ctx);
		return set_note(ev, in, note) ? ls_fail(ctx, LS_ENOMEM, "out of memory") : LS_OK;
	}
	if (mismatched) {
		char note[128];
		snprintf(note, sizeof note, "%zu posts were not found as recorded (the file changed?)",
		         mismatched);
		return set_note(ev, in, note) ? ls_fail(ctx, LS_ENOMEM, "out of memory") : LS_OK;
	}
	return LS_OK;
}

/* The excerpts of posts refs[0..n) (one input, by line) from the texts
 * the dataset kept while reading: what re-reading the input would give.
 * Returns 0 or -1 (out of memory). */
static int kept_texts(ls_evidence_t *ev, const ev_ref_t *refs, size_t n)
{
	if (ls_vec_reserve(&ev->texts, n))
		return -1;
	for (size_t i = 0; i < n; i++) {
		const char *p;
		size_t len;
		ls_dataset_post_text(ev->an->ds, refs[i].post, &p, &len);
		ls_ev_text_t t = {refs[i].post, 0, NULL};
		t.text = excerpt(p, len, &t.len);
		if (t.text == NULL)
			return -1;
		ev->texts.v[ev->texts.n++] = t;
	}
	return 0;
}

static int cmp_text(const void *x, const void *y)
{
	const ls_ev_text_t *a = x, *b = y;
	return (a->post > b->post) - (a->post < b->post);
}

uint64_t *ls_evidence_post_bits(const ls_evidence_t *ev)
{
	size_t np = ev->an->ds->posts.n, nw = (np + 63) / 64;
	uint64_t *seen = calloc(nw ? nw : 1, sizeof *seen);
	if (seen == NULL)
		return NULL;
	for (size_t k = 0; k < ev->links.n; k++) {
		const ls_ev_link_t *el = &ev->links.v[k];
		for (uint32_t c = 0; c < el->count; c++) {
			const ls_coact_t *co = &ev->coacts.v[el->first + c];
			if (co->post_a < np)
				seen[co->post_a / 64] |= UINT64_C(1) << (co->post_a % 64);
			if (co->post_b < np)
				seen[co->post_b / 64] |= UINT64_C(1) << (co->post_b % 64);
		}
	}
	return seen;
}

static ls_error_t read_texts(ls_evidence_t *ev, const char *const *reread, ls_ctx_t *ctx)
{
	const ls_dataset_t *ds = ev->an->ds;
	/* the distinct posts, ascending */
	size_t np = ds->posts.n, nw = (np + 63) / 64;
	uint64_t *seen = ls_evidence_post_bits(ev);
	if (seen == NULL)
		return ls_fail(ctx, LS_ENOMEM, "out of memory");
	size_t u = 0;
	for (size_t w = 0; w < nw; w++)
		u += (size_t)__builtin_popcountll(seen[w]);
	ev_ref_t *refs = malloc((u ? u : 1) * sizeof *refs);
	uint32_t *pk = malloc((u ? u : 1) * sizeof *pk);
	if (refs == NULL || pk == NULL) {
		free(seen);
		free(refs);
		free(pk);
		return ls_fail(ctx, LS_ENOMEM, "out of memory");
	}
	u = 0;
	for (size_t w = 0; w < nw; w++)
		for (uint64_t b = seen[w]; b; b &= b - 1)
			pk[u++] = (uint32_t)(w * 64 + (size_t)__builtin_ctzll(b));
	free(seen);
	/* bucket by input, each bucket sorted by line */
	ls_error_t err = LS_OK;
	for (size_t in = 0; in < ev->n_inputs && !err; in++) {
		size_t nb = 0;
		uint32_t first, end;
		ls_dataset_input_posts(ds, in, &first, &end);
		for (size_t i = 0; i < u; i++)
			if (pk[i] >= first && pk[i] < end)
				refs[nb++] = (ev_ref_t){(uint16_t)in, ds->posts.v[pk[i]].line, pk[i]};
		if (nb == 0)
			continue;
		for (size_t i = 1; i < nb; i++) /* already by post = by line within an input */
			if (refs[i].line < refs[i - 1].line) {
				ev_ref_t t = refs[i];
				size_t j = i;
				while (j > 0 && refs[j - 1].line > t.line) {
					refs[j] = refs[j - 1];
					j--;
				}
				refs[j] = t;
			}
		const char *path = reread && reread[in] ? reread[in] : ds->inputs.v[in].path;
		if (path == NULL || strcmp(path, "-") == 0) {
			if (set_note(ev, in, "read from standard input, which cannot be read again"))
				err = ls_fail(ctx, LS_ENOMEM, "out of memory");
			continue;
		}
		if (ls_dataset_texts_kept(ds)) {
			if (kept_texts(ev, refs, nb))
				err = ls_fail(ctx, LS_ENOMEM, "out of memory");
			continue;
		}
		uint32_t *posts = malloc(nb * sizeof *posts);
		if (posts == NULL) {
			err = ls_fail(ctx, LS_ENOMEM, "out of memory");
			break;
		}
		for (size_t i = 0; i < nb; i++)
			posts[i] = refs[i].post;
		err = reread_input(ev, in, path, posts, nb, ctx);
		free(posts);
	}
	free(refs);
	free(pk);
	/* read input by input in line order: sorted by post already unless
	 * the inputs' posts interleave */
	size_t unsorted = 0;
	for (size_t i = 1; i < ev->texts.n && !unsorted; i++)
		unsorted = ev->texts.v[i - 1].post > ev->texts.v[i].post;
	if (!err && unsorted)
		qsort(ev->texts.v, ev->texts.n, sizeof ev->texts.v[0], cmp_text);
	return err;
}

/* ev->links grouped by cluster (ls_evidence_cluster_links): a stable
 * counting sort, so each group is ascending. Group nc holds the links
 * outside clusters, group nc + 1 those inside a cluster that is not
 * reported (none are written). Returns 0, or -1 when out of memory. */
static int group_links(ls_evidence_t *ev)
{
	const ls_analysis_t *an = ev->an;
	size_t nc = an->clusters.n, n = ev->links.n;
	uint32_t maxid = 0;
	for (size_t c = 0; c < nc; c++)
		maxid = an->clusters.v[c].id > maxid ? an->clusters.v[c].id : maxid;
	uint32_t *slot = malloc(((size_t)maxid + 1) * sizeof *slot);
	uint32_t *g = malloc((n ? n : 1) * sizeof *g);
	ev->group = malloc((n ? n : 1) * sizeof *ev->group);
	ev->group_first = calloc(nc + 3, sizeof *ev->group_first);
	if (slot == NULL || g == NULL || ev->group == NULL || ev->group_first == NULL) {
		free(slot);
		free(g);
		return -1;
	}
	for (size_t i = 0; i <= maxid; i++)
		slot[i] = (uint32_t)nc + 1;
	for (size_t c = 0; c < nc; c++)
		slot[an->clusters.v[c].id] = (uint32_t)c;
	size_t *first = ev->group_first;
	for (size_t k = 0; k < n; k++) {
		const ls_link_t *l = &an->links.v[ev->links.v[k].link];
		uint32_t ca = an->cluster ? an->cluster[l->a] : 0, cb = an->cluster ? an->cluster[l->b] : 0;
		g[k] = ca == 0 || ca != cb ? (uint32_t)nc : ca <= maxid ? slot[ca] : (uint32_t)nc + 1;
		first[g[k] + 1]++;
	}
	for (size_t c = 0; c < nc + 2; c++)
		first[c + 1] += first[c];
	/* first[c] is now where group c starts; fill, then shift back */
	for (size_t k = 0; k < n; k++)
		ev->group[first[g[k]]++] = (uint32_t)k;
	for (size_t c = nc + 2; c > 0; c--)
		first[c] = first[c - 1];
	first[0] = 0;
	free(slot);
	free(g);
	return 0;
}

const uint32_t *ls_evidence_cluster_links(const ls_evidence_t *ev, size_t c, size_t *n)
{
	*n = ev->group_first[c + 1] - ev->group_first[c];
	return ev->group + ev->group_first[c];
}

ls_error_t ls_evidence_coacts(ls_evidence_t *ev, const ls_analysis_t *an, ls_ctx_t *ctx)
{
	memset(ev, 0, sizeof *ev);
	ev->an = an;
	ev->n_inputs = an->ds->inputs.n;
	ev->input_note = calloc(ev->n_inputs ? ev->n_inputs : 1, sizeof *ev->input_note);
	if (ev->input_note == NULL)
		return ls_fail(ctx, LS_ENOMEM, "out of memory");
	ls_error_t err = strongest(ev, ctx);
	if (!err && group_links(ev))
		err = ls_fail(ctx, LS_ENOMEM, "out of memory");
	if (err)
		ls_evidence_free(ev);
	return err;
}

ls_error_t ls_evidence_texts(ls_evidence_t *ev, const char *const *reread, ls_ctx_t *ctx)
{
	return read_texts(ev, reread, ctx);
}

ls_error_t ls_evidence_build(ls_evidence_t *ev, const ls_analysis_t *an,
                             const char *const *reread, ls_ctx_t *ctx)
{
	ls_error_t err = ls_evidence_coacts(ev, an, ctx);
	if (!err && (err = ls_evidence_texts(ev, reread, ctx)) != LS_OK)
		ls_evidence_free(ev);
	return err;
}

void ls_evidence_free(ls_evidence_t *ev)
{
	if (ev == NULL)
		return;
	for (size_t i = 0; i < ev->texts.n; i++)
		free(ev->texts.v[i].text);
	for (size_t i = 0; ev->input_note && i < ev->n_inputs; i++)
		free(ev->input_note[i]);
	free(ev->input_note);
	ls_vec_free(&ev->links);
	ls_vec_free(&ev->coacts);
	ls_vec_free(&ev->texts);
	free(ev->group);
	free(ev->group_first);
	ls_kept_free(&ev->kept);
	memset(ev, 0, sizeof *ev);
}

const ls_ev_text_t *ls_evidence_text(const ls_evidence_t *ev, uint32_t post)
{
	size_t lo = 0, hi = ev->texts.n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (ev->texts.v[mid].post < post)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < ev->texts.n && ev->texts.v[lo].post == post ? &ev->texts.v[lo] : NULL;
}

const char *ls_evidence_object(const ls_dataset_t *ds, uint64_t object, char *buf)
{
	const char *label = ls_dataset_object_label(ds, object);
	if (label[0])
		return label;
	static const char hex[] = "0123456789abcdef";
	buf[0] = 'h';
	buf[1] = ':';
	for (int i = 0; i < 16; i++)
		buf[2 + i] = hex[object >> (60 - 4 * i) & 15];
	buf[18] = '\0';
	return buf;
}
