# optbench - build, test, benchmark.  `make` builds ./optbench; `make test` runs the unit
# and end-to-end tests; `make bench` runs the benchmark; `make perf` measures speed.
# Missing Debian packages are installed by scripts/install-deps.sh on first use.

CC       ?= cc
BUILD    ?= build
.DEFAULT_GOAL := all
# -ffp-contract=off and per-element loops keep results bit-identical for any thread
# count and for both AVX2 and baseline code paths (see common/ob.h).  -funswitch-loops
# lets the update rules' option tests (amsgrad? eps inside?) leave the loop, which is
# what lets -ftree-vectorize vectorize them: adam's step on 10^7 doubles goes from 18 ms
# to 8 ms with it.  AMSGrad's loop touches five arrays, whose overlap checks exceed GCC's
# default budget of 6 run-time alias tests (then it stays scalar, 19 ms): allow 16.
CFLAGS   ?= -O2
CFLAGS   += -std=c11 -D_POSIX_C_SOURCE=200809L -ftree-vectorize -funswitch-loops -fno-math-errno \
            --param vect-max-version-for-alias-checks=16 \
            -ffp-contract=off -fopenmp -Wall -Wextra -MMD -MP -I.
# GSL's CBLAS calls resolve to OpenBLAS (listed before GSL's own libgslcblas).
LDLIBS   += -Wl,--no-as-needed -lopenblas -Wl,--as-needed -lgsl -lcsv -lz -lpng \
            -lcmark-gfm-extensions -lcmark-gfm -linih -ldouble-conversion -lstdc++ -lm -ldl
LDLIBS   += -lcjson
# common/dtoa.cc is the one C++ file: a C entry point to libdouble-conversion.
CXX      ?= g++
CXXFLAGS ?= -O2
CXXFLAGS += -std=c++11 -Wall -Wextra -MMD -MP -I.
LDFLAGS  += -fopenmp

# `make test SAN=1` builds everything with AddressSanitizer + UBSan into build-san/.
ifeq ($(SAN),1)
BUILD    := build-san
CFLAGS   := -O1 -g -fno-omit-frame-pointer -fsanitize=address,undefined \
            -fno-sanitize-recover=undefined $(filter-out -O2,$(CFLAGS))
CXXFLAGS := -O1 -g -fsanitize=address,undefined $(filter-out -O2,$(CXXFLAGS))
LDFLAGS  += -fsanitize=address,undefined
endif

# the library: every stage folder; cli/main.c is the program, perf/ the speed benchmarks
LIB_DIRS := common optimizers problems nets runs bench tables plots experiments/rate experiments/stability \
            experiments/landscape experiments report compare cli
LIB_SRC  := $(filter-out cli/main.c,$(wildcard $(LIB_DIRS:%=%/*.c)))
LIB_CXX  := $(wildcard common/*.cc)
LIB_OBJ  := $(LIB_SRC:%.c=$(BUILD)/%.o) $(LIB_CXX:%.cc=$(BUILD)/%.o)
TEST_SRC := $(wildcard tests/test_*.c)
TESTS    := $(TEST_SRC:tests/%.c=$(BUILD)/tests/%)
DEPS_OK  := $(BUILD)/.deps-ok
TEST_DEPS_OK := $(BUILD)/.test-deps-ok

# the version, and the commit baked into the binary (common/version.c)
VERSION  := 0.5.0
COMMIT   := $(shell git rev-parse --short=12 HEAD 2>/dev/null || echo unknown)$(shell \
              git rev-parse --git-dir >/dev/null 2>&1 && ! git diff --quiet HEAD -- 2>/dev/null && echo -dirty)
$(BUILD)/build-info.h: FORCE
	@mkdir -p $(@D)
	@printf '#define OB_VERSION "%s"\n#define OB_COMMIT "%s"\n' '$(VERSION)' '$(COMMIT)' > $@.tmp
	@cmp -s $@.tmp $@ && rm -f $@.tmp || mv $@.tmp $@
$(BUILD)/common/version.o: $(BUILD)/build-info.h
$(BUILD)/common/version.o: CFLAGS += -I$(BUILD)

.PHONY: all test bench perf clean deps FORCE
.SECONDARY:
all: optbench

# what running optbench needs (make, make bench) and what the tests need on top (make test)
deps: $(DEPS_OK)
$(DEPS_OK): scripts/install-deps.sh
	@mkdir -p $(@D)
	@INSTALL_LOG=$(BUILD)/install.log scripts/install-deps.sh run
	@touch $@
$(TEST_DEPS_OK): scripts/install-deps.sh | $(DEPS_OK)
	@INSTALL_LOG=$(BUILD)/install.log scripts/install-deps.sh test
	@touch $@

$(BUILD)/%.o: %.c Makefile | $(DEPS_OK)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -c $< -o $@

$(BUILD)/%.o: %.cc Makefile | $(DEPS_OK)
	@mkdir -p $(@D)
	$(CXX) $(CXXFLAGS) -c $< -o $@

$(BUILD)/liboptbench.a: $(LIB_OBJ)
	rm -f $@ && $(AR) rcs $@ $^

$(BUILD)/optbench: $(BUILD)/cli/main.o $(BUILD)/liboptbench.a
	$(CC) $(LDFLAGS) $^ $(LDLIBS) -o $@

optbench: $(BUILD)/optbench
	@[ "$(BUILD)" = build ] && cp $< $@ || true

$(BUILD)/tests/%.o: tests/%.c Makefile | $(TEST_DEPS_OK)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -c $< -o $@

$(BUILD)/tests/%: $(BUILD)/tests/%.o $(BUILD)/liboptbench.a
	$(CC) $(LDFLAGS) $^ -lcmocka $(LDLIBS) -o $@

test: $(TEST_DEPS_OK) $(TESTS) $(BUILD)/optbench examples
	@OPTBENCH=$(BUILD)/optbench tests/run.sh $(TESTS)

# the quick suite into results/ (resumes what an interrupted run left); run_all.sh runs
# the full suite from scratch
bench: optbench
	./optbench bench --suite quick --out results

# speed and memory against PyTorch, side by side: the update rules and whole runs
# (perf-core, results/perf.md) and the networks' epochs (perf-nets, results/perf_nets.md)
perf: perf-core perf-nets

.PHONY: perf-core
perf-core: optbench $(BUILD)/perf/perf_step examples
	perf/perf.sh $(BUILD)

# networks: seconds per epoch against PyTorch side by side, and where an epoch goes
.PHONY: perf-nets
perf-nets: optbench $(BUILD)/perf/nets_perf $(BUILD)/perf/sharp_perf
	perf/nets_perf.sh $(BUILD)

$(BUILD)/perf/%: $(BUILD)/perf/%.o $(BUILD)/liboptbench.a
	$(CC) $(LDFLAGS) $^ $(LDLIBS) -o $@

# `make install PREFIX=/opt/optbench` (default /usr/local; DESTDIR for packaging) installs
# the program; `make uninstall` removes what install put there
PREFIX  ?= /usr/local
BINDIR  ?= $(PREFIX)/bin
.PHONY: install uninstall
INCDIR  ?= $(PREFIX)/include
PUBLIC_H := $(wildcard include/*.h)
install: $(BUILD)/optbench
	install -d '$(DESTDIR)$(BINDIR)'
	install -m 755 $(BUILD)/optbench '$(DESTDIR)$(BINDIR)/optbench'
	$(if $(PUBLIC_H),install -d '$(DESTDIR)$(INCDIR)' && install -m 644 $(PUBLIC_H) '$(DESTDIR)$(INCDIR)/')
uninstall:
	rm -f '$(DESTDIR)$(BINDIR)/optbench' $(PUBLIC_H:include/%='$(DESTDIR)$(INCDIR)/%')

# `make examples`: the example optimizer plugins of examples/plugins/ as shared objects in
# build/examples/ (compiled against include/ alone, as a user's plugin would be; always
# there, also for SAN=1, since the example suite names them by that path)
EXAMPLES := $(patsubst examples/plugins/%.c,build/examples/%.so,$(wildcard examples/plugins/*.c))
.PHONY: examples
examples: $(EXAMPLES)
build/examples/%.so: examples/plugins/%.c $(PUBLIC_H) | $(DEPS_OK)
	@mkdir -p $(@D)
	$(CC) -std=c11 -O2 -Wall -Wextra -fPIC -shared -Iinclude $< -o $@ -lm

clean:
	rm -rf build build-san optbench

-include $(shell find $(BUILD) build-san -name '*.d' 2>/dev/null)

# ---- fuzzing (fuzz/README.md) --------------------------------------------------------
# `make fuzz` builds the libFuzzer targets fuzz/fuzz_{idx,csv,args,suite,json}.c with clang, ASan and
# UBSan into build-fuzz/ (its own objects, never mixed with build/ or build-san/) and runs
# each for FUZZ_SECONDS on build-fuzz/corpus/NAME, seeded read-only from fuzz/corpus/NAME.
# `make fuzz-merge` adds the new coverage-increasing inputs to fuzz/corpus (minimized).
FUZZ_CC       ?= clang
FUZZ_CXX      ?= clang++
FUZZ_DIR      := build-fuzz
FUZZ_SECONDS  ?= 60
FUZZ_TARGETS  ?= idx csv args suite json
FUZZ_SAN      := -fsanitize=address,undefined -fno-sanitize-recover=undefined
# OpenMP pragmas are left out (one thread); omp_* calls resolve to libgomp
FUZZ_CFLAGS   := -O1 -g -fno-omit-frame-pointer -std=c11 -D_POSIX_C_SOURCE=200809L \
                 -ffp-contract=off -Wall -Wextra -Wno-unknown-pragmas -MMD -MP -I. \
                 $(FUZZ_SAN) -fsanitize=fuzzer-no-link
FUZZ_CXXFLAGS := -O1 -g -std=c++11 -MMD -MP -I. $(FUZZ_SAN) -fsanitize=fuzzer-no-link
FUZZ_LDLIBS   := $(LDLIBS) -l:libgomp.so.1
FUZZ_LIB_OBJ  := $(LIB_SRC:%.c=$(FUZZ_DIR)/%.o) $(LIB_CXX:%.cc=$(FUZZ_DIR)/%.o)
FUZZ_BINS     := $(FUZZ_TARGETS:%=$(FUZZ_DIR)/fuzz_%)

.PHONY: fuzz fuzz-build fuzz-merge fuzz-clean
fuzz: fuzz-build
	@fuzz/run.sh run $(FUZZ_DIR) $(FUZZ_SECONDS) $(FUZZ_TARGETS)
fuzz-merge: fuzz-build
	@fuzz/run.sh merge $(FUZZ_DIR) 0 $(FUZZ_TARGETS)
fuzz-build: $(FUZZ_BINS)
fuzz-clean:
	rm -rf $(FUZZ_DIR)

# clang with libFuzzer present?  (Debian: clang and libclang-rt-14-dev)
$(FUZZ_DIR)/.clang-ok:
	@mkdir -p $(@D)
	@printf 'int LLVMFuzzerTestOneInput(const char *d, unsigned long n) { (void)d; (void)n; return 0; }\n' \
	    > $(@D)/clang-check.c
	@$(FUZZ_CC) -fsanitize=fuzzer,address,undefined $(@D)/clang-check.c -o $(@D)/clang-check \
	    2>/dev/null || { echo "make fuzz: '$(FUZZ_CC)' cannot build a libFuzzer target;" \
	    "install the Debian packages clang and libclang-rt-14-dev" \
	    "(apt-get install clang libclang-rt-14-dev)" >&2; exit 1; }
	@touch $@

$(FUZZ_DIR)/%.o: %.c Makefile | $(DEPS_OK) $(FUZZ_DIR)/.clang-ok
	@mkdir -p $(@D)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -c $< -o $@

$(FUZZ_DIR)/%.o: %.cc Makefile | $(DEPS_OK) $(FUZZ_DIR)/.clang-ok
	@mkdir -p $(@D)
	$(FUZZ_CXX) $(FUZZ_CXXFLAGS) -c $< -o $@

$(FUZZ_DIR)/common/version.o: $(BUILD)/build-info.h
$(FUZZ_DIR)/common/version.o: FUZZ_CFLAGS += -I$(BUILD)

$(FUZZ_DIR)/liboptbench.a: $(FUZZ_LIB_OBJ)
	rm -f $@ && $(AR) rcs $@ $^

$(FUZZ_DIR)/fuzz_%: $(FUZZ_DIR)/fuzz/fuzz_%.o $(FUZZ_DIR)/liboptbench.a
	$(FUZZ_CC) $(FUZZ_SAN) -fsanitize=fuzzer $^ $(FUZZ_LDLIBS) -o $@
# the suite reader's plugins never load: the library's dlopen is fuzz_suite.c's stub
$(FUZZ_DIR)/fuzz_suite: FUZZ_LDLIBS += -Wl,--wrap=dlopen

-include $(shell find $(FUZZ_DIR) -name '*.d' 2>/dev/null)

# ---- the built-in suites --------------------------------------------------------------
# bench/suites/NAME.ini, embedded at build time: bench/suites/embed.awk writes each as a C
# string into $(BUILD)/bench/suites.c (rewritten only when a file changes, comes or
# goes), whose object joins liboptbench.a (and the fuzz build's) beside suite.c.
SUITE_INI := $(sort $(wildcard bench/suites/*.ini))
$(BUILD)/bench/suites.c: bench/suites/embed.awk FORCE
	@mkdir -p $(@D)
	@LC_ALL=C awk -f bench/suites/embed.awk $(SUITE_INI) > $@.tmp
	@cmp -s $@.tmp $@ && rm -f $@.tmp || mv $@.tmp $@
$(BUILD)/bench/suites.o: $(BUILD)/bench/suites.c Makefile | $(DEPS_OK)
	$(CC) $(CFLAGS) -c $< -o $@
$(BUILD)/liboptbench.a: $(BUILD)/bench/suites.o
$(FUZZ_DIR)/bench/suites.o: $(BUILD)/bench/suites.c Makefile | $(DEPS_OK) $(FUZZ_DIR)/.clang-ok
	@mkdir -p $(@D)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -c $< -o $@
$(FUZZ_DIR)/liboptbench.a: $(FUZZ_DIR)/bench/suites.o
