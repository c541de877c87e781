#!/usr/bin/env bash
# The papers' headline tables on fresh seeds (make paper; long: run it under nice on a quiet machine).
#   2021 Table 3 protocol: 500 single-molecule 16x16x4 frames, per-frame plane drift (±2 steps of
#     24 nm), Poisson background 4 + read noise 3: CNN vs CS (known count = 1, and unknown count).
#   2020 Table 5 protocol: 500 frames of 64x64x4, 50 molecules, background 10, τ = 0.5: TP, FN, FP
#     and Jaccard.
# The CNN rows use the bundled regression model (test-data/default-model.safetensors); no voxel
# model is shipped. Errors are RMSE from `mumloc evaluate` (150 nm matching) beside its median CRLB;
# the papers print mean errors. Frames/s from `mumloc localize`'s summary (wall clock, $THREADS
# threads, file reading and writing included) and from its CPU time (frames × threads / CPU s: the
# rate on otherwise idle cores).
# Usage: scripts/paper.sh BUILD_DIR   (env: FRAMES3, FRAMES5 frames per protocol; THREADS)
set -euo pipefail
build=${1:?usage: scripts/paper.sh BUILD_DIR}
build=$(cd "$build" && pwd)
mumloc="$build/bin/mumloc"
threads=${THREADS:-2}
frames3=${FRAMES3:-500}
frames5=${FRAMES5:-500}
out=bench-out/paper
mkdir -p "$out"
model=test-data/default-model.safetensors

# run NAME MOVIE TRUTH ARGS...: localize, evaluate, print one table row
run() {
  local name=$1 movie=$2 truth=$3; shift 3
  local table="$out/$name.csv"
  echo "\$ $mumloc localize --in $movie --out $table --threads $threads --quiet $*" >&2
  local summary cpu frames
  summary=$(/usr/bin/time -f "cpu %U %S" -o "$out/$name.time" "$mumloc" localize --in "$movie" \
    --out "$table" --threads "$threads" --quiet "$@")
  local fps
  fps=$(echo "$summary" | sed -n 's/.*(\([0-9.]*\) frames\/s.*/\1/p')
  frames=$(echo "$summary" | sed -n 's/^mumloc localize: \([0-9]*\) frames.*/\1/p')
  # CPU seconds per frame -> frames/s on $threads threads if they were not shared (a busy machine
  # inflates wall clock, not CPU time)
  cpu=$(awk -v n="$frames" -v t="$threads" '/^cpu/ { printf "%.1f", n * t / ($2 + $3) }' "$out/$name.time")
  "$mumloc" evaluate --truth "$truth" --in "$table" >"$out/$name.eval.txt"
  awk -v name="$name" -v fps="$fps" -v cpu="$cpu" '
    /^TP / { tp = $2; fp = $4; fn = $6; sub(",", "", tp); sub(",", "", fp) }
    /^Jaccard/ { j = $2; sub(",", "", j) }
    /^RMSE lateral/ { lat = $3; ax = $6; clat = $11; cax = $14; sub(",", "", ax); sub(",", "", clat); sub(")", "", cax) }
    END { printf "| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |\n", name, tp, fn, fp, j, lat, clat, ax, cax, fps, cpu }' \
    "$out/$name.eval.txt"
}

header() {
  echo "| method | TP | FN | FP | Jaccard | RMSE xy (nm) | CRLB xy | RMSE z (nm) | CRLB z | frames/s (wall) | frames/s (CPU time, $threads threads) |"
  echo "|---|---|---|---|---|---|---|---|---|---|---|"
}

echo "## 2021 Table 3 protocol: $frames3 single-molecule 16x16x4 frames, per-frame drift"
echo "(paper: CNN 16.7 / 8.9 nm mean lateral / axial error at 125 fps on a V100; CS 57.6 / 0.4 nm at 0.129 fps)"
"$mumloc" simulate --out "$out/t3.tif" --truth "$out/t3.csv" --frames "$frames3" --size 16 \
  --molecules 1 --background 4 --read-noise 3 --seed 20213 --threads "$threads" --quiet >/dev/null
header
run cnn-regression "$out/t3.tif" "$out/t3.csv" --model "$model"
run cnn-regression-refine-drift "$out/t3.tif" "$out/t3.csv" --model "$model" --refine drift
run cs-known-count "$out/t3.tif" "$out/t3.csv" --method cs --cs-count 1
run cs-unknown-count "$out/t3.tif" "$out/t3.csv" --method cs
echo
echo "## 2020 Table 5 protocol: $frames5 frames of 64x64x4, 50 molecules, tau 0.5"
echo "(paper, regression network, voxel-level matching: TP 22,878, FN 2,089, FP 1,844, Jaccard 0.853)"
"$mumloc" simulate --out "$out/t5.tif" --truth "$out/t5.csv" --frames "$frames5" --size 64 \
  --molecules 50 --background 10 --read-noise 3 --seed 20205 --threads "$threads" --quiet >/dev/null
header
run cnn-regression "$out/t5.tif" "$out/t5.csv" --model "$model" --threshold 0.5
run cs-unknown-count "$out/t5.tif" "$out/t5.csv" --method cs
