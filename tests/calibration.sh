#!/bin/sh
# Calibration of the significance tests (issue: "how unlikely by chance").
#  1. Complete null: 20 synthetic scenarios with no planted operation; under
#     the complete null BH bounds the chance of any false flag by Q, so at
#     most Q x 20 = 1 of the 20 runs may flag anything.
#  2. Planted operations: the false discovery proportion of the flagged
#     accounts, averaged over 10 seeds, is at most Q.
#  3. Placebo on real data: the IRA corpus with every account's timeline
#     shifted by its own random offset flags next to nothing (< 2% of the
#     accounts the unshifted run flags).
. "$(dirname "$0")/lib.sh.inc"
Q=0.05
runs_flagging=0
for seed in $(seq 101 120); do
	"$LOCKSTEP" synth -o "$TMP/null$seed" --seed "$seed" --size small --campaigns 0 2>/dev/null || fail "synth $seed"
	"$LOCKSTEP" detect --quiet --fdr $Q "$TMP/null$seed/posts.csv" -o "$TMP/nout$seed" || fail "detect null $seed"
	n=$(json_get "$TMP/nout$seed/summary.json" counts.accounts_clustered)
	[ "$n" -gt 0 ] && runs_flagging=$((runs_flagging + 1))
	rm -rf "$TMP/null$seed" "$TMP/nout$seed"
done
echo "complete null: $runs_flagging of 20 runs flag any account (allowed: 1)"
[ "$runs_flagging" -le 1 ] || fail "the null flags too often: $runs_flagging of 20 runs"

fdp_sum=0
for seed in $(seq 201 210); do
	"$LOCKSTEP" synth -o "$TMP/p$seed" --seed "$seed" --size small 2>/dev/null || fail "synth $seed"
	"$LOCKSTEP" detect --quiet --fdr $Q "$TMP/p$seed/posts.csv" -o "$TMP/pout$seed" || fail "detect $seed"
	"$LOCKSTEP" eval --quiet --truth "$TMP/p$seed/truth.csv" "$TMP/pout$seed" || fail "eval $seed"
	fdp_sum=$(/usr/bin/python3 -c "import json,sys
e=json.load(open(sys.argv[1])); f=e['flagged']
print($fdp_sum + (e['false_positives'] / f if f else 0.0))" "$TMP/pout$seed/eval.json")
	rm -rf "$TMP/p$seed" "$TMP/pout$seed"
done
mean=$(/usr/bin/python3 -c "print('%.4f' % ($fdp_sum / 10))")
echo "planted: mean false discovery proportion of flagged accounts over 10 seeds: $mean (allowed: $Q)"
/usr/bin/python3 -c "import sys; sys.exit(0 if $mean <= $Q else 1)" || fail "mean FDP $mean > $Q"

if [ -e "$SHARED/ira_tweets.csv.zst" ]; then
	"$LOCKSTEP" detect --quiet --placebo-shift 30 "$SHARED/ira_tweets.csv.zst" -o "$TMP/placebo" || fail "placebo detect"
	"$LOCKSTEP" detect --quiet "$SHARED/ira_tweets.csv.zst" -o "$TMP/real" || fail "real detect"
	p=$(json_get "$TMP/placebo/summary.json" counts.accounts_clustered)
	r=$(json_get "$TMP/real/summary.json" counts.accounts_clustered)
	echo "IRA: $r accounts flagged; with timelines shifted (placebo): $p"
	[ $((p * 50)) -lt "$r" ] || fail "placebo flags $p accounts, not under 2% of the real run's $r"
else
	echo "SKIP part 3: $SHARED/ira_tweets.csv.zst is absent"
fi
pass "calibrated: null runs, planted FDP and the placebo are within bounds"
