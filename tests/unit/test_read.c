/*
 * Unit tests of the read stage: the four format mappers on small files
 * (header detection and --format override), gzip / zstd input, entities,
 * the time parser, SHA-256 of the stored bytes, malformed rows for every
 * format (counts, messages with file:line and field, strict mode), and the
 * real data files when ../shared/data is present.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "core/ctx.h"
#include "read/input.h"
#include "read/reader.h"

#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>
#include <zstd.h>

/* ------------------------------------------------------------- helpers */

typedef struct diags {
	int count;
	char msg[16][512];
} diags_t;

static void collect(void *user, ls_diag_level_t level, const char *msg)
{
	diags_t *d = user;
	if (level != LS_DIAG_WARNING)
		return;
	if (d->count < 16)
		snprintf(d->msg[d->count], sizeof d->msg[0], "%s", msg);
	d->count++;
}

/* Writes bytes to a new temporary file; returns its malloc'd path. */
static char *write_temp(const void *data, size_t n)
{
	char *path = strdup("/tmp/ls_test_read_XXXXXX");
	assert_non_null(path);
	int fd = mkstemp(path);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, data, n), (ssize_t)n);
	close(fd);
	return path;
}

static char *write_temp_str(const char *s)
{
	return write_temp(s, strlen(s));
}

static void drop_temp(char *path)
{
	unlink(path);
	free(path);
}

typedef struct run {
	ls_error_t open_err, err;
	uint64_t read, skipped, bytes;
	unsigned char sha256[32];
	uint64_t fail_line; /* line of the record at a strict failure */
	char message[1024];
	diags_t diags;
} run_t;

/* Reads a whole file; fills *out. */
static void read_all(const char *path, const char *format, int strict, size_t max_record,
                     run_t *out)
{
	memset(out, 0, sizeof *out);
	ls_ctx_t *ctx = ls_ctx_new();
	assert_non_null(ctx);
	ls_ctx_set_diag(ctx, collect, &out->diags);
	ls_ctx_set_strict(ctx, strict);
	ls_reader_t *r = NULL;
	out->open_err = ls_reader_open(&r, path, format, max_record, ctx);
	if (out->open_err == LS_OK) {
		const ls_post_t *p;
		for (;;) {
			out->err = ls_reader_next(r, &p, ctx);
			if (out->err != LS_OK) {
				out->fail_line = ls_reader_line(r);
				break;
			}
			if (p == NULL)
				break;
		}
		ls_reader_stats_t st;
		ls_reader_stats(r, &st);
		out->read = st.records_read;
		out->skipped = st.records_skipped;
		out->bytes = st.bytes;
		memcpy(out->sha256, st.sha256, 32);
	}
	snprintf(out->message, sizeof out->message, "%s", ls_ctx_message(ctx));
	ls_reader_free(r);
	ls_ctx_free(ctx);
}

static int str_is(ls_str_t s, const char *lit)
{
	return s.n == strlen(lit) && memcmp(s.p, lit, s.n) == 0;
}

#define assert_str(s, lit)                                                                \
	do {                                                                              \
		ls_str_t s_ = (s);                                                        \
		if (!str_is(s_, (lit)))                                                   \
			fail_msg("got '%.*s', want '%s'", (int)s_.n, s_.p ? s_.p : "", (lit)); \
	} while (0)

/* Opens a reader on `path` for step-by-step checks. */
static ls_reader_t *open_reader(const char *path, const char *format, ls_ctx_t *ctx)
{
	ls_reader_t *r = NULL;
	ls_error_t err = ls_reader_open(&r, path, format, 0, ctx);
	if (err != LS_OK)
		fail_msg("open %s: %s", path, ls_ctx_message(ctx));
	return r;
}

static const ls_post_t *next_post(ls_reader_t *r, ls_ctx_t *ctx)
{
	const ls_post_t *p = NULL;
	assert_int_equal(ls_reader_next(r, &p, ctx), LS_OK);
	assert_non_null(p);
	return p;
}

static void assert_end(ls_reader_t *r, ls_ctx_t *ctx)
{
	const ls_post_t *p = (const ls_post_t *)1;
	assert_int_equal(ls_reader_next(r, &p, ctx), LS_OK);
	assert_null(p);
}

/* ls_reader_only_lines: records on other lines are split (a quoted field
 * with a newline, a bad record, a duplicate id) but not handed out. */
static void test_only_lines(void **state)
{
	(void)state;
	char *path = write_temp_str("\"object_id\",\"account_id\",\"content_id\",\"timestamp_share\"\n"
	                            "\"o1\",\"a1\",\"c1\",1\n"          /* line 2 */
	                            "\"o\n2\",\"a2\",\"c2\",2\n"        /* lines 3-4 */
	                            "\"o3\",\"a3\",\"c3\",bad\n"        /* line 5 */
	                            "\"o4\",\"a4\",\"c4\",4\n"          /* line 6 */
	                            "\"o5\",\"a5\",\"c4\",5\n"          /* line 7: dup of 6 */
	                            "\"o\n\n6\",\"a6\",\"c6\",6\n"      /* lines 8-10 */
	                            "\"o7\",\"a7\",\"c7\",7\n");        /* line 11 */
	ls_ctx_t *ctx = ls_ctx_new();
	ls_reader_t *r = open_reader(path, NULL, ctx);
	static const uint64_t lines[] = {3, 3, 7, 11};
	ls_reader_only_lines(r, lines, 4);
	const ls_post_t *p = next_post(r, ctx);
	assert_int_equal(ls_reader_line(r), 3);
	assert_str(p->id, "c2");
	assert_str(p->ref_post, "o\n2");
	p = next_post(r, ctx); /* line 6 was not mapped, so 7 is no duplicate */
	assert_int_equal(ls_reader_line(r), 7);
	assert_str(p->id, "c4");
	p = next_post(r, ctx);
	assert_int_equal(ls_reader_line(r), 11);
	assert_str(p->id, "c7");
	assert_end(r, ctx);
	ls_reader_stats_t st;
	ls_reader_stats(r, &st);
	assert_int_equal(st.records_read, 3);
	assert_int_equal(st.records_skipped, 0);
	ls_reader_free(r);
	drop_temp(path);

	path = write_temp_str("{\"id_str\":\"1\",\"created_at\":\"Wed Oct 10 20:19:24 +0000 2018\","
	                      "\"text\":\"a\",\"user\":{\"id_str\":\"9\",\"screen_name\":\"x\"}}\n"
	                      "not json\n"
	                      "{\"id_str\":\"2\",\"created_at\":\"Wed Oct 10 20:19:25 +0000 2018\","
	                      "\"text\":\"b\",\"user\":{\"id_str\":\"9\",\"screen_name\":\"x\"}}\n"
	                      "{\"id_str\":\"3\",\"created_at\":\"Wed Oct 10 20:19:26 +0000 2018\","
	                      "\"text\":\"c\",\"user\":{\"id_str\":\"9\",\"screen_name\":\"x\"}}\n");
	r = open_reader(path, NULL, ctx);
	static const uint64_t jl[] = {4};
	ls_reader_only_lines(r, jl, 1);
	p = next_post(r, ctx);
	if (ls_reader_line(r) == 1) /* the first record, parsed at open to detect the format */
		p = next_post(r, ctx);
	assert_int_equal(ls_reader_line(r), 4);
	assert_str(p->text, "c");
	assert_end(r, ctx);
	ls_reader_free(r);
	ls_ctx_free(ctx);
	drop_temp(path);
}

/* ls_reader_only_lines over mostly unquoted CSV: lines before a wanted one
 * are passed over without splitting; CRLF, a lone CR (two records on one
 * line), blank lines, doubled quotes, a quote inside an unquoted field and
 * a quoted field whose middle line looks plain keep their lines. */
static void test_only_lines_plain(void **state)
{
	(void)state;
	char *path = write_temp_str("object_id,account_id,content_id,timestamp_share\n"
	                            "o1,a1,c1,1\n"              /* line 2 */
	                            "\n"                         /* line 3 */
	                            "o2,a2,c2,2\r\n"            /* line 4 */
	                            "o3,a3,c3,3\ro4,a4,c4,4\n"  /* line 5: two records */
	                            "\"o\n5\",a5,c5,5\n"          /* lines 6-7 */
	                            "o8,\"a \"\"8\"\", x\",c8,8\n" /* line 8 */
	                            "o9,a9,\"c\nplain,line\nx\",9\n" /* lines 9-11 */
	                            "o12,a\"12,c12,12\n"        /* line 12 */
	                            "o13,a13,c13,13\n");        /* line 13 */
	ls_ctx_t *ctx = ls_ctx_new();
	static const uint64_t want[][3] = {{5, 9, 13}, {2, 4, 12}, {8, 10, 12}};
	static const char *const ids[][4] = {{"c3", "c4", "c\nplain,line\nx", "c13"},
	                                     {"c1", "c2", "c12", NULL},
	                                     {"c8", "c12", NULL, NULL}};
	static const uint64_t got[][4] = {{5, 5, 9, 13}, {2, 4, 12, 0}, {8, 12, 0, 0}};
	for (size_t t = 0; t < 3; t++) {
		ls_reader_t *r = open_reader(path, "coortweet", ctx);
		ls_reader_only_lines(r, want[t], 3);
		for (size_t k = 0; k < 4 && ids[t][k]; k++) {
			const ls_post_t *p = next_post(r, ctx);
			assert_str(p->id, ids[t][k]);
			assert_int_equal(ls_reader_line(r), got[t][k]);
		}
		assert_end(r, ctx);
		ls_reader_free(r);
	}
	ls_ctx_free(ctx);
	drop_temp(path);
}

/* ------------------------------------------------------------- formats */

static void test_formats_table(void **state)
{
	(void)state;
	const char *const *f = ls_formats();
	const char *want[] = {"coortweet", "cnt", "fivethirtyeight", "gop-debate",
	                      "io-archive", "columns", "twitter-v1", "meta-ads",
	                      "twitter-v2", "ira-ads", "ira-ads-csv"};
	for (size_t i = 0; i < 11; i++) {
		assert_non_null(f[i]);
		assert_string_equal(f[i], want[i]);
		assert_non_null(ls_format_description(f[i]));
	}
	assert_null(f[11]);
	assert_null(ls_format_description("nope"));
}

static void test_coortweet(void **state)
{
	(void)state;
	char *path = write_temp_str("\"object_id\",\"account_id\",\"content_id\",\"timestamp_share\"\n"
	                            "\"o1\",\"a1\",\"c1\",1623881091\n"
	                            "\"o2\",\"a2\",\"c2\",1623879483.9\n");
	ls_ctx_t *ctx = ls_ctx_new();
	ls_reader_t *r = open_reader(path, NULL, ctx);
	assert_string_equal(ls_reader_format(r), "coortweet");
	const ls_post_t *p = next_post(r, ctx);
	assert_int_equal(ls_reader_line(r), 2);
	assert_string_equal(p->platform, "any");
	assert_str(p->id, "c1");
	assert_str(p->account_id, "a1");
	assert_str(p->ref_post, "o1");
	assert_int_equal(p->kind, LS_KIND_RETWEET);
	assert_int_equal(p->time, 1623881091);
	assert_int_equal(p->text.n, 0);
	assert_int_equal(p->handle.n, 0);
	p = next_post(r, ctx);
	assert_int_equal(p->time, 1623879483); /* fraction floored */
	assert_str(p->id, "c2");
	assert_end(r, ctx);
	ls_reader_free(r);
	ls_ctx_free(ctx);
	drop_temp(path);
}

static void test_cnt(void **state)
{
	(void)state;
	char *path = write_temp_str(
		"message_id,user_id,username,repost_id,reply_id,message,timestamp,urls\n"
		"m1,u1,alice,,,\"Hello #Vote2016, ask @bob_1! http://a.b/c.\",1600000000.5,"
		"https://x.y/1 https://x.y/2\n"
		"m2,u2,bob,m1,,\"RT @alice: Hello #Vote2016\",2020-09-13T12:26:40Z,\n"
		"m3,u3,,,m1,@alice yes,2020-09-13 14:26:40 +0200,\n");
	ls_ctx_t *ctx = ls_ctx_new();
	ls_reader_t *r = open_reader(path, NULL, ctx);
	assert_string_equal(ls_reader_format(r), "cnt");
	const ls_post_t *p = next_post(r, ctx);
	assert_string_equal(p->platform, "twitter");
	assert_str(p->id, "m1");
	assert_str(p->account_id, "u1");
	assert_str(p->handle, "alice");
	assert_int_equal(p->kind, LS_KIND_ORIGINAL);
	assert_int_equal(p->time, 1600000000);
	assert_str(p->text, "Hello #Vote2016, ask @bob_1! http://a.b/c.");
	assert_int_equal(p->n_urls, 2); /* the urls column wins over the text */
	assert_str(p->urls[0], "https://x.y/1");
	assert_str(p->urls[1], "https://x.y/2");
	assert_int_equal(p->n_hashtags, 1);
	assert_str(p->hashtags[0], "Vote2016");
	assert_int_equal(p->n_mentions, 1);
	assert_str(p->mentions[0], "bob_1");
	p = next_post(r, ctx);
	assert_int_equal(p->kind, LS_KIND_RETWEET);
	assert_str(p->ref_post, "m1");
	assert_str(p->ref_account, "alice");
	assert_int_equal(p->time, 1600000000);
	assert_int_equal(p->n_urls, 0);
	p = next_post(r, ctx);
	assert_int_equal(p->kind, LS_KIND_REPLY);
	assert_str(p->ref_post, "m1");
	assert_int_equal(p->handle.n, 0);
	assert_int_equal(p->time, 1600000000);
	assert_end(r, ctx);
	ls_reader_free(r);
	ls_ctx_free(ctx);
	drop_temp(path);
}

static const char ira_header[] =
	"author_id,content,region,language,publish_date,harvested_date,following,followers,"
	"updates,post_type,retweet,author,external_author_id,account_type,account_category,"
	"new_june_2018\n";

static void test_fivethirtyeight(void **state)
{
	(void)state;
	char buf[2048];
	snprintf(buf, sizeof buf,
	         "%s"
	         "10_gop,\"Hi, #MAGA\",US,English,2017-09-07 19:52:00,x,0,0,1,,0,10_GOP,9.06E+17,Right,RightTroll,0\n"
	         "10_gop,\"line one\nline \"\"two\"\"\",US,English,2016-11-08 00:00:00,x,0,0,1,R,1,10_GOP,9.06E+17,Right,RightTroll,0\n"
	         "a_b,,US,English,2016-02-29 23:59:00,x,0,0,1,Q,1,A_B,1,Left,LeftTroll,0\n"
	         "a_b,\"RT @someone: hi\",US,English,2016-03-01 00:00:00,x,0,0,1,,1,A_B,1,Left,LeftTroll,0\n",
	         ira_header);
	char *path = write_temp_str(buf);
	ls_ctx_t *ctx = ls_ctx_new();
	ls_reader_t *r = open_reader(path, NULL, ctx);
	assert_string_equal(ls_reader_format(r), "fivethirtyeight");
	const ls_post_t *p = next_post(r, ctx);
	assert_int_equal(p->account_id.n, 0);
	assert_int_equal(p->id.n, 0);
	assert_str(p->handle, "10_GOP");
	assert_int_equal(p->kind, LS_KIND_ORIGINAL);
	assert_int_equal(p->time, 1504813920); /* 2017-09-07 19:52:00 UTC */
	assert_int_equal(p->n_hashtags, 1);
	assert_str(p->hashtags[0], "MAGA");
	p = next_post(r, ctx);
	assert_int_equal(ls_reader_line(r), 3);
	assert_int_equal(p->kind, LS_KIND_RETWEET);
	assert_str(p->text, "line one\nline \"two\"");
	assert_int_equal(p->time, 1478563200);
	p = next_post(r, ctx);
	assert_int_equal(ls_reader_line(r), 5); /* record 2 spans lines 3-4 */
	assert_int_equal(p->kind, LS_KIND_QUOTE);
	assert_int_equal(p->text.n, 0); /* empty content is a valid post */
	assert_int_equal(p->time, 1456790340);
	p = next_post(r, ctx);
	assert_int_equal(p->kind, LS_KIND_RETWEET);
	assert_str(p->ref_account, "someone");
	assert_end(r, ctx);
	ls_reader_free(r);
	ls_ctx_free(ctx);
	drop_temp(path);
}

/* Doubled quotes inside quoted fields of one-line records (the fast split
 * unescapes them in place) and a line that only fails the fast split after
 * such a field (libcsv must get its bytes untouched). */
static const char doubled_quote_rows[] =
	"a_b,\"He said \"\"hi\"\", ok\",US,English,2017-09-07 19:52:00,x,0,0,1,,0,A_B,1,L,LT,0\n"
	"a_b,\"\"\"\",US,English,2017-09-07 19:53:00,x,0,0,1,,0,A_B,1,L,LT,0\n"
	"a_b,\"\"\"\"\"x\"\"\"\"\",US,English,2017-09-07 19:54:00,x,0,0,1,,0,A_B,1,L,LT,0\n"
	"a_b,\"x\"\"y\",\"U\"S\",English,2017-09-07 19:55:00,x,0,0,1,,0,A_B,1,L,LT,0\n"
	"a_b,\"\",US,English,2017-09-07 19:56:00,x,0,0,1,,0,A_B,1,L,LT,0\n";

static void test_doubled_quotes(void **state)
{
	(void)state;
	char buf[2048];
	snprintf(buf, sizeof buf, "%s%s", ira_header, doubled_quote_rows);
	ls_ctx_t *ctx = ls_ctx_new();
	char *path = write_temp_str(buf);
	ls_reader_t *r = open_reader(path, "fivethirtyeight", ctx);
	assert_str(next_post(r, ctx)->text, "He said \"hi\", ok");
	assert_str(next_post(r, ctx)->text, "\"");
	assert_str(next_post(r, ctx)->text, "\"\"x\"\"");
	const ls_post_t *p = next_post(r, ctx);
	assert_int_equal(ls_reader_line(r), 5);
	assert_str(p->text, "x\"y");
	p = next_post(r, ctx);
	assert_int_equal(ls_reader_line(r), 6);
	assert_int_equal(p->text.n, 0);
	assert_end(r, ctx);
	ls_reader_free(r);
	ls_ctx_free(ctx);
	drop_temp(path);
}

static void test_gopdebate(void **state)
{
	(void)state;
	char *path = write_temp_str(
		" id,candidate,name,retweet_count,text,tweet_coord,tweet_created,tweet_id\n"
		"1,x,I_Am_Kenzi,5,RT @NancyLeeGrahn: How did everyone feel? #GOPDebate http://t.co/ZSfF…,,"
		"2015-08-07 09:54:46 -0700,629697200650592256\n"
		"2,x,Peaceful,0,\"Plain, tweet\",,2015-08-07 09:54:46 -0700,629697199560069120\n");
	ls_ctx_t *ctx = ls_ctx_new();
	ls_reader_t *r = open_reader(path, NULL, ctx);
	assert_string_equal(ls_reader_format(r), "gop-debate");
	const ls_post_t *p = next_post(r, ctx);
	assert_str(p->handle, "I_Am_Kenzi");
	assert_str(p->id, "629697200650592256");
	assert_int_equal(p->kind, LS_KIND_RETWEET);
	assert_str(p->ref_account, "NancyLeeGrahn");
	assert_int_equal(p->time, 1438966486); /* 16:54:46 UTC */
	assert_int_equal(p->n_mentions, 1);
	assert_int_equal(p->n_hashtags, 1);
	assert_str(p->hashtags[0], "GOPDebate");
	assert_int_equal(p->n_urls, 1);
	assert_str(p->urls[0], "http://t.co/ZSfF");
	p = next_post(r, ctx);
	assert_int_equal(p->kind, LS_KIND_ORIGINAL);
	assert_int_equal(p->ref_account.n, 0);
	assert_end(r, ctx);
	ls_reader_free(r);
	ls_ctx_free(ctx);
	drop_temp(path);
}

/* ls_reader_defer_entities: the lists are left to the consumer (0 items,
 * ent_pending set) while ref_account and kind still come from "RT @x:";
 * lists a column gives are kept; every other field is as without it. */
static void test_deferred_entities(void **state)
{
	(void)state;
	char *path = write_temp_str(
		" id,candidate,name,retweet_count,text,tweet_coord,tweet_created,tweet_id\n"
		"1,x,I_Am_Kenzi,5,RT @NancyLeeGrahn: How did everyone feel? #GOPDebate http://t.co/ZSfF…,,"
		"2015-08-07 09:54:46 -0700,629697200650592256\n");
	ls_ctx_t *ctx = ls_ctx_new();
	ls_reader_t *r = open_reader(path, NULL, ctx);
	ls_reader_defer_entities(r);
	const ls_post_t *p = next_post(r, ctx);
	assert_int_equal(p->kind, LS_KIND_RETWEET);
	assert_str(p->ref_account, "NancyLeeGrahn");
	assert_int_equal(p->ent_pending, LS_ENT_ALL);
	assert_int_equal(p->n_mentions + p->n_hashtags + p->n_urls, 0);
	ls_entities_t e;
	ls_entities_parse(p->text.p, p->text.n, &e);
	assert_int_equal(e.n_hashtags, 1);
	assert_str(e.hashtags[0], "GOPDebate");
	assert_end(r, ctx);
	ls_reader_free(r);
	drop_temp(path);

	path = write_temp_str("tweetid,userid,user_screen_name,tweet_text,tweet_time,is_retweet,hashtags\n"
	                      "11,22,amp,\"hi @bob #tag http://x.y/z\",2016-11-08 19:52,False,[other]\n");
	r = open_reader(path, NULL, ctx);
	assert_string_equal(ls_reader_format(r), "io-archive");
	ls_reader_defer_entities(r);
	p = next_post(r, ctx);
	assert_int_equal(p->ent_pending, LS_ENT_URLS | LS_ENT_MENTIONS);
	assert_int_equal(p->n_hashtags, 1);
	assert_str(p->hashtags[0], "other");
	assert_int_equal(p->n_mentions + p->n_urls, 0);
	assert_end(r, ctx);
	ls_reader_free(r);
	ls_ctx_free(ctx);
	drop_temp(path);
}

static void test_format_override_and_errors(void **state)
{
	(void)state;
	/* Both fivethirtyeight and gop-debate columns: detection takes the
	 * first table row, --format picks the other. */
	char *path = write_temp_str("name,text,tweet_created,tweet_id,author,content,publish_date,post_type,retweet\n"
	                            "gopname,t,2015-08-07 09:54:46 -0700,1,iraname,c,2016-01-01 00:00:00,,0\n");
	ls_ctx_t *ctx = ls_ctx_new();
	ls_reader_t *r = open_reader(path, NULL, ctx);
	assert_string_equal(ls_reader_format(r), "fivethirtyeight");
	assert_str(next_post(r, ctx)->handle, "iraname");
	ls_reader_free(r);
	r = open_reader(path, "gop-debate", ctx);
	assert_string_equal(ls_reader_format(r), "gop-debate");
	assert_str(next_post(r, ctx)->handle, "gopname");
	ls_reader_free(r);
	ls_ctx_free(ctx);

	run_t run;
	read_all(path, "coortweet", 0, 0, &run); /* override lacking columns */
	assert_int_equal(run.open_err, LS_EFORMAT);
	assert_non_null(strstr(run.message, "object_id"));
	read_all(path, "nosuch", 0, 0, &run);
	assert_int_equal(run.open_err, LS_EINVAL);
	assert_non_null(strstr(run.message, "gop-debate"));
	drop_temp(path);

	path = write_temp_str("foo,bar\n1,2\n");
	read_all(path, NULL, 0, 0, &run);
	assert_int_equal(run.open_err, LS_EFORMAT);
	assert_non_null(strstr(run.message, "foo,bar"));
	assert_non_null(strstr(run.message, "coortweet, cnt, fivethirtyeight, gop-debate"));
	drop_temp(path);

	path = write_temp_str("");
	read_all(path, NULL, 0, 0, &run);
	assert_int_equal(run.open_err, LS_EFORMAT);
	drop_temp(path);
}

static void test_directory_and_missing(void **state)
{
	(void)state;
	char dir[] = "/tmp/ls_test_read_dir_XXXXXX";
	assert_non_null(mkdtemp(dir));
	run_t run;
	read_all(dir, NULL, 0, 0, &run);
	assert_int_equal(run.open_err, LS_EIO);
	char want[128];
	snprintf(want, sizeof want, "%s: is a directory", dir);
	assert_string_equal(run.message, want);
	rmdir(dir);
	read_all("/nonexistent/ls_test_read.csv", NULL, 0, 0, &run);
	assert_int_equal(run.open_err, LS_EIO);
	assert_string_equal(run.message, "/nonexistent/ls_test_read.csv: No such file or directory");
}

/* ----------------------------------------------------------- compression */

static const char cnt_sample[] =
	"message_id,user_id,username,repost_id,reply_id,message,timestamp,urls\n"
	"m1,u1,alice,,,\"multi\nline #one\",1600000000,http://a\n"
	"m2,u2,bob,m1,,RT @alice: multi,1600000060,\n"
	"m3,u3,carol,,m2,\"@bob, sure\",1600000120,\n";

static void compress_gzip_member(const void *src, size_t n, unsigned char *dst, size_t *len)
{
	z_stream z;
	memset(&z, 0, sizeof z);
	assert_int_equal(deflateInit2(&z, 6, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY), Z_OK);
	z.next_in = (unsigned char *)(uintptr_t)src;
	z.avail_in = (uInt)n;
	z.next_out = dst;
	z.avail_out = 4096;
	assert_int_equal(deflate(&z, Z_FINISH), Z_STREAM_END);
	*len = 4096 - z.avail_out;
	deflateEnd(&z);
}

typedef struct post_digest {
	char text[128];
	char id[16];
	int64_t time;
	int kind;
	size_t n_urls, n_hashtags, n_mentions;
} post_digest_t;

static size_t digest_file(const char *path, post_digest_t *out, size_t cap)
{
	ls_ctx_t *ctx = ls_ctx_new();
	ls_reader_t *r = open_reader(path, NULL, ctx);
	size_t n = 0;
	const ls_post_t *p;
	while (ls_reader_next(r, &p, ctx) == LS_OK && p != NULL && n < cap) {
		memset(&out[n], 0, sizeof out[n]);
		snprintf(out[n].text, sizeof out[n].text, "%.*s", (int)p->text.n, p->text.p);
		snprintf(out[n].id, sizeof out[n].id, "%.*s", (int)p->id.n, p->id.p);
		out[n].time = p->time;
		out[n].kind = p->kind;
		out[n].n_urls = p->n_urls;
		out[n].n_hashtags = p->n_hashtags;
		out[n].n_mentions = p->n_mentions;
		n++;
	}
	assert_int_equal(ls_ctx_message(ctx)[0], '\0');
	ls_reader_free(r);
	ls_ctx_free(ctx);
	return n;
}

static void test_gzip_zstd(void **state)
{
	(void)state;
	size_t n = strlen(cnt_sample), half = n / 2;
	post_digest_t plain[8], gz[8], zs[8];
	char *path = write_temp(cnt_sample, n);
	size_t np = digest_file(path, plain, 8);
	assert_int_equal(np, 3);
	assert_string_equal(plain[0].text, "multi\nline #one");
	drop_temp(path);

	/* gzip: two members, split mid-record. */
	unsigned char g[8192];
	size_t l1, l2;
	compress_gzip_member(cnt_sample, half, g, &l1);
	compress_gzip_member(cnt_sample + half, n - half, g + l1, &l2);
	assert_int_equal(g[0], 0x1f);
	path = write_temp(g, l1 + l2);
	assert_int_equal(digest_file(path, gz, 8), np);
	assert_memory_equal(plain, gz, np * sizeof plain[0]);
	drop_temp(path);

	/* truncated gzip is an I/O error, not a short read */
	path = write_temp(g, l1 + l2 - 6);
	run_t run;
	read_all(path, NULL, 0, 0, &run);
	assert_true(run.open_err == LS_EIO || run.err == LS_EIO);
	assert_non_null(strstr(run.message, "gzip"));
	drop_temp(path);

	/* zstd: two frames */
	unsigned char z[8192];
	size_t z1 = ZSTD_compress(z, sizeof z, cnt_sample, half, 3);
	assert_false(ZSTD_isError(z1));
	size_t z2 = ZSTD_compress(z + z1, sizeof z - z1, cnt_sample + half, n - half, 19);
	assert_false(ZSTD_isError(z2));
	path = write_temp(z, z1 + z2);
	assert_int_equal(digest_file(path, zs, 8), np);
	assert_memory_equal(plain, zs, np * sizeof plain[0]);
	read_all(path, NULL, 0, 0, &run);
	assert_int_equal(run.bytes, z1 + z2); /* stored, not decompressed, bytes */
	drop_temp(path);

	path = write_temp(z, z1 + z2 - 3);
	read_all(path, NULL, 0, 0, &run);
	assert_true(run.open_err == LS_EIO || run.err == LS_EIO);
	assert_non_null(strstr(run.message, "zstd"));
	drop_temp(path);
}

static void hex(const unsigned char *d, char *out)
{
	for (int i = 0; i < 32; i++)
		snprintf(out + 2 * i, 3, "%02x", d[i]);
}

static void test_sha256(void **state)
{
	(void)state;
	/* Known answer (FIPS 180-2 "abc"), through the input layer. */
	char *path = write_temp_str("abc");
	ls_ctx_t *ctx = ls_ctx_new();
	ls_instream_t *in = NULL;
	assert_int_equal(ls_instream_open(&in, path, ctx), LS_OK);
	char buf[16];
	size_t got, total = 0;
	do {
		assert_int_equal(ls_instream_read(in, buf, sizeof buf, &got, ctx), LS_OK);
		total += got;
	} while (got > 0);
	assert_int_equal(total, 3);
	unsigned char d[32];
	char h[65];
	ls_instream_sha256(in, d);
	hex(d, h);
	assert_string_equal(h, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
	ls_instream_close(in);
	drop_temp(path);

	/* A multi-block file: the reader's digest equals a one-shot digest. */
	size_t n = (size_t)5 << 20;
	char *big = malloc(n);
	assert_non_null(big);
	const char *hdr = "\"object_id\",\"account_id\",\"content_id\",\"timestamp_share\"\n";
	size_t used = strlen(hdr);
	memcpy(big, hdr, used);
	uint64_t rows = 0;
	while (used + 64 < n) {
		int w = snprintf(big + used, n - used, "o%llu,a%llu,c%llu,%llu\n",
		                 (unsigned long long)(rows % 97), (unsigned long long)(rows % 13),
		                 (unsigned long long)rows, 1600000000ULL + rows);
		used += (size_t)w;
		rows++;
	}
	path = write_temp(big, used);
	unsigned char want[32];
	unsigned int wl = 0;
	assert_int_equal(EVP_Digest(big, used, want, &wl, EVP_sha256(), NULL), 1);
	run_t run;
	read_all(path, NULL, 0, 0, &run);
	assert_int_equal(run.err, LS_OK);
	assert_int_equal(run.read, rows);
	assert_int_equal(run.bytes, used);
	assert_memory_equal(run.sha256, want, 32);
	drop_temp(path);
	free(big);
	ls_ctx_free(ctx);
}

/* ------------------------------------------------------------- entities */

static void test_entities(void **state)
{
	(void)state;
	ls_entities_t e;
	const char *t = "RT @Some_User: #Tag1 and #tëst… #日本語 a#not b@not @ok_1, "
	                "#x_y! @waytoolonghandle123 https://t.co/abc… (http://x.org/a?b=1). "
	                "http://";
	ls_entities_parse(t, strlen(t), &e);
	assert_str(e.rt_user, "Some_User");
	assert_int_equal(e.n_hashtags, 4);
	assert_str(e.hashtags[0], "Tag1");
	assert_str(e.hashtags[1], "tëst");
	assert_str(e.hashtags[2], "日本語");
	assert_str(e.hashtags[3], "x_y");
	assert_int_equal(e.n_mentions, 2);
	assert_str(e.mentions[0], "Some_User");
	assert_str(e.mentions[1], "ok_1");
	assert_int_equal(e.n_urls, 2);
	assert_str(e.urls[0], "https://t.co/abc");
	assert_str(e.urls[1], "http://x.org/a?b=1");

	/* a '#' inside a URL is not a hashtag; no RT prefix without ':' */
	t = "RT @x hi http://a.b/#frag #real";
	ls_entities_parse(t, strlen(t), &e);
	assert_int_equal(e.rt_user.n, 0);
	assert_int_equal(e.n_hashtags, 1);
	assert_str(e.hashtags[0], "real");
	assert_int_equal(e.n_urls, 1);

	/* at most 64 of each; invalid UTF-8 ends a tag but keeps the rest */
	char many[1024];
	size_t used = 0;
	for (int i = 0; i < 70; i++)
		used += (size_t)snprintf(many + used, sizeof many - used, "#t%d ", i);
	ls_entities_parse(many, used, &e);
	assert_int_equal(e.n_hashtags, 64);
	assert_str(e.hashtags[63], "t63");
	ls_entities_parse("#ab\xff" "cd @z", 9, &e);
	assert_int_equal(e.n_hashtags, 1);
	assert_str(e.hashtags[0], "ab");
	assert_int_equal(e.n_mentions, 1);
	ls_entities_parse(NULL, 0, &e);
	assert_int_equal(e.n_hashtags + e.n_mentions + e.n_urls, 0);
}

/* --------------------------------------------------------------- times */

static void test_time_parse(void **state)
{
	(void)state;
	static const struct {
		const char *s;
		int ok;
		int64_t t;
	} cases[] = {
		{"0", 1, 0},
		{"1623881091", 1, 1623881091},
		{"1623881091.999", 1, 1623881091},
		{" 1623881091\r", 1, 1623881091},
		{"1970-01-01 00:00:00", 1, 0},
		{"2016-11-08 19:52", 1, 1478634720},
		{"2016-11-08 19:52:00", 1, 1478634720},
		{"2000-02-29 00:00:00", 1, 951782400},
		{"2100-12-31 23:59:59", 1, 4133980799},
		{"2015-08-07 09:54:46 -0700", 1, 1438966486},
		{"2015-08-07 09:54:46 +05:30", 1, 1438921486},
		{"2018-10-10T20:19:24Z", 1, 1539202764},
		{"2018-10-10T20:19:24.123Z", 1, 1539202764},
		{"2018-10-10T22:19:24+02:00", 1, 1539202764},
		{"Wed Oct 10 20:19:24 +0000 2018", 1, 1539202764},
		{"Wed Oct 10 22:19:24 +0200 2018", 1, 1539202764},
		{"", 0, 0},
		{"   ", 0, 0},
		{"notatime", 0, 0},
		{"1623881091x", 0, 0},
		{"-5", 0, 0},
		{"1969-12-31 23:59:59", 0, 0},
		{"2101-01-01 00:00:00", 0, 0},
		{"2015-02-29 00:00:00", 0, 0},
		{"1900-02-29 00:00:00", 0, 0},
		{"2016-13-01 00:00:00", 0, 0},
		{"2016-04-31 00:00:00", 0, 0},
		{"2016-01-01 24:00:00", 0, 0},
		{"2016-01-01 23:60:00", 0, 0},
		{"2016-01-01", 0, 0},
		{"2016-01-01 10:00:00 junk", 0, 0},
		{"2016-01-01 10:00:00 +2500", 0, 0},
		{"Wed Foo 10 20:19:24 +0000 2018", 0, 0},
		{"99999999999999999999", 0, 0},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		int64_t t = -1;
		int rc = ls_time_parse(cases[i].s, strlen(cases[i].s), &t);
		if (cases[i].ok && (rc != 0 || t != cases[i].t))
			fail_msg("'%s': rc %d t %lld, want %lld", cases[i].s, rc, (long long)t,
			         (long long)cases[i].t);
		if (!cases[i].ok && rc == 0)
			fail_msg("'%s' accepted as %lld", cases[i].s, (long long)t);
	}
}

/* ------------------------------------------------------ malformed rows */

typedef struct fmt_case {
	const char *format;
	const char *header;  /* without newline; the last column is a string */
	const char *good;    /* a valid row */
	const char *good2;   /* another (a different post id, same last field) */
	const char *short_row;
	size_t nfields, short_fields;
	const char *badtime;
	const char *time_field;
	const char *noacct;
	const char *acct_field;
	const char *last_value; /* last field of `good`, checked for stray CR */
} fmt_case_t;

static const fmt_case_t cases[] = {
	{"coortweet", "\"timestamp_share\",\"object_id\",\"account_id\",\"content_id\"",
	 "1623881091,\"o1\",\"a1\",\"c1\"", "1623881091,\"o2\",\"a1\",\"c1\"", "1623881091,\"o1\"", 4, 2,
	 "notatime,\"o\",\"a\",\"c\"", "timestamp_share", "1623881091,\"o\",\"\",\"c\"",
	 "account_id", "c1"},
	{"cnt", "timestamp,message_id,repost_id,reply_id,message,urls,user_id,username",
	 "1600000000,m1,,,hello #tag,http://x.y/z,u1,alice",
	 "1600000000,m9,,,hello #tag,http://x.y/z,u1,alice", "1600000000,m4", 8, 2,
	 "2020-13-01 00:00,m2,,,t,,u2,bob", "timestamp", "1600000000,m3,,,t,,,", "user_id",
	 "alice"},
	{"fivethirtyeight", "content,publish_date,post_type,retweet,author",
	 "\"hi, there\",2016-11-08 19:52:00,,0,acct_a", "\"hi, there\",2016-11-08 19:52:00,,0,acct_a",
	 "x,2016-11-08 19:52:00", 5, 2,
	 "x,2016-11-08,,0,acct_b", "publish_date", "x,2016-11-08 19:52:00,,0,", "author",
	 "acct_a"},
	{"gop-debate", " id,name,text,tweet_created,tweet_id",
	 "1,alice,RT @bob: hi,2015-08-07 09:54:46 -0700,629697200650592256",
	 "9,alice,RT @bob: hi,2015-08-07 09:54:46 -0700,629697200650592257", "4,dan", 5, 2,
	 "2,carl,x,yesterday,1", "tweet_created", "3,,x,2015-08-07 09:54:46 -0700,2", "name",
	 "629697200650592256"},
};

#define MAX_REC 200

/* header / good (2) / short (3) / bad time (4) / no account (5) /
 * 300-byte line (6) / good (7) / unbalanced quote (8) swallowing line 9
 * to the end of the file. */
static char *malformed_file(const fmt_case_t *c)
{
	char buf[4096], longline[301];
	memset(longline, 'x', 300);
	longline[300] = '\0';
	snprintf(buf, sizeof buf, "%s\n%s\n%s\n%s\n%s\n%s\n%s\n\"open, never closed\na,b\n",
	         c->header, c->good, c->short_row, c->badtime, c->noacct, longline, c->good2);
	return write_temp_str(buf);
}

static void assert_diag(const diags_t *d, int i, const char *path, int line, const char *what)
{
	char want[512];
	snprintf(want, sizeof want, "%s:%d: %s", path, line, what);
	if (i >= d->count || strcmp(d->msg[i], want) != 0)
		fail_msg("diagnostic %d: got '%s', want '%s'", i, i < d->count ? d->msg[i] : "(none)",
		         want);
}

static void test_malformed_rows(void **state)
{
	(void)state;
	for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
		const fmt_case_t *c = &cases[k];
		char *path = malformed_file(c);
		run_t run;
		read_all(path, NULL, 0, MAX_REC, &run);
		assert_int_equal(run.open_err, LS_OK);
		assert_int_equal(run.err, LS_OK);
		if (run.read != 2 || run.skipped != 5)
			fail_msg("%s: read %llu skipped %llu", c->format, (unsigned long long)run.read,
			         (unsigned long long)run.skipped);
		assert_int_equal(run.diags.count, 5);
		char what[256];
		snprintf(what, sizeof what, "expected %zu fields, found %zu", c->nfields, c->short_fields);
		assert_diag(&run.diags, 0, path, 3, what);
		snprintf(what, sizeof what, "field '%s': cannot parse", c->time_field);
		assert_non_null(strstr(run.diags.msg[1], what));
		char loc[300];
		snprintf(loc, sizeof loc, "%s:4: ", path);
		assert_true(strncmp(run.diags.msg[1], loc, strlen(loc)) == 0);
		assert_non_null(strstr(run.diags.msg[1], "as a time"));
		snprintf(what, sizeof what, "field '%s': empty account (no account id or handle)",
		         c->acct_field);
		assert_diag(&run.diags, 2, path, 5, what);
		assert_diag(&run.diags, 3, path, 6, "record longer than 200 bytes");
		assert_diag(&run.diags, 4, path, 8, "unterminated quoted field");

		/* strict: the first bad record fails the read */
		read_all(path, NULL, 1, MAX_REC, &run);
		assert_int_equal(run.err, LS_EPARSE);
		assert_int_equal(run.read, 1);
		assert_int_equal(run.skipped, 0);
		assert_int_equal(run.fail_line, 3);
		assert_int_equal(run.diags.count, 0);
		snprintf(what, sizeof what, "%s:3: expected %zu fields, found %zu", path, c->nfields,
		         c->short_fields);
		assert_string_equal(run.message, what);
		drop_temp(path);
	}
}

static void test_bad_time_message(void **state)
{
	(void)state;
	char *path = write_temp_str("\"object_id\",\"account_id\",\"content_id\",\"timestamp_share\"\n"
	                            "o,a,c,12:00 yesterday\n");
	run_t run;
	read_all(path, NULL, 0, 0, &run);
	char want[512];
	snprintf(want, sizeof want,
	         "%s:2: field 'timestamp_share': cannot parse '12:00 yesterday' as a time", path);
	assert_int_equal(run.diags.count, 1);
	assert_string_equal(run.diags.msg[0], want);
	drop_temp(path);
}

static void test_bom_crlf(void **state)
{
	(void)state;
	for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
		const fmt_case_t *c = &cases[k];
		char buf[2048];
		snprintf(buf, sizeof buf, "\xEF\xBB\xBF%s\r\n%s\r\n\r\n%s\r\n", c->header, c->good,
		         c->good2);
		char *path = write_temp_str(buf);
		ls_ctx_t *ctx = ls_ctx_new();
		ls_reader_t *r = open_reader(path, NULL, ctx);
		assert_string_equal(ls_reader_format(r), c->format);
		size_t n = 0;
		const ls_post_t *p;
		while (ls_reader_next(r, &p, ctx) == LS_OK && p != NULL) {
			n++;
			/* the last column must not keep the CR */
			ls_str_t last = strcmp(c->format, "coortweet") == 0   ? p->id
			                : strcmp(c->format, "gop-debate") == 0 ? p->id
			                                                        : p->handle;
			if (n == 1)
				assert_str(last, c->last_value);
			assert_true(last.n > 0 && last.p[last.n - 1] != '\r');
		}
		assert_int_equal(n, 2);
		assert_int_equal(ls_reader_line(r), 4); /* blank line 3 skipped */
		ls_reader_stats_t st;
		ls_reader_stats(r, &st);
		assert_int_equal(st.records_skipped, 0);
		ls_reader_free(r);
		ls_ctx_free(ctx);
		drop_temp(path);
	}
}

/* CRLF rows over several blocks (the first 64 KiB are peeked, so rows
 * straddle that boundary wherever it falls): every row read whole, the CR
 * never kept; invalid UTF-8 or a NUL still refuses its row, valid UTF-8
 * passes, wherever the row lies. */
static void test_crlf_rows_across_blocks(void **state)
{
	(void)state;
	enum { ROWS = 12000 };
	size_t cap = (size_t)ROWS * 64 + 128, n = 0;
	char *buf = malloc(cap);
	assert_non_null(buf);
	n += (size_t)snprintf(buf, cap, "object_id,account_id,content_id,timestamp_share\r\n");
	for (unsigned i = 0; i < ROWS; i++) {
		const char *acct = i % 997 == 5 ? "a\xff" : i % 997 == 6 ? "\xc3\xa9t\xc3\xa9" : "a";
		char *row = buf + n;
		n += (size_t)snprintf(row, cap - n, "o%u,%s%u,c%u,%u\r\n", i % 50, acct, i % 300, i,
		                      1600000000u + i);
		if (i % 997 == 7) /* a NUL in the account */
			strchr(row, ',')[2] = '\0';
	}
	char *path = write_temp(buf, n);
	free(buf);
	ls_ctx_t *ctx = ls_ctx_new();
	ls_reader_t *r = open_reader(path, NULL, ctx);
	const ls_post_t *p;
	unsigned read = 0;
	while (ls_reader_next(r, &p, ctx) == LS_OK && p != NULL) {
		unsigned i = 0;
		for (size_t k = 1; k < p->id.n; k++) /* the id is not NUL-terminated */
			i = i * 10 + (unsigned)(p->id.p[k] - '0');
		assert_true(i % 997 != 5 && i % 997 != 7);
		assert_int_equal(p->time, 1600000000 + (int64_t)i);
		assert_int_equal(ls_reader_line(r), i + 2);
		char want[32];
		snprintf(want, sizeof want, "%s%u", i % 997 == 6 ? "\xc3\xa9t\xc3\xa9" : "a", i % 300);
		assert_str(p->account_id, want);
		read++;
	}
	unsigned bad = 2 * ((ROWS + 997 - 6) / 997); /* rows 5 and 7 of every 997 */
	assert_int_equal(read, ROWS - bad);
	ls_reader_stats_t st;
	ls_reader_stats(r, &st);
	assert_int_equal(st.records_skipped, bad);
	ls_reader_free(r);
	ls_ctx_free(ctx);
	drop_temp(path);
}

/* An unbalanced quote swallows lines until the record exceeds max_record;
 * reading resumes on the next physical line. */
static void test_unbalanced_quote_resync(void **state)
{
	(void)state;
	const char *hdr = "message_id,user_id,username,repost_id,reply_id,message,timestamp,urls\n";
	/* rows of 44 bytes with distinct ids (repeated ids would be duplicates) */
#define ROW "m%d,u,h,,,text padded to forty ,1600000000,\n"
	char buf[2048];
	size_t used = (size_t)snprintf(buf, sizeof buf, "%s", hdr);
	used += (size_t)snprintf(buf + used, sizeof buf - used, ROW, 9);
	used += (size_t)snprintf(buf + used, sizeof buf - used, "m,u,h,,,\"open quote,1,\n"); /* 23 */
	for (int i = 0; i < 5; i++)
		used += (size_t)snprintf(buf + used, sizeof buf - used, ROW, i);
#undef ROW
	char *path = write_temp_str(buf);
	run_t run;
	/* line 3 (23 bytes) + line 4 (44) = 67 <= 100; + line 5 = 111 > 100:
	 * the record of line 3 is dropped with lines 4-5; lines 6-8 are read. */
	read_all(path, NULL, 0, 100, &run);
	assert_int_equal(run.read, 4);
	assert_int_equal(run.skipped, 1);
	assert_diag(&run.diags, 0, path, 3, "record longer than 100 bytes");
	drop_temp(path);
}

/* A 20 MB line without a newline is bounded by the default 16 MiB limit. */
static void test_huge_line(void **state)
{
	(void)state;
	const char *hdr = "\"object_id\",\"account_id\",\"content_id\",\"timestamp_share\"\n";
	size_t n = strlen(hdr), big = (size_t)20 << 20;
	char *buf = malloc(n + big + 64);
	assert_non_null(buf);
	memcpy(buf, hdr, n);
	memset(buf + n, 'y', big);
	size_t used = n + big;
	used += (size_t)snprintf(buf + used, 64, "\no,a,c,1600000000\n");
	char *path = write_temp(buf, used);
	free(buf);
	run_t run;
	read_all(path, NULL, 0, 0, &run);
	assert_int_equal(run.read, 1);
	assert_int_equal(run.skipped, 1);
	assert_diag(&run.diags, 0, path, 2, "record longer than 16777216 bytes");
	drop_temp(path);
}

/* ------------------------------------------------------- real data files */

static void real_file(const char *path, const char *format, uint64_t want_read,
                      uint64_t want_skipped)
{
	if (access(path, R_OK) != 0) {
		print_message("skipping: %s not found\n", path);
		skip();
	}
	run_t run;
	read_all(path, NULL, 0, 0, &run);
	assert_int_equal(run.open_err, LS_OK);
	assert_int_equal(run.err, LS_OK);
	assert_int_equal(run.read, want_read);
	assert_int_equal(run.skipped, want_skipped);
	struct stat st;
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(run.bytes, (uint64_t)st.st_size);
	ls_ctx_t *ctx = ls_ctx_new();
	ls_reader_t *r = open_reader(path, NULL, ctx);
	assert_string_equal(ls_reader_format(r), format);
	ls_reader_free(r);
	ls_ctx_free(ctx);
}

static void test_real_gop(void **state)
{
	(void)state;
	real_file("../shared/data/gop_debate_2015.csv", "gop-debate", 13837, 34); /* 34 tweets appear twice */
}

static void test_real_coortweet(void **state)
{
	(void)state;
	real_file("../shared/data/coortweet_russian_coord_tweets.csv", "coortweet", 35125, 0);
}

static void test_real_ira(void **state)
{
	(void)state;
	real_file("../shared/data/ira_tweets.csv.zst", "fivethirtyeight", 2463944, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_formats_table),
		cmocka_unit_test(test_only_lines),
		cmocka_unit_test(test_only_lines_plain),
		cmocka_unit_test(test_coortweet),
		cmocka_unit_test(test_cnt),
		cmocka_unit_test(test_fivethirtyeight),
		cmocka_unit_test(test_doubled_quotes),
		cmocka_unit_test(test_gopdebate),
		cmocka_unit_test(test_deferred_entities),
		cmocka_unit_test(test_format_override_and_errors),
		cmocka_unit_test(test_directory_and_missing),
		cmocka_unit_test(test_gzip_zstd),
		cmocka_unit_test(test_sha256),
		cmocka_unit_test(test_entities),
		cmocka_unit_test(test_time_parse),
		cmocka_unit_test(test_malformed_rows),
		cmocka_unit_test(test_bad_time_message),
		cmocka_unit_test(test_bom_crlf),
		cmocka_unit_test(test_crlf_rows_across_blocks),
		cmocka_unit_test(test_unbalanced_quote_resync),
		cmocka_unit_test(test_huge_line),
		cmocka_unit_test(test_real_gop),
		cmocka_unit_test(test_real_coortweet),
		cmocka_unit_test(test_real_ira),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
