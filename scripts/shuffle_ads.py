#!/usr/bin/python3
"""Placebo for the ads null: deals the advertisers (landing URLs) of the IRA
ads out again at random, over all ads ("all") or among the ads of the same
creation month ("month"), seeded. Used by tests/ads_null.sh and
scripts/results_ads.sh.

Usage: shuffle_ads.py SRC.jsonl DST.jsonl SEED all|month
"""
import json
import random
import sys

src, dst, seed, mode = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
rows = [json.loads(l) for l in open(src, encoding="utf-8") if l.strip()]
groups = {}
for i, r in enumerate(rows):
    groups.setdefault((r.get("created") or "")[:7] if mode == "month" else "", []).append(i)
rng = random.Random(seed)
for k in sorted(groups):
    urls = [rows[i]["url"] for i in groups[k]]
    rng.shuffle(urls)
    for i, u in zip(groups[k], urls):
        rows[i]["url"] = u
with open(dst, "w", encoding="utf-8") as f:
    for r in rows:
        f.write(json.dumps(r) + "\n")
