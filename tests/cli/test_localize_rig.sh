# mumloc localize --rig: a movie simulated through a made-up rig (camera 2 mirrored, camera 3 turned
# a quarter, camera 4 mirrored in y, each rotated by a fraction of a degree, scaled by ~1 % and
# shifted; each camera with its own offset, ADU gain and read noise; 16-bit counts) and localized
# with the bundled model reaches the result of the same molecules simulated as a registered movie
# (Jaccard within 0.05, lateral RMSE within 25 %, over the cameras' common field the command
# prints); the same camera data stored as a hyperstack, as one file per camera (--in a,b,c,d) and as
# a 2x2 chip give the same table byte for byte; mistakes are one-line usage errors.
source "$(dirname "$0")/lib.sh"
cd "$SCRATCH"
MODEL="$TESTS_CLI_DIR/../../test-data/default-model.safetensors"
[ -f "$MODEL" ] || fail "the bundled model is missing: $MODEL"
SIM=(--frames 24 --molecules 8 --seed 424242 --drift 0 --threads 1 --quiet)

for layout in hyperstack files tiles2x2; do
  python3 "$TESTS_CLI_DIR/rig_file.py" "rig-$layout.json" 64 $layout offsets
  "$MUMLOC" simulate --rig "rig-$layout.json" --out "raw-$layout.tif" --truth truth.csv --bits 16 \
    "${SIM[@]}" >/dev/null || fail "simulate --rig ($layout) failed"
done
"$MUMLOC" simulate --out registered.tif --truth registered.csv --size 64 "${SIM[@]}" >/dev/null
cmp -s truth.csv registered.csv || fail "the rig and the registered movie should hold the same molecules"

LOC=(--model "$MODEL" --threads 1 --quiet)
"$MUMLOC" localize --rig rig-hyperstack.json --in raw-hyperstack.tif --out rig.csv "${LOC[@]}" \
  >stdout.txt 2>"$SCRATCH/stderr" || fail "localize --rig failed: $(cat "$SCRATCH/stderr")"
"$MUMLOC" localize --rig rig-files.json --out files.csv "${LOC[@]}" \
  --in raw-files_cam1.tif,raw-files_cam2.tif,raw-files_cam3.tif,raw-files_cam4.tif >/dev/null ||
  fail "localize --rig with one file per camera failed"
"$MUMLOC" localize --rig rig-tiles2x2.json --in raw-tiles2x2.tif --out tiles.csv "${LOC[@]}" \
  >/dev/null || fail "localize --rig with a 2x2 chip failed"
cmp -s rig.csv files.csv || fail "one file per camera gave another table than the hyperstack"
cmp -s rig.csv tiles.csv || fail "the 2x2 chip gave another table than the hyperstack"
# --layout overrides the file's: the hyperstack rig reading the chip
"$MUMLOC" localize --rig rig-hyperstack.json --layout tiles2x2 --in raw-tiles2x2.tif \
  --out layout.csv "${LOC[@]}" >/dev/null || fail "--layout tiles2x2 failed"
cmp -s rig.csv layout.csv || fail "--layout tiles2x2 gave another table"

# the common field, in camera 1's pixels: "columns A-B, rows C-D"
read -r c0 c1 r0 r1 < <(sed -n 's/.*columns \([0-9]*\)-\([0-9]*\), rows \([0-9]*\)-\([0-9]*\).*/\1 \2 \3 \4/p' stdout.txt)
[ -n "${r1:-}" ] || fail "localize --rig did not print its common field: $(cat stdout.txt)"
[ "$c0" -le 3 ] && [ "$c1" -ge 60 ] && [ "$r0" -le 3 ] && [ "$r1" -ge 60 ] ||
  fail "the common field $c0-$c1 x $r0-$r1 is smaller than this rig leaves (about 2-62)"
field="x >= $((c0 * 192)) & x < $(((c1 + 1) * 192)) & y >= $((r0 * 192)) & y < $(((r1 + 1) * 192))"
"$MUMLOC" localize --in registered.tif --out registered-loc.csv --refine positions "${LOC[@]}" >/dev/null
for t in truth rig registered-loc; do
  "$MUMLOC" filter --in $t.csv --out $t-field.csv --expr "$field" --quiet >/dev/null
done
"$MUMLOC" evaluate --truth truth-field.csv --in rig-field.csv --json >rig.json
"$MUMLOC" evaluate --truth truth-field.csv --in registered-loc-field.csv --json >registered.json
python3 - rig.json registered.json <<'PY' || fail "the rig's localizations fall short of the registered movie's"
import json, sys
rig, reg = (json.load(open(p))["overall"] for p in sys.argv[1:3])
for name, o in (("rig", rig), ("registered", reg)):
    print("%-10s Jaccard %.3f  RMSE xy %.1f nm (CRLB %.1f)  z %.1f nm (CRLB %.1f)" % (
        name, o["jaccard"], o["rmse_xy_nm"], o["crlb_rmse_xy_nm"], o["rmse_z_nm"],
        o["crlb_rmse_z_nm"]))
ok = rig["jaccard"] >= reg["jaccard"] - 0.05 and rig["rmse_xy_nm"] <= 1.25 * reg["rmse_xy_nm"] \
    and rig["rmse_z_nm"] <= 1.25 * reg["rmse_z_nm"]
sys.exit(0 if ok else 1)
PY

expect_error "layout.*--rig" localize --in raw-tiles2x2.tif --out x.csv --layout tiles2x2 "${LOC[@]}"
expect_error "one per camera" localize --rig "$SCRATCH/rig-files.json" --out x.csv "${LOC[@]}" \
  --in "$SCRATCH/raw-files_cam1.tif,$SCRATCH/raw-files_cam2.tif"
expect_error "128x128.*64x64|64x64.*128x128" localize --rig "$SCRATCH/rig-hyperstack.json" \
  --layout tiles2x2 --in "$SCRATCH/raw-hyperstack.tif" --out x.csv "${LOC[@]}"
echo "test_localize_rig: ok"
