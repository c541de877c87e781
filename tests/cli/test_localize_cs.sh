# mumloc localize --method cs: the compressed-sensing solver needs no model (the optics come from
# the movie's record or --optics); on a sparse drifted movie (frames wider than one CS region, so
# a seam is crossed) it finds the molecules (Jaccard >= 0.95 at 150 nm); the table has the localize
# columns and a sidecar without a model; wrong combinations are one-line usage errors. Molecules
# stay 100 nm inside the slab: within ~20 nm of its ends the weighted mean of the grid's voxels is
# pulled inwards by 100+ nm (native/src/cs/CS.md, limits).
source "$(dirname "$0")/lib.sh"
cd "$SCRATCH"
"$MUMLOC" simulate --out sparse.tif --truth sparse.csv --frames 6 --size 24x22 --molecules 4 \
  --z-min 100 --z-max 1500 --seed 17 --threads 1 --quiet >/dev/null
"$MUMLOC" localize --in sparse.tif --out cs.csv --method cs --threads 2 --quiet >stdout \
  2>"$SCRATCH/stderr" || fail "--method cs failed: $(cat "$SCRATCH/stderr")"
grep -q '^mumloc localize: 6 frames of 24x22x4' stdout || fail "summary: $(cat stdout)"
expected='"id","frame","x [nm]","y [nm]","z [nm]","intensity [photon]","offset [photon]","bkgstd [photon]","uncertainty_xy [nm]","uncertainty_z [nm]","probability","unresolved"'
[ "$(head -n 1 cs.csv)" = "$expected" ] || fail "header: $(head -n 1 cs.csv)"
grep -q '"model_sha256":null' cs.csv.json || fail "sidecar: $(cat cs.csv.json)"
"$MUMLOC" evaluate --truth sparse.csv --in cs.csv >eval.txt 2>&1 || fail "evaluate: $(cat eval.txt)"
jaccard=$(sed -n 's/^Jaccard \([0-9.]*\).*/\1/p' eval.txt)
awk -v j="$jaccard" 'BEGIN { exit !(j >= 0.95) }' || fail "Jaccard $jaccard < 0.95: $(cat eval.txt)"

# the same optics given as a file give the same table
printf '{"planes": 4}\n' >optics.json
"$MUMLOC" localize --in sparse.tif --out cs2.csv --method cs --optics optics.json --threads 2 \
  --quiet >/dev/null 2>"$SCRATCH/stderr" || fail "--optics: $(cat "$SCRATCH/stderr")"
cmp -s cs.csv cs2.csv || fail "--optics with the default optics changed the table"

MOVIE="$SCRATCH/sparse.tif"
expect_error "^mumloc localize: --model is for --method network" \
  localize --in "$MOVIE" --out x.csv --method cs --model x.safetensors
expect_error "^mumloc localize: --optics is for --method cs" \
  localize --in "$MOVIE" --out x.csv --optics "$SCRATCH/optics.json"
expect_error "^mumloc localize: CS frames \(sharing one drift\) must be 1..1000, got 0" \
  localize --in "$MOVIE" --out x.csv --method cs --cs-frames 0
expect_error "^mumloc localize: CS lambda must be 0" \
  localize --in "$MOVIE" --out x.csv --method cs --cs-lambda -1
echo "test_localize_cs: all checks passed"
