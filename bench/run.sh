#!/bin/sh
# make bench: throughput and peak memory on real and generated data.
# Prints one line per measurement; compare ratios within one run (the
# machines are shared and noisy). Usage: sh bench/run.sh BUILD_DIR
BUILD=${1:-build}
RS=$BUILD/bench/runstat
SHARED=../shared/data
TMP=$(mktemp -d "${TMPDIR:-/tmp}/lockstep-bench.XXXXXX")
trap 'rm -rf "$TMP"' EXIT INT TERM
echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(uname -m)"

if [ -e "$SHARED/ira_tweets.csv.zst" ]; then
	$RS "floor: zstd -dc ira_tweets.csv.zst | wc -l" -- sh -c "zstd -dc $SHARED/ira_tweets.csv.zst | wc -l >/dev/null"
	$RS "read only: bench_read ira_tweets.csv.zst" -- "$BUILD/bench/bench_read" "$SHARED/ira_tweets.csv.zst"
	$RS "detect ira_tweets.csv.zst (all behaviours, W=60)" -- "$BUILD/lockstep" detect --quiet "$SHARED/ira_tweets.csv.zst" -o "$TMP/ira"
else
	echo "skipped IRA rows: $SHARED/ira_tweets.csv.zst is absent"
fi

"$BUILD/bench/gen_coretweet" -n 1000000 --viral 150000 --seed 1 -o "$TMP/rt1m.csv"
$RS "detect 1M co-retweets incl. a 150,000-retweet post (W=60)" -- "$BUILD/lockstep" detect --quiet --format coortweet --window 60 "$TMP/rt1m.csv" -o "$TMP/rt1m"
/usr/bin/python3 -c "import json;c=json.load(open('$TMP/rt1m/summary.json'))['counts'];print('  co-actions', c['coactions'], 'links', c['links'], 'clusters', c['clusters'])"
