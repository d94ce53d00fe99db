#!/bin/sh
# CooRTweet parity: `detect --format coortweet --emit-pairs` must write exactly
# the rows of CooRTweet 2.1.3 detect_groups() for the shared example, for the
# three reference parameter sets (W=60 M=2; W=10 M=5; W=10 M=5 keeping loops).
. "$(dirname "$0")/lib.sh.inc"
need_shared coortweet_russian_coord_tweets.csv coortweet_reference/tw60_mp2_groups.csv
IN=$SHARED/coortweet_russian_coord_tweets.csv
REF=$SHARED/coortweet_reference

check() { # name window min_participation [--keep-loops]
	name=$1; w=$2; m=$3; shift 3
	"$LOCKSTEP" detect --quiet --format coortweet --window "$w" --min-participation "$m" \
		--emit-pairs "$@" -o "$TMP/$name" "$IN" || fail "$name: detect exited $?"
	[ "$(head -n 1 "$TMP/$name/pairs.csv")" = "object_id,content_id,content_id_y,time_delta,account_id,account_id_y" ] \
		|| fail "$name: pairs.csv header"
	# Exact rows, orientation included; only the row order may differ.
	tail -n +2 "$REF/${name}_groups.csv" | LC_ALL=C sort > "$TMP/$name.want"
	tail -n +2 "$TMP/$name/pairs.csv" | LC_ALL=C sort > "$TMP/$name.got"
	want=$(wc -l < "$TMP/$name.want"); got=$(wc -l < "$TMP/$name.got")
	if ! cmp -s "$TMP/$name.want" "$TMP/$name.got"; then
		diff "$TMP/$name.want" "$TMP/$name.got" | head -n 10 >&2
		fail "$name: $got rows, reference has $want; they differ (first lines above)"
	fi
	pass "$name: $got rows identical to CooRTweet"
}
check tw60_mp2 60 2
check tw10_mp5 10 5
check tw10_mp5_keeploops 10 5 --keep-loops
