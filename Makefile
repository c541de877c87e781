# mumloc — the two commands a newcomer needs:
#   make demo    simulate a quad-plane movie with ground truth (more of the pipeline as it lands)
#   make demo-rig  a made-up rig: beads → calibrate → fine-tune → localize its raw movie → render → evaluate
#   make test    every test: C (CTest), CLI, Java (JUnit against Debian's ImageJ), ImageJ macros
# Both install the Debian packages they need first (scripts/install-deps.sh, idempotent).
# Hardening: `make fuzz` runs every libFuzzer harness FUZZ_SECONDS (default 60) on its corpus.

BUILD   ?= build
JOBS    ?= 2
MVN      = mvn -o -q -B -Dmaven.repo.local=/usr/share/maven-repo
DEMO_OUT ?= demo-out
MUMLOC   = $(BUILD)/bin/mumloc
ASAN_BUILD   ?= $(BUILD)-asan
FUZZ_SECONDS ?= 60

.PHONY: all deps native jar test test-c test-java test-macro test-jar demo demo-rig bench paper clean fuzz

all: native jar

deps:
	@scripts/install-deps.sh

native: deps
	@cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=Release >$(BUILD).cmake.log 2>&1 || { cat $(BUILD).cmake.log; exit 1; }
	@grep 'mumloc:' $(BUILD).cmake.log || true
	@cmake --build $(BUILD) -j $(JOBS)

# The plugin jar target/MUMLoc_-<version>.jar, with libmumloc.so and the non-glibc libraries it needs
# inside (staged by `make native` in build/natives/linux64); runs the JUnit tests.
jar: native
	$(MVN) package

test-c: native
	ctest --test-dir $(BUILD) --output-on-failure -j $(JOBS)

test-java: native
	$(MVN) package

test-macro: jar
	bash tests/macro/run.sh target $(MUMLOC)

# The jar alone, with the system's copies of the libraries it carries hidden (needs root: unshare).
test-jar: jar
	bash tests/jar/test_self_contained.sh target $(BUILD)

test: native
	@bash tests/run-all.sh $(BUILD)

# The sanitizer build folder the test stage "sanitizers" also uses (clang, ASan + UBSan, fuzzers).
fuzz: deps
	@CC=clang cmake -S . -B $(ASAN_BUILD) -DCMAKE_BUILD_TYPE=Release -DMUMLOC_FUZZ=ON \
	  >$(ASAN_BUILD).cmake.log 2>&1 || { cat $(ASAN_BUILD).cmake.log; exit 1; }
	@cmake --build $(ASAN_BUILD) -j $(JOBS) --target fuzzers >$(ASAN_BUILD).build.log 2>&1 || \
	  { tail -n 40 $(ASAN_BUILD).build.log; exit 1; }
	@bash tests/fuzz/run.sh $(ASAN_BUILD) $(FUZZ_SECONDS)

demo: native
	@bash scripts/demo.sh $(MUMLOC) $(DEMO_OUT)

demo-rig: native
	@bash scripts/demo-rig.sh $(MUMLOC) $(DEMO_OUT)/rig

bench: native
	@bash scripts/bench.sh $(BUILD)

# The papers' tables (scripts/paper.sh; long: tens of minutes on 2 threads)
paper: native
	@bash scripts/paper.sh $(BUILD)

clean:
	rm -rf $(BUILD) $(BUILD).cmake.log target $(DEMO_OUT) bench-out $(ASAN_BUILD) $(ASAN_BUILD).*.log
