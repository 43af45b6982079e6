# gpcrace build: the C helper, the runnable jar, the launcher; tests and benchmarks.
#   make         native library + target/gpcrace.jar + target/gpcrace launcher
#   make run     build, then run the default suite on this machine
#   make test    native checks (unit graph, plain, then ASan/UBSan), then the Java tests
#   make bench   JMH benchmarks (short configuration)
#   make figures the headline figures on this machine (bench/figures.sh, ~5 min, quiet machine)
#   make clean

CC      ?= gcc
MVN     ?= mvn
MVNFLAGS ?= -B -ntp -q
OUT     := target
NATDIR  := $(OUT)/native
CWARN   := -Wall -Wextra -Werror -Wshadow -Wno-unused-parameter
CFLAGS  ?= -O2 -g
CFLAGS  += -std=gnu11 -fPIC -pthread $(CWARN) -Inative/include
# the C checks also reach the internal headers under native/src (sync.h, clock.h)
TESTFLAGS := -Inative/src
SANFLAGS := -O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined

SRCS    := $(wildcard native/src/*.c)
HDRS    := $(wildcard native/include/*.h) $(wildcard native/src/*.h)
TESTS   := $(wildcard native/tests/test_*.c)
LIB     := $(NATDIR)/libgpcrace.so
JAR     := $(OUT)/gpcrace.jar
LAUNCHER := $(OUT)/gpcrace
JSRCS   := $(shell find java resources -type f 2>/dev/null) pom.xml

.PHONY: all run test native native-deps native-check java-test bench figures clean

all: $(LIB) $(JAR) $(LAUNCHER)

native: $(LIB)

$(LIB): $(SRCS) $(HDRS) Makefile
	@mkdir -p $(NATDIR)
	$(CC) $(CFLAGS) -shared -o $@ $(SRCS) -lpthread

$(JAR): $(LIB) $(JSRCS)
	$(MVN) $(MVNFLAGS) -DskipTests package
	@test -f $@

$(LAUNCHER): native/launcher/gpcrace native/launcher/find-jdk
	@mkdir -p $(OUT)
	cp native/launcher/find-jdk $(OUT)/find-jdk
	cp native/launcher/gpcrace $@
	chmod +x $@ $(OUT)/find-jdk

run: all
	$(LAUNCHER) suite

# The C units under native/src depend on each other without a circle (includes and symbols).
native-deps: $(SRCS) $(HDRS)
	@CC="$(CC)" CFLAGS="$(CFLAGS)" sh native/tests/check_deps.sh $(NATDIR)/deps

# Each native check is built twice: plain -O2, and under AddressSanitizer + UBSan.
native-check: native-deps $(SRCS) $(HDRS) $(TESTS)
	@mkdir -p $(NATDIR)/tests
	@set -e; for t in $(TESTS); do \
	  n=$$(basename $$t .c); \
	  $(CC) $(CFLAGS) $(TESTFLAGS) -o $(NATDIR)/tests/$$n $$t $(SRCS) -lpthread; \
	  $(CC) $(filter-out -O2,$(CFLAGS)) $(TESTFLAGS) $(SANFLAGS) -o $(NATDIR)/tests/$$n.san $$t $(SRCS) -lpthread; \
	done
	@set -e; pass=0; for t in $(TESTS); do \
	  n=$$(basename $$t .c); \
	  echo "== $$n (plain)"; $(NATDIR)/tests/$$n; \
	  echo "== $$n (asan+ubsan)"; ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 $(NATDIR)/tests/$$n.san; \
	  pass=$$((pass+2)); \
	done; echo "native checks: $$pass runs passed"

java-test: $(LIB)
	$(MVN) -B -ntp test

test: native-check java-test

bench: $(LIB)
	$(MVN) $(MVNFLAGS) -Pbench -DskipTests package
	$$(native/launcher/find-jdk) --enable-native-access=ALL-UNNAMED \
	  -Dgpcrace.native.dir=$(abspath $(NATDIR)) -jar $(OUT)/gpcrace-bench.jar $(BENCH_ARGS)

BENCH_ARGS ?= -f 1 -wi 2 -w 1s -i 3 -r 1s

# The headline figures (rounds/s, first FORBIDDEN, rates, latencies, kvm, model vs hardware), ~5 min.
figures: all
	bench/figures.sh

clean:
	rm -rf $(OUT)
