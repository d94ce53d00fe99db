#!/bin/sh
# The full FiveThirtyEight IRA corpus reads completely (2,463,944 posts, none
# skipped) and a detect run writes all five outputs.
. "$(dirname "$0")/lib.sh.inc"
need_shared ira_tweets.csv.zst
"$LOCKSTEP" detect --quiet "$SHARED/ira_tweets.csv.zst" -o "$TMP/out" || fail "detect exited $?"
S=$TMP/out/summary.json
for f in accounts.csv edges.csv clusters.csv network.graphml summary.json; do
	[ -s "$TMP/out/$f" ] || fail "$f missing or empty"
done
read=$(json_get "$S" counts.posts_read)
skipped=$(json_get "$S" counts.posts_skipped)
[ "$read" = 2463944 ] || fail "posts_read = $read, want 2463944"
[ "$skipped" = 0 ] || fail "posts_skipped = $skipped, want 0"
[ "$(json_get "$S" inputs.0.format)" = fivethirtyeight ] || fail "format not detected"
sha=$(zstd -q -c "$SHARED/ira_tweets.csv.zst" >/dev/null; sha256sum "$SHARED/ira_tweets.csv.zst" | cut -d' ' -f1)
[ "$(json_get "$S" inputs.0.sha256)" = "$sha" ] || fail "input sha256 differs from sha256sum"
accounts=$(($(wc -l < "$TMP/out/accounts.csv") - 1))
[ "$accounts" -gt 2000 ] && [ "$accounts" -le 2856 ] || fail "$accounts accounts (the corpus has 2,839)"
clusters=$(json_get "$S" counts.clusters)
[ "$clusters" -gt 0 ] || fail "no clusters found in a state operation's tweets"
pass "IRA: $read posts, $accounts accounts, $clusters clusters"
