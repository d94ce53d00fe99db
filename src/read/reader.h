/*
 * Read stage: turn any supported input into a stream of normalised posts.
 *
 *   input (file, "-", .gz, .zst)  ->  records (CSV rows, JSON lines or one
 *   JSON document, chosen by the first non-blank byte: '{' or '[' is JSON)
 *   ->  format mapper (one file per format, one row in the format table)
 *   ->  ls_post_t handed to the caller, one at a time (streaming).
 *
 * Malformed records are reported with file:line and the field through the
 * context's diagnostics sink, skipped and counted; in strict mode the first
 * one fails ls_reader_next with LS_EPARSE.
 */
#ifndef LS_READ_READER_H
#define LS_READ_READER_H

#include "lockstep.h"
#include "core/strpool.h"

#include <stddef.h>
#include <stdint.h>

/* A borrowed byte string (not NUL-terminated). */
typedef struct ls_str {
	const char *p;
	size_t n;
} ls_str_t;

/* Facts of an ad (readers of ad-library formats only; see docs/FORMATS.md).
 * Borrowed like the post. Unknown numbers are -1; no end time is
 * INT64_MIN. Targeting facets are "category:value" with the IRA release's
 * doubled category prefix dropped ("interests:Jesus",
 * "people_who_match:interests:Jesus"); facets with an empty value are left
 * out. */
#define LS_AD_MAX_FACETS 128
typedef struct ls_ad {
	int64_t spend_cents;   /* spend in hundredths of the currency; the lower
	                        * bound when the format gives a range */
	int64_t spend_upper_cents; /* upper bound; = spend_cents when exact, -1
	                            * unknown or open-ended */
	char currency[4];      /* ISO 4217, NUL-terminated; "" when unknown */
	int64_t impressions;   /* likewise the lower bound of a range */
	int64_t impressions_upper; /* likewise */
	int64_t clicks;
	int64_t ended;         /* Unix seconds, INT64_MIN when not given */
	int attributed;        /* 1: the advertiser was derived from the landing URL */
	const ls_str_t *targeting;
	size_t n_targeting;
} ls_ad_t;

/* The normalised post record. Everything is borrowed from the reader and
 * valid until the next ls_reader_next call. Absent strings have n == 0. */
typedef struct ls_post {
	const char *platform;  /* "twitter", ... (static string) */
	ls_str_t id;           /* post id */
	ls_str_t account_id;   /* stable account id; empty if the format has none */
	ls_str_t handle;       /* screen name without '@'; empty if unknown */
	int64_t time;          /* Unix seconds, UTC */
	ls_kind_t kind;
	ls_str_t ref_post;     /* retweeted / quoted / replied-to post id */
	ls_str_t ref_account;  /* its account (handle or id) when known */
	/* Every reference the record carries, whatever the kind (a reply may
	 * also quote): the replied-to and the quoted post. ref_post repeats the
	 * one of the kind (retweet > reply > quote). */
	ls_str_t reply_to;
	ls_str_t quoted;
	ls_str_t text;
	/* Entities: from the format's own columns when it has them, else parsed
	 * from text (ls_entities_parse). Hashtags without '#', mentions without
	 * '@', URLs as written. */
	const ls_str_t *urls;
	size_t n_urls;
	const ls_str_t *hashtags;
	size_t n_hashtags;
	const ls_str_t *mentions;
	size_t n_mentions;
	/* An ad's spend, reach and targeting; NULL for every other post. */
	const ls_ad_t *ad;
	/* LS_ENT_* lists still to be parsed from text by the consumer
	 * (ls_entities_parse on `text`; their counts are 0 here). Only set
	 * after ls_reader_defer_entities; always 0 otherwise. */
	unsigned ent_pending;
	/* ls_strpool_key of `id` when id_keyed: the reader computed it for its
	 * duplicate check, so the dataset need not compute it again */
	ls_strkey_t id_key;
	int id_keyed;
} ls_post_t;

typedef struct ls_reader ls_reader_t;

/* How to open an input (ls_reader_open_config); zero = defaults. */
typedef struct ls_reader_config {
	const char *format;      /* NULL: detect from the header / JSON keys */
	size_t max_record;       /* bytes per record; 0 = 16 MiB */
	/* "field=column,..." for format "columns" (implied when set): fields
	 * id, account, handle, time, text, retweet_of, reply_to, quote_of,
	 * ref_account, retweet, urls, hashtags, mentions. */
	const char *columns;
	/* Time notation of the CSV time columns: NULL or "auto" (every form
	 * ls_time_parse knows), "unix", "unix-ms" or a %-pattern. */
	const char *time_format;
	/* Set of post-id keys (ls_reader_id_key) shared across inputs to skip
	 * duplicates (a post read twice); NULL: the reader keeps one for this
	 * input. */
	struct ls_u64map *seen_ids;
	/* 1: do not hash the stored bytes (a second read of an input already
	 * read: ls_reader_stats then gives no SHA-256). */
	int no_digest;
} ls_reader_config_t;

ls_error_t ls_reader_open_config(ls_reader_t **out, const char *path,
                                 const ls_reader_config_t *cfg, ls_ctx_t *ctx);

/* The key of post id s[0..n) in the duplicate set: a canonical decimal id
 * below 2^63 ("0", or no leading zero) is its own value, so numeric ids
 * never collide; any other id is its XXH3-64 hash with the top bit set
 * (never LS_U64MAP_EMPTY). */
uint64_t ls_reader_id_key(const char *s, size_t n);

/* Opens `path` ("-" = stdin). Compression is detected from magic bytes.
 * `format` NULL = detect from the header. `max_record` bounds one record in
 * bytes (0 = default 16 MiB). */
ls_error_t ls_reader_open(ls_reader_t **out, const char *path, const char *format,
                          size_t max_record, ls_ctx_t *ctx);

/* Next post: LS_OK with *post set; LS_OK with *post == NULL at the end of
 * the input; an error code on I/O failure or (strict mode) a bad record. */
ls_error_t ls_reader_next(ls_reader_t *r, const ls_post_t **post, ls_ctx_t *ctx);

/* Restricts the reader to the records starting on lines[0..n) (sorted
 * ascending; borrowed until the reader is freed): records starting on other
 * lines are still split, so boundaries stay right, but neither mapped nor
 * checked nor counted (no diagnostics, no duplicate check); in CSV, lines
 * before the next wanted one that are one record each (no CR but before
 * the LF, no quoted field that runs on) are only counted, not handed out. For re-reading
 * known posts (the evidence texts); call before the first ls_reader_next. */
void ls_reader_only_lines(ls_reader_t *r, const uint64_t *lines, size_t n);

/* Lets the reader hand out posts whose text entities are not parsed yet
 * (ls_post_t.ent_pending), so that a consumer on other threads parses them:
 * the reading thread then only finds a leading "RT @user:". Ads are always
 * handed out parsed. Entities cut from valid UTF-8 text are valid, so the
 * records refused and the messages are the same. */
void ls_reader_defer_entities(ls_reader_t *r);

/* 1-based line on which the current record starts. */
uint64_t ls_reader_line(const ls_reader_t *r);
/* Name of the format being read (borrowed, static). */
const char *ls_reader_format(const ls_reader_t *r);

typedef struct ls_reader_stats {
	uint64_t records_read;
	uint64_t records_skipped;  /* including duplicates */
	uint64_t duplicates;       /* records skipped for a post id read before */
	uint64_t bytes;            /* bytes of the file as stored */
	unsigned char sha256[32];  /* of the file as stored; valid at the end */
	uint64_t data_bytes;       /* decompressed bytes read so far */
} ls_reader_stats_t;

void ls_reader_stats(const ls_reader_t *r, ls_reader_stats_t *st);
void ls_reader_free(ls_reader_t *r);

/* Parses hashtags, mentions, URLs from free text into the caller's arrays
 * (at most `cap` of each; extra ones are dropped). Also recognises a leading
 * "RT @user:" and returns the user in *rt_user (n == 0 if absent). */
typedef struct ls_entities {
	ls_str_t urls[64];
	size_t n_urls;
	ls_str_t hashtags[64];
	size_t n_hashtags;
	ls_str_t mentions[64];
	size_t n_mentions;
	ls_str_t rt_user;
	/* Set by the reader: ls_map_text_entities_late may leave the lists to
	 * the consumer (defer), and which it left (pending, LS_ENT_*). */
	unsigned defer, pending;
} ls_entities_t;

enum { LS_ENT_URLS = 1, LS_ENT_HASHTAGS = 2, LS_ENT_MENTIONS = 4, LS_ENT_ALL = 7 };

void ls_entities_parse(const char *text, size_t n, ls_entities_t *out);
/* Only the leading "RT @user:" of ls_entities_parse (n == 0 if absent). */
ls_str_t ls_entities_rt_user(const char *text, size_t n);

/* Parses a time in one of the forms the readers meet: Unix seconds
 * (optionally with a fraction), "YYYY-MM-DD HH:MM[:SS]" (UTC), the same with
 * " +HHMM"/" -HHMM", ISO 8601 "YYYY-MM-DDTHH:MM:SS[.fff](Z|+HH:MM)", and
 * Twitter's "Wed Oct 10 20:19:24 +0000 2018". Returns 0 and *t, or -1. */
int ls_time_parse(const char *s, size_t n, int64_t *t);

/* Parses with a --time-format pattern (see timeparse.c; NULL = auto).
 * Returns 0 and *t, or -1. ls_time_format_check: 0 if `fmt` is valid. */
int ls_time_parse_format(const char *fmt, const char *s, size_t n, int64_t *t);
int ls_time_format_check(const char *fmt);

#endif
