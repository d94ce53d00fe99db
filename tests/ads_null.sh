#!/bin/sh
# Calibration of the ads null (docs/METHODS.md section 8) on the IRA ads.
# Real data with the default options: at least 3 clusters of pages, each
# with a cluster p-value and its campaign facts in ads.json. Placebos: the
# advertiser of every ad dealt out at random (a) over all ads and (b) among
# the ads of the same month (every page keeps its number of ads per month,
# what the null conditions on), 5 seeds each: at most 1 of the 10 runs may
# flag any page at --fdr 0.05 (the complete-null rule of calibration.sh).
. "$(dirname "$0")/lib.sh.inc"
need_shared ira_fb_ads.jsonl
"$LOCKSTEP" detect --quiet "$SHARED/ira_fb_ads.jsonl" -o "$TMP/real" 2>"$TMP/real.err" ||
	fail "detect exited $?: $(tail -3 "$TMP/real.err")"
real=$(json_get "$TMP/real/summary.json" counts.clusters)
[ "$real" -ge 3 ] || fail "the real ads give $real clusters (expected at least 3)"
/usr/bin/python3 - "$TMP/real/ads.json" <<'PY' || fail "ads.json clusters lack statistics or facts"
import json, sys
d = json.load(open(sys.argv[1]))
assert d["null"]["ads"], "no behaviour scored by the ads null"
for c in d["clusters"]:
    assert 0 <= c["pvalue"] < 0.05 and c["observed"] > c["expected"], c["id"]
    assert len(c["pages"]) == len(c["members"]) >= 2, c["id"]
    assert c["facts"]["ads"] == sum(p["ads"] for p in c["pages"]), c["id"]
    assert c["facts"]["spend_usd_by_month"] and c["facts"]["first_ad"] <= c["facts"]["last_ad"]
PY
flagging=0
for mode in all month; do
	for seed in 1 2 3 4 5; do
		/usr/bin/python3 "$(dirname "$0")/../scripts/shuffle_ads.py" "$SHARED/ira_fb_ads.jsonl" "$TMP/shuf.jsonl" "$seed" "$mode" || fail "shuffle"
		rm -rf "$TMP/shuf"
		"$LOCKSTEP" detect --quiet "$TMP/shuf.jsonl" -o "$TMP/shuf" 2>/dev/null || fail "detect (placebo $mode $seed)"
		n=$(awk -F, 'NR > 1 && $NF == 1' "$TMP/shuf/accounts.csv" | wc -l)
		echo "placebo $mode seed $seed: $n pages flagged, $(json_get "$TMP/shuf/summary.json" counts.clusters) clusters"
		[ "$n" -eq 0 ] || flagging=$((flagging + 1))
	done
done
[ "$flagging" -le 1 ] || fail "$flagging of 10 placebo runs flag pages (allowed: 1)"
pass "ads null: real ads $real clusters; placebo runs flagging any page: $flagging of 10"
