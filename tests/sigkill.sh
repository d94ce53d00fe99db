#!/bin/sh
# No damage: a detect run killed with SIGKILL at any moment leaves OUT as
# the previous complete run or the new complete run, byte for byte, never
# a mix or a truncated file (outputs are staged and swapped in one step,
# src/core/outdir.c). Input: a medium synthetic scenario (~600k posts, a
# run of several seconds). The previous run uses another window, so its
# files differ from the new ones and a mix would show. Kills at 0.2, 0.5,
# 1 and 2 s, then at 50, 80, 90, 95, 98 and 150 % of the measured length
# of a run (the writing happens at the end), and once with no previous
# OUT (which must then be absent or complete).
. "$(dirname "$0")/lib.sh.inc"
"$LOCKSTEP" synth -o "$TMP/data" --seed 5 --size medium > /dev/null 2>&1 || fail "synth"
IN="$TMP/data/posts.csv"
"$LOCKSTEP" detect --quiet --window 30 "$IN" -o "$TMP/prev" || fail "reference run (previous)"
t0=$(date +%s.%N)
"$LOCKSTEP" detect --quiet "$IN" -o "$TMP/new" || fail "reference run (new)"
T=$(echo "$t0 $(date +%s.%N)" | awk '{ printf "%.2f", $2 - $1 }')
echo "a run takes $T s"
diff -rq "$TMP/prev" "$TMP/new" > /dev/null && fail "previous and new runs are identical: the test would not see a mix"

same() { diff -rq "$1" "$2" > /dev/null 2>&1; }
killed_at() { # seconds, with_previous
	rm -rf "$TMP/out"
	[ "$2" = 1 ] && cp -a "$TMP/prev" "$TMP/out"
	"$LOCKSTEP" detect --quiet "$IN" -o "$TMP/out" > /dev/null 2>&1 &
	pid=$!
	sleep "$1"
	kill -KILL "$pid" 2>/dev/null
	wait "$pid" 2>/dev/null
	if [ ! -e "$TMP/out" ]; then
		[ "$2" = 0 ] || fail "killed at $1 s: OUT vanished although a previous run was there"
		echo "killed at $1 s: OUT absent (no previous run)"
	elif same "$TMP/out" "$TMP/prev"; then
		echo "killed at $1 s: OUT is the previous run"
	elif same "$TMP/out" "$TMP/new"; then
		echo "killed at $1 s: OUT is the new run"
	else
		diff -rq "$TMP/out" "$TMP/prev" >&2
		fail "killed at $1 s: OUT is neither the previous nor the new run"
	fi
	rm -rf "$TMP"/out.tmp.* "$TMP"/out.*
}
killed_at 0.5 0
for t in 0.2 0.5 1 2 $(echo "$T" | awk '{ printf "%.2f %.2f %.2f %.2f %.2f %.2f", $1*.5, $1*.8, $1*.9, $1*.95, $1*.98, $1*1.5 }'); do
	killed_at "$t" 1
done
pass "SIGKILL from 0.2 s to past the end of a run leaves OUT as the previous or the new complete run"
