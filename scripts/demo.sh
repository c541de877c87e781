#!/usr/bin/env bash
# The demo: simulates a quad-plane movie of a blinking 3D helix with its ground truth, localizes it
# with the bundled model (when one is installed), renders depth-coloured images and prints the
# evaluation; then says how to look at it all in Fiji.
# Usage: scripts/demo.sh PATH_TO_MUMLOC OUTDIR
set -euo pipefail
mumloc=${1:?usage: scripts/demo.sh PATH_TO_MUMLOC OUTDIR}
out=${2:?usage: scripts/demo.sh PATH_TO_MUMLOC OUTDIR}
[ -x "$mumloc" ] || { echo "demo: $mumloc not found; build it first (make native)" >&2; exit 1; }
mkdir -p "$out"

echo "demo: simulating a helix movie (64x64 pixels x 4 planes, 200 frames, seed 7)"
simulate=("$mumloc" simulate --out "$out/movie.tif" --truth "$out/truth.csv"
          --drift-file "$out/drift.csv" --sample helix --size 64 --frames 200 --molecules 10
          --stage-drift 100 --stage-drift-file "$out/stage-drift.csv" --seed 7 --quiet)
echo "  ${simulate[*]}"
"${simulate[@]}"

molecules=$(($(wc -l <"$out/truth.csv") - 1))
cat <<INFO

demo: wrote
  $out/movie.tif   quad-plane movie, 32-bit float, planes as channels ($(du -h "$out/movie.tif" | cut -f1))
  $out/truth.csv   ground truth: $molecules molecules, ThunderSTORM CSV in nm
  $out/drift.csv   lateral drift of planes 2-4 relative to plane 1, per frame, in nm
  $out/stage-drift.csv   the sample's own smooth 3D drift (up to 100 nm), per frame, in nm: the
                   movie shows it, the ground truth does not

To look at it in Fiji:
  File > Open... and pick $out/movie.tif: a hyperstack with C = 4 planes and T = 200 frames
    (Image > Color > Make Composite shows the four planes on top of each other).
  File > Import > Results... and pick $out/truth.csv (or ThunderSTORM's Import results).
INFO

model=$(cd "$(dirname "$0")/.." && pwd)/test-data/default-model.safetensors
echo "demo: rendering the ground truth (depth-coloured, 10 nm pixels)"
"$mumloc" render --in "$out/truth.csv" --out "$out/truth.png" --method gaussian --sigma 10 --quiet
if [ -f "$model" ]; then
  echo "demo: localizing with the bundled model"
  "$mumloc" localize --in "$out/movie.tif" --out "$out/localizations.csv" --model "$model" --quiet
  "$mumloc" render --in "$out/localizations.csv" --out "$out/localizations.png" --method gaussian --quiet
  echo "  wrote $out/localizations.csv and $out/localizations.png"
  # A short movie with few localizations: segments of 25 frames (about 240 localizations each) follow
  # the drift closely enough; long movies use the automatic segments.
  echo "demo: sample drift correction (redundant cross-correlation), compared with the true drift"
  "$mumloc" drift-correct --in "$out/localizations.csv" --out "$out/corrected.csv" \
    --segment-frames 25 --min-segment-localizations 150 \
    --drift-out "$out/drift-estimate.csv" --plot "$out/drift-estimate.png" --quiet | sed 's/^/  /'
  awk -F, 'FNR == 1 { next } NR == FNR { t[$1] = $2 " " $3 " " $4; next }
           ($1 in t) { split(t[$1], v, " "); n++; for (a = 1; a <= 3; a++) d[a] += $(a + 1) - v[a]
                       sx += ($2 - v[1])^2; sy += ($3 - v[2])^2; sz += ($4 - v[3])^2
                       for (a = 1; a <= 3; a++) q[a] += ($(a + 1) - v[a])^2 }
           END { if (!n) exit; for (a = 1; a <= 3; a++) r[a] = sqrt(q[a] / n - (d[a] / n)^2)
                 printf "  estimated drift vs the truth (constant offset removed), RMS x/y/z: %.1f / %.1f / %.1f nm\n", r[1], r[2], r[3] }' \
    "$out/stage-drift.csv" "$out/drift-estimate.csv"
  echo "demo: evaluation against the ground truth (before and after the drift correction)"
  "$mumloc" evaluate --truth "$out/truth.csv" --in "$out/localizations.csv" | grep -E '^(Jaccard|RMSE lateral)' |
    sed 's/^/  before: /'
  "$mumloc" evaluate --truth "$out/truth.csv" --in "$out/corrected.csv" | sed 's/^/  /'
  echo "demo: after localization: merge blinks, filter, render, resolution (FRC)"
  "$mumloc" merge-blinks --in "$out/corrected.csv" --out "$out/merged.csv" --distance 50 --quiet | sed 's/^/  /'
  "$mumloc" filter --in "$out/merged.csv" --out "$out/filtered.csv" --expr "uncertainty_xy < 30" --quiet |
    sed 's/^/  /'
  "$mumloc" render --in "$out/filtered.csv" --out "$out/filtered.png" --method gaussian --quiet | sed 's/^/  /'
  "$mumloc" frc --in "$out/corrected.csv" --plot "$out/frc.png" --quiet | sed 's/^/  /'
  echo "  wrote $out/corrected.csv, $out/drift-estimate.csv, $out/drift-estimate.png, $out/merged.csv, $out/filtered.csv, $out/filtered.png and $out/frc.png"
else
  echo "demo: no bundled model yet ($model is trained in a later stage):"
  echo "  localize with a model of your own:  $mumloc train --arch regression --out model.safetensors"
  echo "  then  $mumloc localize --in $out/movie.tif --out locs.csv --model model.safetensors"
fi
