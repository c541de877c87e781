#!/usr/bin/env bash
# The accuracy of bf16 inference beside its speed: the bundled model on the bench's sparse and dense
# 64x64x4 movies (seeds never used in training), localized in fp32 and in bf16, each evaluated
# against the ground truth. bf16 is acceptable (and `--precision auto` may pick it) when its Jaccard
# is within 0.002 of fp32's and its lateral and axial RMSE within 2 % of fp32's.
# Usage: scripts/bench_precision.sh MUMLOC OUT_DIR [THREADS]
set -euo pipefail
mumloc=${1:?usage: scripts/bench_precision.sh MUMLOC OUT_DIR [THREADS]}
out=${2:?usage: scripts/bench_precision.sh MUMLOC OUT_DIR [THREADS]}
threads=${3:-2}
model=$(cd "$(dirname "$0")/.." && pwd)/test-data/default-model.safetensors
[ -f "$model" ] || { echo "  skipped: no bundled model at $model"; exit 0; }
mkdir -p "$out"
rows=()
for case in "sparse 8 424242" "dense 50 434343"; do
  set -- $case
  name=$1; molecules=$2; seed=$3
  sim=("$mumloc" simulate --out "$out/prec-$name.tif" --truth "$out/prec-$name-truth.csv" --frames 200
       --size 64 --molecules "$molecules" --seed "$seed" --quiet)
  echo "\$ ${sim[*]}"
  "${sim[@]}" >/dev/null
  for precision in fp32 bf16; do
    locs="$out/prec-$name-$precision.csv"
    loc=("$mumloc" localize --in "$out/prec-$name.tif" --out "$locs" --threads "$threads" --quiet
         --precision "$precision")
    echo "\$ ${loc[*]}"
    if ! line=$("${loc[@]}" 2>&1); then echo "  $precision: $line"; continue; fi
    fps=$(sed -n 's/.*(\([0-9.]*\) frames\/s.*/\1/p' <<<"$line")
    ev=$("$mumloc" evaluate --truth "$out/prec-$name-truth.csv" --in "$locs")
    jaccard=$(sed -n 's/^Jaccard \([0-9.]*\).*/\1/p' <<<"$ev")
    lateral=$(sed -n 's/^RMSE lateral \([0-9.]*\) nm, axial.*/\1/p' <<<"$ev")
    axial=$(sed -n 's/^RMSE lateral [0-9.]* nm, axial \([0-9.]*\) nm.*/\1/p' <<<"$ev")
    rows+=("$name $molecules $precision $jaccard $lateral $axial $fps")
  done
  rm -f "$out/prec-$name.tif" "$out/prec-$name.drift.csv" "$out/prec-$name-truth.drift.csv"
done
echo
printf '  %-7s %9s %9s %8s %12s %10s %8s  %s\n' movie molecules precision Jaccard "RMSE xy nm" \
  "RMSE z nm" "frames/s" "bf16 vs fp32 (Jaccard within 0.002, RMSE within 2 %)"
printf '%s\n' "${rows[@]}" | awk '
  { key = $1; if ($3 == "fp32") { j[key] = $4; l[key] = $5; a[key] = $6; f[key] = $7 }
    verdict = ""
    if ($3 == "bf16" && (key in j)) {
      dj = $4 - j[key]; rl = 100 * ($5 / l[key] - 1); ra = 100 * ($6 / a[key] - 1)
      ok = (dj >= -0.002 && rl <= 2 && ra <= 2) ? "meets" : "FAILS"
      verdict = sprintf("dJ %+.4f, xy %+.2f %%, z %+.2f %%, %.2fx speed: %s", dj, rl, ra, $7 / f[key], ok)
    }
    printf "  %-7s %9s %9s %8s %12s %10s %8s  %s\n", $1, $2, $3, $4, $5, $6, $7, verdict }'
echo "  (same run, 64x64x4, 200 frames, $threads threads, refine none; frames/s from the localize line:"
echo "   noisy on a shared machine, bench_localize above gives the 256x256x4 ratio)"
