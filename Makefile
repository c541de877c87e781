# mumloc — the two commands a newcomer needs:
#   make demo    simulate a quad-plane movie with ground truth (more of the pipeline as it lands)
#   make test    every test: C (CTest), CLI, Java (JUnit against Debian's ImageJ), ImageJ macros
# Both install the Debian packages they need first (scripts/install-deps.sh, idempotent).

BUILD   ?= build
JOBS    ?= 2
MVN      = mvn -o -q -B -Dmaven.repo.local=/usr/share/maven-repo
DEMO_OUT ?= demo-out
MUMLOC   = $(BUILD)/bin/mumloc

.PHONY: all deps native jar test test-c test-java test-macro test-jar demo bench clean

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

demo: native
	@bash scripts/demo.sh $(MUMLOC) $(DEMO_OUT)

bench: native
	@bash scripts/bench.sh $(BUILD)

clean:
	rm -rf $(BUILD) $(BUILD).cmake.log target $(DEMO_OUT) bench-out
