# The truth and drift CSVs: exact headers, plain decimals (never exponent notation), one row per
# molecule / per frame and plane, 1-based frames and planes.
source "$(dirname "$0")/lib.sh"

small_movie "$SCRATCH/m" --sample uniform --molecules 7 --frames 6 --weight-min 0.05 \
  --weight-max 0.1 --drift 48 --drift-step 0
small_movie "$SCRATCH/h" --sample helix
small_movie "$SCRATCH/f" --sample filaments --filaments 2 --frames 4 --size 32
small_movie "$SCRATCH/d" --density 2 --molecules 0 --frames 5 --size 40

truth_header='"id","frame","x [nm]","y [nm]","z [nm]","intensity [photon]"'
drift_header='"frame","plane","dx [nm]","dy [nm]"'
for name in m h f d; do
  truth="$SCRATCH/$name.csv"; drift="$SCRATCH/$name.drift.csv"
  [[ "$(head -n 1 "$truth")" == "$truth_header"* ]] || fail "$name truth header: $(head -n 1 "$truth")"
  [ "$(head -n 1 "$drift")" = "$drift_header" ] || fail "$name drift header: $(head -n 1 "$drift")"
  for file in "$truth" "$drift"; do
    if tail -n +2 "$file" | grep -Eq '[0-9.][eE][+-]?[0-9]'; then
      fail "exponent notation in $file: $(tail -n +2 "$file" | grep -E '[0-9.][eE][+-]?[0-9]' | head -n 2)"
    fi
    grep -q $'\r' "$file" && fail "$file has CR line ends"
    [ -z "$(tail -c 1 "$file")" ] || fail "$file does not end with a newline"
  done
done

# Uniform, 7 molecules per frame: 6 * 7 rows, ids 1..42, frames 1..6, every field numeric.
rows=$(tail -n +2 "$SCRATCH/m.csv" | wc -l)
[ "$rows" -eq 42 ] || fail "uniform truth has $rows rows, expected 42"
awk -F, 'NR > 1 {
  if ($1 != NR - 1) { print "id " $1 " on row " NR; exit 1 }
  if ($2 < 1 || $2 > 6 || $2 != int($2)) { print "frame " $2; exit 1 }
  for (i = 3; i <= NF; i++) if ($i !~ /^-?[0-9]+(\.[0-9]+)?$/) { print "field " i ": " $i; exit 1 }
}' "$SCRATCH/m.csv" >"$SCRATCH/awk.out" || fail "uniform truth rows: $(cat "$SCRATCH/awk.out")"

# Drift: one row per frame and plane (4 planes by default), plane 1 never drifts, |d| <= 48 nm.
rows=$(tail -n +2 "$SCRATCH/m.drift.csv" | wc -l)
[ "$rows" -eq 24 ] || fail "drift CSV has $rows rows, expected 6 frames x 4 planes"
awk -F, 'NR > 1 {
  if ($1 != int((NR - 2) / 4) + 1 || $2 != (NR - 2) % 4 + 1) { print "row " NR ": " $0; exit 1 }
  if ($2 == 1 && ($3 != 0 || $4 != 0)) { print "plane 1 drifts: " $0; exit 1 }
  if ($3 > 48 || $3 < -48 || $4 > 48 || $4 < -48) { print "drift out of range: " $0; exit 1 }
}' "$SCRATCH/m.drift.csv" >"$SCRATCH/awk.out" || fail "drift rows: $(cat "$SCRATCH/awk.out")"
echo "ok: simulate CSVs"
