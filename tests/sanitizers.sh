#!/bin/sh
# Builds lockstep with AddressSanitizer and UBSan (build-asan/) and runs the
# unit tests and the end-to-end CLI tests with it: any memory error, leak or
# undefined behaviour fails the run.
. "$(dirname "$0")/lib.sh.inc"
ROOT=$(pwd)
ASAN_BUILD=$ROOT/build-asan
FLAGS="-O1 -g -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer"
make -s -C "$ROOT" BUILD=build-asan OPT="$FLAGS" build-asan/lockstep \
	build-asan/tests/test_link build-asan/tests/test_read build-asan/tests/test_explain \
	build-asan/tests/test_synth build-asan/tests/test_score > "$TMP/build.log" 2>&1 || { cat "$TMP/build.log" >&2; fail "sanitizer build failed"; }
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=0 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
for t in test_link test_read test_explain test_synth test_score; do
	"$ASAN_BUILD/tests/$t" > "$TMP/$t.log" 2>&1 || { tail -n 40 "$TMP/$t.log" >&2; fail "$t under sanitizers"; }
done
for t in cli_errors determinism coortweet_parity; do
	sh "$ROOT/tests/$t.sh" "$ASAN_BUILD" > "$TMP/$t.log" 2>&1
	rc=$?
	[ $rc = 0 ] || [ $rc = 77 ] || { tail -n 40 "$TMP/$t.log" >&2; fail "$t under sanitizers"; }
done
pass "unit and CLI tests clean under AddressSanitizer and UBSan"
