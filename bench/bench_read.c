/*
 * bench_read FILE [FORMAT]: reads FILE through the read stage (ls_reader_*)
 * and prints records read/skipped, stored and decompressed MB, wall time,
 * throughput (decompressed MB/s) and peak RSS. Touches every post's strings
 * so the work cannot be optimised away.
 *
 * Two throughputs: wall (what a run sees: decompression, parsing and the
 * SHA-256 of the stored bytes, which runs on a second thread) and per core
 * of the reading thread (its own CPU time: decompression, records, JSON
 * or CSV parsing, mapping, entities; without the hashing thread). The last
 * line is one summary row: "reader FORMAT: X MB/s wall, Y MB/s/core".
 */
#include "read/reader.h"

#include <stdio.h>
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

int main(int argc, char **argv)
{
	if (argc < 2 || argc > 3) {
		fprintf(stderr, "usage: %s FILE [FORMAT]\n", argv[0]);
		return 2;
	}
	ls_ctx_t *ctx = ls_ctx_new();
	if (ctx == NULL)
		return 1;
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
