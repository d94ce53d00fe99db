#!/bin/sh
# --threads changes speed, never results: every output file is byte-identical
# for 1, 2 and 4 worker threads (synthetic scenario with every behaviour, and
# the first 300,000 rows of the IRA corpus when the shared data is present,
# plain, zstd- and gzip-compressed: reading decompresses and extracts on
# threads of its own).
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
if [ -e "$SHARED/ira_fb_ads.jsonl" ]; then
	compare_runs ads "$SHARED/ira_fb_ads.jsonl"
fi
pass "outputs byte-identical for --threads 1, 2 and 4"
