#!/usr/bin/env bash
# mumloc calibrate from the command line on bead stacks simulated by `mumloc simulate --rig --beads`
# from a known rig (mirrors, a quarter turn, per-plane optics unlike the defaults), in every layout:
# the rig file must give back the registration (< 10 nm RMS over the field), the focal depths
# (< 10 nm), w0 and d (2 %) and the flips; and the errors a user meets name the problem.
. "$(dirname "$0")/lib.sh"
cd "$SCRATCH"

cat > truth.json <<'JSON'
{"mumloc_rig": 1, "layout": "hyperstack", "width": 128, "height": 128,
 "optics": {"planes": 4, "plane_depth_nm": [200, 610, 1000, 1390], "pixel_nm": 110,
  "plane_psf": [{"w0_nm": 128, "d_nm": 295, "A": 0.01, "B": 0.11, "transmission": 1.0},
                {"w0_nm": 140, "d_nm": 320, "A": 0.05, "B": 0.10, "transmission": 0.85},
                {"w0_nm": 124, "d_nm": 280, "A": -0.03, "B": 0.14, "transmission": 1.1},
                {"w0_nm": 135, "d_nm": 310, "A": 0.0, "B": 0.12, "transmission": 1.05}]},
 "cameras": [{"to_camera": [1, 0, 0, 0, 1, 0], "offset_adu": 100, "adu_per_electron": 2},
  {"to_camera": [-1.00996, -0.00881, 129.3, -0.00881, 1.00996, 0.7], "flip_x": 1, "offset_adu": 100, "adu_per_electron": 2},
  {"to_camera": [0.008, -0.992, 127.4, 0.992, 0.008, -0.4], "quarter_turns": 1, "offset_adu": 100, "adu_per_electron": 2},
  {"to_camera": [1.004, 0.003, -0.6, 0.003, -1.004, 128.1], "flip_y": 1, "offset_adu": 100, "adu_per_electron": 2}]}
JSON

# Compares a calibrated rig with the truth; prints the measured errors.
compare() {  # compare RIG LAYOUT
  python3 - "$1" truth.json "$2" <<'PY'
import json, math, sys
r = json.load(open(sys.argv[1])); t = json.load(open(sys.argv[2])); layout = sys.argv[3]
bad = []
if r["layout"] != layout: bad.append("layout %s" % r["layout"])
for d in range(4):
    a, b = r["cameras"][d]["to_camera"], t["cameras"][d]["to_camera"]
    det = b[0] * b[4] - b[1] * b[3]
    inv = [b[4] / det, -b[1] / det, -b[3] / det, b[0] / det]
    s = 0.0
    for i in range(11):
        for j in range(11):
            x, y = 12.8 * i, 12.8 * j
            du = (a[0] - b[0]) * x + (a[1] - b[1]) * y + a[2] - b[2]
            dv = (a[3] - b[3]) * x + (a[4] - b[4]) * y + a[5] - b[5]
            ex, ey = inv[0] * du + inv[1] * dv, inv[2] * du + inv[3] * dv
            s += ex * ex + ey * ey
    rms = math.sqrt(s / 121) * 110
    dz = r["optics"]["plane_depth_nm"][d] - t["optics"]["plane_depth_nm"][d]
    pr, pt = r["optics"]["plane_psf"][d], t["optics"]["plane_psf"][d]
    w0, dd = pr["w0_nm"] / pt["w0_nm"] - 1, pr["d_nm"] / pt["d_nm"] - 1
    print("%s camera %d: registration %.2f nm RMS, depth %+.1f nm, w0 %+.2f %%, d %+.2f %%"
          % (layout, d + 1, rms, dz, 100 * w0, 100 * dd))
    flags = [r["cameras"][d].get(k, 0) for k in ("flip_x", "flip_y", "quarter_turns")]
    want = [t["cameras"][d].get(k, 0) for k in ("flip_x", "flip_y", "quarter_turns")]
    if rms >= 10 or abs(dz) >= 10 or abs(w0) >= 0.02 or abs(dd) >= 0.02 or flags != want:
        bad.append("camera %d" % (d + 1))
if bad: sys.exit("calibrated rig differs from the truth: " + ", ".join(bad))
PY
}

for layout in hyperstack files tiles2x2 tiles1x4 tiles4x1; do
  sed "s/\"hyperstack\"/\"$layout\"/" truth.json > "truth_$layout.json"
  "$MUMLOC" simulate --rig "truth_$layout.json" --beads 20 --z-step 50 --z-range -600:2200 \
    --bead-drift 30 --bead-photons 30000 --seed 3 --out "b_$layout.tif" --quiet >/dev/null ||
    fail "simulate beads ($layout) failed"
  beads="b_$layout.tif"
  [ "$layout" = files ] && beads="b_files_cam1.tif,b_files_cam2.tif,b_files_cam3.tif,b_files_cam4.tif"
  args=(--beads "$beads" --z-step 50 --offset 100 --gain 2 --pixel-size 110 --out "rig_$layout.json")
  [ "$layout" = files ] || args+=(--layout "$layout")
  [ "$layout" = hyperstack ] && args+=(--report report.png)
  "$MUMLOC" calibrate "${args[@]}" > "summary_$layout.txt" || fail "calibrate ($layout) failed"
  compare "rig_$layout.json" "$layout" || fail "$layout: $(cat "summary_$layout.txt")"
done
grep -q "camera 2: 20 beads found, 20 in the affine fit, mirror x" summary_hyperstack.txt ||
  fail "summary: $(cat summary_hyperstack.txt)"
[ "$(head -c 8 report.png | od -An -c | tr -d ' ')" = "211PNG\r\n032\n" ] || fail "report.png is not a PNG"
# the rig file works as a rig: simulate reads it back
"$MUMLOC" simulate --rig rig_hyperstack.json --out movie.tif --frames 2 --quiet >/dev/null ||
  fail "the calibrated rig does not load in simulate --rig"
# the measured PSF (--psf spline, the default) lies beside the rig file, which names it and its hash;
# --psf gaussian writes none; a changed spline file makes the rig fail to load, naming the file
[ -s rig_hyperstack.psf.safetensors ] || fail "calibrate wrote no rig_hyperstack.psf.safetensors"
grep -q '"psf": {"model": "spline", "file": "rig_hyperstack.psf.safetensors", "hash": "' rig_hyperstack.json ||
  fail "the rig does not reference its spline PSF: $(cat rig_hyperstack.json)"
"$MUMLOC" calibrate --beads b_hyperstack.tif --z-step 50 --offset 100 --gain 2 --pixel-size 110 \
  --psf gaussian --out rig_gauss.json >/dev/null || fail "calibrate --psf gaussian failed"
if grep -q '"psf":' rig_gauss.json || [ -e rig_gauss.psf.safetensors ]; then fail "--psf gaussian wrote a spline"; fi
printf 'x' >> rig_hyperstack.psf.safetensors
EXPECT_RC=1 expect_error "rig_hyperstack.psf.safetensors" simulate --rig "$SCRATCH/rig_hyperstack.json" --out movie2.tif --frames 1

# errors name the problem
expect_error "does not fit layout tiles2x2: .* 4 channels" \
  calibrate --beads "$SCRATCH/b_hyperstack.tif" --layout tiles2x2 --z-step 50 --out rig.json
expect_error "does not fit layout hyperstack: .* 1 channel" \
  calibrate --beads "$SCRATCH/b_tiles1x4.tif" --z-step 50 --out rig.json
expect_error "offset has 3 values for 4 cameras" \
  calibrate --beads "$SCRATCH/b_hyperstack.tif" --offset 1,2,3 --z-step 50 --out rig.json
EXPECT_RC=2 expect_error "focal depths do not increase .* pass z-step 50" \
  calibrate --beads "$SCRATCH/b_hyperstack.tif" --offset 100 --gain 2 --pixel-size 110 --z-step -50 --out rig.json
expect_error "--beads .* and --out .* are the same file|same file" \
  calibrate --beads "$SCRATCH/b_hyperstack.tif" --z-step 50 --out "$SCRATCH/b_hyperstack.tif"
echo "test_calibrate_cli: all checks passed"
