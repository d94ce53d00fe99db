/*
 * JSON records (see json_records.h): lines cut out of 1 MiB blocks.
 *
 * Design: the block buffer is allocated with `padding` spare bytes after
 * it, so a line that lies wholly inside the block is handed out in place:
 * the parser may read past its end into the rest of the block or the
 * spare bytes. A line that runs past the block end is appended to `buf`
 * (bounded by max_record) and completed from the next blocks. Once a line
 * is known to exceed max_record, its remaining bytes are skipped, never
 * stored. Whole-document mode appends everything to `buf`.
 *
 * Cost: O(bytes); memory O(block + max_record + padding).
 */
#include "read/json_records.h"

#include "core/ctx.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* LS_IO_BLOCK: block size, 1 MiB; the fuzz build makes it tiny so that
 * records spanning blocks are exercised. */
#ifndef LS_IO_BLOCK
#define LS_IO_BLOCK ((size_t)1 << 20)
#endif
#define BLOCK ((size_t)LS_IO_BLOCK)

struct ls_jsonrec {
	ls_instream_t *in;
	size_t max_record, padding;
	char *blk;                /* BLOCK + padding bytes */
	size_t blk_len, blk_pos;
	int eof, started, whole, whole_done;
	uint64_t line;            /* line of blk[blk_pos] */
	uint64_t rec_line;
	char *buf;                /* assembled record, cap >= len + padding */
	size_t buf_len, buf_cap;
	int carrying;             /* buf holds the start of an unfinished line */
	int skipping;             /* dropping the rest of an oversized line */
	const char *rec;
	size_t rec_len, rec_cap;
	char problem[96];
};

ls_error_t ls_jsonrec_open(ls_jsonrec_t **out, ls_instream_t *in, size_t max_record,
                           size_t padding, ls_ctx_t *ctx)
{
	*out = NULL;
	ls_jsonrec_t *r = calloc(1, sizeof *r);
	if (r == NULL)
		return ls_fail(ctx, LS_ENOMEM, "out of memory");
	r->in = in;
	r->max_record = max_record ? max_record : LS_CSV_DEFAULT_MAX_RECORD;
	if (r->max_record > SIZE_MAX / 2)
		r->max_record = SIZE_MAX / 2;
	r->padding = padding;
	r->line = 1;
	r->blk = malloc(BLOCK + padding);
	if (r->blk == NULL) {
		free(r);
		return ls_fail(ctx, LS_ENOMEM, "out of memory");
	}
	memset(r->blk + BLOCK, 0, padding);
	*out = r;
	return LS_OK;
}

void ls_jsonrec_set_whole(ls_jsonrec_t *r)
{
	r->whole = 1;
}

static ls_error_t read_block(ls_jsonrec_t *r, ls_ctx_t *ctx)
{
	return ls_instream_fill(r->in, r->blk, BLOCK, &r->blk_len, &r->blk_pos, &r->started, &r->eof,
	                        ctx);
}

/* Appends s[0..n) to buf. Returns 1 if the record would exceed the limit
 * (nothing appended), -1 when out of memory, else 0. */
static int append(ls_jsonrec_t *r, const char *s, size_t n)
{
	if (n > r->max_record - r->buf_len)
		return 1;
	size_t need = r->buf_len + n + r->padding;
	if (need > r->buf_cap) {
		size_t cap = r->buf_cap ? r->buf_cap : 4096;
		while (cap < need)
			cap *= 2;
		char *nb = realloc(r->buf, cap);
		if (nb == NULL)
			return -1;
		r->buf = nb;
		r->buf_cap = cap;
	}
	memcpy(r->buf + r->buf_len, s, n);
	r->buf_len += n;
	return 0;
}

static int blank(const char *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (p[i] != ' ' && p[i] != '\t' && p[i] != '\r' && p[i] != '\n')
			return 0;
	return 1;
}

static void use_buf(ls_jsonrec_t *r)
{
	memset(r->buf + r->buf_len, 0, r->padding);
	r->rec = r->buf;
	r->rec_len = r->buf_len;
	r->rec_cap = r->buf_len + r->padding;
}

static ls_error_t too_long(ls_jsonrec_t *r, ls_rec_status_t *st)
{
	snprintf(r->problem, sizeof r->problem, "record longer than %zu bytes", r->max_record);
	r->buf_len = 0;
	r->carrying = 0;
	*st = LS_REC_BAD;
	return LS_OK;
}

static ls_error_t next_whole(ls_jsonrec_t *r, ls_rec_status_t *st, ls_ctx_t *ctx)
{
	if (r->whole_done) {
		*st = LS_REC_END;
		return LS_OK;
	}
	r->whole_done = 1;
	r->rec_line = r->line;
	r->buf_len = 0;
	for (;;) {
		if (r->blk_pos == r->blk_len) {
			if (r->eof)
				break;
			ls_error_t err = read_block(r, ctx);
			if (err != LS_OK)
				return err;
			continue;
		}
		int a = append(r, r->blk + r->blk_pos, r->blk_len - r->blk_pos);
		if (a < 0)
			return ls_fail(ctx, LS_ENOMEM, "%s: out of memory reading a document",
			               ls_instream_name(r->in));
		if (a > 0)
			return too_long(r, st);
		r->blk_pos = r->blk_len;
	}
	if (blank(r->buf, r->buf_len)) {
		*st = LS_REC_END;
		return LS_OK;
	}
	if (append(r, "", 0) < 0)
		return ls_fail(ctx, LS_ENOMEM, "out of memory");
	use_buf(r);
	*st = LS_REC_RECORD;
	return LS_OK;
}

ls_error_t ls_jsonrec_next(ls_jsonrec_t *r, ls_rec_status_t *st, ls_ctx_t *ctx)
{
	r->problem[0] = '\0';
	if (r->whole)
		return next_whole(r, st, ctx);
	if (!r->carrying)
		r->buf_len = 0;
	for (;;) {
		if (r->blk_pos == r->blk_len) {
			if (!r->eof) {
				ls_error_t err = read_block(r, ctx);
				if (err != LS_OK)
					return err;
				continue;
			}
			r->skipping = 0;
			if (r->carrying) { /* last line without a newline */
				r->carrying = 0;
				if (blank(r->buf, r->buf_len))
					continue;
				if (append(r, "", 0) < 0)
					return ls_fail(ctx, LS_ENOMEM, "out of memory");
				use_buf(r);
				*st = LS_REC_RECORD;
				return LS_OK;
			}
			*st = LS_REC_END;
			return LS_OK;
		}
		char *start = r->blk + r->blk_pos, *end = r->blk + r->blk_len;
		char *nl = memchr(start, '\n', (size_t)(end - start));
		size_t n = (size_t)((nl ? nl : end) - start);
		if (r->skipping) {
			r->blk_pos += n;
			if (nl) {
				r->blk_pos++;
				r->line++;
				r->skipping = 0;
			}
			continue;
		}
		if (!r->carrying)
			r->rec_line = r->line;
		if (nl == NULL) { /* the line goes on in the next block */
			int a = append(r, start, n);
			if (a < 0)
				return ls_fail(ctx, LS_ENOMEM, "%s:%llu: out of memory reading a record",
				               ls_instream_name(r->in), (unsigned long long)r->rec_line);
			r->blk_pos = r->blk_len;
			if (a > 0) {
				r->skipping = 1;
				return too_long(r, st);
			}
			r->carrying = 1;
			continue;
		}
		r->blk_pos += n + 1;
		r->line++;
		if (r->carrying) {
			r->carrying = 0;
			int a = append(r, start, n);
			if (a < 0)
				return ls_fail(ctx, LS_ENOMEM, "%s:%llu: out of memory reading a record",
				               ls_instream_name(r->in), (unsigned long long)r->rec_line);
			if (a > 0)
				return too_long(r, st);
			if (blank(r->buf, r->buf_len)) {
				r->buf_len = 0;
				continue;
			}
			if (append(r, "", 0) < 0)
				return ls_fail(ctx, LS_ENOMEM, "out of memory");
			use_buf(r);
		} else {
			if (n > r->max_record)
				return too_long(r, st);
			if (blank(start, n))
				continue;
			r->rec = start;
			r->rec_len = n;
			r->rec_cap = (size_t)(r->blk + BLOCK + r->padding - start);
		}
		*st = LS_REC_RECORD;
		return LS_OK;
	}
}

void ls_jsonrec_get(const ls_jsonrec_t *r, const char **p, size_t *n, size_t *cap)
{
	*p = r->rec;
	*n = r->rec_len;
	*cap = r->rec_cap;
}

uint64_t ls_jsonrec_line(const ls_jsonrec_t *r)
{
	return r->rec_line;
}

const char *ls_jsonrec_problem(const ls_jsonrec_t *r)
{
	return r->problem;
}

void ls_jsonrec_free(ls_jsonrec_t *r)
{
	if (r == NULL)
		return;
	free(r->blk);
	free(r->buf);
	free(r);
}
