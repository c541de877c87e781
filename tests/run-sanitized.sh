#!/usr/bin/env bash
# The sanitizer stage of `make test`: builds BUILD (default build-asan) with AddressSanitizer and
# UndefinedBehaviorSanitizer (clang with the fuzzers when it is installed, else the default compiler)
# and runs the C and CLI tests there. Fails on a failing test and on any sanitizer report, even
# one from a process whose exit code a test expected to be non-zero: reports go to files
# (BUILD/sanitizer-logs/) and any file there fails the stage.
# Usage: tests/run-sanitized.sh [BUILD]
set -uo pipefail
build=${1:-build-asan}
cd "$(dirname "$0")/.."

# Learning-quality tests that train for 5 to 12 minutes each under the sanitizers; the same training
# code runs sanitized in test_train_model, test_train_resume and the train CLI tests.
# Also left out: the OpenMP wait-policy probe (a program without the sanitizer runtime that
# dlopen()s the library, which an instrumented library refuses) and the SLURM cluster test (daemons
# and job plumbing; the localize it runs is sanitized in the CLI tests), and the CS movie test
# (minutes under ASan; the solver's code runs sanitized in test_cs_operator and test_cs_drift).
slow_tests='^(test_train_learn_regression|test_train_learn_voxel|test_omp_wait_policy.*|cli_test_slurm_cluster|cli_test_localize_cs)$'

fuzz=OFF
command -v clang >/dev/null 2>&1 && export CC=clang && fuzz=ON
cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=Release -DMUMLOC_SANITIZE=ON -DMUMLOC_FUZZ=$fuzz \
  >"$build.cmake.log" 2>&1 || { cat "$build.cmake.log"; exit 1; }
cmake --build "$build" -j "${JOBS:-2}" >"$build.build.log" 2>&1 ||
  { tail -n 40 "$build.build.log"; exit 1; }

logs="$(cd "$build" && pwd)/sanitizer-logs"
rm -rf "$logs"; mkdir -p "$logs"
export ASAN_OPTIONS="detect_leaks=1:log_path=$logs/asan"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1:log_path=$logs/ubsan"
export MUMLOC_TEST_SLOWDOWN=6 # instrumented code runs several times slower: tests that wait, wait longer
rc=0
ctest --test-dir "$build" --output-on-failure -j "${JOBS:-2}" -E "$slow_tests" || rc=1
reports=("$logs"/*)
if [ -e "${reports[0]}" ]; then
  echo "sanitizer reports (${#reports[@]}):"
  for r in "${reports[@]}"; do echo "--- $r"; head -n 40 "$r"; done
  rc=1
fi
exit $rc
