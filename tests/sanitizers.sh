#!/bin/sh
# Builds lockstep with AddressSanitizer and UBSan (build-asan/) and runs the
# unit tests and the end-to-end CLI tests with it: any memory error, leak or
# undefined behaviour fails the run.
. "$(dirname "$0")/lib.sh.inc"
ROOT=$(pwd)
ASAN_BUILD=$ROOT/build-asan
FLAGS="-O1 -g -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer"
UNITS=$(for f in "$ROOT"/tests/unit/test_*.c; do basename "$f" .c; done)
make -s -C "$ROOT" BUILD=build-asan OPT="$FLAGS" build-asan/lockstep \
	$(for t in $UNITS; do printf 'build-asan/tests/%s ' "$t"; done) > "$TMP/build.log" 2>&1 \
	|| { cat "$TMP/build.log" >&2; fail "sanitizer build failed"; }
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=0 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
for t in $UNITS; do
	"$ASAN_BUILD/tests/$t" > "$TMP/$t.log" 2>&1 || { tail -n 40 "$TMP/$t.log" >&2; fail "$t under sanitizers"; }
done
for t in cli_errors determinism coortweet_parity hostile; do
	[ -f "$ROOT/tests/$t.sh" ] || continue
	sh "$ROOT/tests/$t.sh" "$ASAN_BUILD" > "$TMP/$t.log" 2>&1
	rc=$?
	[ $rc = 0 ] || [ $rc = 77 ] || { tail -n 40 "$TMP/$t.log" >&2; fail "$t under sanitizers"; }
done
pass "unit and CLI tests clean under AddressSanitizer and UBSan"
