#!/usr/bin/env bash
# mumloc on data it did not make: beads and a movie from the independent pupil-function simulator
# (tools/pupil_sim: scalar pupil, Zernike aberrations per plane), calibrated with `mumloc calibrate`,
# localized with the bundled model and with a short fine-tune for the calibrated optics, each with and
# without `--refine positions`, scored by `mumloc evaluate` overall and per 200 nm depth bin. The same
# pipeline on a Gaussian-model movie of the calibrated optics is the control: the difference is what
# the Gaussian PSF model loses on aberrated data (issues 10 and 13). The calibrated rig's measured
# spline PSF against its Gaussian curves, by refinement alone and through localize --rig (issue 13).
# Usage: scripts/bench_pupil.sh BUILD_DIR   (env: PUPIL_FRAMES=200 FINETUNE_S=240 THREADS=2)
set -euo pipefail
build=${1:?usage: scripts/bench_pupil.sh BUILD_DIR}
build=$(cd "$build" && pwd)
mumloc="$build/bin/mumloc"
pupil="$build/bin/pupil_sim"
for exe in "$mumloc" "$pupil"; do
  [ -x "$exe" ] || { echo "  skipped: $exe was not built"; exit 0; }
done
command -v jq >/dev/null || { echo "  skipped: jq is needed to read the JSON reports"; exit 0; }
frames=${PUPIL_FRAMES:-200}
finetune_s=${FINETUNE_S:-240}
threads=${THREADS:-2}
bundled=$(pwd)/test-data/default-model.safetensors
out=bench-out/pupil
mkdir -p "$out"
export OMP_NUM_THREADS=$threads

# Optics: NA 1.0, 630 nm emission, matched oil (n 1.518), 192 nm pixels: in-focus σ ≈ 0.21 λ/NA ≈
# 132 nm, near the papers' w0 = 133 nm (at NA 1.4 it would be ~90 nm). Aberrations (nm RMS, one per
# plane) of the size a real objective shows: astigmatism, coma, spherical growing with depth.
optics=(--na 1.0 --wavelength 630 --n 1.518 --pixel 192 --plane-depths 200,600,1000,1400
        --astig 25,15,20,25 --astig45 0,10,0,-10 --coma-x 15,0,10,15 --coma-y 0,15,10,0
        --spherical 10,15,20,25)
run() { echo "\$ $*" >>"$out/commands.txt"; "$@"; }
: >"$out/commands.txt"

echo "== pupil-function PSF: calibrate, localize, evaluate (planes 200/600/1000/1400 nm)"
echo "   pupil optics: ${optics[*]}"
run "$pupil" beads --out "$out/beads.tif" --truth "$out/beads.csv" --beads 20 --z-step 50 \
    --z-range -600:2200 --bead-photons 30000 --width 96 --height 96 --seed 11 "${optics[@]}" >/dev/null
run "$mumloc" calibrate --beads "$out/beads.tif" --z-step 50 --out "$out/rig.json" \
    --threads "$threads" >"$out/calibrate.log" 2>&1 || { cat "$out/calibrate.log"; exit 1; }
jq '.optics' "$out/rig.json" >"$out/rig-optics.json"
echo
echo "-- calibrated Gaussian curves per plane (w = w0·sqrt(1+t²+At³+Bt⁴), t = Δz/d; pupil planes at 200/600/1000/1400):"
jq -r '.optics as $o | .calibration as $c | range(0; $o.planes) as $i | $o.plane_psf[$i] as $p |
  "   plane \($i+1): focus \($o.plane_depth_nm[$i]|.*10|round/10) nm  w0 \($p.w0_nm|.*10|round/10) nm" +
  "  d \($p.d_nm|.*10|round/10) nm  A \($p.A|.*1000|round/1000)  B \($p.B|.*1000|round/1000)" +
  "  transm. \($p.transmission|.*1000|round/1000)  width RMS \($c.planes[$i].width_rms_nm|.*10|round/10) nm" +
  "  reduced chi2 \($c.planes[$i].reduced_chi2|.*100|round/100)" +
  "  registration \($c.cameras[$i].residual_nm|.*10|round/10) nm RMS"' "$out/rig.json"
jq -r '"   scan drift found: \(.calibration.scan_drift_max_nm|.*10|round/10) nm (pupil_sim has none)"' "$out/rig.json"
grep -i 'warn' "$out/calibrate.log" | sed 's/^/   /' || true

run "$pupil" movie --out "$out/pupil.tif" --truth "$out/pupil-truth.csv" --frames "$frames" \
    --molecules 8 --width 64 --height 64 --z-range 0:1600 --seed 12 "${optics[@]}" >/dev/null
run "$mumloc" simulate --optics "$out/rig-optics.json" --out "$out/gauss.tif" \
    --truth "$out/gauss-truth.csv" --frames "$frames" --molecules 8 --size 64 --drift 0 --seed 12 \
    --threads "$threads" --quiet >/dev/null

# The "bundled" rows: the bundled model's weights, untrained further, with the calibrated optics in its
# metadata (mumloc takes the optics for photometry, bounds and refinement from the model and refuses a
# movie recorded with other optics), made by replacing the safetensors header's "optics" string (the
# header is JSON; its length is re-written, space-padded to 8 bytes). Its input scale stays the
# bundled one; the fine-tune below starts from the bundled model itself (train --resume of a model made
# for other optics fine-tunes it, with the input scale of the new optics).
retargeted=$out/bundled-rig.safetensors
python3 - "$bundled" "$out/rig-optics.json" "$retargeted" <<'PY'
import json, struct, sys
src, optics_path, dst = sys.argv[1:]
blob = open(src, 'rb').read()
n = struct.unpack('<Q', blob[:8])[0]
header = json.loads(blob[8:8 + n])
header['__metadata__']['optics'] = json.dumps(json.load(open(optics_path)), separators=(',', ':'))
text = json.dumps(header, separators=(',', ':')).encode()
text += b' ' * (-len(text) % 8)
open(dst, 'wb').write(struct.pack('<Q', len(text)) + text + blob[8 + n:])
PY
echo "\$ (python3: bundled model with the calibrated optics in its metadata) -> $retargeted" >>"$out/commands.txt"

# Fine-tune the bundled model for the calibrated optics for FINETUNE_S seconds of wall time: SIGINT
# stops training and saves the model so far (mumloc train's Ctrl-C), so the budget is in minutes.
start_step=0 # a fine-tune for other optics counts its steps from 0
rm -f "$out/tuned.safetensors"
echo "\$ timeout -s INT $finetune_s $mumloc train --arch regression --optics $out/rig-optics.json" \
     "--resume $bundled --steps $((start_step + 100000)) --batch 16 --molecules 5-50 --lr 0.0002" \
     "--threshold 0.2 --validation-frames 100 --out $out/tuned.safetensors" >>"$out/commands.txt"
timeout -s INT "$finetune_s" "$mumloc" train --arch regression --optics "$out/rig-optics.json" \
    --resume "$bundled" --steps $((start_step + 100000)) --batch 16 --molecules 5-50 --lr 0.0002 \
    --threshold 0.2 --validation-frames 100 --threads "$threads" --out "$out/tuned.safetensors" \
    >"$out/train.log" 2>&1 || true
[ -f "$out/tuned.safetensors" ] || { echo "fine-tune wrote no model:"; tail "$out/train.log"; exit 1; }
tuned_steps=$(( $("$mumloc" info "$out/tuned.safetensors" | awk '/^train_step:/ { print $2 }') - start_step ))

summary="$out/summary.txt"; bins="$out/bins.txt"; : >"$summary"; : >"$bins"
for data in pupil gauss; do
  models="bundled tuned"; [ $data = pupil ] && models="shipped bundled tuned"
  for model in $models; do
    case $model in shipped) m=$bundled ;; bundled) m=$retargeted ;; *) m=$out/tuned.safetensors ;; esac
    for refine in none positions; do
      name=$data-$model-$refine
      run "$mumloc" localize --in "$out/$data.tif" --out "$out/$name.csv" --model "$m" \
          --refine $refine --threads "$threads" --device cpu --quiet >/dev/null
      run "$mumloc" evaluate --truth "$out/$data-truth.csv" --in "$out/$name.csv" --bin 200 \
          --json --quiet >"$out/$name.json"
      jq -r --arg n "$data $model $refine" '.overall | [$n, .jaccard, .rmse_xy_nm, .rmse_z_nm,
          (.rmse_xy_nm / .crlb_rmse_xy_nm), (.rmse_z_nm / .crlb_rmse_z_nm), .bias_x_nm, .bias_y_nm,
          .bias_z_nm] | "\(.[0]) \(.[1:] | map(. * 1000 | round / 1000) | join(" "))"' \
          "$out/$name.json" >>"$summary"
      jq -r --arg n "$data $model $refine" '.bins[] | select(.tp > 0) | [.z_min_nm, .z_max_nm, .tp,
          .jaccard, .rmse_xy_nm, .rmse_z_nm, .bias_x_nm, .bias_y_nm, .bias_z_nm] |
          "\($n) \(map(. * 100 | round / 100) | join(" "))"' "$out/$name.json" >>"$bins"
    done
  done
done

echo
echo "-- overall ($frames frames, 64x64x4, 8 molecules/frame, 150 nm 3D tolerance;" \
     "tuned = bundled + $tuned_steps steps / ${finetune_s}s of CPU fine-tuning on the calibrated optics)"
echo "   shipped: test-data model as is (photometry/refinement with the default optics);" \
     "bundled: its weights with the calibrated optics"
awk 'BEGIN { printf "   %-6s %-7s %-9s %7s %8s %8s %8s %8s %7s %7s %7s\n", "data", "model",
       "refine", "Jaccard", "RMSE xy", "RMSE z", "xy/CRLB", "z/CRLB", "bias x", "bias y", "bias z" }
     { printf "   %-6s %-7s %-9s %7.4f %8.2f %8.2f %8.2f %8.2f %7.2f %7.2f %7.2f\n",
       $1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11 }' "$summary"
echo
echo "-- per 200 nm bin of true z (bias = localization - truth, nm)"
awk 'BEGIN { printf "   %-6s %-7s %-9s %11s %5s %7s %8s %8s %7s %7s %7s\n", "data", "model", "refine",
       "z bin", "TP", "Jaccard", "RMSE xy", "RMSE z", "bias x", "bias y", "bias z" }
     { printf "   %-6s %-7s %-9s %5d-%-5d %5d %7.4f %8.2f %8.2f %7.2f %7.2f %7.2f\n",
       $1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12 }' "$bins"
# Issue 13: the measured PSF. calibrate wrote rig.json with its spline (rig.psf.safetensors beside
# it; --psf spline is the default). The same rig at the movie's size, once with the spline and once
# without (its Gaussian curves): refinement alone from the truth displaced by up to ±40 nm laterally
# and ±80 nm axially (bench_spline_refine), and the whole pipeline through the rig (the tuned model,
# localize --rig, refinement positions).
jq ".width = 64 | .height = 64" "$out/rig.json" >"$out/rig64-spline.json"
jq "del(.psf)" "$out/rig64-spline.json" >"$out/rig64-gauss.json"
echo
echo "-- issue 13: refinement alone, the rig's Gaussian curves vs its measured spline (pupil movie;"
echo "   CRLB of each model; * = about the depth-frame offset, which both models share)"
if [ -x "$build/bin/bench_spline_refine" ]; then
  run "$build/bin/bench_spline_refine" "$out/rig64-spline.json" "$out/pupil.tif" "$out/pupil-truth.csv" \
      | tee "$out/spline-refine.txt" | sed 's/^/   /'
else
  echo "   skipped: $build/bin/bench_spline_refine was not built"
fi
: >"$out/rig-bins.txt"
for psf in gauss spline; do
  run "$mumloc" localize --in "$out/pupil.tif" --out "$out/pupil-rig-$psf.csv" --model "$out/tuned.safetensors" \
      --rig "$out/rig64-$psf.json" --refine positions --threads "$threads" --device cpu --quiet >/dev/null
  run "$mumloc" evaluate --truth "$out/pupil-truth.csv" --in "$out/pupil-rig-$psf.csv" --bin 200 \
      --json --quiet >"$out/pupil-rig-$psf.json"
  jq -r --arg n "$psf" '.bins[] | select(.tp > 0) | [.z_min_nm, .z_max_nm, .tp, .jaccard, .rmse_xy_nm,
      .rmse_z_nm, .bias_x_nm, .bias_y_nm, .bias_z_nm, (.rmse_xy_nm / .crlb_rmse_xy_nm),
      (.rmse_z_nm / .crlb_rmse_z_nm)] | "\($n) \(map(. * 100 | round / 100) | join(" "))"' \
      "$out/pupil-rig-$psf.json" >>"$out/rig-bins.txt"
done
echo
echo "-- issue 13: the pipeline through the rig (tuned model, localize --rig, --refine positions), per 200 nm bin"
awk 'BEGIN { printf "   %-7s %11s %5s %7s %8s %8s %7s %7s %7s %8s %8s\n", "psf", "z bin", "TP", "Jaccard",
       "RMSE xy", "RMSE z", "bias x", "bias y", "bias z", "xy/CRLB", "z/CRLB" }
     { printf "   %-7s %5d-%-5d %5d %7.4f %8.2f %8.2f %7.2f %7.2f %7.2f %8.2f %8.2f\n",
       $1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12 }' "$out/rig-bins.txt"

echo
echo "-- commands (in order):"
sed 's/^/   /' "$out/commands.txt"
