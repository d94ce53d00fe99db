#!/bin/sh
# make demo: generate the built-in scenario, detect, and score against the truth.
set -e
BUILD=${1:-build}
DATA=$BUILD/demo/data
OUT=$BUILD/demo/out
echo "== lockstep demo: synthetic scenario with planted campaigns =="
"$BUILD/lockstep" synth -o "$DATA" --seed 7 --size small
echo
echo "== detect (window 60 s, all behaviours) =="
"$BUILD/lockstep" detect "$DATA/posts.csv" -o "$OUT"
echo
echo "== against the planted truth =="
"$BUILD/lockstep" eval --truth "$DATA/truth.csv" "$OUT"
echo
echo "Input:   $DATA/posts.csv (truth: $DATA/truth.csv)"
echo "Results: $OUT/ (accounts.csv clusters.csv edges.csv network.graphml summary.json eval.json)"
