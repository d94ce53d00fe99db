/*
 * The data model held in memory after reading (see docs/DESIGN.md).
 *
 * A post is kept as a compact row (24 bytes): who, when, its id (a number
 * when it is one) and the line it came from, so that evidence can be
 * re-read from the source later (its input follows from its index). Behaviours are extracted while reading into traces
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

/* A post id's code (ls_post_row_t.id): 0 when the post has none; the
 * value of a canonical decimal id ("1" .. "9223372036854775807", no
 * leading zero: Twitter, Facebook and Telegram ids) kept as a number, not
 * in the string pool; else LS_POST_ID_SID | the id string's sid. So equal
 * ids have equal codes and a numeric id costs no string.
 * ls_dataset_post_id gives the id's text, ls_dataset_id_code the code
 * of a string. */
#define LS_POST_ID_SID (UINT64_C(1) << 63)

typedef struct ls_post_row {
	int64_t time;
	uint64_t id;      /* post id code (LS_POST_ID_SID), 0 if none */
	uint32_t account; /* index into accounts */
	uint32_t line;    /* line the record starts on (saturates at 2^32-1) */
} ls_post_row_t;      /* its input: ls_dataset_post_input */

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
	ls_u64map_t post_ids;             /* post-id keys (ls_reader_id_key): duplicates across inputs */
	int post_ids_dropped;             /* post_ids freed for an analysis, rebuilt on read */
	LS_VEC(ls_input_t) inputs;
	/* input_first[k]: the index of input k's first post (posts are read
	 * one input after another); one entry more than inputs while a read
	 * is under way or after one failed (its posts then count as the next
	 * input's, as the next read takes its index) */
	LS_VEC(uint32_t) input_first;
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

/* The bytes a dataset holds, by part: what is in use (vector slack that
 * was never touched is not resident and not counted), for the memory
 * budget in docs/DESIGN.md (bench_link prints it). */
typedef struct ls_dataset_memory {
	size_t rows;     /* post rows */
	size_t traces;   /* behaviour traces, every behaviour */
	size_t strings;  /* interned strings: bytes, offsets and lengths */
	size_t index;    /* the string pool's hash index (dropped after deriving) */
	size_t accounts; /* account records and their table */
	size_t labels;   /* object -> label map */
	size_t post_ids; /* duplicate post-id set (dropped after deriving) */
	size_t texts;    /* kept texts and their offsets */
	size_t ads;      /* ad facts and facets */
} ls_dataset_memory_t;

/* Fills *m; returns the total. O(1). */
size_t ls_dataset_memory(const ls_dataset_t *ds, ls_dataset_memory_t *m);

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

/* The index of the input post `post` was read from. O(log inputs). */
uint32_t ls_dataset_post_input(const ls_dataset_t *ds, uint32_t post);

/* The posts read from input `in`: indexes first .. end - 1. O(1). */
void ls_dataset_input_posts(const ls_dataset_t *ds, size_t in, uint32_t *first, uint32_t *end);

/* The text of post id code `code` (non-zero): borrowed from the pool, or
 * written into buf (cap >= 21) for a numeric one; its length in *n. */
const char *ls_dataset_id_text(const ls_dataset_t *ds, uint64_t code, char *buf, size_t cap,
                               size_t *n);

/* The code a post id s[0..n) has (n > 0): its number, or
 * LS_POST_ID_SID | its sid; 0 when it is a string not in the pool (no post
 * has it). Looks up the pool's index: not while it is dropped. */
uint64_t ls_dataset_id_code(const ls_dataset_t *ds, const char *s, size_t n);

/* Whether post row `row` has the id s[0..n) (0 when either has none),
 * without the pool's index. */
int ls_dataset_post_id_is(const ls_dataset_t *ds, const ls_post_row_t *row, const char *s,
                          size_t n);

/* Writes a reference to post `post` into buf (NUL-terminated, truncated to
 * cap): its id when it has one, else "<input>:<line>" with the 0-based input
 * index of summary.json's inputs array. Returns buf. */
const char *ls_dataset_post_ref(const ls_dataset_t *ds, uint32_t post, char *buf, size_t cap);

/* Writes t (Unix seconds) as "YYYY-MM-DDTHH:MM:SSZ" into buf (cap >= 32). */
const char *ls_time_format(int64_t t, char *buf, size_t cap);

/* Calendar month (UTC) of t as year * 12 + month - 1. */
int32_t ls_time_month(int64_t t);

#endif
