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

# --- IRA read -> report (issue 6): the full corpus with every default
# behaviour and every output, next to the floor measured in the same run.
# runstat prints "LABEL wall_s=.. cpu_s=.. peak_rss_mb=.. exit=.."; the
# ratio line divides the run's wall time by the floor's.
if [ -e "$SHARED/ira_tweets.csv.zst" ]; then
	IRA=$SHARED/ira_tweets.csv.zst
	FLOOR=$($RS "floor: zstd -dc ira_tweets.csv.zst | wc -l" -- sh -c "zstd -dc $IRA | wc -l >/dev/null")
	echo "$FLOOR"
	$RS "read only: bench_read ira_tweets.csv.zst" -- "$BUILD/bench/bench_read" "$IRA"
	RUN=$($RS "detect ira_tweets.csv.zst -o OUT (read -> report, default behaviours, all outputs)" -- "$BUILD/lockstep" detect --quiet "$IRA" -o "$TMP/ira")
	echo "$RUN"
	fw=$(echo "$FLOOR" | sed -n 's/.*wall_s=\([0-9.]*\).*/\1/p')
	rw=$(echo "$RUN" | sed -n 's/.*wall_s=\([0-9.]*\).*/\1/p')
	awk -v r="$rw" -v f="$fw" 'BEGIN { if (f > 0) printf "  IRA read -> report: %.2f s wall = %.1f x the floor (%.2f s); targets <= 5 s and <= 10 x\n", r, r / f, f }'
	du -sh "$TMP/ira" | awk '{ print "  outputs: " $1 }'
	rm -rf "$TMP/ira"
else
	echo "skipped IRA rows: $SHARED/ira_tweets.csv.zst is absent"
fi
# --- end of the IRA block

# Twitter API v1.1 JSON lines: 100,000 generated tweets (376 MB, like a stream dump)
"$BUILD/bench/gen_jsonl" -n 100000 --seed 1 -o "$TMP/v1.jsonl"
$RS "floor: sha256sum v1.jsonl (every input is hashed)" -- sha256sum "$TMP/v1.jsonl"
$RS "read only: bench_read v1.jsonl (100k v1.1 tweets, 376 MB)" -- "$BUILD/bench/bench_read" "$TMP/v1.jsonl"
zstd -q -3 "$TMP/v1.jsonl" -o "$TMP/v1.jsonl.zst"
$RS "read only: bench_read v1.jsonl.zst" -- "$BUILD/bench/bench_read" "$TMP/v1.jsonl.zst"
$RS "detect v1.jsonl (all behaviours, W=60)" -- "$BUILD/lockstep" detect --quiet "$TMP/v1.jsonl" -o "$TMP/v1"
rm -f "$TMP/v1.jsonl" "$TMP/v1.jsonl.zst"

"$BUILD/bench/gen_coretweet" -n 1000000 --viral 150000 --seed 1 -o "$TMP/rt1m.csv"
ONE=$($RS "detect 1M co-retweets incl. a 150,000-retweet post (W=60)" -- "$BUILD/lockstep" detect --quiet --format coortweet --window 60 "$TMP/rt1m.csv" -o "$TMP/rt1m")
echo "$ONE"
/usr/bin/python3 -c "import json;c=json.load(open('$TMP/rt1m/summary.json'))['counts'];print('  co-actions', c['coactions'], 'links', c['links'], 'clusters', c['clusters'])"

# --- link, score, cluster: flat cost per event (issue 6) ---
# bench_link prints per-stage wall/CPU, within-window pairs per second and
# bytes per post; gen_coretweet --scale keeps the 1M model's density (one
# 30-day period per million rows), one viral post with 15% of all rows.
# BENCH_LARGE=1 adds read -> report runs of 10M rows (about 1.9 GB peak) and
# 100M rows (a 7.2 GB CSV in TMPDIR, about 14 GB peak: run only when
# MemAvailable covers it), each with its time per row against the 1M run.
$RS "bench_link 1M co-retweets (W=60)" -- "$BUILD/bench/bench_link" "$TMP/rt1m.csv" --format coortweet --window 60
rm -f "$TMP/rt1m.csv"
per_row() { # LINE ROWS -> "X us/row wall, Y us/row CPU"
	echo "$1" | sed -n 's/.*wall_s=\([0-9.]*\) cpu_s=\([0-9.]*\).*/\1 \2/p' |
		awk -v n="$2" '{ printf "%.3f us/row wall, %.3f us/row CPU", $1 * 1e6 / n, $2 * 1e6 / n }'
}
echo "  1M: $(per_row "$ONE" 1000000)"
if [ "${BENCH_LARGE:-0}" = 1 ]; then
	"$BUILD/bench/gen_coretweet" -n 10000000 --scale --seed 1 -o "$TMP/rt10m.csv"
	$RS "bench_link 10M co-retweets, 1M density (W=60)" -- "$BUILD/bench/bench_link" "$TMP/rt10m.csv" --format coortweet --window 60
	TEN=$($RS "detect 10M co-retweets, 1M density (W=60)" -- "$BUILD/lockstep" detect --quiet --format coortweet --window 60 "$TMP/rt10m.csv" -o "$TMP/rt10m")
	echo "$TEN"
	echo "  10M: $(per_row "$TEN" 10000000)"
	rm -rf "$TMP/rt10m.csv" "$TMP/rt10m"
	avail=$(awk '/MemAvailable/ {print int($2 / 1024)}' /proc/meminfo)
	if [ "$avail" -gt 16000 ]; then
		"$BUILD/bench/gen_coretweet" -n 100000000 --scale --seed 1 -o "$TMP/rt100m.csv"
		HUN=$($RS "detect 100M co-retweets, 1M density (W=60)" -- "$BUILD/lockstep" detect --quiet --format coortweet --window 60 "$TMP/rt100m.csv" -o "$TMP/rt100m")
		echo "$HUN"
		echo "  100M: $(per_row "$HUN" 100000000)"
		rm -rf "$TMP/rt100m.csv" "$TMP/rt100m"
	else
		echo "skipped 100M co-retweets: needs ~16 GB of memory, ${avail} MB available"
	fi
fi
