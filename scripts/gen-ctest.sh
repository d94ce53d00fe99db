#!/bin/sh
# Writes a CTestTestfile.cmake listing every test: the unit binaries in
# BUILD/tests and the shell tests tests/*.sh (run from the repo root).
BUILD=${1:-build}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
for t in "$ROOT/$BUILD"/tests/test_*; do
	[ -x "$t" ] || continue
	n=$(basename "$t")
	echo "add_test($n \"$t\")"
	echo "set_tests_properties($n PROPERTIES WORKING_DIRECTORY \"$ROOT\")"
done
for t in "$ROOT"/tests/*.sh; do
	[ -f "$t" ] || continue
	n=$(basename "$t" .sh)
	echo "add_test($n \"/bin/sh\" \"$t\" \"$ROOT/$BUILD\")"
	echo "set_tests_properties($n PROPERTIES WORKING_DIRECTORY \"$ROOT\" SKIP_RETURN_CODE 77)"
done
