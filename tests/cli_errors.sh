#!/bin/sh
# Bad command lines and bad input give clear errors and documented exit codes;
# malformed records are skipped and counted, or stop the run under --strict.
. "$(dirname "$0")/lib.sh.inc"
expect() { # code description command...
	want=$1; what=$2; shift 2
	"$@" > "$TMP/out.txt" 2> "$TMP/err.txt"; got=$?
	[ "$got" = "$want" ] || { cat "$TMP/err.txt" >&2; fail "$what: exit $got, want $want"; }
}
expect 2 "no command" "$LOCKSTEP"
expect 0 "help" "$LOCKSTEP" --help
grep -q "Exit codes" "$TMP/out.txt" || fail "--help does not document exit codes"
expect 2 "unknown command" "$LOCKSTEP" frobnicate
expect 2 "unknown option" "$LOCKSTEP" detect --frob -o "$TMP/o" x.csv
expect 2 "missing -o" "$LOCKSTEP" detect x.csv
expect 2 "bad window" "$LOCKSTEP" detect --window -5 -o "$TMP/o" x.csv
expect 2 "bad behaviour" "$LOCKSTEP" detect --behaviours cotweet,nope -o "$TMP/o" x.csv
expect 2 "bad format name" "$LOCKSTEP" detect --format nope -o "$TMP/o" x.csv
expect 1 "missing input" "$LOCKSTEP" detect -o "$TMP/o" "$TMP/does-not-exist.csv"
grep -q "does-not-exist.csv" "$TMP/err.txt" || fail "missing input: message does not name the file"
expect 1 "directory as input" "$LOCKSTEP" detect -o "$TMP/o" "$TMP"
printf 'a,b,c\n1,2,3\n' > "$TMP/unknown.csv"
expect 3 "undetectable format" "$LOCKSTEP" detect -o "$TMP/o" "$TMP/unknown.csv"

# Two bad rows among good ones: skipped and counted by default; --strict stops.
cat > "$TMP/bad.csv" <<'CSV'
message_id,user_id,username,repost_id,reply_id,message,timestamp,urls
1,u1,alice,,,hello world again,1700000000,
2,u2,bob,1,,RT @alice: hello world again,1700000010,
3,u3,carol,1,,RT @alice: hello world again,not-a-time,
4,,,1,,RT @alice: hello world again,1700000020,
5,u4,dave,1,,RT @alice: hello world again,1700000030,
CSV
expect 0 "bad rows skipped" "$LOCKSTEP" detect -o "$TMP/skip" "$TMP/bad.csv"
grep -q "bad.csv:4" "$TMP/err.txt" || fail "no file:line for the bad time"
grep -q "timestamp" "$TMP/err.txt" || fail "the bad field is not named"
[ "$(json_get "$TMP/skip/summary.json" counts.posts_skipped)" = 2 ] || fail "skipped count"
[ "$(json_get "$TMP/skip/summary.json" counts.posts_read)" = 3 ] || fail "read count"
expect 3 "strict" "$LOCKSTEP" detect --strict -o "$TMP/strict" "$TMP/bad.csv"
grep -q "bad.csv:4" "$TMP/err.txt" || fail "strict: no file:line"
[ -e "$TMP/strict/summary.json" ] && fail "strict: outputs written after a failure"
pass "usage errors, missing files, bad rows and --strict behave as documented"
