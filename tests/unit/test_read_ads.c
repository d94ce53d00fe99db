/*
 * Golden tests of the ad readers (issue 7): "ira-ads" (JSON lines) and
 * "ira-ads-csv" on the hand-written sample tests/data/ads/ira_ads.* (the
 * same seven ads in both notations, one undated), and "meta-ads" on
 * tests/data/ads/meta_ads_sample.* (ten ads of the Ad Library API as one
 * response page and as JSON lines: eight read, one undated and one without
 * a page skipped). Every post is written as one line (line|id|account|
 * platform|time|text|urls|hashtags|mentions|spend_cents currency|
 * impressions|clicks|ended|attributed|targeting; a range is "lo~hi", an
 * open-ended one "lo~") and compared with tests/golden/ads/<input>.posts;
 * LS_REGEN=1 rewrites them (review the diff). Also: advertiser derivation
 * from landing URLs case by case, the notations giving the same posts, and
 * the skipped records' messages.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "core/ctx.h"
#include "read/formats.h"
#include "read/reader.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "golden_buf.h"

/* An exact amount as "x"; a range as "lo~hi", open-ended "lo~". */
static void put_amount(buf_t *b, int64_t lo, int64_t hi)
{
	char num[64];
	if (hi == lo)
		snprintf(num, sizeof num, "%lld", (long long)lo);
	else if (hi < 0)
		snprintf(num, sizeof num, "%lld~", (long long)lo);
	else
		snprintf(num, sizeof num, "%lld~%lld", (long long)lo, (long long)hi);
	puts_(b, num);
}

typedef struct diags {
	int count;
	char msg[8][512];
} diags_t;

static void collect(void *user, ls_diag_level_t level, const char *msg)
{
	diags_t *d = user;
	if (level != LS_DIAG_WARNING)
		return;
	if (d->count < 8)
		snprintf(d->msg[d->count], sizeof d->msg[0], "%s", msg);
	d->count++;
}

static diags_t last_diags;

/* Dumps the posts of `path` (without line numbers when `lines` is 0);
 * returns the posts read, *skipped the records skipped. */
static size_t dump(const char *path, buf_t *out, const char **fmt, int lines, uint64_t *skipped)
{
	ls_ctx_t *ctx = ls_ctx_new();
	memset(&last_diags, 0, sizeof last_diags);
	ls_ctx_set_diag(ctx, collect, &last_diags);
	ls_reader_t *r = NULL;
	if (ls_reader_open_config(&r, path, NULL, ctx) != LS_OK)
		fail_msg("%s: %s", path, ls_ctx_message(ctx));
	*fmt = ls_reader_format(r);
	size_t n = 0;
	const ls_post_t *p;
	ls_error_t err;
	while ((err = ls_reader_next(r, &p, ctx)) == LS_OK && p != NULL) {
		char num[128];
		if (lines) {
			snprintf(num, sizeof num, "%llu|", (unsigned long long)ls_reader_line(r));
			puts_(out, num);
		}
		put_str(out, p->id), puts_(out, "|");
		put_str(out, p->handle), puts_(out, "|");
		puts_(out, p->platform), puts_(out, "|");
		snprintf(num, sizeof num, "%lld|", (long long)p->time);
		puts_(out, num);
		put_str(out, p->text), puts_(out, "|");
		put_list(out, p->urls, p->n_urls, " "), puts_(out, "|");
		put_list(out, p->hashtags, p->n_hashtags, " "), puts_(out, "|");
		put_list(out, p->mentions, p->n_mentions, " "), puts_(out, "|");
		assert_non_null(p->ad);
		put_amount(out, p->ad->spend_cents, p->ad->spend_upper_cents);
		snprintf(num, sizeof num, " %s|", p->ad->currency);
		puts_(out, num);
		put_amount(out, p->ad->impressions, p->ad->impressions_upper);
		snprintf(num, sizeof num, "|%lld|%lld|%d|", (long long)p->ad->clicks,
		         p->ad->ended == INT64_MIN ? -1LL : (long long)p->ad->ended, p->ad->attributed);
		puts_(out, num);
		put_list(out, p->ad->targeting, p->ad->n_targeting, " ; ");
		puts_(out, "\n");
		n++;
	}
	assert_int_equal(err, LS_OK);
	ls_reader_stats_t st;
	ls_reader_stats(r, &st);
	*skipped = st.records_skipped;
	ls_reader_free(r);
	ls_ctx_free(ctx);
	return n;
}

static void golden_n(const char *name, const char *want_fmt, size_t want_read,
                     uint64_t want_skipped)
{
	char in[256], gold[256];
	snprintf(in, sizeof in, "tests/data/ads/%s", name);
	snprintf(gold, sizeof gold, "tests/golden/ads/%s.posts", name);
	buf_t b = {0};
	const char *fmt = NULL;
	uint64_t skipped = 0;
	assert_int_equal(dump(in, &b, &fmt, 1, &skipped), want_read);
	assert_int_equal(skipped, want_skipped);
	assert_string_equal(fmt, want_fmt);
	const char *regen = getenv("LS_REGEN");
	if (regen && strcmp(regen, "1") == 0) {
		FILE *f = fopen(gold, "wb");
		assert_non_null(f);
		fwrite(b.p, 1, b.n, f);
		fclose(f);
	}
	size_t gn = 0;
	char *g = slurp(gold, &gn);
	if (g == NULL)
		fail_msg("%s missing (run with LS_REGEN=1 and review)", gold);
	if (gn != b.n || memcmp(g, b.p, gn) != 0)
		fail_msg("%s differs from the golden file %s; got:\n%s", in, gold, b.p);
	free(g);
	free(b.p);
}

/* Two inputs give the same posts (line numbers aside). */
static void same_posts(const char *x, const char *y)
{
	buf_t a = {0}, b = {0};
	const char *fmt;
	uint64_t sk;
	dump(x, &a, &fmt, 0, &sk);
	dump(y, &b, &fmt, 0, &sk);
	assert_string_equal(a.p, b.p);
	free(a.p);
	free(b.p);
}

/* 7 IRA ads, one undated: 6 read + 1 skipped */
static void golden(const char *name, const char *want_fmt)
{
	golden_n(name, want_fmt, 6, 1);
}

static void test_ira_ads_jsonl(void **state)
{
	(void)state;
	golden("ira_ads.jsonl", "ira-ads");
}

static void test_ira_ads_csv(void **state)
{
	(void)state;
	golden("ira_ads.csv", "ira-ads-csv");
}

/* Both notations give the same posts, facet for facet ('|' inside a
 * value survives the CSV's '|'-joined list). */
static void test_same_posts(void **state)
{
	(void)state;
	same_posts("tests/data/ads/ira_ads.jsonl", "tests/data/ads/ira_ads.csv");
}

/* Meta Ad Library, JSON lines: 8 read; line 9 has no time, line 10 no
 * page. Both skips name the record and the field. */
static void test_meta_ads_jsonl(void **state)
{
	(void)state;
	golden_n("meta_ads_sample.jsonl", "meta-ads", 8, 2);
	assert_int_equal(last_diags.count, 2);
	assert_non_null(strstr(last_diags.msg[0], "meta_ads_sample.jsonl:9:"));
	assert_non_null(strstr(last_diags.msg[0], "'ad_delivery_start_time'"));
	assert_non_null(strstr(last_diags.msg[1], "meta_ads_sample.jsonl:10:"));
	assert_non_null(strstr(last_diags.msg[1], "'page_id'"));
}

/* The account is the page: page_id (a string or a JSON number) as the
 * account id, page_name as the handle. */
static void test_meta_ads_account(void **state)
{
	(void)state;
	ls_ctx_t *ctx = ls_ctx_new();
	ls_ctx_set_diag(ctx, NULL, NULL);
	ls_reader_t *r = NULL;
	assert_int_equal(ls_reader_open(&r, "tests/data/ads/meta_ads_sample.jsonl", NULL, 0, ctx), LS_OK);
	const ls_post_t *p;
	const char *want[] = {"111", "111", "222", "222", "333", "333", "444", "444"};
	size_t n = 0;
	while (ls_reader_next(r, &p, ctx) == LS_OK && p != NULL) {
		assert_true(n < 8);
		assert_int_equal(p->account_id.n, strlen(want[n]));
		assert_memory_equal(p->account_id.p, want[n], p->account_id.n);
		assert_int_equal(p->kind, LS_KIND_ORIGINAL);
		n++;
	}
	assert_int_equal(n, 8);
	ls_reader_free(r);
	ls_ctx_free(ctx);
}

/* The same ads as one pretty-printed response page {"data", "paging"}:
 * elements are named data[8] / data[9] in the messages. */
static void test_meta_ads_page(void **state)
{
	(void)state;
	golden_n("meta_ads_sample.json", "meta-ads", 8, 2);
	assert_int_equal(last_diags.count, 2);
	assert_non_null(strstr(last_diags.msg[0], "data[8]"));
	assert_non_null(strstr(last_diags.msg[1], "data[9]"));
	same_posts("tests/data/ads/meta_ads_sample.jsonl", "tests/data/ads/meta_ads_sample.json");
}

static void test_advertiser(void **state)
{
	(void)state;
	static const struct {
		const char *url, *want;
	} cases[] = {
		{"https://www.facebook.com/GovSpending-1651761351759857/", "facebook.com/govspending"},
		{"https://www.facebook.com/Bat-240131319678646/", "facebook.com/bat"},
		{"https://www.facebook.com/blackmattersus/", "facebook.com/blackmattersus"},
		{"https://www.facebook.com/events/1748220542079708/", "facebook.com/events/1748220542079708"},
		{"https://www.facebook.com/evehts/1828560880690663/", "facebook.com/events/1828560880690663"},
		{"https://www.facebook.com/pg/Being-Patriotic-1583893111893283/", "facebook.com/being-patriotic"},
		{"https://instagram.Com/us_daily/", "instagram.com/us_daily"},
		{"https://www.instagram.com/black.fist/?hl=en", "instagram.com/black.fist"},
		{"https://b|ackmattersus.com/?utm_source=facebook", "blackmattersus.com"},
		{"https://www.facebook.oom/Stop-A.I-1234567890/", "facebook.com/stop-a.i"},
		{"https://www.faoebook.com/LGBT-United-839497472793277/", "facebook.com/lgbt-united"},
		{"https://www.facebook.comNeterans-Come-First-1757336424535312/",
		 "facebook.com/neterans-come-first"},
		{"https://www.facebook.com/", "facebook.com"},
		{"https://www.youtube.com/watch?v=x", "youtube.com"},
		{"meetup.com/Black-Lives", "meetup.com"},
		{"—", ""},
		{"", ""},
		{"https:///nohost", ""},
	};
	char out[192];
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		size_t n = ls_ad_advertiser(cases[i].url, strlen(cases[i].url), out, sizeof out);
		if (strcmp(n ? out : "", cases[i].want) != 0)
			fail_msg("%s: got '%s', want '%s'", cases[i].url, n ? out : "", cases[i].want);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ira_ads_jsonl),
		cmocka_unit_test(test_ira_ads_csv),
		cmocka_unit_test(test_same_posts),
		cmocka_unit_test(test_advertiser),
		cmocka_unit_test(test_meta_ads_jsonl),
		cmocka_unit_test(test_meta_ads_page),
		cmocka_unit_test(test_meta_ads_account),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
