/*
 * The data model held in memory after reading (see docs/DESIGN.md).
 *
 * A post is kept as a compact row (24 bytes): who, when, what kind, its id
 * and where it came from (input, line) so that evidence can be re-read from
 * the source later. Behaviours are extracted while reading into traces
 * (behaviour, object, account, time, post), where the object is a 64-bit
 * hash of the behaviour's key (retweeted id, normalised text, URL, ...).
 * Short keys also keep a readable label. The first LS_TEXT_KEEP bytes of
 * each text are kept for the evidence excerpts while they fit in
 * ls_dataset_set_text_memory (else the evidence re-reads the inputs).
 */
#ifndef LS_CORE_DATASET_H
#define LS_CORE_DATASET_H

#include "lockstep.h"
#include "core/strpool.h"
#include "core/u64map.h"
#include "core/vec.h"

#define LS_MAX_BEHAVIOURS 16
#define LS_NONE UINT32_MAX
/* Bytes of a post's text kept for the evidence: its excerpt's limit plus
 * one, the byte that tells whether and where the excerpt is cut. */
#define LS_TEXT_KEEP 281

typedef struct ls_post_row {
	int64_t time;
	uint32_t account; /* index into accounts */
	ls_sid_t id;      /* post id string, 0 if none */
	uint32_t line;    /* line the record starts on (saturates at 2^32-1) */
	uint16_t input;   /* index into inputs */
	uint8_t kind;     /* ls_kind_t */
	uint8_t pad_;
} ls_post_row_t;

typedef struct ls_account {
	ls_sid_t key;    /* the account id, or the handle when there is no id */
	ls_sid_t id;     /* 0 if the formats gave no id */
	ls_sid_t handle; /* 0 if unknown */
	uint32_t posts;
} ls_account_t;

/* One behaviour trace: `account` acted on `object` at `time` in `post`. */
typedef struct ls_trace {
	uint64_t object;
	int64_t time;
	uint32_t account;
	uint32_t post;
} ls_trace_t;

/* The ad facts of one post (ls_ad_t), kept by ad readers only: a side
 * table keyed by post index, in reading order (so sorted by post). */
typedef struct ls_ad_row {
	uint32_t post;        /* index into posts */
	uint32_t facet_first; /* targeting: ad_facets[facet_first .. + facet_count) */
	uint32_t facet_count;
	int32_t attributed;   /* advertiser derived from the landing URL */
	int64_t spend_cents;  /* -1 unknown; a range's lower bound */
	int64_t spend_upper_cents; /* = spend_cents when exact; -1 unknown / open */
	int64_t impressions;  /* -1 unknown; a range's lower bound */
	int64_t impressions_upper; /* likewise */
	int64_t clicks;       /* -1 unknown */
	int64_t ended;        /* INT64_MIN when not given */
	char currency[4];
} ls_ad_row_t;

typedef struct ls_input {
	char *path;
	const char *format;
	uint64_t bytes, read, skipped;
	unsigned char sha256[32];
} ls_input_t;

struct ls_dataset {
	ls_read_options_t opt;
	ls_strpool_t strings;             /* ids, handles, object labels */
	LS_VEC(ls_post_row_t) posts;
	LS_VEC(ls_account_t) accounts;
	/* accounts by key string, keyed like the pool (ls_strpool_key): slot
	 * id = account index + 1; linear probing at load <= 3/4 */
	ls_strslot_t *account_slots;
	size_t account_nslots;
	LS_VEC(ls_trace_t) traces[LS_MAX_BEHAVIOURS];
	ls_u64map_t labels;               /* object -> sid of a readable label */
	ls_u64map_t post_ids;             /* post-id hashes: duplicates across inputs */
	int post_ids_dropped;             /* post_ids freed for an analysis, rebuilt on read */
	LS_VEC(ls_input_t) inputs;
	LS_VEC(ls_ad_row_t) ads;          /* ad facts (ad readers only), by post */
	LS_VEC(ls_sid_t) ad_facets;       /* targeting facets ("cat:value") of ads */
	char *scratch;                    /* normalisation buffer */
	size_t scratch_cap;
	char *text;                       /* the current post's normalised text */
	size_t text_cap;
	unsigned nd_bands, nd_rows;       /* near-duplicate LSH, from opt.neardup_jaccard */
	/* bits of the dataset-wide behaviours (fast retweet, synchrony) whose
	 * traces match the posts read so far; cleared by a read or a shift */
	uint64_t derived;
	uint64_t extract_mask;            /* behaviours extracted while reading */
	/* The kept texts (ls_dataset_post_text): post i's are text_bytes
	 * [text_end[i - 1] .. text_end[i]) (from 0 for i = 0). text_end is
	 * empty while every text so far was empty, else one entry per post.
	 * texts_dropped: they outgrew text_memory and were freed. */
	size_t text_memory;
	LS_VEC(char) text_bytes;
	LS_VEC(uint32_t) text_end;
	int texts_dropped;
};

/* Whether the texts of the posts are kept (ls_dataset_post_text). */
int ls_dataset_texts_kept(const ls_dataset_t *ds);

/* The first LS_TEXT_KEEP bytes (at most) of post `post`'s text, as the
 * reader gave it, into *p (borrowed, not NUL-terminated) and *n. Only
 * when ls_dataset_texts_kept. O(1). */
void ls_dataset_post_text(const ls_dataset_t *ds, uint32_t post, const char **p, size_t *n);

/* Adds one ad's spend, impressions and clicks to *out (currencies kept
 * sorted by code; a ninth currency counts in other_currency). O(1). */
void ls_ad_totals_add(ls_ad_totals_t *out, const ls_ad_row_t *a);

/* Readable label of an object ("" when none was kept). Borrowed. */
const char *ls_dataset_object_label(const ls_dataset_t *ds, uint64_t object);

/* Writes a reference to post `post` into buf (NUL-terminated, truncated to
 * cap): its id when it has one, else "<input>:<line>" with the 0-based input
 * index of summary.json's inputs array. Returns buf. */
const char *ls_dataset_post_ref(const ls_dataset_t *ds, uint32_t post, char *buf, size_t cap);

/* Writes t (Unix seconds) as "YYYY-MM-DDTHH:MM:SSZ" into buf (cap >= 32). */
const char *ls_time_format(int64_t t, char *buf, size_t cap);

/* Calendar month (UTC) of t as year * 12 + month - 1. */
int32_t ls_time_month(int64_t t);

#endif
