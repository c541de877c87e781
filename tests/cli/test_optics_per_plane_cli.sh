# Per-plane optics through the CLI (issue 10): an optics file with "plane_psf" simulates a movie that
# records them; the bundled model (the papers' optics) refuses that movie naming the plane and the
# field; a model trained for the rig records them and accepts it; a bad plane is named.
source "$(dirname "$0")/lib.sh"
cd "$SCRATCH"

cat >rig.json <<'JSON'
{"plane_psf": [
  {"w0_nm": 125, "d_nm": 290, "A": 0.02, "B": 0.15, "transmission": 1},
  {"w0_nm": 150, "d_nm": 320, "A": -0.03, "B": 0.1, "transmission": 1.8},
  {"w0_nm": 140, "d_nm": 300, "A": 0, "B": 0.12, "transmission": 0.6},
  {"w0_nm": 160, "d_nm": 340, "A": 0.01, "B": 0.09, "transmission": 1.2}]}
JSON
small_movie rig --optics rig.json
grep -aq '"plane_psf":\[{"w0_nm":125,"d_nm":290,"A":0.02,"B":0.15,"transmission":1},' rig.tif ||
  fail "the movie does not record its per-plane optics"

bundled="$TESTS_CLI_DIR/../../test-data/default-model.safetensors"
if [ -f "$bundled" ]; then
  expect_error "other optics.*plane 1 w0_nm 133.05 \(model\) vs 125.*plane 2 photon share 0.25 \(model\) vs 0.39" \
    localize --in "$SCRATCH/rig.tif" --out loc.csv --model "$bundled" --threads 1 --quiet
fi

"$MUMLOC" train --arch regression --optics rig.json --size 16 --molecules 2 --steps 1 --batch 1 \
  --validation-frames 1 --threads 1 --quiet --out rig.safetensors >/dev/null 2>err.txt ||
  fail "training for the rig: $(cat err.txt)"
"$MUMLOC" info --json rig.safetensors >info.json || fail "info failed"
python3 - info.json <<'PY' || fail "the model does not record the rig's optics: $(cat info.json)"
import json, sys
planes = json.load(open(sys.argv[1]))["optics"]["plane_psf"]
assert len(planes) == 4 and planes[1] == {"w0_nm": 150, "d_nm": 320, "A": -0.03, "B": 0.1,
                                           "transmission": 1.8}, planes
PY
"$MUMLOC" localize --in rig.tif --out loc.csv --model rig.safetensors --threads 1 --quiet \
  >/dev/null 2>err.txt ||
  fail "the rig's model refuses the rig's movie: $(cat err.txt)"

printf '%s' '{"planes": 2, "plane_depth_nm": [200, 600], "plane_psf": [
  {"w0_nm": 125, "d_nm": 290, "A": 0.02, "B": 0.15, "transmission": 1},
  {"w0_nm": 125, "d_nm": 290, "A": 0.02, "B": 0.15, "transmission": 0}]}' >bad.json
expect_error "^mumloc simulate: --optics: '.*bad.json': plane 2's optics \(plane_psf\[1\]\): transmission must be greater than 0" \
  simulate --optics "$SCRATCH/bad.json" --out x.tif --quiet
printf '%s' '{"plane_psf": [{"w0_nm": 125, "d_nm": 290, "A": 0.02, "B": 0.15, "transmission": 1}]}' >short.json
EXPECT_RC=1 expect_error "\"plane_psf\" has 1 planes but \"planes\" is 4; give one object per plane" \
  simulate --optics "$SCRATCH/short.json" --out x.tif --quiet
echo "per-plane optics through the CLI: ok"
