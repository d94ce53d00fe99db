/*
 * gen_jsonl -n N [--seed S] -o FILE: writes N Twitter API v1.1 tweets as
 * JSON lines, shaped like a real filtered-stream dump so that reader
 * benchmarks see realistic bytes: full user objects (description,
 * counts, profile URLs, ...), entities with indices, display/expanded
 * URLs, ~40 % retweets carrying the whole retweeted_status (with its own
 * user), ~10 % replies, ~5 % quotes with quoted_status, some extended
 * tweets. Lines are 2-8 KB, like the real thing. Deterministic for a seed
 * (splitmix64). O(N) time, O(1) memory.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static uint64_t rng;

static uint64_t next(void)
{
	uint64_t z = (rng += 0x9e3779b97f4a7c15ULL);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static unsigned below(unsigned n)
{
	return (unsigned)(next() % n);
}

static const char *const words[] = {
	"the", "vote", "election", "news", "today", "people", "government", "truth", "media", "fake",
	"breaking", "watch", "share", "must", "america", "freedom", "police", "video", "world",
	"never", "again", "support", "protest", "economy", "war", "peace", "join", "us", "now",
	"\\u00e9t\\u00e9", "caf\\u00e9", "\\ud83d\\ude00", "\\u041f\\u0440\\u0438\\u0432\\u0435\\u0442",
};
#define NWORDS (sizeof words / sizeof words[0])

static void text(FILE *f, unsigned nwords, uint64_t tag)
{
	for (unsigned i = 0; i < nwords; i++)
		fprintf(f, "%s%s", i ? " " : "", words[below(NWORDS)]);
	fprintf(f, " #tag%" PRIu64 " https://t.co/%08" PRIx64, tag % 500, tag);
}

static void user(FILE *f, uint64_t uid)
{
	fprintf(f,
	        "{\"id\":%" PRIu64 ",\"id_str\":\"%" PRIu64 "\",\"name\":\"User %" PRIu64 "\","
	        "\"screen_name\":\"user_%" PRIu64 "\",\"location\":\"Somewhere, Earth\","
	        "\"url\":null,\"description\":\"",
	        uid, uid, uid, uid);
	text(f, 12, uid);
	fprintf(f,
	        "\",\"translator_type\":\"none\",\"protected\":false,\"verified\":false,"
	        "\"followers_count\":%u,\"friends_count\":%u,\"listed_count\":%u,"
	        "\"favourites_count\":%u,\"statuses_count\":%u,"
	        "\"created_at\":\"Mon Apr %02u 12:00:00 +0000 2013\",\"utc_offset\":null,"
	        "\"time_zone\":null,\"geo_enabled\":false,\"lang\":null,"
	        "\"contributors_enabled\":false,\"is_translator\":false,"
	        "\"profile_background_color\":\"C0DEED\","
	        "\"profile_background_image_url\":\"http://abs.twimg.com/images/themes/theme1/bg.png\","
	        "\"profile_background_image_url_https\":\"https://abs.twimg.com/images/themes/theme1/bg.png\","
	        "\"profile_background_tile\":false,\"profile_link_color\":\"1DA1F2\","
	        "\"profile_sidebar_border_color\":\"C0DEED\",\"profile_sidebar_fill_color\":\"DDEEF6\","
	        "\"profile_text_color\":\"333333\",\"profile_use_background_image\":true,"
	        "\"profile_image_url\":\"http://pbs.twimg.com/profile_images/%" PRIu64 "/a_normal.jpg\","
	        "\"profile_image_url_https\":\"https://pbs.twimg.com/profile_images/%" PRIu64 "/a_normal.jpg\","
	        "\"default_profile\":true,\"default_profile_image\":false,\"following\":null,"
	        "\"follow_request_sent\":null,\"notifications\":null}",
	        below(100000), below(5000), below(100), below(20000), below(90000), 1 + below(28),
	        uid * 7, uid * 7);
}

static void entities(FILE *f, uint64_t tag, uint64_t mention)
{
	fprintf(f,
	        "{\"hashtags\":[{\"text\":\"tag%" PRIu64 "\",\"indices\":[40,48]}],\"urls\":["
	        "{\"url\":\"https://t.co/%08" PRIx64 "\",\"expanded_url\":\"https://news%" PRIu64
	        ".example.com/story/%" PRIu64 "?utm_source=twitter\",\"display_url\":\"news%" PRIu64
	        ".example.com/story/\\u2026\",\"indices\":[50,73]}],"
	        "\"user_mentions\":[{\"screen_name\":\"user_%" PRIu64 "\",\"name\":\"User %" PRIu64
	        "\",\"id\":%" PRIu64 ",\"id_str\":\"%" PRIu64 "\",\"indices\":[3,12]}],\"symbols\":[]}",
	        tag % 500, tag, tag % 50, tag, tag % 50, mention, mention, mention, mention);
}

static void tweet(FILE *f, uint64_t id, uint64_t uid, int64_t t, int depth)
{
	static const char *const days[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
	int64_t day = t / 86400;
	int sec = (int)(t % 86400);
	/* October 2018 keeps the date arithmetic trivial: day 0 = Oct 1, a Monday */
	fprintf(f,
	        "{\"created_at\":\"%s Oct %02d %02d:%02d:%02d +0000 2018\",\"id\":%" PRIu64
	        ",\"id_str\":\"%" PRIu64 "\",\"text\":\"",
	        days[(day + 1) % 7], (int)(day % 30) + 1, sec / 3600, sec / 60 % 60, sec % 60, id, id);
	uint64_t mention = 1000 + next() % 50000;
	unsigned kind = depth ? 99 : below(100); /* nested: a plain tweet */
	uint64_t ref = id > 1000 ? id - 1 - next() % 1000 : id;
	uint64_t ref_user = 1000 + next() % 50000;
	if (kind < 40)
		fprintf(f, "RT @user_%" PRIu64 ": ", ref_user);
	text(f, 10 + below(20), id);
	fprintf(f, "\",\"source\":\"<a href=\\\"http://twitter.com/download/android\\\" "
	           "rel=\\\"nofollow\\\">Twitter for Android</a>\",\"truncated\":false,");
	if (kind >= 40 && kind < 50)
		fprintf(f,
		        "\"in_reply_to_status_id\":%" PRIu64 ",\"in_reply_to_status_id_str\":\"%" PRIu64
		        "\",\"in_reply_to_user_id\":%" PRIu64 ",\"in_reply_to_user_id_str\":\"%" PRIu64
		        "\",\"in_reply_to_screen_name\":\"user_%" PRIu64 "\",",
		        ref, ref, ref_user, ref_user, ref_user);
	else
		fprintf(f, "\"in_reply_to_status_id\":null,\"in_reply_to_status_id_str\":null,"
		           "\"in_reply_to_user_id\":null,\"in_reply_to_user_id_str\":null,"
		           "\"in_reply_to_screen_name\":null,");
	fprintf(f, "\"user\":");
	user(f, uid);
	fprintf(f, ",\"geo\":null,\"coordinates\":null,\"place\":null,\"contributors\":null,");
	if (kind < 40) {
		fprintf(f, "\"retweeted_status\":");
		tweet(f, ref, ref_user, t - 60 - (int64_t)below(3600), depth + 1);
		fprintf(f, ",");
	}
	if (kind >= 50 && kind < 55) {
		fprintf(f, "\"quoted_status_id\":%" PRIu64 ",\"quoted_status_id_str\":\"%" PRIu64
		           "\",\"quoted_status\":", ref, ref);
		tweet(f, ref, ref_user, t - 600, depth + 1);
		fprintf(f, ",");
	}
	if (kind >= 55 && kind < 65) {
		fprintf(f, "\"extended_tweet\":{\"full_text\":\"");
		text(f, 40, id);
		fprintf(f, "\",\"display_text_range\":[0,280],\"entities\":");
		entities(f, id, mention);
		fprintf(f, "},");
	}
	fprintf(f,
	        "\"is_quote_status\":%s,\"quote_count\":%u,\"reply_count\":%u,\"retweet_count\":%u,"
	        "\"favorite_count\":%u,\"entities\":",
	        kind >= 50 && kind < 55 ? "true" : "false", below(10), below(10), below(1000),
	        below(1000));
	entities(f, id, mention);
	fprintf(f, ",\"favorited\":false,\"retweeted\":false,\"possibly_sensitive\":false,"
	           "\"filter_level\":\"low\",\"lang\":\"en\"");
	if (depth == 0)
		fprintf(f, ",\"timestamp_ms\":\"%" PRId64 "000\"", t + 1538352000);
	fprintf(f, "}");
}

int main(int argc, char **argv)
{
	uint64_t n = 100000, seed = 1;
	const char *out = NULL;
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "-n") == 0 && i + 1 < argc)
			n = strtoull(argv[++i], NULL, 10);
		else if (strcmp(argv[i], "--seed") == 0 && i + 1 < argc)
			seed = strtoull(argv[++i], NULL, 10);
		else if (strcmp(argv[i], "-o") == 0 && i + 1 < argc)
			out = argv[++i];
		else {
			fprintf(stderr, "usage: gen_jsonl -n N [--seed S] -o FILE\n");
			return 2;
		}
	}
	if (out == NULL) {
		fprintf(stderr, "usage: gen_jsonl -n N [--seed S] -o FILE\n");
		return 2;
	}
	rng = seed;
	FILE *f = fopen(out, "wb");
	if (f == NULL) {
		perror(out);
		return 1;
	}
	static char buf[1 << 20];
	setvbuf(f, buf, _IOFBF, sizeof buf);
	uint64_t base = UINT64_C(1046000000000000000);
	for (uint64_t i = 0; i < n; i++) {
		int64_t t = (int64_t)(i * 2592000 / (n ? n : 1)); /* 30 days */
		tweet(f, base + i * 1000, 1000 + next() % 50000, t, 0);
		fputc('\n', f);
	}
	if (fclose(f) != 0) {
		perror(out);
		return 1;
	}
	return 0;
}
