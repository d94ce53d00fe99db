/*
 * Unit tests of the behaviours added for issue 4: MinHash agreement
 * probability against exact Jaccard similarity (statistical, fixed seed),
 * LSH bands of light edits and of unrelated texts, the bands x rows choice,
 * hashtag-sequence keys, fast-retweet lag filtering and synchrony's one
 * trace per account and bin on hand-made datasets.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <xxhash.h>

#include "core/analysis.h"
#include "extract/behaviour.h"
#include "extract/derived.h"

/* ------------------------------------------------------------ helpers */

static uint64_t rng_state = 0x9e3779b97f4a7c15ULL;

static uint64_t rng(void)
{
	/* splitmix64: fixed seed, so the statistical tests are reproducible */
	uint64_t z = (rng_state += 0x9e3779b97f4a7c15ULL);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static int cmp_str5(const void *a, const void *b)
{
	return memcmp(a, b, LS_MINHASH_SHINGLE);
}

/* Exact Jaccard similarity of the 5-shingle sets of two ASCII texts; the
 * size of their union in *union_size. */
static double exact_jaccard(const char *a, size_t na, const char *b, size_t nb,
                            size_t *union_size)
{
	size_t ka = na - LS_MINHASH_SHINGLE + 1, kb = nb - LS_MINHASH_SHINGLE + 1;
	char *sa = malloc(ka * LS_MINHASH_SHINGLE), *sb = malloc(kb * LS_MINHASH_SHINGLE);
	assert_non_null(sa);
	assert_non_null(sb);
	for (size_t i = 0; i < ka; i++)
		memcpy(sa + i * LS_MINHASH_SHINGLE, a + i, LS_MINHASH_SHINGLE);
	for (size_t i = 0; i < kb; i++)
		memcpy(sb + i * LS_MINHASH_SHINGLE, b + i, LS_MINHASH_SHINGLE);
	qsort(sa, ka, LS_MINHASH_SHINGLE, cmp_str5);
	qsort(sb, kb, LS_MINHASH_SHINGLE, cmp_str5);
	size_t i = 0, j = 0, inter = 0, uni = 0;
	while (i < ka || j < kb) {
		int c = i == ka ? 1 : j == kb ? -1 : cmp_str5(sa + i * 5, sb + j * 5);
		const char *cur = c <= 0 ? sa + i * 5 : sb + j * 5;
		uni++;
		inter += c == 0;
		/* skip every copy of cur in both lists */
		while (i < ka && cmp_str5(sa + i * 5, cur) == 0)
			i++;
		while (j < kb && cmp_str5(sb + j * 5, cur) == 0)
			j++;
	}
	free(sa);
	free(sb);
	*union_size = uni;
	return (double)inter / (double)uni;
}

/* Collects the keys a behaviour emits for one post. */
typedef struct keys {
	char k[16][600];
	size_t n[16];
	size_t count;
} keys_t;

static int collect(void *user, const char *key, size_t n, int label)
{
	(void)label;
	keys_t *ks = user;
	assert_true(ks->count < 16 && n <= sizeof ks->k[0]);
	memcpy(ks->k[ks->count], key, n);
	ks->n[ks->count++] = n;
	return 0;
}

static void run_extract(uint32_t b, const ls_post_t *p, keys_t *ks)
{
	static char scratch[4096];
	ls_extract_env_t env = {scratch, sizeof scratch, 10, 0, 0, 1, NULL};
	ls_minhash_choose(0.8, &env.nd_bands, &env.nd_rows);
	memset(ks, 0, sizeof *ks);
	assert_int_equal(ls_behaviour_table[b]->extract(p, &env, collect, ks), 0);
}

static ls_post_t text_post(const char *text)
{
	ls_post_t p;
	memset(&p, 0, sizeof p);
	p.kind = LS_KIND_ORIGINAL;
	p.text.p = text;
	p.text.n = strlen(text);
	return p;
}

static int share_band(const char *x, const char *y)
{
	keys_t a, b;
	ls_post_t px = text_post(x), py = text_post(y);
	run_extract(LS_BH_NEARDUP, &px, &a);
	run_extract(LS_BH_NEARDUP, &py, &b);
	assert_int_equal(a.count, b.count);
	int shared = 0;
	for (size_t i = 0; i < a.count; i++)
		shared += a.n[i] == b.n[i] && memcmp(a.k[i], b.k[i], a.n[i]) == 0;
	return shared;
}

/* ------------------------------------------------------------ MinHash */

static void test_minhash_choice(void **state)
{
	(void)state;
	unsigned b, r;
	ls_minhash_choose(0.8, &b, &r);
	assert_int_equal(b, 6);
	assert_int_equal(r, 8);
	for (double j = 0.5; j < 0.96; j += 0.05) {
		ls_minhash_choose(j, &b, &r);
		assert_true(b * r <= LS_MINHASH_BUDGET);
		double t = pow(1.0 / b, 1.0 / r);
		print_message("J %.2f: %u x %u, threshold %.3f\n", j, b, r, t);
		assert_true(b * r >= LS_MINHASH_MIN_PERM);
		assert_true(fabs(t - j) < 0.02);
	}
}

/* A random lowercase text a of len characters and a copy b with 1 to
 * max_edits random characters replaced; returns their exact Jaccard
 * similarity and the union size *f. */
static double random_pair(char *a, char *b, int len, int max_edits, size_t *f)
{
	for (int i = 0; i < len; i++)
		a[i] = (char)('a' + rng() % 26);
	memcpy(b, a, (size_t)len);
	int edits = 1 + (int)(rng() % (unsigned)max_edits);
	for (int e = 0; e < edits; e++)
		b[rng() % (unsigned)len] = (char)('a' + rng() % 26);
	a[len] = b[len] = '\0';
	return exact_jaccard(a, (size_t)len, b, (size_t)len, f);
}

/* For random texts of `len` characters and light-to-heavy mutations, the
 * fraction of the k = 64 bins on which two signatures agree estimates the
 * exact Jaccard similarity without bias. Its spread across pairs is that of
 * one-permutation hashing (Li, Owen & Zhang 2012): the bins sample the f
 * shingles of the union without replacement, variance about
 * J(1 - J) / k * (1 - (k - 1) / (f - 1)), below the binomial J(1 - J) / k of
 * k independent permutations. With len = 40 (36 shingles for 64 bins) most
 * bins are empty and filled by densification (Shrivastava 2017): still
 * unbiased, with about the binomial variance (the correction applies only
 * when f > k). */
static void check_agreement(int len)
{
	enum { PAIRS = 400, MAXLEN = 160, K = LS_MINHASH_BUDGET };
	char a[MAXLEN + 1], b[MAXLEN + 1];
	uint64_t sa[K], sb[K];
	double sum_diff = 0, sum_sq = 0, sum_var = 0, mid_est = 0, mid_j = 0;
	int mid = 0;
	for (int p = 0; p < PAIRS; p++) {
		/* mutate a random share of the characters: Jaccard ~ 0.05 .. 0.98 */
		size_t f;
		double j = random_pair(a, b, len, len / 4, &f);
		assert_int_equal(ls_minhash_signature(a, (size_t)len, K, sa), len - 4);
		ls_minhash_signature(b, (size_t)len, K, sb);
		int agree = 0;
		for (int i = 0; i < K; i++)
			agree += sa[i] == sb[i];
		double est = (double)agree / K;
		sum_diff += est - j;
		sum_sq += (est - j) * (est - j);
		double fpc = f > K ? 1 - (double)(K - 1) / (double)(f - 1) : 1;
		sum_var += j * (1 - j) / K * fpc;
		if (j > 0.4 && j < 0.6) {
			mid_est += est;
			mid_j += j;
			mid++;
		}
	}
	double bias = sum_diff / PAIRS;
	double ratio = sum_sq / sum_var;
	print_message("MinHash, %d characters: mean(estimate - J) = %.4f, variance ratio %.3f, %d "
	              "pairs near 0.5: estimate %.3f vs J %.3f\n",
	              len, bias, ratio, mid, mid ? mid_est / mid : 0, mid ? mid_j / mid : 0);
	/* standard error of the bias is about sqrt(0.25 / 64 / 400) = 0.003 */
	assert_true(fabs(bias) < 0.012);
	assert_true(ratio > 0.7 && ratio < 1.4);
	assert_true(mid >= 20);
	assert_true(fabs(mid_est - mid_j) / mid < 0.03);
}

static void test_minhash_agreement(void **state)
{
	(void)state;
	check_agreement(160);
	check_agreement(40);
}

/* LSH banding: a band of r rows matches when all its r bins agree, with
 * probability J^r for k independent permutations. With one-permutation
 * hashing the bins of a band are the minima of r disjoint parts of one
 * random order, so for a long text (no empty bin) a band matches with
 * probability C(|A & B|, r) / C(|A | B|, r), slightly below J^r (by ~4% for
 * 150 shingles and J = 0.8), and a pair shares some band with probability
 * near the S-curve 1 - (1 - J^r)^b. This checks, over random texts of known
 * Jaccard 0.6 .. 0.95, that the observed band matches follow both curves
 * within about three standard errors: a biased bin choice, bins that move
 * together, or a densification that differs between the two texts would
 * move them. */
static void check_bands(int len, double lo, double hi)
{
	enum { PAIRS = 3000, MAXLEN = 200 };
	unsigned bands, rows;
	ls_minhash_choose(0.8, &bands, &rows);
	char a[MAXLEN + 1], b[MAXLEN + 1];
	uint64_t sa[LS_MINHASH_BUDGET], sb[LS_MINHASH_BUDGET];
	double seen = 0, want = 0, exact = 0, any_seen = 0, any_want = 0;
	for (int p = 0; p < PAIRS; p++) {
		size_t f;
		double j = random_pair(a, b, len, len / 25, &f);
		double inter = j * (double)f, wr = 1;
		for (unsigned i = 0; i < rows; i++)
			wr *= (inter - i) / ((double)f - i);
		ls_minhash_signature(a, (size_t)len, bands * rows, sa);
		ls_minhash_signature(b, (size_t)len, bands * rows, sb);
		int matched = 0;
		for (unsigned g = 0; g < bands; g++)
			matched += memcmp(sa + g * rows, sb + g * rows, rows * sizeof sa[0]) == 0;
		seen += matched;
		want += bands * pow(j, rows);
		exact += bands * (wr > 0 ? wr : 0);
		any_seen += matched > 0;
		any_want += 1 - pow(1 - pow(j, rows), bands);
	}
	print_message("LSH %u x %u, %d characters: band matches %.0f, J^r predicts %.0f "
	              "(without replacement %.0f); pairs sharing a band %.0f, S-curve %.0f\n",
	              bands, rows, len, seen, want, exact, any_seen, any_want);
	/* ~4800 band matches: one standard error is about 2% */
	assert_true(seen > lo * exact && seen < hi * exact);
	assert_true(any_seen > 0.93 * any_want && any_seen < 1.07 * any_want);
}

static void test_minhash_bands(void **state)
{
	(void)state;
	check_bands(160, 0.93, 1.07);
	/* 96 shingles leave ~6 of 48 bins empty; their copies make a band's rows
	 * agree together a little more often */
	check_bands(100, 0.93, 1.1);
}

static void test_minhash_short_and_utf8(void **state)
{
	(void)state;
	uint64_t s1[8], s2[8];
	assert_int_equal(ls_minhash_signature("", 0, 8, s1), 0);
	assert_true(s1[0] == UINT64_MAX);
	assert_int_equal(ls_minhash_signature("abc", 3, 8, s1), 1); /* short text: one shingle */
	/* 6 Cyrillic letters = 12 bytes = 2 shingles of 5 code points */
	assert_int_equal(ls_minhash_signature("привет", strlen("привет"), 8, s1), 2);
	ls_minhash_signature("привет", strlen("привет"), 8, s2);
	assert_memory_equal(s1, s2, sizeof s1);
}

static void test_neardup_bands(void **state)
{
	(void)state;
	static const char *const pairs[][2] = {
		{"Hillary Clinton lied to Congress about Benghazi and the media will never tell you. Retweet if you agree!",
		 "Hillary Clinton lied to Congress about Benghazi and the media will never tell you! Retweet if you agree"},
		{"BREAKING: thousands of illegal votes found in Ohio, the election is rigged #VoterFraud https://t.co/abc",
		 "BREAKING: thousands of illegal votes found in Ohio. The election is rigged #VoterFraud https://t.co/xyz @news"},
		{"Police shot another unarmed black man today in Baltimore and nobody is talking about it",
		 "RT @someone: Police shot another unarmed black man today in Baltimore and nobody is talking about it."},
		{"Make America great again, vote Trump on November 8th and bring our jobs back home",
		 "Make America great again, vote Trump on November 8 and bring our jobs back home"},
		{"Взрыв в метро Санкт-Петербурга: число погибших выросло до четырнадцати человек",
		 "Взрыв в метро Санкт-Петербурга: число погибших возросло до четырнадцати человек"},
	};
	for (size_t i = 0; i < sizeof pairs / sizeof pairs[0]; i++) {
		int s = share_band(pairs[i][0], pairs[i][1]);
		print_message("light edit %zu: %d of 6 bands shared\n", i, s);
		assert_true(s >= 1);
	}
	/* unrelated texts, all pairs of them */
	for (size_t i = 0; i < sizeof pairs / sizeof pairs[0]; i++)
		for (size_t j = 0; j < sizeof pairs / sizeof pairs[0]; j++)
			if (i != j)
				assert_int_equal(share_band(pairs[i][0], pairs[j][1]), 0);
	/* same text: every band; short text and retweets: nothing */
	assert_int_equal(share_band(pairs[0][0], pairs[0][0]), 6);
	keys_t ks;
	ls_post_t p = text_post("too short");
	run_extract(LS_BH_NEARDUP, &p, &ks);
	assert_int_equal(ks.count, 0);
	p = text_post(pairs[0][0]);
	p.kind = LS_KIND_RETWEET;
	run_extract(LS_BH_NEARDUP, &p, &ks);
	assert_int_equal(ks.count, 0);
}

/* ---------------------------------------------------- hashtag sequence */

static void check_seq(const char *const *tags, size_t n, ls_kind_t kind, const char *want)
{
	ls_str_t h[8];
	for (size_t i = 0; i < n; i++) {
		h[i].p = tags[i];
		h[i].n = strlen(tags[i]);
	}
	ls_post_t p = text_post("some text");
	p.kind = kind;
	p.hashtags = h;
	p.n_hashtags = n;
	keys_t ks;
	run_extract(LS_BH_HASHTAGSEQ, &p, &ks);
	if (want == NULL) {
		assert_int_equal(ks.count, 0);
		return;
	}
	assert_int_equal(ks.count, 1);
	ks.k[0][ks.n[0]] = '\0';
	assert_string_equal(ks.k[0], want);
}

static void test_hashtagseq_keys(void **state)
{
	(void)state;
	const char *t1[] = {"MAGA", "tcot", "maga", "PJNet"};
	check_seq(t1, 4, LS_KIND_ORIGINAL, "#maga#tcot#pjnet");
	const char *t2[] = {"tcot", "MAGA", "PJNet"};
	check_seq(t2, 3, LS_KIND_ORIGINAL, "#tcot#maga#pjnet"); /* order matters */
	check_seq(t2, 3, LS_KIND_REPLY, "#tcot#maga#pjnet");
	check_seq(t2, 3, LS_KIND_RETWEET, NULL);     /* the original author's tags */
	check_seq(t2, 1, LS_KIND_ORIGINAL, NULL);    /* one tag: co-hashtag's job */
	const char *t3[] = {"BLM", "blm"};
	check_seq(t3, 2, LS_KIND_ORIGINAL, NULL);    /* one distinct tag */
}

/* ------------------------------------------- dataset-wide behaviours */

/* A new temporary file holding `header`, open for more in *f; its path
 * (malloc'd). */
static char *temp_csv(const char *header, FILE **f)
{
	char *path = strdup("/tmp/ls_test_bh_XXXXXX");
	assert_non_null(path);
	int fd = mkstemp(path);
	assert_true(fd >= 0);
	*f = fdopen(fd, "w");
	assert_non_null(*f);
	fputs(header, *f);
	return path;
}

static char *write_csv(const char *body)
{
	FILE *f;
	char *path =
	    temp_csv("message_id,user_id,username,repost_id,reply_id,message,timestamp,urls\n", &f);
	fputs(body, f);
	fclose(f);
	return path;
}

static ls_dataset_t *read_csv(const char *body)
{
	char *path = write_csv(body);
	ls_dataset_t *ds = NULL;
	ls_ctx_t *ctx = ls_ctx_new();
	assert_int_equal(ls_dataset_new(&ds, NULL, ctx), LS_OK);
	assert_int_equal(ls_dataset_read(ds, path, "cnt", ctx), LS_OK);
	assert_int_equal(ls_dataset_derive(ds, ~UINT64_C(0), ctx), LS_OK);
	unlink(path);
	free(path);
	ls_ctx_free(ctx);
	return ds;
}

static int has_trace(const ls_dataset_t *ds, uint32_t b, uint32_t post)
{
	for (size_t i = 0; i < ds->traces[b].n; i++)
		if (ds->traces[b].v[i].post == post)
			return 1;
	return 0;
}

/* The duplicate-id set is dropped when an analysis derives its traces and
 * rebuilt from the post rows when more input comes: a post read again
 * afterwards is still a duplicate. */
static void test_duplicate_ids_after_derive(void **state)
{
	(void)state;
	ls_dataset_t *ds = read_csv("p1,2,b,,,first post here,1000,\n"
	                            "p2,3,c,,,second post here,1001,\n");
	assert_int_equal(ds->posts.n, 2);
	assert_int_equal(ds->post_ids.count, 0);
	char *path = write_csv("p2,3,c,,,second post here,1001,\n"
	                       "p3,4,d,,,third post here,1002,\n"
	                       "p4,3,c,,,fourth post here,1003,\n");
	ls_ctx_t *ctx = ls_ctx_new();
	assert_int_equal(ls_dataset_read(ds, path, "cnt", ctx), LS_OK);
	assert_int_equal(ds->posts.n, 4);
	ls_input_info_t info;
	assert_int_equal(ls_dataset_input(ds, 1, &info), LS_OK);
	assert_int_equal(info.records_skipped, 1);
	assert_int_equal(ds->post_ids.count, 4);
	/* the account table was dropped too and built again: "3" is known */
	assert_int_equal(ds->accounts.n, 3);
	assert_int_equal(ds->posts.v[2].account, 2);
	assert_int_equal(ds->posts.v[3].account, 1);
	unlink(path);
	free(path);
	ls_ctx_free(ctx);
	ls_dataset_free(ds);
}

static void assert_ref(const ls_dataset_t *ds, uint32_t post, const char *want)
{
	char buf[64];
	assert_string_equal(ls_dataset_post_ref(ds, post, buf, sizeof buf), want);
}

/* Post ids: a canonical decimal id from 1 to 2^63 - 1 is kept as its
 * number, any other as a string ("0", a leading zero, 2^63); both kinds
 * read back as written, repeat as duplicates, name retweeted originals
 * (fast retweet) and locate their input. */
static void test_post_ids(void **state)
{
	(void)state;
	ls_dataset_t *ds = read_csv("123,2,b,,,a,1000,\n"
	                            "0123,3,c,,,b,1001,\n"
	                            "0,4,d,,,c,1002,\n"
	                            "9223372036854775808,5,e,,,d,1003,\n"
	                            "9223372036854775807,6,f,,,e,1004,\n"
	                            "123,8,h,,,again,1006,\n"
	                            "200,9,i,123,,RT,1005,\n"
	                            "201,10,j,0123,,RT,1004,\n"
	                            "202,11,k,999,,RT,1004,\n"
	                            "203,12,l,9223372036854775807,,RT,1030,\n");
	assert_int_equal(ds->posts.n, 9); /* the second "123" is a duplicate */
	const char *want[] = {"123", "0123", "0", "9223372036854775808", "9223372036854775807",
	                      "200", "201", "202", "203"};
	for (uint32_t i = 0; i < 9; i++)
		assert_ref(ds, i, want[i]);
	assert_true(ds->posts.v[0].id == 123);
	assert_true(ds->posts.v[1].id & LS_POST_ID_SID);
	assert_true(ds->posts.v[2].id & LS_POST_ID_SID);
	assert_true(ds->posts.v[3].id & LS_POST_ID_SID);
	assert_true(ds->posts.v[4].id == UINT64_C(9223372036854775807));
	assert_true(ls_dataset_post_id_is(ds, &ds->posts.v[0], "123", 3));
	assert_false(ls_dataset_post_id_is(ds, &ds->posts.v[0], "0123", 4));
	assert_true(ls_dataset_post_id_is(ds, &ds->posts.v[1], "0123", 4));
	assert_false(ls_dataset_post_id_is(ds, &ds->posts.v[1], "123", 3));
	assert_false(ls_dataset_post_id_is(ds, &ds->posts.v[0], "", 0));
	/* fast retweets (lag <= 10 s) of a numeric and of a string original;
	 * 999 is not in the data, 203 came 26 s late */
	assert_int_equal(ds->traces[LS_BH_FASTRETWEET].n, 2);
	assert_true(has_trace(ds, LS_BH_FASTRETWEET, 5));
	assert_true(has_trace(ds, LS_BH_FASTRETWEET, 6));
	char *path = write_csv("9223372036854775807,6,f,,,e,1004,\n"
	                       "0123,3,c,,,b,1001,\n"
	                       "0,4,d,,,c,1002,\n"
	                       "9223372036854775808,5,e,,,d,1003,\n"
	                       "300,13,m,,,x,1010,\n");
	ls_ctx_t *ctx = ls_ctx_new();
	assert_int_equal(ls_dataset_read(ds, path, "cnt", ctx), LS_OK);
	assert_int_equal(ds->posts.n, 10); /* both kinds are still duplicates */
	ls_input_info_t info;
	assert_int_equal(ls_dataset_input(ds, 1, &info), LS_OK);
	assert_int_equal(info.records_skipped, 4);
	assert_ref(ds, 9, "300");
	assert_int_equal(ls_dataset_post_input(ds, 0), 0);
	assert_int_equal(ls_dataset_post_input(ds, 8), 0);
	assert_int_equal(ls_dataset_post_input(ds, 9), 1);
	uint32_t first, end;
	ls_dataset_input_posts(ds, 1, &first, &end);
	assert_int_equal(first, 9);
	assert_int_equal(end, 10);
	unlink(path);
	free(path);
	ls_ctx_free(ctx);
	ls_dataset_free(ds);
}

/* The memory budget of issue 6 (docs/DESIGN.md, "Memory"): a co-retweet
 * table with Twitter-like ids (19-digit posts, 10-digit accounts) at the
 * benchmark's density (10 rows an account, 8 an object) holds at most 64
 * bytes a post once read and derived: the 24-byte row with its numeric
 * id, one 24-byte trace, and a few bytes a post of accounts and labels. */
static void test_dataset_bytes_per_post(void **state)
{
	(void)state;
	_Static_assert(sizeof(ls_post_row_t) == 24, "post row");
	_Static_assert(sizeof(ls_trace_t) == 24, "trace");
	enum { ROWS = 20000 };
	FILE *f;
	char *path = temp_csv("object_id,account_id,content_id,timestamp_share\n", &f);
	for (unsigned i = 0; i < ROWS; i++)
		fprintf(f, "%llu,%llu,%llu,%u\n", 1300000000000000000ULL + (i * 7919u) % (ROWS / 8),
		        3000000000ULL + (i * 104729u) % (ROWS / 10), 1500000000000000000ULL + i,
		        1600000000u + i * 13u);
	fclose(f);
	ls_dataset_t *ds = NULL;
	ls_ctx_t *ctx = ls_ctx_new();
	assert_int_equal(ls_dataset_new(&ds, NULL, ctx), LS_OK);
	assert_int_equal(ls_dataset_read(ds, path, "coortweet", ctx), LS_OK);
	ls_params_t params; /* the default behaviours, as detect runs them */
	ls_params_init(&params);
	assert_int_equal(ls_dataset_derive(ds, params.behaviours, ctx), LS_OK);
	assert_int_equal(ds->posts.n, ROWS);
	ls_dataset_memory_t m;
	double per = (double)ls_dataset_memory(ds, &m) / ROWS;
	printf("dataset: %.1f bytes a post (strings %.1f, accounts %.1f, labels %.1f)\n", per,
	       (double)m.strings / ROWS, (double)m.accounts / ROWS, (double)m.labels / ROWS);
	assert_int_equal(m.rows, 24 * ROWS);
	assert_int_equal(m.traces, 24 * ROWS); /* one co-retweet trace a post */
	assert_true((double)m.strings / ROWS < 8);   /* no post id strings */
	assert_int_equal(m.index + m.post_ids, 0); /* the reading tables are freed */
	assert_true(per <= 64);
	unlink(path);
	free(path);
	ls_ctx_free(ctx);
	ls_dataset_free(ds);
}

/* The kept texts: each post's first LS_TEXT_KEEP bytes as read, empty
 * texts before the first one included (none stored until then), on 1 and
 * 2 threads alike; past the memory given they are dropped for good. */
static void test_kept_texts(void **state)
{
	(void)state;
	char longtext[400];
	memset(longtext, 'x', sizeof longtext - 1);
	longtext[sizeof longtext - 1] = '\0';
	char body[1200];
	snprintf(body, sizeof body,
	         "p1,2,b,,,,1000,\n"
	         "p2,3,c,,,,1001,\n"
	         "p3,4,d,,,\"quoted, text\",1002,\n"
	         "p4,5,e,,,%s,1003,\n"
	         "p5,6,f,,,,1004,\n",
	         longtext);
	char *path = write_csv(body);
	for (int threads = 1; threads <= 2; threads++) {
		ls_dataset_t *ds = NULL;
		ls_ctx_t *ctx = ls_ctx_new();
		ls_ctx_set_threads(ctx, threads);
		assert_int_equal(ls_dataset_new(&ds, NULL, ctx), LS_OK);
		assert_int_equal(ls_dataset_read(ds, path, "cnt", ctx), LS_OK);
		assert_true(ls_dataset_texts_kept(ds));
		assert_int_equal(ds->text_end.n, 5);
		const char *t;
		size_t n;
		ls_dataset_post_text(ds, 0, &t, &n);
		assert_int_equal(n, 0);
		ls_dataset_post_text(ds, 2, &t, &n);
		assert_int_equal(n, 12);
		assert_memory_equal(t, "quoted, text", 12);
		ls_dataset_post_text(ds, 3, &t, &n);
		assert_int_equal(n, LS_TEXT_KEEP);
		assert_memory_equal(t, longtext, LS_TEXT_KEEP);
		ls_dataset_post_text(ds, 4, &t, &n);
		assert_int_equal(n, 0);
		/* less memory than they take: dropped, and not kept again */
		ls_dataset_set_text_memory(ds, 100);
		assert_false(ls_dataset_texts_kept(ds));
		assert_int_equal(ds->text_bytes.n, 0);
		ls_dataset_set_text_memory(ds, (size_t)1 << 20);
		assert_false(ls_dataset_texts_kept(ds));
		ls_dataset_free(ds);
		/* a budget the texts outgrow while reading */
		assert_int_equal(ls_dataset_new(&ds, NULL, ctx), LS_OK);
		ls_dataset_set_text_memory(ds, 200);
		assert_int_equal(ls_dataset_read(ds, path, "cnt", ctx), LS_OK);
		assert_false(ls_dataset_texts_kept(ds));
		assert_int_equal(ds->posts.n, 5);
		ls_dataset_free(ds);
		/* none at all */
		assert_int_equal(ls_dataset_new(&ds, NULL, ctx), LS_OK);
		ls_dataset_set_text_memory(ds, 0);
		assert_int_equal(ls_dataset_read(ds, path, "cnt", ctx), LS_OK);
		assert_false(ls_dataset_texts_kept(ds));
		ls_dataset_free(ds);
		ls_ctx_free(ctx);
	}
	unlink(path);
	free(path);
}

static void test_fastretweet_lag(void **state)
{
	(void)state;
	/* The retweets come before the original (post 7) in the file. */
	ls_dataset_t *ds = read_csv("r0,2,b,o1,,RT @a: hello,1000,\n"    /* lag 0: in */
	                            "r1,3,c,o1,,RT @a: hello,1005,\n"    /* lag 5: in */
	                            "r2,4,d,o1,,RT @a: hello,1010,\n"    /* lag 10: in */
	                            "r3,5,e,o1,,RT @a: hello,1011,\n"    /* lag 11: out */
	                            "r4,6,f,o1,,RT @a: hello,995,\n"     /* before it: out */
	                            "r5,7,g,zz,,RT @z: other,1001,\n"    /* original absent */
	                            "r6,8,h,o2,,RT @a: second,2003,\n"   /* lag 3 to o2: in */
	                            "o1,1,a,,,hello world out there,1000,\n"
	                            "o2,1,a,,,a second post here,2000,\n");
	const uint32_t fr = LS_BH_FASTRETWEET;
	assert_int_equal(ds->traces[LS_BH_CORETWEET].n, 7);
	assert_int_equal(ds->traces[fr].n, 4);
	assert_true(has_trace(ds, fr, 0) && has_trace(ds, fr, 1) && has_trace(ds, fr, 2));
	assert_false(has_trace(ds, fr, 3) || has_trace(ds, fr, 4) || has_trace(ds, fr, 5));
	assert_true(has_trace(ds, fr, 6));
	/* the object is the table row's key scheme: "id:<id>" seeded by the index */
	uint64_t want = XXH3_64bits_withSeed("id:o1", 5, fr + 1);
	assert_true(ds->traces[fr].v[0].object == want);
	assert_string_equal(ls_dataset_object_label(ds, want), "id:o1");
	assert_int_equal(ds->traces[fr].v[0].time, 1000);
	/* --fast-retweet 0: only the simultaneous retweet */
	ds->opt.fast_retweet = 0;
	assert_int_equal(ls_extract_fastretweet(ds, NULL), LS_OK);
	assert_int_equal(ds->traces[fr].n, 1);
	assert_true(has_trace(ds, fr, 0));
	ls_dataset_free(ds);
}

static void test_synchrony_dedup(void **state)
{
	(void)state;
	/* Account 1 posts five times in the bin [960, 1020) (out of order) and
	 * once in the next; account 2 once in the first bin; account 3 once at
	 * the next bin's first second. */
	ls_dataset_t *ds = read_csv("p0,1,a,,,one one one one,1019,\n"
	                            "p1,1,a,,,two two two two,960,\n"
	                            "p2,1,a,,,three three three,990,\n"
	                            "p3,2,b,,,four four four four,1000,\n"
	                            "p4,1,a,,,five five five five,970,\n"
	                            "p5,1,a,p0,,RT @a: one one one,975,\n"
	                            "p6,1,a,,,six six six six six,1020,\n"
	                            "p7,3,c,,,seven seven seven,1020,\n");
	const uint32_t sy = LS_BH_SYNCHRONY;
	const ls_trace_t *t = ds->traces[sy].v;
	assert_int_equal(ds->traces[sy].n, 4); /* (a, 960) (a, 1020) (b, 960) (c, 1020) */
	uint64_t bin960 = 0, bin1020 = 0;
	for (size_t i = 0; i < 4; i++) {
		assert_true(t[i].time == 960 || t[i].time == 1020);
		if (t[i].time == 960)
			bin960 = t[i].object;
		else
			bin1020 = t[i].object;
	}
	int a960 = 0;
	for (size_t i = 0; i < 4; i++) {
		assert_true(t[i].object == (t[i].time == 960 ? bin960 : bin1020));
		if (t[i].account == 0 && t[i].time == 960) {
			a960++;
			assert_int_equal(t[i].post, 0); /* the first in input order */
		}
	}
	assert_int_equal(a960, 1);
	assert_true(bin960 != bin1020);
	assert_string_equal(ls_dataset_object_label(ds, bin960), "1970-01-01T00:16:00Z");
	/* linking: a-b share bin 960 and a-c bin 1020, whatever the window */
	ls_analysis_t *an = calloc(1, sizeof *an);
	assert_non_null(an);
	an->ds = ds;
	ls_params_init(&an->params);
	an->params.window = 0;
	an->params.behaviours = UINT64_C(1) << sy;
	assert_int_equal(ls_link_run(an, NULL), LS_OK);
	assert_int_equal(an->links.n, 2);
	assert_int_equal(an->links.v[0].a, 0);
	assert_int_equal(an->links.v[0].b, 1);
	assert_int_equal(an->links.v[1].b, 2);
	ls_analysis_free(an);
	/* a placebo shift moves each account's times by its own offset: the
	 * accounts that shared a bin no longer act at the same time */
	ls_params_t pp;
	ls_params_init(&pp);
	pp.window = 0;
	pp.behaviours = UINT64_C(1) << sy;
	pp.placebo_days = 1;
	pp.seed = 7;
	ls_analysis_t *pl = NULL;
	assert_int_equal(ls_analysis_run(&pl, ds, &pp, NULL), LS_OK);
	assert_int_equal(pl->links.n, 0);
	ls_analysis_free(pl);
	ls_dataset_free(ds);
}

static void test_synchrony_off_by_default(void **state)
{
	(void)state;
	ls_params_t p;
	ls_params_init(&p);
	assert_false(p.behaviours & ls_behaviour_bit("synchrony"));
	assert_true(p.behaviours & ls_behaviour_bit("neardup"));
	assert_true(p.behaviours & ls_behaviour_bit("fastretweet"));
	assert_true(p.behaviours & ls_behaviour_bit("hashtagseq"));
	ls_read_options_t o;
	ls_read_options_init(&o);
	o.neardup_jaccard = 1.0;
	ls_dataset_t *ds = NULL;
	assert_int_equal(ls_dataset_new(&ds, &o, NULL), LS_EINVAL);
	assert_null(ds);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_minhash_choice),
		cmocka_unit_test(test_minhash_agreement),
		cmocka_unit_test(test_minhash_bands),
		cmocka_unit_test(test_minhash_short_and_utf8),
		cmocka_unit_test(test_neardup_bands),
		cmocka_unit_test(test_hashtagseq_keys),
		cmocka_unit_test(test_duplicate_ids_after_derive),
		cmocka_unit_test(test_post_ids),
		cmocka_unit_test(test_dataset_bytes_per_post),
		cmocka_unit_test(test_kept_texts),
		cmocka_unit_test(test_fastretweet_lag),
		cmocka_unit_test(test_synchrony_dedup),
		cmocka_unit_test(test_synchrony_off_by_default),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
