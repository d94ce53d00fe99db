/*
 * Unit tests of the extract and link stages: text and URL normalisation,
 * the window sweep against a brute-force count, inclusive window bounds,
 * distinct-object counting, events against brute force, the trace sort
 * against qsort, the cost bound on a viral object and links built over
 * their own co-action records on several threads.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/analysis.h"
#include "extract/behaviour.h"
#include "link/tsort.h"

static void check_norm(const char *in, const char *want)
{
	char out[512];
	size_t n = ls_text_normalise(in, strlen(in), out);
	assert_string_equal(out, want);
	assert_int_equal(n, strlen(want));
}

static void test_text_normalise(void **state)
{
	(void)state;
	check_norm("RT @someone: Hello   World", "hello world");
	check_norm("  Vote NOW https://t.co/abc @friend!  ", "vote now !");
	check_norm("@a @b same text", "same text");
	check_norm("email me at me@x.org", "email me at me@x.org");
	check_norm("ПРИВЕТ Мир", "привет мир");
	check_norm("ÉCOLE\xc2\xa0Ünd", "école ünd");
	check_norm("", "");
	check_norm("http://only.link", "");
}

/* The 16-byte steps give what the byte loop gives: long texts written
 * for it, then random texts from pieces that meet every branch (ASCII of
 * each class, 'h'/'w' after handle characters or not, URLs, mentions,
 * Cyrillic pairs of each folding range and broken ones, Latin-1, NBSP,
 * runs of spaces) at every offset and length. */
static void test_text_normalise_wide(void **state)
{
	(void)state;
	check_norm("Hello World, this is a WHOLE sentence with words; how are you?",
	           "hello world, this is a whole sentence with words; how are you?");
	check_norm("ПРИВЕТ МИР, ЁЖИК И ЖИВОЙ ЯЗЫК: Ѐ Џ А Я а я ѐ џ",
	           "привет мир, ёжик и живой язык: ѐ џ а я а я ѐ џ");
	check_norm("Show the WORLD what we have: watch http://x.co/a NOW with @who_ever today",
	           "show the world what we have: watch now with today");
	static const char *const pieces[] = {
	    "a", "Z", "q", "0", "_", ".", ",", "!", "~", "\x7f", "\x01", " ", "  ", "\t", "\n",
	    "h", "H", "w", "W", "hw", "wh", "xh", "_w", "@", "@x", "@_a1", "a@b", "http://t.co/x",
	    "HTTPS://A.b", "www.x", "wwwx", "ht", "\xd0\x80", "\xd0\x8f", "\xd0\x90", "\xd0\x9f",
	    "\xd0\xa0", "\xd0\xaf", "\xd0\xb0", "\xd1\x80", "\xd1\x9f", "\xd0", "\xd1",
	    "\xd0" "a", "\xc3\x80", "\xc3\x97", "\xc2\xa0", "\xe2\x80\xa6", "\x80", "\xbf",
	    "RT @x: ", "Hello", "WORLD", "Привет", "мир"};
	const size_t np = sizeof pieces / sizeof pieces[0];
	uint64_t x = 88172645463325252u;
	char in[700], a[720], b[720];
	for (int round = 0; round < 60000; round++) {
		size_t n = 0;
		x ^= x << 13, x ^= x >> 7, x ^= x << 17;
		size_t want = (size_t)(x % 300);
		while (n < want) {
			x ^= x << 13, x ^= x >> 7, x ^= x << 17;
			/* mostly plain words and Cyrillic, so that long runs occur */
			const char *pc = (x >> 32) % 4 ? pieces[(x >> 8) % 3 ? 51 + (x >> 16) % 4 : 11]
			                               : pieces[(x >> 16) % np];
			size_t k = strlen(pc);
			memcpy(in + n, pc, k);
			n += k;
		}
		memset(a, 0x55, sizeof a);
		memset(b, 0x55, sizeof b);
		size_t na = ls_text_normalise(in, n, a);
		size_t nb = ls_text_normalise_bytewise(in, n, b);
		if (na != nb || memcmp(a, b, na + 1) != 0) {
			fprintf(stderr, "round %d: %.*s\n", round, (int)n, in);
			fail_msg("16-byte steps differ from the byte loop");
		}
	}
}

static void check_url(const char *in, const char *want)
{
	char out[512];
	ls_url_normalise(in, strlen(in), out);
	assert_string_equal(out, want);
}

static void test_url_normalise(void **state)
{
	(void)state;
	check_url("https://WWW.Example.COM/Path/", "example.com/Path");
	check_url("http://example.com/a?utm_source=x&id=3&utm_medium=y#frag", "example.com/a?id=3");
	check_url("https://t.co/AbC", "t.co/AbC");
	check_url("example.com", "example.com");
}

/* A dataset with one behaviour's traces filled by hand. */
static ls_dataset_t *make_ds(size_t accounts)
{
	ls_dataset_t *ds = NULL;
	assert_int_equal(ls_dataset_new(&ds, NULL, NULL), LS_OK);
	for (size_t i = 0; i < accounts; i++) {
		ls_account_t a = {0};
		assert_int_equal(ls_vec_push(&ds->accounts, a), 0);
	}
	return ds;
}

static void add_trace(ls_dataset_t *ds, uint64_t obj, int64_t t, uint32_t acc)
{
	ls_trace_t tr = {obj, t, acc, (uint32_t)ds->traces[0].n};
	assert_int_equal(ls_vec_push(&ds->traces[0], tr), 0);
}

/* n pseudo-random traces (LCG from seed): object (x >> objshift) + 1,
 * time below tmax, account below accounts. */
static void add_random_traces(ls_dataset_t *ds, uint64_t x, int n, int objshift, uint64_t tmax,
                              uint32_t accounts)
{
	for (int i = 0; i < n; i++) {
		x = x * 6364136223846793005ULL + 1442695040888963407ULL;
		add_trace(ds, (x >> objshift) + 1, (int64_t)((x >> 20) % tmax),
		          (uint32_t)((x >> 40) % accounts));
	}
}

/* The link stage alone on the behaviours of mask `behaviours`, with the
 * threads of ctx (NULL: one). */
static ls_analysis_t *link_ctx(ls_dataset_t *ds, int64_t window, uint32_t behaviours,
                               ls_ctx_t *ctx)
{
	ls_analysis_t *an = calloc(1, sizeof *an);
	assert_non_null(an);
	an->ds = ds;
	ls_params_init(&an->params);
	an->params.window = window;
	an->params.behaviours = behaviours;
	assert_int_equal(ls_link_run(an, ctx), LS_OK);
	return an;
}

static ls_analysis_t *link_behaviours(ls_dataset_t *ds, int64_t window, uint32_t behaviours)
{
	return link_ctx(ds, window, behaviours, NULL);
}

static ls_analysis_t *link_only(ls_dataset_t *ds, int64_t window)
{
	return link_behaviours(ds, window, 1);
}

static const ls_link_t *find(const ls_analysis_t *an, uint32_t a, uint32_t b)
{
	for (size_t i = 0; i < an->links.n; i++)
		if (an->links.v[i].a == a && an->links.v[i].b == b)
			return &an->links.v[i];
	return NULL;
}

static void test_window_inclusive(void **state)
{
	(void)state;
	ls_dataset_t *ds = make_ds(4);
	add_trace(ds, 7, 1000, 0);
	add_trace(ds, 7, 1060, 1); /* dt = 60: linked */
	add_trace(ds, 7, 1121, 2); /* dt = 61 to account 1: not linked */
	add_trace(ds, 7, 1000, 0); /* same account twice: no self link */
	ls_analysis_t *an = link_only(ds, 60);
	assert_int_equal(an->links.n, 1);
	const ls_link_t *l = find(an, 0, 1);
	assert_non_null(l);
	assert_int_equal(l->coactions, 2); /* both of account 0's traces */
	assert_int_equal(l->objects, 1);
	assert_int_equal(l->dt_min, 60);
	assert_int_equal(l->dt_max, 60);
	assert_null(find(an, 1, 2));
	ls_analysis_free(an);
	ls_dataset_free(ds);
}

static void test_distinct_objects(void **state)
{
	(void)state;
	ls_dataset_t *ds = make_ds(3);
	for (uint64_t o = 1; o <= 5; o++) {
		add_trace(ds, o, (int64_t)o * 10000, 2);
		add_trace(ds, o, (int64_t)o * 10000 + 5, 1);
		add_trace(ds, o, (int64_t)o * 10000 + 9, 1);
	}
	ls_analysis_t *an = link_only(ds, 60);
	const ls_link_t *l = find(an, 1, 2);
	assert_non_null(l);
	assert_int_equal(l->objects, 5);
	assert_int_equal(l->coactions, 10);
	assert_int_equal(l->dt_min, 5);
	assert_int_equal(l->dt_max, 9);
	assert_int_equal(l->first_time, 10000);
	assert_int_equal(l->last_time, 50009);
	ls_analysis_free(an);
	ls_dataset_free(ds);
}

/* Random traces: the sweep's co-action total equals a brute-force count. */
static void test_sweep_matches_brute_force(void **state)
{
	(void)state;
	ls_dataset_t *ds = make_ds(50);
	add_random_traces(ds, 12345, 3000, 60, 5000, 50);
	ls_analysis_t *an = link_only(ds, 30);
	uint64_t brute = 0;
	const ls_trace_t *t = ds->traces[0].v;
	for (size_t i = 0; i < ds->traces[0].n; i++)
		for (size_t j = i + 1; j < ds->traces[0].n; j++) {
			int64_t d = t[i].time - t[j].time;
			if (t[i].object == t[j].object && t[i].account != t[j].account && d <= 30 && d >= -30)
				brute++;
		}
	uint64_t sum = 0;
	for (size_t i = 0; i < an->links.n; i++) {
		sum += an->links.v[i].coactions;
		assert_true(an->links.v[i].a < an->links.v[i].b);
		if (i)
			assert_true(an->links.v[i - 1].a < an->links.v[i].a ||
			            (an->links.v[i - 1].a == an->links.v[i].a && an->links.v[i - 1].b < an->links.v[i].b));
	}
	assert_int_equal(sum, brute);
	assert_int_equal(an->coactions, brute);
	ls_analysis_free(an);
	ls_dataset_free(ds);
}

/* Every co-action its own account pair, so that there are as many links
 * as co-action records: the records sit at the end of the link array and
 * the last partitions' links overwrite records of earlier partitions
 * (link.c, wait_records). 1 and 4 threads build the same, right links. */
static void test_links_over_records(void **state)
{
	(void)state;
	enum { ACCOUNTS = 1000, OBJECTS = 100000 };
	ls_dataset_t *ds = make_ds(ACCOUNTS);
	for (uint32_t k = 0; k < OBJECTS; k++) {
		uint32_t a = k % ACCOUNTS, b = (a + k / ACCOUNTS + 1) % ACCOUNTS;
		add_trace(ds, k + 1, (int64_t)k * 100, a);
		add_trace(ds, k + 1, (int64_t)k * 100 + 5, b);
	}
	ls_link_t *first = NULL;
	for (int threads = 1; threads <= 4; threads += 3) {
		ls_ctx_t *ctx = ls_ctx_new();
		assert_non_null(ctx);
		ls_ctx_set_threads(ctx, threads);
		ls_analysis_t *an = link_ctx(ds, 30, 1, ctx);
		assert_int_equal(an->coactions, OBJECTS);
		assert_int_equal(an->links.n, OBJECTS);
		for (size_t i = 0; i < an->links.n; i++) {
			const ls_link_t *l = &an->links.v[i];
			assert_true(l->a < l->b);
			if (i)
				assert_true(l[-1].a < l->a || (l[-1].a == l->a && l[-1].b < l->b));
			assert_int_equal(l->coactions, 1);
			assert_int_equal(l->objects, 1);
			assert_int_equal(l->events, 1);
			assert_int_equal(l->new_events, 1);
			assert_int_equal(l->dt_min, 5);
			assert_int_equal(l->dt_max, 5);
			assert_int_equal(l->last_time - l->first_time, 5);
			/* the object of the pair's co-action, and its two posts */
			uint64_t k = l->ex_object - 1;
			assert_int_equal(l->first_time, (int64_t)k * 100);
			assert_int_equal(l->ex_post_a, 2 * k + (k % ACCOUNTS != l->a));
			assert_int_equal(l->ex_post_b, 2 * k + (k % ACCOUNTS != l->b));
		}
		if (first == NULL) {
			first = malloc(an->links.n * sizeof *first);
			assert_non_null(first);
			memcpy(first, an->links.v, an->links.n * sizeof *first);
		} else {
			assert_memory_equal(first, an->links.v, an->links.n * sizeof *first);
		}
		ls_analysis_free(an);
		ls_ctx_free(ctx);
	}
	free(first);
	ls_dataset_free(ds);
}

/* The sorted traces the link stage keeps for the evidence (an->sorted) are
 * exactly ls_sorted_traces + ls_link_window: with a placebo shift and a
 * period, with and without the ads null's incidences; released on demand. */
static void test_sorted_cache(void **state)
{
	(void)state;
	ls_dataset_t *ds = make_ds(40);
	add_random_traces(ds, 777, 4000, 59, 9000, 40);
	for (int ads = 0; ads < 2; ads++) {
		ls_analysis_t *an = calloc(1, sizeof *an);
		assert_non_null(an);
		an->ds = ds;
		ls_params_init(&an->params);
		an->params.window = 45;
		an->params.behaviours = 1;
		an->params.has_since = an->params.has_until = 1;
		an->params.since = 500;
		an->params.until = 8000;
		an->ads_null = (uint32_t)ads;
		an->shift = malloc(40 * sizeof *an->shift);
		assert_non_null(an->shift);
		for (uint32_t a = 0; a < 40; a++)
			an->shift[a] = (int64_t)(a * 37 % 200) - 100;
		assert_int_equal(ls_link_run(an, NULL), LS_OK);
		assert_non_null(an->sorted);
		assert_non_null(an->sorted->t);
		assert_int_equal(an->sorted->have, 1);
		size_t n = 0;
		int64_t w = 0;
		ls_trace_t *t = ls_sorted_traces(an, ds->traces[0].v, ds->traces[0].n, &n);
		assert_non_null(t);
		assert_int_equal(ls_link_window(an, 0, t, &n, &w), 0);
		assert_true(n > 100 && n < ds->traces[0].n);
		assert_int_equal(an->sorted->lo[0], 0);
		assert_int_equal(an->sorted->n[0], n);
		assert_true(an->sorted->window[0] == w);
		assert_memory_equal(an->sorted->t, t, n * sizeof *t);
		free(t);
		ls_analysis_release_sorted(an);
		assert_null(an->sorted->t);
		assert_int_equal(an->sorted->have, 0);
		ls_analysis_free(an);
	}
	ls_dataset_free(ds);
}

/* Events and new_events against brute force: posts that act on several
 * objects in two behaviours, so one post pair stands behind several
 * co-actions of a behaviour and behind both behaviours. */
static void test_events_match_brute_force(void **state)
{
	(void)state;
	enum { ACC = 6, POSTS = 300, W = 50 };
	ls_dataset_t *ds = make_ds(ACC);
	uint64_t x = 99;
	for (uint32_t p = 0; p < POSTS; p++) {
		x = x * 6364136223846793005ULL + 1442695040888963407ULL;
		uint32_t acc = (uint32_t)(x >> 33) % ACC;
		int64_t time = (int64_t)((x >> 20) % 400);
		for (uint32_t b = 0; b < 2; b++)
			for (uint64_t k = 0; k < 1 + (x >> (40 + b)) % 3; k++) {
				ls_trace_t tr = {1 + b * 100 + (x >> (44 + 4 * k + b)) % 6, time, acc, p};
				assert_int_equal(ls_vec_push(&ds->traces[b], tr), 0);
			}
	}
	ls_analysis_t *an = link_behaviours(ds, W, 3); /* objects < max_burst traces */
	/* brute force: post pairs per (account pair, behaviour) */
	static uint8_t seen[2][ACC][ACC][POSTS][POSTS];
	memset(seen, 0, sizeof seen);
	uint64_t coactions[2][ACC][ACC] = {{{0}}};
	for (uint32_t b = 0; b < 2; b++) {
		const ls_trace_t *t = ds->traces[b].v;
		for (size_t i = 0; i < ds->traces[b].n; i++)
			for (size_t j = i + 1; j < ds->traces[b].n; j++) {
				int64_t dt = t[i].time - t[j].time;
				if (t[i].object != t[j].object || t[i].account == t[j].account ||
				    dt > W || dt < -W)
					continue;
				uint32_t a = t[i].account < t[j].account ? t[i].account : t[j].account;
				uint32_t c = t[i].account ^ t[j].account ^ a;
				uint32_t p = t[i].post < t[j].post ? t[i].post : t[j].post;
				uint32_t q = t[i].post ^ t[j].post ^ p;
				seen[b][a][c][p][q] = 1;
				coactions[b][a][c]++;
			}
	}
	size_t want_links = 0;
	for (uint32_t b = 0; b < 2; b++)
		for (uint32_t a = 0; a < ACC; a++)
			for (uint32_t c = a + 1; c < ACC; c++)
				want_links += coactions[b][a][c] > 0;
	assert_int_equal(an->links.n, want_links);
	for (size_t k = 0; k < an->links.n; k++) {
		const ls_link_t *l = &an->links.v[k];
		uint32_t events = 0, fresh = 0;
		for (uint32_t p = 0; p < POSTS; p++)
			for (uint32_t q = p + 1; q < POSTS; q++) {
				if (!seen[l->behaviour][l->a][l->b][p][q])
					continue;
				events++;
				fresh += l->behaviour == 0 || !seen[0][l->a][l->b][p][q];
			}
		assert_int_equal(l->coactions, coactions[l->behaviour][l->a][l->b]);
		assert_int_equal(l->events, events);
		assert_int_equal(l->new_events, fresh);
		assert_true(l->behaviour == 0 || fresh < events); /* the case is exercised */
	}
	ls_analysis_free(an);
	ls_dataset_free(ds);
}

/* Reference order for the trace sort: (object, time, input index). */
typedef struct ref_trace {
	ls_trace_t t;
	size_t i;
} ref_trace_t;

static int cmp_ref(const void *x, const void *y)
{
	const ref_trace_t *a = x, *b = y;
	if (a->t.object != b->t.object)
		return a->t.object < b->t.object ? -1 : 1;
	if (a->t.time != b->t.time)
		return a->t.time < b->t.time ? -1 : 1;
	return a->i < b->i ? -1 : a->i > b->i;
}

/* ls_trace_sort against qsort on full 64-bit objects, few objects, one
 * object, a few huge ones and small runs with equal times, with a period
 * and shifted clocks, for 1 and 3 threads (several chunks and bucket
 * tasks). */
static void test_trace_sort_matches_qsort(void **state)
{
	(void)state;
	const int objshift[] = {0, 54, 63, 60, 54};
	const int n[] = {200000, 100000, 5000, 150000, 20000};
	const uint64_t tmax[] = {100000, 100000, 100000, 100000, 400};
	for (int c = 0; c < 5; c++) {
		ls_dataset_t *ds = make_ds(50);
		add_random_traces(ds, 31 + (uint64_t)c, n[c], objshift[c], tmax[c], 50);
		ls_analysis_t an;
		memset(&an, 0, sizeof an);
		an.ds = ds;
		ls_params_init(&an.params);
		an.params.has_since = an.params.has_until = 1;
		an.params.since = (int64_t)tmax[c] / 100;
		an.params.until = (int64_t)tmax[c] * 95 / 100;
		int64_t shift[50];
		for (int a = 0; a < 50; a++)
			shift[a] = (int64_t)(a * 53 % 300) - 150;
		an.shift = shift;
		size_t nall = ds->traces[0].n, m = 0;
		ref_trace_t *ref = malloc(nall * sizeof *ref);
		assert_non_null(ref);
		for (size_t i = 0; i < nall; i++) {
			ls_trace_t t = ds->traces[0].v[i];
			t.time = ls_trace_time(&an, &t);
			if (ls_in_period(&an.params, t.time))
				ref[m++] = (ref_trace_t){t, i};
		}
		qsort(ref, m, sizeof *ref, cmp_ref);
		ls_trace_t *out = malloc(nall * sizeof *out);
		assert_non_null(out);
		for (int threads = 1; threads <= 3; threads += 2) {
			memset(out, 0, nall * sizeof *out);
			assert_int_equal(ls_trace_sort(&an, ds->traces[0].v, nall, out, threads), m);
			for (size_t i = 0; i < m; i++)
				assert_memory_equal(&out[i], &ref[i].t, sizeof *out);
		}
		free(out);
		free(ref);
		ls_dataset_free(ds);
	}
}

/* 150,000 shares of one object spread over ~a week: only within-window pairs
 * are formed (about 150,000 * 60 / 4 s), never C(150000, 2) = 1.1e10. */
static void test_viral_object_cost(void **state)
{
	(void)state;
	ls_dataset_t *ds = make_ds(150000);
	for (uint32_t i = 0; i < 150000; i++)
		add_trace(ds, 99, (int64_t)i * 4, i);
	ls_analysis_t *an = link_only(ds, 60);
	/* each share pairs with the next 15 shares (dt = 4..60) */
	uint64_t want = 0;
	for (uint64_t i = 0; i < 150000; i++)
		want += (150000 - 1 - i) < 15 ? (150000 - 1 - i) : 15;
	assert_int_equal(an->coactions, want);
	ls_analysis_free(an);
	ls_dataset_free(ds);
}

/* The burst guard: 300 shares in the same second; a share whose window
 * holds more than max_burst = 200 later shares forms no co-actions. */
static void test_burst_guard(void **state)
{
	(void)state;
	ls_dataset_t *ds = make_ds(300);
	for (uint32_t i = 0; i < 300; i++)
		add_trace(ds, 5, 1000, i);
	ls_analysis_t *an = calloc(1, sizeof *an);
	assert_non_null(an);
	an->ds = ds;
	ls_params_init(&an->params);
	an->params.behaviours = 1;
	an->params.max_burst = 200;
	assert_int_equal(ls_link_run(an, NULL), LS_OK);
	uint64_t formed = 0, skipped = 0;
	for (uint64_t i = 0; i < 300; i++) {
		uint64_t later = 299 - i;
		if (later > 200)
			skipped += later;
		else
			formed += later;
	}
	assert_int_equal(an->coactions, formed);
	assert_int_equal(an->burst_skipped, skipped);
	ls_analysis_free(an);
	/* max_burst = 0: no limit, all C(300, 2) pairs */
	an = link_only(ds, 60);
	an->params.max_burst = 0;
	ls_vec_free(&an->links);
	an->coactions = 0;
	assert_int_equal(ls_link_run(an, NULL), LS_OK);
	assert_int_equal(an->coactions, 300 * 299 / 2);
	ls_analysis_free(an);
	ls_dataset_free(ds);
}

/* An analysis may only link on behaviours extracted while reading. */
static void test_unextracted_behaviour_refused(void **state)
{
	(void)state;
	ls_read_options_t ro;
	ls_read_options_init(&ro);
	ro.extract_behaviours = ls_behaviour_bit("coretweet");
	ls_dataset_t *ds = NULL;
	ls_ctx_t *ctx = ls_ctx_new();
	assert_int_equal(ls_dataset_new(&ds, &ro, ctx), LS_OK);
	ls_params_t p;
	ls_params_init(&p);
	p.behaviours = ls_behaviour_bit("cotweet");
	ls_analysis_t *an = NULL;
	assert_int_equal(ls_analysis_run(&an, ds, &p, ctx), LS_EINVAL);
	assert_null(an);
	assert_non_null(strstr(ls_ctx_message(ctx), "cotweet"));
	p.behaviours = ls_behaviour_bit("coretweet");
	ls_ctx_free(ctx);
	ctx = ls_ctx_new();
	assert_int_equal(ls_analysis_run(&an, ds, &p, ctx), LS_OK);
	ls_analysis_free(an);
	ls_ctx_free(ctx);
	ls_dataset_free(ds);
}

/* ls_behaviours() lists exactly the behaviour table's names, in bit order
 * (the two must move together when a behaviour is added). */
static void test_behaviour_names_match_table(void **state)
{
	(void)state;
	const char *const *names = ls_behaviours();
	size_t i = 0;
	for (; names[i] != NULL; i++) {
		assert_true(i < ls_behaviour_table_size);
		assert_string_equal(names[i], ls_behaviour_table[i]->name);
		assert_true(ls_behaviour_bit(names[i]) == UINT64_C(1) << i);
	}
	assert_int_equal(i, ls_behaviour_table_size);
}

/* The streamed link stage: without --all-links the link stage hands the
 * links to the score stage partition by partition (in groups of
 * partitions), which keeps only the p-values that can matter, and then
 * builds the full records of the flagged pairs' links only. The flags,
 * the account p-values, those records and the pair records must be
 * exactly the ones of a run that builds every link at once (--all-links),
 * in one group or in many. */
static void check_stream_matches(const ls_analysis_t *two, const ls_analysis_t *one, size_t na)
{
	assert_int_equal(two->links_total, one->links_total);
	assert_int_equal(one->links.n, one->links_total);
	assert_memory_equal(two->flagged, one->flagged, na ? na : 1);
	assert_memory_equal(two->account_p, one->account_p, (na ? na : 1) * sizeof(double));
	assert_memory_equal(two->account_q, one->account_q, (na ? na : 1) * sizeof(double));
	size_t j = 0, flagged_links = 0;
	for (size_t i = 0; i < one->links.n; i++) {
		const ls_link_t *l = &one->links.v[i];
		if (!(one->flagged[l->a] && one->flagged[l->b]))
			continue;
		flagged_links++;
		assert_true(j < two->links.n);
		assert_memory_equal(&two->links.v[j], l, sizeof *l);
		j++;
	}
	assert_int_equal(j, two->links.n);
	assert_true(flagged_links > 0); /* the planted campaigns are flagged */
	assert_true(flagged_links < one->links.n);
	assert_int_equal(two->pairs.n, one->pairs.n);
	for (size_t k = 0; k < one->pairs.n; k++) {
		const ls_pair_t *x = &two->pairs.v[k], *y = &one->pairs.v[k];
		assert_int_equal(x->a, y->a);
		assert_int_equal(x->b, y->b);
		assert_int_equal(x->behaviours, y->behaviours);
		assert_int_equal(x->events, y->events);
		assert_int_equal(x->coactions, y->coactions);
		assert_memory_equal(&x->pvalue, &y->pvalue, sizeof x->pvalue);
		assert_memory_equal(&x->qvalue, &y->qvalue, sizeof x->qvalue);
		assert_memory_equal(&x->expected, &y->expected, sizeof x->expected);
		assert_int_equal(x->kept, y->kept);
	}
}

static void test_stream_matches_all_links(void **state)
{
	(void)state;
	char dir[] = "/tmp/ls_test_link2_XXXXXX", path[64];
	assert_non_null(mkdtemp(dir));
	ls_ctx_t *ctx = ls_ctx_new();
	ls_synth_options_t so;
	ls_synth_options_init(&so);
	assert_int_equal(ls_synth_write(dir, &so, ctx), LS_OK);
	snprintf(path, sizeof path, "%s/posts.csv", dir);
	uint64_t mask = 0;
	for (const char *const *n = ls_behaviours(); *n != NULL; n++)
		mask |= ls_behaviour_bit(*n);
	ls_read_options_t ro;
	ls_read_options_init(&ro);
	ro.extract_behaviours = mask;
	ls_dataset_t *ds = NULL;
	assert_int_equal(ls_dataset_new(&ds, &ro, ctx), LS_OK);
	assert_int_equal(ls_dataset_read(ds, path, NULL, ctx), LS_OK);
	/* every behaviour (several links per pair), then one (the one-link
	 * path of the score stage) */
	uint64_t masks[2] = {mask, ls_behaviour_bit("coretweet")};
	ls_analysis_t *an[2] = {NULL, NULL};
	for (int m = 0; m < 2; m++) {
		ls_params_t p;
		ls_params_init(&p);
		p.behaviours = masks[m];
		p.all_links = 1;
		assert_int_equal(ls_analysis_run_stream(&an[1], ds, &p, 0, 0, ctx), LS_OK);
		p.all_links = 0;
		/* one group, groups of at most 500 co-actions, and one group
		 * filled and sorted before the stream (records below the bound,
		 * links at or above it) */
		size_t co = (size_t)an[1]->coactions, nl = an[1]->links_total;
		size_t lean[3] = {0, 0, 16 * (co + 1)}, groups[3] = {0, 500, 0};
		assert_true(nl >= lean[2] / sizeof(ls_link_t));
		for (int g = 0; g < 3; g++) {
			assert_int_equal(ls_analysis_run_stream(&an[0], ds, &p, lean[g], groups[g], ctx),
			                 LS_OK);
			assert_true(an[0]->lean_first); /* it streamed */
			check_stream_matches(an[0], an[1], ds->accounts.n);
			ls_analysis_free(an[0]);
		}
		ls_analysis_free(an[1]);
	}
	ls_dataset_free(ds);

	ls_ctx_free(ctx);
	unlink(path);
	snprintf(path, sizeof path, "%s/truth.csv", dir);
	unlink(path);
	rmdir(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_text_normalise),
		cmocka_unit_test(test_text_normalise_wide),
		cmocka_unit_test(test_url_normalise),
		cmocka_unit_test(test_window_inclusive),
		cmocka_unit_test(test_distinct_objects),
		cmocka_unit_test(test_sweep_matches_brute_force),
		cmocka_unit_test(test_links_over_records),
		cmocka_unit_test(test_viral_object_cost),
		cmocka_unit_test(test_sorted_cache),
		cmocka_unit_test(test_trace_sort_matches_qsort),
		cmocka_unit_test(test_events_match_brute_force),
		cmocka_unit_test(test_burst_guard),
		cmocka_unit_test(test_unextracted_behaviour_refused),
		cmocka_unit_test(test_behaviour_names_match_table),
		cmocka_unit_test(test_stream_matches_all_links),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
