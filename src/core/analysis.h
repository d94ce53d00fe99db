/*
 * The result of link -> score -> cluster, read by the explain stage.
 *
 * links: one record per (account pair, behaviour), a < b, sorted by
 *   (a, b, behaviour). It keeps what later stages need to test and explain
 *   the link: co-action count, distinct objects, the Δt distribution, the
 *   first and last co-action, and the closest co-action's two posts.
 * pairs: one record per account pair over all behaviours (the fused
 *   network), sorted by (a, b); `kept` marks the pairs clustered.
 */
#ifndef LS_CORE_ANALYSIS_H
#define LS_CORE_ANALYSIS_H

#include "lockstep.h"
#include "core/dataset.h"

typedef struct ls_link {
	uint32_t a, b;            /* account indexes, a < b */
	uint32_t behaviour;       /* index into the behaviour table */
	uint32_t objects;         /* distinct objects acted on by both in window */
	uint32_t events;          /* distinct post pairs behind the co-actions */
	uint32_t new_events;      /* ... not already behind an earlier behaviour's link */
	uint64_t coactions;       /* within-window post pairs */
	int64_t dt_min, dt_max;   /* |Δt| over the co-actions, seconds */
	double dt_sum;            /* Σ|Δt|: mean = dt_sum / coactions */
	int64_t first_time;       /* earlier post time of the first co-action */
	int64_t last_time;        /* later post time of the last co-action */
	uint32_t ex_post_a;       /* closest co-action: a's post (dataset index) */
	uint32_t ex_post_b;       /* ... and b's post */
	uint64_t ex_object;       /* ... and the object */
	double score;             /* score stage: link weight used downstream */
	double expected;          /* score stage: expected co-actions under the null */
	double pvalue;            /* score stage: P(>= observed | null); 1 if untested */
	double qvalue;            /* score stage: BH-adjusted p-value */
} ls_link_t;

/* What the score stage needs of a link (the link stage's first pass): 32
 * bytes instead of sizeof(ls_link_t). Same order as the links. */
typedef struct ls_lean_link {
	uint32_t a, b;
	uint32_t behaviour;
	uint32_t objects;
	uint32_t events;
	uint32_t new_events;
	double expected;          /* score stage */
} ls_lean_link_t;

/* Two passes over the links only when the full records would take at least
 * this much memory: below it the second pass costs more than it saves. */
#define LS_LEAN_MIN_BYTES ((size_t)256 << 20)

typedef struct ls_pair {
	uint32_t a, b;
	uint32_t behaviours;      /* bit mask */
	uint32_t objects;         /* Σ distinct objects over behaviours */
	uint32_t events;          /* fused count: Σ min(objects, new post pairs) */
	uint64_t coactions;
	double weight;            /* edge weight in the clustered network */
	double expected;          /* Σ expected co-actions over its behaviours */
	double pvalue;            /* fused p-value over the pair's behaviours */
	double qvalue;            /* BH-adjusted */
	int kept;
} ls_pair_t;

typedef struct ls_cluster {
	uint32_t id;              /* 1-based, by size desc then first account */
	uint32_t size;
	uint32_t component;       /* component id (1-based) it lies in */
	uint64_t internal_edges;
	double internal_weight;
	uint32_t behaviours;      /* mask of behaviours on internal edges */
	int64_t first_time, last_time;
	double pvalue;            /* cluster-level statistic (score stage), 1 if none */
	uint64_t observed;        /* Σ objects of linked member pairs */
	double expected;          /* Σ expected co-actions over all member pairs */
	double significance;      /* -log10 pvalue, capped at 1000 */
} ls_cluster_t;

/* The link stage's sorted traces (ls_sorted_traces, then ls_link_window),
 * every linked behaviour's one after another, kept for the evidence sweep
 * so it need not sort again. A cache: released (t = NULL) once the
 * evidence is built; without it the evidence sorts as before. */
typedef struct ls_sorted_cache {
	ls_trace_t *t;
	size_t lo[LS_MAX_BEHAVIOURS], n[LS_MAX_BEHAVIOURS]; /* behaviour b: t[lo..lo+n) */
	int64_t window[LS_MAX_BEHAVIOURS];                 /* its window (ls_link_window) */
	uint32_t have;                                     /* bits: the behaviours in t */
} ls_sorted_cache_t;

struct ls_analysis {
	const ls_dataset_t *ds;
	ls_params_t params;
	/* links: every link (ls_link_run alone, or --all-links), or after the
	 * score stage of ls_analysis_run only the links of pairs whose two
	 * accounts are flagged (the only ones kept, clustered or explained) */
	LS_VEC(ls_link_t) links;
	int lean_first;           /* link stage: stream the links to the score stage ... */
	size_t lean_min_bytes;    /* ... when the full links would take at least this, */
	size_t group_records;     /* ... in groups of this many co-actions at most (0: 512 MB) */
	struct ls_link_stream *stream; /* link stage: the stream, until the score stage ran it */
	size_t links_total;       /* links found, all behaviours */
	LS_VEC(ls_pair_t) pairs;
	uint32_t *component;      /* per account: 1-based component id, 0 = none */
	uint32_t *cluster;        /* per account: 1-based cluster id, 0 = none */
	uint32_t *degree;         /* per account: kept pairs touching it */
	double *strength;         /* per account: Σ weight of kept pairs */
	LS_VEC(ls_cluster_t) clusters;
	uint32_t n_components;
	uint64_t coactions;
	uint64_t burst_skipped;   /* co-actions skipped by the max_burst guard */
	int has_pvalues;          /* the score stage filled expected/pvalue/qvalue */
	/* link stage: within-window trace pairs (co-action opportunities, same
	 * account included) by behaviour, UTC hour of day of the earlier trace
	 * and hours from it to the later one: the slot structure the null model
	 * conditions on */
	double slot_pairs[LS_MAX_BEHAVIOURS][24][24];
	uint64_t tested_pairs;    /* score stage: m of the fused BH procedure */
	/* score stage, per account: Simes combination of its pairs' p-values
	 * (NULL until scored), its BH q-value across accounts, and whether it
	 * is flagged (q <= fdr) */
	double *account_p;
	double *account_q;
	double *account_score;    /* -log10 account_p, capped at 1000 */
	unsigned char *flagged;
	int64_t *shift;           /* placebo offset per account (NULL: none) */
	uint64_t tested_accounts; /* m of the account-level BH procedure */
	/* behaviours (bits) linked at object level on one incidence per
	 * (account, object), window ignored, and scored by the ads null
	 * (score/null_ads.h); 0 for posts: the hour null scores everything */
	uint32_t ads_null;
	ls_sorted_cache_t *sorted; /* link stage; NULL or released: none */
};

/* Frees the sorted-trace cache's traces (an->sorted->t); the analysis is
 * otherwise unchanged, so it stays usable through a const pointer. */
void ls_analysis_release_sorted(const ls_analysis_t *an);

/* Time of a trace in this analysis (with the placebo shift, if any). */
static inline int64_t ls_trace_time(const ls_analysis_t *an, const ls_trace_t *t)
{
	return an->shift ? t->time + an->shift[t->account] : t->time;
}

/* Is time t inside the analysed period (--since/--until)? */
static inline int ls_in_period(const ls_params_t *p, int64_t t)
{
	return (!p->has_since || t >= p->since) && (!p->has_until || t < p->until);
}

/* Link stage (src/link/link.c): a malloc'd copy of behaviour traces inside
 * the analysed period, sorted by (object, time); NULL when out of memory. */
ls_trace_t *ls_sorted_traces(const ls_analysis_t *an, const ls_trace_t *all, size_t nall,
                             size_t *nout);

/* Link stage (src/link/incidence.c): compacts traces sorted by (object,
 * time) in place to one per (account, object), the earliest, keeping the
 * order; returns the new count. Sets *oom (and changes nothing) when out of
 * memory. Used for the behaviours scored by the ads null. */
size_t ls_incidences(ls_trace_t *t, size_t n, size_t accounts, int *oom);

/* Link stage: how behaviour b's sorted traces t[0..*n) are paired, shared
 * by the link stage and the evidence sweep. For a behaviour scored by the
 * ads null, compacts them to incidences (*n shrinks) and sets an unbounded
 * *window; else *window = params.window. Returns 0, or -1 when out of
 * memory. */
int ls_link_window(const ls_analysis_t *an, uint32_t b, ls_trace_t *t, size_t *n, int64_t *window);

/* Link stage, second pass (src/link/link.c): the full records of the links
 * of every account pair whose two accounts have keep[a] set (keep NULL: all)
 * into an->links, from the sorted traces of the first pass (sorted again
 * when they were not kept). The score fields are left 0. */
ls_error_t ls_link_detail(ls_analysis_t *an, const unsigned char *keep, ls_ctx_t *ctx);

/* A stream of links (src/link/link.c): when the full links would take
 * at least an->lean_min_bytes (and not --all-links), ls_link_run stops after
 * counting the co-actions and leaves the stream in an->stream; the score
 * stage runs it, taking every partition's lean links, sorted by (a, b,
 * behaviour), from `part`, called on worker `worker` (0 .. threads - 1) in
 * parallel, partitions in any order; `part` may change the links (they are
 * the worker's buffer) and returns 0, or -1 when out of memory; `group`
 * follows each group of partitions. A pair's
 * links lie in one partition; partitions in order give every link sorted. */
typedef struct ls_link_stream ls_link_stream_t;
typedef struct ls_link_sink {
	void *arg;
	int (*part)(void *arg, int worker, size_t part, ls_lean_link_t *links, size_t n);
	/* after partitions [k0, k1) (a group) were all taken, on one thread */
	int (*group)(void *arg, size_t k0, size_t k1);
} ls_link_sink_t;

/* The stream's partitions (an upper bound on the indexes `part` gets). */
size_t ls_link_stream_parts(const ls_analysis_t *an);

/* The stream's co-actions per account (at least the account's pairs, 0
 * only when it has none), handed over (free() it; NULL when taken
 * already), and per behaviour (at least the behaviour's links). */
uint32_t *ls_link_stream_take_coactions(ls_analysis_t *an, uint64_t *per_behaviour);

/* Runs the stream: sweeps, sorts and aggregates the links group by group
 * of partitions (about 512 MB of co-action records each) and hands them to
 * sink; sets an->links_total. */
ls_error_t ls_link_stream_run(ls_analysis_t *an, const ls_link_sink_t *sink, ls_ctx_t *ctx);

/* Frees an->stream (NULL after). */
void ls_link_stream_free(ls_analysis_t *an);

/* Link stage (src/link/window.c): the window chosen from the data for
 * --window auto. */
ls_error_t ls_window_auto(ls_analysis_t *an, int64_t *window, ls_ctx_t *ctx);

/* UTC hour of day (0..23) of a Unix time. */
static inline int ls_hour_of_day(int64_t t)
{
	int64_t s = t % 86400;
	return (int)((s < 0 ? s + 86400 : s) / 3600);
}

/* ls_analysis_run streaming the links from lean_min_bytes of full links on
 * (0: always, for tests; ls_analysis_run: LS_LEAN_MIN_BYTES) in groups of
 * group_records co-actions at most (0: the default, 512 MB of them). */
ls_error_t ls_analysis_run_stream(ls_analysis_t **out, const ls_dataset_t *ds,
                                  const ls_params_t *p, size_t lean_min_bytes,
                                  size_t group_records, ls_ctx_t *ctx);

/* Stage entry points, called in order by ls_analysis_run. */
ls_error_t ls_link_run(ls_analysis_t *an, ls_ctx_t *ctx);     /* src/link */
ls_error_t ls_score_run(ls_analysis_t *an, ls_ctx_t *ctx);    /* src/score */
ls_error_t ls_cluster_run(ls_analysis_t *an, ls_ctx_t *ctx);  /* src/cluster */
/* Cluster-level statistic after clustering (src/score): observed objects of
 * the linked member pairs against the null's expected co-actions over all
 * member pairs. Descriptive: the clusters were selected from the data. */
ls_error_t ls_score_clusters(ls_analysis_t *an, ls_ctx_t *ctx);

/* Explain stage writers (src/explain), each atomic. */
ls_error_t ls_write_accounts_csv(const ls_analysis_t *an, const char *path, ls_ctx_t *ctx);
ls_error_t ls_write_edges_csv(const ls_analysis_t *an, const char *path, ls_ctx_t *ctx);
ls_error_t ls_write_clusters_csv(const ls_analysis_t *an, const char *path, ls_ctx_t *ctx);
ls_error_t ls_write_graphml(const ls_analysis_t *an, const char *path, ls_ctx_t *ctx);
ls_error_t ls_write_summary_json(const ls_analysis_t *an, const char *path, ls_ctx_t *ctx);
ls_error_t ls_write_pairs_csv(const ls_analysis_t *an, const char *path, ls_ctx_t *ctx);

/* CooRTweet detect_groups() rows into `path` (atomic); src/link/coortweet.c */
ls_error_t ls_coortweet_pairs_file(const ls_dataset_t *ds, int64_t window,
                                   uint32_t min_participation, int keep_loops, const char *path,
                                   uint64_t *rows_out, ls_ctx_t *ctx);

/* Name of behaviour `i` of the table. */
const char *ls_behaviour_name(uint32_t i);

#endif
