# calibrate --psf spline → simulate --rig → train --rig → localize --rig → evaluate from the CLI
# (issue 13), on a biplane pupil-function bead stack (tools/pupil_sim, astigmatism and all: not
# mumloc's Gaussian): the rig references its spline file, the movie and the model record the spline's
# hash, and a model trained with the spline refuses the same rig with the Gaussian PSF (and a
# Gaussian model refuses the spline rig), naming both PSFs. Small sizes; accuracy is not asserted.
source "$(dirname "$0")/lib.sh"
PUPIL="$(dirname "$MUMLOC")/pupil_sim"
[ -x "$PUPIL" ] || fail "pupil_sim is not built beside mumloc"
cd "$SCRATCH"

"$PUPIL" beads --out beads.tif --planes 2 --plane-depths 500,1100 --beads 9 --z-range -300:1900 \
  --z-step 50 --width 96 --height 96 --astig 40,40 --window 10 --pupil-samples 32 --oversample 4
"$MUMLOC" calibrate --beads beads.tif --z-step 50 --out rig.json --psf spline --min-beads 4 \
  --threads 2 >calibrate.log
[ -f rig.psf.safetensors ] || fail "calibrate --psf spline wrote no spline file"
hash=$(python3 -c 'import json; print(json.load(open("rig.json"))["psf"]["hash"])')
[ ${#hash} -eq 64 ] || fail "rig.json has no spline hash"
python3 -c 'import json; r = json.load(open("rig.json")); r.pop("psf"); json.dump(r, open("gauss-rig.json", "w"))'

"$MUMLOC" simulate --rig rig.json --out movie.tif --truth truth.csv --frames 8 --molecules 4 \
  --threads 2 --quiet >/dev/null
grep -aq "$hash" movie.tif || fail "the movie does not record its PSF"
"$MUMLOC" simulate --rig gauss-rig.json --out gauss.tif --frames 8 --molecules 4 --threads 2 \
  --quiet >/dev/null
cmp -s movie.tif gauss.tif && fail "the spline rig's movie equals the Gaussian rig's"

"$MUMLOC" train --arch regression --rig rig.json --steps 4 --batch 2 --size 32 --molecules 3 \
  --validation-frames 2 --threads 2 --out model.safetensors >/dev/null
"$MUMLOC" info model.safetensors | grep -q "psf: {\"model\":\"spline\",\"hash\":\"$hash\"" ||
  fail "the model does not record the spline: $("$MUMLOC" info model.safetensors | grep psf)"
"$MUMLOC" train --arch regression --rig gauss-rig.json --steps 1 --batch 2 --size 32 \
  --molecules 3 --validation-frames 2 --threads 2 --out gauss-model.safetensors >/dev/null
"$MUMLOC" info gauss-model.safetensors | grep -q "^psf:" && fail "a Gaussian model records a PSF"

"$MUMLOC" localize --rig rig.json --model model.safetensors --in movie.tif --out locs.csv \
  --threads 2 >/dev/null
"$MUMLOC" evaluate --truth truth.csv --in locs.csv >/dev/null

set +e
"$MUMLOC" localize --rig gauss-rig.json --model model.safetensors --in gauss.tif --out x.csv 2>err
rc=$?
set -e
[ $rc -ne 0 ] && grep -q "another PSF" err && grep -q "Gaussian" err && grep -q "spline" err ||
  fail "spline model on the Gaussian rig: rc $rc, $(cat err)"
set +e
"$MUMLOC" localize --rig rig.json --model gauss-model.safetensors --in movie.tif --out x.csv 2>err
rc=$?
set -e
[ $rc -ne 0 ] && grep -q "another PSF" err || fail "Gaussian model on the spline rig: rc $rc, $(cat err)"
[ ! -e x.csv ] || fail "a refused localization left a table"
echo "ok: spline pipeline"
