#!/usr/bin/env bash
# The papers' headline tables on fresh seeds (make paper; long: run it under nice on a quiet machine).
#   2021 Table 3 protocol: 500 single-molecule 16x16x4 frames, per-frame plane drift (±2 steps of
#     24 nm), Poisson background 4 + read noise 3: the regression CNN, the voxel CNN (argmax voxel as
#     the paper, and mumloc's decoder) and CS (known count = 1, as the paper, and unknown count).
#   2021 Fig. 7/8: the same frames' errors per 200 nm depth bin: drift-trained vs drift-free voxel
#     network, argmax vs mumloc's decoder, CS; the Cramér–Rao bound beside them (drift known, and
#     drift unknown within its RMS: bench/crlb_drift.c).
#   2020 Table 5 protocol: FRAMES5 frames of 64x64x4, 50 molecules, background 10, τ = 0.5: TP, FN,
#     FP and Jaccard.
# Models: the bundled regression model; the voxel model $VOXEL_MODEL (default the bundled
# test-data/voxel-model.safetensors, if installed; none is shipped yet); for Fig. 7/8 also $VOXEL_DRIFT_SHORT and
# $VOXEL_NODRIFT, a drift-trained and a drift-free voxel model of equal training length
# (scripts/train_voxel_model.sh writes them; not shipped: rows without a model are left out).
# Errors are RMSE from `mumloc evaluate` (150 nm matching; lateral radial) beside the bounds; the
# papers print mean errors. Frames/s from `mumloc localize`'s summary (wall clock, $THREADS
# threads, file reading and writing included) and from its CPU time (frames × threads / CPU s: the
# rate on otherwise idle cores).
# Usage: scripts/paper.sh BUILD_DIR   (env: FRAMES3, FRAMES5 frames per protocol; THREADS; SKIP5=1)
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
voxel=${VOXEL_MODEL:-test-data/voxel-model.safetensors}
[ -f "$voxel" ] || voxel=

# steps a model was trained for (its metadata)
steps() { "$mumloc" info "$1" | sed -n 's/^train_step: //p'; }

# localize NAME MOVIE ARGS...: the table $out/NAME.csv, its wall and CPU frames/s in $out/NAME.fps
localize() {
  local name=$1 movie=$2; shift 2
  local table="$out/$name.csv"
  echo "\$ $mumloc localize --in $movie --out $table --threads $threads --quiet $*" >&2
  local summary frames fps cpu
  summary=$(/usr/bin/time -f "cpu %U %S" -o "$out/$name.time" "$mumloc" localize --in "$movie" \
    --out "$table" --threads "$threads" --quiet "$@")
  fps=$(echo "$summary" | sed -n 's/.*(\([0-9.]*\) frames\/s.*/\1/p')
  frames=$(echo "$summary" | sed -n 's/^mumloc localize: \([0-9]*\) frames.*/\1/p')
  # CPU seconds per frame -> frames/s on $threads threads if they were not shared (a busy machine
  # inflates wall clock, not CPU time)
  cpu=$(awk -v n="$frames" -v t="$threads" '/^cpu/ { printf "%.1f", n * t / ($2 + $3) }' "$out/$name.time")
  echo "$fps $cpu" >"$out/$name.fps"
}

# argmax NAME: keep each frame's most probable localization (the paper's decoding of a frame known
# to hold one molecule: the single most probable voxel, with --neighbourhood 0 its centre)
argmax() {
  local table="$out/$1.csv"
  awk -F, 'NR == 1 { print; next }
           !($2 in best) || $11 > best[$2] { best[$2] = $11; row[$2] = $0 }
           END { for (f in row) print row[f] }' "$table" | sort -t, -k2,2n >"$table.top"
  mv "$table.top" "$table"
}

# row NAME TRUTH: evaluate $out/NAME.csv, print one table row
row() {
  local name=$1 truth=$2
  "$mumloc" evaluate --truth "$truth" --in "$out/$name.csv" >"$out/$name.eval.txt"
  "$mumloc" evaluate --truth "$truth" --in "$out/$name.csv" --json >"$out/$name.eval.json"
  read -r fps cpu <"$out/$name.fps"
  awk -v name="$name" -v fps="$fps" -v cpu="$cpu" '
    /^TP / { tp = $2; fp = $4; fn = $6; sub(",", "", tp); sub(",", "", fp) }
    /^Jaccard/ { j = $2; sub(",", "", j) }
    /^RMSE lateral/ { lat = $3; ax = $6; sub(",", "", ax) }
    /^CRLB-limited/ { clat = $7; cax = $10 }
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
# the voxel networks of the comparison: NAME=MODEL
voxels=()
[ -n "$voxel" ] && voxels+=("voxel-$(steps "$voxel")-steps=$voxel")
[ -n "${VOXEL_DRIFT_SHORT:-}" ] && voxels+=("voxel-drift-trained-$(steps "$VOXEL_DRIFT_SHORT")-steps=$VOXEL_DRIFT_SHORT")
[ -n "${VOXEL_NODRIFT:-}" ] && voxels+=("voxel-drift-free-$(steps "$VOXEL_NODRIFT")-steps=$VOXEL_NODRIFT")
header
localize cnn-regression "$out/t3.tif" --model "$model"
row cnn-regression "$out/t3.csv"
localize cnn-regression-refine-drift "$out/t3.tif" --model "$model" --refine drift
row cnn-regression-refine-drift "$out/t3.csv"
depth_rows=(cnn-regression-refine-drift)
for v in "${voxels[@]}"; do
  name=${v%%=*} file=${v#*=}
  # the paper's decoding: the argmax voxel's centre, no refinement (a low threshold so that every
  # frame has a peak; the frame's most probable one is kept)
  localize "$name-argmax" "$out/t3.tif" --model "$file" --neighbourhood 0 --threshold 0.0001 \
    --refine none
  argmax "$name-argmax"
  row "$name-argmax" "$out/t3.csv"
  localize "$name-decoder" "$out/t3.tif" --model "$file"
  row "$name-decoder" "$out/t3.csv"
  localize "$name-decoder-refine-drift" "$out/t3.tif" --model "$file" --refine drift
  row "$name-decoder-refine-drift" "$out/t3.csv"
  depth_rows+=("$name-argmax" "$name-decoder-refine-drift")
done
localize cs-known-count "$out/t3.tif" --method cs --cs-count 1
row cs-known-count "$out/t3.csv"
localize cs-known-count-refine-drift "$out/t3.tif" --method cs --cs-count 1 --refine drift
row cs-known-count-refine-drift "$out/t3.csv"
localize cs-known-count-no-refinement "$out/t3.tif" --method cs --cs-count 1 --refine none
row cs-known-count-no-refinement "$out/t3.csv"
localize cs-unknown-count "$out/t3.tif" --method cs
row cs-unknown-count "$out/t3.csv"
depth_rows+=(cs-known-count-no-refinement cs-known-count-refine-drift)
echo
"$build/bin/crlb_drift" "$out/t3.csv" 4 3 200 34 >"$out/t3.crlb.txt"
echo "CRLB columns: drift known (the localizations' own bounds). With each frame's drift unknown,"
echo "the RMS bound over these molecules is (bench/crlb_drift.c, prior = the drift's RMS 34 nm):"
echo '```'
cat "$out/t3.crlb.txt"
echo '```'

echo
echo "## 2021 Fig. 7/8: RMSE per depth (lateral / axial nm), the same frames"
python3 - "$out" "$out/t3.crlb.txt" "${depth_rows[@]}" <<'PY'
import json, sys
out, crlb_path, names = sys.argv[1], sys.argv[2], sys.argv[3:]
bounds = {}
for line in open(crlb_path):
    f = line.split()
    if len(f) == 9 and f[0].isdigit():
        bounds[int(float(f[0]))] = f[3:9]
evals = {n: json.load(open(f"{out}/{n}.eval.json")) for n in names}
print("| true z (nm) | " + " | ".join(names) + " | CRLB, drift known | CRLB, drift unknown (prior 34 nm) |")
print("|---" * (len(names) + 3) + "|")
for b, first in enumerate(evals[names[0]]["bins"]):
    lo = first["z_min_nm"]
    cells = []
    for n in names:
        m = evals[n]["bins"][b]
        f = lambda v: "–" if v is None else f"{v:.1f}"
        cells.append(f"{f(m['rmse_xy_nm'])} / {f(m['rmse_z_nm'])}")
    k = bounds.get(int(lo))
    known = f"{float(k[0]):.1f} / {float(k[1]):.1f}" if k else "–"
    prior = f"{float(k[4]):.1f} / {float(k[5]):.1f}" if k else "–"
    print(f"| {lo:.0f}–{first['z_max_nm']:.0f} | " + " | ".join(cells) + f" | {known} | {prior} |")
PY

[ "${SKIP5:-0}" = 1 ] && exit 0
echo
echo "## 2020 Table 5 protocol: $frames5 frames of 64x64x4, 50 molecules, tau 0.5"
echo "(paper, regression network, voxel-level matching: TP 22,878, FN 2,089, FP 1,844, Jaccard 0.853)"
"$mumloc" simulate --out "$out/t5.tif" --truth "$out/t5.csv" --frames "$frames5" --size 64 \
  --molecules 50 --background 10 --read-noise 3 --seed 20205 --threads "$threads" --quiet >/dev/null
header
localize t5-cnn-regression "$out/t5.tif" --model "$model" --threshold 0.5
row t5-cnn-regression "$out/t5.csv"
localize t5-cs-unknown-count "$out/t5.tif" --method cs
row t5-cs-unknown-count "$out/t5.csv"
