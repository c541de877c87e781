# `mumloc evaluate` refuses bad input with one line naming the problem, the right exit code, nothing
# on stdout and no file left behind.
source "$(dirname "$0")/lib.sh"

mkdir -p "$SCRATCH/in"
T="$SCRATCH/in/truth.csv" L="$SCRATCH/in/locs.csv"
printf '"frame","x [nm]","y [nm]","z [nm]"\n1,0,0,0\n' >"$T"
printf '"frame","x [nm]","y [nm]","z [nm]"\n1,10,0,0\n' >"$L"

# Usage errors (exit 2).
expect_error "--truth is required|missing.*--truth|--truth" evaluate --in "$L"
expect_error "--in" evaluate --truth "$T"
expect_error "--tolerance expects a number, got 'wide'" evaluate --truth "$T" --in "$L" --tolerance wide
expect_error "tolerance_nm must be > 0" evaluate --truth "$T" --in "$L" --tolerance 0
expect_error "--tolerance-xy and --tolerance-z go together" evaluate --truth "$T" --in "$L" --tolerance-xy 100
expect_error "either --tolerance or --tolerance-xy" evaluate --truth "$T" --in "$L" --tolerance 100 \
  --tolerance-xy 100 --tolerance-z 200
expect_error "--tolerance-xy and --tolerance-z must be > 0" evaluate --truth "$T" --in "$L" \
  --tolerance-xy -1 --tolerance-z 200
expect_error "bin_nm must be a finite number > 0" evaluate --truth "$T" --in "$L" --bin -5
expect_error "^mumloc evaluate: --out '.*/locs.csv' is the same file as --in '.*/locs.csv': writing it would destroy the input" evaluate --truth "$T" --in "$L" --out "$L"
expect_error "unknown option '--frobnicate'" evaluate --truth "$T" --in "$L" --frobnicate

# Bad files (exit 1): missing, missing column (named, with the columns present), NaN (line named).
EXPECT_RC=1 expect_error "cannot open '.*nope.csv'" evaluate --truth "$SCRATCH/in/nope.csv" --in "$L"
printf '"frame","x [nm]","y [nm]"\n1,0,0\n' >"$SCRATCH/in/noz.csv"
EXPECT_RC=1 expect_error "noz.csv' has no column \"z\" \(required: frame,x,y,z\); its columns are: \"frame\", \"x \[nm\]\", \"y \[nm\]\"" \
  evaluate --truth "$SCRATCH/in/noz.csv" --in "$L"
printf '"frame","x [nm]","y [nm]","z [nm]"\n1,0,0,0\n2,5,NaN,0\n' >"$SCRATCH/in/nan.csv"
EXPECT_RC=1 expect_error "nan.csv' line 3: \"y\" is NaN" evaluate --truth "$T" --in "$SCRATCH/in/nan.csv"
: >"$SCRATCH/in/empty.csv"
EXPECT_RC=1 expect_error "empty.csv' is empty" evaluate --truth "$T" --in "$SCRATCH/in/empty.csv"
# Coordinates in px without a pixel size (exit 2: the user must say the pixel size).
printf '"frame","x [px]","y [px]","z [nm]"\n1,1,1,0\n' >"$SCRATCH/in/px.csv"
expect_error "px.csv': column \"x\" is in px: give the camera pixel size.*--pixel-size" \
  evaluate --truth "$T" --in "$SCRATCH/in/px.csv"
# An unwritable --out leaves nothing and prints nothing on stdout.
EXPECT_RC=1 expect_error "--out: " evaluate --truth "$T" --in "$L" --out "$SCRATCH/no/such/dir/m.json"
echo "ok: evaluate errors"
