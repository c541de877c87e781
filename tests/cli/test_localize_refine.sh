# mumloc localize --refine: with the bundled model, --refine drift runs and --drift-out writes one
# row per frame and plane with the simulator's drift columns first (plane 1, the reference, is 0);
# every mode gives the same detections (refinement moves positions, it never adds or drops rows);
# bad values and a drift file without drift refinement are one-line usage errors (exit 2).
source "$(dirname "$0")/lib.sh"
cd "$SCRATCH"
MODEL="$TESTS_CLI_DIR/../../test-data/default-model.safetensors"
[ -f "$MODEL" ] || fail "the bundled model is missing: $MODEL"
small_movie movie --size 32 --molecules 6

for refine in none positions drift; do
  extra=()
  [ $refine = drift ] && extra=(--drift-out drift.csv)
  "$MUMLOC" localize --in movie.tif --out "loc-$refine.csv" --model "$MODEL" --threads 1 --quiet \
    --refine $refine "${extra[@]}" >/dev/null 2>"$SCRATCH/stderr" ||
    fail "--refine $refine failed: $(cat "$SCRATCH/stderr")"
done
rows=$(($(wc -l <loc-none.csv) - 1))
[ "$rows" -gt 0 ] || fail "no localizations"
for refine in positions drift; do
  [ "$(cut -d, -f1,2 loc-none.csv | md5sum)" = "$(cut -d, -f1,2 "loc-$refine.csv" | md5sum)" ] ||
    fail "--refine $refine changed the rows (ids, frames)"
done
cmp -s loc-none.csv loc-drift.csv && fail "--refine drift changed nothing"

expected='"frame","plane","dx [nm]","dy [nm]","uncertainty_dx [nm]","uncertainty_dy [nm]","molecules"'
[ "$(head -n 1 drift.csv)" = "$expected" ] || fail "drift header: $(head -n 1 drift.csv)"
[ "$(($(wc -l <drift.csv) - 1))" -eq 24 ] || fail "drift rows: $(($(wc -l <drift.csv) - 1)), expected 6 frames x 4 planes"
# rows in frame order, planes 1..4; plane 1 is 0 with bound 0; |drift| within the 2-pixel clamp
awk -F, 'NR > 1 { f = int((NR - 2) / 4) + 1; p = (NR - 2) % 4 + 1
                  if ($1 != f || $2 != p || NF != 7) bad = 1
                  if (p == 1 && ($3 != 0 || $4 != 0 || $5 != 0 || $6 != 0)) bad = 1
                  if ($3 > 384 || $3 < -384 || $4 > 384 || $4 < -384) bad = 1 }
         END { exit bad }' drift.csv || fail "drift rows: $(cat drift.csv)"

MOVIE="$SCRATCH/movie.tif"
expect_error "^mumloc localize: --refine expects one of none, positions, drift; got 'bogus'" \
  localize --in "$MOVIE" --out x.csv --model "$MODEL" --refine bogus
expect_error "^mumloc localize: --drift-out needs --refine drift" \
  localize --in "$MOVIE" --out x.csv --model "$MODEL" --drift-out d.csv
expect_error "^mumloc localize: --out 'x.csv' and --drift-out 'x.csv' name the same file" \
  localize --in "$MOVIE" --out x.csv --model "$MODEL" --refine drift --drift-out x.csv
echo "test_localize_refine: all checks passed"
