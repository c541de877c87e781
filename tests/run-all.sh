#!/usr/bin/env bash
# Runs every test suite in order and ends with one summary line "N passed, N failed".
# Usage: tests/run-all.sh BUILD_DIR
set -uo pipefail
build=${1:-build}
cd "$(dirname "$0")/.."
passed=0; failed=0; failed_names=()

stage() {  # stage NAME COMMAND...
  local name=$1; shift
  echo "=== $name: $*"
  if "$@"; then passed=$((passed + 1)); else failed=$((failed + 1)); failed_names+=("$name"); fi
}

stage "C and CLI tests (ctest)" ctest --test-dir "$build" --output-on-failure -j 2
stage "Java tests and plugin jar (maven)" mvn -o -q -B -Dmaven.repo.local=/usr/share/maven-repo package
if [ -f target/MUMLoc_-*.jar ] 2>/dev/null || ls target/MUMLoc_-*.jar >/dev/null 2>&1; then
  stage "ImageJ macro tests (xvfb)" bash tests/macro/run.sh target "$build/bin/mumloc"
else
  echo "=== ImageJ macro tests skipped: the plugin jar was not built"; failed=$((failed + 1))
  failed_names+=("ImageJ macro tests (no jar)")
fi
# The jar alone with the system's copies of its libraries hidden (skips itself where not root).
if ls target/MUMLoc_-*.jar >/dev/null 2>&1; then
  stage "Self-contained plugin jar (system libraries hidden)" bash tests/jar/test_self_contained.sh target "$build"
fi
# ASan + UBSan build of the library, CLI and C tests in ${build}-asan; then each fuzzer a few
# seconds on its seeds (regression, not discovery; `make fuzz` discovers).
stage "Sanitizers: C and CLI tests under ASan+UBSan" bash tests/run-sanitized.sh "${build}-asan"
stage "Fuzz regression" bash tests/fuzz/run.sh --regression "${build}-asan"

echo
[ $failed -gt 0 ] && echo "failed stages: ${failed_names[*]}"
echo "stages: $passed passed, $failed failed"
[ $failed -eq 0 ]
