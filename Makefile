# gpcrace build: the C helper, the runnable jar, the launcher; tests and benchmarks.
#   make         native library + target/gpcrace.jar + target/gpcrace launcher
#   make run     build, then run the default suite on this machine
#   make test    native checks (unit graph, plain, then ASan/UBSan), then the Java tests
#   make deps    the Debian packages the build needs; make test-deps adds those the tests need
#   make bench   JMH benchmarks (short configuration)
#   make figures the headline figures on this machine (bench/figures.sh, ~5 min, quiet machine)
#   make fidelity  model vs hardware for every gpc option (bench/fidelity.sh, ~5 min, quiet machine)
#   make policies  the non-blockable policies and guest mode side by side (bench/policies.sh, ~1 min)
#   make fleet   gpcrace on every host of INVENTORY with Ansible, then one cross-host table (deploy/ansible)
#   make clean

CC      ?= gcc
MVN     ?= mvn
MVNFLAGS ?= -B -ntp -q
OUT     := target
NATDIR  := $(OUT)/native
CWARN   := -Wall -Wextra -Werror -Wshadow -Wno-unused-parameter
CFLAGS  ?= -O2 -g
CFLAGS  += -std=gnu11 -fPIC -pthread $(CWARN) -Inative/include
# the C checks also reach the internal headers under native/src (sync.h, clock.h) and the actor's
TESTFLAGS := -Inative/src -Inative/actor
SANFLAGS := -O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined

SRCS    := $(wildcard native/src/*.c)
HDRS    := $(wildcard native/include/*.h) $(wildcard native/src/*.h)
TESTS   := $(wildcard native/tests/test_*.c)
LIB     := $(NATDIR)/libgpcrace.so
# the actor process (the measured address space holds only its threads) and the separate plain C
# reference the figures compare with; both are shipped in the jar beside the library
ACTOR_SRCS := $(filter-out native/actor/actor_main.c,$(wildcard native/actor/*.c))
ACTOR_HDRS := $(wildcard native/actor/*.h)
ACTOR   := $(NATDIR)/gpcrace-actor
PLAIN   := $(NATDIR)/gpcrace-plain
JAR     := $(OUT)/gpcrace.jar
LAUNCHER := $(OUT)/gpcrace
# fast start: the JDK's AOT cache written by a training run (JEP 483/514/515), and the JDK it was
# made with; the launcher uses the cache only with that JDK and starts without it otherwise
AOT     := $(OUT)/gpcrace.aot
JSRCS   := $(shell find java resources -type f 2>/dev/null) pom.xml

.PHONY: FORCE fleet fuzz all run test native native-deps native-check java-test bench figures fidelity policies clean deps test-deps

all: $(LIB) $(ACTOR) $(PLAIN) $(JAR) $(LAUNCHER) $(AOT)

# Debian packages, installed when missing if we are root and apt-get exists (a fresh CI machine);
# otherwise each missing one is named with its fix and the tests that need it skip, never fail.
#   DEB_BUILD: to build and run (fonts for the report charts; liburcu for fault-in-reader, dlopen'd on demand)
#   DEB_TEST:  only for the tests (chromium for the browser tests, ansible for the fleet playbook's test,
#              libxml2-utils: xmllint checks junit.xml against Surefire's schema)
DEB_BUILD ?= fontconfig fonts-dejavu-core liburcu-dev
DEB_TEST  ?= chromium ansible libxml2-utils
DEPS_LOG  := $(OUT)/deps.log

# $(call apt_ensure,packages): quiet and idempotent, one dpkg-query per package when all are there
define apt_ensure
missing=; for p in $(1); do \
  dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q 'install ok installed' || missing="$$missing $$p"; \
done; \
if [ -z "$$missing" ]; then exit 0; fi; \
if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
  mkdir -p $(OUT); echo "deps: apt-get install$$missing (log: $(DEPS_LOG))"; \
  if ! { apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends $$missing; } >$(DEPS_LOG) 2>&1; then \
    echo "deps: apt-get install$$missing failed (see $(DEPS_LOG)); what needs it skips or fails with the fix"; fi; \
else \
  echo "deps: missing$$missing (not root or no apt-get); what needs it skips; fix: sudo apt-get install$$missing"; \
fi
endef

deps:
	@$(call apt_ensure,$(DEB_BUILD))

test-deps:
	@$(call apt_ensure,$(DEB_BUILD) $(DEB_TEST))

native: $(LIB) $(ACTOR) $(PLAIN)

$(LIB): $(SRCS) $(HDRS) Makefile | deps
	@mkdir -p $(NATDIR)
	$(CC) $(CFLAGS) -shared -o $@ $(SRCS) -lpthread

$(ACTOR): native/actor/actor_main.c $(ACTOR_SRCS) $(ACTOR_HDRS) $(SRCS) $(HDRS) Makefile | deps
	@mkdir -p $(NATDIR)
	$(CC) $(CFLAGS) -Inative/src -Inative/actor -o $@ native/actor/actor_main.c $(ACTOR_SRCS) $(SRCS) -lpthread

$(PLAIN): native/plain/gpcrace_plain.c Makefile
	@mkdir -p $(NATDIR)
	$(CC) -O2 -g -std=gnu11 -pthread $(CWARN) -o $@ $< -lpthread

# the jar records the commit it was built from (pom.xml: build-commit); this stamp changes when
# `git describe` does, so a commit or a dirty tree rebuilds the jar even with no source changed
GIT_DESCRIBE := $(shell git describe --always --dirty 2>/dev/null || cat COMMIT 2>/dev/null || echo unknown)
COMMIT_STAMP := $(OUT)/commit.stamp

$(COMMIT_STAMP): FORCE
	@mkdir -p $(OUT); echo '$(GIT_DESCRIBE)' | cmp -s - $@ || echo '$(GIT_DESCRIBE)' > $@

$(JAR): $(LIB) $(ACTOR) $(PLAIN) $(JSRCS) $(COMMIT_STAMP) native/launcher/ClassFileUpgrade.java
	$(MVN) $(MVNFLAGS) -DskipTests package
	@test -f $@
	@# fast start: picocli's Java 5 class files can be archived in the AOT cache once re-framed (each one verified)
	@java=$$(native/launcher/find-jdk) && $$java native/launcher/ClassFileUpgrade.java $@ picocli/ || echo "class-file upgrade skipped"

$(LAUNCHER): native/launcher/gpcrace native/launcher/find-jdk
	@mkdir -p $(OUT)
	cp native/launcher/find-jdk $(OUT)/find-jdk
	cp native/launcher/gpcrace $@
	chmod +x $@ $(OUT)/find-jdk

# The training run uses the jar's absolute path, as the launcher does (the cache records it); a
# JDK too old for AOT caches (< 24) or a failed training leaves no cache, and the launcher runs without.
$(AOT): $(JAR) $(ACTOR) $(LAUNCHER)
	@rm -f $@ $@.jdk $@.lean; java=$$($(OUT)/find-jdk) || exit 0; \
	if $$java -XX:AOTCacheOutput=$(abspath $@) -Xlog:aot=off -Xlog:cds=off --enable-native-access=ALL-UNNAMED \
	     -Dgpcrace.native.dir=$(abspath $(NATDIR)) -cp $(abspath $(JAR)) org.gpcrace.cli.AotTraining $(OUT)/aot-training \
	     >$(OUT)/aot-training.log 2>&1 && [ -s $@ ]; then \
	  echo "$$java" > $@.jdk; echo "AOT cache: $@ ($$(du -h $@ | cut -f1), training log $(OUT)/aot-training.log)"; \
	  lean="-XX:+UnlockDiagnosticVMOptions -XX:-AOTReplayTraining"; \
	  if $$java -XX:AOTCache=$(abspath $@) $$lean -Xlog:aot=off -Xlog:cds=off -version >/dev/null 2>&1; then echo "$$lean" > $@.lean; fi; \
	else rm -f $@; echo "AOT cache: not made (see $(OUT)/aot-training.log); gpcrace starts without it"; fi

run: all
	$(LAUNCHER) suite

# The C units under native/src depend on each other without a circle (includes and symbols).
native-deps: $(SRCS) $(HDRS)
	@CC="$(CC)" CFLAGS="$(CFLAGS)" sh native/tests/check_deps.sh $(NATDIR)/deps

# Each native check is built twice: plain -O2, and under AddressSanitizer + UBSan.
native-check: native-deps $(SRCS) $(HDRS) $(ACTOR_SRCS) $(ACTOR_HDRS) $(TESTS) | deps
	@mkdir -p $(NATDIR)/tests
	@set -e; for t in $(TESTS); do \
	  n=$$(basename $$t .c); \
	  $(CC) $(CFLAGS) $(TESTFLAGS) -o $(NATDIR)/tests/$$n $$t $(SRCS) $(ACTOR_SRCS) -lpthread; \
	  $(CC) $(filter-out -O2,$(CFLAGS)) $(TESTFLAGS) $(SANFLAGS) -o $(NATDIR)/tests/$$n.san $$t $(SRCS) $(ACTOR_SRCS) -lpthread; \
	done
	@set -e; pass=0; for t in $(TESTS); do \
	  n=$$(basename $$t .c); \
	  echo "== $$n (plain)"; $(NATDIR)/tests/$$n; \
	  echo "== $$n (asan+ubsan)"; ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 $(NATDIR)/tests/$$n.san; \
	  pass=$$((pass+2)); \
	done; echo "native checks: $$pass runs passed"

# the fleet test (deploy/ansible) ships the runnable jar and launcher to its localhost "hosts"
java-test: $(LIB) $(ACTOR) $(PLAIN) $(JAR) $(LAUNCHER) | test-deps
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

# gpcrace model and run gpc with the same options, set by set, then compare: 0 Unexpected expected (~5 min)
fidelity: all
	bench/fidelity.sh

# sleep/spin/eagain/defer with readers inside, and guest readers waited for, not waited for, -EAGAIN (~1 min)
policies: all
	bench/policies.sh

# 10^8 rounds of the safe protocols in every isolation mode, fds/mappings/RSS sampled (bench/soak.sh, ~45 min a mode)
soak: all
	bench/soak.sh

# Fuzzes every file reader for 2 minutes each (Jazzer; the regression corpus under
# tests-resources/org/gpcrace/fuzz runs in make test); findings are written as crash-* files here.
FUZZ_TARGETS ?= ResultsReaderFuzzTest LitmusLogFuzzTest EncodedHistogramFuzzTest
fuzz: $(LIB)
	@set -e; for t in $(FUZZ_TARGETS); do echo "== fuzz $$t"; JAZZER_FUZZ=1 $(MVN) -B -ntp -q test -Dtest=$$t; done

# deploy/ansible/fleet.yml over INVENTORY (README: Running a fleet); FLEET_ARGS e.g.
#   -e 'gpcrace_command="run gpc --protocol all --duration 5s"' -e gpcrace_model=path/to/model/results.json
INVENTORY ?= deploy/ansible/inventory-localhost.ini
FLEET_ARGS ?= --forks 1 -e 'gpcrace_command="run gpc --protocol rwlock,seqcount --duration 300ms"'
fleet: all
	ansible-playbook -i $(INVENTORY) deploy/ansible/fleet.yml $(FLEET_ARGS)

clean:
	rm -rf $(OUT)
