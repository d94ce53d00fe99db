#!/bin/sh
# --threads changes speed, never results: every output file is byte-identical
# for 1, 2 and 4 worker threads (synthetic scenario with every behaviour, and
# the first 300,000 rows of the IRA corpus when the shared data is present,
# plain, zstd- and gzip-compressed: reading decompresses and extracts on
# threads of its own; a generated co-retweet file with a burst, and the IRA ads).
. "$(dirname "$0")/lib.sh.inc"
"$LOCKSTEP" synth -o "$TMP/data" --seed 3 --size small 2>/dev/null || fail "synth exited $?"
compare_runs() { # NAME INPUT [options...]
	name=$1; shift
	for n in 1 2 4; do
		"$LOCKSTEP" detect --quiet --threads $n "$@" -o "$TMP/$name.$n" \
			|| fail "$name: detect --threads $n exited $?"
	done
	nfiles=0
	for f in "$TMP/$name.1"/*; do
		b=$(basename "$f")
		for n in 2 4; do
			cmp -s "$f" "$TMP/$name.$n/$b" || fail "$name: $b differs between --threads 1 and --threads $n"
		done
		nfiles=$((nfiles + 1))
	done
	[ "$nfiles" -ge 9 ] || fail "$name: only $nfiles output files"
	[ "$(ls "$TMP/$name.2" | wc -l)" -eq "$nfiles" ] || fail "$name: file sets differ"
	echo "ok: $name: $nfiles files identical for --threads 1, 2, 4"
}
compare_runs synth --behaviours all "$TMP/data/posts.csv"
if [ -e "$SHARED/ira_tweets.csv.zst" ]; then
	zstd -dc "$SHARED/ira_tweets.csv.zst" | head -n 300001 > "$TMP/ira.csv"
	compare_runs ira "$TMP/ira.csv"
	# compressed input: decompression runs on a thread of its own when --threads > 1
	zstd -q "$TMP/ira.csv" -o "$TMP/ira.csv.zst" || fail "zstd"
	compare_runs ira_zst "$TMP/ira.csv.zst"
	gzip -c "$TMP/data/posts.csv" > "$TMP/posts.csv.gz" || fail "gzip"
	compare_runs synth_gz --behaviours all "$TMP/posts.csv.gz"
else
	echo "SKIP part: $SHARED/ira_tweets.csv.zst is absent"
fi
# a co-retweet input (CooRTweet format) with one object shared 2,857 times in
# ten minutes (a burst) and a ring of 20 accounts on 50 objects: the link
# stage's slices and partitions, the parallel sorts and the clusters
awk 'BEGIN { print "object_id,account_id,content_id,timestamp_share"; s = 7
	for (i = 0; i < 20000; i++) {
		s = (s * 1103515245 + 12345) % 2147483648; o = s % 1500
		s = (s * 1103515245 + 12345) % 2147483648; a = s % 2000
		s = (s * 1103515245 + 12345) % 2147483648
		t = 1709251200 + o * 1700 + s % 900
		if (i % 7 == 0) { o = 99999; t = 1709251200 + s % 600 }
		printf "%d,%d,%d,%d\n", o, a, 1000000 + i, t }
	for (k = 0; k < 50; k++) for (m = 0; m < 20; m++)
		printf "%d,%d,%d,%d\n", 200000 + k, 5000 + m, 2000000 + k * 20 + m, 1709251200 + k * 3600 + m * 2 }' > "$TMP/rt.csv"
compare_runs coretweet --format coortweet --window 60 --all-links "$TMP/rt.csv"
if [ -e "$SHARED/ira_fb_ads.jsonl" ]; then
	compare_runs ads "$SHARED/ira_fb_ads.jsonl"
fi
pass "outputs byte-identical for --threads 1, 2 and 4"
