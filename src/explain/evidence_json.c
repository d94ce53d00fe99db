/*
 * evidence.json: the facts behind every reported cluster and every link of
 * a kept account pair, as canonical JSON (jsonw.h: sorted keys, 2-space
 * indent, shortest round-trip reals, no wall-clock time), so that two runs
 * diff cleanly and anyone can check each claim against the inputs.
 *
 *   clusters[]: id, size, component, members (key, handle, posts,
 *     strength), behaviours, internal edges and weight, density, first and
 *     last coordinated activity, pvalue (null without the significance
 *     stage) and links[]: the links of the kept pairs inside the cluster.
 *   links_outside_clusters[]: links of kept pairs not inside one reported
 *     cluster (bridges, pairs of small clusters).
 *   A link: both accounts, behaviour, counts, |Δt| min/mean/max, first and
 *     last co-action, score, expected/pvalue/qvalue (null without the
 *     significance stage) and strongest[]: its LS_EVIDENCE_K closest
 *     co-actions, each with the object (label, or h: + hash), |Δt| and both
 *     posts (reference as in edges.csv, input index, line, time, text
 *     excerpt or null).
 *   excerpts: the bound on excerpt length and, per input, whether its texts
 *     could be re-read (and why not).
 *
 * Time O(accounts + kept links * k); memory O(accounts) for the member
 * lists plus the rendered objects of the distinct evidence posts (~50 MB
 * on the IRA corpus, see post_frags_t).
 */
#define _GNU_SOURCE /* fopencookie */
#include "core/afile.h"
#include "core/ctx.h"
#include "core/parallel.h"
#include "explain/explain.h"
#include "explain/hashout.h"
#include "explain/jsonw.h"
#include "explain/textout.h"

#include <stdio_ext.h>
#include <stdlib.h>
#include <string.h>

#define POST_REF_MAX 512

static void render_post(ls_jw_t *w, const ls_evidence_t *ev, uint32_t post)
{
	const ls_dataset_t *ds = ev->an->ds;
	char ref[POST_REF_MAX];
	const ls_post_row_t *row = &ds->posts.v[post];
	const ls_ev_text_t *t = ls_evidence_text(ev, post);
	ls_jw_obj(w);
	ls_jw_ku64(w, "input", ls_dataset_post_input(ds, post));
	ls_jw_ku64(w, "line", row->line);
	ls_jw_kstr(w, "ref", ls_fmt_post_ref(ds, post, ref, sizeof ref));
	ls_jw_key(w, "text");
	if (t)
		ls_jw_strn(w, t->text, t->len);
	else
		ls_jw_null(w);
	ls_jw_ktime(w, "time", row->time);
	ls_jw_end(w);
}

/* A part's bytes: an ordinary buffered stream (fopencookie) whose 64 KiB
 * buffer is appended to a growing array when full. Cheaper than
 * open_memstream, whose small writes take stdio's slow path. */
typedef LS_VEC(char) part_buf_t;

static ssize_t part_write(void *cookie, const char *b, size_t n)
{
	part_buf_t *pb = cookie;
	if (ls_vec_reserve(pb, n))
		return -1;
	memcpy(pb->v + pb->n, b, n);
	pb->n += n;
	return (ssize_t)n;
}

/* A stream into pb (one writer, a 64 KiB buffer); NULL when out of memory. */
static FILE *part_open(part_buf_t *pb)
{
	FILE *f = fopencookie(pb, "w", (cookie_io_functions_t){NULL, part_write, NULL, NULL});
	if (f != NULL) {
		__fsetlocking(f, FSETLOCKING_BYCALLER);
		setvbuf(f, NULL, _IOFBF, (size_t)64 << 10);
	}
	return f;
}

/*
 * Post objects are most of the file, and a post is in several co-actions
 * (3.1 on average on the IRA corpus). Each distinct post's object is
 * rendered once, as it is written after its key at the depth of the
 * clusters' co-actions (its bytes depend only on the post and that
 * depth), and copied wherever it comes at that depth, with less
 * indentation where it comes shallower (links outside clusters). Same
 * bytes as rendering it in place.
 */
/* w->depth in a cluster's links array (the document, clusters, a cluster,
 * its links), in links_outside_clusters, and of a cluster's co-actions
 * (then a link, its strongest, a co-action) */
#define CLUSTER_LINKS_DEPTH 4
#define OUTSIDE_LINKS_DEPTH 2
#define CLUSTER_COACT_DEPTH (CLUSTER_LINKS_DEPTH + 3)

typedef struct post_frags {
	int depth;          /* w->depth of the co-action objects; 0: no fragments */
	uint64_t *bits;     /* the posts that have a fragment */
	uint32_t *rank;     /* per word of bits: fragments before it */
	uint32_t *post;     /* fragment k's post, ascending */
	size_t *end;        /* fragment k's end in its chunk (while rendering) */
	const char **p;     /* fragment k's bytes: p[k][0 .. n[k]) */
	size_t *n;
	size_t count;
	part_buf_t *chunk;  /* where the fragments are */
	size_t nchunks;
	const ls_evidence_t *ev;
	int failed;
} post_frags_t;

/* Where a post object goes in a part rendered before the texts are read. */
typedef struct hole {
	size_t off;    /* in the part's bytes */
	uint32_t post;
	int depth;     /* w->depth after the post's key */
} hole_t;

typedef LS_VEC(hole_t) holes_t;

/* Writes a fragment rendered `cut` / 2 levels deeper: the same lines with
 * `cut` fewer spaces after each newline (JSON strings hold no raw
 * newline, so every newline is the layout's, followed by the indentation). */
static void put_shallower(FILE *f, const char *p, size_t n, size_t cut)
{
	const char *end = p + n;
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t k = nl ? (size_t)(nl - p) + 1 : (size_t)(end - p);
		fwrite_unlocked(p, 1, k, f);
		p += k;
		if (nl)
			p += cut < (size_t)(end - p) ? cut : (size_t)(end - p);
	}
}

/* The object of `post` after its key: its fragment (at this depth or,
 * for links outside clusters, re-indented), else rendered. */
static void put_post_now(ls_jw_t *w, const ls_evidence_t *ev, const post_frags_t *fr,
                         uint32_t post)
{
	if (fr != NULL && fr->depth && w->depth <= fr->depth && w->after_key &&
	    post < ev->an->ds->posts.n && (fr->bits[post / 64] >> (post % 64) & 1)) {
		uint64_t below = fr->bits[post / 64] & ((UINT64_C(1) << (post % 64)) - 1);
		size_t k = fr->rank[post / 64] + (size_t)__builtin_popcountll(below);
		if (w->depth == fr->depth)
			fwrite_unlocked(fr->p[k], 1, fr->n[k], w->f);
		else
			put_shallower(w->f, fr->p[k], fr->n[k], 2 * (size_t)(fr->depth - w->depth));
		w->after_key = 0;
		return;
	}
	render_post(w, ev, post);
}

/* Renders fragments [lo, hi) into chunk k: each post as after its key,
 * flushed so that the chunk's length is where it ends. */
static void render_frags(void *arg, size_t k, size_t lo, size_t hi)
{
	post_frags_t *fr = arg;
	part_buf_t *pb = &fr->chunk[k];
	FILE *f = part_open(pb);
	if (f == NULL) {
		fr->failed = 1;
		return;
	}
	ls_jw_t w;
	ls_jw_init(&w, f);
	w.depth = fr->depth;
	for (size_t i = lo; i < hi; i++) {
		w.after_key = 1;
		render_post(&w, fr->ev, fr->post[i]);
		if (fflush(f) != 0)
			break;
		fr->end[i] = pb->n;
	}
	if (ferror(f) != 0 || fclose(f) != 0)
		fr->failed = 1;
}

static void frags_free(post_frags_t *fr)
{
	for (size_t k = 0; fr->chunk != NULL && k < fr->nchunks; k++)
		free(fr->chunk[k].v);
	free(fr->chunk);
	free(fr->bits);
	free(fr->rank);
	free(fr->post);
	free(fr->end);
	free(fr->p);
	free(fr->n);
	memset(fr, 0, sizeof *fr);
}

/* The fragments of every post of ev's co-actions at co-action depth
 * `depth`, rendered on `threads` threads. Returns 0, or -1 when out of
 * memory (then fr->depth is 0: posts are rendered in place). */
static int frags_build(post_frags_t *fr, const ls_evidence_t *ev, int depth, int threads)
{
	memset(fr, 0, sizeof *fr);
	fr->ev = ev;
	fr->depth = depth;
	size_t np = ev->an->ds->posts.n, nw = (np + 63) / 64;
	fr->bits = ls_evidence_post_bits(ev);
	fr->rank = malloc((nw ? nw : 1) * sizeof *fr->rank);
	if (fr->bits == NULL || fr->rank == NULL)
		goto fail;
	for (size_t w = 0; w < nw; w++) {
		fr->rank[w] = (uint32_t)fr->count;
		fr->count += (size_t)__builtin_popcountll(fr->bits[w]);
	}
	size_t m = fr->count ? fr->count : 1;
	fr->post = malloc(m * sizeof *fr->post);
	fr->end = malloc(m * sizeof *fr->end);
	fr->p = malloc(m * sizeof *fr->p);
	fr->n = malloc(m * sizeof *fr->n);
	fr->nchunks = threads > 1 ? 4 * (size_t)threads : 1;
	fr->chunk = calloc(fr->nchunks, sizeof *fr->chunk);
	if (fr->post == NULL || fr->end == NULL || fr->p == NULL || fr->n == NULL ||
	    fr->chunk == NULL)
		goto fail;
	size_t i = 0;
	for (size_t w = 0; w < nw; w++)
		for (uint64_t b = fr->bits[w]; b; b &= b - 1)
			fr->post[i++] = (uint32_t)(w * 64 + (size_t)__builtin_ctzll(b));
	ls_parallel_range(threads, fr->count, fr->nchunks, render_frags, fr);
	if (fr->failed)
		goto fail;
	for (size_t k = 0; k < fr->nchunks; k++) {
		size_t lo, hi, at = 0;
		ls_slice(fr->count, fr->nchunks, k, &lo, &hi);
		for (size_t j = lo; j < hi; j++) {
			fr->p[j] = fr->chunk[k].v + at;
			fr->n[j] = fr->end[j] - at;
			at = fr->end[j];
		}
	}
	return 0;
fail:
	frags_free(fr);
	return -1;
}

static void put_stat(ls_jw_t *w, const char *key, int has, double v)
{
	ls_jw_key(w, key);
	if (has)
		ls_jw_real(w, v);
	else
		ls_jw_null(w);
}

typedef struct link_part link_part_t;
static void put_post(ls_jw_t *w, const ls_evidence_t *ev, const post_frags_t *fr,
                     link_part_t *hold, uint32_t post);

static void put_link(ls_jw_t *w, const ls_evidence_t *ev, const post_frags_t *fr,
                     link_part_t *hold, const ls_ev_link_t *el)
{
	const ls_analysis_t *an = ev->an;
	const ls_dataset_t *ds = an->ds;
	const ls_strpool_t *sp = &ds->strings;
	const ls_link_t *l = &an->links.v[el->link];
	char hb[24];
	int hp = an->has_pvalues;
	ls_jw_obj(w);
	ls_jw_kstr(w, "account_a", ls_strpool_get(sp, ds->accounts.v[l->a].key));
	ls_jw_kstr(w, "account_b", ls_strpool_get(sp, ds->accounts.v[l->b].key));
	ls_jw_kstr(w, "behaviour", ls_behaviour_name(l->behaviour));
	ls_jw_ku64(w, "coactions", l->coactions);
	ls_jw_ki64(w, "dt_max", l->dt_max);
	ls_jw_kreal(w, "dt_mean", l->coactions ? l->dt_sum / (double)l->coactions : 0);
	ls_jw_ki64(w, "dt_min", l->dt_min);
	put_stat(w, "expected", hp, l->expected);
	ls_jw_ktime(w, "first_time", l->first_time);
	ls_jw_ktime(w, "last_time", l->last_time);
	ls_jw_ku64(w, "objects", l->objects);
	put_stat(w, "pvalue", hp, l->pvalue);
	put_stat(w, "qvalue", hp, l->qvalue);
	ls_jw_kreal(w, "score", l->score);
	ls_jw_key(w, "strongest");
	ls_jw_arr(w);
	for (uint32_t c = 0; c < el->count; c++) {
		const ls_coact_t *co = &ev->coacts.v[el->first + c];
		int64_t dt = co->time_b - co->time_a;
		ls_jw_obj(w);
		ls_jw_ki64(w, "dt", dt < 0 ? -dt : dt);
		ls_jw_kstr(w, "object", ls_evidence_object(ds, co->object, hb));
		ls_jw_key(w, "post_a");
		put_post(w, ev, fr, hold, co->post_a);
		ls_jw_key(w, "post_b");
		put_post(w, ev, fr, hold, co->post_b);
		ls_jw_end(w);
	}
	ls_jw_end(w);
	ls_jw_end(w);
}

/*
 * The links arrays are most of the file (hundreds of MB on a national
 * corpus), so they are written in batches: each batch is cut into one
 * part per thread, each part is written into memory by a writer that
 * starts from the main writer's state (same depth; "not the first item"
 * when items precede it), and the parts are copied out in order. The
 * bytes are those of writing the links one after the other, whatever the
 * thread count; memory is one batch.
 *
 * Before the texts are read, the pool (write.c) has the links arrays
 * rendered ahead (ls_evidence_json_links): the same parts, with a hole
 * where each post object goes (a post object depends only on the post and
 * its depth). evidence.json then only copies those parts out, filling the
 * holes with the posts' fragments. Memory: the links arrays without their
 * post objects (~100 MB on the IRA corpus) until evidence.json is written.
 */
/* ~7 MB of output on the IRA corpus: the hashing thread (hashout.h) takes
 * one batch while the next one renders */
#define LINK_BATCH 2048

struct link_part {
	const ls_evidence_t *ev;
	const post_frags_t *fr;
	const uint32_t *idx; /* indexes into ev->links */
	size_t n;
	ls_jw_t w;           /* state copied from the main writer */
	int holes;           /* leave holes for the post objects */
	part_buf_t pb;       /* the bytes */
	holes_t hole;
	int failed;
};

typedef struct link_batch {
	link_part_t part[64];
	int nparts;
} link_batch_t;

static void put_post(ls_jw_t *w, const ls_evidence_t *ev, const post_frags_t *fr,
                     link_part_t *hold, uint32_t post)
{
	if (hold == NULL || !hold->holes) {
		put_post_now(w, ev, fr, post);
		return;
	}
	hole_t h = {0, post, w->depth};
	if (fflush(w->f) != 0)
		hold->failed = 1;
	h.off = hold->pb.n;
	if (ls_vec_push(&hold->hole, h))
		hold->failed = 1;
	w->after_key = 0;
}

static void render_part(void *arg, size_t i)
{
	link_part_t *p = &((link_batch_t *)arg)->part[i];
	FILE *f = part_open(&p->pb);
	if (f == NULL) {
		p->failed = 1;
		return;
	}
	p->w.f = f;
	for (size_t k = 0; k < p->n; k++)
		put_link(&p->w, p->ev, p->fr, p, &p->ev->links.v[p->idx[k]]);
	if (ferror(f) != 0)
		p->failed = 1;
	if (fclose(f) != 0)
		p->failed = 1;
}

static void part_free(link_part_t *p)
{
	free(p->pb.v);
	ls_vec_free(&p->hole);
	p->pb.v = NULL;
}

/* Renders the batch ev->links[idx[0..m)] as items of w's open array into
 * b's parts (holes: leave holes for the post objects). */
static void render_batch(link_batch_t *b, const ls_jw_t *w, const ls_evidence_t *ev,
                         const post_frags_t *fr, int holes, const uint32_t *idx, size_t m,
                         int threads)
{
	int d = w->depth <= LS_JW_MAX_DEPTH ? w->depth : LS_JW_MAX_DEPTH;
	size_t per = (m + (size_t)threads - 1) / (size_t)threads;
	b->nparts = 0;
	for (size_t o = 0; o < m; o += per) {
		link_part_t *p = &b->part[b->nparts++];
		*p = (link_part_t){.ev = ev, .fr = fr, .idx = idx + o, .n = m - o < per ? m - o : per,
		                   .holes = holes};
		p->w = *w;
		p->w.count[d - 1] += o; /* items before this part */
	}
	ls_parallel_for(threads, (size_t)b->nparts, render_part, b);
}

/* Copies part p out to f, its holes filled. */
static void emit_part(FILE *f, const link_part_t *p, const ls_evidence_t *ev,
                      const post_frags_t *fr)
{
	size_t at = 0;
	for (size_t i = 0; i < p->hole.n; i++) {
		const hole_t *h = &p->hole.v[i];
		fwrite_unlocked(p->pb.v + at, 1, h->off - at, f);
		ls_jw_t w;
		ls_jw_init(&w, f);
		w.depth = h->depth;
		w.after_key = 1;
		put_post_now(&w, ev, fr, h->post);
		at = h->off;
	}
	fwrite_unlocked(p->pb.v + at, 1, p->pb.n - at, f);
}

/* The links arrays rendered ahead, one per put_links call in the order
 * evidence.json makes them. */
typedef struct pre_call {
	int depth;          /* the writer's depth in the open array */
	size_t nlinks;
	link_part_t *part;
	size_t nparts;
} pre_call_t;

struct ls_ev_json_links {
	pre_call_t *call;
	size_t ncalls, next; /* next: the call evidence.json is at */
};

/* Writes the links ev->links[idx[0..n)] as items of the open array: from
 * pre when it has them (its next call, at this depth), else rendered. */
static ls_error_t put_links(ls_jw_t *w, const ls_evidence_t *ev, const post_frags_t *fr,
                            ls_ev_json_links_t *pre, const uint32_t *idx, size_t n, int threads,
                            ls_ctx_t *ctx)
{
	int d = w->depth <= LS_JW_MAX_DEPTH ? w->depth : LS_JW_MAX_DEPTH;
	if (pre != NULL && pre->next < pre->ncalls) {
		pre_call_t *c = &pre->call[pre->next++];
		if (c->depth == w->depth && c->nlinks == n) {
			for (size_t i = 0; i < c->nparts; i++) {
				emit_part(w->f, &c->part[i], ev, fr);
				part_free(&c->part[i]);
			}
			w->count[d - 1] += n;
			return LS_OK;
		}
	}
	if (threads <= 1 || n < 8) {
		for (size_t k = 0; k < n; k++)
			put_link(w, ev, fr, NULL, &ev->links.v[idx[k]]);
		return LS_OK;
	}
	if (threads > 64)
		threads = 64;
	link_batch_t b;
	ls_error_t err = LS_OK;
	for (size_t s = 0; s < n && !err; s += LINK_BATCH) {
		size_t m = n - s < LINK_BATCH ? n - s : LINK_BATCH;
		render_batch(&b, w, ev, fr, 0, idx + s, m, threads);
		for (int i = 0; i < b.nparts; i++) {
			link_part_t *p = &b.part[i];
			if (p->failed)
				err = ls_fail(ctx, LS_ENOMEM, "out of memory writing evidence.json");
			else
				fwrite(p->pb.v, 1, p->pb.n, w->f);
			part_free(p);
		}
		w->count[d - 1] += m;
	}
	return err;
}

void ls_evidence_json_links_free(ls_ev_json_links_t *pre)
{
	if (pre == NULL)
		return;
	for (size_t c = 0; c < pre->ncalls; c++) {
		for (size_t i = 0; i < pre->call[c].nparts; i++)
			part_free(&pre->call[c].part[i]);
		free(pre->call[c].part);
	}
	free(pre->call);
	free(pre);
}

ls_ev_json_links_t *ls_evidence_json_links(const ls_evidence_t *ev, int threads)
{
	const ls_analysis_t *an = ev->an;
	size_t nc = an->clusters.n;
	threads = threads < 1 ? 1 : threads > 64 ? 64 : threads;
	ls_ev_json_links_t *pre = calloc(1, sizeof *pre);
	if (pre == NULL || (pre->call = calloc(nc + 1, sizeof *pre->call)) == NULL) {
		free(pre);
		return NULL;
	}
	int failed = 0;
	link_batch_t b;
	for (size_t c = 0; c <= nc && !failed; c++) {
		pre_call_t *pc = &pre->call[pre->ncalls++];
		size_t n;
		const uint32_t *idx = ls_evidence_cluster_links(ev, c, &n);
		pc->depth = c < nc ? CLUSTER_LINKS_DEPTH : OUTSIDE_LINKS_DEPTH;
		pc->nlinks = n;
		pc->part = calloc((n + LINK_BATCH - 1) / LINK_BATCH * (size_t)threads + 1,
		                  sizeof *pc->part);
		if (pc->part == NULL) {
			failed = 1;
			break;
		}
		ls_jw_t w;
		ls_jw_init(&w, NULL);
		w.depth = pc->depth;
		for (size_t s = 0; s < n; s += LINK_BATCH) {
			size_t m = n - s < LINK_BATCH ? n - s : LINK_BATCH;
			w.count[pc->depth - 1] = s;
			render_batch(&b, &w, ev, NULL, 1, idx + s, m, threads);
			for (int i = 0; i < b.nparts; i++) {
				failed |= b.part[i].failed;
				pc->part[pc->nparts++] = b.part[i];
			}
		}
	}
	if (failed) {
		ls_evidence_json_links_free(pre);
		return NULL;
	}
	return pre;
}

static void put_behaviours(ls_jw_t *w, uint32_t mask)
{
	ls_jw_arr(w);
	for (uint32_t i = 0; i < 32; i++)
		if (mask >> i & 1u)
			ls_jw_str(w, ls_behaviour_name(i));
	ls_jw_end(w);
}

ls_error_t ls_write_evidence_json(const ls_explain_t *ex, const char *path, ls_ctx_t *ctx)
{
	const ls_analysis_t *an = ex->an;
	const ls_evidence_t *ev = ex->ev;
	const ls_dataset_t *ds = an->ds;
	const ls_strpool_t *sp = &ds->strings;
	size_t na = ds->accounts.n, nc = an->clusters.n;
	int threads = ls_ctx_threads(ctx);
	ls_afile_t af;
	ls_error_t err = ls_afile_open(&af, path, ctx);
	if (err)
		return err;
	/* evidence.json is the largest output: hashed while written when the
	 * caller wants the hash */
	ls_hashout_t *ho = NULL;
	FILE *f = af.f;
	if (ex->out_sha != NULL && (f = ls_hashout_open(af.f, &ho)) == NULL) {
		ls_afile_abort(&af);
		return ls_fail(ctx, LS_ENOMEM, "out of memory");
	}
	/* out of memory: the posts are rendered in place */
	post_frags_t fr;
	if (nc > 0 && ev->links.n > 0)
		(void)frags_build(&fr, ev, CLUSTER_COACT_DEPTH, threads);
	else
		memset(&fr, 0, sizeof fr);
	ls_jw_t w;
	ls_jw_init(&w, f);
	ls_jw_obj(&w);
	ls_jw_key(&w, "clusters");
	ls_jw_arr(&w);
	for (size_t c = 0; c < nc; c++) {
		const ls_cluster_t *cl = &an->clusters.v[c];
		uint32_t id = cl->id;
		double pairs = (double)cl->size * ((double)cl->size - 1) / 2;
		ls_jw_obj(&w);
		ls_jw_key(&w, "behaviours");
		put_behaviours(&w, cl->behaviours);
		ls_jw_ku64(&w, "component", cl->component);
		ls_jw_kreal(&w, "density", pairs > 0 ? (double)cl->internal_edges / pairs : 0);
		if (cl->internal_edges)
			ls_jw_ktime(&w, "first_time", cl->first_time);
		else
			ls_jw_knull(&w, "first_time");
		ls_jw_ku64(&w, "id", id);
		ls_jw_ku64(&w, "internal_edges", cl->internal_edges);
		ls_jw_kreal(&w, "internal_weight", cl->internal_weight);
		if (cl->internal_edges)
			ls_jw_ktime(&w, "last_time", cl->last_time);
		else
			ls_jw_knull(&w, "last_time");
		ls_jw_key(&w, "links");
		ls_jw_arr(&w);
		size_t ni;
		const uint32_t *idx = ls_evidence_cluster_links(ev, c, &ni);
		if (!err)
			err = put_links(&w, ev, &fr, ex->pre_links, idx, ni, threads, ctx);
		ls_jw_end(&w);
		ls_jw_key(&w, "members");
		ls_jw_arr(&w);
		for (size_t a = 0; a < na; a++) {
			if (an->cluster[a] != id)
				continue;
			const ls_account_t *acc = &ds->accounts.v[a];
			ls_jw_obj(&w);
			ls_jw_kstr(&w, "account", ls_strpool_get(sp, acc->key));
			ls_jw_key(&w, "handle");
			if (ls_strpool_len(sp, acc->handle))
				ls_jw_strn(&w, ls_strpool_get(sp, acc->handle), ls_strpool_len(sp, acc->handle));
			else
				ls_jw_null(&w);
			ls_jw_ku64(&w, "posts", acc->posts);
			ls_jw_kreal(&w, "strength", an->strength ? an->strength[a] : 0);
			ls_jw_end(&w);
		}
		ls_jw_end(&w);
		put_stat(&w, "pvalue", an->has_pvalues, cl->pvalue);
		ls_jw_ku64(&w, "size", cl->size);
		ls_jw_end(&w);
	}
	ls_jw_end(&w);
	ls_jw_key(&w, "excerpts");
	ls_jw_obj(&w);
	ls_jw_key(&w, "inputs");
	ls_jw_arr(&w);
	for (size_t i = 0; i < ev->n_inputs; i++) {
		ls_jw_obj(&w);
		ls_jw_ku64(&w, "input", i);
		ls_jw_key(&w, "note");
		if (ev->input_note[i])
			ls_jw_str(&w, ev->input_note[i]);
		else
			ls_jw_null(&w);
		ls_jw_kstr(&w, "path", ds->inputs.v[i].path ? ds->inputs.v[i].path : "");
		ls_jw_end(&w);
	}
	ls_jw_end(&w);
	ls_jw_ku64(&w, "max_bytes", LS_EXCERPT_MAX);
	ls_jw_end(&w);
	ls_jw_kstr(&w, "format", "lockstep-evidence-1");
	ls_jw_key(&w, "links_outside_clusters");
	ls_jw_arr(&w);
	size_t ni;
	const uint32_t *idx = ls_evidence_cluster_links(ev, nc, &ni);
	if (!err)
		err = put_links(&w, ev, &fr, ex->pre_links, idx, ni, threads, ctx);
	frags_free(&fr);
	ls_jw_end(&w);
	ls_jw_kstr(&w, "lockstep_version", LS_VERSION_STRING);
	ls_jw_ku64(&w, "strongest_per_link", LS_EVIDENCE_K);
	ls_jw_kbool(&w, "with_pvalues", an->has_pvalues);
	ls_jw_end(&w);
	ls_jw_finish(&w);
	if (ho != NULL) {
		if (ls_hashout_close(ho, f, ex->out_sha, ex->out_bytes) != 0 && !err)
			err = ls_fail(ctx, LS_EIO, "%s: write failed", path);
		*ex->out_hashed = 1;
	}
	if (err) {
		ls_afile_abort(&af);
		return err;
	}
	return ls_afile_commit(&af, ctx);
}
