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
#include "read/formats.h"
#include "read/reader.h"

#include <inttypes.h>
#include <pthread.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <xxhash.h>

void ls_read_options_init(ls_read_options_t *opt)
{
	memset(opt, 0, sizeof *opt);
	opt->min_text_length = 10;
	opt->max_record_bytes = 16u << 20;
	opt->neardup_jaccard = 0.8;
	opt->neardup_seed = 1;
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
	ls_u64map_set_dense(&ds->labels); /* one slot per object: probed one post ahead */
	ls_u64map_init(&ds->post_ids);
	ls_u64map_set_dense(&ds->post_ids); /* one slot per post id: the biggest map read */
	ds->text_memory = (size_t)512 << 20;
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
	free(ds->account_slots);
	for (size_t i = 0; i < LS_MAX_BEHAVIOURS; i++)
		ls_vec_free(&ds->traces[i]);
	ls_u64map_destroy(&ds->labels);
	ls_u64map_destroy(&ds->post_ids);
	for (size_t i = 0; i < ds->inputs.n; i++)
		free(ds->inputs.v[i].path);
	ls_vec_free(&ds->inputs);
	ls_vec_free(&ds->input_first);
	ls_vec_free(&ds->ads);
	ls_vec_free(&ds->ad_facets);
	ls_vec_free(&ds->text_bytes);
	ls_vec_free(&ds->text_end);
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

void ls_ad_totals_add(ls_ad_totals_t *out, const ls_ad_row_t *a)
{
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
			return;
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

void ls_dataset_ad_totals(const ls_dataset_t *ds, ls_ad_totals_t *out)
{
	memset(out, 0, sizeof *out);
	for (size_t i = 0; i < ds->ads.n; i++)
		ls_ad_totals_add(out, &ds->ads.v[i]);
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
	if (p->id & LS_POST_ID_SID)
		snprintf(buf, cap, "%s", ls_strpool_get(&ds->strings, (ls_sid_t)p->id));
	else if (p->id)
		snprintf(buf, cap, "%" PRIu64, p->id);
	else
		snprintf(buf, cap, "%u:%u", (unsigned)ls_dataset_post_input(ds, post),
		         (unsigned)p->line);
	return buf;
}

uint32_t ls_dataset_post_input(const ls_dataset_t *ds, uint32_t post)
{
	/* the last input whose first post is at or before `post` */
	size_t lo = 0, hi = ds->input_first.n;
	while (hi - lo > 1) {
		size_t mid = lo + (hi - lo) / 2;
		if (ds->input_first.v[mid] <= post)
			lo = mid;
		else
			hi = mid;
	}
	return (uint32_t)lo;
}

void ls_dataset_input_posts(const ls_dataset_t *ds, size_t in, uint32_t *first, uint32_t *end)
{
	if (in >= ds->input_first.n) {
		*first = *end = (uint32_t)ds->posts.n;
		return;
	}
	*first = ds->input_first.v[in];
	*end = in + 1 < ds->input_first.n ? ds->input_first.v[in + 1] : (uint32_t)ds->posts.n;
}

/* The code of a post id whose pool key is k: its number when canonical
 * and in 1 .. 2^63 - 1, else 0 (a string). */
static uint64_t numeric_code(ls_strkey_t k)
{
	return (k.tag & LS_STRPOOL_NUMERIC) && k.key != 0 && k.key < LS_POST_ID_SID ? k.key : 0;
}

const char *ls_dataset_id_text(const ls_dataset_t *ds, uint64_t code, char *buf, size_t cap,
                               size_t *n)
{
	if (code & LS_POST_ID_SID) {
		*n = ls_strpool_len(&ds->strings, (ls_sid_t)code);
		return ls_strpool_get(&ds->strings, (ls_sid_t)code);
	}
	int w = snprintf(buf, cap, "%" PRIu64, code);
	*n = w < 0 ? 0 : (size_t)w < cap ? (size_t)w : cap - 1;
	return buf;
}

uint64_t ls_dataset_id_code(const ls_dataset_t *ds, const char *s, size_t n)
{
	uint64_t num = numeric_code(ls_strpool_key(s, n));
	if (num)
		return num;
	ls_sid_t sid = ls_strpool_find(&ds->strings, s, n);
	return sid ? LS_POST_ID_SID | sid : 0;
}

int ls_dataset_post_id_is(const ls_dataset_t *ds, const ls_post_row_t *row, const char *s,
                          size_t n)
{
	if (row->id == 0 || n == 0)
		return 0;
	if (row->id & LS_POST_ID_SID)
		return ls_strpool_len(&ds->strings, (ls_sid_t)row->id) == n &&
		       memcmp(ls_strpool_get(&ds->strings, (ls_sid_t)row->id), s, n) == 0;
	return numeric_code(ls_strpool_key(s, n)) == row->id;
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

int32_t ls_time_month(int64_t t)
{
	char when[32];
	ls_time_format(t, when, sizeof when);
	int32_t y = 0;
	for (int i = 0; i < 4; i++)
		y = y * 10 + (when[i] - '0');
	return y * 12 + (when[5] - '0') * 10 + (when[6] - '0') - 1;
}

/* Context handed to behaviours' emit callback while one post is processed. */
typedef struct emit_state {
	ls_dataset_t *ds;
	uint32_t behaviour;
	uint32_t account;
	uint32_t post;
	int64_t time;
} emit_state_t;

/* Object of a key of behaviour b: XXH3-64 seeded with b + 1, never the
 * map's empty marker. */
static uint64_t object_of(uint32_t b, const char *key, size_t n)
{
	uint64_t object = XXH3_64bits_withSeed(key, n, b + 1);
	return object == LS_U64MAP_EMPTY ? object - 1 : object;
}

/* Appends a trace of `object`; label != NULL keeps label[0..n) as the
 * object's readable label when it has none yet. Returns 0 or -1. */
static int add_object_trace(ls_dataset_t *ds, uint32_t b, uint64_t object, const char *label,
                            size_t n, uint32_t account, uint32_t post, int64_t time)
{
	if (label) {
		uint32_t *slot;
		int inserted;
		if (ls_u64map_upsert(&ds->labels, object, 0, &slot, &inserted))
			return -1;
		if (inserted) {
			ls_sid_t sid;
			if (ls_strpool_intern(&ds->strings, label, n, &sid))
				return -1;
			/* interning does not touch the map, so the slot is still valid */
			*slot = sid;
		}
	}
	ls_trace_t tr = {object, time, account, post};
	return ls_vec_push(&ds->traces[b], tr);
}

int ls_dataset_add_trace(ls_dataset_t *ds, uint32_t b, const char *key, size_t n, int label,
                         uint32_t account, uint32_t post, int64_t time)
{
	return add_object_trace(ds, b, object_of(b, key, n), label ? key : NULL, n, account, post,
	                        time);
}

static int emit_key(void *user, const char *key, size_t n, int label)
{
	emit_state_t *st = user;
	return ls_dataset_add_trace(st->ds, st->behaviour, key, n, label, st->account, st->post,
	                            st->time);
}

/* The string keys of a post's account (its id, else its handle) and of its
 * id, computed ahead of add_row (see ls_strpool_key). */
typedef struct post_keys {
	ls_strkey_t account, id;
} post_keys_t;

static const ls_str_t *account_key(const ls_post_t *p)
{
	return p->account_id.n ? &p->account_id : &p->handle;
}

static void post_keys(const ls_post_t *p, post_keys_t *k)
{
	const ls_str_t *key = account_key(p);
	k->account = ls_strpool_key(key->p, key->n);
	k->id = p->id_keyed ? p->id_key : ls_strpool_key(p->id.p, p->id.n);
}

static void place_account(ls_strslot_t *slots, size_t n, ls_strslot_t e)
{
	size_t j = (size_t)ls_strpool_hash((ls_strkey_t){e.key, e.tag}) & (n - 1);
	while (slots[j].id != 0)
		j = (j + 1) & (n - 1);
	slots[j] = e;
}

/* Doubles the account table, or creates it: empty, or from the accounts
 * when ls_dataset_derive dropped it (their keys hashed again). Returns 0
 * or -1. */
static int grow_accounts(ls_dataset_t *ds)
{
	size_t n = ds->account_nslots ? 2 * ds->account_nslots : 1024;
	while ((ds->accounts.n + 1) * 4 > n * 3)
		n *= 2;
	ls_strslot_t *slots = ls_table_alloc(n * sizeof *slots);
	if (slots == NULL)
		return -1;
	memset(slots, 0, n * sizeof *slots);
	for (size_t i = 0; i < ds->account_nslots; i++)
		if (ds->account_slots[i].id != 0)
			place_account(slots, n, ds->account_slots[i]);
	if (ds->account_nslots == 0) {
		for (size_t a = 0; a < ds->accounts.n; a++) {
			ls_sid_t key = ds->accounts.v[a].key;
			ls_strkey_t k = ls_strpool_key(ls_strpool_get(&ds->strings, key),
			                               ls_strpool_len(&ds->strings, key));
			place_account(slots, n, (ls_strslot_t){k.key, (uint32_t)a + 1, k.tag});
		}
	}
	free(ds->account_slots);
	ds->account_slots = slots;
	ds->account_nslots = n;
	return 0;
}

/* The account of p (by its account id, else its handle), created on first
 * sight: accounts are numbered in order of first appearance. A known
 * account costs one probe of the account table (no string interning);
 * a new one interns its key. Returns 0 or -1. */
static int intern_account(ls_dataset_t *ds, const ls_post_t *p, ls_strkey_t k, uint32_t *acc)
{
	const ls_str_t *key = account_key(p);
	if ((ds->accounts.n + 1) * 4 > ds->account_nslots * 3 && grow_accounts(ds))
		return -1;
	size_t mask = ds->account_nslots - 1;
	size_t j = (size_t)ls_strpool_hash(k) & mask;
	uint32_t a = LS_NONE;
	for (; ds->account_slots[j].id != 0; j = (j + 1) & mask) {
		const ls_strslot_t *e = &ds->account_slots[j];
		if (e->key != k.key || e->tag != k.tag)
			continue;
		/* a numeric key is the string: no need to read the record's key */
		if ((k.tag & LS_STRPOOL_NUMERIC) ||
		    memcmp(ls_strpool_get(&ds->strings, ds->accounts.v[e->id - 1].key), key->p,
		           key->n) == 0) {
			a = e->id - 1;
			break;
		}
	}
	if (a == LS_NONE) {
		ls_sid_t sid;
		if (ls_strpool_intern_key(&ds->strings, key->p, key->n, k, &sid))
			return -1;
		if (ds->accounts.n >= LS_NONE - 1)
			return -1;
		ls_account_t rec = {sid, 0, 0, 0};
		if (p->account_id.n)
			rec.id = sid;
		if (ls_vec_push(&ds->accounts, rec))
			return -1;
		a = (uint32_t)(ds->accounts.n - 1);
		ds->account_slots[j].key = k.key;
		ds->account_slots[j].tag = k.tag;
		ds->account_slots[j].id = a + 1;
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
	row.spend_upper_cents = ad->spend_upper_cents;
	row.impressions = ad->impressions;
	row.impressions_upper = ad->impressions_upper;
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

/* Buffers of one extracting thread: scratch for keys, the normalised text. */
typedef struct xbuf {
	char *scratch;
	size_t scratch_cap;
	char *text;
	size_t text_cap;
} xbuf_t;

static int xbuf_fit(xbuf_t *x, const ls_post_t *p)
{
	size_t need = 2 * p->text.n + 64;
	if (p->ad)
		for (size_t i = 0; i < p->ad->n_targeting; i++)
			need += p->ad->targeting[i].n + 1;
	for (size_t i = 0; i < p->n_urls; i++)
		if (2 * p->urls[i].n + 64 > need)
			need = 2 * p->urls[i].n + 64;
	if (p->text.n + 1 > x->text_cap) {
		char *t = realloc(x->text, 2 * p->text.n + 64);
		if (t == NULL)
			return -1;
		x->text = t;
		x->text_cap = 2 * p->text.n + 64;
	}
	if (need <= x->scratch_cap)
		return 0;
	char *s = realloc(x->scratch, need);
	if (s == NULL)
		return -1;
	x->scratch = s;
	x->scratch_cap = need;
	return 0;
}

static void xbuf_free(xbuf_t *x)
{
	free(x->scratch);
	free(x->text);
}

/* Runs the behaviours of ds->extract_mask on p; *behaviour names the one
 * emitting. Reads only the dataset's options, so extracting threads may
 * call it concurrently. Returns 0 or -1 (out of memory). */
static int extract_post(const ls_dataset_t *ds, const ls_post_t *p, xbuf_t *x, ls_emit_fn emit,
                        void *user, uint32_t *behaviour)
{
	if (xbuf_fit(x, p))
		return -1;
	ls_text_cache_t text = {x->text, 0, 0};
	ls_extract_env_t env = {x->scratch, x->scratch_cap, ds->opt.min_text_length, ds->nd_bands,
	                        ds->nd_rows, ds->opt.neardup_seed, &text};
	for (size_t b = 0; b < ls_behaviour_table_size; b++) {
		if (!(ds->extract_mask >> b & 1))
			continue;
		*behaviour = (uint32_t)b;
		if (ls_behaviour_table[b]->extract(p, &env, emit, user))
			return -1;
	}
	return 0;
}

/* Drops the kept texts: the evidence will re-read the inputs. */
static void drop_texts(ls_dataset_t *ds)
{
	ls_vec_free(&ds->text_bytes);
	ls_vec_free(&ds->text_end);
	ds->texts_dropped = 1;
}

void ls_dataset_set_text_memory(ls_dataset_t *ds, size_t bytes)
{
	ds->text_memory = bytes;
	/* texts not kept so far cannot be had later: a drop is for good */
	if (bytes == 0 || ds->text_bytes.n + 4 * ds->text_end.n > bytes)
		drop_texts(ds);
}

size_t ls_dataset_memory(const ls_dataset_t *ds, ls_dataset_memory_t *m)
{
	memset(m, 0, sizeof *m);
	m->rows = ds->posts.n * sizeof *ds->posts.v;
	for (uint32_t b = 0; b < LS_MAX_BEHAVIOURS; b++)
		m->traces += ds->traces[b].n * sizeof *ds->traces[b].v;
	const ls_strpool_t *sp = &ds->strings;
	m->strings = sp->nbytes + (sp->count + 1) * 2 * sizeof(uint32_t) + sp->nhi * sizeof(uint32_t);
	m->index = sp->nslots * sizeof *sp->slots;
	m->accounts = ds->accounts.n * sizeof *ds->accounts.v + ds->account_nslots * sizeof(ls_strslot_t);
	m->labels = ds->labels.nslots * (sizeof *ds->labels.keys + sizeof *ds->labels.vals);
	m->post_ids = ds->post_ids.nslots * (sizeof *ds->post_ids.keys + sizeof *ds->post_ids.vals);
	m->texts = ds->text_bytes.n + ds->text_end.n * sizeof *ds->text_end.v;
	m->ads = ds->ads.n * sizeof *ds->ads.v + ds->ad_facets.n * sizeof *ds->ad_facets.v;
	return m->rows + m->traces + m->strings + m->index + m->accounts + m->labels + m->post_ids +
	       m->texts + m->ads;
}

int ls_dataset_texts_kept(const ls_dataset_t *ds)
{
	return !ds->texts_dropped;
}

void ls_dataset_post_text(const ls_dataset_t *ds, uint32_t post, const char **p, size_t *n)
{
	if (post >= ds->text_end.n) { /* every text was empty */
		*p = "";
		*n = 0;
		return;
	}
	uint32_t start = post ? ds->text_end.v[post - 1] : 0;
	*p = ds->text_bytes.v + start;
	*n = ds->text_end.v[post] - start;
}

/* Keeps the first LS_TEXT_KEEP bytes of the text of the post just added
 * (post index ds->posts.n - 1), while the texts fit in ds->text_memory.
 * Returns 0 or -1 (out of memory). */
static int keep_text(ls_dataset_t *ds, const ls_str_t *text)
{
	if (!ls_dataset_texts_kept(ds))
		return 0;
	size_t n = text->n < LS_TEXT_KEEP ? text->n : LS_TEXT_KEEP;
	size_t np = ds->posts.n;
	if (n == 0 && ds->text_end.n == 0)
		return 0; /* no text yet: nothing to keep */
	size_t used = ds->text_bytes.n + n, limit = ds->text_memory;
	if (used > UINT32_MAX || used > limit || limit - used < 4 * np) {
		drop_texts(ds);
		return 0;
	}
	if (ds->text_end.n == 0) { /* the first text: the posts before had none */
		if (ls_vec_reserve(&ds->text_end, np))
			return -1;
		memset(ds->text_end.v, 0, (np - 1) * sizeof *ds->text_end.v);
		ds->text_end.n = np - 1;
	}
	if (ls_vec_reserve(&ds->text_bytes, n) || ls_vec_reserve(&ds->text_end, 1))
		return -1;
	memcpy(ds->text_bytes.v + ds->text_bytes.n, text->p, n);
	ds->text_bytes.n += n;
	ds->text_end.v[ds->text_end.n++] = (uint32_t)ds->text_bytes.n;
	return 0;
}

/* Stores p's row (account, id, the facts of `ad`: p->ad or NULL, so that a
 * batch's merge does not read that far into the post); its traces come next.
 * `k` holds the post's keys (post_keys), or is NULL to compute them here. */
static ls_error_t add_row(ls_dataset_t *ds, const ls_post_t *p, const ls_ad_t *ad,
                          const post_keys_t *k, uint64_t line, uint32_t *acc,
                          ls_ctx_t *ctx)
{
	if (ds->posts.n >= LS_NONE - 1)
		return ls_fail(ctx, LS_ELIMIT, "more than %u posts in one run", LS_NONE - 2);
	post_keys_t mine;
	if (k == NULL) {
		post_keys(p, &mine);
		k = &mine;
	}
	if (intern_account(ds, p, k->account, acc))
		return ls_fail(ctx, LS_ENOMEM, "out of memory interning accounts");
	ls_post_row_t row = {0};
	row.time = p->time;
	row.account = *acc;
	row.line = line > UINT32_MAX ? UINT32_MAX : (uint32_t)line;
	if (p->id.n) {
		row.id = numeric_code(k->id);
		ls_sid_t sid;
		if (row.id == 0) {
			if (ls_strpool_intern_key(&ds->strings, p->id.p, p->id.n, k->id, &sid))
				return ls_fail(ctx, LS_ENOMEM, "out of memory interning post ids");
			row.id = LS_POST_ID_SID | sid;
		}
	}
	if (ls_vec_push(&ds->posts, row))
		return ls_fail(ctx, LS_ENOMEM, "out of memory storing posts");
	if (keep_text(ds, &p->text))
		return ls_fail(ctx, LS_ENOMEM, "out of memory keeping texts");
	if (ad && add_ad(ds, ad, (uint32_t)(ds->posts.n - 1)))
		return ls_fail(ctx, LS_ENOMEM, "out of memory storing ad facts");
	return LS_OK;
}

static ls_error_t add_post(ls_dataset_t *ds, const ls_post_t *p, uint64_t line,
                           ls_ctx_t *ctx)
{
	uint32_t acc = 0;
	ls_error_t err = add_row(ds, p, p->ad, NULL, line, &acc, ctx);
	if (err)
		return err;
	xbuf_t x = {ds->scratch, ds->scratch_cap, ds->text, ds->text_cap};
	emit_state_t st = {ds, 0, acc, (uint32_t)(ds->posts.n - 1), p->time};
	int rc = extract_post(ds, p, &x, emit_key, &st, &st.behaviour);
	ds->scratch = x.scratch;
	ds->scratch_cap = x.scratch_cap;
	ds->text = x.text;
	ds->text_cap = x.text_cap;
	if (rc)
		return ls_fail(ctx, LS_ENOMEM, "out of memory storing behaviour traces");
	return LS_OK;
}

/* ---- Parallel extraction ----
 *
 * With ls_ctx_threads(ctx) = T > 1 the reading thread parses records and
 * copies each post into a batch (BATCH_POSTS posts or BATCH_BYTES bytes).
 * Two tasks follow for every batch: extracting it (the behaviours run on
 * its posts, recording each key as (behaviour, object hash, label); any
 * thread, batches concurrently) and merging it (what add_post does: rows,
 * accounts, ids, labels, traces; one thread at a time, strictly in input
 * order, so the dataset is byte-identical for every T). T - 1 helper
 * threads take whichever task is ready, merging first; the reading thread
 * takes tasks too whenever all batch slots are in use instead of waiting,
 * so on two cores neither parsing nor extraction nor merging leaves a core
 * idle. Ads (rare) are added by the reading thread once every batch
 * before them is merged. At most 2 T + 2 batches are in flight: memory
 * O(T x batch). */

#define BATCH_POSTS 1024
#define BATCH_BYTES ((size_t)4 << 20)
#define MAX_EXTRACTORS 16

typedef struct span {
	size_t off, n;
} span_t;

/* The string fields of ls_post_t, copied into a batch. */
static const size_t post_strs[] = {
	offsetof(ls_post_t, id),          offsetof(ls_post_t, account_id),
	offsetof(ls_post_t, handle),      offsetof(ls_post_t, ref_post),
	offsetof(ls_post_t, ref_account), offsetof(ls_post_t, reply_to),
	offsetof(ls_post_t, quoted),      offsetof(ls_post_t, text),
};
#define N_POST_STRS (sizeof post_strs / sizeof post_strs[0])

/* What the merge reads comes first: keys, line and the post's leading
 * fields (id, account, handle, time, kind) fill two cache lines. */
typedef struct bpost {
	post_keys_t keys;         /* set by batch_extract */
	size_t key_first, key_count;
	uint64_t line;
	ls_post_t post;           /* string fields set by batch_seal */
	span_t str[N_POST_STRS];  /* into bytes */
	size_t ent;               /* first entity: urls, hashtags, mentions */
} bpost_t;

typedef struct bkey {
	uint64_t object;
	uint32_t behaviour;
	int label;                /* label = bytes of labels[label_off .. + n) */
	size_t label_off, n;
} bkey_t;

typedef struct batch {
	LS_VEC(bpost_t) posts;
	LS_VEC(char) bytes;
	LS_VEC(span_t) ent_spans;
	LS_VEC(ls_str_t) ents;
	LS_VEC(bkey_t) keys;
	LS_VEC(char) labels;
	int done, oom;
} batch_t;

typedef struct pool {
	ls_dataset_t *ds;
	pthread_mutex_t mu;
	pthread_cond_t cv;        /* any change of the state below */
	batch_t *b;
	size_t nb;
	/* batches filled by the reader, taken for extraction, merged; a batch's
	 * slot is free again once it is merged (guarded by mu) */
	uint64_t filled, taken, merged;
	int merging;              /* a thread is merging batch `merged` */
	int quit;                 /* the reader is done filling */
	ls_error_t merr;          /* first merge failure: merging stops */
	ls_ctx_t mctx;            /* its message (the merging thread's context) */
} pool_t;

/* Appends s to the batch's bytes (room reserved by the caller). */
static span_t append_str(batch_t *bt, const ls_str_t *s)
{
	span_t out = {bt->bytes.n, s->n};
	if (s->n > 0) {
		memcpy(bt->bytes.v + bt->bytes.n, s->p, s->n);
		bt->bytes.n += s->n;
	}
	return out;
}

static const ls_str_t *post_str(const ls_post_t *p, size_t i)
{
	return (const ls_str_t *)(const void *)((const char *)p + post_strs[i]);
}

/* Copies post p (no ad) into the batch, built in place. Returns 0 or -1. */
static int batch_add(batch_t *bt, const ls_post_t *p, uint64_t line)
{
	const ls_str_t *lists[3] = {p->urls, p->hashtags, p->mentions};
	size_t counts[3] = {p->n_urls, p->n_hashtags, p->n_mentions};
	size_t bytes = 0;
	for (size_t i = 0; i < N_POST_STRS; i++)
		bytes += post_str(p, i)->n;
	for (size_t l = 0; l < 3; l++)
		for (size_t i = 0; i < counts[l]; i++)
			bytes += lists[l][i].n;
	if (ls_vec_reserve(&bt->bytes, bytes) ||
	    ls_vec_reserve(&bt->ent_spans, counts[0] + counts[1] + counts[2]) ||
	    ls_vec_reserve(&bt->posts, 1))
		return -1;
	bpost_t *bp = &bt->posts.v[bt->posts.n];
	bp->post = *p;
	bp->line = line;
	for (size_t i = 0; i < N_POST_STRS; i++)
		bp->str[i] = append_str(bt, post_str(p, i));
	bp->ent = bt->ent_spans.n;
	for (size_t l = 0; l < 3; l++)
		for (size_t i = 0; i < counts[l]; i++)
			bt->ent_spans.v[bt->ent_spans.n++] = append_str(bt, &lists[l][i]);
	bp->key_first = bp->key_count = 0; /* set by batch_extract, with keys */
	bt->posts.n++;
	return 0;
}

/* Points the batch's posts at its (no longer moving) bytes. */
static int batch_seal(batch_t *bt)
{
	bt->ents.n = 0;
	if (ls_vec_reserve(&bt->ents, bt->ent_spans.n))
		return -1;
	for (size_t i = 0; i < bt->ent_spans.n; i++) {
		ls_str_t e = {bt->bytes.v + bt->ent_spans.v[i].off, bt->ent_spans.v[i].n};
		bt->ents.v[bt->ents.n++] = e;
	}
	for (size_t k = 0; k < bt->posts.n; k++) {
		bpost_t *bp = &bt->posts.v[k];
		for (size_t i = 0; i < N_POST_STRS; i++) {
			ls_str_t *f = (ls_str_t *)(void *)((char *)&bp->post + post_strs[i]);
			f->p = bt->bytes.v + bp->str[i].off;
			f->n = bp->str[i].n;
		}
		bp->post.urls = bt->ents.v + bp->ent;
		bp->post.hashtags = bp->post.urls + bp->post.n_urls;
		bp->post.mentions = bp->post.hashtags + bp->post.n_hashtags;
	}
	return 0;
}

typedef struct record_state {
	batch_t *bt;
	uint32_t behaviour;
} record_state_t;

static int record_key(void *user, const char *key, size_t n, int label)
{
	record_state_t *st = user;
	batch_t *bt = st->bt;
	bkey_t k = {object_of(st->behaviour, key, n), st->behaviour, label != 0, bt->labels.n, 0};
	if (label) {
		k.n = n;
		if (ls_vec_reserve(&bt->labels, n))
			return -1;
		memcpy(bt->labels.v + bt->labels.n, key, n);
		bt->labels.n += n;
	}
	return ls_vec_push(&bt->keys, k);
}

/* Parses the entities the reader left to us (post->ent_pending) from the
 * post's text into ent and points the post at them. */
static void parse_pending(ls_post_t *post, ls_entities_t *ent)
{
	ls_entities_parse(post->text.p, post->text.n, ent);
	if (post->ent_pending & LS_ENT_URLS) {
		post->urls = ent->urls;
		post->n_urls = ent->n_urls;
	}
	if (post->ent_pending & LS_ENT_HASHTAGS) {
		post->hashtags = ent->hashtags;
		post->n_hashtags = ent->n_hashtags;
	}
	if (post->ent_pending & LS_ENT_MENTIONS) {
		post->mentions = ent->mentions;
		post->n_mentions = ent->n_mentions;
	}
}

static void batch_extract(const ls_dataset_t *ds, batch_t *bt, xbuf_t *x)
{
	record_state_t st = {bt, 0};
	ls_entities_t ent;
	bt->keys.n = 0;
	bt->labels.n = 0;
	for (size_t k = 0; k < bt->posts.n && !bt->oom; k++) {
		bpost_t *bp = &bt->posts.v[k];
		ls_post_t post = bp->post; /* the batch's copy keeps no pointer into ent */
		if (post.ent_pending)
			parse_pending(&post, &ent);
		post_keys(&post, &bp->keys);
		bp->key_first = bt->keys.n;
		if (extract_post(ds, &post, x, record_key, &st, &st.behaviour))
			bt->oom = 1;
		bp->key_count = bt->keys.n - bp->key_first;
	}
}

/* Posts ahead of the one merged whose table slots are prefetched: the
 * tables (strings, labels) outgrow the caches, and a lookup is a cache miss
 * that the merge would otherwise wait for, post after post. Three stages:
 * 3 x MERGE_AHEAD posts ahead the batch's record of the post, 2 x ahead the
 * post's home slots, MERGE_AHEAD ahead the account record its (by then
 * cached) home slot names. */
#define MERGE_AHEAD 8

/* always_inline: GCC 12 drops calls of a function that only prefetches (no
 * side effects) unless they are inlined first. */
static inline __attribute__((always_inline)) void
prefetch_post(const ls_dataset_t *ds, const batch_t *bt, const bpost_t *bp)
{
	if (ds->account_nslots)
		__builtin_prefetch(&ds->account_slots[ls_strpool_hash(bp->keys.account) &
		                                      (ds->account_nslots - 1)]);
	if (bp->post.id.n && numeric_code(bp->keys.id) == 0) /* a numeric id is not interned */
		ls_strpool_prefetch(&ds->strings, bp->keys.id);
	for (size_t i = bp->key_first; i < bp->key_first + bp->key_count; i++)
		if (bt->keys.v[i].label)
			ls_u64map_prefetch(&ds->labels, bt->keys.v[i].object);
}

static inline __attribute__((always_inline)) void prefetch_account(const ls_dataset_t *ds,
                                                                   const bpost_t *bp)
{
	if (ds->account_nslots == 0)
		return;
	const ls_strslot_t *e =
	    &ds->account_slots[ls_strpool_hash(bp->keys.account) & (ds->account_nslots - 1)];
	if (e->id != 0 && e->key == bp->keys.account.key && e->id - 1 < ds->accounts.n)
		__builtin_prefetch(&ds->accounts.v[e->id - 1], 1);
}

/* Adds batch bt (extracted) to the dataset in order. */
static ls_error_t batch_merge(ls_dataset_t *ds, batch_t *bt, ls_ctx_t *ctx)
{
	if (bt->oom)
		return ls_fail(ctx, LS_ENOMEM, "out of memory storing behaviour traces");
	for (size_t k = 0; k < bt->posts.n; k++) {
		const bpost_t *bp = &bt->posts.v[k];
		if (k + 3 * MERGE_AHEAD < bt->posts.n) {
			/* the batch's own lines that the merge reads */
			const char *b = (const char *)&bt->posts.v[k + 3 * MERGE_AHEAD];
			__builtin_prefetch(b);
			__builtin_prefetch(b + offsetof(bpost_t, post.id)); /* rows are not line-aligned */
			__builtin_prefetch(b + offsetof(bpost_t, post.kind));
		}
		if (k + 2 * MERGE_AHEAD < bt->posts.n)
			prefetch_post(ds, bt, &bt->posts.v[k + 2 * MERGE_AHEAD]);
		if (k + MERGE_AHEAD < bt->posts.n)
			prefetch_account(ds, &bt->posts.v[k + MERGE_AHEAD]);
		uint32_t acc = 0;
		/* batches hold no ad (the reading thread adds those) */
		ls_error_t err = add_row(ds, &bp->post, NULL, &bp->keys, bp->line, &acc, ctx);
		if (err)
			return err;
		uint32_t post = (uint32_t)(ds->posts.n - 1);
		for (size_t i = bp->key_first; i < bp->key_first + bp->key_count; i++) {
			const bkey_t *key = &bt->keys.v[i];
			const char *label = key->label ? bt->labels.v + key->label_off : NULL;
			if (add_object_trace(ds, key->behaviour, key->object, label, key->n, acc, post,
			                     bp->post.time))
				return ls_fail(ctx, LS_ENOMEM, "out of memory storing behaviour traces");
		}
	}
	return LS_OK;
}

static void batch_free(batch_t *bt)
{
	ls_vec_free(&bt->posts);
	ls_vec_free(&bt->bytes);
	ls_vec_free(&bt->ent_spans);
	ls_vec_free(&bt->ents);
	ls_vec_free(&bt->keys);
	ls_vec_free(&bt->labels);
}

/* Runs one task if one is ready: merges the next batch (when extracted
 * and nobody merges), else extracts the oldest batch not yet taken. Called
 * and returns with pl->mu held. Returns 1 when it ran a task, else 0. */
static int run_task(pool_t *pl, xbuf_t *x)
{
	if (!pl->merging && pl->merr == LS_OK && pl->merged < pl->taken &&
	    pl->b[pl->merged % pl->nb].done) {
		batch_t *bt = &pl->b[pl->merged % pl->nb];
		pl->merging = 1;
		pthread_mutex_unlock(&pl->mu);
		ls_error_t err = batch_merge(pl->ds, bt, &pl->mctx);
		pthread_mutex_lock(&pl->mu);
		pl->merging = 0;
		if (err != LS_OK)
			pl->merr = err;
		else
			pl->merged++;
		pthread_cond_broadcast(&pl->cv);
		return 1;
	}
	if (pl->taken < pl->filled) {
		batch_t *bt = &pl->b[pl->taken++ % pl->nb];
		pthread_mutex_unlock(&pl->mu);
		batch_extract(pl->ds, bt, x);
		pthread_mutex_lock(&pl->mu);
		bt->done = 1;
		pthread_cond_broadcast(&pl->cv);
		return 1;
	}
	return 0;
}

/* Whether every filled batch is merged, or merging has failed. */
static int all_merged(const pool_t *pl)
{
	return pl->merr != LS_OK || (pl->merged == pl->filled && !pl->merging);
}

/* Whether the reader may fill a batch: a slot is free, or merging failed. */
static int slot_free(const pool_t *pl)
{
	return pl->merr != LS_OK || pl->filled - pl->merged < pl->nb;
}

/* Whether a helper thread may stop: the reader is done and so is every task. */
static int finished(const pool_t *pl)
{
	return pl->quit && all_merged(pl) && !pl->merging;
}

/* Runs tasks, or waits for one, until done(pl) holds. */
static void work_until(pool_t *pl, xbuf_t *x, int (*done)(const pool_t *))
{
	pthread_mutex_lock(&pl->mu);
	while (!done(pl))
		if (!run_task(pl, x))
			pthread_cond_wait(&pl->cv, &pl->mu);
	pthread_mutex_unlock(&pl->mu);
}

static void *helper(void *arg)
{
	xbuf_t x = {0};
	work_until(arg, &x, finished);
	xbuf_free(&x);
	return NULL;
}

/* Posts read before the tables are sized for the whole input. */
#define RESERVE_AFTER_POSTS ((uint64_t)1 << 20)
/* ... and first, from fewer: a file of about a million rows never reached
 * the point above and grew its tables step by step (a 1M-row CSV: 18
 * rehashes of the string pool); the estimate from 2^20 posts refines it. */
#define RESERVE_FIRST_POSTS ((uint64_t)1 << 16)

/* What the growing tables held when the input started. */
typedef struct table_counts {
	size_t strings, posts, ids;
} table_counts_t;

static table_counts_t table_counts(const ls_dataset_t *ds)
{
	return (table_counts_t){ds->strings.count, ds->posts.n, ds->post_ids.count};
}

/* Sizes the string pool and the duplicate-id set for the whole input,
 * extrapolated from its first posts by the share of the file read so far: a large input then rehashes each table once instead of
 * every time it doubles (each rehash moves every entry, at random, while
 * nothing else is stored). Only for a regular file at least 4 times what
 * was read; a hint (nothing when out of memory). The tables' sizes change
 * no id and no output. Called while no batch is being merged. */
static void reserve_tables(ls_dataset_t *ds, const ls_reader_t *r, const char *path,
                           const table_counts_t *start)
{
	struct stat st;
	ls_reader_stats_t rs;
	ls_reader_stats(r, &rs);
	if (stat(path, &st) != 0 || !S_ISREG(st.st_mode) || rs.bytes == 0 ||
	    (uint64_t)st.st_size / 4 < rs.bytes)
		return;
	double f = (double)st.st_size / (double)rs.bytes - 1; /* what is to come, per read */
	table_counts_t now = table_counts(ds);
	/* Post ids come one per post that has one (the duplicate-id set, when
	 * the format keeps one, holds exactly those); accounts and object
	 * labels recur, so their growth so far would overshoot: the pool is
	 * sized for the post ids to come, the labels grow as they come. */
	size_t with_id = 0;
	for (size_t i = start->posts; i < now.posts; i++)
		with_id += ds->posts.v[i].id != 0;
	(void)ls_strpool_reserve(&ds->strings, now.strings + (size_t)((double)with_id * f));
	(void)ls_u64map_reserve(&ds->post_ids,
	                        now.ids + (size_t)((double)(now.ids - start->ids) * f));
}

/* Reads all posts of r with `workers` helper threads; *started = 0 when
 * none could be started (nothing was read: the caller reads serially). */
static ls_error_t read_parallel(ls_dataset_t *ds, ls_reader_t *r, const char *path,
                                int workers, int *started_out, ls_ctx_t *ctx)
{
	batch_t batches[2 * MAX_EXTRACTORS + 2];
	pthread_t tid[MAX_EXTRACTORS];
	pool_t pl;
	xbuf_t x = {0};
	memset(batches, 0, sizeof batches);
	memset(&pl, 0, sizeof pl);
	pl.ds = ds;
	pl.b = batches;
	pl.nb = 2 * (size_t)workers + 2;
	pthread_mutex_init(&pl.mu, NULL);
	pthread_cond_init(&pl.cv, NULL);
	int started = 0;
	ls_error_t err = LS_OK;
	for (; started < workers; started++)
		if (pthread_create(&tid[started], NULL, helper, &pl) != 0)
			break;
	*started_out = started;
	if (started == 0)
		err = LS_ENOMEM; /* not an error: the caller reads serially */
	else
		ls_reader_defer_entities(r); /* parsed by the extracting threads */
	uint64_t n = 0;
	const ls_post_t *p = NULL;
	int end = 0, reserved = 0;
	table_counts_t start = table_counts(ds);
	while (err == LS_OK && !end) {
		if (reserved < 2 && n >= (reserved ? RESERVE_AFTER_POSTS : RESERVE_FIRST_POSTS)) {
			/* every filled batch merged: no merge runs until the next */
			work_until(&pl, &x, all_merged);
			reserve_tables(ds, r, path, &start);
			reserved++;
		}
		work_until(&pl, &x, slot_free);
		pthread_mutex_lock(&pl.mu);
		int failed = pl.merr != LS_OK;
		pthread_mutex_unlock(&pl.mu);
		if (failed)
			break;
		/* slot filled % nb is free: no other thread touches it until filled++ */
		batch_t *bt = &pl.b[pl.filled % pl.nb];
		bt->posts.n = bt->bytes.n = bt->ent_spans.n = 0;
		bt->done = bt->oom = 0;
		const ls_post_t *ad = NULL;
		while (bt->posts.n < BATCH_POSTS && bt->bytes.n < BATCH_BYTES) {
			err = ls_reader_next(r, &p, ctx);
			if (err || p == NULL) {
				end = 1;
				break;
			}
			if (++n % 1000000 == 0)
				ls_diag(ctx, LS_DIAG_PROGRESS, "%s: %" PRIu64 " posts read", path, n);
			if (p->ad) {
				ad = p;
				break;
			}
			if (batch_add(bt, p, ls_reader_line(r))) {
				err = ls_fail(ctx, LS_ENOMEM, "out of memory");
				break;
			}
		}
		ls_error_t read_err = err;
		if (bt->posts.n > 0) {
			if (batch_seal(bt)) {
				read_err = read_err ? read_err : ls_fail(ctx, LS_ENOMEM, "out of memory");
			} else {
				pthread_mutex_lock(&pl.mu);
				pl.filled++;
				pthread_cond_broadcast(&pl.cv);
				pthread_mutex_unlock(&pl.mu);
			}
		}
		err = read_err;
		if (ad && err == LS_OK) {
			/* an ad: after every batch before it, on this thread, while no
			 * other thread merges (every filled batch is merged) */
			work_until(&pl, &x, all_merged);
			pthread_mutex_lock(&pl.mu);
			failed = pl.merr != LS_OK;
			pthread_mutex_unlock(&pl.mu);
			if (!failed)
				err = add_post(ds, ad, ls_reader_line(r), ctx);
		}
	}
	/* posts read before a reading failure are kept, as when reading
	 * serially; after a failure to store one, nothing more is stored */
	pthread_mutex_lock(&pl.mu);
	pl.quit = 1;
	pthread_cond_broadcast(&pl.cv);
	pthread_mutex_unlock(&pl.mu);
	if (started > 0)
		work_until(&pl, &x, finished);
	for (int i = 0; i < started; i++)
		pthread_join(tid[i], NULL);
	if (pl.merr != LS_OK && err == LS_OK)
		err = ls_fail(ctx, pl.merr, "%s", pl.mctx.msg);
	for (size_t i = 0; i < pl.nb; i++)
		batch_free(&batches[i]);
	xbuf_free(&x);
	pthread_cond_destroy(&pl.cv);
	pthread_mutex_destroy(&pl.mu);
	return started ? err : LS_OK;
}

/* Rebuilds the duplicate-id set from the post rows (after ls_dataset_derive
 * dropped it): every post id of an input whose format does not repeat ids,
 * as the readers recorded them. Returns 0 or -1 (out of memory). */
static int rebuild_post_ids(ls_dataset_t *ds)
{
	for (size_t i = 0; i < ds->posts.n; i++) {
		const ls_post_row_t *row = &ds->posts.v[i];
		if (row->id == 0)
			continue;
		uint32_t input = ls_dataset_post_input(ds, (uint32_t)i);
		if (input < ds->inputs.n) {
			const ls_format_t *f = ls_format_find(ds->inputs.v[input].format);
			if (f && f->ids_repeat)
				continue;
		}
		/* a numeric id's key is its value, which the code is */
		uint64_t h = row->id & LS_POST_ID_SID
		                 ? ls_reader_id_key(ls_strpool_get(&ds->strings, (ls_sid_t)row->id),
		                                    ls_strpool_len(&ds->strings, (ls_sid_t)row->id))
		                 : row->id;
		uint32_t *slot;
		int inserted;
		if (ls_u64map_upsert(&ds->post_ids, h, row->line, &slot, &inserted))
			return -1;
	}
	ds->post_ids_dropped = 0;
	return 0;
}

ls_error_t ls_dataset_read(ls_dataset_t *ds, const char *path, const char *format, ls_ctx_t *ctx)
{
	if (ds->inputs.n >= UINT16_MAX)
		return ls_fail(ctx, LS_ELIMIT, "too many inputs (at most %u)", UINT16_MAX);
	if (ds->post_ids_dropped && rebuild_post_ids(ds))
		return ls_fail(ctx, LS_ENOMEM, "out of memory recording post ids");
	if (ds->account_nslots == 0 && ds->accounts.n > 0 && grow_accounts(ds))
		return ls_fail(ctx, LS_ENOMEM, "out of memory indexing accounts");
	ls_reader_t *r = NULL;
	ls_reader_config_t cfg = {format, ds->opt.max_record_bytes, ds->opt.columns,
	                          ds->opt.time_format, &ds->post_ids, 0};
	ls_error_t err = ls_reader_open_config(&r, path, &cfg, ctx);
	if (err)
		return err;
	if (ds->input_first.n == ds->inputs.n && ls_vec_push(&ds->input_first, (uint32_t)ds->posts.n)) {
		ls_reader_free(r);
		return ls_fail(ctx, LS_ENOMEM, "out of memory");
	}
	uint64_t n = 0;
	ds->derived = 0;
	int workers = ls_ctx_threads(ctx) - 1;
	if (workers > MAX_EXTRACTORS)
		workers = MAX_EXTRACTORS;
	if (workers > 0) {
		int started = 0;
		err = read_parallel(ds, r, path, workers, &started, ctx);
		if (started == 0)
			workers = 0; /* no thread: read serially */
	}
	table_counts_t start = table_counts(ds);
	for (; workers <= 0;) {
		const ls_post_t *p;
		if (n == RESERVE_FIRST_POSTS || n == RESERVE_AFTER_POSTS)
			reserve_tables(ds, r, path, &start);
		err = ls_reader_next(r, &p, ctx);
		if (err || p == NULL)
			break;
		err = add_post(ds, p, ls_reader_line(r), ctx);
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
	/* The duplicate-id set (16-32 bytes per post id) serves reading only: freed
	 * before the analysis, rebuilt if more input is read afterwards. */
	if (ds->post_ids.count > 0) {
		ls_u64map_destroy(&ds->post_ids);
		ls_u64map_init(&ds->post_ids);
		ls_u64map_set_dense(&ds->post_ids);
		ds->post_ids_dropped = 1;
	}
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
	/* The string pool's hash index (16 bytes a slot, 4.3 GB at 100M
	 * posts) serves reading and the passes above: dropped before the
	 * analysis, which reads strings by id only; built again if more
	 * input is read or a string is looked up afterwards. */
	ls_strpool_drop_index(&ds->strings);
	/* likewise the account table (16 bytes a slot): only reading finds
	 * accounts by key; the next read builds it again */
	free(ds->account_slots);
	ds->account_slots = NULL;
	ds->account_nslots = 0;
	return LS_OK;
}
