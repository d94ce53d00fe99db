/*
 * Golden tests of the formats added for issue 3: Twitter API v1.1 JSON
 * lines, Twitter API v2 (lines and response pages), the
 * information-operations archive CSV and any CSV by --columns.
 *
 * Each input in tests/data/ is read and every post is written as one line
 * (line|kind|id|account|handle|time|ref_post|ref_account|reply_to|quoted|
 * text|urls|hashtags|mentions) and compared with tests/golden/<input>.posts.
 * LS_REGEN=1 rewrites the golden files (review the diff). Explicit checks
 * pin the acceptance points: a v1.1 file of N tweets gives N posts, and
 * retweets, quotes and replies carry the ids they refer to. Also: the JSON
 * wrapper on hostile documents, JSON record limits, time formats.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "core/ctx.h"
#include "read/json_simdjson.h"
#include "read/reader.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "golden_buf.h"

/* Reads `path` with `cfg` and dumps the posts. Returns the post count. */
static size_t dump(const char *path, const ls_reader_config_t *cfg, buf_t *out, const char **fmt)
{
	ls_ctx_t *ctx = ls_ctx_new();
	ls_reader_t *r = NULL;
	ls_error_t err = ls_reader_open_config(&r, path, cfg, ctx);
	if (err != LS_OK)
		fail_msg("%s: %s", path, ls_ctx_message(ctx));
	*fmt = ls_reader_format(r);
	size_t n = 0;
	const ls_post_t *p;
	static const char *const kinds[] = {"original", "retweet", "quote", "reply"};
	while ((err = ls_reader_next(r, &p, ctx)) == LS_OK && p != NULL) {
		char num[64];
		snprintf(num, sizeof num, "%llu|%s|", (unsigned long long)ls_reader_line(r), kinds[p->kind]);
		puts_(out, num);
		put_str(out, p->id), puts_(out, "|");
		put_str(out, p->account_id), puts_(out, "|");
		put_str(out, p->handle), puts_(out, "|");
		snprintf(num, sizeof num, "%lld|", (long long)p->time);
		puts_(out, num);
		put_str(out, p->ref_post), puts_(out, "|");
		put_str(out, p->ref_account), puts_(out, "|");
		put_str(out, p->reply_to), puts_(out, "|");
		put_str(out, p->quoted), puts_(out, "|");
		put_str(out, p->text), puts_(out, "|");
		put_list(out, p->urls, p->n_urls, " "), puts_(out, "|");
		put_list(out, p->hashtags, p->n_hashtags, " "), puts_(out, "|");
		put_list(out, p->mentions, p->n_mentions, " "), puts_(out, "\n");
		n++;
	}
	assert_int_equal(err, LS_OK);
	ls_reader_stats_t st;
	ls_reader_stats(r, &st);
	assert_int_equal(st.records_skipped, 0);
	ls_reader_free(r);
	ls_ctx_free(ctx);
	return n;
}

/* Compares the dump of tests/data/NAME with tests/golden/NAME.posts. */
static size_t golden(const char *name, const ls_reader_config_t *cfg, const char *want_fmt)
{
	char in[256], gold[256];
	snprintf(in, sizeof in, "tests/data/%s", name);
	snprintf(gold, sizeof gold, "tests/golden/%s.posts", name);
	buf_t b = {0};
	const char *fmt = NULL;
	size_t n = dump(in, cfg, &b, &fmt);
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
	return n;
}

/* The post at position k of a file. */
static void nth(const char *path, const ls_reader_config_t *cfg, size_t k,
                void (*check)(const ls_post_t *))
{
	ls_ctx_t *ctx = ls_ctx_new();
	ls_reader_t *r = NULL;
	assert_int_equal(ls_reader_open_config(&r, path, cfg, ctx), LS_OK);
	const ls_post_t *p = NULL;
	for (size_t i = 0; i <= k; i++) {
		assert_int_equal(ls_reader_next(r, &p, ctx), LS_OK);
		assert_non_null(p);
	}
	check(p);
	ls_reader_free(r);
	ls_ctx_free(ctx);
}

static void assert_s(ls_str_t s, const char *want)
{
	if (s.n != strlen(want) || memcmp(s.p, want, s.n) != 0)
		fail_msg("got '%.*s', want '%s'", (int)s.n, s.p, want);
}

static void v1_retweet(const ls_post_t *p)
{
	assert_int_equal(p->kind, LS_KIND_RETWEET);
	assert_s(p->ref_post, "1050118621198921728");
	assert_s(p->ref_account, "6253282");
}

static void v1_reply(const ls_post_t *p)
{
	assert_int_equal(p->kind, LS_KIND_REPLY);
	assert_s(p->ref_post, "1050118621198921728");
	assert_s(p->reply_to, "1050118621198921728");
	assert_s(p->ref_account, "6253282");
}

static void v1_quote(const ls_post_t *p)
{
	assert_int_equal(p->kind, LS_KIND_QUOTE);
	assert_s(p->ref_post, "1050118621198921728");
	assert_s(p->quoted, "1050118621198921728");
}

static void v1_numeric(const ls_post_t *p)
{
	assert_s(p->id, "1050118772000000005");
	assert_s(p->account_id, "1005");
	assert_int_equal(p->n_hashtags, 1); /* from the text: no entities */
}

static void test_twitter_v1(void **state)
{
	(void)state;
	ls_reader_config_t cfg = {0};
	/* 7 tweets on 8 lines (one blank): 7 posts */
	assert_int_equal(golden("twitter_v1.jsonl", &cfg, "twitter-v1"), 7);
	nth("tests/data/twitter_v1.jsonl", &cfg, 1, v1_retweet);
	nth("tests/data/twitter_v1.jsonl", &cfg, 2, v1_reply);
	nth("tests/data/twitter_v1.jsonl", &cfg, 3, v1_quote);
	nth("tests/data/twitter_v1.jsonl", &cfg, 5, v1_numeric);
}

static void v2_retweet(const ls_post_t *p)
{
	assert_int_equal(p->kind, LS_KIND_RETWEET);
	assert_s(p->ref_post, "1460323737035677698");
	assert_s(p->handle, "flat_user");
}

static void v2_page_reply_quote(const ls_post_t *p)
{
	assert_int_equal(p->kind, LS_KIND_REPLY);
	assert_s(p->ref_post, "1460323737035677700");
	assert_s(p->quoted, "1460323737035677701");
	assert_s(p->handle, "page_user_b"); /* from includes.users */
}

static void v2_page_retweet(const ls_post_t *p)
{
	assert_int_equal(p->kind, LS_KIND_RETWEET);
	assert_s(p->ref_post, "1500000000000000001");
	assert_s(p->ref_account, "200"); /* from includes.tweets */
	assert_s(p->handle, "amp_one");
}

static void test_twitter_v2(void **state)
{
	(void)state;
	ls_reader_config_t cfg = {0};
	/* 4 single tweets + a page of 2 + an empty page */
	assert_int_equal(golden("twitter_v2.jsonl", &cfg, "twitter-v2"), 6);
	nth("tests/data/twitter_v2.jsonl", &cfg, 1, v2_retweet);
	nth("tests/data/twitter_v2.jsonl", &cfg, 5, v2_page_reply_quote);
	assert_int_equal(golden("twitter_v2_page.json", &cfg, "twitter-v2"), 3);
	nth("tests/data/twitter_v2_page.json", &cfg, 1, v2_page_retweet);
}

static void io_retweet(const ls_post_t *p)
{
	assert_int_equal(p->kind, LS_KIND_RETWEET);
	assert_s(p->ref_post, "900000000000000001");
	assert_s(p->ref_account, "3000001");
}

static void io_quote(const ls_post_t *p)
{
	assert_int_equal(p->kind, LS_KIND_QUOTE);
	assert_s(p->quoted, "900000000000000001");
	assert_int_equal(p->n_hashtags, 2);
	assert_s(p->hashtags[0], "wow");
	assert_int_equal(p->n_urls, 2);
	assert_s(p->urls[1], "https://example.com/other");
}

static void test_io_archive(void **state)
{
	(void)state;
	ls_reader_config_t cfg = {0};
	assert_int_equal(golden("io_archive.csv", &cfg, "io-archive"), 4);
	nth("tests/data/io_archive.csv", &cfg, 1, io_retweet);
	nth("tests/data/io_archive.csv", &cfg, 3, io_quote);
}

static void col_reply(const ls_post_t *p)
{
	assert_int_equal(p->kind, LS_KIND_REPLY);
	assert_s(p->ref_post, "p1");
	assert_int_equal(p->time, 1646128920); /* 2022-03-01 10:02 UTC */
}

static void test_columns(void **state)
{
	(void)state;
	ls_reader_config_t cfg = {0};
	cfg.columns = "id=post,account=who,handle=screen,time=when,text=body,retweet_of=shared,"
	              "reply_to=parent";
	cfg.time_format = "%d/%m/%Y %H:%M";
	assert_int_equal(golden("columns.csv", &cfg, "columns"), 4);
	nth("tests/data/columns.csv", &cfg, 2, col_reply);

	/* errors: unknown field, missing column, bad time format */
	ls_ctx_t *ctx = ls_ctx_new();
	ls_reader_t *r = NULL;
	cfg.columns = "acount=who,time=when";
	assert_int_equal(ls_reader_open_config(&r, "tests/data/columns.csv", &cfg, ctx), LS_EINVAL);
	assert_non_null(strstr(ls_ctx_message(ctx), "unknown field 'acount'"));
	ls_ctx_free(ctx);
	ctx = ls_ctx_new();
	cfg.columns = "account=nobody,time=when";
	assert_int_equal(ls_reader_open_config(&r, "tests/data/columns.csv", &cfg, ctx), LS_EFORMAT);
	assert_non_null(strstr(ls_ctx_message(ctx), "no column 'nobody'"));
	ls_ctx_free(ctx);
	ctx = ls_ctx_new();
	cfg.columns = "account=who,time=when";
	cfg.time_format = "%Q";
	assert_int_equal(ls_reader_open_config(&r, "tests/data/columns.csv", &cfg, ctx), LS_EINVAL);
	ls_ctx_free(ctx);
}

static void test_time_formats(void **state)
{
	(void)state;
	static const struct {
		const char *fmt, *s;
		int ok;
		int64_t t;
	} cases[] = {
		{"%d/%m/%Y %H:%M", "01/03/2022 10:02", 1, 1646128920},
		{"%d/%m/%Y %H:%M", "1/3/2022 10:02", 1, 1646128920},
		{"%Y-%m-%d %I:%M %p", "2022-03-01 10:02 PM", 1, 1646172120},
		{"%b %d, %Y", "Mar 1, 2022", 1, 1646092800},
		{"%d %B %Y %H:%M:%S %z", "1 March 2022 12:02:00 +0200", 1, 1646128920},
		{"unix-ms", "1646128920123", 1, 1646128920},
		{"unix", "1646128920", 1, 1646128920},
		{"unix", "16461289201234567", 0, 0},
		{"%d/%m/%Y", "31/02/2022", 0, 0},
		{"%d/%m/%Y", "01/03/2022 junk", 0, 0},
		{"%Y", "99999", 0, 0},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		int64_t t = -1;
		int rc = ls_time_parse_format(cases[i].fmt, cases[i].s, strlen(cases[i].s), &t);
		if (cases[i].ok && (rc != 0 || t != cases[i].t))
			fail_msg("%s / '%s': rc %d t %lld", cases[i].fmt, cases[i].s, rc, (long long)t);
		if (!cases[i].ok && rc == 0)
			fail_msg("%s / '%s' accepted", cases[i].fmt, cases[i].s);
	}
	assert_int_equal(ls_time_format_check("%Y-%m-%d"), 0);
	assert_int_not_equal(ls_time_format_check("%Y-%"), 0);
}

/* The wrapper refuses what simdjson refuses, with a message, never a crash. */
static void test_json_wrapper(void **state)
{
	(void)state;
	ls_sjson_t *j = ls_sjson_new(1 << 16, 16);
	assert_non_null(j);
	static const char *const bad[] = {
		"{\"a\":", "{\"a\":\"\xC0\xAF\"}", "{\"a\":\"\xFF\"}", "[[[[[[[[[[[[[[[[[[[[1]]]]]]]]]]]]]]]]]]]",
		"{\"a\":123456789012345678901234567890}", "{\"a\":\"x\x01y\"}", "", "nul",
	};
	const char *err = NULL;
	ls_sjson_val_t root, v;
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		err = NULL;
		if (ls_sjson_parse(j, bad[i], strlen(bad[i]), strlen(bad[i]), &root, &err) == 0)
			fail_msg("accepted bad JSON #%zu", i);
		assert_non_null(err);
	}
	const char *ok = "{\"s\":\"caf\\u00e9\",\"n\":18446744073709551615,\"a\":[1,{\"k\":\"v\"}]}";
	assert_int_equal(ls_sjson_parse(j, ok, strlen(ok), strlen(ok), &root, &err), 0);
	const char *p;
	size_t n;
	assert_true(ls_sjson_get(&root, "s", &v));
	assert_true(ls_sjson_str(&v, &p, &n));
	assert_int_equal(n, 5);
	assert_memory_equal(p, "caf\xC3\xA9", 5);
	uint64_t u;
	assert_true(ls_sjson_get(&root, "n", &v));
	assert_true(ls_sjson_u64(&v, &u));
	assert_true(u == UINT64_MAX);
	assert_true(ls_sjson_get(&root, "a", &v));
	assert_int_equal(ls_sjson_array_size(&v), 2);
	ls_sjson_iter_t it;
	ls_sjson_val_t el;
	ls_sjson_iter_start(&v, &it);
	int count = 0;
	while (ls_sjson_iter_next(&v, &it, &el))
		count++;
	assert_int_equal(count, 2);
	assert_false(ls_sjson_get(&v, "k", &el)); /* not an object */
	ls_sjson_free(j);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_twitter_v1),   cmocka_unit_test(test_twitter_v2),
		cmocka_unit_test(test_io_archive),   cmocka_unit_test(test_columns),
		cmocka_unit_test(test_time_formats), cmocka_unit_test(test_json_wrapper),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
