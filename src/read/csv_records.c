/*
 * CSV records with libcsv, fed one line at a time.
 *
 * Design: decompressed bytes arrive in a fixed 1 MiB block. The block is cut
 * into chunks that each end at the first '\n' or '\r' (or at the block's
 * end, when a line spans two blocks) and every chunk is fed to csv_parse.
 * Since libcsv can only end a row at a CR or LF, at most one row completes
 * per chunk, so a finished record can be handed out before more is parsed,
 * and the line counter (incremented after each '\n') tells the line on
 * which each record starts: the line of the first chunk with content fed
 * while no record was open. No line is ever buffered whole: libcsv streams
 * partial chunks, so a 100 MB line costs no more memory than max_record.
 *
 * libcsv copies each field into its own buffer and calls back; the callback
 * appends it to `buf` (one record, reused) and remembers offset and length.
 * Bytes fed into an open record are counted before feeding; a record that
 * would exceed max_record is dropped, the rest of its physical line
 * skipped, and parsing restarts with a fresh parser on the next line.
 *
 * libcsv trims spaces around unquoted fields by default; a space function
 * that accepts nothing turns that off so fields keep their bytes.
 *
 * Cost: O(bytes); memory O(block + max_record + max_fields).
 */
#include "read/csv_records.h"

#include "core/ctx.h"

#include <csv.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif

/* LS_IO_BLOCK: block size, 1 MiB; the fuzz build makes it tiny so that
 * records spanning blocks are exercised. */
#ifndef LS_IO_BLOCK
#define LS_IO_BLOCK ((size_t)1 << 20)
#endif
#define BLOCK ((size_t)LS_IO_BLOCK)
#define CSV_BLK_SIZE ((size_t)64 << 10) /* libcsv field buffer growth step */

/* libcsv's parser state "inside a field" (libcsv.c: FIELD_BEGUN). The
 * state lives in the public struct; the value is stable across libcsv 3. */
#define LIBCSV_FIELD_BEGUN 2

struct ls_csvrec {
	ls_instream_t *in;
	struct csv_parser p;
	int p_init;
	char *blk;              /* decompressed bytes: blk[pos..len) unread */
	size_t blk_len, blk_pos;
	int eof;                /* input exhausted */
	int started;            /* first block read (BOM checked) */
	uint64_t line;          /* physical line of blk[pos] */
	uint64_t rec_line;      /* line on which the open/current record starts */
	int rec_open;           /* bytes of a record were fed, its row not ended */
	size_t rec_bytes;       /* bytes fed into the open record */
	int skip_line;          /* after an oversized record: drop to next '\n' */
	uint64_t skip_before;   /* ls_csvrec_skip_before: plain lines before it */
	size_t max_record, max_fields;
	/* the record being assembled */
	char *buf;
	size_t buf_len, buf_cap;
	size_t *foff;           /* field offsets into buf */
	ls_str_t *fields;       /* pointers made from foff once complete */
	size_t nf;              /* fields seen (may exceed max_fields) */
	int ready;              /* row ended: record complete */
	/* the current record was split in place from clean[0..clean_n), which
	 * is ASCII without NUL (so is every field); NULL otherwise */
	const char *clean;
	size_t clean_n;
	int oom;
	char problem[96];
};

static int never_space(unsigned char c)
{
	(void)c;
	return 0;
}

static int parser_init(ls_csvrec_t *r)
{
	if (csv_init(&r->p, 0) != 0)
		return -1;
	csv_set_space_func(&r->p, never_space);
	csv_set_blk_size(&r->p, CSV_BLK_SIZE);
	r->p_init = 1;
	return 0;
}

static void parser_reset(ls_csvrec_t *r)
{
	if (r->p_init)
		csv_free(&r->p);
	r->p_init = 0;
	/* csv_init does not allocate; it cannot fail with valid options. */
	(void)parser_init(r);
}

/* libcsv field callback: append the field to the record buffer. */
static void on_field(void *s, size_t n, void *data)
{
	ls_csvrec_t *r = data;
	size_t i = r->nf++;
	if (i >= r->max_fields || r->oom)
		return;
	if (n > r->buf_cap - r->buf_len) {
		/* Total field bytes <= bytes fed <= max_record, so this is bounded. */
		size_t need = r->buf_len + n, cap = r->buf_cap;
		while (cap < need)
			cap = cap > SIZE_MAX / 2 ? need : cap * 2;
		char *nb = realloc(r->buf, cap);
		if (nb == NULL) {
			r->oom = 1;
			return;
		}
		r->buf = nb;
		r->buf_cap = cap;
	}
	if (n > 0)
		memcpy(r->buf + r->buf_len, s, n);
	r->foff[i] = r->buf_len;
	r->fields[i].n = n;
	r->buf_len += n;
}

/* libcsv row callback. */
static void on_row(int c, void *data)
{
	ls_csvrec_t *r = data;
	(void)c;
	r->ready = 1;
	r->rec_open = 0;
	r->rec_bytes = 0;
}

ls_error_t ls_csvrec_open(ls_csvrec_t **out, ls_instream_t *in, size_t max_record,
                          size_t max_fields, ls_ctx_t *ctx)
{
	*out = NULL;
	ls_csvrec_t *r = calloc(1, sizeof *r);
	if (r == NULL)
		return ls_fail(ctx, LS_ENOMEM, "out of memory");
	r->in = in;
	r->max_record = max_record ? max_record : LS_CSV_DEFAULT_MAX_RECORD;
	r->max_fields = max_fields ? max_fields : LS_CSV_DEFAULT_MAX_FIELDS;
	r->line = 1;
	r->buf_cap = 64 << 10;
	if (r->max_fields > SIZE_MAX / sizeof(ls_str_t))
		r->max_fields = LS_CSV_DEFAULT_MAX_FIELDS;
	r->blk = malloc(BLOCK);
	r->buf = malloc(r->buf_cap);
	r->foff = malloc(r->max_fields * sizeof *r->foff);
	r->fields = malloc(r->max_fields * sizeof *r->fields);
	if (r->blk == NULL || r->buf == NULL || r->foff == NULL || r->fields == NULL ||
	    parser_init(r) != 0) {
		ls_csvrec_free(r);
		return ls_fail(ctx, LS_ENOMEM, "out of memory");
	}
	*out = r;
	return LS_OK;
}

/* Reads the next block; on the first one, skips a UTF-8 byte order mark. */
static ls_error_t read_block(ls_csvrec_t *r, ls_ctx_t *ctx)
{
	return ls_instream_fill(r->in, r->blk, BLOCK, &r->blk_len, &r->blk_pos, &r->started, &r->eof,
	                        ctx);
}

/* Forgets the open record and restarts the parser (after a bad record). */
static void drop_record(ls_csvrec_t *r)
{
	parser_reset(r);
	r->rec_open = 0;
	r->rec_bytes = 0;
	r->nf = 0;
	r->buf_len = 0;
	r->ready = 0;
}

static ls_rec_status_t complete(ls_csvrec_t *r)
{
	r->ready = 0;
	if (r->nf > r->max_fields) {
		snprintf(r->problem, sizeof r->problem, "more than %zu fields", r->max_fields);
		return LS_REC_BAD;
	}
	for (size_t i = 0; i < r->nf; i++)
		r->fields[i].p = r->buf + r->foff[i];
	return LS_REC_RECORD;
}

/* Fast path for a whole line s[0..n) (n excludes the terminator) that
 * starts no multi-line record: splits it in place when every field is
 * either unquoted without any '"' or quoted as "..." with only doubled
 * quotes ("") inside and followed directly by ',' or the end. On such lines
 * libcsv would produce exactly these fields (a doubled quote is one '"'),
 * so the result is the same; anything else (quotes inside unquoted fields,
 * a lone quote inside a quoted one, an open quote running into the next
 * line, too many fields) returns -1 and the line goes to libcsv untouched.
 * Most lines of real exports qualify, and their fields point into the
 * block: no copy. Fields with doubled quotes are unescaped in place, only
 * once the whole line has qualified. */
static int split_simple(ls_csvrec_t *r, char *s, size_t n)
{
	const char *p = s, *e = s + n;
	size_t nf = 0, nesc = 0;
	for (;;) {
		if (nf == r->max_fields)
			return -1;
		const char *fs, *fe, *next;
		size_t esc = 0;
		if (p < e && *p == '"') {
			fs = p + 1;
			const char *q = fs;
			for (;;) {
				q = memchr(q, '"', (size_t)(e - q));
				if (q == NULL)
					return -1;
				if (q + 1 < e && q[1] == '"') {
					q += 2;
					esc = 1;
				} else {
					break;
				}
			}
			fe = q;
			next = fe + 1;
			if (next < e && *next != ',')
				return -1;
		} else {
			fs = p;
			fe = memchr(fs, ',', (size_t)(e - fs));
			if (fe == NULL)
				fe = e;
			if (memchr(fs, '"', (size_t)(fe - fs)) != NULL)
				return -1;
			next = fe;
		}
		r->fields[nf].p = fs;
		r->fields[nf].n = (size_t)(fe - fs);
		r->foff[nf] = esc; /* scratch here: 1 = holds doubled quotes */
		nesc += esc;
		nf++;
		if (next >= e)
			break;
		p = next + 1; /* after the comma */
	}
	for (size_t i = 0; nesc > 0 && i < nf; i++) {
		if (!r->foff[i])
			continue;
		nesc--;
		char *d = s + (r->fields[i].p - s); /* the block is ours to rewrite */
		const char *q = d, *fe = d + r->fields[i].n;
		char *w = d;
		while (q < fe) {
			const char *dq = memchr(q, '"', (size_t)(fe - q));
			size_t run = dq ? (size_t)(dq - q) + 1 : (size_t)(fe - q);
			memmove(w, q, run);
			w += run;
			q += run + (dq != NULL); /* the second quote of the pair */
		}
		r->fields[i].n = (size_t)(w - d);
	}
	r->nf = nf;
	return 0;
}

#ifdef __SSE2__
/* One pass over the line at s, 16 bytes at a time, in place of a memchr per
 * terminator and per field: when the line ends (first '\n' or '\r') before
 * e and holds no '"' and at most max_fields fields, splits it at its commas
 * into r->fields[0..*nfields) (on such a line every comma separates, as in
 * split_simple), sets *lim just after the terminator and *ascii = no byte
 * >= 0x80 and no NUL before it, and returns 1 (r->nf is left to the caller). Else returns 0 at the first '"', or after
 * the field too many, or at e, and the caller takes the general path. */
static int scan_line(ls_csvrec_t *r, const char *s, const char *e, const char **lim, size_t *nfields,
                     int *ascii)
{
	const __m128i nl = _mm_set1_epi8('\n'), cr = _mm_set1_epi8('\r');
	const __m128i comma = _mm_set1_epi8(','), quote = _mm_set1_epi8('"');
	const __m128i zero = _mm_setzero_si128();
	const char *fs = s;
	size_t nf = 0;
	unsigned high = 0;
	for (const char *p = s; p < e; p += 16) {
		unsigned mt = 0, mc = 0, mq = 0, mh = 0;
		if (e - p >= 16) {
			__m128i v = _mm_loadu_si128((const __m128i *)(const void *)p);
			mt = (unsigned)_mm_movemask_epi8(
			    _mm_or_si128(_mm_cmpeq_epi8(v, nl), _mm_cmpeq_epi8(v, cr)));
			mc = (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(v, comma));
			mq = (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(v, quote));
			mh = (unsigned)_mm_movemask_epi8(_mm_or_si128(v, _mm_cmpeq_epi8(v, zero)));
		} else { /* the block's last bytes */
			for (int i = 0; i < e - p; i++) {
				unsigned char c = (unsigned char)p[i];
				mt |= (unsigned)(c == '\n' || c == '\r') << i;
				mc |= (unsigned)(c == ',') << i;
				mq |= (unsigned)(c == '"') << i;
				mh |= (unsigned)(c >= 0x80 || c == 0) << i;
			}
		}
		unsigned keep = mt ? (1u << __builtin_ctz(mt)) - 1 : 0xFFFFu;
		if (mq & keep)
			return 0;
		high |= mh & keep;
		for (mc &= keep; mc; mc &= mc - 1) {
			const char *c = p + __builtin_ctz(mc);
			if (nf == r->max_fields)
				return 0;
			r->fields[nf].p = fs;
			r->fields[nf].n = (size_t)(c - fs);
			nf++;
			fs = c + 1;
		}
		if (mt) {
			const char *t = p + __builtin_ctz(mt);
			if (nf == r->max_fields)
				return 0;
			r->fields[nf].p = fs;
			r->fields[nf].n = (size_t)(t - fs);
			*nfields = nf + 1;
			*lim = t + 1;
			*ascii = high == 0;
			return 1;
		}
	}
	return 0;
}
#endif

void ls_csvrec_skip_before(ls_csvrec_t *r, uint64_t line)
{
	r->skip_before = line;
}

/* 1 when s[0..n) (a line without its terminator) is certainly one whole
 * record for libcsv: every field is unquoted without '"', or quoted with
 * its quotes doubled inside ("a ""b"" c") and closed right before a ','
 * or the end. */
static int one_record(const char *s, size_t n)
{
	const char *p = s, *e = s + n;
	for (;;) {
		const char *next;
		if (p < e && *p == '"') {
			const char *q = p + 1;
			for (;;) {
				q = memchr(q, '"', (size_t)(e - q));
				if (q == NULL)
					return 0; /* the field runs on to the next line */
				if (q + 1 < e && q[1] == '"')
					q += 2;
				else
					break;
			}
			next = q + 1;
			if (next < e && *next != ',')
				return 0;
		} else {
			next = memchr(p, ',', (size_t)(e - p));
			if (next == NULL)
				next = e;
			if (memchr(p, '"', (size_t)(next - p)) != NULL)
				return 0;
		}
		if (next >= e)
			return 1;
		p = next + 1;
	}
}

/* Passes over whole lines of the block before r->skip_before that hold no
 * CR but one right before the LF, are no longer than max_record and are
 * one record each (one_record): on such a line (no record open) the path
 * below always ends one record (or a blank line) at its LF, whatever the
 * fields. */
static void skip_plain_lines(ls_csvrec_t *r)
{
	char *p = r->blk + r->blk_pos, *end = r->blk + r->blk_len;
	uint64_t line = r->line;
	while (line < r->skip_before) {
		char *nl = memchr(p, '\n', (size_t)(end - p));
		if (nl == NULL)
			break;
		size_t n = (size_t)(nl - p);
		size_t body = n > 0 && nl[-1] == '\r' ? n - 1 : n;
		if (n >= r->max_record || memchr(p, '\r', body) != NULL ||
		    (memchr(p, '"', body) != NULL && !one_record(p, body)))
			break;
		p = nl + 1;
		line++;
	}
	r->blk_pos = (size_t)(p - r->blk);
	r->line = line;
}

ls_error_t ls_csvrec_next(ls_csvrec_t *r, ls_rec_status_t *st, ls_ctx_t *ctx)
{
	r->clean = NULL;
	r->nf = 0;
	r->buf_len = 0;
	r->ready = 0;
	r->problem[0] = '\0';
	for (;;) {
		if (r->blk_pos == r->blk_len) {
			if (!r->eof) {
				ls_error_t err = read_block(r, ctx);
				if (err != LS_OK)
					return err;
				continue;
			}
			/* End of input. */
			if (!r->rec_open) {
				*st = LS_REC_END;
				return LS_OK;
			}
			if (r->p.quoted && r->p.pstate == LIBCSV_FIELD_BEGUN) {
				snprintf(r->problem, sizeof r->problem, "unterminated quoted field");
				drop_record(r);
				*st = LS_REC_BAD;
				return LS_OK;
			}
			/* Last row without a final newline. */
			csv_fini(&r->p, on_field, on_row, r);
			r->rec_open = 0;
			if (r->oom)
				return ls_fail(ctx, LS_ENOMEM, "out of memory reading a record");
			*st = complete(r);
			return LS_OK;
		}
		if (r->line < r->skip_before && !r->rec_open && !r->skip_line && r->started) {
			skip_plain_lines(r);
			if (r->blk_pos == r->blk_len)
				continue;
		}
		char *start = r->blk + r->blk_pos, *end = r->blk + r->blk_len;
		if (r->skip_line) {
			char *nl = memchr(start, '\n', (size_t)(end - start));
			if (nl == NULL) {
				r->blk_pos = r->blk_len;
			} else {
				r->blk_pos += (size_t)(nl + 1 - start);
				r->line++;
				r->skip_line = 0;
			}
			continue;
		}
#ifdef __SSE2__
		const char *slim;
		size_t nf;
		int ascii;
		if (!r->rec_open && scan_line(r, start, end, &slim, &nf, &ascii) && slim - start > 1 &&
		    (size_t)(slim - start) <= r->max_record) {
			size_t n = (size_t)(slim - start);
			r->nf = nf;
			r->rec_line = r->line;
			r->blk_pos += n;
			if (slim[-1] == '\n')
				r->line++;
			if (ascii) {
				r->clean = start;
				r->clean_n = n - 1;
			}
			*st = LS_REC_RECORD;
			return LS_OK;
		}
#endif
		char *nl = memchr(start, '\n', (size_t)(end - start));
		char *lim = nl ? nl + 1 : end;
		char *cr = memchr(start, '\r', (size_t)(lim - start));
		if (cr != NULL)
			lim = cr + 1;
		size_t clen = (size_t)(lim - start);
		char last = lim[-1];
		int term = last == '\n' || last == '\r';
		if (!r->rec_open) {
			if (term && clen == 1) { /* blank line or the LF of a CRLF */
				r->blk_pos += 1;
				if (last == '\n')
					r->line++;
				continue;
			}
			if (term && clen <= r->max_record && split_simple(r, start, clen - 1) == 0) {
				r->rec_line = r->line;
				r->blk_pos += clen;
				if (last == '\n')
					r->line++;
				*st = LS_REC_RECORD;
				return LS_OK;
			}
			r->rec_open = 1;
			r->rec_line = r->line;
		}
		if (clen > r->max_record - r->rec_bytes) {
			snprintf(r->problem, sizeof r->problem, "record longer than %zu bytes",
			         r->max_record);
			drop_record(r);
			r->blk_pos += clen;
			if (last == '\n')
				r->line++;
			else
				r->skip_line = 1;
			*st = LS_REC_BAD;
			return LS_OK;
		}
		r->rec_bytes += clen;
		size_t fed = csv_parse(&r->p, start, clen, on_field, on_row, r);
		if (fed != clen || r->oom)
			return ls_fail(ctx, LS_ENOMEM, "%s:%llu: out of memory reading a record (%s)",
			               ls_instream_name(r->in), (unsigned long long)r->rec_line,
			               r->oom ? "record buffer" : csv_strerror(csv_error(&r->p)));
		r->blk_pos += clen;
		if (last == '\n')
			r->line++;
		if (r->ready) {
			*st = complete(r);
			return LS_OK;
		}
	}
}

const ls_str_t *ls_csvrec_fields(const ls_csvrec_t *r, size_t *n)
{
	*n = r->nf;
	return r->fields;
}

int ls_csvrec_clean(const ls_csvrec_t *r, const char **p, size_t *n)
{
	*p = r->clean;
	*n = r->clean_n;
	return r->clean != NULL;
}

uint64_t ls_csvrec_line(const ls_csvrec_t *r)
{
	return r->rec_line;
}

const char *ls_csvrec_problem(const ls_csvrec_t *r)
{
	return r->problem;
}

void ls_csvrec_free(ls_csvrec_t *r)
{
	if (r == NULL)
		return;
	if (r->p_init)
		csv_free(&r->p);
	free(r->blk);
	free(r->buf);
	free(r->foff);
	free(r->fields);
	free(r);
}
