/*
 * Internal interface of the explain stage beyond the plain CSV writers:
 * the evidence gathered once per write (the strongest co-actions of every
 * link of a kept pair, recomputed from the traces, and the posts' text
 * excerpts re-read from the inputs) and the writers that use it
 * (evidence.json, report.html), the manifest and its signature, and the
 * write entry point that verify calls with the inputs' current locations.
 */
#ifndef LS_EXPLAIN_EXPLAIN_H
#define LS_EXPLAIN_EXPLAIN_H

#include "core/analysis.h"
#include "core/vec.h"
#include "read/reader.h"

#include <stdio.h>

/* Co-actions kept per link (the closest in time). */
#define LS_EVIDENCE_K 5
/* Longest text excerpt, in bytes (cut at a character boundary, then "…"). */
#define LS_EXCERPT_MAX 280
_Static_assert(LS_EXCERPT_MAX + 1 == LS_TEXT_KEEP, "the dataset keeps one byte more than an excerpt");

typedef struct ls_coact {
	uint32_t post_a, post_b; /* the link's account a's post and b's (dataset indexes) */
	uint64_t object;
	int64_t time_a, time_b;
} ls_coact_t;

typedef struct ls_ev_link {
	uint32_t link;  /* index into an->links */
	uint32_t first; /* its co-actions: coacts[first .. first + count), closest first */
	uint32_t count;
} ls_ev_link_t;

typedef struct ls_ev_text {
	uint32_t post;
	uint32_t len;
	char *text; /* excerpt, at most LS_EXCERPT_MAX + 3 bytes, not NUL-terminated */
} ls_ev_text_t;

/* The kept account pairs and the links of kept pairs (kept.c), found once
 * per write for every writer, so that none scans all pairs or links. */
typedef struct ls_kept {
	LS_VEC(size_t) pairs; /* indexes into an->pairs of the kept pairs, ascending */
	LS_VEC(size_t) links; /* indexes into an->links of their links, ascending */
} ls_kept_t;

/* Time O(pairs + kept pairs * log links); on error k holds nothing. */
ls_error_t ls_kept_build(ls_kept_t *k, const ls_analysis_t *an, ls_ctx_t *ctx);
void ls_kept_free(ls_kept_t *k);
/* ls_analysis_counts without its scan of the pairs. */
void ls_kept_counts(const ls_analysis_t *an, const ls_kept_t *k, ls_analysis_counts_t *c);

typedef struct ls_evidence {
	const ls_analysis_t *an;
	ls_kept_t kept;             /* built by ls_evidence_coacts */
	LS_VEC(ls_ev_link_t) links; /* the links of kept pairs, in an->links order */
	LS_VEC(ls_coact_t) coacts;
	LS_VEC(ls_ev_text_t) texts; /* sorted by post */
	/* ev->links by cluster (see ls_evidence_cluster_links) */
	uint32_t *group;
	size_t *group_first;
	char **input_note;          /* per input: NULL = excerpts read; else why not */
	size_t n_inputs;
} ls_evidence_t;

/* Recomputes the strongest co-actions of the kept pairs' links and reads
 * their posts' texts. `reread[i]` (may be NULL, or hold NULLs) is where
 * input i is to be re-read from instead of its recorded path. Excerpt
 * failures are not errors: they are recorded in input_note.
 * Time O(T log T + P_kept + bytes of the inputs up to the last needed
 * record); memory O(T + kept links). */
ls_error_t ls_evidence_build(ls_evidence_t *ev, const ls_analysis_t *an,
                             const char *const *reread, ls_ctx_t *ctx);
/* The same in two steps: the co-actions (swept on ls_ctx_threads
 * workers; the links then grouped by cluster), then the texts. On error
 * ev is freed. */
ls_error_t ls_evidence_coacts(ls_evidence_t *ev, const ls_analysis_t *an, ls_ctx_t *ctx);
ls_error_t ls_evidence_texts(ls_evidence_t *ev, const char *const *reread, ls_ctx_t *ctx);
void ls_evidence_free(ls_evidence_t *ev);
/* Opens input `in` of `ds` again, from `path`, as the dataset opened it
 * (its format, record limit, --columns and --time-format), with a fresh
 * duplicate set. *r is freed with ls_reader_free. */
ls_error_t ls_explain_reopen(const ls_dataset_t *ds, size_t in, const char *path,
                             ls_reader_t **r, ls_ctx_t *ctx);
/* The posts of ev's co-actions: a bitmap over the dataset's posts (bit p
 * of word p / 64), malloc'd; NULL when out of memory. */
uint64_t *ls_evidence_post_bits(const ls_evidence_t *ev);
/* The links (indexes into ev->links, ascending) inside the reported
 * cluster an->clusters.v[c] (both accounts in it), or with c =
 * an->clusters.n those not inside one cluster (an account in none, or in
 * different ones): *n of them. */
const uint32_t *ls_evidence_cluster_links(const ls_evidence_t *ev, size_t c, size_t *n);
/* Excerpt of a post, or NULL when none was read. */
const ls_ev_text_t *ls_evidence_text(const ls_evidence_t *ev, uint32_t post);
/* Readable label of an object: its label, else "h:" + 16 hex digits.
 * Returns buf (at least 20 bytes) or the borrowed label. */
const char *ls_evidence_object(const ls_dataset_t *ds, uint64_t object, char *buf);

typedef struct ls_explain {
	const ls_analysis_t *an;
	const ls_evidence_t *ev;
	const char *const *reread; /* as for ls_evidence_build; may be NULL */
	/* When set, ev's texts may still be being read: a writer that can do
	 * work without them first (report.html) calls wait_texts(wait_arg)
	 * before it uses them. NULL: the texts are there. */
	void (*wait_texts)(void *arg);
	void *wait_arg;
	/* When out_sha is set, a writer that hashes its file while writing it
	 * (evidence.json) stores its SHA-256 in out_sha[0..32), its size in
	 * *out_bytes and sets *out_hashed = 1, so that it is not read back. */
	unsigned char *out_sha;
	uint64_t *out_bytes;
	int *out_hashed;
	const ls_kept_t *kept; /* the kept pairs and links (&ev->kept when ev is set) */
	/* evidence.json's links arrays rendered ahead (NULL: rendered by
	 * ls_write_evidence_json), which takes their bytes as it goes */
	struct ls_ev_json_links *pre_links;
} ls_explain_t;

/* evidence.json's links arrays rendered on `threads` threads before the
 * texts are read, with holes for the post objects (evidence_json.c); NULL
 * when out of memory. Free with ls_evidence_json_links_free. */
typedef struct ls_ev_json_links ls_ev_json_links_t;
ls_ev_json_links_t *ls_evidence_json_links(const ls_evidence_t *ev, int threads);
void ls_evidence_json_links_free(ls_ev_json_links_t *pre);

/* Runs an ls_explain_t writer for an analysis alone (no evidence; the
 * kept pairs and links found for it): the plain writers of core/analysis.h. */
ls_error_t ls_explain_alone(const ls_analysis_t *an,
                            ls_error_t (*write)(const ls_explain_t *ex, const char *path,
                                                ls_ctx_t *ctx),
                            const char *path, ls_ctx_t *ctx);
ls_error_t ls_write_edges_csv_ex(const ls_explain_t *ex, const char *path, ls_ctx_t *ctx);
ls_error_t ls_write_graphml_ex(const ls_explain_t *ex, const char *path, ls_ctx_t *ctx);
ls_error_t ls_write_gexf_ex(const ls_explain_t *ex, const char *path, ls_ctx_t *ctx);
ls_error_t ls_write_summary_json_ex(const ls_explain_t *ex, const char *path, ls_ctx_t *ctx);

ls_error_t ls_write_evidence_json(const ls_explain_t *ex, const char *path, ls_ctx_t *ctx);
ls_error_t ls_write_report_html(const ls_explain_t *ex, const char *path, ls_ctx_t *ctx);
/* Cluster colours (cluster id c uses entry (c - 1) % 12), shared by
 * report.html and network.gexf. */
extern const unsigned char ls_cluster_rgb[12][3];

/* ---- campaign facts of a group of ads (ad_facts.c) ---- */

/* Roubles per US dollar: the average of the Bank of Russia's daily official
 * rates over 2016, the year most of the IRA ads ran (docs/METHODS.md 8). */
#define LS_RUB_PER_USD 67.0349
#define LS_RUB_PER_USD_DATE "2016 (average of the daily official rates)"
#define LS_RUB_PER_USD_SOURCE "Bank of Russia, official RUB/USD exchange rates (cbr.ru)"
#define LS_AD_TOP_FACETS 10
#define LS_AD_TOP_AUDIENCES 5

typedef struct ls_ad_facet {
	const char *s; /* "category:value" (borrowed from the dataset) */
	size_t cat;    /* length of the category prefix */
	uint64_t ads;  /* ads using it */
} ls_ad_facet_t;

typedef struct ls_ad_month {
	int32_t month;                        /* year * 12 + month - 1 (UTC) */
	int64_t cents[LS_AD_MAX_CURRENCIES];  /* by the totals' currencies */
	unsigned char has[LS_AD_MAX_CURRENCIES];
	double usd;                           /* converted */
} ls_ad_month_t;

typedef struct ls_ad_audience {
	uint64_t ads;
	size_t first, count; /* its facets: audience_facets[first .. + count), sorted */
} ls_ad_audience_t;

typedef struct ls_ad_facts {
	uint64_t ads, advertisers;
	ls_ad_totals_t totals;   /* spend per currency, impressions, clicks, unattributed */
	double spend_usd;        /* converted at LS_RUB_PER_USD */
	int64_t first, last;     /* creation times of the earliest and latest ad */
	ls_ad_month_t *months;   /* ascending */
	size_t n_months;
	ls_ad_facet_t *facets;   /* by category, then most ads first */
	size_t n_facets;
	ls_ad_audience_t audiences[LS_AD_TOP_AUDIENCES]; /* most ads first */
	size_t n_audiences;
	const char **audience_facets;
} ls_ad_facts_t;

/* Facts of the ads ads[0..n) (indexes into ds->ads). Returns 0, or -1 when
 * out of memory (then *f holds nothing). Free with ls_ad_facts_free. */
int ls_ad_facts_build(ls_ad_facts_t *f, const ls_dataset_t *ds, const uint32_t *ads, size_t n);
void ls_ad_facts_free(ls_ad_facts_t *f);
/* cents in currency `code` as US dollars (0 for a currency without a rate). */
double ls_ad_usd(const char *code, int64_t cents);
/* usd (>= 0) rounded to whole cents, as written in ads.json and summary.json. */
double ls_ad_round_cents(double usd);
/* Indexes (into ds->ads) of the ads of cluster `id`'s members into idx
 * (capacity ds->ads.n); returns their number. */
size_t ls_ad_cluster_ads(const ls_analysis_t *an, uint32_t id, uint32_t *idx);

/* ads.json: campaign facts of the ads read (ads_json.c); ls_has_ads: 1
 * when the dataset holds ads, so that the file is written. */
ls_error_t ls_write_ads_json(const ls_analysis_t *an, const char *path, ls_ctx_t *ctx);
int ls_has_ads(const ls_analysis_t *an);
/* The ads section of report.html into f (report_ads.c); nothing without
 * ads. */
ls_error_t ls_report_ads(FILE *f, const ls_analysis_t *an, ls_ctx_t *ctx);

/* crossplatform.json: URLs, domains and handles that both the ads and the
 * other posts of the run push (crossplatform.c; re-reads the inputs, from
 * ex->reread where given). ls_has_crossplatform: 1 when the run has an ad
 * input and another input, both with posts. */
ls_error_t ls_write_crossplatform_json(const ls_explain_t *ex, const char *path, ls_ctx_t *ctx);
int ls_has_crossplatform(const ls_analysis_t *an);

ls_error_t ls_write_gexf(const ls_analysis_t *an, const char *path, ls_ctx_t *ctx);

/* manifest.json over the files `names[0..n)` already in `dir`; then, with
 * `sign_key`, manifest.sig. See manifest.c. `sha` and `bytes` (both or
 * neither may be NULL) are the files' SHA-256 and sizes when the caller
 * has them; else the files are hashed here. */
ls_error_t ls_write_manifest(const ls_analysis_t *an, const char *dir, const char *const *names,
                             const unsigned char (*sha)[32], const uint64_t *bytes, size_t n,
                             const char *sign_key, ls_ctx_t *ctx);

/* Ed25519 (sign.c). The signature file is text:
 *   lockstep-signature 1\nalgorithm ed25519\npublic-key HEX64\nsignature HEX128\n */
ls_error_t ls_sign_file(const char *key_pem, const char *msg, size_t n, const char *sig_path,
                        ls_ctx_t *ctx);
/* Checks sig_text (the signature file's bytes) over msg. `pubkey_pem` may
 * be NULL: the key in the signature file is used. Returns LS_OK and
 * *valid (1 = good signature by that key), the key's raw bytes in
 * pub_out (32 bytes; may be NULL), or an error for unreadable files. A
 * signature file that is not exactly in the format gives *valid = 0 and
 * the reason in why. */
ls_error_t ls_sign_check(const char *sig_text, size_t sig_len, const char *msg, size_t n,
                         const char *pubkey_pem, int *valid, unsigned char *pub_out, char *why,
                         size_t why_cap, ls_ctx_t *ctx);

/* Writes every output into `dir` (see ls_analysis_write_with); `reread`
 * as for ls_evidence_build. */
ls_error_t ls_explain_write(const ls_analysis_t *an, const char *dir,
                            const ls_write_options_t *opt, const char *const *reread,
                            ls_ctx_t *ctx);

#endif
