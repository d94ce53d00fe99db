#!/bin/sh
# crossplatform.json (src/explain/crossplatform.c): the URLs, domains and
# handles that both the ads and the other posts of a run push.
# 1. Hand-written samples: the Meta Ad Library sample against six tweets
#    (tests/data/ads/crossplatform_tweets.csv) give exactly the five links
#    worked out by hand, with the matching counts; a run of ads alone or
#    posts alone writes no crossplatform.json; the file is in the manifest,
#    verify re-creates it byte for byte, and 1 and 2 threads agree.
# 2. With the shared data: the IRA ads against the IRA tweets link the
#    handle blackmattersus (the advertiser's Facebook page and the Twitter
#    account @blackmattersus, which posted 4,142 of the tweets).
. "$(dirname "$0")/lib.sh.inc"
D=tests/data/ads
"$LOCKSTEP" detect --quiet --window 86400 "$D/meta_ads_sample.jsonl" "$D/crossplatform_tweets.csv" \
	-o "$TMP/cp" || fail "detect exited $?"
J=$TMP/cp/crossplatform.json
[ -s "$J" ] || fail "crossplatform.json missing"
got=$(/usr/bin/python3 -c 'import json,sys
d=json.load(open(sys.argv[1]))
for l in d["links"]:
    print(l["kind"], l["key"], l["ads"]["ads"], l["posts"]["posts"], l["posts"]["accounts_total"], ",".join(l["posts"]["examples"]))' "$J")
want="domain heartoftexas.example 2 1 1 1:3
domain blacktivist.example 1 1 1 1:5
handle heartoftexas 2 2 2 1:2,1:3
handle beingpatriotic 2 1 1 1:6
url heartoftexas.example/join 2 1 1 1:3"
[ "$got" = "$want" ] || fail "links differ; got:
$got
want:
$want"
[ "$(json_get "$J" matching.post_urls)" = 5 ] || fail "post_urls"
[ "$(json_get "$J" matching.post_urls_shortened)" = 1 ] || fail "post_urls_shortened (one t.co link)"
[ "$(json_get "$J" matching.post_urls_matched)" = 3 ] || fail "post_urls_matched"
[ "$(json_get "$J" matching.post_mentions_matched)" = 1 ] || fail "post_mentions_matched"
[ "$(json_get "$J" matching.posts_matched)" = 4 ] || fail "posts_matched"
[ "$(json_get "$J" links.2.ads.advertisers.0.handle)" = "Heart of Texas" ] || fail "page name not shown"
want_sha=$(sha256sum "$J" | cut -d' ' -f1)
got_sha=$(/usr/bin/python3 -c 'import json,sys
print(json.load(open(sys.argv[1]))["files"]["crossplatform.json"]["sha256"])' "$TMP/cp/manifest.json")
[ "$got_sha" = "$want_sha" ] || fail "crossplatform.json not in the manifest with its sha256"
"$LOCKSTEP" verify "$TMP/cp" > "$TMP/verify.log" 2>&1 || { cat "$TMP/verify.log"; fail "verify failed"; }
"$LOCKSTEP" detect --quiet --threads 2 --window 86400 "$D/meta_ads_sample.jsonl" "$D/crossplatform_tweets.csv" \
	-o "$TMP/cp2" || fail "detect --threads 2 exited $?"
cmp -s "$J" "$TMP/cp2/crossplatform.json" || fail "1 and 2 threads differ"
"$LOCKSTEP" detect --quiet --window 86400 "$D/meta_ads_sample.jsonl" -o "$TMP/ads" || fail "ads alone"
[ -e "$TMP/ads/crossplatform.json" ] && fail "crossplatform.json written for ads alone"
"$LOCKSTEP" detect --quiet "$D/crossplatform_tweets.csv" -o "$TMP/posts" || fail "posts alone"
[ -e "$TMP/posts/crossplatform.json" ] && fail "crossplatform.json written for posts alone"
pass "samples: 5 links (2 domains, 2 handles, 1 URL), verified, thread-independent"

if [ ! -e "$SHARED/ira_fb_ads.jsonl" ] || [ ! -e "$SHARED/ira_tweets.csv.zst" ]; then
	echo "SKIP (part 2): the shared data folder is not beside this clone"
	exit 0
fi
"$LOCKSTEP" detect --quiet --behaviours cotargeting --window 86400 "$SHARED/ira_fb_ads.jsonl" \
	"$SHARED/ira_tweets.csv.zst" -o "$TMP/ira" || fail "IRA detect exited $?"
J=$TMP/ira/crossplatform.json
line=$(/usr/bin/python3 -c 'import json,sys
d=json.load(open(sys.argv[1]))
for l in d["links"]:
    if l["kind"] == "handle" and l["key"] == "blackmattersus":
        acc = {a["account"]: a["posts"] for a in l["posts"]["accounts"]}
        adv = [a["account"] for a in l["ads"]["advertisers"]]
        print(l["ads"]["ads"] > 0, "facebook.com/blackmattersus" in adv, acc.get("blackmattersus"))' "$J")
[ "$line" = "True True 4142" ] || fail "IRA: handle blackmattersus not linked as expected (got '$line')"
n=$(json_get "$J" matching.links.handle)
[ "$(json_get "$J" matching.posts_read)" = 2463944 ] || fail "IRA: posts_read"
pass "IRA ads x tweets: $n shared handles, blackmattersus among them"
