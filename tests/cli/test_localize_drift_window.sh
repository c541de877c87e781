# mumloc localize --drift-window: on a movie whose planes creep (simulate --drift 0 --camera-drift),
# the windowed drift (implied --refine drift) is written with the per-frame mode's columns and rows,
# follows the simulated drift within a few times its stated bound, reads back through the library's
# table reader unchanged (mumloc filter reads and rewrites it), leaves the table's columns as they
# are, and keeps the rows the network found; the same through a rig's plane map; bad values are
# one-line usage errors.
source "$(dirname "$0")/lib.sh"
cd "$SCRATCH"
MODEL="$TESTS_CLI_DIR/../../test-data/default-model.safetensors"
[ -f "$MODEL" ] || fail "the bundled model is missing: $MODEL"
small_movie movie --size 48 --molecules 8 --frames 60 --drift 0 --camera-drift 40

"$MUMLOC" localize --in movie.tif --out loc-window.csv --model "$MODEL" --threads 2 --quiet \
  --drift-window 20 --drift-out drift.csv >/dev/null 2>"$SCRATCH/stderr" ||
  fail "--drift-window failed: $(cat "$SCRATCH/stderr")"
"$MUMLOC" localize --in movie.tif --out loc-none.csv --model "$MODEL" --threads 2 --quiet \
  --refine none >/dev/null 2>"$SCRATCH/stderr" || fail "--refine none failed: $(cat "$SCRATCH/stderr")"

# the same header and the same rows (ids, frames) as without refinement
[ "$(head -n 1 loc-window.csv)" = "$(head -n 1 loc-none.csv)" ] || fail "header: $(head -n 1 loc-window.csv)"
[ "$(cut -d, -f1,2 loc-none.csv | md5sum)" = "$(cut -d, -f1,2 loc-window.csv | md5sum)" ] ||
  fail "--drift-window changed the rows (ids, frames)"
# the drift: the per-frame mode's columns, a row per frame and plane, plane 1 zero
expected='"frame","plane","dx [nm]","dy [nm]","uncertainty_dx [nm]","uncertainty_dy [nm]","molecules"'
[ "$(head -n 1 drift.csv)" = "$expected" ] || fail "drift header: $(head -n 1 drift.csv)"
[ "$(($(wc -l <drift.csv) - 1))" -eq 240 ] || fail "drift rows: expected 60 frames x 4 planes"
awk -F, 'NR > 1 { f = int((NR - 2) / 4) + 1; p = (NR - 2) % 4 + 1
                  if ($1 != f || $2 != p || NF != 7) bad = 1
                  if (p == 1 && ($3 != 0 || $4 != 0 || $5 != 0 || $6 != 0)) bad = 1
                  if (p > 1 && !($5 > 0 && $5 < 10)) bad = 1 }
         END { exit bad }' drift.csv || fail "drift rows: $(head -20 drift.csv)"
# against the simulated drift: within 4x the stated bound (RMS over planes 2..4 and frames)
read -r rms sigma z frames < <(python3 "$TESTS_CLI_DIR/../../scripts/plane_drift_error.py" movie.drift.csv drift.csv)
echo "windowed drift: error RMS $rms nm, stated bound $sigma nm, error/bound RMS $z over $frames frames"
python3 -c "import sys; sys.exit(0 if float('$z') < 4 and float('$rms') < 5 else 1)" ||
  fail "drift error RMS $rms nm against a bound of $sigma nm"
# the library's reader and writer give the file back unchanged
"$MUMLOC" filter --in drift.csv --out drift-back.csv --expr "frame > 0" --quiet >/dev/null ||
  fail "mumloc filter could not read the drift file"
cmp -s drift.csv drift-back.csv || fail "the drift file does not round-trip: $(diff drift.csv drift-back.csv | head -5)"

# with a rig the windowed fits go through the plane map on the raw camera frames: the same agreement
RIG="$TESTS_CLI_DIR/../../test-data/demo-rig.json"
"$MUMLOC" simulate --rig "$RIG" --out raw.tif --truth raw.csv --drift-file raw.drift.csv --frames 40 \
  --molecules 8 --drift 0 --camera-drift 40 --bits 16 --seed 3 --threads 2 --quiet >/dev/null
"$MUMLOC" localize --rig "$RIG" --in raw.tif --out rig.csv --drift-window 20 --drift-out rig-drift.csv \
  --threads 2 --quiet >/dev/null 2>"$SCRATCH/stderr" || fail "--rig --drift-window failed: $(cat "$SCRATCH/stderr")"
read -r rms sigma z frames < <(python3 "$TESTS_CLI_DIR/../../scripts/plane_drift_error.py" raw.drift.csv rig-drift.csv)
echo "rig, windowed drift: error RMS $rms nm, stated bound $sigma nm, error/bound RMS $z over $frames frames"
python3 -c "import sys; sys.exit(0 if float('$z') < 4 and float('$rms') < 6 else 1)" ||
  fail "rig: drift error RMS $rms nm against a bound of $sigma nm"

MOVIE="$SCRATCH/movie.tif"
expect_error "^mumloc localize: --drift-window needs --refine drift" \
  localize --in "$MOVIE" --out x.csv --model "$MODEL" --refine positions --drift-window 20
expect_error "drift-window must be 1 \(each frame its own drift\) to 1000000 frames, got 0" \
  localize --in "$MOVIE" --out x.csv --model "$MODEL" --refine drift --drift-window 0
echo "test_localize_drift_window: all checks passed"
