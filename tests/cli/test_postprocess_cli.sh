# `mumloc merge-blinks`, `mumloc filter` and `mumloc frc` end to end on small tables: hand-made
# blinks merge as expected, a filter keeps the rows it says, FRC writes its plot and curve; bad input
# fails with one line and leaves no file.
source "$(dirname "$0")/lib.sh"
cd "$SCRATCH"

# Molecule A blinks in frames 1, 2 and 4 (one dark frame), B in frame 2, 20 nm beside A's place.
cat >blinks.csv <<'CSV'
"id","frame","x [nm]","y [nm]","z [nm]","intensity [photon]","uncertainty_xy [nm]"
1,1,100,100,500,1000,10
2,2,102,100,500,1000,10
3,2,300,100,500,600,10
4,4,104,100,500,1000,10
CSV
"$MUMLOC" merge-blinks --in blinks.csv --out merged.csv --distance 50 --quiet >out.txt
grep -q "4 localizations -> 2 molecules" out.txt || fail "merge-blinks: $(cat out.txt)"
head -1 merged.csv | grep -q '"detections"$' || fail "no detections column: $(head -1 merged.csv)"
# A: frame 1, x = mean 102 (equal uncertainties), intensity 3000, 3 detections
sed -n 2p merged.csv | grep -q '^1,1,102,100,500,3000,5.77350269[0-9]*,3$' || fail "merged A: $(sed -n 2p merged.csv)"
"$MUMLOC" merge-blinks --in blinks.csv --out merged0.csv --distance 50 --off-frames 0 --quiet >/dev/null
[ "$(($(wc -l <merged0.csv) - 1))" -eq 3 ] || fail "--off-frames 0 should leave 3 molecules"

"$MUMLOC" filter --in blinks.csv --out kept.csv --expr "intensity > 800 & frame >= 2" --quiet >out.txt
grep -q "kept 2 of 4" out.txt || fail "filter: $(cat out.txt)"
[ "$(cut -d, -f1 kept.csv | tr '\n' ' ')" = '"id" 2 4 ' ] || fail "filter kept: $(cat kept.csv)"
"$MUMLOC" filter --in blinks.csv --out dense.csv --density-radius 5 --density-min 1 --quiet >/dev/null
[ "$(($(wc -l <dense.csv) - 1))" -eq 3 ] || fail "density: $(cat dense.csv)"

"$MUMLOC" simulate --out movie.tif --truth truth.csv --frames 40 --size 32 --molecules 30 --seed 5 \
  --sample filaments --threads 1 --quiet >/dev/null
"$MUMLOC" frc --in truth.csv --block-frames 5 --plot frc.png --curve frc.csv --quiet >out.txt
grep -q "^FRC resolution: " out.txt || fail "frc: $(cat out.txt)"
head -c 8 frc.png | od -An -c | grep -q 'P   N   G' || fail "frc.png is not a PNG"
head -1 frc.csv | grep -q '^"frequency \[1/nm\]","frc","frc_smoothed"$' || fail "curve header: $(head -1 frc.csv)"
"$MUMLOC" frc --in truth.csv --block-frames 5 --json --quiet | grep -c '"split":"frame_blocks"' >/dev/null ||
  fail "frc --json"

expect_error 'no column "intensty"; the table.s columns are: id, frame, x, y, z, intensity' \
  filter --in "$SCRATCH/blinks.csv" --out f.csv --expr "intensty > 3"
expect_error 'at character 12: the expression ends too early' \
  filter --in "$SCRATCH/blinks.csv" --out f.csv --expr "intensity >"
expect_error 'give --expr and/or --density-radius' filter --in "$SCRATCH/blinks.csv" --out f.csv
expect_error 'go together' merge-blinks --in "$SCRATCH/blinks.csv" --out m.csv --distance-xy 30
expect_error 'one half of the table is empty' frc --in "$SCRATCH/blinks.csv" --quiet
# an output that is the input (here through a hard link) is refused before any work; the input stays
ln "$SCRATCH/blinks.csv" "$SCRATCH/blinks-link.csv"
cp "$SCRATCH/blinks.csv" "$SCRATCH/blinks-before.csv"
expect_error "^mumloc filter: --out '.*blinks-link.csv' .* --in '.*blinks.csv'" \
  filter --in "$SCRATCH/blinks.csv" --out "$SCRATCH/blinks-link.csv" --expr "x > 0"
expect_error "^mumloc merge-blinks: --out '.*blinks.csv' .* --in '.*blinks-link.csv'" \
  merge-blinks --in "$SCRATCH/blinks-link.csv" --out "$SCRATCH/blinks.csv"
expect_error "^mumloc frc: --plot '.*blinks-link.csv' .* --in '.*blinks.csv'" \
  frc --in "$SCRATCH/blinks.csv" --plot "$SCRATCH/blinks-link.csv"
cmp -s "$SCRATCH/blinks.csv" "$SCRATCH/blinks-before.csv" || fail "a refused run changed the input"
EXPECT_RC=1 expect_error "cannot open" frc --in "$SCRATCH/none.csv"
echo "ok: merge-blinks, filter, frc"
