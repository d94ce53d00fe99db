/*
 * Fast retweet: accounts that retweet the same post within
 * --fast-retweet L seconds (default 10) of its publication. Amplification
 * networks and automated accounts retweet a seed account's post within
 * seconds; people who read their timeline rarely all do.
 *
 * The lag is only known when the original post is in the data (matched by
 * id), and it may come later in the input than its retweets, so this
 * behaviour is completed by a pass after reading (ls_extract_fastretweet,
 * run once by ls_dataset_derive from ls_analysis_run). The table row gives
 * the behaviour its name, bit and description; its extract() emits
 * nothing.
 *
 * The pass finds the originals once per object: the objects whose label
 * "id:<post id>" names a post id are taken from the label table or from
 * the co-retweet traces, whichever is smaller; one sweep of the post rows
 * (in parallel slices) finds the first post with each named id, compared
 * by their codes (numbers, or sids of the interned ids), so object ->
 * original. Then it walks the co-retweet traces with an original (none at
 * all when no original is in the data) and keeps the retweets with
 * 0 <= lag <= L. Their object is the same key "id:<post id>" hashed with
 * this behaviour's seed, so two fast retweets of one post meet. Formats
 * without retweeted ids (FiveThirtyEight IRA, GOP debate) yield nothing.
 *
 * Time O(posts + objects + retweets); memory 16-64 bytes per object whose
 * label names a post id, freed at the end.
 */
#include "core/ctx.h"
#include "core/parallel.h"
#include "extract/behaviour.h"
#include "extract/derived.h"

#include <stdlib.h>
#include <string.h>

static int extract(const ls_post_t *p, const ls_extract_env_t *env, ls_emit_fn emit, void *user)
{
	(void)p;
	(void)env;
	(void)emit;
	(void)user;
	return 0; /* completed after reading: ls_extract_fastretweet */
}

const ls_behaviour_def_t ls_bh_fastretweet = {
	"fastretweet", "retweeting the same post within --fast-retweet seconds of the original", extract,
};

/* The post id code (ls_dataset_id_code) that the object label `lsid`
 * ("id:<id>") names, or 0: not a post id, or one no post has. */
static uint64_t label_code(const ls_dataset_t *ds, ls_sid_t lsid)
{
	const char *label = ls_strpool_get(&ds->strings, lsid);
	size_t len = ls_strpool_len(&ds->strings, lsid);
	if (len <= 3 || memcmp(label, "id:", 3) != 0)
		return 0;
	return ls_dataset_id_code(ds, label + 3, len - 3);
}

/* An object whose label names a post id: (object, the id's code). */
typedef struct named {
	uint64_t object, code;
} named_t;

typedef LS_VEC(named_t) named_vec_t;
typedef LS_VEC(uint32_t) post_vec_t;

/* Slices of the label table (objects named by their labels) or of the
 * posts (those whose id is wanted), done in parallel, listed per slice. */
typedef struct job {
	const ls_dataset_t *ds;
	const ls_u64map_t *want; /* code -> LS_NONE: the named ids */
	named_vec_t *named;      /* per slice (label_task) */
	post_vec_t *posts;       /* per slice (post_task) */
	int oom;
} job_t;

static void label_task(void *arg, size_t k, size_t lo, size_t hi)
{
	job_t *j = arg;
	const ls_u64map_t *labels = &j->ds->labels;
	for (size_t i = lo; i < hi; i++) {
		uint64_t object = labels->keys[i];
		if (object == LS_U64MAP_EMPTY)
			continue;
		uint64_t code = label_code(j->ds, labels->vals[i]);
		if (code && ls_vec_push(&j->named[k], ((named_t){object, code})))
			j->oom = 1;
	}
}

static void post_task(void *arg, size_t k, size_t lo, size_t hi)
{
	job_t *j = arg;
	uint32_t v;
	for (size_t i = lo; i < hi; i++) {
		uint64_t code = j->ds->posts.v[i].id;
		if (code && ls_u64map_get(j->want, code, &v) && ls_vec_push(&j->posts[k], (uint32_t)i))
			j->oom = 1;
	}
}

ls_error_t ls_extract_fastretweet(ls_dataset_t *ds, ls_ctx_t *ctx)
{
	ds->traces[LS_BH_FASTRETWEET].n = 0;
	size_t nt = ds->traces[LS_BH_CORETWEET].n;
	if (nt == 0)
		return LS_OK;
	int threads = ls_ctx_threads(ctx);
	size_t ntasks = 8 * (size_t)threads;
	const ls_u64map_t *labels = &ds->labels;
	ls_u64map_t want, orig, seen;
	ls_u64map_init(&want);
	ls_u64map_init(&orig);
	ls_u64map_init(&seen);
	named_vec_t named = {0};
	job_t job = {ds, &want, calloc(ntasks, sizeof *job.named), calloc(ntasks, sizeof *job.posts),
	             0};
	ls_error_t err = LS_OK;
	size_t found = 0;
	/* labels are looked up in the pool on the threads: its index must be
	 * there first (a later derive may find it dropped) */
	if (job.named == NULL || job.posts == NULL || ls_strpool_reindex(&ds->strings))
		goto oom;
	/* 1. The objects whose labels name a post id: from the label table
	 * when it is the smaller (data that retweets only posts outside it
	 * then needs no per-retweet look-up at all), else from the co-retweet
	 * traces' distinct objects. */
	if (labels->count <= nt) {
		ls_parallel_range(threads, labels->nslots, ntasks, label_task, &job);
		for (size_t k = 0; k < ntasks && !job.oom; k++)
			for (size_t i = 0; i < job.named[k].n; i++)
				if (ls_vec_push(&named, job.named[k].v[i]))
					goto oom;
	} else {
		for (size_t i = 0; i < nt; i++) {
			uint64_t object = ds->traces[LS_BH_CORETWEET].v[i].object;
			uint32_t lsid, *slot;
			int inserted;
			if (!ls_u64map_get(labels, object, &lsid))
				continue;
			if (ls_u64map_upsert(&seen, object, 0, &slot, &inserted))
				goto oom;
			uint64_t code = inserted ? label_code(ds, lsid) : 0;
			if (code && ls_vec_push(&named, ((named_t){object, code})))
				goto oom;
		}
	}
	if (job.oom)
		goto oom;
	/* 2. The first post with each named id (a repeated id: the first). */
	for (size_t i = 0; i < named.n; i++) {
		uint32_t *slot;
		int inserted;
		if (ls_u64map_upsert(&want, named.v[i].code, LS_NONE, &slot, &inserted))
			goto oom;
	}
	if (want.count > 0) {
		ls_parallel_range(threads, ds->posts.n, ntasks, post_task, &job);
		if (job.oom)
			goto oom;
		for (size_t k = 0; k < ntasks; k++)
			for (size_t i = 0; i < job.posts[k].n; i++) {
				uint32_t post = job.posts[k].v[i], *slot;
				int inserted;
				if (ls_u64map_upsert(&want, ds->posts.v[post].id, LS_NONE, &slot, &inserted))
					goto oom;
				if (*slot == LS_NONE)
					*slot = post;
			}
	}
	/* 3. object -> its original */
	for (size_t i = 0; i < named.n; i++) {
		uint32_t post, *slot;
		int inserted;
		if (!ls_u64map_get(&want, named.v[i].code, &post) || post == LS_NONE)
			continue;
		found++;
		if (ls_u64map_upsert(&orig, named.v[i].object, post, &slot, &inserted))
			goto oom;
	}
	int64_t lmax = ds->opt.fast_retweet;
	for (size_t i = 0; i < nt && found > 0 && err == LS_OK; i++) {
		/* traces may move when we append to another behaviour: copy */
		ls_trace_t t = ds->traces[LS_BH_CORETWEET].v[i];
		uint32_t post, lsid;
		if (!ls_u64map_get(&orig, t.object, &post) || post == LS_NONE ||
		    !ls_u64map_get(&ds->labels, t.object, &lsid))
			continue;
		int64_t lag = t.time - ds->posts.v[post].time;
		if (lag < 0 || lag > lmax)
			continue;
		/* the label string is in the pool already: interning finds it */
		if (ls_dataset_add_trace(ds, LS_BH_FASTRETWEET, ls_strpool_get(&ds->strings, lsid),
		                         ls_strpool_len(&ds->strings, lsid), 1, t.account, t.post,
		                         t.time))
			err = ls_fail(ctx, LS_ENOMEM, "out of memory storing fast-retweet traces");
	}
	goto done;
oom:
	err = ls_fail(ctx, LS_ENOMEM, "out of memory matching retweets to originals");
done:
	for (size_t k = 0; k < ntasks; k++) {
		if (job.named)
			ls_vec_free(&job.named[k]);
		if (job.posts)
			ls_vec_free(&job.posts[k]);
	}
	free(job.named);
	free(job.posts);
	ls_vec_free(&named);
	ls_u64map_destroy(&want);
	ls_u64map_destroy(&orig);
	ls_u64map_destroy(&seen);
	return err;
}
