#!/bin/sh
# Same input and options give byte-identical outputs; a different seed for the
# clustering changes nothing it should not (inputs and links stay the same).
. "$(dirname "$0")/lib.sh.inc"
"$LOCKSTEP" synth -o "$TMP/data" --seed 11 --size small 2>/dev/null || fail "synth exited $?"
"$LOCKSTEP" synth -o "$TMP/data2" --seed 11 --size small 2>/dev/null || fail "synth exited $?"
cmp -s "$TMP/data/posts.csv" "$TMP/data2/posts.csv" || fail "synth is not deterministic"
cmp -s "$TMP/data/truth.csv" "$TMP/data2/truth.csv" || fail "synth truth is not deterministic"
for run in a b; do
	"$LOCKSTEP" detect --quiet --seed 5 "$TMP/data/posts.csv" -o "$TMP/$run" || fail "detect exited $?"
done
for f in accounts.csv edges.csv clusters.csv network.graphml summary.json; do
	cmp -s "$TMP/a/$f" "$TMP/b/$f" || fail "$f differs between two identical runs"
done
# stdin gives the same results (only the recorded path differs)
"$LOCKSTEP" detect --quiet --seed 5 - -o "$TMP/c" < "$TMP/data/posts.csv" || fail "detect from stdin exited $?"
for f in accounts.csv edges.csv clusters.csv network.graphml; do
	cmp -s "$TMP/a/$f" "$TMP/c/$f" || fail "$f differs when read from stdin"
done
# compressed input gives the same results
gzip -c "$TMP/data/posts.csv" > "$TMP/posts.csv.gz"
zstd -q -c "$TMP/data/posts.csv" > "$TMP/posts.csv.zst"
for z in gz zst; do
	"$LOCKSTEP" detect --quiet --seed 5 "$TMP/posts.csv.$z" -o "$TMP/$z" || fail "detect .$z exited $?"
	cmp -s "$TMP/a/edges.csv" "$TMP/$z/edges.csv" || fail "edges differ for .$z input"
done
ls "$TMP/a" | grep -q '\.tmp\.' && fail "temporary files left behind"
pass "byte-identical outputs across runs, stdin, .gz and .zst"
