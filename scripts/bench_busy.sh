#!/usr/bin/env bash
# `mumloc localize` on a quiet machine and on one where another process holds a core, with 1 and 2
# threads, under the wait policy mumloc uses (passive: idle OpenMP threads sleep) and under libgomp's
# own default (spin 300,000 rounds, then sleep: GOMP_SPINCOUNT=300000 keeps the CLI from choosing).
# Wall time of the whole command, best of 3. Usage: scripts/bench_busy.sh MUMLOC OUT_DIR
set -euo pipefail
mumloc=${1:?usage: scripts/bench_busy.sh MUMLOC OUT_DIR}
out=${2:?usage: scripts/bench_busy.sh MUMLOC OUT_DIR}
movie="$out/busy.tif"
"$mumloc" simulate --out "$movie" --truth "$out/busy-truth.csv" --frames 200 --size 64 \
    --molecules 8 --seed 515151 --quiet >/dev/null

best_seconds() {  # best_seconds ENV... -- ARGS...: best wall time of 3 runs
  local best=""
  for run in 1 2 3; do
    local start end t
    start=$(date +%s.%N)
    env "$@" >/dev/null
    end=$(date +%s.%N)
    t=$(awk -v s="$start" -v e="$end" 'BEGIN { printf "%.3f", e - s }')
    if [ -z "$best" ] || awk -v a="$t" -v b="$best" 'BEGIN { exit !(a < b) }'; then best=$t; fi
  done
  echo "$best"
}

hog=""
stop_hog() {
  if [ -n "$hog" ]; then kill "$hog" 2>/dev/null || true; wait "$hog" 2>/dev/null || true; fi
  hog=""
}
trap stop_hog EXIT

echo "\$ $mumloc localize --in $movie --out $out/busy.csv --threads T --quiet   (200 frames 64x64x4, 8 molecules/frame)"
printf '  %-8s %-22s %10s %10s\n' machine "wait policy" "1 thread" "2 threads"
for machine in quiet busy; do
  if [ $machine = busy ]; then  # an ordinary competing process holding core 0
    taskset -c 0 sh -c 'while :; do :; done' & hog=$!
  fi
  for policy in passive spin; do
    env_args=(-u GOMP_SPINCOUNT OMP_WAIT_POLICY=passive)
    [ $policy = spin ] && env_args=(-u OMP_WAIT_POLICY GOMP_SPINCOUNT=300000)
    t1=$(best_seconds "${env_args[@]}" "$mumloc" localize --in "$movie" --out "$out/busy.csv" --threads 1 --quiet)
    t2=$(best_seconds "${env_args[@]}" "$mumloc" localize --in "$movie" --out "$out/busy.csv" --threads 2 --quiet)
    label=$([ $policy = passive ] && echo "passive (mumloc)" || echo "spin (libgomp default)")
    printf '  %-8s %-22s %9ss %9ss\n' $machine "$label" "$t1" "$t2"
  done
  stop_hog
done
rm -f "$movie" "$out/busy.csv" "$out/busy-truth.csv" "$out/busy-truth.drift.csv" "$out/busy.drift.csv"
