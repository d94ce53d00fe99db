#!/bin/sh
# Hostile input corpus: every case in tests/hostile/cases.tsv (one small
# file each, plus a few made here: a directory, an unreadable file, two
# 100 MB lines) is run through `lockstep detect`; the exit code, the posts
# read and skipped (summary.json) and a substring of the messages (with
# file:line) must match the table. Every case that skips a malformed
# record is run again with --strict, which must stop with exit code 3 at
# that record and write no outputs (duplicates are skipped in both modes).
#
# The unreadable file: tests run as root, for whom chmod 000 changes
# nothing, so the run drops to nobody (setpriv) for that case; without
# setpriv as root the case is skipped.
. "$(dirname "$0")/lib.sh.inc"
DIR=tests/hostile
[ -f "$DIR/cases.tsv" ] || fail "no $DIR/cases.tsv"
chmod 755 "$TMP"
nfail=0 ncase=0 nstrict=0
bad() { echo "FAIL: $*" >&2; nfail=$((nfail + 1)); }

special() { # name -> path (made in $TMP)
	case $1 in
	@directory) mkdir -p "$TMP/a_directory"; echo "$TMP/a_directory" ;;
	@unreadable) echo secret > "$TMP/unreadable.csv"; chmod 000 "$TMP/unreadable.csv"; echo "$TMP/unreadable.csv" ;;
	@100mb_line.csv)
		f="$TMP/100mb_line.csv"
		{ printf 'message_id,user_id,username,repost_id,reply_id,message,timestamp,urls\n'
		  printf 'm1,u1,alice,,,hello world,1600000000,\n'
		  head -c 104857600 /dev/zero | tr '\0' x
		  printf '\nm2,u2,bob,m1,,RT @alice: hello world,1600000010,\n'; } > "$f"
		echo "$f" ;;
	@100mb_line.jsonl)
		f="$TMP/100mb_line.jsonl"
		{ printf '{"created_at":"Wed Oct 10 20:19:24 +0000 2018","id_str":"1","text":"a","user":{"id_str":"u1"}}\n'
		  printf '{"created_at":"Wed Oct 10 20:19:24 +0000 2018","id_str":"2","user":{"id_str":"u2"},"text":"'
		  head -c 104857600 /dev/zero | tr '\0' x
		  printf '"}\n{"created_at":"Wed Oct 10 20:19:25 +0000 2018","id_str":"3","text":"b","user":{"id_str":"u3"}}\n'; } > "$f"
		echo "$f" ;;
	esac
}

TAB=$(printf '\t')
while IFS="$TAB" read -r file args want_read want_skipped want_exit msg; do
	case $file in '#'*|'') continue ;; esac
	ncase=$((ncase + 1))
	run_as=""
	case $file in
	@*) path=$(special "$file")
		if [ "$file" = @unreadable ] && [ "$(id -u)" = 0 ]; then
			command -v setpriv >/dev/null 2>&1 || { echo "SKIP: $file (root without setpriv)"; continue; }
			run_as="setpriv --reuid=65534 --regid=65534 --clear-groups"
		fi ;;
	*) path="$DIR/$file" ;;
	esac
	[ "$args" = - ] && args=""
	out="$TMP/out.$ncase"
	# shellcheck disable=SC2086 # args is a list of options
	$run_as "$LOCKSTEP" detect $args "$path" -o "$out" > "$TMP/stdout" 2> "$TMP/stderr"
	rc=$?
	if [ "$rc" != "$want_exit" ]; then
		bad "$file: exit $rc, want $want_exit"; sed 's/^/    /' "$TMP/stderr" | head -n 5 >&2; continue
	fi
	if [ "$msg" != - ] && ! grep -qF -- "$msg" "$TMP/stderr"; then
		bad "$file: no message containing '$msg'"; sed 's/^/    /' "$TMP/stderr" | head -n 5 >&2
	fi
	if [ "$want_exit" = 0 ]; then
		got_read=$(json_get "$out/summary.json" inputs.0.posts_read 2>/dev/null)
		got_skipped=$(json_get "$out/summary.json" inputs.0.posts_skipped 2>/dev/null)
		[ "$want_read" = - ] || [ "$got_read" = "$want_read" ] || bad "$file: read $got_read, want $want_read"
		[ "$want_skipped" = - ] || [ "$got_skipped" = "$want_skipped" ] ||
			bad "$file: skipped $got_skipped, want $want_skipped"
		# --strict stops at the first malformed record (not at a duplicate)
		case "$args $msg" in *--strict*|*duplicate*) ;; *)
			if [ "$want_skipped" != - ] && [ "$want_skipped" != 0 ]; then
				nstrict=$((nstrict + 1))
				# shellcheck disable=SC2086
				"$LOCKSTEP" detect --strict $args "$path" -o "$out.strict" > /dev/null 2> "$TMP/stderr"
				rc=$?
				[ $rc = 3 ] || bad "$file --strict: exit $rc, want 3"
				[ "$msg" = - ] || grep -qF -- "$msg" "$TMP/stderr" || bad "$file --strict: no message '$msg'"
				[ -e "$out.strict" ] && bad "$file --strict: outputs written after a failure"
			fi ;;
		esac
	fi
	rm -rf "$out" "$out.strict"
done < "$DIR/cases.tsv"
rm -f "$TMP/100mb_line.csv" "$TMP/100mb_line.jsonl"
[ "$ncase" -ge 50 ] || fail "only $ncase hostile cases (want >= 50)"
[ "$nfail" = 0 ] || fail "$nfail of $ncase hostile cases failed"
pass "$ncase hostile inputs ($nstrict also under --strict): exit codes, counts and file:line messages as expected"
