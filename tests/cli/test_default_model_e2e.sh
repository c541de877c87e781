# End to end with the bundled model (test-data/default-model.safetensors): a small seeded movie that
# training never saw is simulated, localized without --model (so the bundled model is found), and
# scored against its ground truth. Bounds are loose enough for any decent model and far above chance
# (an untrained network scores Jaccard ~0).
source "$(dirname "$0")/lib.sh"
cd "$SCRATCH"
model="$TESTS_CLI_DIR/../../test-data/default-model.safetensors"
[ -f "$model" ] || fail "the bundled model $model is missing"

"$MUMLOC" info "$model" | grep -c "regression" >/dev/null || fail "mumloc info does not call the bundled model a regression model"

"$MUMLOC" simulate --out movie.tif --truth truth.csv --frames 12 --size 64 --molecules 8 \
  --seed 777001 --threads 2 --quiet >/dev/null
"$MUMLOC" localize --in movie.tif --out locs.csv --threads 2 --quiet >/dev/null ||
  fail "mumloc localize with the bundled model failed"
head -1 locs.csv | grep -q '^"id","frame","x \[nm\]","y \[nm\]","z \[nm\]","intensity \[photon\]"' ||
  fail "unexpected header: $(head -1 locs.csv)"
"$MUMLOC" evaluate --truth truth.csv --in locs.csv --json >report.json
python3 - report.json <<'PY' || fail "accuracy below the bounds: $(cat report.json)"
import json, sys
report = json.load(open(sys.argv[1]))
overall = report["overall"]
jaccard = overall["jaccard"]
rmse_xy = overall["rmse_xy_nm"]
rmse_z = overall["rmse_z_nm"]
print(f"bundled model, 12 frames x 8 molecules: Jaccard {jaccard:.3f}, RMSE lateral {rmse_xy:.1f} nm, axial {rmse_z:.1f} nm")
assert jaccard >= 0.8, jaccard
assert rmse_xy <= 60, rmse_xy
assert rmse_z <= 80, rmse_z
PY
