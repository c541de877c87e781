# --noise none with no molecules is the exact expected background:
# offset + gain * em_gain * background in every pixel of every image, and nothing else.
source "$(dirname "$0")/lib.sh"
command -v python3 >/dev/null || { echo "skipped: python3 not found"; exit 0; }

facts() { python3 "$TESTS_CLI_DIR/tiff_floats.py" "$1"; }

small_movie "$SCRATCH/flat" --noise none --molecules 0 --frames 3 --size 12x10 \
  --background 7.5 --offset 100 --gain 2 --em-gain 3
got=$(facts "$SCRATCH/flat.tif")
expected="images=12 width=12 height=10 min=145.0 max=145.0 distinct=1"
[ "$got" = "$expected" ] || fail "flat movie: got '$got', expected '$expected'"
[ "$(tail -n +2 "$SCRATCH/flat.csv" | wc -l)" -eq 0 ] || fail "zero molecules but truth rows"

small_movie "$SCRATCH/default" --noise none --molecules 0 --frames 2 --size 8
got=$(facts "$SCRATCH/default.tif")
[[ "$got" == "images=8 width=8 height=8 "* ]] || fail "default camera: $got"
[[ "$got" == *" distinct=1" ]] || fail "default camera, no molecules, not flat: $got"

# With molecules the expected image rises above the background, and physical noise scatters it.
small_movie "$SCRATCH/signal" --noise none --molecules 3 --frames 2 --size 16 --background 5
[[ "$(facts "$SCRATCH/signal.tif")" == *" min=5.0 "* ]] ||
  fail "noise-free movie minimum is not the background: $(facts "$SCRATCH/signal.tif")"
small_movie "$SCRATCH/noisy" --noise physical --molecules 0 --frames 2 --size 16
distinct=$(facts "$SCRATCH/noisy.tif" | sed 's/.*distinct=//')
[ "$distinct" -gt 10 ] || fail "physical noise gives only $distinct distinct values"

# ImageJ reads the hyperstack layout from the description: channels = planes, frames = frames.
description=$(python3 "$TESTS_CLI_DIR/tiff_floats.py" "$SCRATCH/flat.tif" --description)
for field in ImageJ= images=12 channels=4 slices=1 frames=3 hyperstack=true "mumloc={"; do
  grep -q "^$field" <<<"$description" || fail "description lacks $field: $description"
done
echo "ok: simulate --noise none"
