#!/bin/sh
# Builds one libFuzzer binary per reader (clang-14, ASan + UBSan) into
# build-fuzz/ and runs each for FUZZ_SECONDS (default 60) on its seed
# corpus (tests/data, tests/hostile and the golden inputs, copied into
# build-fuzz/corpus/<target>/, where new finds accumulate). Crashes are
# written to build-fuzz/crash-<target>-*; the script fails if any target
# fails.
#   sh fuzz/run.sh [TARGET...]   targets: csv io-archive columns twitter-v1 twitter-v2 json
#                                meta-ads ira-ads ira-ads-csv
#   FUZZ_SECONDS=600 FUZZ_BUILD_ONLY=1 FUZZ_JOBS=1
set -u
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
B=build-fuzz
SECONDS_EACH=${FUZZ_SECONDS:-60}
CLANG=${CLANG:-clang-14}
CLANGXX=${CLANGXX:-clang++-14}
command -v "$CLANG" >/dev/null 2>&1 || { echo "fuzz: $CLANG not found (apt-get install clang-14 libclang-rt-14-dev)"; exit 77; }
SAN="-O1 -g -fsanitize=address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer"
# 4 KiB I/O blocks (LS_IO_BLOCK) so that records spanning blocks are fuzzed too
LIBOPT="$SAN -DLS_IO_BLOCK=4096"
make -s BUILD=$B CC="$CLANG" CXX="$CLANGXX" OPT="$LIBOPT -fsanitize=fuzzer-no-link" $B/liblockstep.a >&2 || exit 1
LIBS=$(make -s --no-print-directory -f - <<'MK'
include Makefile
print:
	@echo $(LDLIBS)
MK
)
[ -n "$LIBS" ] || LIBS="-ligraph -lzstd -lz -lxxhash -lcrypto -lcsv -lm -lpthread -lsimdjson -lstdc++"
COLS='id=id,account=account,handle=handle,time=time,text=text,retweet_of=rt,reply_to=re,quote_of=q,ref_account=ra,retweet=isrt,urls=urls,hashtags=tags,mentions=at'
build() { # target format-define
	t=$1; shift
	[ -x "$B/fuzz_$t" ] && [ "$B/fuzz_$t" -nt "$B/liblockstep.a" ] && [ "$B/fuzz_$t" -nt fuzz/fuzz_read.c ] && return 0
	"$CLANG" -std=c11 $SAN -fsanitize=fuzzer -Iinclude -Isrc "$@" -c -o "$B/fuzz_$t.o" fuzz/fuzz_read.c || exit 1
	# linked by clang++: UBSan's C++ runtime is needed for the simdjson wrapper
	"$CLANGXX" $SAN -fsanitize=fuzzer -o "$B/fuzz_$t" "$B/fuzz_$t.o" $B/liblockstep.a $LIBS || exit 1
}
seed() { # target files...
	t=$1; shift
	mkdir -p "$B/corpus/$t"
	for f in "$@"; do [ -f "$f" ] && cp "$f" "$B/corpus/$t/seed-$(basename "$f")"; done
	return 0
}
TARGETS=${*:-"csv io-archive columns twitter-v1 twitter-v2 json meta-ads ira-ads ira-ads-csv"}
for t in $TARGETS; do
	case $t in
	csv) build csv; seed csv tests/data/*.csv tests/data/ads/*.csv tests/hostile/*.csv ;;
	io-archive) build io-archive -DFUZZ_FORMAT='"io-archive"'; seed io-archive tests/data/io_archive.csv tests/hostile/io_*.csv ;;
	columns) build columns -DFUZZ_FORMAT='"columns"' -DFUZZ_COLUMNS="\"$COLS\""
		seed columns tests/data/columns.csv fuzz/seeds/columns*.csv ;;
	twitter-v1) build twitter-v1 -DFUZZ_FORMAT='"twitter-v1"'; seed twitter-v1 tests/data/twitter_v1.jsonl tests/hostile/v1_* ;;
	twitter-v2) build twitter-v2 -DFUZZ_FORMAT='"twitter-v2"'; seed twitter-v2 tests/data/twitter_v2* tests/hostile/v2_* ;;
	json) build json; seed json tests/data/*.json* tests/data/ads/*.json* tests/hostile/*.json* ;;
	meta-ads) build meta-ads -DFUZZ_FORMAT='"meta-ads"'; seed meta-ads tests/data/ads/meta_ads* tests/hostile/meta_* ;;
	ira-ads) build ira-ads -DFUZZ_FORMAT='"ira-ads"'; seed ira-ads tests/data/ads/ira_ads.jsonl ;;
	ira-ads-csv) build ira-ads-csv -DFUZZ_FORMAT='"ira-ads-csv"'; seed ira-ads-csv tests/data/ads/ira_ads.csv ;;
	*) echo "fuzz: unknown target $t" >&2; exit 2 ;;
	esac
done
[ "${FUZZ_BUILD_ONLY:-0}" = 1 ] && exit 0
rc=0
for t in $TARGETS; do
	echo "fuzz: $t for ${SECONDS_EACH}s"
	"$B/fuzz_$t" -max_total_time="$SECONDS_EACH" -max_len=65536 -timeout=20 -rss_limit_mb=2048 \
		-artifact_prefix="$B/crash-$t-" -print_final_stats=1 "$B/corpus/$t" > "$B/fuzz-$t.log" 2>&1
	r=$?
	grep -E "^stat::number_of_executed_units|^stat::peak_rss_mb|ERROR|SUMMARY" "$B/fuzz-$t.log" | head -5
	[ $r = 0 ] || { echo "fuzz: $t FAILED (see $B/fuzz-$t.log)"; rc=1; }
done
exit $rc
