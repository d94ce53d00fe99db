#!/bin/sh
# The public header compiles on its own as strict C11 and as C++ (-pedantic
# -Werror), and the library exports no symbol outside the ls_ prefix.
. "$(dirname "$0")/lib.sh.inc"
printf '#include "lockstep.h"\nint main(void) { ls_ctx_t *c = ls_ctx_new(); ls_ctx_free(c); return 0; }\n' > "$TMP/h.c"
cc -std=c11 -Wall -Wextra -Wpedantic -Werror -Iinclude -c "$TMP/h.c" -o "$TMP/h.o" || fail "header does not compile as C11"
cp "$TMP/h.c" "$TMP/h.cpp"
c++ -std=c++17 -Wall -Wextra -Wpedantic -Werror -Iinclude -c "$TMP/h.cpp" -o "$TMP/hpp.o" || fail "header does not compile as C++"
bad=$(nm -g --defined-only "$BUILD/liblockstep.a" 2>/dev/null | awk 'NF == 3 {print $3}' | grep -v '^ls_' | sort -u)
[ -z "$bad" ] || fail "library exports symbols without the ls_ prefix: $bad"
pass "header compiles alone (C11, C++17); all exported symbols are ls_*"
