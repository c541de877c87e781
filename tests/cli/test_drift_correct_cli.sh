# `mumloc drift-correct` end to end on a simulated stage drift: `simulate --stage-drift` writes the
# true per-frame drift beside the (undrifted) truth; a table of the truth seen through that drift with
# 10 nm lateral / 25 nm axial localization noise is corrected; the estimate matches the true drift
# (≤ 5 nm RMS laterally, ≤ 10 nm axially, constant offset removed), the corrected table keeps every
# other column, the plot is a PNG; errors are one line saying what to change, with no file left.
source "$(dirname "$0")/lib.sh"

"$MUMLOC" simulate --out "$SCRATCH/m.tif" --truth "$SCRATCH/t.csv" --frames 2000 --molecules 5 \
  --sample filaments --size 64 --stage-drift 150 --noise none --threads 1 --quiet >/dev/null
stage="$SCRATCH/t.stage-drift.csv"
[ "$(head -n 1 "$stage")" = '"frame","dx [nm]","dy [nm]","dz [nm]"' ] || fail "stage header: $(head -n 1 "$stage")"
[ "$(sed -n 2p "$stage")" = "1,0,0,0" ] || fail "stage drift is not 0 at frame 1: $(sed -n 2p "$stage")"
[ "$(tail -n +2 "$stage" | wc -l)" -eq 2000 ] || fail "stage drift rows"
# The path reaches the amplitude: 150 nm laterally, 75 nm axially (largest |value| over the movie).
awk -F, 'NR > 1 { for (i = 2; i <= 4; i++) { v = $i < 0 ? -$i : $i; if (v > m[i]) m[i] = v } }
  END { if (m[2] > 150.001 || m[3] > 150.001 || m[4] > 75.001 || (m[2] < 149 && m[3] < 149))
          { print "amplitudes " m[2] " " m[3] " " m[4]; exit 1 } }' "$stage" || fail "stage drift amplitude"

python3 "$TESTS_CLI_DIR/drift_table.py" "$SCRATCH/t.csv" "$stage" "$SCRATCH/loc.csv"
out=$("$MUMLOC" drift-correct --in "$SCRATCH/loc.csv" --out "$SCRATCH/corr.csv" \
      --drift-out "$SCRATCH/est.csv" --plot "$SCRATCH/drift.png" --quiet)
[[ "$out" == "mumloc drift-correct: rcc, 20 segments of 100 frames"* ]] || fail "summary: $out"
[ "$(head -n 1 "$SCRATCH/est.csv")" = '"frame","dx [nm]","dy [nm]","dz [nm]"' ] || fail "drift header"
read -r ex ey ez < <(python3 "$TESTS_CLI_DIR/rms_drift.py" "$SCRATCH/est.csv" "$stage")
awk -v x="$ex" -v y="$ey" -v z="$ez" 'BEGIN { exit !(x <= 5 && y <= 5 && z <= 10) }' ||
  fail "rms error x $ex y $ey z $ez nm"
[ "$(od -An -tx1 -N8 "$SCRATCH/drift.png" | tr -d ' \n')" = "89504e470d0a1a0a" ] || fail "plot is not a PNG"
# The estimate does not depend on the thread count.
"$MUMLOC" drift-correct --in "$SCRATCH/loc.csv" --out "$SCRATCH/corr1.csv" --drift-out "$SCRATCH/est1.csv" \
  --threads 1 --quiet >/dev/null
cmp -s "$SCRATCH/est.csv" "$SCRATCH/est1.csv" && cmp -s "$SCRATCH/corr.csv" "$SCRATCH/corr1.csv" ||
  fail "1 thread and all threads give different results"
# Same header, same rows; id, frame, intensity and weight unchanged; x moved by the estimate.
[ "$(head -n 1 "$SCRATCH/corr.csv")" = "$(head -n 1 "$SCRATCH/loc.csv")" ] || fail "corrected header"
cut -d, -f1,2,6,7 "$SCRATCH/loc.csv" >"$SCRATCH/a" && cut -d, -f1,2,6,7 "$SCRATCH/corr.csv" >"$SCRATCH/b"
awk -F, 'NR == FNR { a[FNR] = $0; next } { split(a[FNR], p, ","); for (i = 1; i <= 4; i++)
  if (p[i] + 0 != $i + 0) { print "row " FNR; exit 1 } }' "$SCRATCH/a" "$SCRATCH/b" ||
  fail "columns other than x, y, z changed"

# Fiducial mode on a table without beads: a clear error, no files. --no-z: dz stays 0.
EXPECT_RC=2 expect_error "^mumloc drift-correct: no bead is seen in at least 50% .* lower --fiducial-presence" \
  drift-correct --in "$SCRATCH/loc.csv" --out o.csv --drift-out d.csv --plot p.png --method fiducial --quiet
"$MUMLOC" drift-correct --in "$SCRATCH/loc.csv" --out "$SCRATCH/noz.csv" --drift-out "$SCRATCH/noz.drift.csv" \
  --no-z --quiet >/dev/null
awk -F, 'NR > 1 && $4 != 0 { exit 1 }' "$SCRATCH/noz.drift.csv" || fail "--no-z left a dz"

# Errors: what to change.
ok=(--in "$SCRATCH/loc.csv" --out o.csv --drift-out d.csv --plot p.png --quiet)
expect_error "^mumloc drift-correct: segment 1 \(frames 1-11\) has only 55 localizations \(at least 60 needed\); use --segment-frames larger than 11$" \
  drift-correct "${ok[@]}" --segment-frames 11 --min-segment-localizations 60
expect_error "segment 2 \(frames 1001-2000\) against the others is beyond the search range of \+-50 nm.*raise --max-drift" \
  drift-correct "${ok[@]}" --segment-frames 1000 --max-drift 45
expect_error "^mumloc drift-correct: --method expects one of rcc, fiducial; got 'beads'$" \
  drift-correct "${ok[@]}" --method beads
expect_error "^mumloc drift-correct: --z and --no-z exclude each other$" drift-correct "${ok[@]}" --z --no-z
expect_error "^mumloc drift-correct: missing --out FILE" drift-correct --in "$SCRATCH/loc.csv"
expect_error "^mumloc drift-correct: .*--drift-out '.*d.csv' name the same file" \
  drift-correct --in "$SCRATCH/loc.csv" --out d.csv --drift-out d.csv --quiet
EXPECT_RC=1 expect_error "^mumloc drift-correct: .*missing.csv" drift-correct --in missing.csv --out o.csv
echo "test_drift_correct_cli: ok"
