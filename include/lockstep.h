/*
 * lockstep: find coordinated inauthentic behaviour in social-media data.
 *
 * This header is the whole public API of liblockstep. Every type is opaque
 * except the plain option structs, which are initialised by their _init
 * function so that fields added later get defaults.
 *
 * Conventions (see docs/DESIGN.md):
 *  - Fallible functions return ls_error_t; LS_OK is 0. On failure the context
 *    holds a message (ls_ctx_message). The library never prints or exits.
 *  - `T **out` parameters: the caller owns the result and frees it with the
 *    matching _free function. `_free(NULL)` is a no-op.
 *  - Returned `const T *` values are borrowed from the object they came from.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#ifndef LOCKSTEP_H
#define LOCKSTEP_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define LS_VERSION_STRING "0.1.0"

/* ------------------------------------------------------------------ errors */

typedef enum ls_error {
	LS_OK = 0,
	LS_ENOMEM = 1,   /* out of memory */
	LS_EIO = 2,      /* file could not be opened, read or written */
	LS_EPARSE = 3,   /* malformed input record (with --strict) or header */
	LS_EINVAL = 4,   /* invalid argument or option value */
	LS_EFORMAT = 5,  /* input format unknown or not detected */
	LS_ELIMIT = 6,   /* a size limit was exceeded */
	LS_EGRAPH = 7,   /* igraph reported an error */
	LS_EINTERNAL = 8 /* a bug: please report */
} ls_error_t;

/* Short English name of an error code ("parse error"). Never NULL. */
const char *ls_error_name(ls_error_t err);

/* ----------------------------------------------------------------- context */

/* Holds the last error message, diagnostics sink and run-wide switches.
 * One context per thread of control; not shared between threads. */
typedef struct ls_ctx ls_ctx_t;

/* Severity of a diagnostic handed to the sink. */
typedef enum ls_diag_level {
	LS_DIAG_WARNING = 0, /* a record was skipped; the run goes on */
	LS_DIAG_PROGRESS = 1 /* progress on long work; may be ignored */
} ls_diag_level_t;

/* Diagnostic sink: `msg` is one line without a trailing newline, borrowed
 * for the duration of the call. */
typedef void (*ls_diag_fn)(void *user, ls_diag_level_t level, const char *msg);

/* Returns a new context, or NULL when out of memory. Free with ls_ctx_free. */
ls_ctx_t *ls_ctx_new(void);
void ls_ctx_free(ls_ctx_t *ctx);
/* The message of the last error (empty string when none). Borrowed. */
const char *ls_ctx_message(const ls_ctx_t *ctx);
/* Install a diagnostics sink (NULL: diagnostics are dropped). */
void ls_ctx_set_diag(ls_ctx_t *ctx, ls_diag_fn fn, void *user);
/* Strict mode: the first malformed record fails the read with LS_EPARSE
 * instead of being skipped and counted. */
void ls_ctx_set_strict(ls_ctx_t *ctx, int strict);
/* Worker threads the library may use (0, the default: one per online CPU).
 * Results never depend on it: every output is byte-identical for any count. */
void ls_ctx_set_threads(ls_ctx_t *ctx, int threads);

/* ------------------------------------------------------------------- posts */

/* Kind of a normalised post. */
typedef enum ls_kind {
	LS_KIND_ORIGINAL = 0,
	LS_KIND_RETWEET = 1,
	LS_KIND_QUOTE = 2,
	LS_KIND_REPLY = 3
} ls_kind_t;

/* ------------------------------------------------------------------ inputs */

/* Names of the input formats the library reads, NULL-terminated. Borrowed. */
const char *const *ls_formats(void);
/* One-line description of a format, or NULL if the name is unknown. */
const char *ls_format_description(const char *name);

/* A dataset: the normalised posts of one or more inputs and the behaviour
 * traces extracted from them. Memory: O(posts + traces). */
typedef struct ls_dataset ls_dataset_t;

/* Options that shape what is extracted while reading. */
typedef struct ls_read_options {
	/* Co-tweet: ignore posts whose normalised text is shorter than this many
	 * bytes (very short texts such as "yes" are shared by chance). */
	size_t min_text_length;
	/* Largest accepted record, in bytes; longer ones are errors. */
	size_t max_record_bytes;
	/* Any CSV by naming its columns, "field=column,..." (fields: id,
	 * account, handle, time, text, retweet_of, reply_to, quote_of,
	 * ref_account, retweet, urls, hashtags, mentions; time and account or
	 * handle required), or NULL. Selects the format "columns". Borrowed:
	 * must outlive the dataset. */
	const char *columns;
	/* Notation of CSV time columns: NULL or "auto" (Unix seconds, ISO 8601,
	 * "YYYY-MM-DD HH:MM[:SS]", Twitter's created_at), "unix", "unix-ms", or
	 * a pattern of %Y %m %d %H %M %S %y %b %p %I %z %s %f. Borrowed. */
	const char *time_format;
	/* Near-duplicate text: Jaccard similarity of the texts' character
	 * 5-shingle sets at which MinHash/LSH finds a pair with probability
	 * about 1/2 (the S-curve threshold), in (0, 1); default 0.8. */
	double neardup_jaccard;
	/* Seed of the near-duplicate hash (which shingles MinHash keeps);
	 * default 1. `lockstep detect` sets it to --seed, so that a run can be
	 * repeated under other hash draws. */
	uint64_t neardup_seed;
	/* Fast retweet: a retweet made at most this many seconds after the
	 * original (when the original is in the data); default 10. */
	int64_t fast_retweet;
	/* Synchronised posting: width of the time bins in seconds; two accounts
	 * co-act when they post in the same bin; default 60. */
	int64_t sync_bin;
	/* Behaviours to extract while reading (bit i = behaviour i of
	 * ls_behaviours()); 0 = all. An analysis may only use extracted ones;
	 * fast retweets need the co-retweets, which are then extracted too. */
	uint64_t extract_behaviours;
} ls_read_options_t;

void ls_read_options_init(ls_read_options_t *opt);

/* Creates an empty dataset. `opt` may be NULL for defaults. Returns
 * LS_EINVAL when an option is out of range (neardup_jaccard outside (0, 1),
 * fast_retweet < 0, sync_bin < 1). */
ls_error_t ls_dataset_new(ls_dataset_t **out, const ls_read_options_t *opt, ls_ctx_t *ctx);
void ls_dataset_free(ls_dataset_t *ds);

/* Memory in bytes for keeping each post's text (its first 281 bytes, plus
 * 4 bytes per post) while reading, for the evidence excerpts, so that the
 * inputs need not be read again; when the texts outgrow it they are
 * dropped and the inputs are re-read. Like the thread count it changes no
 * output, so the manifest does not record it. Default 512 MiB; 0: never
 * keep them. Call before the first ls_dataset_read. */
void ls_dataset_set_text_memory(ls_dataset_t *ds, size_t bytes);

/* Reads one input into the dataset. `path` "-" is standard input; gzip and
 * zstd input is detected by its magic bytes and decompressed on the fly.
 * `format` is a name from ls_formats(), or NULL to detect it from the
 * header. Malformed records are reported through the diagnostics sink,
 * skipped and counted (or fail the call in strict mode).
 * Time: O(bytes); memory: O(posts) plus one record. */
ls_error_t ls_dataset_read(ls_dataset_t *ds, const char *path, const char *format, ls_ctx_t *ctx);

/* Number of inputs read so far. */
size_t ls_dataset_input_count(const ls_dataset_t *ds);

/* Facts about input `i` (0-based) of a dataset. */
typedef struct ls_input_info {
	const char *path;      /* as given; borrowed */
	const char *format;    /* format name; borrowed */
	uint64_t bytes;        /* bytes of the file as stored (compressed) */
	uint64_t records_read; /* records turned into posts */
	uint64_t records_skipped;
	unsigned char sha256[32]; /* of the file as stored */
} ls_input_info_t;

ls_error_t ls_dataset_input(const ls_dataset_t *ds, size_t i, ls_input_info_t *info);
size_t ls_dataset_post_count(const ls_dataset_t *ds);

size_t ls_dataset_account_count(const ls_dataset_t *ds);

/* Totals of the ads read (ad-library formats, e.g. ira-ads). Spend is
 * summed exactly in hundredths per currency (currencies sorted by code, at
 * most LS_AD_MAX_CURRENCIES; ads in further currencies are counted in
 * `other_currency`); unknown numbers are left out of the sums. */
#define LS_AD_MAX_CURRENCIES 8
typedef struct ls_ad_totals {
	uint64_t ads;          /* posts with ad facts; 0 = the input has no ads */
	uint64_t unattributed; /* ads whose advertiser the landing URL does not name */
	uint64_t impressions;
	uint64_t clicks;
	uint64_t other_currency;
	size_t n_currencies;
	struct {
		char code[4];        /* ISO 4217; "" = not given */
		int64_t cents;       /* summed spend in hundredths */
		uint64_t ads;
	} currency[LS_AD_MAX_CURRENCIES];
} ls_ad_totals_t;

/* Fills *out from the dataset's ads. O(ads). */
void ls_dataset_ad_totals(const ls_dataset_t *ds, ls_ad_totals_t *out);

/* ---------------------------------------------------------------- analysis */

typedef enum ls_cluster_method {
	LS_CLUSTER_LEIDEN = 0,    /* Leiden, modularity objective, seeded */
	LS_CLUSTER_COMPONENTS = 1 /* connected components */
} ls_cluster_method_t;

/* Parameters of the link → score → cluster stages. */
typedef struct ls_params {
	int64_t window;           /* seconds; co-actions need |dt| <= window */
	int window_auto;          /* choose the window from the data (see docs/METHODS.md) */
	/* Time filter: only posts with since <= time < until are analysed (each
	 * bound only when its has_ flag is set). */
	int has_since, has_until;
	int64_t since, until;
	/* Placebo ("time-shifted null"): when > 0, each account's whole
	 * timeline is moved by its own random offset, a whole number of seconds
	 * in [-placebo_days, placebo_days] days (drawn from seed and the account
	 * key). Each account keeps its activity and the shape of its rhythm;
	 * what accounts did together in time is destroyed, so the run should
	 * flag next to nothing. */
	uint32_t placebo_days;
	uint64_t behaviours;      /* bit i set = behaviour i (ls_behaviours()) on */
	double fdr;               /* false discovery rate Q of the kept pairs (BH), default 0.05 */
	uint32_t min_weight;      /* and keep only pairs with at least this many events (distinct post pairs), default 2 */
	ls_cluster_method_t cluster;
	double resolution;        /* Leiden resolution (modularity), default 1 */
	uint64_t seed;            /* feeds every random choice */
	uint32_t min_cluster_size;/* clusters smaller than this are not reported */
	/* Resource guard for bursts: a share whose window [t, t + window] holds
	 * more than max_burst shares of the same object forms no co-actions as
	 * the earlier share (they are counted as skipped). Thousands of accounts
	 * sharing one post within a minute say little about any pair, and would
	 * make time and memory quadratic in the burst. 0 = no limit. */
	uint32_t max_burst;
	/* edges.csv lists every link, not only the links of kept pairs. */
	int all_links;
	/* Also write pairs.csv: CooRTweet 2.1.3 detect_groups() rows for the
	 * co-retweets (window, min_participation, remove_loops = !keep_loops). */
	int emit_pairs;
	uint32_t min_participation;
	int keep_loops;
} ls_params_t;

void ls_params_init(ls_params_t *p);

/* Parses a date or time for --since/--until: "YYYY-MM-DD" (midnight UTC),
 * "YYYY-MM-DD HH:MM[:SS]" (UTC), ISO 8601 with Z or an offset, or Unix
 * seconds. Returns LS_OK or LS_EINVAL. */
ls_error_t ls_parse_time(const char *s, int64_t *t);

/* Names of the behaviours, NULL-terminated, in bit order. Borrowed. */
const char *const *ls_behaviours(void);
const char *ls_behaviour_description(const char *name);
/* Bit of a behaviour name, or 0 when unknown. */
uint64_t ls_behaviour_bit(const char *name);

/* The result of linking, scoring and clustering a dataset. */
typedef struct ls_analysis ls_analysis_t;

/* Runs link → score → cluster on `ds`. The dataset must outlive the result.
 * The first run after reading also completes the behaviours that need the
 * whole dataset (fast retweet: the original may come later; synchronised
 * posting: deduplicated per account and bin), a cache kept in `ds`: do not
 * analyse one dataset from two threads at once.
 * Time: O(traces log traces + within-window pairs); memory: O(linked pairs). */
ls_error_t ls_analysis_run(ls_analysis_t **out, const ls_dataset_t *ds, const ls_params_t *p,
                           ls_ctx_t *ctx);
void ls_analysis_free(ls_analysis_t *an);

/* Counts of an analysis, for progress lines and summaries. */
typedef struct ls_analysis_counts {
	uint64_t coactions;    /* within-window co-action pairs, all behaviours */
	uint64_t burst_skipped;/* co-actions not formed because of max_burst */
	int64_t window;        /* the window used (chosen from the data with window_auto) */
	uint64_t links;        /* (account pair, behaviour) links */
	uint64_t kept_links;   /* account pairs in the clustered network */
	uint64_t accounts_linked;
	uint64_t clusters;     /* reported clusters */
	uint64_t accounts_clustered;
} ls_analysis_counts_t;

void ls_analysis_counts(const ls_analysis_t *an, ls_analysis_counts_t *out);

/* Writes accounts.csv, edges.csv, clusters.csv, network.graphml and
 * summary.json (and pairs.csv with params.emit_pairs) into `dir`. All files
 * are written into a staging directory that then replaces `dir` in one
 * step, so a crash leaves the previous run's files or the new ones, never a
 * mix. An existing non-empty `dir` must hold a previous run (summary.json). */
ls_error_t ls_analysis_write(const ls_analysis_t *an, const char *dir, ls_ctx_t *ctx);

/* ---------------------------------------------------- evidence and verify */

/* Options of ls_analysis_write_with. */
typedef struct ls_write_options {
	/* PEM file of an Ed25519 private key: also write manifest.sig, the
	 * signature of manifest.json. NULL = unsigned. */
	const char *sign_key;
} ls_write_options_t;

void ls_write_options_init(ls_write_options_t *opt);

/* ls_analysis_write plus the evidence bundle: evidence.json (per cluster
 * and link: accounts, behaviours, statistics, the strongest co-actions with
 * the posts' text excerpts re-read from the inputs), report.html (one
 * offline page), network.gexf, and last manifest.json (inputs with SHA-256,
 * every parameter, version, seed and the SHA-256 of every other output),
 * all in the same staged directory. `opt` may be NULL (unsigned).
 * Time O(outputs + traces log traces + bytes re-read from the inputs). */
ls_error_t ls_analysis_write_with(const ls_analysis_t *an, const char *dir,
                                  const ls_write_options_t *opt, ls_ctx_t *ctx);

/* Outcome of ls_verify_run. */
typedef enum ls_verify_status {
	LS_VERIFY_OK = 0,       /* hashes, signature, inputs and re-run agree */
	LS_VERIFY_TAMPERED = 1, /* an output, the manifest or its signature differs,
	                           or the re-run gives different outputs */
	LS_VERIFY_INPUTS = 2    /* an input is missing or not the one recorded */
} ls_verify_status_t;

typedef struct ls_verify_options {
	/* Where the recorded inputs are now, in the manifest's order; NULL (or
	 * n_inputs 0) = their recorded paths. */
	const char *const *inputs;
	size_t n_inputs;
	/* PEM Ed25519 public key: the manifest must carry a valid signature by
	 * it. NULL: a signature present is checked against its own key. */
	const char *pubkey;
	/* Check hashes and inputs only; do not re-run the analysis. */
	int no_rerun;
} ls_verify_options_t;

void ls_verify_options_init(ls_verify_options_t *opt);

typedef struct ls_verify_report {
	ls_verify_status_t status;
	char file[256];     /* the output or input that differs ("" when none) */
	char detail[1024];  /* one line: what differs, where (line, record) */
	int signed_;        /* manifest.sig present and valid */
	char signer[65];    /* hex of the signing key's raw public key, or "" */
} ls_verify_report_t;

/* Verifies the bundle in `outdir`: the manifest's own checksum and
 * signature, the SHA-256 of every output it lists (and that no file was
 * added or removed), the inputs' sizes and SHA-256, then re-runs the
 * analysis from the recorded inputs and parameters into a temporary
 * directory and compares the outputs byte for byte. Returns LS_OK when the
 * check ran (the verdict is in *rep), or an error (unreadable directory,
 * out of memory, a manifest from a newer lockstep). Progress goes to the
 * context's diagnostics sink. */
ls_error_t ls_verify_run(const char *outdir, const ls_verify_options_t *opt,
                         ls_verify_report_t *rep, ls_ctx_t *ctx);

/* Writes a new Ed25519 key pair: the private key (PEM, PKCS#8, mode 0600;
 * an existing file is refused) and the public key (PEM SubjectPublicKeyInfo). */
ls_error_t ls_keygen(const char *private_pem, const char *public_pem, ls_ctx_t *ctx);

/* CooRTweet parity: writes the rows CooRTweet 2.1.3 detect_groups() returns
 * (remove_loops = TRUE unless keep_loops) for the co-retweet traces of `ds`,
 * as CSV with header object_id,content_id,content_id_y,time_delta,account_id,
 * account_id_y. Written atomically to DIR/pairs.csv (DIR is created if
 * missing); `rows_out` may be NULL. Time: O(shares log shares + within-window
 * pairs). */
ls_error_t ls_coortweet_write_pairs(const ls_dataset_t *ds, int64_t window,
                                    uint32_t min_participation, int keep_loops,
                                    const char *dir, uint64_t *rows_out, ls_ctx_t *ctx);

/* -------------------------------------------------------------- evaluation */

/* Account-level comparison of a detect run (OUTDIR/accounts.csv: an account
 * is flagged when it is in a reported cluster; its score is its strength)
 * with a truth file `account,label[,category]` (label 1 = operation,
 * 0 = organic; account = the account key, id or handle of accounts.csv;
 * accounts absent from the run count as not flagged, score 0). */
typedef struct ls_eval ls_eval_t;

typedef struct ls_eval_summary {
	uint64_t truth_accounts, positives, negatives;
	uint64_t absent;          /* truth accounts not in the run */
	uint64_t flagged;         /* truth accounts flagged */
	uint64_t true_positives, false_positives, false_negatives;
	double precision, recall, f1;
	double auc;               /* ROC AUC of the score, ties counted half */
	/* Clusters against the truth categories, over flagged truth accounts in
	 * a cluster: purity (share in their cluster's majority category), the
	 * same over clusters of >= 10 such accounts (NaN when there are none),
	 * and normalised mutual information 2 I / (H_clusters + H_categories). */
	uint64_t clustered_labelled;
	double purity, purity_min10, nmi;
} ls_eval_summary_t;

/* Reads both files, computes the metrics and writes OUTDIR/eval.json
 * (canonical JSON) atomically. Time O(n log n). */
ls_error_t ls_eval_run(ls_eval_t **out, const char *outdir, const char *truth_path, ls_ctx_t *ctx);
void ls_eval_free(ls_eval_t *ev);
void ls_eval_get_summary(const ls_eval_t *ev, ls_eval_summary_t *out);
/* Per truth category (sorted by name): accounts and how many were flagged.
 * *name is borrowed from ev. Returns LS_EINVAL when i is out of range. */
size_t ls_eval_category_count(const ls_eval_t *ev);
ls_error_t ls_eval_category(const ls_eval_t *ev, size_t i, const char **name, uint64_t *accounts,
                            uint64_t *flagged);

/* ------------------------------------------------------------------- synth */

typedef enum ls_synth_size {
	LS_SYNTH_SMALL = 0,  /* ~2,000 accounts, ~60k posts */
	LS_SYNTH_MEDIUM = 1, /* ~20,000 accounts, ~600k posts */
	LS_SYNTH_LARGE = 2   /* ~200,000 accounts, ~6M posts */
} ls_synth_size_t;

typedef struct ls_synth_options {
	uint64_t seed;
	ls_synth_size_t size;
	int campaigns; /* number of planted operations; 0 = null scenario; -1 = default */
} ls_synth_options_t;

void ls_synth_options_init(ls_synth_options_t *opt);

/* Writes DIR/posts.csv (coordination-network-toolkit columns) and
 * DIR/truth.csv (account,label,category). Deterministic for a seed. */
ls_error_t ls_synth_write(const char *dir, const ls_synth_options_t *opt, ls_ctx_t *ctx);

#ifdef __cplusplus
}
#endif
#endif /* LOCKSTEP_H */
