/*
 * gen_coretweet: writes a CooRTweet-format benchmark input,
 *
 *   object_id,account_id,content_id,timestamp_share
 *
 * one row per retweet (object = the retweeted post, content = the retweet).
 *
 *   build/bench/gen_coretweet -n ROWS [--viral K] [--seed N] -o FILE
 *
 * Model (chosen so that 1M rows look like a month of a topical collection):
 *  - accounts A = max(1000, ROWS / 10), objects O = max(100, ROWS / 8);
 *  - an ordinary row picks its object by Zipf(s = 0.8) popularity rank and
 *    its account by Zipf(s = 0.6) activity rank, both drawn by rejection-
 *    inversion (no tables); ids are a keyed 64-bit bijection of the rank, so
 *    popularity is not visible in the ids;
 *  - an object is posted at a moment uniform over 30 days from 2024-03-01,
 *    derived from its rank by hashing (nothing stored), and each retweet
 *    follows it by a lognormal lag (median 30 min, sigma 1.8, at most 7 d);
 *  - one viral object receives exactly K rows (default 15% of ROWS, i.e.
 *    150,000 for 1M), spread among the ROWS by selection sampling, from
 *    accounts drawn uniformly, 1 s .. 6 h after its posting (lognormal,
 *    median 20 min): hundreds of retweets a minute at the peak, so many
 *    pairs of accounts co-retweet it within any window (with K > A some
 *    accounts retweet it more than once, as happens in collected data);
 *  - content ids are unique and increase with the row number.
 * --scale keeps the density of 1M rows at any size: ROWS / 1M periods of
 * 30 days one after another, each with its own ROWS / 8 / periods objects
 * drawn by the same Zipf curve and posted within the period, so events per
 * object, per account and per second stay those of 1M rows (accounts are
 * drawn from all ROWS / 10 over the whole span). The one viral object still
 * takes 15% of all rows, within 6 hours.
 * Rows are written as they are drawn (not in time order), so memory is
 * O(1) and time O(ROWS); 100M rows are ~6 GB of CSV. Deterministic for a
 * seed. The file is written atomically (temporary name, then rename).
 */
#include "lockstep.h"
#include "core/afile.h"
#include "synth/synth_rng.h"

#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define T0 INT64_C(1709251200) /* 2024-03-01 00:00:00 UTC */
#define SPAN_DAYS 30

typedef struct opts {
	uint64_t rows, viral, seed;
	int have_rows, have_viral, scale;
	const char *out;
} opts_t;

static const struct {
	const char *name;
	char short_name;
	const char *arg;
	const char *help;
} options[] = {
	{"rows", 'n', "ROWS", "number of retweet rows to write (required)"},
	{"viral", 0, "K", "rows of the one viral object (default 15% of ROWS)"},
	{"seed", 0, "N", "random seed (default 1)"},
	{"scale", 0, NULL, "keep the density of 1M rows: one 30-day period per million rows"},
	{"output", 'o', "FILE", "output CSV file (required)"},
	{"help", 'h', NULL, "show this help"},
};
enum { O_ROWS, O_VIRAL, O_SEED, O_SCALE, O_OUTPUT, O_HELP };
#define NOPTIONS (sizeof options / sizeof options[0])

static void usage(FILE *f)
{
	fprintf(f, "Usage: gen_coretweet -n ROWS [--viral K] [--seed N] [--scale] -o FILE\n\n"
	           "Writes a CooRTweet-format CSV (object_id,account_id,content_id,timestamp_share)\n"
	           "of ROWS retweets over 30 days with Zipf object popularity and one viral object.\n\n"
	           "Options:\n");
	for (size_t k = 0; k < NOPTIONS; k++) {
		char left[48];
		snprintf(left, sizeof left, "%s%c%s--%s%s%s", options[k].short_name ? "-" : "  ",
		         options[k].short_name ? options[k].short_name : ' ', options[k].short_name ? ", " : "  ",
		         options[k].name, options[k].arg ? " " : "", options[k].arg ? options[k].arg : "");
		fprintf(f, "  %-24s %s\n", left, options[k].help);
	}
}

static int parse_u64(const char *name, const char *s, uint64_t *out)
{
	char *end;
	errno = 0;
	unsigned long long v = strtoull(s, &end, 10);
	if (*s == '-' || errno || end == s || *end != '\0') {
		fprintf(stderr, "gen_coretweet: --%s: '%s' is not a whole number\n", name, s);
		return -1;
	}
	*out = v;
	return 0;
}

/* Returns 0 to run, 1 after --help, 2 on a usage error. */
static int parse_args(int argc, char **argv, opts_t *o)
{
	memset(o, 0, sizeof *o);
	o->seed = 1;
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i], *val = NULL;
		size_t k = NOPTIONS;
		if (a[0] == '-' && a[1] == '-') {
			const char *eq = strchr(a + 2, '=');
			size_t len = eq ? (size_t)(eq - a - 2) : strlen(a + 2);
			for (k = 0; k < NOPTIONS; k++)
				if (strlen(options[k].name) == len && strncmp(options[k].name, a + 2, len) == 0)
					break;
			if (eq)
				val = eq + 1;
		} else if (a[0] == '-' && a[1] != '\0') {
			for (k = 0; k < NOPTIONS; k++)
				if (options[k].short_name == a[1])
					break;
			if (k < NOPTIONS && a[2] != '\0')
				val = a + 2;
		}
		if (k == NOPTIONS) {
			fprintf(stderr, "gen_coretweet: unknown argument '%s' (see --help)\n", a);
			return 2;
		}
		if (options[k].arg && val == NULL) {
			if (i + 1 >= argc) {
				fprintf(stderr, "gen_coretweet: --%s needs a value\n", options[k].name);
				return 2;
			}
			val = argv[++i];
		}
		switch (k) {
		case O_ROWS:
			if (parse_u64("rows", val, &o->rows))
				return 2;
			o->have_rows = 1;
			break;
		case O_VIRAL:
			if (parse_u64("viral", val, &o->viral))
				return 2;
			o->have_viral = 1;
			break;
		case O_SEED:
			if (parse_u64("seed", val, &o->seed))
				return 2;
			break;
		case O_SCALE:
			o->scale = 1;
			break;
		case O_OUTPUT:
			o->out = val;
			break;
		case O_HELP:
			usage(stdout);
			return 1;
		}
	}
	if (!o->have_rows || o->out == NULL) {
		fprintf(stderr, "gen_coretweet: -n ROWS and -o FILE are required (see --help)\n");
		return 2;
	}
	if (!o->have_viral)
		o->viral = o->rows / 20 * 3; /* 15% */
	if (o->viral > o->rows) {
		fprintf(stderr, "gen_coretweet: --viral %" PRIu64 " exceeds --rows %" PRIu64 "\n", o->viral,
		        o->rows);
		return 2;
	}
	return 0;
}

static char *put_u64(char *p, uint64_t v)
{
	char tmp[24];
	size_t k = sizeof tmp;
	do {
		tmp[--k] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	memcpy(p, tmp + k, sizeof tmp - k);
	return p + (sizeof tmp - k);
}

int main(int argc, char **argv)
{
	opts_t o;
	int pr = parse_args(argc, argv, &o);
	if (pr)
		return pr == 1 ? 0 : 2;

	const uint64_t n = o.rows;
	const uint64_t naccounts = n / 10 > 1000 ? n / 10 : 1000;
	/* --scale: S periods of 30 days, each with its own n / (8 S) objects
	 * (the 1M model's popularity curve in every period) */
	const uint64_t periods = o.scale && n / 1000000 > 1 ? n / 1000000 : 1;
	const uint64_t per_period = (n / 8 > 100 ? n / 8 : 100) / periods;
	const uint64_t nobjects = per_period * periods;
	const uint64_t span = (uint64_t)SPAN_DAYS * 86400;
	const uint64_t key_obj = ls_synth_mix(o.seed, 0x6f626a656374ull);
	const uint64_t key_acc = ls_synth_mix(o.seed, 0x6163636f756e74ull);
	const uint64_t key_time = ls_synth_mix(o.seed, 0x74696d65ull);
	/* The viral object: an id outside the ordinary ranks' images (ranks
	 * map through a bijection, so rank `nobjects` is unused). */
	const uint64_t viral_id = ls_synth_mix(key_obj, nobjects);
	const int64_t viral_t0 = T0 + 10 * 86400 + 14 * 3600;

	ls_synth_rng_t rng;
	ls_synth_rng_seed(&rng, o.seed);
	ls_synth_zipf_t zobj, zacc;
	ls_synth_zipf_init(&zobj, per_period, 0.8);
	ls_synth_zipf_init(&zacc, naccounts, 0.6);

	ls_ctx_t *ctx = ls_ctx_new();
	if (ctx == NULL) {
		fprintf(stderr, "gen_coretweet: out of memory\n");
		return 1;
	}
	ls_afile_t af;
	if (ls_afile_open(&af, o.out, ctx)) {
		fprintf(stderr, "gen_coretweet: %s\n", ls_ctx_message(ctx));
		ls_ctx_free(ctx);
		return 1;
	}
	static const char header[] = "object_id,account_id,content_id,timestamp_share\n";
	fwrite(header, 1, sizeof header - 1, af.f);

	enum { BUF = 1 << 20 };
	char *buf = malloc(BUF);
	if (buf == NULL) {
		ls_afile_abort(&af);
		ls_ctx_free(ctx);
		fprintf(stderr, "gen_coretweet: out of memory\n");
		return 1;
	}
	char *p = buf;
	uint64_t viral_left = o.viral;
	for (uint64_t i = 0; i < n; i++) {
		uint64_t object, account;
		int64_t t;
		/* Selection sampling: exactly K viral rows, uniformly placed. */
		if (viral_left > 0 && ls_synth_rng_below(&rng, n - i) < viral_left) {
			viral_left--;
			object = viral_id;
			account = ls_synth_mix(key_acc, ls_synth_rng_below(&rng, naccounts));
			double lag = ls_synth_rng_lognormal(&rng, log(1200.0), 1.0);
			t = viral_t0 + (int64_t)(lag < 1 ? 1 : lag > 6 * 3600.0 ? 6 * 3600.0 : lag);
		} else {
			uint64_t period = periods > 1 ? ls_synth_rng_below(&rng, periods) : 0;
			uint64_t rank = period * per_period + ls_synth_zipf_draw(&zobj, &rng);
			object = ls_synth_mix(key_obj, rank);
			account = ls_synth_mix(key_acc, ls_synth_zipf_draw(&zacc, &rng));
			double lag = ls_synth_rng_lognormal(&rng, log(1800.0), 1.8);
			t = T0 + (int64_t)(period * span + ls_synth_mix(key_time, rank) % span) +
			    (int64_t)(lag < 1 ? 1 : lag > 7 * 86400.0 ? 7 * 86400.0 : lag);
		}
		uint64_t content = UINT64_C(1765000000000000000) + i * 8 + (ls_synth_mix(key_time, i) & 7);
		p = put_u64(p, object);
		*p++ = ',';
		p = put_u64(p, account);
		*p++ = ',';
		p = put_u64(p, content);
		*p++ = ',';
		p = put_u64(p, (uint64_t)t);
		*p++ = '\n';
		if ((size_t)(p - buf) > BUF - 128) {
			fwrite(buf, 1, (size_t)(p - buf), af.f);
			p = buf;
		}
	}
	fwrite(buf, 1, (size_t)(p - buf), af.f);
	free(buf);
	int rc = 0;
	if (ls_afile_commit(&af, ctx)) {
		fprintf(stderr, "gen_coretweet: %s\n", ls_ctx_message(ctx));
		rc = 1;
	} else {
		fprintf(stderr,
		        "gen_coretweet: wrote %s: %" PRIu64 " rows, %" PRIu64 " accounts, %" PRIu64
		        " objects, %" PRIu64 " period(s) of %d days, viral object %" PRIu64
		        " with %" PRIu64 " rows\n",
		        o.out, n, naccounts, nobjects, periods, SPAN_DAYS, viral_id, o.viral);
	}
	ls_ctx_free(ctx);
	return rc;
}
