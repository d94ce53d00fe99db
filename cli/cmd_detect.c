/* lockstep detect: read posts, link, score, cluster, write the results. */
#include "cli.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

enum {
	O_OUT, O_FORMAT, O_COLUMNS, O_TIME_FORMAT, O_WINDOW, O_SINCE, O_UNTIL, O_BEHAVIOURS, O_FDR, O_MIN_WEIGHT, O_CLUSTER, O_RESOLUTION, O_SEED,
	O_MIN_CLUSTER, O_MAX_BURST, O_MIN_TEXT, O_JACCARD, O_FAST_RT, O_SYNC_BIN, O_SHIFT, O_ALL_LINKS, O_EMIT_PAIRS, O_MIN_PART, O_KEEP_LOOPS, O_SIGN, O_STRICT, O_THREADS, O_TEXT_MEM, O_QUIET, O_HELP
};

static const cli_opt_t opts[] = {
	[O_OUT] = {"output", 'o', "DIR", "write the results into DIR (required; created if missing)"},
	[O_FORMAT] = {"format", 'f', "NAME", "input format (default: detected from the header; see 'lockstep formats')"},
	[O_COLUMNS] = {"columns", 0, "LIST", "read any CSV by naming its columns: field=column,... (fields: id, account, handle, time, text, retweet_of, reply_to, quote_of, ref_account, retweet, urls, hashtags, mentions; see docs/FORMATS.md)"},
	[O_TIME_FORMAT] = {"time-format", 0, "FMT", "notation of CSV times: auto (default), unix, unix-ms, or a pattern such as '%d/%m/%Y %H:%M'"},
	[O_WINDOW] = {"window", 'w', "SECONDS", "co-action window: |dt| <= SECONDS, or 'auto' to choose it from the data (default 60)"},
	[O_SINCE] = {"since", 0, "TIME", "analyse only posts at or after TIME (YYYY-MM-DD or ISO 8601, UTC unless an offset is given)"},
	[O_UNTIL] = {"until", 0, "TIME", "analyse only posts before TIME (exclusive)"},
	[O_BEHAVIOURS] = {"behaviours", 'b', "LIST", "comma-separated behaviours to link on, or 'all' (default: all but synchrony; see 'lockstep formats')"},
	[O_FDR] = {"fdr", 0, "Q", "false discovery rate of the kept account pairs (Benjamini-Hochberg; default 0.05)"},
	[O_MIN_WEIGHT] = {"min-weight", 0, "N", "and keep only pairs that acted together in >= N distinct post pairs (default 2)"},
	[O_CLUSTER] = {"cluster", 0, "METHOD", "leiden (default) or components"},
	[O_RESOLUTION] = {"resolution", 0, "X", "Leiden modularity resolution (default 1)"},
	[O_SEED] = {"seed", 0, "N", "seed for every random choice: Leiden, placebo shifts, the near-duplicate hash (default 1)"},
	[O_MIN_CLUSTER] = {"min-cluster-size", 0, "N", "report clusters of at least N accounts (default 2)"},
	[O_MAX_BURST] = {"max-burst", 0, "N", "a share with more than N shares of its object in its window forms no co-actions (default 200; 0 = no limit)"},
	[O_MIN_TEXT] = {"min-text-length", 0, "N", "co-tweet ignores normalised texts shorter than N bytes (default 10)"},
	[O_JACCARD] = {"jaccard", 0, "X", "neardup: Jaccard similarity of the texts' 5-character shingles at which MinHash/LSH finds a pair (S-curve threshold; default 0.8)"},
	[O_FAST_RT] = {"fast-retweet", 0, "SECONDS", "fastretweet: retweets made at most SECONDS after the original, when it is in the data (default 10)"},
	[O_SYNC_BIN] = {"sync-bin", 0, "SECONDS", "synchrony: width of the time bins; accounts co-act when they post in the same bin (default 60)"},
	[O_SHIFT] = {"placebo-shift", 0, "DAYS", "placebo run: shift each account's timeline by its own random offset of up to DAYS days either way (seeded by --seed); should flag next to nothing"},
	[O_ALL_LINKS] = {"all-links", 0, NULL, "edges.csv lists every link, not only those of the kept account pairs"},
	[O_EMIT_PAIRS] = {"emit-pairs", 0, NULL, "also write OUT/pairs.csv: CooRTweet detect_groups() rows of the co-retweets"},
	[O_MIN_PART] = {"min-participation", 0, "M", "with --emit-pairs: CooRTweet's min_participation (default 2)"},
	[O_KEEP_LOOPS] = {"keep-loops", 0, NULL, "with --emit-pairs: CooRTweet's remove_loops = FALSE"},
	[O_SIGN] = {"sign", 0, "KEY", "sign manifest.json with this Ed25519 private key (PEM; see 'lockstep keygen')"},
	[O_STRICT] = {"strict", 0, NULL, "stop at the first malformed record (exit 3) instead of skipping it"},
	[O_THREADS] = {"threads", 'j', "N", "worker threads (default: one per CPU); outputs are identical for every N"},
	[O_TEXT_MEM] = {"text-memory", 0, "MB", "keep the posts' texts (281 bytes each at most) for the evidence excerpts while they fit in MB, so that the inputs need not be read again (default 512; 0: always re-read); outputs are the same"},
	[O_QUIET] = {"quiet", 'q', NULL, "print only errors"},
	[O_HELP] = {"help", 'h', NULL, "show this help"},
};
#define NOPTS (sizeof opts / sizeof opts[0])

static const char *description =
	"Reads posts from each INPUT (a file, '-' for standard input; .gz and .zst are\n"
	"decompressed), links accounts that act on the same object within the window\n"
	"(retweet the same post, post the same or nearly the same text, share the same\n"
	"URL, hashtag, hashtag sequence or mention, reply to the same post, retweet the\n"
	"same post within seconds of it; synchrony, posting in the same time bins, on\n"
	"request), tests every pair against a null model of\n"
	"chance co-activity, keeps the pairs significant at the false discovery rate,\n"
	"clusters them, and writes into DIR:\n"
	"  accounts.csv  clusters.csv  edges.csv  network.graphml  summary.json\n"
	"  network.gexf  evidence.json  report.html  manifest.json (manifest.sig)\n"
	"Each file is written to a temporary name and renamed, so an interrupted run\n"
	"never leaves a half-written file. Malformed records are reported with\n"
	"file:line, skipped and counted (see summary.json), unless --strict.";

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int parse_behaviours(const char *list, uint64_t *mask)
{
	*mask = 0;
	if (strcmp(list, "all") == 0) {
		for (const char *const *b = ls_behaviours(); *b; b++)
			*mask |= ls_behaviour_bit(*b);
		return 0;
	}
	const char *p = list;
	while (*p) {
		const char *c = strchr(p, ',');
		size_t n = c ? (size_t)(c - p) : strlen(p);
		char name[64];
		if (n == 0 || n >= sizeof name)
			goto bad;
		memcpy(name, p, n);
		name[n] = '\0';
		uint64_t bit = ls_behaviour_bit(name);
		if (!bit) {
			fprintf(stderr, "lockstep: --behaviours: unknown behaviour '%s' (known:", name);
			for (const char *const *b = ls_behaviours(); *b; b++)
				fprintf(stderr, " %s", *b);
			fprintf(stderr, ")\n");
			return -1;
		}
		*mask |= bit;
		p += n;
		if (*p == ',')
			p++;
	}
	if (*mask)
		return 0;
bad:
	fprintf(stderr, "lockstep: --behaviours: '%s' is not a comma-separated list of behaviours\n", list);
	return -1;
}

int cmd_detect(int argc, char **argv)
{
	char *inputs[256];
	cli_parser_t ps;
	cli_parser_init(&ps, "detect", argc, argv, opts, NOPTS, inputs, 256);
	ls_params_t params;
	ls_params_init(&params);
	ls_read_options_t ropt;
	ls_read_options_init(&ropt);
	ls_write_options_t wopt;
	ls_write_options_init(&wopt);
	const char *out = NULL, *format = NULL;
	int strict = 0, quiet = 0;
	int64_t threads = 0;
	size_t text_memory = (size_t)512 << 20;
	int64_t min_part = 2;
	int k;
	const char *arg;
	while ((k = cli_next(&ps, &arg)) >= 0) {
		int64_t v;
		uint64_t u;
		switch (k) {
		case O_OUT: out = arg; break;
		case O_FORMAT:
			if (ls_format_description(arg) == NULL) {
				fprintf(stderr, "lockstep: --format: unknown format '%s' (see 'lockstep formats')\n", arg);
				return LS_EXIT_USAGE;
			}
			format = arg;
			break;
		case O_COLUMNS: ropt.columns = arg; break;
		case O_TIME_FORMAT: ropt.time_format = arg; break;
		case O_WINDOW:
			if (strcmp(arg, "auto") == 0) {
				params.window_auto = 1;
				break;
			}
			if (cli_parse_i64("window", arg, 0, INT64_C(315360000), &v))
				return LS_EXIT_USAGE;
			params.window = v;
			params.window_auto = 0;
			break;
		case O_SINCE:
		case O_UNTIL: {
			int64_t t;
			if (ls_parse_time(arg, &t) != LS_OK) {
				fprintf(stderr, "lockstep: --%s: '%s' is not a date or time (YYYY-MM-DD or ISO 8601)\n",
				        opts[k].name, arg);
				return LS_EXIT_USAGE;
			}
			if (k == O_SINCE) {
				params.has_since = 1;
				params.since = t;
			} else {
				params.has_until = 1;
				params.until = t;
			}
			break;
		}
		case O_BEHAVIOURS:
			if (parse_behaviours(arg, &params.behaviours))
				return LS_EXIT_USAGE;
			break;
		case O_FDR:
			if (cli_parse_double("fdr", arg, &params.fdr))
				return LS_EXIT_USAGE;
			if (!(params.fdr > 0 && params.fdr < 1)) {
				fprintf(stderr, "lockstep: --fdr: must be between 0 and 1 (exclusive)\n");
				return LS_EXIT_USAGE;
			}
			break;
		case O_MIN_WEIGHT:
			if (cli_parse_i64("min-weight", arg, 1, UINT32_MAX, &v))
				return LS_EXIT_USAGE;
			params.min_weight = (uint32_t)v;
			break;
		case O_CLUSTER:
			if (strcmp(arg, "leiden") == 0)
				params.cluster = LS_CLUSTER_LEIDEN;
			else if (strcmp(arg, "components") == 0)
				params.cluster = LS_CLUSTER_COMPONENTS;
			else {
				fprintf(stderr, "lockstep: --cluster: '%s' is not leiden or components\n", arg);
				return LS_EXIT_USAGE;
			}
			break;
		case O_RESOLUTION:
			if (cli_parse_double("resolution", arg, &params.resolution))
				return LS_EXIT_USAGE;
			if (!(params.resolution > 0)) {
				fprintf(stderr, "lockstep: --resolution: must be positive\n");
				return LS_EXIT_USAGE;
			}
			break;
		case O_SEED:
			if (cli_parse_u64("seed", arg, &u))
				return LS_EXIT_USAGE;
			params.seed = u;
			break;
		case O_MIN_CLUSTER:
			if (cli_parse_i64("min-cluster-size", arg, 1, UINT32_MAX, &v))
				return LS_EXIT_USAGE;
			params.min_cluster_size = (uint32_t)v;
			break;
		case O_MAX_BURST:
			if (cli_parse_i64("max-burst", arg, 0, UINT32_MAX, &v))
				return LS_EXIT_USAGE;
			params.max_burst = (uint32_t)v;
			break;
		case O_MIN_TEXT:
			if (cli_parse_i64("min-text-length", arg, 0, 1 << 20, &v))
				return LS_EXIT_USAGE;
			ropt.min_text_length = (size_t)v;
			break;
		case O_JACCARD:
			if (cli_parse_double("jaccard", arg, &ropt.neardup_jaccard))
				return LS_EXIT_USAGE;
			if (!(ropt.neardup_jaccard > 0 && ropt.neardup_jaccard < 1)) {
				fprintf(stderr, "lockstep: --jaccard: must be between 0 and 1 (exclusive)\n");
				return LS_EXIT_USAGE;
			}
			break;
		case O_FAST_RT:
			if (cli_parse_i64("fast-retweet", arg, 0, INT64_C(315360000), &v))
				return LS_EXIT_USAGE;
			ropt.fast_retweet = v;
			break;
		case O_SYNC_BIN:
			if (cli_parse_i64("sync-bin", arg, 1, INT64_C(315360000), &v))
				return LS_EXIT_USAGE;
			ropt.sync_bin = v;
			break;
		case O_SHIFT:
			if (cli_parse_i64("placebo-shift", arg, 0, 36500, &v))
				return LS_EXIT_USAGE;
			params.placebo_days = (uint32_t)v;
			break;
		case O_ALL_LINKS: params.all_links = 1; break;
		case O_EMIT_PAIRS: params.emit_pairs = 1; break;
		case O_MIN_PART:
			if (cli_parse_i64("min-participation", arg, 1, UINT32_MAX, &min_part))
				return LS_EXIT_USAGE;
			params.min_participation = (uint32_t)min_part;
			break;
		case O_KEEP_LOOPS: params.keep_loops = 1; break;
		case O_SIGN: wopt.sign_key = arg; break;
		case O_STRICT: strict = 1; break;
		case O_THREADS:
			if (cli_parse_i64("threads", arg, 1, 256, &threads))
				return LS_EXIT_USAGE;
			break;
		case O_TEXT_MEM:
			if (cli_parse_i64("text-memory", arg, 0, INT64_C(4096), &v))
				return LS_EXIT_USAGE;
			text_memory = (size_t)v << 20;
			break;
		case O_QUIET: quiet = 1; break;
		case O_HELP:
			cli_help(stdout, "detect", "-o DIR [options] INPUT...", description, opts, NOPTS);
			return LS_EXIT_OK;
		}
	}
	if (k == -2)
		return LS_EXIT_USAGE;
	if (out == NULL || ps.npos == 0) {
		fprintf(stderr, "lockstep detect: %s (see 'lockstep detect --help')\n",
		        out == NULL ? "-o DIR is required" : "no INPUT given");
		return LS_EXIT_USAGE;
	}

	int rc = LS_EXIT_OK;
	ls_ctx_t *ctx = ls_ctx_new();
	ls_dataset_t *ds = NULL;
	ls_analysis_t *an = NULL;
	if (ctx == NULL) {
		fprintf(stderr, "lockstep: out of memory\n");
		return LS_EXIT_FAIL;
	}
	cli_diag_t diag = {0, 20, quiet, !quiet};
	ls_ctx_set_diag(ctx, cli_diag_sink, &diag);
	ls_ctx_set_strict(ctx, strict);
	ls_ctx_set_threads(ctx, (int)threads);
	double t0 = now();
	ropt.extract_behaviours = params.behaviours; /* extract only what will be linked */
	ropt.neardup_seed = params.seed;           /* --seed drives the near-duplicate hash too */
	ls_error_t err = ls_dataset_new(&ds, &ropt, ctx);
	if (!err)
		ls_dataset_set_text_memory(ds, text_memory);
	for (int i = 0; !err && i < ps.npos; i++) {
		double ti = now();
		err = ls_dataset_read(ds, inputs[i], format, ctx);
		if (err) {
			rc = cli_report(ctx, err, inputs[i]);
			goto done;
		}
		ls_input_info_t info;
		ls_dataset_input(ds, ls_dataset_input_count(ds) - 1, &info);
		if (!quiet)
			fprintf(stderr, "lockstep: %s (%s): %" PRIu64 " posts read, %" PRIu64
			                " skipped, %.2f s\n",
			        inputs[i], info.format, info.records_read, info.records_skipped, now() - ti);
	}
	if (err) {
		rc = cli_report(ctx, err, "detect");
		goto done;
	}
	if (params.placebo_days && !quiet)
		fprintf(stderr, "lockstep: placebo: every account's timeline shifted by up to %u days\n",
		        params.placebo_days);
	double ta = now();
	err = ls_analysis_run(&an, ds, &params, ctx);
	if (err) {
		rc = cli_report(ctx, err, "analysis");
		goto done;
	}
	err = ls_analysis_write_with(an, out, &wopt, ctx);
	if (err) {
		rc = cli_report(ctx, err, "writing results");
		goto done;
	}
	ls_analysis_counts_t c;
	ls_analysis_counts(an, &c);
	if (!quiet) {
		fprintf(stderr, "lockstep: linked in %.2f s; total %.2f s\n", now() - ta, now() - t0);
		uint64_t skipped = 0;
		for (size_t i = 0; i < ls_dataset_input_count(ds); i++) {
			ls_input_info_t info;
			ls_dataset_input(ds, i, &info);
			skipped += info.records_skipped;
		}
		printf("posts: %zu read, %" PRIu64 " skipped; accounts: %zu\n", ls_dataset_post_count(ds),
		       skipped, ls_dataset_account_count(ds));
		if (params.window_auto)
			printf("window chosen from the data: %lld s\n", (long long)c.window);
		printf("co-actions: %" PRIu64 "; links: %" PRIu64 "; account pairs kept: %" PRIu64 "\n",
		       c.coactions, c.links, c.kept_links);
		if (c.burst_skipped)
			printf("co-actions skipped in bursts (more than %u shares of one object in a window): %" PRIu64 "\n",
			       params.max_burst, c.burst_skipped);
		printf("clusters: %" PRIu64 " with %" PRIu64 " accounts\n", c.clusters, c.accounts_clustered);
		ls_ad_totals_t at;
		ls_dataset_ad_totals(ds, &at);
		if (at.ads > 0) {
			printf("ads: %" PRIu64 " (%" PRIu64 " unattributed: no advertiser in the landing URL); spend:",
			       at.ads, at.unattributed);
			for (size_t i = 0; i < at.n_currencies; i++)
				printf("%s %s %" PRId64 ".%02d", i ? "," : "",
				       at.currency[i].code[0] ? at.currency[i].code : "unknown",
				       at.currency[i].cents / 100, (int)(at.currency[i].cents % 100));
			printf("; impressions: %" PRIu64 "; clicks: %" PRIu64 "\n", at.impressions, at.clicks);
		}
		/* crossplatform.json is written when the run mixes ads and posts */
		char cp[4096];
		snprintf(cp, sizeof cp, "%s/crossplatform.json", out);
		int has_cp = at.ads && access(cp, F_OK) == 0;
		printf("results: %s/{%s%saccounts.csv,clusters.csv,edges.csv,network.graphml,network.gexf,"
		       "summary.json,evidence.json,report.html,manifest.json%s%s}\n",
		       out, at.ads ? "ads.json," : "", has_cp ? "crossplatform.json," : "",
		       params.emit_pairs ? ",pairs.csv" : "", wopt.sign_key ? ",manifest.sig" : "");
	}
done:
	ls_analysis_free(an);
	ls_dataset_free(ds);
	ls_ctx_free(ctx);
	return rc;
}
