# `mumloc evaluate` on hostile tables: numbers that are not plain decimals ("0x10", "inf") are
# refused naming the line and column; file content with terminal escapes is echoed escaped; an odd
# column name is kept as a name; Ctrl-C while reading a long table exits 130 with nothing on stdout.
source "$(dirname "$0")/lib.sh"

mkdir -p "$SCRATCH/in"
T="$SCRATCH/in/truth.csv"
printf '"frame","x [nm]","y [nm]","z [nm]"\n1,0,0,0\n' >"$T"

printf '"frame","x [nm]","y [nm]","z [nm]"\n1,0x10,0,0\n' >"$SCRATCH/in/hex.csv"
EXPECT_RC=1 expect_error "hex.csv' line 2, column 2 \(\"x\"\): '0x10' is not a number" \
  evaluate --truth "$T" --in "$SCRATCH/in/hex.csv"
printf '"frame","x [nm]","y [nm]","z [nm]"\n1,0,inf,0\n' >"$SCRATCH/in/inf.csv"
EXPECT_RC=1 expect_error "inf.csv' line 2, column 3 \(\"y\"\): 'inf' is not a number" \
  evaluate --truth "$T" --in "$SCRATCH/in/inf.csv"

# an escape sequence in a field is printed as \x1B, never as the raw byte
printf '"frame","x [nm]","y [nm]","z [nm]"\n1,0,0,\033[2J\n' >"$SCRATCH/in/esc.csv"
EXPECT_RC=1 expect_error "'\\\\x1B\[2J' is not a number" evaluate --truth "$T" --in "$SCRATCH/in/esc.csv"
if grep -q "$(printf '\033')" "$SCRATCH/stderr"; then fail "raw escape byte in: $(cat -v "$SCRATCH/stderr")"; fi

# a bracketed name is a name: "z [nm][]" is column "z [nm]" without unit, so z is missing
printf '"frame","x [nm]","y [nm]","z [nm][]"\n1,0,0,0\n' >"$SCRATCH/in/brackets.csv"
EXPECT_RC=1 expect_error "has no column \"z\" .*\"z \[nm\] \[\]\"" \
  evaluate --truth "$T" --in "$SCRATCH/in/brackets.csv"

# Ctrl-C while reading 1,000,000 rows: exit 130, no report (and, when the library saw it, one line)
awk 'BEGIN { print "\"frame\",\"x [nm]\",\"y [nm]\",\"z [nm]\""; for (i = 0; i < 1000000; i++) print int(i / 10) + 1 "," i % 997 "," i % 991 ",0" }' \
  >"$SCRATCH/in/long.csv"
"$MUMLOC" evaluate --truth "$SCRATCH/in/long.csv" --in "$SCRATCH/in/long.csv" \
  >"$SCRATCH/stdout" 2>"$SCRATCH/stderr" &
pid=$!
sleep 0.3
kill -INT "$pid" 2>/dev/null || true
rc=0; wait "$pid" || rc=$?
if [ "$rc" -ne 0 ]; then # the read may, on a fast machine, end before the signal
  [ "$rc" -eq 130 ] || fail "interrupted evaluate exited with $rc; $(cat "$SCRATCH/stderr")"
  [ ! -s "$SCRATCH/stdout" ] || fail "interrupted evaluate printed a report"
  [ ! -s "$SCRATCH/stderr" ] || [ "$(cat "$SCRATCH/stderr")" = "mumloc evaluate: interrupted" ] ||
    fail "unexpected message: $(cat "$SCRATCH/stderr")"
fi
echo "ok: evaluate hostile tables"
