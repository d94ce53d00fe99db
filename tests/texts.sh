#!/bin/sh
# The evidence excerpts are the same whether the texts were kept while
# reading (--text-memory, default 512 MB), dropped part way (a budget too
# small for them) or never kept (--text-memory 0: the inputs are re-read),
# for CSV and for Twitter v2 pages (many posts on one line, of which the
# evidence needs only some).
. "$(dirname "$0")/lib.sh.inc"
"$LOCKSTEP" synth -o "$TMP/data" --seed 11 --size small 2>/dev/null || fail "synth exited $?"

same_outputs() { # DIR_A DIR_B WHAT
	for f in "$1"/*; do
		cmp -s "$f" "$2/$(basename "$f")" || fail "$(basename "$f") differs: $3"
	done
	[ "$(ls "$1" | wc -l)" = "$(ls "$2" | wc -l)" ] || fail "other files: $3"
}
excerpts() { # evidence.json -> number of posts with a non-empty excerpt
	/usr/bin/python3 -c 'import json,sys
n=0
def walk(v):
    global n
    if isinstance(v,dict):
        if isinstance(v.get("text"),str) and v["text"]: n+=1
        for x in v.values(): walk(x)
    elif isinstance(v,list):
        for x in v: walk(x)
walk(json.load(open(sys.argv[1])))
print(n)' "$1"
}

P="$TMP/data/posts.csv"
"$LOCKSTEP" detect --quiet "$P" -o "$TMP/kept" || fail "detect exited $?"
"$LOCKSTEP" detect --quiet --text-memory 0 "$P" -o "$TMP/reread" || fail "detect --text-memory 0 exited $?"
"$LOCKSTEP" detect --quiet --text-memory 1 "$P" -o "$TMP/dropped" || fail "detect --text-memory 1 exited $?"
same_outputs "$TMP/kept" "$TMP/reread" "texts kept vs re-read (CSV)"
same_outputs "$TMP/kept" "$TMP/dropped" "texts kept vs dropped part way (CSV)"
n=$(excerpts "$TMP/kept/evidence.json")
[ "$n" -gt 100 ] || fail "only $n excerpts in evidence.json"
pass "CSV: $n excerpts, the same kept, dropped part way and re-read"

# The same posts as Twitter API v2 pages, 40 posts to a line: the re-read
# must pass over the posts of a line that the evidence does not need
/usr/bin/python3 - "$P" "$TMP/pages.jsonl" <<'EOF' || fail "writing v2 pages"
import csv, json, sys, datetime
rows = list(csv.DictReader(open(sys.argv[1], newline='', encoding='utf-8')))
with open(sys.argv[2], 'w', encoding='utf-8') as out:
    for i in range(0, len(rows), 40):
        data, users = [], {}
        for r in rows[i:i + 40]:
            t = datetime.datetime.fromtimestamp(int(r['timestamp']), datetime.timezone.utc)
            tw = {'id': r['message_id'], 'author_id': r['user_id'],
                  'created_at': t.strftime('%Y-%m-%dT%H:%M:%S.000Z'), 'text': r['message']}
            if r['repost_id']:
                tw['referenced_tweets'] = [{'type': 'retweeted', 'id': r['repost_id']}]
            data.append(tw)
            users[r['user_id']] = {'id': r['user_id'], 'username': r['username']}
        out.write(json.dumps({'data': data, 'includes': {'users': list(users.values())}}) + '\n')
EOF
"$LOCKSTEP" detect --quiet "$TMP/pages.jsonl" -o "$TMP/pkept" || fail "detect (pages) exited $?"
"$LOCKSTEP" detect --quiet --text-memory 0 "$TMP/pages.jsonl" -o "$TMP/preread" || fail "detect --text-memory 0 (pages) exited $?"
same_outputs "$TMP/pkept" "$TMP/preread" "texts kept vs re-read (v2 pages)"
grep -q "not found as recorded" "$TMP/preread/evidence.json" && fail "the re-read missed posts of a page"
m=$(excerpts "$TMP/pkept/evidence.json")
[ "$m" -gt 100 ] || fail "only $m excerpts in evidence.json (pages)"
pass "v2 pages: $m excerpts, the same kept and re-read"
