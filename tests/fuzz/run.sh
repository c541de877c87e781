#!/usr/bin/env bash
# Runs the libFuzzer harnesses of a MUMLOC_FUZZ build (cmake/sanitizers.cmake), one after the other.
#   tests/fuzz/run.sh BUILD SECONDS         discovery: each fuzzer SECONDS on its corpus, which grows
#                                           in BUILD/fuzz-corpus/<reader>/ (kept between runs)
#   tests/fuzz/run.sh --regression BUILD [SECONDS]
#                                           regression: each fuzzer replays its seeds and corpus, then
#                                           mutates them SECONDS (default 5) from a fixed seed, adding
#                                           nothing to the corpus
# Prints per fuzzer the executions, the time and the executions per second; fails when any fuzzer
# reports a crash, a sanitizer finding, a leak, a timeout (an input over 10 s) or over 2 GB of memory.
# The failing input is saved as BUILD/fuzz-artifacts/<reader>-crash-<sha1> (rerun: BUILD/bin/fuzz_<reader> FILE).
set -uo pipefail

regression=0
if [ "${1:-}" = "--regression" ]; then regression=1; shift; fi
build=${1:?usage: tests/fuzz/run.sh [--regression] BUILD [SECONDS]}
if [ $regression -eq 1 ]; then seconds=${2:-5}; else seconds=${2:?usage: tests/fuzz/run.sh BUILD SECONDS}; fi
build=$(cd "$build" && pwd)
seeds="$build/fuzz-seeds"
shopt -s nullglob
fuzzers=("$build"/bin/fuzz_*)
fuzzers=("${fuzzers[@]/*fuzz_make_seeds/}")
[ ${#fuzzers[@]} -gt 0 ] && [ -d "$seeds" ] ||
  { echo "no fuzzers or seeds in $build: configure with CC=clang -DMUMLOC_FUZZ=ON and build the 'fuzzers' target" >&2; exit 2; }

export ASAN_OPTIONS="detect_leaks=1"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"
mkdir -p "$build/fuzz-artifacts" "$build/fuzz-logs"
shm=/dev/shm; [ -d "$shm" ] && [ -w "$shm" ] || shm=${TMPDIR:-/tmp}
scratch=$(mktemp -d "$shm/mumloc-fuzz.XXXXXX")
trap 'rm -rf "$scratch"' EXIT
export MUMLOC_FUZZ_TMP="$scratch/files"  # the harnesses' scratch files (fuzz_common.h)
mkdir -p "$MUMLOC_FUZZ_TMP"

failed=()
printf '%-18s %12s %8s %10s %8s  %s\n' fuzzer executions seconds "exec/s" "rss MB" result
for fuzzer in "${fuzzers[@]}"; do
  [ -n "$fuzzer" ] || continue
  name=$(basename "$fuzzer"); reader=${name#fuzz_}
  corpus="$build/fuzz-corpus/$reader"
  mkdir -p "$corpus"
  if [ $regression -eq 1 ]; then  # new inputs go to a throwaway folder, the first one named
    mkdir -p "$scratch/$reader"
    dirs=("$scratch/$reader" "$seeds/$reader" "$corpus")
    extra=(-seed=1)
  else
    dirs=("$corpus" "$seeds/$reader")
    extra=()
  fi
  log="$build/fuzz-logs/$reader.log"
  start=$(date +%s.%N)
  "$fuzzer" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
    -artifact_prefix="$build/fuzz-artifacts/$reader-" "${extra[@]}" "${dirs[@]}" >"$log" 2>&1
  rc=$?
  wall=$(awk -v s="$start" -v e="$(date +%s.%N)" 'BEGIN { printf "%.1f", e - s }')
  runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
  rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -n 1)
  rss=$(sed -n 's/^stat::peak_rss_mb: *//p' "$log" | tail -n 1)
  if [ $rc -eq 0 ]; then result=ok; else result="FAILED (exit $rc, log $log)"; failed+=("$reader"); fi
  printf '%-18s %12s %8s %10s %8s  %s\n' "$name" "${runs:-?}" "$wall" "${rate:-?}" "${rss:-?}" "$result"
  if [ $rc -ne 0 ]; then
    grep -E '^(==[0-9]+==ERROR|SUMMARY|fuzz invariant|  [^ #]|.*runtime error)' "$log" | head -n 20 | sed 's/^/    /'
    sed -n 's/.*Test unit written to /    input: /p' "$log"
  fi
done
[ ${#failed[@]} -eq 0 ] || { echo "fuzzers with findings: ${failed[*]}"; exit 1; }
