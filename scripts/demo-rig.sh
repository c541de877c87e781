#!/usr/bin/env bash
# The rig demo (make demo-rig): a made-up four-camera rig (test-data/demo-rig.json: camera 2
# mirrored, camera 3 turned a quarter, camera 4 mirrored in y, each rotated by a fraction of a degree,
# scaled by ~1 % and shifted) records a bead z-stack and a movie as its cameras would; mumloc
# calibrates the rig from the beads, fine-tunes the bundled model for the calibrated optics, localizes
# the raw movie through the calibrated rig, renders it and scores it against the truth.
# Usage: scripts/demo-rig.sh PATH_TO_MUMLOC OUTDIR
set -euo pipefail
mumloc=${1:?usage: scripts/demo-rig.sh PATH_TO_MUMLOC OUTDIR}
out=${2:?usage: scripts/demo-rig.sh PATH_TO_MUMLOC OUTDIR}
[ -x "$mumloc" ] || { echo "demo-rig: $mumloc not found; build it first (make native)" >&2; exit 1; }
root=$(cd "$(dirname "$0")/.." && pwd)
truth_rig="$root/test-data/demo-rig.json"
model="$root/test-data/default-model.safetensors"
# (the whole help read: grep -q would stop early and pipefail would see mumloc's broken pipe)
"$mumloc" train --help | grep -c -- '--rig' >/dev/null ||
  { echo "demo-rig: this mumloc's train has no --rig (fine-tuning for a rig); build a newer one" >&2; exit 1; }
mkdir -p "$out"
run() { echo "  $*"; "$@"; }

echo "demo-rig: 1. the rig records a bead z-stack (40 beads, 20 nm steps through every plane's focus)"
run "$mumloc" simulate --rig "$truth_rig" --beads 40 --z-step 20 --z-range -600:2200 \
  --out "$out/beads.tif" --quiet
echo "demo-rig: 2. calibration from the beads alone"
run "$mumloc" calibrate --beads "$out/beads.tif" --z-step 20 --out "$out/rig.json" \
  --report "$out/rig.png" | sed 's/^/  /'
echo "demo-rig: 3. a short fine-tune of the bundled model for the calibrated rig (CPU; the README"
echo "          recommends a longer one for real data)"
steps=300 # a model made for other optics is fine-tuned: its steps count from 0
run "$mumloc" train --arch regression --rig "$out/rig.json" --resume "$model" \
  --out "$out/rig-model.safetensors" --steps "$steps" --batch 16 --validation-frames 100 \
  --validation-interval 300 --quiet | sed 's/^/  /'
echo "demo-rig: 4. the rig records a movie (200 frames of 128x128 per camera, 16-bit counts)"
run "$mumloc" simulate --rig "$truth_rig" --out "$out/movie.tif" --truth "$out/truth.csv" \
  --frames 200 --molecules 20 --seed 7 --drift 0 --bits 16 --quiet
echo "demo-rig: 5. localization of the raw movie through the calibrated rig"
run "$mumloc" localize --rig "$out/rig.json" --in "$out/movie.tif" --model "$out/rig-model.safetensors" \
  --out "$out/localizations.csv" --quiet | tee "$out/localize.txt" | sed 's/^/  /'
echo "demo-rig: 6. rendering and evaluation over the cameras' common field"
run "$mumloc" render --in "$out/localizations.csv" --out "$out/localizations.png" --method gaussian \
  --quiet | sed 's/^/  /'
read -r c0 c1 r0 r1 < <(sed -n 's/.*columns \([0-9]*\)-\([0-9]*\), rows \([0-9]*\)-\([0-9]*\).*/\1 \2 \3 \4/p' \
  "$out/localize.txt")
p=$(sed -n 's/.*"pixel_nm": *\([0-9.]*\).*/\1/p' "$out/rig.json" | head -1)
field=$(awk -v a="$c0" -v b="$c1" -v c="$r0" -v d="$r1" -v p="$p" \
  'BEGIN { printf "x >= %g & x < %g & y >= %g & y < %g", a * p, (b + 1) * p, c * p, (d + 1) * p }')
"$mumloc" filter --in "$out/truth.csv" --out "$out/truth-field.csv" --expr "$field" --quiet >/dev/null
"$mumloc" filter --in "$out/localizations.csv" --out "$out/localizations-field.csv" --expr "$field" \
  --quiet >/dev/null
"$mumloc" evaluate --truth "$out/truth-field.csv" --in "$out/localizations-field.csv" | sed 's/^/  /'
echo "demo-rig: wrote $out/rig.json (the calibrated rig), $out/rig.png (its report),"
echo "  $out/rig-model.safetensors, $out/localizations.csv and $out/localizations.png"
