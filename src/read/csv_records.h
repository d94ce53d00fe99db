/*
 * CSV records on top of an ls_instream_t, parsed with libcsv (RFC 4180 plus
 * the usual leniency: CRLF or LF rows, quotes inside unquoted fields kept
 * as written). Fields are not trimmed: bytes are handed out as stored.
 *
 * Each record knows the 1-based physical line on which it starts (quoted
 * fields may span lines). A record is bounded by `max_record` bytes and
 * `max_fields` fields; a longer one (say an unbalanced quote swallowing the
 * rest of the file) is reported as a bad record at its first line, and
 * reading resumes at the next physical line with a fresh parser.
 *
 * Cost: O(bytes) time. Memory: one decompressed block (1 MiB), one record
 * (<= max_record bytes, grown on demand) and the field table (max_fields).
 */
#ifndef LS_READ_CSV_RECORDS_H
#define LS_READ_CSV_RECORDS_H

#include "read/input.h"
#include "read/reader.h"

#define LS_CSV_DEFAULT_MAX_RECORD ((size_t)16 << 20)
#define LS_CSV_DEFAULT_MAX_FIELDS ((size_t)4096)

typedef struct ls_csvrec ls_csvrec_t;

/* What ls_csvrec_next found. */
typedef enum ls_rec_status {
	LS_REC_RECORD = 0, /* a record: see ls_csvrec_fields */
	LS_REC_END = 1,    /* end of input */
	LS_REC_BAD = 2     /* a malformed record was dropped: see ls_csvrec_problem */
} ls_rec_status_t;

/* Starts reading records from `in` (borrowed; must outlive the reader).
 * 0 for max_record / max_fields selects the defaults. *out is owned by the
 * caller: free with ls_csvrec_free. Fails only when out of memory. */
ls_error_t ls_csvrec_open(ls_csvrec_t **out, ls_instream_t *in, size_t max_record,
                          size_t max_fields, ls_ctx_t *ctx);

/* Advances to the next record. Returns LS_OK with *st set, or an error
 * (I/O, decompression, out of memory) recorded in ctx. A UTF-8 byte order
 * mark at the start of the input is skipped; blank lines are ignored. */
ls_error_t ls_csvrec_next(ls_csvrec_t *r, ls_rec_status_t *st, ls_ctx_t *ctx);

/* Lets ls_csvrec_next pass over records starting before `line` without
 * handing them out, as far as that is safe: whole lines in the current
 * block with no CR except right before their LF whose quoted fields (if
 * any) open at a field's start and close on the line ("" inside allowed)
 * are each one record (or blank) whatever the fields, and are only
 * counted. Records that are not
 * skipped come out as usual. */
void ls_csvrec_skip_before(ls_csvrec_t *r, uint64_t line);

/* Fields of the current record, borrowed until the next ls_csvrec_next. */
const ls_str_t *ls_csvrec_fields(const ls_csvrec_t *r, size_t *n);

/* Whether every field of the current record lies in p[0..n), bytes that
 * are ASCII without NUL (so every field is valid UTF-8 without NUL): 1 and
 * the span when the record was split in place from such a line, else 0
 * (nothing is known). */
int ls_csvrec_clean(const ls_csvrec_t *r, const char **p, size_t *n);

/* 1-based line on which the current (or just dropped) record starts. */
uint64_t ls_csvrec_line(const ls_csvrec_t *r);

/* Why the last record was dropped ("record longer than 16777216 bytes",
 * "unterminated quoted field", ...). Borrowed. */
const char *ls_csvrec_problem(const ls_csvrec_t *r);

void ls_csvrec_free(ls_csvrec_t *r);

#endif
