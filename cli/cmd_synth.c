/*
 * lockstep synth: writes a synthetic scenario (posts.csv + truth.csv) with
 * planted coordinated operations; see src/synth/synth.c for the model.
 *
 * After ls_synth_write the command reads truth.csv back (one line per
 * account) and counts the records of posts.csv (one quote-aware pass) to
 * print a one-line summary, so it relies on nothing but the public API.
 * Cost: the generation itself plus one sequential read of the output.
 */
#include "cli.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const cli_opt_t opts[] = {
	{"output", 'o', "DIR", "write DIR/posts.csv and DIR/truth.csv (DIR is created if missing)"},
	{"seed", 0, "N", "random seed (default 1); the same seed writes the same files"},
	{"size", 0, "SIZE", "small (~2k accounts, ~60k posts; default), medium (~20k, ~600k), large (~200k, ~6M)"},
	{"campaigns", 0, "N", "planted operations, styles cycling ring, copypaste, linkpush, hashtag (default 4; 0 = none)"},
	{"help", 'h', NULL, "show this help and exit"},
};
enum { O_OUTPUT, O_SEED, O_SIZE, O_CAMPAIGNS, O_HELP };
#define NOPTS (sizeof opts / sizeof opts[0])

static const char description[] =
	"Writes a synthetic two-week scenario: organic accounts (day/night cycle, heavy-tailed\n"
	"activity, retweet cascades, viral posts, replies, shared links and hashtags) and planted\n"
	"operations (retweet rings, copy-paste, link pushing, hashtag bursts). posts.csv uses the\n"
	"coordination-network-toolkit columns; truth.csv lists every account that posted as\n"
	"account,label,category (1 and the campaign name for planted accounts, 0 and organic\n"
	"otherwise). The output is deterministic for a seed.";

typedef struct category {
	char name[64];
	uint64_t count;
} category_t;

typedef struct summary {
	uint64_t posts, accounts, planted;
	category_t *cats;
	size_t ncats, capcats;
} summary_t;

/* Counts CSV records after the header: newlines outside quotes. */
static int count_records(const char *path, uint64_t *out)
{
	FILE *f = fopen(path, "rb");
	if (f == NULL)
		return -1;
	size_t cap = 1 << 16;
	char *buf = malloc(cap);
	if (buf == NULL) {
		fclose(f);
		return -1;
	}
	uint64_t lines = 0;
	int quoted = 0, last = '\n';
	size_t n;
	while ((n = fread(buf, 1, cap, f)) > 0) {
		for (size_t i = 0; i < n; i++) { /* branch-free: "" toggles twice */
			quoted ^= buf[i] == '"';
			lines += (uint64_t)((buf[i] == '\n') & !quoted);
		}
		last = (unsigned char)buf[n - 1];
	}
	int bad = ferror(f);
	fclose(f);
	free(buf);
	if (bad)
		return -1;
	if (last != '\n')
		lines++;
	*out = lines > 0 ? lines - 1 : 0;
	return 0;
}

static int add_category(summary_t *s, const char *name)
{
	for (size_t i = 0; i < s->ncats; i++)
		if (strcmp(s->cats[i].name, name) == 0) {
			s->cats[i].count++;
			return 0;
		}
	if (s->ncats == s->capcats) {
		size_t c = s->capcats ? 2 * s->capcats : 8;
		category_t *p = realloc(s->cats, c * sizeof *p);
		if (p == NULL)
			return -1;
		s->cats = p;
		s->capcats = c;
	}
	snprintf(s->cats[s->ncats].name, sizeof s->cats[s->ncats].name, "%s", name);
	s->cats[s->ncats++].count = 1;
	return 0;
}

/* Reads truth.csv: accounts, planted accounts, and planted per category in
 * order of first appearance. */
static int read_truth(const char *path, summary_t *s)
{
	FILE *f = fopen(path, "rb");
	if (f == NULL)
		return -1;
	char line[256];
	int rc = 0, first = 1;
	while (fgets(line, sizeof line, f)) {
		if (first) { /* header */
			first = 0;
			continue;
		}
		line[strcspn(line, "\r\n")] = '\0';
		char *c1 = strchr(line, ',');
		char *c2 = c1 ? strchr(c1 + 1, ',') : NULL;
		if (c2 == NULL)
			continue;
		s->accounts++;
		if (c1[1] == '1') {
			s->planted++;
			if (add_category(s, c2 + 1)) {
				rc = -1;
				break;
			}
		}
	}
	if (ferror(f))
		rc = -1;
	fclose(f);
	return rc;
}

/* Campaign names end in their 1-based number; list them in that order. */
static int cmp_category(const void *a, const void *b)
{
	const char *x = strrchr(((const category_t *)a)->name, '_');
	const char *y = strrchr(((const category_t *)b)->name, '_');
	long nx = x ? strtol(x + 1, NULL, 10) : 0, ny = y ? strtol(y + 1, NULL, 10) : 0;
	return (nx > ny) - (nx < ny);
}

static int print_summary(const char *dir, const ls_synth_options_t *o, const char *size_name)
{
	summary_t s;
	memset(&s, 0, sizeof s);
	size_t n = strlen(dir);
	char *posts = malloc(n + 16), *truth = malloc(n + 16);
	int rc = -1;
	if (posts == NULL || truth == NULL)
		goto done;
	const char *sep = n > 0 && dir[n - 1] == '/' ? "" : "/";
	snprintf(posts, n + 16, "%s%sposts.csv", dir, sep);
	snprintf(truth, n + 16, "%s%struth.csv", dir, sep);
	if (count_records(posts, &s.posts) || read_truth(truth, &s))
		goto done;
	if (s.ncats > 1)
		qsort(s.cats, s.ncats, sizeof *s.cats, cmp_category);
	fprintf(stderr,
	        "lockstep synth: wrote %s (%" PRIu64 " posts, %" PRIu64 " accounts) and %s "
	        "(%" PRIu64 " planted in %zu campaigns%s",
	        posts, s.posts, s.accounts, truth, s.planted, s.ncats, s.ncats ? ":" : "");
	size_t show = s.ncats <= 12 ? s.ncats : 10;
	for (size_t i = 0; i < show; i++)
		fprintf(stderr, "%s %s=%" PRIu64, i ? "," : "", s.cats[i].name, s.cats[i].count);
	if (show < s.ncats)
		fprintf(stderr, ", ... %zu more", s.ncats - show);
	fprintf(stderr, "); seed %" PRIu64 ", size %s\n", o->seed, size_name);
	rc = 0;
done:
	free(posts);
	free(truth);
	free(s.cats);
	return rc;
}

int cmd_synth(int argc, char **argv)
{
	static const char *const size_names[] = {"small", "medium", "large"};
	ls_synth_options_t o;
	ls_synth_options_init(&o);
	const char *dir = NULL;
	cli_parser_t p;
	cli_parser_init(&p, "synth", argc, argv, opts, NOPTS, NULL, 0);
	const char *arg;
	int k;
	while ((k = cli_next(&p, &arg)) >= 0) {
		switch (k) {
		case O_OUTPUT:
			dir = arg;
			break;
		case O_SEED:
			if (cli_parse_u64("seed", arg, &o.seed))
				return LS_EXIT_USAGE;
			break;
		case O_SIZE: {
			size_t i;
			for (i = 0; i < 3; i++)
				if (strcmp(arg, size_names[i]) == 0)
					break;
			if (i == 3) {
				fprintf(stderr, "lockstep synth: --size: '%s' is not small, medium or large\n", arg);
				return LS_EXIT_USAGE;
			}
			o.size = (ls_synth_size_t)i;
			break;
		}
		case O_CAMPAIGNS: {
			int64_t v;
			if (cli_parse_i64("campaigns", arg, 0, 10000, &v))
				return LS_EXIT_USAGE;
			o.campaigns = (int)v;
			break;
		}
		case O_HELP:
			cli_help(stdout, "synth", "-o DIR [options]", description, opts, NOPTS);
			return LS_EXIT_OK;
		}
	}
	if (k == -2)
		return LS_EXIT_USAGE;
	if (dir == NULL) {
		fprintf(stderr, "lockstep synth: an output directory is needed: -o DIR (see --help)\n");
		return LS_EXIT_USAGE;
	}
	ls_ctx_t *ctx = ls_ctx_new();
	if (ctx == NULL) {
		fprintf(stderr, "lockstep synth: out of memory\n");
		return LS_EXIT_FAIL;
	}
	int rc = LS_EXIT_OK;
	ls_error_t err = ls_synth_write(dir, &o, ctx);
	if (err) {
		rc = cli_report(ctx, err, "synth");
	} else if (print_summary(dir, &o, size_names[o.size])) {
		fprintf(stderr, "lockstep synth: wrote %s but could not read it back for the summary\n", dir);
		rc = LS_EXIT_FAIL;
	}
	ls_ctx_free(ctx);
	return rc;
}
