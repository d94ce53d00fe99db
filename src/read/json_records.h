/*
 * JSON records on top of an ls_instream_t: one record per line (JSON lines,
 * every line is a record, the first is not special; blank lines are
 * ignored), or, in whole-document mode, the entire input as one record (a
 * pretty-printed API response page or a top-level array).
 *
 * Records are handed out as raw bytes for the JSON parser, with room after
 * them: the bytes up to `cap` are readable, so a parser that needs padding
 * (simdjson: 64 bytes) can work in place. A line inside the current block
 * is not copied; a line spanning blocks is assembled in a buffer. A record
 * longer than max_record is reported (LS_REC_BAD with "record longer than N
 * bytes") and the rest of its line skipped without being stored.
 *
 * Cost: O(bytes) (one memchr per line); memory one block (1 MiB) plus at
 * most max_record + padding for a line that spans blocks.
 */
#ifndef LS_READ_JSON_RECORDS_H
#define LS_READ_JSON_RECORDS_H

#include "read/csv_records.h"
#include "read/input.h"

typedef struct ls_jsonrec ls_jsonrec_t;

/* Starts reading from `in` (borrowed). `padding` readable bytes follow
 * every record. *out is freed with ls_jsonrec_free. Fails only when out of
 * memory. */
ls_error_t ls_jsonrec_open(ls_jsonrec_t **out, ls_instream_t *in, size_t max_record,
                           size_t padding, ls_ctx_t *ctx);

/* Whole-document mode: the next record is the rest of the input. */
void ls_jsonrec_set_whole(ls_jsonrec_t *r);

/* Advances: LS_OK with *st (LS_REC_RECORD, LS_REC_END, LS_REC_BAD), or an
 * I/O / memory error. A UTF-8 byte order mark at the start is skipped. */
ls_error_t ls_jsonrec_next(ls_jsonrec_t *r, ls_rec_status_t *st, ls_ctx_t *ctx);

/* The current record: bytes p[0..n), readable up to p[cap) (cap >= n +
 * padding). Borrowed until the next ls_jsonrec_next. */
void ls_jsonrec_get(const ls_jsonrec_t *r, const char **p, size_t *n, size_t *cap);

/* 1-based line on which the current (or just dropped) record starts. */
uint64_t ls_jsonrec_line(const ls_jsonrec_t *r);
/* Why the last record was dropped. Borrowed. */
const char *ls_jsonrec_problem(const ls_jsonrec_t *r);

void ls_jsonrec_free(ls_jsonrec_t *r);

#endif
