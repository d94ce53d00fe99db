/*
 * The reader: input -> CSV records -> format mapper -> ls_post_t, one post
 * per ls_reader_next call (see reader.h).
 *
 * The header record picks the format (or checks the one given) and maps
 * its column names to indexes once. Every later record must have as many
 * fields as the header; the mapper then fills one reused ls_post_t and
 * ls_entities_t, whose strings all point into the record buffer, so the
 * steady state allocates nothing. A bad record becomes one diagnostic line
 * "FILE:LINE: what" and is skipped and counted, or in strict mode fails the
 * read with LS_EPARSE (and every later call returns that error too).
 *
 * Cost: O(bytes) time; memory O(1 MiB blocks + one record).
 */
#include "read/reader.h"

#include "core/ctx.h"
#include "read/csv_records.h"
#include "read/formats.h"
#include "read/input.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct ls_reader {
	ls_instream_t *in;
	ls_csvrec_t *rec;
	const ls_format_t *fmt;
	size_t col[LS_FORMAT_MAX_COLS];
	size_t nheader;       /* fields in the header = fields per record */
	uint64_t line;        /* start line of the current record */
	uint64_t read, skipped;
	ls_error_t failed;    /* sticky error after a failure */
	ls_post_t post;
	ls_entities_t ent;
};

/* Copies at most `max` bytes of v into buf as printable text (control
 * characters become '?'), so a diagnostic stays on one line. */
static const char *printable(ls_str_t v, size_t max, char *buf, size_t cap)
{
	size_t n = v.n < max ? v.n : max;
	if (n >= cap)
		n = cap - 1;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)v.p[i];
		buf[i] = (c < 0x20 || c == 0x7f) ? '?' : (char)c;
	}
	buf[n] = '\0';
	return buf;
}

/* The header as "a,b,c" (shortened) for messages. */
static const char *header_text(const ls_str_t *h, size_t n, char *buf, size_t cap)
{
	size_t used = 0;
	buf[0] = '\0';
	for (size_t i = 0; i < n && used + 1 < cap; i++) {
		char part[64];
		printable(h[i], 40, part, sizeof part);
		int w = snprintf(buf + used, cap - used, "%s%s", i ? "," : "", part);
		if (w < 0 || (size_t)w >= cap - used) {
			buf[used] = '\0';
			break;
		}
		used += (size_t)w;
	}
	return buf;
}

/* Reports a bad record: a warning (skipped, counted) or, in strict mode,
 * the error that ends the read. Returns LS_OK or LS_EPARSE. */
static ls_error_t bad_record(ls_reader_t *r, ls_ctx_t *ctx, const char *what)
{
	if (ctx != NULL && ctx->strict) {
		r->failed = LS_EPARSE;
		return ls_fail(ctx, LS_EPARSE, "%s:%llu: %s", ls_instream_name(r->in),
		               (unsigned long long)r->line, what);
	}
	r->skipped++;
	ls_diag(ctx, LS_DIAG_WARNING, "%s:%llu: %s", ls_instream_name(r->in),
	        (unsigned long long)r->line, what);
	return LS_OK;
}

static ls_error_t read_header(ls_reader_t *r, const char *format, ls_ctx_t *ctx)
{
	const char *name = ls_instream_name(r->in);
	char known[256], seen[512];
	ls_format_list(known, sizeof known);
	ls_rec_status_t st;
	ls_error_t err = ls_csvrec_next(r->rec, &st, ctx);
	if (err != LS_OK)
		return err;
	if (st == LS_REC_END)
		return ls_fail(ctx, LS_EFORMAT, "%s: empty input: no header line", name);
	if (st == LS_REC_BAD)
		return ls_fail(ctx, LS_EPARSE, "%s:%llu: header: %s", name,
		               (unsigned long long)ls_csvrec_line(r->rec), ls_csvrec_problem(r->rec));
	size_t n;
	const ls_str_t *h = ls_csvrec_fields(r->rec, &n);
	r->nheader = n;
	if (format != NULL) {
		r->fmt = ls_format_find(format);
		if (r->fmt == NULL)
			return ls_fail(ctx, LS_EINVAL, "unknown format '%s' (known formats: %s)", format,
			               known);
	} else {
		r->fmt = ls_format_detect(h, n);
		if (r->fmt == NULL)
			return ls_fail(ctx, LS_EFORMAT,
			               "%s: cannot detect the format from the header '%s' "
			               "(known formats: %s; choose one with --format)",
			               name, header_text(h, n, seen, sizeof seen), known);
	}
	const char *missing = NULL;
	if (ls_format_columns(r->fmt, h, n, r->col, &missing) != 0)
		return ls_fail(ctx, LS_EFORMAT, "%s: header lacks column '%s' of format '%s' (header: '%s')",
		               name, missing, r->fmt->name, header_text(h, n, seen, sizeof seen));
	return LS_OK;
}

ls_error_t ls_reader_open(ls_reader_t **out, const char *path, const char *format,
                          size_t max_record, ls_ctx_t *ctx)
{
	*out = NULL;
	if (path == NULL)
		return ls_fail(ctx, LS_EINVAL, "no input path");
	if (format != NULL && ls_format_find(format) == NULL) {
		char known[256];
		return ls_fail(ctx, LS_EINVAL, "unknown format '%s' (known formats: %s)", format,
		               ls_format_list(known, sizeof known));
	}
	ls_reader_t *r = calloc(1, sizeof *r);
	if (r == NULL)
		return ls_fail(ctx, LS_ENOMEM, "out of memory opening %s", path);
	ls_error_t err = ls_instream_open(&r->in, path, ctx);
	if (err == LS_OK)
		err = ls_csvrec_open(&r->rec, r->in, max_record, 0, ctx);
	if (err == LS_OK)
		err = read_header(r, format, ctx);
	if (err != LS_OK) {
		ls_reader_free(r);
		return err;
	}
	*out = r;
	return LS_OK;
}

ls_error_t ls_reader_next(ls_reader_t *r, const ls_post_t **post, ls_ctx_t *ctx)
{
	*post = NULL;
	if (r->failed != LS_OK)
		return r->failed;
	for (;;) {
		ls_rec_status_t st;
		ls_error_t err = ls_csvrec_next(r->rec, &st, ctx);
		if (err != LS_OK) {
			r->failed = err;
			return err;
		}
		if (st == LS_REC_END)
			return LS_OK;
		r->line = ls_csvrec_line(r->rec);
		char what[256];
		if (st == LS_REC_BAD) {
			if (bad_record(r, ctx, ls_csvrec_problem(r->rec)) != LS_OK)
				return LS_EPARSE;
			continue;
		}
		size_t n;
		const ls_str_t *f = ls_csvrec_fields(r->rec, &n);
		if (n != r->nheader) {
			snprintf(what, sizeof what, "expected %zu fields, found %zu", r->nheader, n);
			if (bad_record(r, ctx, what) != LS_OK)
				return LS_EPARSE;
			continue;
		}
		memset(&r->post, 0, sizeof r->post);
		r->ent.n_urls = r->ent.n_hashtags = r->ent.n_mentions = 0;
		r->ent.rt_user.n = 0;
		ls_map_error_t why = {LS_MAP_OK, NULL, {NULL, 0}};
		if (r->fmt->map(f, r->col, &r->post, &r->ent, &why) != 0) {
			char val[48];
			printable(why.value, 40, val, sizeof val);
			if (why.problem == LS_MAP_BAD_TIME)
				snprintf(what, sizeof what, "field '%s': cannot parse '%s' as a time",
				         why.field, val);
			else
				snprintf(what, sizeof what, "field '%s': empty account (no account id or handle)",
				         why.field);
			if (bad_record(r, ctx, what) != LS_OK)
				return LS_EPARSE;
			continue;
		}
		r->post.urls = r->ent.urls;
		r->post.n_urls = r->ent.n_urls;
		r->post.hashtags = r->ent.hashtags;
		r->post.n_hashtags = r->ent.n_hashtags;
		r->post.mentions = r->ent.mentions;
		r->post.n_mentions = r->ent.n_mentions;
		r->read++;
		*post = &r->post;
		return LS_OK;
	}
}

uint64_t ls_reader_line(const ls_reader_t *r)
{
	return r->line;
}

const char *ls_reader_format(const ls_reader_t *r)
{
	return r->fmt->name;
}

void ls_reader_stats(const ls_reader_t *r, ls_reader_stats_t *st)
{
	st->records_read = r->read;
	st->records_skipped = r->skipped;
	st->bytes = ls_instream_stored_bytes(r->in);
	ls_instream_sha256(r->in, st->sha256);
	st->data_bytes = ls_instream_data_bytes(r->in);
}

void ls_reader_free(ls_reader_t *r)
{
	if (r == NULL)
		return;
	ls_csvrec_free(r->rec);
	ls_instream_close(r->in);
	free(r);
}
