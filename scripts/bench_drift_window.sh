#!/usr/bin/env bash
# Plane drift over windows of frames (issue 12): movies of 64x64x4 with 8 molecules a frame whose
# planes 2..4 creep slowly (mumloc simulate --drift 0 --camera-drift 48: per plane and axis a constant
# plus a smooth random path within +-48 nm), localized with the bundled model and
#   --refine positions            (drift ignored),
#   --refine drift                (each frame's own drift: bounded by one frame's information),
#   --drift-window 200            (the drift as a smooth function of time from every molecule);
# evaluate prints the CRLB-limited RMSE beside every RMSE; scripts/plane_drift_error.py compares the
# drift written by --drift-out with the simulated one (RMS error, mean stated bound, RMS of
# error / bound). Targets: lateral <= 1.2x the CRLB-limited RMSE, drift <= 2 nm RMS.
# Usage: scripts/bench_drift_window.sh BUILD_DIR   (env: DRIFT_FRAMES=1000 THREADS=2 DRIFT_SEEDS="616161")
set -euo pipefail
build=${1:?usage: scripts/bench_drift_window.sh BUILD_DIR}
build=$(cd "$build" && pwd)
mumloc="$build/bin/mumloc"
[ -x "$mumloc" ] || { echo "  skipped: $mumloc was not built"; exit 0; }
here=$(cd "$(dirname "$0")" && pwd)
model=$here/../test-data/default-model.safetensors
[ -f "$model" ] || { echo "  skipped: no bundled model at $model"; exit 0; }
frames=${DRIFT_FRAMES:-1000}
threads=${THREADS:-2}
seeds=${DRIFT_SEEDS:-616161}
out=bench-out/drift-window
mkdir -p "$out"

for seed in $seeds; do
  name="$out/creep-$seed"
  sim=("$mumloc" simulate --out "$name.tif" --truth "$name-truth.csv" --drift-file "$name-drift.csv"
       --frames "$frames" --size 64 --molecules 8 --seed "$seed" --drift 0 --camera-drift 48 --quiet)
  echo "\$ ${sim[*]}"
  "${sim[@]}" >/dev/null
  for mode in positions frame window; do
    locs="$name-$mode-locs.csv"
    loc=("$mumloc" localize --in "$name.tif" --out "$locs" --model "$model" --threads "$threads"
         --quiet)
    case $mode in
      positions) loc+=(--refine positions) ;;
      frame) loc+=(--refine drift --drift-out "$name-$mode-drift.csv") ;;
      window) loc+=(--drift-window 200 --drift-out "$name-$mode-drift.csv") ;;
    esac
    ev=("$mumloc" evaluate --truth "$name-truth.csv" --in "$locs")
    tag="  [creep +-48 nm, seed $seed, $frames frames, $mode]"
    echo "\$ ${loc[*]}"; echo "\$ ${ev[*]}"
    start=$(date +%s.%N)
    "${loc[@]}" | sed "s|^|$tag |"
    echo "$tag wall $(echo "$(date +%s.%N) - $start" | bc) s (loaded machine: compare modes in this run only)"
    "${ev[@]}" | head -7 | sed "s|^|$tag |"
    if [ "$mode" != positions ]; then
      read -r rms sigma z n < <(python3 "$here/plane_drift_error.py" "$name-drift.csv" "$name-$mode-drift.csv")
      echo "$tag drift error RMS $rms nm over $n frames (stated bound $sigma nm, error/bound RMS $z)"
    fi
  done
  rm -f "$name.tif"
done
