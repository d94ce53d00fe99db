/*
 * libFuzzer target for the read stage: the fuzzer's bytes are an input file
 * (plain, or gzip / zstd when they start with those magic bytes) read to
 * the end through ls_reader_*, in the format FUZZ_FORMAT chosen at build
 * time (fuzz/run.sh builds one binary per reader: csv = detection among
 * the CSV formats, io-archive, columns, twitter-v1, twitter-v2, json =
 * JSON detection, and the ad readers meta-ads, ira-ads, ira-ads-csv). The first byte of the input switches strict mode and a
 * small record limit on or off, so both paths are explored.
 *
 * The bytes are handed over through a memfd opened by /proc path: the
 * reader sees an ordinary file. Every post's strings are touched so that
 * out-of-bounds views are caught by AddressSanitizer.
 */
#define _GNU_SOURCE
#include "core/ctx.h"
#include "read/reader.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#ifndef FUZZ_FORMAT
#define FUZZ_FORMAT NULL
#endif
#ifndef FUZZ_COLUMNS
#define FUZZ_COLUMNS NULL
#endif

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static uint64_t touch(ls_str_t s)
{
	uint64_t h = 0;
	for (size_t i = 0; i < s.n; i++)
		h = h * 31 + (unsigned char)s.p[i];
	return h;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	unsigned mode = size > 0 ? data[0] : 0;
	int fd = memfd_create("fuzz", 0);
	if (fd < 0)
		return 0;
	size_t off = 0;
	while (off < size) {
		ssize_t w = write(fd, data + off, size - off);
		if (w <= 0)
			break;
		off += (size_t)w;
	}
	char path[64];
	snprintf(path, sizeof path, "/proc/self/fd/%d", fd);
	ls_ctx_t *ctx = ls_ctx_new();
	ls_ctx_set_strict(ctx, (mode & 1) != 0);
	ls_reader_config_t cfg;
	memset(&cfg, 0, sizeof cfg);
	cfg.format = FUZZ_FORMAT;
	cfg.columns = FUZZ_COLUMNS;
	cfg.max_record = (mode & 2) ? 256 : 0;
	if (cfg.columns != NULL && (mode & 4))
		cfg.time_format = "%d/%m/%y %I:%M %p %z";
	ls_reader_t *r = NULL;
	volatile uint64_t sink = 0;
	if (ls_reader_open_config(&r, path, &cfg, ctx) == LS_OK) {
		const ls_post_t *p;
		while (ls_reader_next(r, &p, ctx) == LS_OK && p != NULL) {
			sink += touch(p->id) + touch(p->account_id) + touch(p->handle) + touch(p->text) +
			        touch(p->ref_post) + touch(p->ref_account) + touch(p->reply_to) +
			        touch(p->quoted) + (uint64_t)p->time;
			for (size_t i = 0; i < p->n_urls; i++)
				sink += touch(p->urls[i]);
			for (size_t i = 0; i < p->n_hashtags; i++)
				sink += touch(p->hashtags[i]);
			for (size_t i = 0; i < p->n_mentions; i++)
				sink += touch(p->mentions[i]);
			if (p->ad) {
				sink += (uint64_t)p->ad->spend_cents + (uint64_t)p->ad->spend_upper_cents +
				        (uint64_t)p->ad->impressions + (uint64_t)p->ad->impressions_upper +
				        (uint64_t)p->ad->currency[0];
				for (size_t i = 0; i < p->ad->n_targeting; i++)
					sink += touch(p->ad->targeting[i]);
			}
		}
		ls_reader_stats_t st;
		ls_reader_stats(r, &st);
		sink += st.records_read;
	}
	ls_reader_free(r);
	ls_ctx_free(ctx);
	close(fd);
	(void)sink;
	return 0;
}
