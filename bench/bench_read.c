/*
 * bench_read [--extract] [--threads N] FILE [FORMAT]: reads FILE through the
 * read stage (ls_reader_*) and prints records read/skipped, stored and decompressed MB, wall time,
 * throughput (decompressed MB/s) and peak RSS. Touches every post's strings
 * so the work cannot be optimised away.
 *
 * Two throughputs: wall (what a run sees: decompression, parsing and the
 * SHA-256 of the stored bytes, which runs on a second thread) and per core
 * of the reading thread (its own CPU time: decompression, records, JSON
 * or CSV parsing, mapping, entities; without the hashing thread). The last
 * line is one summary row: "reader FORMAT: X MB/s wall, Y MB/s/core".
 *
 * With --extract it reads FILE into a dataset instead (ls_dataset_read: the
 * reader plus the extraction of the behaviours `lockstep detect` extracts
 * by default, every one but synchrony, with the same read options: what
 * detect prints as "posts read ..., S s") and prints wall time, process CPU time
 * (all threads and the reading thread's own), traces and peak RSS; --threads
 * sets ls_ctx_set_threads (default: one per online CPU).
 */
#include "core/dataset.h"
#include "read/reader.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

static double thread_cpu(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static double process_cpu(void)
{
	struct rusage ru;
	getrusage(RUSAGE_SELF, &ru);
	return (double)ru.ru_utime.tv_sec + (double)ru.ru_utime.tv_usec * 1e-6 +
	       (double)ru.ru_stime.tv_sec + (double)ru.ru_stime.tv_usec * 1e-6;
}

static int bench_extract(const char *path, const char *format, ls_ctx_t *ctx)
{
	ls_dataset_t *ds = NULL;
	ls_params_t params;
	ls_read_options_t ropt;
	ls_params_init(&params);
	ls_read_options_init(&ropt);
	ropt.extract_behaviours = params.behaviours; /* as cli/cmd_detect.c */
	ropt.neardup_seed = params.seed;
	double t0 = now(), c0 = process_cpu(), m0 = thread_cpu();
	ls_error_t err = ls_dataset_new(&ds, &ropt, ctx);
	if (err == LS_OK)
		err = ls_dataset_read(ds, path, format, ctx);
	double secs = now() - t0, cpu = process_cpu() - c0, mine = thread_cpu() - m0;
	if (err != LS_OK) {
		fprintf(stderr, "bench_read: %s\n", ls_ctx_message(ctx));
		ls_dataset_free(ds);
		return 1;
	}
	size_t traces = 0;
	for (size_t b = 0; b < LS_MAX_BEHAVIOURS; b++)
		traces += ds->traces[b].n;
	struct rusage ru;
	getrusage(RUSAGE_SELF, &ru);
	printf("file          %s\n", path);
	printf("posts         %zu\n", ds->posts.n);
	printf("accounts      %zu\n", ds->accounts.n);
	printf("traces        %zu\n", traces);
	printf("strings       %zu\n", ds->strings.count);
	printf("seconds       %.3f\n", secs);
	printf("CPU s         %.3f (all threads)\n", cpu);
	printf("reader CPU s  %.3f (reading thread: parse, copy, merge; the wall time on idle cores "
	       "is about max(this, all / cores))\n",
	       mine);
	printf("peak RSS MB   %.1f\n", (double)ru.ru_maxrss / 1024.0);
	/* where the bytes go (capacities: what is allocated, touched or not) */
	double np = (double)(ds->posts.n ? ds->posts.n : 1), tb = 0;
	for (size_t b = 0; b < LS_MAX_BEHAVIOURS; b++)
		tb += (double)ds->traces[b].cap * sizeof(ls_trace_t);
	const ls_strpool_t *sp = &ds->strings;
	printf("B/post        posts %.1f, traces %.1f, accounts %.1f + table %.1f, "
	       "strings: table %.1f, off+len %.1f, bytes %.1f (used %.1f); labels %.1f, "
	       "post ids %.1f\n",
	       (double)ds->posts.cap * sizeof(ls_post_row_t) / np, tb / np,
	       (double)ds->accounts.cap * sizeof(ls_account_t) / np,
	       (double)ds->account_nslots * sizeof(ls_strslot_t) / np,
	       (double)sp->nslots * sizeof(ls_strslot_t) / np, (double)sp->capids * 8.0 / np,
	       (double)sp->capbytes / np, (double)sp->nbytes / np,
	       (double)ds->labels.nslots * 12.0 / np, (double)ds->post_ids.nslots * 12.0 / np);
	printf("read+extract: %.2f s wall, %.2f s CPU, %zu posts\n", secs, cpu, ds->posts.n);
	ls_dataset_free(ds);
	return 0;
}

int main(int argc, char **argv)
{
	int extract = 0, threads = 0, a = 1; /* 0: one per online CPU */
	for (; a < argc && strncmp(argv[a], "--", 2) == 0; a++) {
		if (strcmp(argv[a], "--extract") == 0)
			extract = 1;
		else if (strcmp(argv[a], "--threads") == 0 && a + 1 < argc)
			threads = (int)strtol(argv[++a], NULL, 10);
		else
			break;
	}
	if (argc - a < 1 || argc - a > 2) {
		fprintf(stderr, "usage: %s [--extract] [--threads N] FILE [FORMAT]\n", argv[0]);
		return 2;
	}
	argv += a - 1;
	argc -= a - 1;
	ls_ctx_t *ctx = ls_ctx_new();
	if (ctx == NULL)
		return 1;
	ls_ctx_set_threads(ctx, threads);
	if (extract) {
		int rc = bench_extract(argv[1], argc == 3 ? argv[2] : NULL, ctx);
		ls_ctx_free(ctx);
		return rc;
	}
	double t0 = now(), c0 = thread_cpu();
	ls_reader_t *r = NULL;
	ls_error_t err = ls_reader_open(&r, argv[1], argc == 3 ? argv[2] : NULL, 0, ctx);
	uint64_t check = 0, entities = 0;
	const ls_post_t *p = NULL;
	while (err == LS_OK) {
		err = ls_reader_next(r, &p, ctx);
		if (err != LS_OK || p == NULL)
			break;
		check += (uint64_t)p->time + p->id.n + p->handle.n + p->account_id.n + p->text.n;
		entities += p->n_urls + p->n_hashtags + p->n_mentions;
	}
	double secs = now() - t0, cpu = thread_cpu() - c0;
	if (err != LS_OK) {
		fprintf(stderr, "bench_read: %s\n", ls_ctx_message(ctx));
		ls_reader_free(r);
		ls_ctx_free(ctx);
		return 1;
	}
	ls_reader_stats_t st;
	ls_reader_stats(r, &st);
	struct rusage ru;
	getrusage(RUSAGE_SELF, &ru);
	double mb_stored = (double)st.bytes / 1e6, mb_data = (double)st.data_bytes / 1e6;
	printf("file          %s\n", argv[1]);
	printf("format        %s\n", ls_reader_format(r));
	printf("records read  %llu\n", (unsigned long long)st.records_read);
	printf("skipped       %llu\n", (unsigned long long)st.records_skipped);
	printf("entities      %llu\n", (unsigned long long)entities);
	printf("stored MB     %.1f\n", mb_stored);
	printf("data MB       %.1f\n", mb_data);
	printf("seconds       %.3f\n", secs);
	printf("MB/s          %.1f (decompressed), %.1f (stored)\n", mb_data / secs, mb_stored / secs);
	printf("reader CPU s  %.3f (reading thread only)\n", cpu);
	printf("MB/s/core     %.1f (decompressed, reading thread)\n", mb_data / cpu);
	printf("peak RSS MB   %.1f\n", (double)ru.ru_maxrss / 1024.0);
	printf("checksum      %llu\n", (unsigned long long)check);
	printf("reader %s: %.1f MB/s wall, %.1f MB/s/core\n", ls_reader_format(r), mb_data / secs,
	       mb_data / cpu);
	ls_reader_free(r);
	ls_ctx_free(ctx);
	return 0;
}
