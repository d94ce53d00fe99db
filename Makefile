# lockstep build. `make` builds build/lockstep; `make demo` and `make test`
# first install missing Debian packages (scripts/deps.sh), then build.
# SPDX-License-Identifier: GPL-3.0-or-later

CC      ?= cc
CXX     ?= c++
BUILD   ?= build
PKGS    := igraph libzstd zlib libxxhash libcrypto gsl
OPT     ?= -O2 -g
WARN    := -Wall -Wextra -Wpedantic -Wshadow -Wformat=2 -Wstrict-prototypes -Wmissing-prototypes
CFLAGS  += -std=c11 -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE $(OPT) $(WARN) -Werror \
           -Iinclude -Isrc $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
LDLIBS  += $(shell pkg-config --libs $(PKGS) 2>/dev/null || echo -ligraph -lzstd -lz -lxxhash -lcrypto -lgsl -lgslcblas) -lcsv -lm -lpthread \
           -lsimdjson -lstdc++
# The one C++ file (src/read/json_simdjson.cpp: simdjson behind a C API).
CXXFLAGS += -std=c++17 $(OPT) $(filter-out -Wstrict-prototypes -Wmissing-prototypes,$(WARN)) \
           -Werror -Iinclude -Isrc

LIB_SRC := $(sort $(wildcard src/*/*.c))
CLI_SRC := $(sort $(wildcard cli/*.c))
UNIT_SRC:= $(sort $(wildcard tests/unit/test_*.c))
BENCH_SRC:= $(sort $(wildcard bench/*.c))
LIB_OBJ := $(LIB_SRC:%.c=$(BUILD)/obj/%.o) $(patsubst %.cpp,$(BUILD)/obj/%.o,$(wildcard src/*/*.cpp))
CLI_OBJ := $(CLI_SRC:%.c=$(BUILD)/obj/%.o)
UNIT_BIN:= $(UNIT_SRC:tests/unit/%.c=$(BUILD)/tests/%)
BENCH_BIN:= $(BENCH_SRC:bench/%.c=$(BUILD)/bench/%)

.PHONY: all deps demo test bench results clean asan format fuzz
all: $(BUILD)/lockstep

$(BUILD)/liblockstep.a: $(LIB_OBJ)
	@mkdir -p $(@D)
	$(AR) rcs $@ $^

$(BUILD)/lockstep: $(CLI_OBJ) $(BUILD)/liblockstep.a
	$(CC) $(CFLAGS) -o $@ $(CLI_OBJ) $(BUILD)/liblockstep.a $(LDLIBS)

$(BUILD)/obj/%.o: %.c
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -MMD -MP -c -o $@ $<

$(BUILD)/tests/%: tests/unit/%.c $(BUILD)/liblockstep.a
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -Wno-missing-prototypes -o $@ $< $(BUILD)/liblockstep.a $(LDLIBS) -lcmocka

$(BUILD)/bench/%: bench/%.c $(BUILD)/liblockstep.a
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -Wno-missing-prototypes -o $@ $< $(BUILD)/liblockstep.a $(LDLIBS)

$(BUILD)/obj/%.o: %.cpp
	@mkdir -p $(@D)
	$(CXX) $(CXXFLAGS) -fvisibility=hidden -fvisibility-inlines-hidden -MMD -MP -c -o $@ $<
	objcopy --localize-hidden $@

-include $(LIB_OBJ:.o=.d) $(CLI_OBJ:.o=.d)

# Installs missing Debian packages (needs root or sudo; runs apt-get update first).
deps:
	@sh scripts/deps.sh

demo: deps
	@$(MAKE) --no-print-directory all
	@sh scripts/demo.sh $(BUILD)

test: deps
	@$(MAKE) --no-print-directory all $(UNIT_BIN) $(BENCH_BIN)
	@sh scripts/gen-ctest.sh $(BUILD) > $(BUILD)/CTestTestfile.cmake
	@cd $(BUILD) && ctest --output-on-failure -j2 --timeout 1500

bench: deps
	@$(MAKE) --no-print-directory all $(BENCH_BIN)
	@sh bench/run.sh $(BUILD)

# libFuzzer targets, one per reader (clang-14), each run FUZZ_SECONDS (default 60).
fuzz: deps
	@sh fuzz/run.sh

# Regenerates docs/RESULTS.md (a few minutes; real-data rows need ../shared).
results: deps
	@$(MAKE) --no-print-directory all
	@sh scripts/results.sh $(BUILD)

asan:
	$(MAKE) BUILD=build-asan OPT="-O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer" all

format:
	clang-format -i $(LIB_SRC) $(CLI_SRC) $(UNIT_SRC) include/lockstep.h

clean:
	rm -rf $(BUILD) build-asan
