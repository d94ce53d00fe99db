#!/bin/sh
# A short fuzz pass per reader (10 s each; FUZZ_SECONDS overrides) so that
# `make test` catches regressions the corpus already knows how to reach.
# Builds the libFuzzer targets with clang-14 (fuzz/run.sh); skipped (77)
# when clang-14 or its fuzzer runtime is missing.
. "$(dirname "$0")/lib.sh.inc"
command -v clang-14 > /dev/null 2>&1 || { echo "SKIP: clang-14 not installed"; exit 77; }
[ -n "$(ls /usr/lib/llvm-14/lib/clang/*/lib/linux/libclang_rt.fuzzer-x86_64.a 2>/dev/null)" ] ||
	{ echo "SKIP: libclang-rt-14-dev (libFuzzer) not installed"; exit 77; }
FUZZ_SECONDS=${FUZZ_SECONDS:-10} sh fuzz/run.sh > "$TMP/fuzz.log" 2>&1
rc=$?
cat "$TMP/fuzz.log"
[ $rc = 77 ] && exit 77
[ $rc = 0 ] || fail "a fuzz target found a crash (see build-fuzz/crash-* and build-fuzz/fuzz-*.log)"
pass "every reader survived a short fuzz pass"
