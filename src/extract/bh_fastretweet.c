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
 * The pass finds the originals once per object: an object label
 * "id:<post id>" whose id is a post's (ids are interned in ds->strings; a
 * sid -> post index map is built once) gives object -> original, taken
 * from the label table or from the co-retweet traces, whichever is
 * smaller. Then it walks the co-retweet traces with an original (none at
 * all when no original is in the data) and keeps the retweets with
 * 0 <= lag <= L. Their object is the same key "id:<post id>" hashed with
 * this behaviour's seed, so two fast retweets of one post meet. Formats
 * without retweeted ids (FiveThirtyEight IRA, GOP debate) yield nothing.
 *
 * Time O(posts + objects + retweets); memory 4 bytes per interned string
 * plus 12-48 bytes per original found, freed at the end.
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

/* The post whose id the object label `lsid` ("id:<id>") names, or LS_NONE. */
static uint32_t original(const ls_dataset_t *ds, const uint32_t *post_of, size_t ns, ls_sid_t lsid)
{
	const char *label = ls_strpool_get(&ds->strings, lsid);
	size_t len = ls_strpool_len(&ds->strings, lsid);
	if (len <= 3 || memcmp(label, "id:", 3) != 0)
		return LS_NONE;
	ls_sid_t osid = ls_strpool_find(&ds->strings, label + 3, len - 3);
	return osid == 0 || osid >= ns ? LS_NONE : post_of[osid];
}

/* The label table's originals, found in parallel slices of its slots:
 * each slice lists (object, post) for the labels that name a post. */
typedef struct found {
	uint64_t object;
	uint32_t post;
} found_t;

typedef struct label_job {
	const ls_dataset_t *ds;
	const uint32_t *post_of;
	size_t ns;
	LS_VEC(found_t) * out; /* per slice */
	int oom;
} label_job_t;

static void label_task(void *arg, size_t k, size_t lo, size_t hi)
{
	label_job_t *lj = arg;
	const ls_u64map_t *labels = &lj->ds->labels;
	for (size_t i = lo; i < hi; i++) {
		uint64_t object = labels->keys[i];
		if (object == LS_U64MAP_EMPTY)
			continue;
		uint32_t post = original(lj->ds, lj->post_of, lj->ns, labels->vals[i]);
		if (post != LS_NONE && ls_vec_push(&lj->out[k], ((found_t){object, post})))
			lj->oom = 1;
	}
}

ls_error_t ls_extract_fastretweet(ls_dataset_t *ds, ls_ctx_t *ctx)
{
	ds->traces[LS_BH_FASTRETWEET].n = 0;
	size_t nt = ds->traces[LS_BH_CORETWEET].n;
	if (nt == 0)
		return LS_OK;
	size_t ns = ds->strings.count + 1;
	uint32_t *post_of = malloc(ns * sizeof *post_of);
	if (post_of == NULL)
		return ls_fail(ctx, LS_ENOMEM, "out of memory matching retweets to originals");
	for (size_t i = 0; i < ns; i++)
		post_of[i] = LS_NONE;
	for (size_t i = 0; i < ds->posts.n; i++) {
		ls_sid_t id = ds->posts.v[i].id;
		if (id && post_of[id] == LS_NONE)
			post_of[id] = (uint32_t)i; /* a repeated id: the first post */
	}
	/* The originals, by object (LS_NONE: none in the data), resolved once
	 * per object: from the label table when it is the smaller (every
	 * "id:" label; data that retweets only posts outside it then needs no
	 * per-retweet look-up at all), else from the co-retweet traces. */
	ls_u64map_t orig;
	ls_u64map_init(&orig);
	ls_error_t err = LS_OK;
	size_t found = 0;
	const ls_u64map_t *labels = &ds->labels;
	int by_label = labels->count <= nt;
	if (by_label) {
		/* the look-ups (a miss in the string table each) on the threads,
		 * the inserts in slice order */
		int threads = ls_ctx_threads(ctx);
		size_t ntasks = 8 * (size_t)threads;
		label_job_t lj = {ds, post_of, ns, calloc(ntasks, sizeof *lj.out), 0};
		if (lj.out == NULL)
			err = ls_fail(ctx, LS_ENOMEM, "out of memory matching retweets to originals");
		else
			ls_parallel_range(threads, labels->nslots, ntasks, label_task, &lj);
		if (lj.oom)
			err = ls_fail(ctx, LS_ENOMEM, "out of memory matching retweets to originals");
		for (size_t k = 0; lj.out && k < ntasks; k++) {
			for (size_t i = 0; i < lj.out[k].n && err == LS_OK; i++) {
				uint32_t *slot;
				int inserted;
				found++;
				if (ls_u64map_upsert(&orig, lj.out[k].v[i].object, lj.out[k].v[i].post, &slot,
				                     &inserted))
					err = ls_fail(ctx, LS_ENOMEM,
					              "out of memory matching retweets to originals");
			}
			ls_vec_free(&lj.out[k]);
		}
		free(lj.out);
	}
	for (size_t i = 0; !by_label && i < nt && err == LS_OK; i++) {
		uint64_t object = ds->traces[LS_BH_CORETWEET].v[i].object;
		uint32_t lsid, *slot;
		int inserted;
		if (!ls_u64map_get(labels, object, &lsid) || ls_u64map_get(&orig, object, &lsid))
			continue;
		uint32_t post = original(ds, post_of, ns, lsid);
		found += post != LS_NONE;
		if (ls_u64map_upsert(&orig, object, post, &slot, &inserted))
			err = ls_fail(ctx, LS_ENOMEM, "out of memory matching retweets to originals");
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
	ls_u64map_destroy(&orig);
	free(post_of);
	return err;
}
