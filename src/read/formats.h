/*
 * The format table: one row per input format. A row names the format,
 * describes it in one line, lists the header columns its mapper reads and
 * points at the mapper, which turns one record into an ls_post_t. Adding a
 * format is one mapper file (src/read/fmt_<name>.c) plus one table row in
 * formats.c.
 *
 * Columns are found by name in the header (case-insensitive, blanks and a
 * UTF-8 BOM trimmed, so " id" matches "id"), never by position, so column
 * order and extra columns do not matter. A format is detected when every
 * column it requires is present; the first such row wins.
 *
 * JSON formats (kind LS_FORMAT_JSON) have no columns: their mapper reads
 * one tweet object through json_simdjson.h, and `detect` tells from the first
 * object's keys whether the format applies. The "columns" format takes its
 * column names from the user (--columns) instead of the table.
 */
#ifndef LS_READ_FORMATS_H
#define LS_READ_FORMATS_H

#include "read/json_simdjson.h"
#include "read/reader.h"

/* Most columns a format may read (the mapper's `col` array length). */
#define LS_FORMAT_MAX_COLS 16
/* col[k] of an optional column the header lacks. */
#define LS_COL_NONE ((size_t)-1)

/* Why a record could not be mapped. */
typedef enum ls_map_problem {
	LS_MAP_OK = 0,
	LS_MAP_BAD_TIME = 1,   /* time empty or unparsable */
	LS_MAP_NO_ACCOUNT = 2, /* neither an account id nor a handle */
	LS_MAP_MISSING = 3,    /* a required JSON field is absent or of the wrong type */
	LS_MAP_NOT_OBJECT = 4  /* a JSON record or array element is not an object */
} ls_map_problem_t;

typedef struct ls_map_error {
	ls_map_problem_t problem;
	const char *field; /* header name of the offending column / JSON path */
	ls_str_t value;    /* its value (borrowed from the record) */
} ls_map_error_t;

/* Bytes of ls_map_env_t.scratch. */
#define LS_MAP_SCRATCH 65536

/* What a mapper may use besides the record: the user's time notation and
 * scratch space for ids that arrive as JSON numbers (valid until the next
 * record). */
typedef struct ls_map_env {
	const char *time_format; /* NULL = ls_time_parse */
	char num[4][24];
	/* Ad formats: the record's ad facts (post->ad points here), its
	 * targeting facets and the advertiser key derived from the landing URL. */
	ls_ad_t ad;
	ls_str_t facets[LS_AD_MAX_FACETS];
	char account[192];
	/* Scratch for strings a mapper builds (meta-ads: joined texts,
	 * "category:value" facets, completed dates); reset per record. */
	char scratch[LS_MAP_SCRATCH];
	size_t scratch_used;
} ls_map_env_t;

/* Maps record fields `f` to `post`. col[k] is the index in `f` of the
 * format's k-th column (LS_COL_NONE for a missing optional one). On entry
 * *post is zeroed and `ent` has no entities; the mapper fills `ent` (from
 * text and/or its own columns) and the caller points the post at it.
 * Returns 0, or -1 with *why filled. Borrowed pointers only; O(record). */
typedef int (*ls_map_fn)(ls_map_env_t *env, const ls_str_t *f, const size_t *col,
                         ls_post_t *post, ls_entities_t *ent, ls_map_error_t *why);

/* Maps one JSON tweet object. `page` is the v2 response page the tweet came
 * from (for includes.users / includes.tweets), or NULL. Same contract. */
typedef int (*ls_map_json_fn)(ls_map_env_t *env, const ls_sjson_val_t *tweet,
                              const ls_sjson_val_t *page, ls_post_t *post, ls_entities_t *ent,
                              ls_map_error_t *why);

typedef enum ls_format_kind { LS_FORMAT_CSV = 0, LS_FORMAT_JSON = 1 } ls_format_kind_t;

typedef struct ls_format {
	const char *name;               /* as on the command line (--format) */
	const char *description;        /* one line */
	ls_format_kind_t kind;
	const char *const *columns;     /* CSV: NULL-terminated; "?name" = optional */
	ls_map_fn map;                  /* CSV */
	int user_columns;               /* CSV: columns named by --columns */
	/* A post id may legitimately appear on several records (CooRTweet: one
	 * row per shared object of a post), so repeats are not duplicates. */
	int ids_repeat;
	int ads;                        /* an ad-library format (posts carry ls_ad_t) */
	ls_map_json_fn map_json;        /* JSON */
	/* JSON: 1 when the first object (a tweet or a page) is of this format. */
	int (*detect)(const ls_sjson_val_t *first);
} ls_format_t;

/* The formats, defined one per fmt_*.c file. */
extern const ls_format_t ls_fmt_coortweet;
extern const ls_format_t ls_fmt_cnt;
extern const ls_format_t ls_fmt_fivethirtyeight;
extern const ls_format_t ls_fmt_gopdebate;
extern const ls_format_t ls_fmt_ioarchive;
extern const ls_format_t ls_fmt_columns;
extern const ls_format_t ls_fmt_twitter_v1;
extern const ls_format_t ls_fmt_twitter_v2;
extern const ls_format_t ls_fmt_ira_ads;
extern const ls_format_t ls_fmt_ira_ads_csv;
extern const ls_format_t ls_fmt_meta_ads;

/* The advertiser of an ad from its landing URL u[0..n), written into out
 * (NUL-terminated, case-folded): "facebook.com/<page>" (a "-<digits>" page
 * id suffix dropped), "facebook.com/events/<id>", "instagram.com/<account>",
 * else the site's host without "www.". Repairs the OCR slips of the IRA
 * release in the host ('|' for 'l', "oom" for "com", "faoebook"). Returns
 * the length, or 0 when no advertiser can be derived (no URL, no host).
 * O(n). */
size_t ls_ad_advertiser(const char *u, size_t n, char *out, size_t cap);

/* Format by exact name, or NULL. */
const ls_format_t *ls_format_find(const char *name);

/* First CSV format whose required columns all appear in header `hdr`, or
 * NULL. */
const ls_format_t *ls_format_detect(const ls_str_t *hdr, size_t n);

/* First JSON format whose detect() accepts `first`, or NULL. */
const ls_format_t *ls_format_detect_json(const ls_sjson_val_t *first);

/* The "columns" format: resolves a --columns spec against the header into
 * col[] (indexed by the fields of fmt_columns.c). Returns 0, or -1 with a
 * message in err. ls_columns_check validates a spec without a header. */
int ls_columns_resolve(const char *spec, const ls_str_t *hdr, size_t n, size_t *col, char *err,
                       size_t errcap);
int ls_columns_check(const char *spec, char *err, size_t errcap);

/* Fills col[0..columns) with the header index of each column of `fmt`.
 * Returns 0, or -1 with *missing set to the first required column absent. */
int ls_format_columns(const ls_format_t *fmt, const ls_str_t *hdr, size_t n, size_t *col,
                      const char **missing);

/* Writes the known format names, comma-separated, into buf. Returns buf. */
const char *ls_format_list(char *buf, size_t cap);

/* Helpers for mappers. */

/* Field col of f, or an empty string when col is LS_COL_NONE. */
static inline ls_str_t ls_field(const ls_str_t *f, size_t col)
{
	ls_str_t none = {"", 0};
	return col == LS_COL_NONE ? none : f[col];
}

/* Parses a time field (with env->time_format); on failure fills *why and
 * returns -1. */
int ls_map_time(const ls_map_env_t *env, ls_str_t v, const char *field, int64_t *t,
                ls_map_error_t *why);

/* Splits a list field into out[0..cap): "[a, 'b', \"c\"]", "a b c" or
 * "a,b". Brackets, blanks and quotes around items are dropped; empty items
 * skipped. Returns the count (extra items are dropped). O(n). */
size_t ls_map_split_list(ls_str_t v, ls_str_t *out, size_t cap);

/* 1 for "1", "true", "True", "TRUE", "yes", "t". */
int ls_map_truthy(ls_str_t v);

/* JSON helpers for the mappers. A path is dotted ("user.id_str").
 * ls_jget: the value at path. ls_jstr: 1 and *s when it is a string.
 * ls_jid: an id given as a string or a non-negative integer (written into
 * env->num[slot]); 0 when absent, null or empty. */
int ls_jget(const ls_sjson_val_t *v, const char *path, ls_sjson_val_t *out);
int ls_jstr(const ls_sjson_val_t *v, const char *path, ls_str_t *s);
int ls_jid(ls_map_env_t *env, int slot, const ls_sjson_val_t *v, const char *path, ls_str_t *s);
/* Collects, for each element of array `arr` (objects), the string at key
 * `key` (or `alt` when that is absent; alt may be NULL) into out; returns
 * the count (at most cap). */
size_t ls_jcollect(const ls_sjson_val_t *arr, const char *key, const char *alt, ls_str_t *out,
                   size_t cap);

/* Fails with LS_MAP_NO_ACCOUNT (naming `field`) when the post has neither
 * an account id nor a handle. */
int ls_map_check_account(const ls_post_t *post, const char *field, ls_map_error_t *why);

/* Parses entities of post->text into ent and sets ref_account from a
 * leading "RT @user:" when it has none. Returns 1 if that prefix was found. */
int ls_map_text_entities(ls_post_t *post, ls_entities_t *ent);
/* The same, but when the reader defers entities (ent->defer) only finds the
 * "RT @user:" and leaves the lists to the consumer (ent->pending): for a
 * map that calls it last on the final post->text and then only replaces
 * whole lists (clearing their bit in ent->pending). */
int ls_map_text_entities_late(ls_post_t *post, ls_entities_t *ent);

#endif
