#!/bin/sh
# The built-in scenario: detect finds the planted operations and few organic
# accounts. The bars are set below what the walking skeleton measured
# (seed 3: recall 0.98, precision 0.67) so that a regression fails the test;
# the significance work (null models, FDR) is expected to raise them.
. "$(dirname "$0")/lib.sh.inc"
"$LOCKSTEP" synth -o "$TMP/data" --seed 3 --size small 2>/dev/null || fail "synth exited $?"
"$LOCKSTEP" detect --quiet "$TMP/data/posts.csv" -o "$TMP/out" || fail "detect exited $?"
"$LOCKSTEP" eval --truth "$TMP/data/truth.csv" "$TMP/out" > "$TMP/eval.txt" || fail "eval exited $?"
cat "$TMP/eval.txt"
E=$TMP/out/eval.json
/usr/bin/python3 - "$E" <<'PY' || fail "quality below the bar"
import json, sys
e = json.load(open(sys.argv[1]))
ok = e["recall"] >= 0.9 and e["precision"] >= 0.55 and e["positives"] > 0
for name, c in e["categories"].items():
    if name != "organic" and c["flagged"] < 0.8 * c["accounts"]:
        print("campaign %s: only %d of %d accounts flagged" % (name, c["flagged"], c["accounts"]))
        ok = False
sys.exit(0 if ok else 1)
PY
# Null scenario: no planted operation; few organic accounts may be flagged.
"$LOCKSTEP" synth -o "$TMP/null" --seed 3 --size small --campaigns 0 2>/dev/null || fail "synth --campaigns 0"
"$LOCKSTEP" detect --quiet "$TMP/null/posts.csv" -o "$TMP/nout" || fail "detect (null) exited $?"
"$LOCKSTEP" eval --quiet --truth "$TMP/null/truth.csv" "$TMP/nout" || fail "eval (null) exited $?"
[ "$(json_get "$TMP/nout/eval.json" positives)" = 0 ] || fail "null scenario has planted accounts"
pass "planted operations found; null scenario flags $(json_get "$TMP/nout/eval.json" flagged) organic accounts"
