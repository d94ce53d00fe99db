/*
 * Dataset: reading inputs into compact post rows and behaviour traces.
 *
 * Each post from a reader is reduced to a 24-byte row and, per enabled
 * behaviour, to zero or more 24-byte traces (object hash, time, account,
 * post). The object of a key is XXH3-64 of the key seeded with the
 * behaviour index, so equal keys of different behaviours never meet.
 * Accounts are interned by key (the account id, else the handle) and get
 * dense indexes in order of first appearance: deterministic for a given
 * input order. Cost per post: O(text length) for extraction plus O(1)
 * amortised for interning.
 */
#include "core/dataset.h"
#include "core/ctx.h"
#include "extract/behaviour.h"
#include "extract/derived.h"
#include "read/reader.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <xxhash.h>

void ls_read_options_init(ls_read_options_t *opt)
{
	memset(opt, 0, sizeof *opt);
	opt->min_text_length = 10;
	opt->max_record_bytes = 16u << 20;
	opt->neardup_jaccard = 0.8;
	opt->fast_retweet = 10;
	opt->sync_bin = 60;
}

ls_error_t ls_dataset_new(ls_dataset_t **out, const ls_read_options_t *opt, ls_ctx_t *ctx)
{
	*out = NULL;
	if (opt && !(opt->neardup_jaccard > 0 && opt->neardup_jaccard < 1))
		return ls_fail(ctx, LS_EINVAL, "the near-duplicate Jaccard threshold must be in (0, 1)");
	if (opt && opt->fast_retweet < 0)
		return ls_fail(ctx, LS_EINVAL, "the fast-retweet lag must not be negative");
	if (opt && opt->sync_bin < 1)
		return ls_fail(ctx, LS_EINVAL, "the synchrony bin must be at least 1 second");
	ls_dataset_t *ds = calloc(1, sizeof *ds);
	if (ds == NULL)
		return ls_fail(ctx, LS_ENOMEM, "out of memory");
	if (opt)
		ds->opt = *opt;
	else
		ls_read_options_init(&ds->opt);
	ls_minhash_choose(ds->opt.neardup_jaccard, &ds->nd_bands, &ds->nd_rows);
	ds->extract_mask = ds->opt.extract_behaviours ? ds->opt.extract_behaviours : ~UINT64_C(0);
	if (ds->extract_mask >> LS_BH_FASTRETWEET & 1) /* derived from the co-retweets */
		ds->extract_mask |= ls_behaviour_bit("coretweet");
	ls_strpool_init(&ds->strings);
	ls_u64map_init(&ds->labels);
	ls_u64map_init(&ds->post_ids);
	*out = ds;
	return LS_OK;
}

void ls_dataset_free(ls_dataset_t *ds)
{
	if (ds == NULL)
		return;
	ls_strpool_destroy(&ds->strings);
	ls_vec_free(&ds->posts);
	ls_vec_free(&ds->accounts);
	ls_vec_free(&ds->account_of_sid);
	for (size_t i = 0; i < LS_MAX_BEHAVIOURS; i++)
		ls_vec_free(&ds->traces[i]);
	ls_u64map_destroy(&ds->labels);
	ls_u64map_destroy(&ds->post_ids);
	for (size_t i = 0; i < ds->inputs.n; i++)
		free(ds->inputs.v[i].path);
	ls_vec_free(&ds->inputs);
	ls_vec_free(&ds->ads);
	ls_vec_free(&ds->ad_facets);
	free(ds->scratch);
	free(ds->text);
	free(ds);
}

size_t ls_dataset_input_count(const ls_dataset_t *ds)
{
	return ds->inputs.n;
}

size_t ls_dataset_post_count(const ls_dataset_t *ds)
{
	return ds->posts.n;
}

size_t ls_dataset_account_count(const ls_dataset_t *ds)
{
	return ds->accounts.n;
}

ls_error_t ls_dataset_input(const ls_dataset_t *ds, size_t i, ls_input_info_t *info)
{
	if (i >= ds->inputs.n)
		return LS_EINVAL;
	const ls_input_t *in = &ds->inputs.v[i];
	info->path = in->path;
	info->format = in->format;
	info->bytes = in->bytes;
	info->records_read = in->read;
	info->records_skipped = in->skipped;
	memcpy(info->sha256, in->sha256, 32);
	return LS_OK;
}

void ls_dataset_ad_totals(const ls_dataset_t *ds, ls_ad_totals_t *out)
{
	memset(out, 0, sizeof *out);
	for (size_t i = 0; i < ds->ads.n; i++) {
		const ls_ad_row_t *a = &ds->ads.v[i];
		out->ads++;
		out->unattributed += a->attributed == 0;
		if (a->impressions > 0)
			out->impressions += (uint64_t)a->impressions;
		if (a->clicks > 0)
			out->clicks += (uint64_t)a->clicks;
		size_t k = 0;
		while (k < out->n_currencies && strcmp(out->currency[k].code, a->currency) != 0)
			k++;
		if (k == out->n_currencies) {
			if (k == LS_AD_MAX_CURRENCIES) {
				out->other_currency++;
				continue;
			}
			/* insert keeping the codes sorted */
			while (k > 0 && strcmp(out->currency[k - 1].code, a->currency) > 0) {
				out->currency[k] = out->currency[k - 1];
				k--;
			}
			memset(&out->currency[k], 0, sizeof out->currency[k]);
			memcpy(out->currency[k].code, a->currency, 4);
			out->n_currencies++;
		}
		out->currency[k].ads++;
		if (a->spend_cents > 0)
			out->currency[k].cents += a->spend_cents;
	}
}

const char *ls_dataset_object_label(const ls_dataset_t *ds, uint64_t object)
{
	uint32_t sid;
	if (ls_u64map_get(&ds->labels, object, &sid))
		return ls_strpool_get(&ds->strings, sid);
	return "";
}

const char *ls_dataset_post_ref(const ls_dataset_t *ds, uint32_t post, char *buf, size_t cap)
{
	if (cap == 0)
		return buf;
	if (post >= ds->posts.n) {
		buf[0] = '\0';
		return buf;
	}
	const ls_post_row_t *p = &ds->posts.v[post];
	if (p->id)
		snprintf(buf, cap, "%s", ls_strpool_get(&ds->strings, p->id));
	else
		snprintf(buf, cap, "%u:%u", (unsigned)p->input, (unsigned)p->line);
	return buf;
}

const char *ls_time_format(int64_t t, char *buf, size_t cap)
{
	/* civil-from-days (proleptic Gregorian), independent of the TZ setting */
	int64_t days = t / 86400, secs = t % 86400;
	if (secs < 0) {
		secs += 86400;
		days--;
	}
	int64_t z = days + 719468;
	int64_t era = (z >= 0 ? z : z - 146096) / 146097;
	int64_t doe = z - era * 146097;
	int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	int64_t y = yoe + era * 400;
	int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	int64_t mp = (5 * doy + 2) / 153;
	int64_t d = doy - (153 * mp + 2) / 5 + 1;
	int64_t m = mp < 10 ? mp + 3 : mp - 9;
	if (m <= 2)
		y++;
	snprintf(buf, cap, "%04" PRId64 "-%02" PRId64 "-%02" PRId64 "T%02d:%02d:%02dZ", y, m, d,
	         (int)(secs / 3600), (int)(secs / 60 % 60), (int)(secs % 60));
	return buf;
}

/* Context handed to behaviours' emit callback while one post is processed. */
typedef struct emit_state {
	ls_dataset_t *ds;
	uint32_t behaviour;
	uint32_t account;
	uint32_t post;
	int64_t time;
} emit_state_t;

int ls_dataset_add_trace(ls_dataset_t *ds, uint32_t b, const char *key, size_t n, int label,
                         uint32_t account, uint32_t post, int64_t time)
{
	uint64_t object = XXH3_64bits_withSeed(key, n, b + 1);
	if (object == LS_U64MAP_EMPTY)
		object--;
	if (label) {
		uint32_t *slot;
		int inserted;
		if (ls_u64map_upsert(&ds->labels, object, 0, &slot, &inserted))
			return -1;
		if (inserted) {
			ls_sid_t sid;
			if (ls_strpool_intern(&ds->strings, key, n, &sid))
				return -1;
			/* the upsert slot may have moved? no: interning does not touch the map */
			*slot = sid;
		}
	}
	ls_trace_t tr = {object, time, account, post};
	return ls_vec_push(&ds->traces[b], tr);
}

static int emit_key(void *user, const char *key, size_t n, int label)
{
	emit_state_t *st = user;
	return ls_dataset_add_trace(st->ds, st->behaviour, key, n, label, st->account, st->post,
	                            st->time);
}

static int intern_account(ls_dataset_t *ds, const ls_post_t *p, uint32_t *acc)
{
	const ls_str_t *key = p->account_id.n ? &p->account_id : &p->handle;
	ls_sid_t sid;
	if (ls_strpool_intern(&ds->strings, key->p, key->n, &sid))
		return -1;
	while (ds->account_of_sid.n <= sid)
		if (ls_vec_push(&ds->account_of_sid, LS_NONE))
			return -1;
	uint32_t a = ds->account_of_sid.v[sid];
	if (a == LS_NONE) {
		if (ds->accounts.n >= LS_NONE - 1)
			return -1;
		ls_account_t rec = {sid, 0, 0, 0};
		if (p->account_id.n)
			rec.id = sid;
		if (ls_vec_push(&ds->accounts, rec))
			return -1;
		a = (uint32_t)(ds->accounts.n - 1);
		ds->account_of_sid.v[sid] = a;
	}
	ls_account_t *rec = &ds->accounts.v[a];
	if (rec->handle == 0 && p->handle.n) {
		ls_sid_t h;
		if (ls_strpool_intern(&ds->strings, p->handle.p, p->handle.n, &h))
			return -1;
		rec = &ds->accounts.v[a];
		rec->handle = h;
	}
	rec->posts++;
	*acc = a;
	return 0;
}

/* Keeps an ad's facts in the side table. Returns 0 or -1 (out of memory). */
static int add_ad(ls_dataset_t *ds, const ls_ad_t *ad, uint32_t post)
{
	ls_ad_row_t row;
	memset(&row, 0, sizeof row);
	row.post = post;
	row.attributed = ad->attributed;
	row.spend_cents = ad->spend_cents;
	row.impressions = ad->impressions;
	row.clicks = ad->clicks;
	row.ended = ad->ended;
	memcpy(row.currency, ad->currency, sizeof row.currency);
	row.currency[3] = '\0';
	if (ds->ad_facets.n > UINT32_MAX - LS_AD_MAX_FACETS)
		return -1;
	row.facet_first = (uint32_t)ds->ad_facets.n;
	for (size_t i = 0; i < ad->n_targeting; i++) {
		ls_sid_t sid;
		if (ls_strpool_intern(&ds->strings, ad->targeting[i].p, ad->targeting[i].n, &sid) ||
		    ls_vec_push(&ds->ad_facets, sid))
			return -1;
	}
	row.facet_count = (uint32_t)(ds->ad_facets.n - row.facet_first);
	return ls_vec_push(&ds->ads, row);
}

static int ensure_scratch(ls_dataset_t *ds, const ls_post_t *p)
{
	size_t need = 2 * p->text.n + 64;
	if (p->ad)
		for (size_t i = 0; i < p->ad->n_targeting; i++)
			need += p->ad->targeting[i].n + 1;
	for (size_t i = 0; i < p->n_urls; i++)
		if (2 * p->urls[i].n + 64 > need)
			need = 2 * p->urls[i].n + 64;
	if (p->text.n + 1 > ds->text_cap) {
		char *t = realloc(ds->text, 2 * p->text.n + 64);
		if (t == NULL)
			return -1;
		ds->text = t;
		ds->text_cap = 2 * p->text.n + 64;
	}
	if (need <= ds->scratch_cap)
		return 0;
	char *s = realloc(ds->scratch, need);
	if (s == NULL)
		return -1;
	ds->scratch = s;
	ds->scratch_cap = need;
	return 0;
}

static ls_error_t add_post(ls_dataset_t *ds, const ls_post_t *p, uint16_t input, uint64_t line,
                           ls_ctx_t *ctx)
{
	if (ds->posts.n >= LS_NONE - 1)
		return ls_fail(ctx, LS_ELIMIT, "more than %u posts in one run", LS_NONE - 2);
	uint32_t acc;
	if (intern_account(ds, p, &acc))
		return ls_fail(ctx, LS_ENOMEM, "out of memory interning accounts");
	ls_post_row_t row = {0};
	row.time = p->time;
	row.account = acc;
	row.line = line > UINT32_MAX ? UINT32_MAX : (uint32_t)line;
	row.input = input;
	row.kind = (uint8_t)p->kind;
	if (p->id.n && ls_strpool_intern(&ds->strings, p->id.p, p->id.n, &row.id))
		return ls_fail(ctx, LS_ENOMEM, "out of memory interning post ids");
	if (ls_vec_push(&ds->posts, row))
		return ls_fail(ctx, LS_ENOMEM, "out of memory storing posts");
	if (p->ad && add_ad(ds, p->ad, (uint32_t)(ds->posts.n - 1)))
		return ls_fail(ctx, LS_ENOMEM, "out of memory storing ad facts");
	if (ensure_scratch(ds, p))
		return ls_fail(ctx, LS_ENOMEM, "out of memory");
	ls_text_cache_t text = {ds->text, 0, 0};
	ls_extract_env_t env = {ds->scratch, ds->scratch_cap, ds->opt.min_text_length, ds->nd_bands,
	                        ds->nd_rows, &text};
	emit_state_t st = {ds, 0, acc, (uint32_t)(ds->posts.n - 1), p->time};
	for (size_t b = 0; b < ls_behaviour_table_size; b++) {
		if (!(ds->extract_mask >> b & 1))
			continue;
		st.behaviour = (uint32_t)b;
		if (ls_behaviour_table[b]->extract(p, &env, emit_key, &st))
			return ls_fail(ctx, LS_ENOMEM, "out of memory storing behaviour traces");
	}
	return LS_OK;
}

ls_error_t ls_dataset_read(ls_dataset_t *ds, const char *path, const char *format, ls_ctx_t *ctx)
{
	if (ds->inputs.n >= UINT16_MAX)
		return ls_fail(ctx, LS_ELIMIT, "too many inputs (at most %u)", UINT16_MAX);
	ls_reader_t *r = NULL;
	ls_reader_config_t cfg = {format, ds->opt.max_record_bytes, ds->opt.columns,
	                          ds->opt.time_format, &ds->post_ids};
	ls_error_t err = ls_reader_open_config(&r, path, &cfg, ctx);
	if (err)
		return err;
	uint16_t input = (uint16_t)ds->inputs.n;
	uint64_t n = 0;
	ds->derived = 0;
	for (;;) {
		const ls_post_t *p;
		err = ls_reader_next(r, &p, ctx);
		if (err || p == NULL)
			break;
		err = add_post(ds, p, input, ls_reader_line(r), ctx);
		if (err)
			break;
		if (++n % 1000000 == 0)
			ls_diag(ctx, LS_DIAG_PROGRESS, "%s: %" PRIu64 " posts read", path, n);
	}
	if (err == LS_OK) {
		ls_reader_stats_t st;
		ls_reader_stats(r, &st);
		ls_input_t in = {0};
		size_t len = strlen(path);
		in.path = malloc(len + 1);
		if (in.path == NULL) {
			err = ls_fail(ctx, LS_ENOMEM, "out of memory");
		} else {
			memcpy(in.path, path, len + 1);
			in.format = ls_reader_format(r);
			in.bytes = st.bytes;
			in.read = st.records_read;
			in.skipped = st.records_skipped;
			memcpy(in.sha256, st.sha256, 32);
			if (ls_vec_push(&ds->inputs, in)) {
				free(in.path);
				err = ls_fail(ctx, LS_ENOMEM, "out of memory");
			}
		}
	}
	ls_reader_free(r);
	return err;
}
ls_error_t ls_dataset_derive(ls_dataset_t *ds, uint64_t mask, ls_ctx_t *ctx)
{
	static const struct {
		uint32_t b;
		ls_error_t (*pass)(ls_dataset_t *, ls_ctx_t *);
	} passes[] = {
		{LS_BH_FASTRETWEET, ls_extract_fastretweet},
		{LS_BH_SYNCHRONY, ls_extract_synchrony},
	};
	for (size_t i = 0; i < sizeof passes / sizeof passes[0]; i++) {
		uint64_t bit = UINT64_C(1) << passes[i].b;
		if (!(mask & bit) || (ds->derived & bit))
			continue;
		ls_error_t err = passes[i].pass(ds, ctx);
		if (err)
			return err;
		ds->derived |= bit;
		ls_diag(ctx, LS_DIAG_PROGRESS, "%s: %zu traces after reading",
		        ls_behaviour_table[passes[i].b]->name, ds->traces[passes[i].b].n);
	}
	return LS_OK;
}
