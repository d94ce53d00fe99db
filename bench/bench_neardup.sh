#!/bin/sh
# Near-duplicate (MinHash/LSH) cost against input size: detect
# --behaviours neardup on the first N rows of the IRA corpus, N = 0.5M, 1M,
# 1.5M, 2M and all 2,463,944, next to --behaviours coreply (the cheapest
# behaviour: what reading and extracting every behaviour costs anyway).
# Prints one line per run (runstat: wall, CPU, peak RSS) and neardup's
# traces, co-actions and links. Near-linear growth = CPU per post flat.
# Usage: sh bench/bench_neardup.sh [BUILD_DIR]   (after make all build/bench/runstat)
BUILD=${1:-build}
RS=$BUILD/bench/runstat
IRA=../shared/data/ira_tweets.csv.zst
[ -e "$IRA" ] || { echo "skipped: $IRA is absent"; exit 77; }
[ -x "$RS" ] || { echo "build $RS first: make all $RS"; exit 2; }
TMP=$(mktemp -d "${TMPDIR:-/tmp}/lockstep-neardup.XXXXXX")
trap 'rm -rf "$TMP"' EXIT INT TERM
echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(uname -m); load $(cut -d' ' -f1-3 /proc/loadavg)"
zstd -dc "$IRA" > "$TMP/all.csv"
for n in 500000 1000000 1500000 2000000 2463944; do
	head -n $((n + 1)) "$TMP/all.csv" > "$TMP/in.csv"
	$RS "N=$n coreply" -- "$BUILD/lockstep" detect --quiet --behaviours coreply "$TMP/in.csv" -o "$TMP/o1"
	$RS "N=$n neardup" -- "$BUILD/lockstep" detect --quiet --behaviours neardup "$TMP/in.csv" -o "$TMP/o2"
	python3 -c "import json;c=json.load(open('$TMP/o2/summary.json'))['counts'];print('  posts', c['posts_read'], 'neardup traces', c['traces']['neardup'], 'co-actions', c['coactions'], 'links', c['links'])"
done
