/*
 * bench_link FILE [--format F] [--window W] [--threads N] [--link-only]: reads
 * FILE, then runs the link, score and cluster stages one after another (only
 * link with --link-only) and prints, per stage, wall and CPU seconds (all
 * threads), and for the whole analysis the within-window pairs (co-action
 * opportunities, same-account pairs included) per second of link wall
 * time, nanoseconds per trace, and bytes per post: peak RSS growth over
 * the analysis (from after reading) and peak RSS of the process, each
 * divided by the posts. The last line is
 * one summary row: "link FILE: ...".
 */
#include "core/analysis.h"
#include "core/ctx.h"
#include "extract/derived.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

/* Seconds on clock `id`: CLOCK_MONOTONIC for wall time,
 * CLOCK_PROCESS_CPUTIME_ID for the CPU time of all threads. */
static double seconds(clockid_t id)
{
	struct timespec ts;
	clock_gettime(id, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}
#define now() seconds(CLOCK_MONOTONIC)
#define cpu() seconds(CLOCK_PROCESS_CPUTIME_ID)

/* Resident set size now and its peak, from /proc/self/status (MB). */
static void rss(double *cur, double *peak)
{
	*cur = *peak = 0;
	FILE *f = fopen("/proc/self/status", "r");
	if (f == NULL)
		return;
	char line[256];
	while (fgets(line, sizeof line, f)) {
		if (strncmp(line, "VmRSS:", 6) == 0)
			*cur = atof(line + 6) / 1024.0;
		else if (strncmp(line, "VmHWM:", 6) == 0)
			*peak = atof(line + 6) / 1024.0;
	}
	fclose(f);
}

/* Resets the peak RSS (VmHWM) to the current RSS; 0 when it worked. */
static int reset_peak(void)
{
	FILE *f = fopen("/proc/self/clear_refs", "w");
	if (f == NULL)
		return -1;
	int ok = fputs("5", f) >= 0;
	return fclose(f) == 0 && ok ? 0 : -1;
}

typedef struct stage {
	const char *name;
	double wall, cpu;
} stage_t;

int main(int argc, char **argv)
{
	const char *path = NULL, *format = NULL;
	long window = 60, threads = 0;
	int stages = 4;
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--format") == 0 && i + 1 < argc)
			format = argv[++i];
		else if (strcmp(argv[i], "--window") == 0 && i + 1 < argc)
			window = atol(argv[++i]);
		else if (strcmp(argv[i], "--threads") == 0 && i + 1 < argc)
			threads = atol(argv[++i]);
		else if (strcmp(argv[i], "--link-only") == 0)
			stages = 1;
		else if (argv[i][0] != '-' && path == NULL)
			path = argv[i];
		else {
			fprintf(stderr, "usage: %s FILE [--format F] [--window W] [--threads N] [--link-only]\n",
			        argv[0]);
			return 2;
		}
	}
	if (path == NULL) {
		fprintf(stderr, "usage: %s FILE [--format F] [--window W] [--threads N] [--link-only]\n", argv[0]);
		return 2;
	}
	ls_ctx_t *ctx = ls_ctx_new();
	if (ctx == NULL)
		return 1;
	ls_ctx_set_threads(ctx, (int)threads);
	ls_params_t params;
	ls_params_init(&params);
	params.window = window;
	ls_read_options_t ropt;
	ls_read_options_init(&ropt);
	ropt.extract_behaviours = params.behaviours;
	ls_dataset_t *ds = NULL;
	double t0 = now(), c0 = cpu();
	ls_error_t err = ls_dataset_new(&ds, &ropt, ctx);
	if (!err)
		err = ls_dataset_read(ds, path, format, ctx);
	if (!err)
		err = ls_dataset_derive(ds, params.behaviours, ctx);
	double read_wall = now() - t0, read_cpu = cpu() - c0, rss0, peak0;
	rss(&rss0, &peak0);
	int peak_reset = reset_peak() == 0;
	ls_analysis_t *an = calloc(1, sizeof *an);
	if (!err && an == NULL)
		err = LS_ENOMEM;
	stage_t st[4] = {{"link", 0, 0}, {"score", 0, 0}, {"cluster", 0, 0}, {"score clusters", 0, 0}};
	if (!err) {
		an->ds = ds;
		an->params = params;
		an->lean_first = 1; /* as ls_analysis_run without --all-links: a stream */
		an->lean_min_bytes = LS_LEAN_MIN_BYTES;
		ls_error_t (*fn[4])(ls_analysis_t *, ls_ctx_t *) = {ls_link_run, ls_score_run,
		                                                      ls_cluster_run, ls_score_clusters};
		for (int s = 0; s < stages && !err; s++) {
			double w = now(), c = cpu();
			err = fn[s](an, ctx);
			st[s].wall = now() - w;
			st[s].cpu = cpu() - c;
		}
	}
	if (err) {
		fprintf(stderr, "bench_link: %s\n", ls_ctx_message(ctx));
		return 1;
	}
	double rss1, peak1;
	rss(&rss1, &peak1);
	size_t posts = ds->posts.n, traces = 0;
	for (uint32_t b = 0; b < LS_MAX_BEHAVIOURS; b++)
		if (params.behaviours >> b & 1)
			traces += ds->traces[b].n;
	double slots = 0;
	for (uint32_t b = 0; b < LS_MAX_BEHAVIOURS; b++)
		for (int h = 0; h < 24; h++)
			for (int d = 0; d < 24; d++)
				slots += an->slot_pairs[b][h][d];
	double wall = 0, cpus = 0;
	printf("file            %s\n", path);
	printf("threads         %d\n", ls_ctx_threads(ctx));
	printf("posts           %zu\n", posts);
	printf("traces          %zu\n", traces);
	printf("pairs in window %.0f (co-actions of two accounts: %llu, skipped in bursts: %llu)\n",
	       slots, (unsigned long long)an->coactions, (unsigned long long)an->burst_skipped);
	printf("links           %zu (%s; %zu of %zu bytes each kept in full)\n", an->links_total,
	       an->lean_first ? "streamed to the score stage, none held" : "all built in full",
	       an->links.n, sizeof(ls_link_t));
	printf("pairs           %zu between flagged accounts (records built)\n", an->pairs.n);
	printf("read            %.3f s wall, %.3f s CPU\n", read_wall, read_cpu);
	for (int s = 0; s < 4; s++) {
		printf("%-15s %.3f s wall, %.3f s CPU\n", st[s].name, st[s].wall, st[s].cpu);
		wall += st[s].wall;
		cpus += st[s].cpu;
	}
	printf("analysis        %.3f s wall, %.3f s CPU, %.1f ns/trace wall\n", wall, cpus,
	       wall * 1e9 / (double)(traces ? traces : 1));
	printf("pairs/s         %.3g (within-window pairs per second of link wall time)\n",
	       slots / (st[0].wall > 0 ? st[0].wall : 1e-9));
	printf("RSS MB          %.1f after reading, %.1f after analysis\n", rss0, rss1);
	printf("peak RSS MB     %.1f reading, %.1f analysis%s\n", peak0, peak1,
	       peak_reset ? "" : " (process peak)");
	ls_dataset_memory_t dm;
	double dpp = (double)(posts ? posts : 1), dtot = (double)ls_dataset_memory(ds, &dm);
	printf("dataset B/post  %.1f: rows %.1f, traces %.1f, strings %.1f, accounts %.1f, labels %.1f, "
	       "texts %.1f, ads %.1f (index %.1f and duplicate ids %.1f dropped)\n",
	       dtot / dpp, (double)dm.rows / dpp, (double)dm.traces / dpp, (double)dm.strings / dpp,
	       (double)dm.accounts / dpp, (double)dm.labels / dpp, (double)dm.texts / dpp,
	       (double)dm.ads / dpp, (double)dm.index / dpp, (double)dm.post_ids / dpp);
	printf("bytes/post      %.1f after reading; analysis peak %.1f, of which links %.1f\n",
	       rss0 * 1048576.0 / (double)(posts ? posts : 1),
	       peak1 * 1048576.0 / (double)(posts ? posts : 1),
	       ((double)an->links.n * (double)sizeof(ls_link_t)) /
	           (double)(posts ? posts : 1));
	printf("link %s: %.3f s analysis wall (%.1f ns/trace), %.3g pairs/s, peak %.0f B/post\n",
	       path, wall, wall * 1e9 / (double)(traces ? traces : 1),
	       slots / (st[0].wall > 0 ? st[0].wall : 1e-9),
	       (peak0 > peak1 ? peak0 : peak1) * 1048576.0 / (double)(posts ? posts : 1));
	ls_analysis_free(an);
	ls_dataset_free(ds);
	ls_ctx_free(ctx);
	return 0;
}
