#!/bin/sh
# The ads section of report.html with hostile ads (no shared data needed):
# page names (from landing URLs), targeting facets and texts carrying
# <script>, "><img onerror>, </style> and bidi overrides appear only
# escaped; the section, its spend chart, its targeting table and a row per
# page cluster are there; no script element exists anywhere in the page.
. "$(dirname "$0")/lib.sh.inc"
/usr/bin/python3 - "$TMP/ads.jsonl" <<'PY'
import json, sys
evil = ['<script>alert(1)</script>', '"><img src=x onerror=alert(2)>', '</style><b>x</b>', '\u202egnp.exe']
rows = []
for i in range(24):
    page = "evil%d%s" % (i % 2, evil[i % 2 * 3].replace("/", "_"))
    rows.append({"id": i + 1, "pdf": "data/2016-05/x.pdf", "clicks": 3, "impressions": 100,
                 "text": "Join us %s today at the rally number %d" % (evil[i % 4], i // 4),
                 "url": "https://www.facebook.com/%s/" % page, "spend_amount": "10.00",
                 "spend_currency": "RUB" if i % 3 else "USD",
                 "created": "2016-05-%02dT10:00:00-07:00" % (1 + i // 2), "ended": None,
                 "targeting": ["interests:interests:%s %d" % (evil[(i // 2) % 4], i // 2),
                               "location:location:United States", "age:age:18 - 65+"]})
for i in range(40): # background pages: one ad each, own audience, text and day
    rows.append({"id": 100 + i, "pdf": "data/2016-05/y.pdf", "clicks": 1, "impressions": 10,
                 "text": "An ordinary advert about topic %d and nothing else" % (i * 7919),
                 "url": "https://www.facebook.com/plain%d/" % i, "spend_amount": "1.00",
                 "spend_currency": "RUB", "created": "2016-05-%02dT10:00:00-07:00" % (7 + i % 20),
                 "ended": None, "targeting": ["interests:interests:topic %d" % i, "age:age:18 - 65+"]})
with open(sys.argv[1], "w", encoding="utf-8") as f:
    for r in rows:
        f.write(json.dumps(r) + "\n")
PY
"$LOCKSTEP" detect --quiet "$TMP/ads.jsonl" -o "$TMP/out" 2>"$TMP/err" || fail "detect exited $?: $(tail -3 "$TMP/err")"
R="$TMP/out/report.html"
grep -q 'id="ads"' "$R" || fail "no ads section"
grep -q 'class="spend"' "$R" || fail "no spend chart"
grep -q '<h3>Targeting used most</h3>' "$R" || fail "no targeting table"
grep -q '&lt;script&gt;alert(1)&lt;/script&gt;' "$R" || fail "the script payload is not shown escaped"
grep -qi '<script' "$R" && fail "a <script element in the report"
grep -q '<img' "$R" && fail "an <img element in the report"
grep -q '</style><b>' "$R" && fail "the style payload escaped its text"
[ "$(grep -c '</style>' "$R")" -eq 1 ] || fail "more than one </style>"
clusters=$(json_get "$TMP/out/summary.json" counts.clusters)
[ "$clusters" -ge 1 ] || fail "the two hostile pages form no cluster"
rows=$(grep -c '<tr><td><svg' "$R")
[ "$rows" -ge "$clusters" ] || fail "$rows cluster rows for $clusters clusters"
pass "hostile ads: the report's ads section shows every payload as text ($clusters clusters)"
