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
 */
#ifndef LS_READ_FORMATS_H
#define LS_READ_FORMATS_H

#include "read/reader.h"

/* Most columns a format may read (the mapper's `col` array length). */
#define LS_FORMAT_MAX_COLS 16
/* col[k] of an optional column the header lacks. */
#define LS_COL_NONE ((size_t)-1)

/* Why a record could not be mapped. */
typedef enum ls_map_problem {
	LS_MAP_OK = 0,
	LS_MAP_BAD_TIME = 1,  /* time empty or unparsable */
	LS_MAP_NO_ACCOUNT = 2 /* neither an account id nor a handle */
} ls_map_problem_t;

typedef struct ls_map_error {
	ls_map_problem_t problem;
	const char *field; /* header name of the offending column */
	ls_str_t value;    /* its value (borrowed from the record) */
} ls_map_error_t;

/* Maps record fields `f` to `post`. col[k] is the index in `f` of the
 * format's k-th column (LS_COL_NONE for a missing optional one). On entry
 * *post is zeroed and `ent` has no entities; the mapper fills `ent` (from
 * text and/or its own columns) and the caller points the post at it.
 * Returns 0, or -1 with *why filled. Borrowed pointers only; O(record). */
typedef int (*ls_map_fn)(const ls_str_t *f, const size_t *col, ls_post_t *post,
                         ls_entities_t *ent, ls_map_error_t *why);

typedef struct ls_format {
	const char *name;               /* as on the command line (--format) */
	const char *description;        /* one line */
	const char *const *columns;     /* NULL-terminated; "?name" = optional */
	ls_map_fn map;
} ls_format_t;

/* The formats, defined one per fmt_*.c file. */
extern const ls_format_t ls_fmt_coortweet;
extern const ls_format_t ls_fmt_cnt;
extern const ls_format_t ls_fmt_fivethirtyeight;
extern const ls_format_t ls_fmt_gopdebate;

/* Format by exact name, or NULL. */
const ls_format_t *ls_format_find(const char *name);

/* First format whose required columns all appear in header `hdr`, or NULL. */
const ls_format_t *ls_format_detect(const ls_str_t *hdr, size_t n);

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

/* Parses a time field; on failure fills *why and returns -1. */
int ls_map_time(ls_str_t v, const char *field, int64_t *t, ls_map_error_t *why);

/* Fails with LS_MAP_NO_ACCOUNT (naming `field`) when the post has neither
 * an account id nor a handle. */
int ls_map_check_account(const ls_post_t *post, const char *field, ls_map_error_t *why);

/* Parses entities of post->text into ent and sets ref_account from a
 * leading "RT @user:" when it has none. Returns 1 if that prefix was found. */
int ls_map_text_entities(ls_post_t *post, ls_entities_t *ent);

#endif
