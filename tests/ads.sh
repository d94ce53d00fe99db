#!/bin/sh
# Issue 7 acceptance: the IRA Facebook/Instagram ads, default options. Reads
# all 3,498 ads (read + skipped = 3,498; the one undated ad is skipped with a
# message), writes clusters with statistics (the ads null; --window changes
# nothing) and the campaign facts (ads.json, the ads section of report.html), and the
# spend per currency and impressions in summary.json, on stdout and in
# ads.json match sums computed directly from the JSONL by python3. The CSV
# copy gives the same totals and the same clusters. Two runs are
# byte-identical (ads.json included), and verify accepts the bundle.
. "$(dirname "$0")/lib.sh.inc"
need_shared ira_fb_ads.jsonl ira_fb_ads.csv
OUT="$TMP/out"
"$LOCKSTEP" detect "$SHARED/ira_fb_ads.jsonl" -o "$OUT" >"$TMP/stdout" 2>"$TMP/stderr" ||
	fail "detect exited $?: $(tail -3 "$TMP/stderr")"
read=$(json_get "$OUT/summary.json" counts.posts_read)
skipped=$(json_get "$OUT/summary.json" counts.posts_skipped)
[ $((read + skipped)) -eq 3498 ] || fail "read $read + skipped $skipped != 3498"
[ "$skipped" -eq 1 ] || fail "expected 1 skipped (the undated ad), got $skipped"
grep -q "field 'created': missing" "$TMP/stderr" || fail "the undated ad is not explained on stderr"
[ "$(json_get "$OUT/summary.json" inputs.0.format)" = ira-ads ] || fail "format not detected as ira-ads"
for f in ads.json clusters.csv evidence.json; do
	[ -s "$OUT/$f" ] || fail "$f missing"
done
head -1 "$OUT/clusters.csv" | grep -q '^cluster,size,' || fail "clusters.csv has no header"
clusters=$(json_get "$OUT/summary.json" counts.clusters)
[ "$clusters" -ge 1 ] || fail "no cluster of pages (the ads null should find some)"
grep -q 'id="ads"' "$OUT/report.html" || fail "report.html has no ads section"
[ "$(grep -c '<tr><td><svg' "$OUT/report.html")" -ge "$clusters" ] || fail "report.html lacks a row per page cluster"
grep -q 'class="spend"' "$OUT/report.html" || fail "report.html has no spend chart"
# a window changes nothing for ads: the ads null links at object level
"$LOCKSTEP" detect --quiet "$SHARED/ira_fb_ads.jsonl" -o "$TMP/w" --window 86400 2>/dev/null || fail "detect --window"
cmp -s "$OUT/clusters.csv" "$TMP/w/clusters.csv" || fail "--window changed the ad clusters"
[ "$clusters" -eq "$(json_get "$OUT/ads.json" clusters | /usr/bin/python3 -c 'import sys,ast; print(len(ast.literal_eval(sys.stdin.read())))')" ] ||
	fail "ads.json does not have one entry per reported cluster"
/usr/bin/python3 - "$SHARED/ira_fb_ads.jsonl" "$OUT" "$TMP/stdout" <<'PY' || fail "sums differ (see above)"
import json, sys
from decimal import Decimal
src, out, stdout = sys.argv[1], sys.argv[2], sys.argv[3]
cents, impr, clicks, ads, skipped = {}, 0, 0, 0, 0
for line in open(src, encoding="utf-8"):
    if not line.strip():
        continue
    d = json.loads(line)
    if not d.get("created"):
        skipped += 1
        continue
    ads += 1
    c = int(Decimal(d["spend_amount"].replace(",", "")) * 100)
    cents[d["spend_currency"]] = cents.get(d["spend_currency"], 0) + c
    impr += d["impressions"] or 0
    clicks += d["clicks"] or 0
s = json.load(open(out + "/summary.json"))["ads"]
a = json.load(open(out + "/ads.json"))["overall"]
ok = True
for name, got in (("summary.json", s), ("ads.json", a)):
    for k, want in (("spend_cents", cents), ("impressions", impr), ("clicks", clicks)):
        if got[k] != want:
            print(f"{name} {k}: {got[k]} != direct sum {want}"); ok = False
if s["ads"] != ads:
    print(f"ads {s['ads']} != {ads}"); ok = False
ad_clusters = json.load(open(out + "/ads.json"))["clusters"]
if s["clustered_ads"] != sum(c["facts"]["ads"] for c in ad_clusters):
    print("summary clustered_ads differs from the clusters' ads in ads.json"); ok = False
if abs(s["spend_usd"] - a["spend_usd"]) > 0.005:
    print("summary spend_usd differs from ads.json"); ok = False
text = open(stdout).read()
for cur, c in cents.items():
    if f"{cur} {c // 100}.{c % 100:02d}" not in text:
        print(f"stdout lacks {cur} {c // 100}.{c % 100:02d}"); ok = False
if f"impressions: {impr}" not in text:
    print(f"stdout lacks impressions: {impr}"); ok = False
# every cluster's facts add up to no more than the overall facts
ad = json.load(open(out + "/ads.json"))
for c in ad["clusters"]:
    for cur, v in c["facts"]["spend_cents"].items():
        if v > a["spend_cents"][cur]:
            print("cluster spend exceeds the total"); ok = False
    if not c["members"]:
        print("cluster without members"); ok = False
print(f"direct sums: {cents}, impressions {impr}, clicks {clicks}, ads {ads}, skipped {skipped}")
sys.exit(0 if ok else 1)
PY
# the CSV copy: same totals and clusters
"$LOCKSTEP" detect --quiet "$SHARED/ira_fb_ads.csv" -o "$TMP/csv" 2>"$TMP/csv.err" ||
	fail "detect (csv) exited $?: $(tail -3 "$TMP/csv.err")"
[ "$(json_get "$TMP/csv/summary.json" inputs.0.format)" = ira-ads-csv ] || fail "CSV not detected as ira-ads-csv"
for k in ads.spend_cents.RUB ads.spend_cents.USD ads.impressions ads.clicks ads.unattributed counts.posts_read; do
	[ "$(json_get "$OUT/summary.json" $k)" = "$(json_get "$TMP/csv/summary.json" $k)" ] ||
		fail "$k differs between the JSONL and the CSV"
done
cmp -s "$OUT/clusters.csv" "$TMP/csv/clusters.csv" || fail "clusters differ between the JSONL and the CSV"
# determinism and verify
"$LOCKSTEP" detect --quiet "$SHARED/ira_fb_ads.jsonl" -o "$TMP/again" 2>/dev/null ||
	fail "second run exited $?"
for f in ads.json summary.json clusters.csv edges.csv evidence.json; do
	cmp -s "$OUT/$f" "$TMP/again/$f" || fail "$f differs between two identical runs"
done
"$LOCKSTEP" verify "$OUT" >/dev/null 2>&1 || fail "verify rejects the ads bundle"
pass "ads: read+skipped=3498, clusters $clusters, spend/impressions match the direct sums, CSV = JSONL, deterministic, verified"
