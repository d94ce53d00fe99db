/*
 * The reader: input -> records -> format mapper -> ls_post_t, one post per
 * ls_reader_next call (see reader.h).
 *
 * The first non-blank byte of the input picks the record kind unless a
 * format is named: '{' or '[' means JSON, anything else CSV.
 *
 * CSV: the header record picks the format (or checks the one given, or
 * resolves --columns) and maps column names to indexes once. Every later
 * record must have as many fields as the header.
 *
 * JSON: records are lines (JSON lines), or the whole input when it is a
 * top-level array or a pretty-printed document (first line just "{").
 * Each record is parsed with simdjson (json_simdjson.h); a v2 response page
 * {"data": [...], "includes": ...} or an array yields one post per element,
 * any other object one post. Without --format the format is detected from
 * the keys of the first record that parses; records that do not parse are
 * skipped and counted like any other bad record.
 *
 * The mapper fills one reused ls_post_t and ls_entities_t whose strings all
 * point into the record buffer (CSV) or the parsed document (JSON), so the
 * steady state allocates nothing. A post whose id was already read (in this
 * input, or in any input sharing the id set) is skipped and counted as a
 * duplicate. A bad record becomes one diagnostic line "FILE:LINE: what"
 * and is skipped and counted, or in strict mode fails the read with
 * LS_EPARSE (and every later call returns that error too); duplicates are
 * skipped with a warning in both modes.
 *
 * Cost: O(bytes) time; memory O(1 MiB blocks + one record (bounded by
 * max_record) + simdjson's buffers for it) plus 16-32 bytes per distinct
 * post id for the duplicate check.
 */
#include "read/reader.h"

#include "core/ctx.h"
#include "core/strpool.h"
#include "core/u64map.h"
#include "read/csv_records.h"
#include "read/formats.h"
#include "read/input.h"
#include "read/json_simdjson.h"
#include "read/json_records.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <xxhash.h>

#define JSON_MAX_DEPTH 64

struct ls_reader {
	ls_instream_t *in;
	ls_csvrec_t *rec;     /* CSV records, or */
	ls_jsonrec_t *jrec;   /* JSON records */
	ls_sjson_t *json;
	const ls_format_t *fmt;
	size_t col[LS_FORMAT_MAX_COLS];
	size_t nheader;       /* fields in the header = fields per record */
	uint64_t line;        /* start line of the current record */
	uint64_t read, skipped, dups;
	ls_error_t failed;    /* sticky error after a failure */
	ls_post_t post;
	ls_entities_t ent;
	ls_map_env_t env;
	/* JSON: the parsed record whose items are being handed out */
	int have_doc;
	ls_sjson_val_t items, page;
	int has_page, single, is_array, empty;
	ls_sjson_iter_t it;
	size_t item;          /* index of the item last handed out + 1 */
	/* duplicate post ids: XXH3-64 of the id -> line (saturated) */
	ls_u64map_t own_ids;
	ls_u64map_t *ids;
	/* ls_reader_only_lines: sorted start lines of the records to map */
	const uint64_t *want;
	size_t nwant, iwant;
};

/* Whether the record starting on r->line is to be split only (not one of
 * the lines given to ls_reader_only_lines). */
static int unwanted(ls_reader_t *r)
{
	if (r->want == NULL)
		return 0;
	while (r->iwant < r->nwant && r->want[r->iwant] < r->line)
		r->iwant++;
	return r->iwant >= r->nwant || r->want[r->iwant] != r->line;
}

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

/* The message of a mapper failure, after `prefix` ("data[3]: " or ""). */
static void map_message(const ls_map_error_t *why, const char *prefix, char *what, size_t cap)
{
	char val[48];
	printable(why->value, 40, val, sizeof val);
	switch (why->problem) {
	case LS_MAP_BAD_TIME:
		snprintf(what, cap, "%sfield '%s': cannot parse '%s' as a time", prefix, why->field, val);
		break;
	case LS_MAP_NO_ACCOUNT:
		snprintf(what, cap, "%sfield '%s': empty account (no account id or handle)", prefix,
		         why->field);
		break;
	case LS_MAP_MISSING:
		snprintf(what, cap, "%sfield '%s': missing or not of the expected type", prefix,
		         why->field);
		break;
	default:
		snprintf(what, cap, "%snot a JSON object", prefix);
		break;
	}
}

/* ------------------------------------------------------------------ CSV */

static ls_error_t read_header(ls_reader_t *r, const ls_reader_config_t *cfg, ls_ctx_t *ctx)
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
	if (r->fmt == NULL) {
		r->fmt = ls_format_detect(h, n);
		if (r->fmt == NULL)
			return ls_fail(ctx, LS_EFORMAT,
			               "%s: cannot detect the format from the header '%s' "
			               "(known formats: %s; choose one with --format, or name the "
			               "columns with --columns)",
			               name, header_text(h, n, seen, sizeof seen), known);
	}
	if (r->fmt->user_columns) {
		char msg[400];
		if (cfg->columns == NULL)
			return ls_fail(ctx, LS_EINVAL, "format 'columns' needs --columns");
		if (ls_columns_check(cfg->columns, msg, sizeof msg) != 0)
			return ls_fail(ctx, LS_EINVAL, "%s", msg);
		if (ls_columns_resolve(cfg->columns, h, n, r->col, msg, sizeof msg) != 0)
			return ls_fail(ctx, LS_EFORMAT, "%s: %s (header: '%s')", name, msg,
			               header_text(h, n, seen, sizeof seen));
		return LS_OK;
	}
	const char *missing = NULL;
	if (ls_format_columns(r->fmt, h, n, r->col, &missing) != 0)
		return ls_fail(ctx, LS_EFORMAT, "%s: header lacks column '%s' of format '%s' (header: '%s')",
		               name, missing, r->fmt->name, header_text(h, n, seen, sizeof seen));
	return LS_OK;
}

static ls_error_t next_csv(ls_reader_t *r, const ls_post_t **post, ls_ctx_t *ctx);

/* ----------------------------------------------------------------- JSON */

/* Sets up the items of a parsed record. Returns 0, or -1 with `what`. */
static int setup_items(ls_reader_t *r, const ls_sjson_val_t *root, char *what, size_t cap)
{
	r->has_page = r->single = r->is_array = r->empty = 0;
	r->item = 0;
	ls_sjson_val_t d;
	switch (ls_sjson_type(root)) {
	case LS_SJSON_OBJECT:
		if (ls_sjson_get(root, "data", &d)) {
			r->page = *root;
			r->has_page = 1;
			r->items = d;
			if (ls_sjson_type(&d) == LS_SJSON_ARRAY) {
				ls_sjson_iter_start(&d, &r->it);
			} else if (ls_sjson_type(&d) == LS_SJSON_OBJECT) {
				r->single = 1;
			} else {
				snprintf(what, cap, "field 'data': not an array or object");
				return -1;
			}
		} else if (r->fmt == &ls_fmt_twitter_v2 &&
		           (ls_sjson_get(root, "meta", &d) || ls_sjson_get(root, "includes", &d))) {
			r->empty = 1; /* a page without results */
		} else {
			r->items = *root;
			r->single = 1;
		}
		return 0;
	case LS_SJSON_ARRAY:
		r->items = *root;
		r->is_array = 1;
		ls_sjson_iter_start(root, &r->it);
		return 0;
	default:
		snprintf(what, cap, "not a JSON object or array");
		return -1;
	}
}

/* Reads and parses the next JSON record: *got = 1 with the items set up,
 * 0 at the end. Bad records are reported on the way. */
static ls_error_t next_doc(ls_reader_t *r, int *got, ls_ctx_t *ctx)
{
	*got = 0;
	for (;;) {
		ls_rec_status_t st;
		ls_error_t err = ls_jsonrec_next(r->jrec, &st, ctx);
		if (err != LS_OK)
			return err;
		if (st == LS_REC_END)
			return LS_OK;
		r->line = ls_jsonrec_line(r->jrec);
		if (unwanted(r))
			continue;
		char what[320];
		if (st == LS_REC_BAD) {
			if (bad_record(r, ctx, ls_jsonrec_problem(r->jrec)) != LS_OK)
				return LS_EPARSE;
			continue;
		}
		const char *p, *msg = NULL;
		size_t n, cap;
		ls_jsonrec_get(r->jrec, &p, &n, &cap);
		ls_sjson_val_t root;
		if (ls_sjson_parse(r->json, p, n, cap, &root, &msg) != 0) {
			snprintf(what, sizeof what, "invalid JSON: %s", msg);
			if (bad_record(r, ctx, what) != LS_OK)
				return LS_EPARSE;
			continue;
		}
		if (setup_items(r, &root, what, sizeof what) != 0) {
			if (bad_record(r, ctx, what) != LS_OK)
				return LS_EPARSE;
			continue;
		}
		*got = 1;
		return LS_OK;
	}
}

static int next_item(ls_reader_t *r, ls_sjson_val_t *el)
{
	if (r->empty)
		return 0;
	if (r->single) {
		if (r->item > 0)
			return 0;
		r->item = 1;
		*el = r->items;
		return 1;
	}
	if (!ls_sjson_iter_next(&r->items, &r->it, el))
		return 0;
	r->item++;
	return 1;
}

/* Detects the JSON format from the first record that parses; that record
 * stays loaded for ls_reader_next. */
static ls_error_t detect_json(ls_reader_t *r, ls_ctx_t *ctx)
{
	int got;
	ls_error_t err = next_doc(r, &got, ctx);
	if (err != LS_OK)
		return err;
	const char *name = ls_instream_name(r->in);
	if (!got)
		return ls_fail(ctx, LS_EFORMAT, "%s: no valid JSON record (%llu skipped): cannot "
		               "detect the format (choose one with --format)",
		               name, (unsigned long long)r->skipped);
	ls_sjson_val_t first = r->items;
	if (r->is_array) {
		ls_sjson_iter_t it;
		ls_sjson_iter_start(&r->items, &it);
		if (!ls_sjson_iter_next(&r->items, &it, &first))
			first = r->items;
	} else if (r->has_page) {
		first = r->page;
	}
	r->fmt = ls_format_detect_json(&first);
	if (r->fmt == NULL)
		return ls_fail(ctx, LS_EFORMAT,
		               "%s:%llu: cannot detect the JSON format from the keys of this record "
		               "(twitter-v1 needs user with id_str or created_at; twitter-v2 data or "
		               "author_id; choose one with --format)",
		               name, (unsigned long long)r->line);
	r->have_doc = 1;
	return LS_OK;
}

/* Whether the JSON input is one document rather than JSON lines: it starts
 * with '[' or its first line is just "{". */
static int whole_document(const char *p, size_t n)
{
	if (n > 0 && p[0] == '[')
		return 1;
	size_t i = 1;
	while (i < n && (p[i] == ' ' || p[i] == '\t' || p[i] == '\r'))
		i++;
	return i < n && p[i] == '\n';
}

static ls_error_t open_json(ls_reader_t *r, const char *first, size_t n, size_t max_record,
                            ls_ctx_t *ctx)
{
	size_t limit = max_record ? max_record : LS_CSV_DEFAULT_MAX_RECORD;
	r->json = ls_sjson_new(limit, JSON_MAX_DEPTH);
	if (r->json == NULL)
		return ls_fail(ctx, LS_ENOMEM, "out of memory opening %s", ls_instream_name(r->in));
	ls_error_t err = ls_jsonrec_open(&r->jrec, r->in, limit, ls_sjson_padding(), ctx);
	if (err != LS_OK)
		return err;
	if (whole_document(first, n))
		ls_jsonrec_set_whole(r->jrec);
	if (r->fmt == NULL)
		return detect_json(r, ctx);
	return LS_OK;
}

static ls_error_t next_json(ls_reader_t *r, const ls_post_t **post, ls_ctx_t *ctx);

/* --------------------------------------------------------------- common */

/* Offset of the first byte of s that is not valid UTF-8 (RFC 3629: no
 * overlong forms, no surrogates, nothing above U+10FFFF) or is NUL, or
 * s.n when the whole string is valid. Outputs (CSV, GraphML, JSON) must
 * stay valid text, so such records are refused. O(n). */
static int ascii_without_nul(const char *p, size_t n)
{
	const uint64_t high = 0x8080808080808080ULL, ones = 0x0101010101010101ULL;
	size_t i = 0;
	for (; i + 8 <= n; i += 8) {
		uint64_t x;
		memcpy(&x, p + i, 8);
		if ((x & high) != 0 || ((x - ones) & ~x & high) != 0)
			return 0;
	}
	for (; i < n; i++)
		if (p[i] == '\0' || (unsigned char)p[i] >= 0x80)
			return 0;
	return 1;
}

static size_t utf8_bad(ls_str_t s)
{
	/* Fast paths: plain ASCII (most fields) word by word, else simdjson's
	 * SIMD validator and memchr; the loop below only runs to find the
	 * offset of a problem. */
	if (ascii_without_nul(s.p, s.n) ||
	    (ls_sjson_utf8_valid(s.p, s.n) && memchr(s.p, '\0', s.n) == NULL))
		return s.n;
	const unsigned char *p = (const unsigned char *)s.p;
	size_t i = 0, n = s.n;
	while (i < n) {
		unsigned c = p[i];
		if (c >= 0x01 && c < 0x80) {
			i++;
			continue;
		}
		size_t len;
		unsigned lo = 0x80, hi = 0xBF;
		if (c >= 0xC2 && c <= 0xDF)
			len = 2;
		else if (c >= 0xE0 && c <= 0xEF) {
			len = 3;
			if (c == 0xE0)
				lo = 0xA0;
			else if (c == 0xED)
				hi = 0x9F;
		} else if (c >= 0xF0 && c <= 0xF4) {
			len = 4;
			if (c == 0xF0)
				lo = 0x90;
			else if (c == 0xF4)
				hi = 0x8F;
		} else {
			return i; /* NUL, continuation byte, C0/C1, F5..FF */
		}
		if (n - i < len || p[i + 1] < lo || p[i + 1] > hi)
			return i;
		for (size_t k = 2; k < len; k++)
			if (p[i + k] < 0x80 || p[i + k] > 0xBF)
				return i;
		i += len;
	}
	return n;
}

/* Whether v lies in clean[0..n) (bytes known to be ASCII without NUL, see
 * ls_csvrec_clean) and so needs no check. */
static inline int inside(ls_str_t v, const char *clean, size_t n)
{
	uintptr_t a = (uintptr_t)v.p, lo = (uintptr_t)clean;
	return v.n == 0 || (clean != NULL && a >= lo && a - lo <= n && v.n <= n - (a - lo));
}

/* The single strings of a post that must be valid text, by offset (no
 * table of copies to build per post). */
static const struct {
	const char *name;
	size_t off;
} text_fields[] = {
	{"id", offsetof(ls_post_t, id)},
	{"account id", offsetof(ls_post_t, account_id)},
	{"handle", offsetof(ls_post_t, handle)},
	{"text", offsetof(ls_post_t, text)},
	{"referenced post", offsetof(ls_post_t, ref_post)},
	{"referenced account", offsetof(ls_post_t, ref_account)},
	{"reply_to", offsetof(ls_post_t, reply_to)},
	{"quoted", offsetof(ls_post_t, quoted)},
};

/* Checks every string of the post (but those inside clean[0..nclean)); on a
 * bad one writes the message. */
/* ls_reader_id_key of s[0..n), whose pool key is k. */
static uint64_t id_key(ls_strkey_t k, const char *s, size_t n)
{
	const uint64_t top = UINT64_C(1) << 63;
	if ((k.tag & LS_STRPOOL_NUMERIC) && k.key < top)
		return k.key;
	uint64_t h = XXH3_64bits(s, n) | top;
	return h == LS_U64MAP_EMPTY ? h - 1 : h;
}

static int post_text_ok(const ls_post_t *p, const char *clean, size_t nclean, char *what,
                        size_t cap)
{
	for (size_t i = 0; i < sizeof text_fields / sizeof text_fields[0]; i++) {
		ls_str_t v = *(const ls_str_t *)(const void *)((const char *)p + text_fields[i].off);
		if (inside(v, clean, nclean))
			continue;
		size_t at = utf8_bad(v);
		if (at < v.n) {
			snprintf(what, cap, "field '%s': %s at byte %zu", text_fields[i].name,
			         v.p[at] == '\0' ? "NUL byte" : "invalid UTF-8", at);
			return 0;
		}
	}
	const struct {
		const char *name;
		const ls_str_t *v;
		size_t n;
	} l[] = {{"urls", p->urls, p->n_urls}, {"hashtags", p->hashtags, p->n_hashtags},
	         {"mentions", p->mentions, p->n_mentions}};
	for (size_t i = 0; i < 3; i++)
		for (size_t k = 0; k < l[i].n; k++)
			if (!inside(l[i].v[k], clean, nclean) && utf8_bad(l[i].v[k]) < l[i].v[k].n) {
				snprintf(what, cap, "field '%s': item %zu is not valid UTF-8", l[i].name, k);
				return 0;
			}
	if (p->ad)
		for (size_t k = 0; k < p->ad->n_targeting; k++)
			if (utf8_bad(p->ad->targeting[k]) < p->ad->targeting[k].n) {
				snprintf(what, cap, "field 'targeting': item %zu is not valid UTF-8", k);
				return 0;
			}
	return 1;
}

/* Points the post at its entities and checks its id for a duplicate.
 * Strings inside clean[0..nclean) are known to be valid text (NULL: none).
 * Returns 1 when the post is to be handed out, 0 when it was skipped, or
 * -1 with r->failed set (strict mode, out of memory). */
static int finish_post(ls_reader_t *r, const char *clean, size_t nclean, ls_ctx_t *ctx)
{
	r->post.urls = r->ent.urls;
	r->post.n_urls = r->ent.n_urls;
	r->post.hashtags = r->ent.hashtags;
	r->post.n_hashtags = r->ent.n_hashtags;
	r->post.mentions = r->ent.mentions;
	r->post.n_mentions = r->ent.n_mentions;
	r->post.ent_pending = r->ent.pending;
	if (r->post.ent_pending && r->post.ad) {
		/* ads are stored on the reading thread: parse now */
		ls_entities_t *e = &r->ent;
		ls_entities_t all;
		ls_entities_parse(r->post.text.p, r->post.text.n, &all);
		if (e->pending & LS_ENT_URLS)
			memcpy(e->urls, all.urls, (e->n_urls = all.n_urls) * sizeof all.urls[0]);
		if (e->pending & LS_ENT_HASHTAGS)
			memcpy(e->hashtags, all.hashtags,
			       (e->n_hashtags = all.n_hashtags) * sizeof all.hashtags[0]);
		if (e->pending & LS_ENT_MENTIONS)
			memcpy(e->mentions, all.mentions,
			       (e->n_mentions = all.n_mentions) * sizeof all.mentions[0]);
		r->post.n_urls = e->n_urls;
		r->post.n_hashtags = e->n_hashtags;
		r->post.n_mentions = e->n_mentions;
		r->post.ent_pending = e->pending = 0;
	}
	/* the id's slot of the duplicate set (a cache miss in a large set) is
	 * fetched while the strings are checked */
	int check_id = r->post.id.n > 0 && !r->fmt->ids_repeat;
	uint64_t h = 0;
	if (check_id) {
		r->post.id_key = ls_strpool_key(r->post.id.p, r->post.id.n);
		r->post.id_keyed = 1;
		h = id_key(r->post.id_key, r->post.id.p, r->post.id.n);
		ls_u64map_prefetch(r->ids, h);
	}
	char what[160];
	if (!post_text_ok(&r->post, clean, nclean, what, sizeof what))
		return bad_record(r, ctx, what) == LS_OK ? 0 : -1;
	if (check_id) {
		uint32_t line = r->line > UINT32_MAX ? UINT32_MAX : (uint32_t)r->line;
		uint32_t *slot;
		int inserted;
		if (ls_u64map_upsert(r->ids, h, line, &slot, &inserted) != 0) {
			r->failed = ls_fail(ctx, LS_ENOMEM, "%s:%llu: out of memory recording post ids",
			                    ls_instream_name(r->in), (unsigned long long)r->line);
			return -1;
		}
		if (!inserted) {
			char id[48];
			r->dups++;
			r->skipped++;
			ls_diag(ctx, LS_DIAG_WARNING, "%s:%llu: duplicate post id '%s': skipped (already read)",
			        ls_instream_name(r->in), (unsigned long long)r->line,
			        printable(r->post.id, 40, id, sizeof id));
			return 0;
		}
	}
	r->read++;
	return 1;
}

uint64_t ls_reader_id_key(const char *s, size_t n)
{
	return id_key(ls_strpool_key(s, n), s, n);
}

static void reset_post(ls_reader_t *r)
{
	memset(&r->post, 0, sizeof r->post);
	r->ent.n_urls = r->ent.n_hashtags = r->ent.n_mentions = 0;
	r->ent.rt_user.n = 0;
	r->ent.pending = 0;
}

ls_error_t ls_reader_open_config(ls_reader_t **out, const char *path,
                                 const ls_reader_config_t *cfg, ls_ctx_t *ctx)
{
	*out = NULL;
	ls_reader_config_t none;
	memset(&none, 0, sizeof none);
	if (cfg == NULL)
		cfg = &none;
	if (path == NULL)
		return ls_fail(ctx, LS_EINVAL, "no input path");
	const ls_format_t *fmt = NULL;
	char known[256];
	if (cfg->format != NULL && (fmt = ls_format_find(cfg->format)) == NULL)
		return ls_fail(ctx, LS_EINVAL, "unknown format '%s' (known formats: %s)", cfg->format,
		               ls_format_list(known, sizeof known));
	if (cfg->columns != NULL) {
		if (fmt != NULL && !fmt->user_columns)
			return ls_fail(ctx, LS_EINVAL, "--columns cannot be combined with format '%s'",
			               fmt->name);
		fmt = &ls_fmt_columns;
	}
	if (cfg->time_format != NULL && ls_time_format_check(cfg->time_format) != 0)
		return ls_fail(ctx, LS_EINVAL, "invalid time format '%s'", cfg->time_format);
	ls_reader_t *r = calloc(1, sizeof *r);
	if (r == NULL)
		return ls_fail(ctx, LS_ENOMEM, "out of memory opening %s", path);
	r->fmt = fmt;
	r->env.time_format = cfg->time_format;
	ls_u64map_init(&r->own_ids);
	ls_u64map_set_dense(&r->own_ids);
	r->ids = cfg->seen_ids ? cfg->seen_ids : &r->own_ids;
	const char *peek = NULL;
	size_t npeek = 0;
	ls_error_t err = ls_instream_open(&r->in, path, ctx);
	if (err == LS_OK && cfg->no_digest)
		ls_instream_no_digest(r->in);
	if (err == LS_OK)
		err = ls_instream_peek(r->in, &peek, &npeek, ctx);
	if (err == LS_OK && ls_ctx_threads(ctx) > 1)
		ls_instream_decode_thread(r->in); /* decompression overlaps parsing */
	if (err == LS_OK) {
		/* First non-blank byte, after a UTF-8 byte order mark. */
		size_t i = npeek >= 3 && memcmp(peek, "\xEF\xBB\xBF", 3) == 0 ? 3 : 0;
		while (i < npeek && (peek[i] == ' ' || peek[i] == '\t' || peek[i] == '\r' ||
		                     peek[i] == '\n'))
			i++;
		int json = fmt ? fmt->kind == LS_FORMAT_JSON
		               : (i < npeek && (peek[i] == '{' || peek[i] == '['));
		if (json) {
			err = open_json(r, peek + i, npeek - i, cfg->max_record, ctx);
		} else {
			err = ls_csvrec_open(&r->rec, r->in, cfg->max_record, 0, ctx);
			if (err == LS_OK)
				err = read_header(r, cfg, ctx);
		}
	}
	if (err != LS_OK) {
		ls_reader_free(r);
		return err;
	}
	*out = r;
	return LS_OK;
}

ls_error_t ls_reader_open(ls_reader_t **out, const char *path, const char *format,
                          size_t max_record, ls_ctx_t *ctx)
{
	ls_reader_config_t cfg;
	memset(&cfg, 0, sizeof cfg);
	cfg.format = format;
	cfg.max_record = max_record;
	return ls_reader_open_config(out, path, &cfg, ctx);
}

static ls_error_t next_csv(ls_reader_t *r, const ls_post_t **post, ls_ctx_t *ctx)
{
	for (;;) {
		ls_rec_status_t st;
		if (r->want != NULL) {
			/* records before the next wanted line are skipped fast; the
			 * current line may still be wanted (a CR ends a record) */
			size_t i = r->iwant;
			while (i < r->nwant && r->want[i] < r->line)
				i++;
			ls_csvrec_skip_before(r->rec, i < r->nwant ? r->want[i] : UINT64_MAX);
		}
		ls_error_t err = ls_csvrec_next(r->rec, &st, ctx);
		if (err != LS_OK) {
			r->failed = err;
			return err;
		}
		if (st == LS_REC_END)
			return LS_OK;
		r->line = ls_csvrec_line(r->rec);
		if (unwanted(r))
			continue;
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
		reset_post(r);
		ls_map_error_t why = {LS_MAP_OK, NULL, {NULL, 0}};
		if (r->fmt->map(&r->env, f, r->col, &r->post, &r->ent, &why) != 0) {
			map_message(&why, "", what, sizeof what);
			if (bad_record(r, ctx, what) != LS_OK)
				return LS_EPARSE;
			continue;
		}
		const char *clean;
		size_t nclean;
		ls_csvrec_clean(r->rec, &clean, &nclean);
		int ok = finish_post(r, clean, nclean, ctx);
		if (ok < 0)
			return r->failed;
		if (ok == 0)
			continue;
		*post = &r->post;
		return LS_OK;
	}
}

static ls_error_t next_json(ls_reader_t *r, const ls_post_t **post, ls_ctx_t *ctx)
{
	for (;;) {
		if (!r->have_doc) {
			int got;
			ls_error_t err = next_doc(r, &got, ctx);
			if (err != LS_OK) {
				r->failed = err;
				return err;
			}
			if (!got)
				return LS_OK;
			r->have_doc = 1;
		}
		ls_sjson_val_t el;
		if (!next_item(r, &el)) {
			r->have_doc = 0;
			continue;
		}
		char prefix[48], what[320];
		prefix[0] = '\0';
		if (r->has_page && !r->single)
			snprintf(prefix, sizeof prefix, "data[%zu]: ", r->item - 1);
		else if (r->is_array)
			snprintf(prefix, sizeof prefix, "[%zu]: ", r->item - 1);
		reset_post(r);
		ls_map_error_t why = {LS_MAP_NOT_OBJECT, NULL, {NULL, 0}};
		if (ls_sjson_type(&el) != LS_SJSON_OBJECT ||
		    r->fmt->map_json(&r->env, &el, r->has_page ? &r->page : NULL, &r->post, &r->ent,
		                     &why) != 0) {
			map_message(&why, prefix, what, sizeof what);
			if (bad_record(r, ctx, what) != LS_OK)
				return LS_EPARSE;
			continue;
		}
		int ok = finish_post(r, NULL, 0, ctx);
		if (ok < 0)
			return r->failed;
		if (ok == 0)
			continue;
		*post = &r->post;
		return LS_OK;
	}
}

ls_error_t ls_reader_next(ls_reader_t *r, const ls_post_t **post, ls_ctx_t *ctx)
{
	*post = NULL;
	if (r->failed != LS_OK)
		return r->failed;
	return r->jrec ? next_json(r, post, ctx) : next_csv(r, post, ctx);
}

void ls_reader_only_lines(ls_reader_t *r, const uint64_t *lines, size_t n)
{
	r->want = lines;
	r->nwant = n;
	r->iwant = 0;
}

void ls_reader_defer_entities(ls_reader_t *r)
{
	r->ent.defer = 1;
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
	st->duplicates = r->dups;
	st->bytes = ls_instream_stored_bytes(r->in);
	ls_instream_sha256(r->in, st->sha256);
	st->data_bytes = ls_instream_data_bytes(r->in);
}

void ls_reader_free(ls_reader_t *r)
{
	if (r == NULL)
		return;
	ls_csvrec_free(r->rec);
	ls_jsonrec_free(r->jrec);
	ls_sjson_free(r->json);
	ls_instream_close(r->in);
	ls_u64map_destroy(&r->own_ids);
	free(r);
}
