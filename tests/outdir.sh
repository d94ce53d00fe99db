#!/bin/sh
# The output directory is replaced as a whole: a new run leaves no stale file
# of the previous one, no staging directory is left behind, and a folder of
# someone else's files is refused rather than overwritten.
. "$(dirname "$0")/lib.sh.inc"
"$LOCKSTEP" synth -o "$TMP/data" --seed 2 --size small 2>/dev/null || fail "synth"
"$LOCKSTEP" detect --quiet --emit-pairs "$TMP/data/posts.csv" -o "$TMP/out" || fail "detect 1"
[ -f "$TMP/out/pairs.csv" ] || fail "pairs.csv not written with --emit-pairs"
"$LOCKSTEP" detect --quiet "$TMP/data/posts.csv" -o "$TMP/out" || fail "detect 2"
[ -e "$TMP/out/pairs.csv" ] && fail "stale pairs.csv of the previous run left in place"
[ -f "$TMP/out/summary.json" ] || fail "summary.json missing after a re-run"
ls -d "$TMP"/out.* 2>/dev/null && fail "staging directory left behind"
mkdir "$TMP/mine" && echo "precious" > "$TMP/mine/notes.txt"
"$LOCKSTEP" detect --quiet "$TMP/data/posts.csv" -o "$TMP/mine" 2> "$TMP/err.txt" && fail "wrote into a folder of other files"
grep -q "not a lockstep run" "$TMP/err.txt" || fail "no clear message for a foreign folder"
[ "$(cat "$TMP/mine/notes.txt")" = precious ] || fail "a foreign file was touched"
echo x > "$TMP/file"
"$LOCKSTEP" detect --quiet "$TMP/data/posts.csv" -o "$TMP/file" 2>/dev/null && fail "accepted a regular file as output directory"
pass "output directory replaced atomically and as a whole; foreign folders refused"
