# `mumloc render`: a simulated ground-truth table rendered to PNG (valid signature, the size the
# summary reports), to a float TIFF and to a z-stack; and bad arguments, each one error line, exit
# code 2 (or 1 for run-time failures) and no file left behind.
source "$(dirname "$0")/lib.sh"

small_movie "$SCRATCH/h" --sample helix --frames 20 --size 32
table="$SCRATCH/h.csv"

# Big-endian 32-bit integer at byte offset $2 of file $1.
be32() { od -An -tu1 -j "$2" -N4 "$1" | awk '{ print $1 * 16777216 + $2 * 65536 + $3 * 256 + $4 }'; }

# PNG without colour bar: the field is 32 px * 192 nm = 6144 nm; at 20 nm that is 308 pixels
# (ceil(307.2)).
out=$("$MUMLOC" render --in "$table" --out "$SCRATCH/h.png" --pixel 20 --field 6144 \
      --colorbar off --quiet)
[[ "$out" == "mumloc render: 100 localizations (0 outside the field) in 308x308 pixels of 20 nm,"* ]] ||
  fail "summary: $out"
[ "$(od -An -tx1 -N8 "$SCRATCH/h.png" | tr -d ' \n')" = "89504e470d0a1a0a" ] || fail "not a PNG"
[ "$(be32 "$SCRATCH/h.png" 16)" -eq 308 ] && [ "$(be32 "$SCRATCH/h.png" 20)" -eq 308 ] ||
  fail "PNG is $(be32 "$SCRATCH/h.png" 16)x$(be32 "$SCRATCH/h.png" 20), expected 308x308"

# With the colour bar the PNG is wider than the image; Gaussian and ASH run; turbo map.
"$MUMLOC" render --in "$table" --out "$SCRATCH/g.png" --pixel 20 --method gaussian --sigma 15 \
  --colormap turbo --quiet >/dev/null
[ "$(be32 "$SCRATCH/g.png" 16)" -gt 308 ] || fail "no colour bar margin in g.png"
"$MUMLOC" render --in "$table" --out "$SCRATCH/a.tif" --method ash --ash-shifts 3 --pixel 25 \
  --zstack "$SCRATCH/a.stack.tif" --z-bin 400 --quiet >/dev/null
[ -s "$SCRATCH/a.tif" ] && [ -s "$SCRATCH/a.stack.tif" ] || fail "TIFF outputs missing"
# 4 slices of 400 nm over the default 0-1600 nm slab, as the ImageJ description says.
strings "$SCRATCH/a.stack.tif" | grep -q '^slices=4$' || fail "z-stack is not 4 slices"
strings "$SCRATCH/a.tif" | grep -q '^channels=4$' || fail "image TIFF is not 4 channels"

# Errors: syntax (the CLI), ranges and files (the library).
ok=(--in "$table" --quiet)
expect_error "^mumloc render: missing --out FILE" render "${ok[@]}"
expect_error "^mumloc render: --method expects one of histogram, gaussian, ash; got 'splat'$" \
  render "${ok[@]}" --out x.png --method splat
expect_error "^mumloc render: --colormap expects one of viridis, turbo" \
  render "${ok[@]}" --out x.png --colormap jet
expect_error "^mumloc render: --field expects W or WxH in nm" render "${ok[@]}" --out x.png --field 10y
expect_error "^mumloc render: --pixel expects a number" render "${ok[@]}" --out x.png --pixel ten
expect_error "^mumloc render: pixel_nm must be > 0" render "${ok[@]}" --out x.png --pixel 0
expect_error "larger pixel size" render "${ok[@]}" --out x.png --pixel 0.01
expect_error "z range is empty" render "${ok[@]}" --out x.png --z-min 900 --z-max 100
expect_error "ash_shifts must be in 1..16" render "${ok[@]}" --out x.png --ash-shifts 0
expect_error "name it .png" render "${ok[@]}" --out x.jpg
printf '"x [nm]","y [nm]"\n1,2\n' >"$SCRATCH/noz.csv"
EXPECT_RC=1 expect_error "has no column \"z\"" render --in "$SCRATCH/noz.csv" --out x.png --quiet
printf '"x [nm]","y [nm]","z [nm]"\n1,2,3\n4,NaN,5\n' >"$SCRATCH/nan.csv"
EXPECT_RC=1 expect_error "line 3: x, y and z must be finite" render --in "$SCRATCH/nan.csv" --out x.png --quiet
EXPECT_RC=1 expect_error "uncertainty" render "${ok[@]}" --out x.png --method gaussian
EXPECT_RC=1 expect_error "cannot open" render --in "$SCRATCH/none.csv" --out x.png --quiet
echo "test_render_cli: ok"
