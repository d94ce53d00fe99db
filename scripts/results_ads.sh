#!/bin/sh
# The ads section of docs/RESULTS.md (called by scripts/results.sh; prints
# Markdown on stdout): the IRA ads run with default options, its page
# clusters with their campaign facts (from ads.json), and the ads null's
# placebo check (advertisers shuffled over all ads and within months, as in
# tests/ads_null.sh). Usage: results_ads.sh LOCKSTEP SHARED TMPDIR
set -e
L=$1
SHARED=$2
TMP=$3
ADS="$SHARED/ira_fb_ads.jsonl"
if [ ! -e "$ADS" ]; then
	printf '\n## Ads\n\nskipped: %s is absent\n' "$ADS"
	exit 0
fi
"$L" detect "$ADS" -o "$TMP/ads" > "$TMP/ads.stdout" 2> "$TMP/ads.stderr"
placebo=""
for mode in all month; do
	for seed in 1 2 3 4 5; do
		/usr/bin/python3 "$(dirname "$0")/../scripts/shuffle_ads.py" "$ADS" "$TMP/shuf.jsonl" "$seed" "$mode"
		rm -rf "$TMP/shuf"
		"$L" detect --quiet "$TMP/shuf.jsonl" -o "$TMP/shuf"
		n=$(awk -F, 'NR > 1 && $NF == 1' "$TMP/shuf/accounts.csv" | wc -l)
		placebo="$placebo $mode:$seed:$n"
	done
done
/usr/bin/python3 - "$TMP/ads" "$TMP/ads.stdout" "$placebo" <<'PY'
import json, sys
out, stdout, placebo = sys.argv[1], sys.argv[2], sys.argv[3].split()
s = json.load(open(out + "/summary.json"))
a = json.load(open(out + "/ads.json"))
o = a["overall"]
conv = a["conversion"]
def spend(f):
    parts = ["%s %s" % (k, "{:,.2f}".format(v / 100)) for k, v in sorted(f["spend_cents"].items())]
    return " + ".join(parts) + "; USD {:,.2f} in all".format(f["spend_usd"])
def top(f, cats, k=1):
    got = []
    for c in cats:
        for v in f["targeting"].get(c, [])[:k]:
            got.append("%s: %s (%d)" % (c, v["value"], v["ads"]))
    return "; ".join(got) or "none"
def md(x):
    return str(x).replace("|", "\\|").replace("\n", " ")
c = s["counts"]
print()
print("## Ads: the IRA Facebook and Instagram ads (issue 7)")
print()
print("Data: the 3,498 ads released by the US House Permanent Select Committee on")
print("Intelligence (May 2018), text-extracted by Ed Summers (edsu/irads) and")
print("converted by Simon Willison (russian-ira-facebook-ads-datasette). Command,")
print("default options (the ads null, docs/METHODS.md section 8):")
print()
print("    lockstep detect ../shared/data/ira_fb_ads.jsonl -o OUT")
print()
print("- Read: %d ads, %d skipped (the one ad without a creation date); %d"
      " advertisers (pages, derived from the landing URL; %d ads name none)."
      % (c["posts_read"], c["posts_skipped"], c["accounts"], o["unattributed"]))
print("- Spend: %s at %s roubles to the dollar (%s; %s). Impressions %s, clicks %s;"
      " created %s to %s." % (spend(o), conv["rub_per_usd"], conv["date"], conv["source"],
      "{:,}".format(o["impressions"]), "{:,}".format(o["clicks"]), o["first_ad"][:10], o["last_ad"][:10]))
print("- Behaviours scored by the ads null: %s." % ", ".join(a["null"]["ads"]))
pages = sum(len(x["pages"]) for x in a["clusters"])
ads = sum(x["facts"]["ads"] for x in a["clusters"])
usd = sum(x["facts"]["spend_usd"] for x in a["clusters"])
print("- Found: **%d clusters of %d pages** (at --fdr 0.05), running %d ads"
      " (USD {:,.2f}, %.1f%% of all spend).".format(usd) % (len(a["clusters"]), pages, ads,
      100.0 * usd / o["spend_usd"] if o["spend_usd"] else 0))
print()
print("| cluster | pages (ads) | ads | spend | period | behaviours | observed / expected, p | top targets |")
print("|---|---|---|---|---|---|---|---|")
import difflib
variants = 0
for x in a["clusters"]:
    f = x["facts"]
    pg = "<br>".join("`%s` (%d)" % (md(p["page"]), p["ads"]) for p in x["pages"])
    names = [p["page"].split("/")[-1] for p in x["pages"]]
    if len(names) == 2 and "events" not in x["pages"][0]["page"] and \
            difflib.SequenceMatcher(None, names[0], names[1]).ratio() >= 0.75:
        pg += "<br>(name variants: probably one page, misread by OCR)"
        variants += 1
    print("| %d | %s | %d | %s | %s to %s | %s | %d / %.2f, p = %.2g | %s |" % (
        x["id"], pg, f["ads"], spend(f), f["first_ad"][:10], f["last_ad"][:10],
        ", ".join(x["behaviours"]), x["observed"], x["expected"], x["pvalue"],
        md(top(f, ["people_who_match", "interests", "location_living_in", "location", "age"]))))
print()
print("Reading the table: %d of the %d clusters pair two spellings of one page name"
      " (the release is OCR output; the advertiser is read from the landing URL,"
      " docs/FORMATS.md), which the method rediscovers from their shared texts,"
      " audiences and launch days; the others join pages under different names"
      " (a site and its Facebook page, a renamed page) or event pages of one campaign. Every page in the release belongs to the IRA, so the null"
      " is the rest of the operation: the clusters are the pages tied far more"
      " tightly than IRA pages in general, not the whole operation (docs/METHODS.md"
      " section 8)." % (variants, len(a["clusters"])))
print()
flag = [int(p.split(":")[2]) for p in placebo]
print("Calibration (`tests/ads_null.sh`): the advertiser of every ad dealt out at")
print("random, over all ads (5 seeds) and among the ads of the same month (5 seeds,")
print("every page keeps its ads per month, what the null conditions on): pages")
print("flagged per run: %s (the real run flags %d)." % (", ".join(str(n) for n in flag),
      sum(1 for l in open(out + "/accounts.csv").read().splitlines()[1:] if l.endswith(",1"))))
print()
PY
TWEETS="$SHARED/ira_tweets.csv.zst"
if [ ! -e "$TWEETS" ]; then
	printf '\n### Cross-platform links\n\nskipped: %s is absent\n' "$TWEETS"
	exit 0
fi
# cotargeting only: the links are the point here, not the tweet behaviours
"$L" detect --quiet --behaviours cotargeting "$ADS" "$TWEETS" -o "$TMP/xp"
/usr/bin/python3 - "$TMP/xp/crossplatform.json" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
m = d["matching"]
def md(x):
    return str(x).replace("|", "\\|").replace("\n", " ")
print()
print("### Cross-platform links: the ads and the IRA tweets")
print()
print("Command (crossplatform.json, docs/FORMATS.md; `--behaviours cotargeting`")
print("only keeps the run short, the links do not depend on it):")
print()
print("    lockstep detect --behaviours cotargeting ../shared/data/ira_fb_ads.jsonl \\")
print("        ../shared/data/ira_tweets.csv.zst -o OUT")
print()
print("- Compared: %s ads (%s distinct URLs, %s domains, %s handles) against %s"
      " tweets (%s URLs, %s mentions)." % tuple("{:,}".format(x) for x in (
      m["ads_read"], m["ads"]["url"], m["ads"]["domain"], m["ads"]["handle"],
      m["posts_read"], m["post_urls"], m["post_mentions"])))
print("- Found: %d shared URLs, %d shared domains, %d shared handles; %s tweets"
      " carry one of them." % (m["links"]["url"], m["links"]["domain"], m["links"]["handle"],
      "{:,}".format(m["posts_matched"])))
print("- Limit: %s of the tweets' %s URLs are t.co (or other shortener) links, which"
      " cannot be compared without expanding them (lockstep never goes online);"
      " %s matched. The tweets' side is therefore handles: author names and"
      " @mentions." % ("{:,}".format(m["post_urls_shortened"]), "{:,}".format(m["post_urls"]),
      "{:,}".format(m["post_urls_matched"])))
print()
print("| kind | key | ads | advertisers (ads) | tweets | tweeting accounts (tweets) | tweets from / to |")
print("|---|---|---|---|---|---|---|")
for l in d["links"][:25]:
    a, p = l["ads"], l["posts"]
    adv = ", ".join("`%s` (%d)" % (md(x["account"]), x["ads"]) for x in a["advertisers"][:3])
    if a["advertisers_total"] > 3:
        adv += ", ... (%d)" % a["advertisers_total"]
    acc = ", ".join("`%s` (%d)" % (md(x.get("handle") or x["account"]), x["posts"]) for x in p["accounts"][:3])
    if p["accounts_total"] > 3:
        acc += ", ... (%d accounts)" % p["accounts_total"]
    print("| %s | `%s` | %d | %s | %s | %s | %s to %s |" % (l["kind"], md(l["key"]), a["ads"], adv,
          "{:,}".format(p["posts"]), acc, p["first"][:10], p["last"][:10]))
print()
print("Reading the table: a handle shared by an ad page and a tweeting account of")
print("the same name (`blackmattersus`, `patriototus`, `blacktivists`, `instotus`,")
print("`southlonestar`) is the same persona run on both platforms; a handle the ads")
print("only *mention* (a public figure such as `kaepernick7`) is a shared target,")
print("not a shared asset: the advertisers column says which ads carry it.")
PY
