# Bad arguments to `mumloc simulate`: each gives one line naming the option, a non-zero exit code
# (2 for usage, 1 for run-time failures) and leaves no file behind.
source "$(dirname "$0")/lib.sh"

ok=(--out movie.tif --truth truth.csv --frames 3 --size 8 --molecules 2 --quiet)

# Syntax: the CLI's parser.
expect_error "^mumloc simulate: --frames expects an integer, got 'abc'$" simulate "${ok[@]}" --frames abc
expect_error "^mumloc simulate: --frames expects an integer, got '2.5'$" simulate "${ok[@]}" --frames 2.5
expect_error "^mumloc simulate: --molecules expects an integer" simulate "${ok[@]}" --molecules 1e3
expect_error "^mumloc simulate: --seed expects .*'-1'" simulate "${ok[@]}" --seed -1
expect_error "^mumloc simulate: --drift expects a number, got 'far'$" simulate "${ok[@]}" --drift far
expect_error "^mumloc simulate: --background expects a number, got 'nan'$" simulate "${ok[@]}" --background nan
expect_error "^mumloc simulate: --size expects W or WxH" simulate "${ok[@]}" --size 64x
expect_error "^mumloc simulate: --size expects W or WxH" simulate "${ok[@]}" --size -5
expect_error "^mumloc simulate: --noise expects one of physical, none; got 'gaussian'$" \
  simulate "${ok[@]}" --noise gaussian
expect_error "^mumloc simulate: --sample expects one of uniform, helix, filaments" \
  simulate "${ok[@]}" --sample spiral
expect_error "^mumloc simulate: unknown option '--fames' \(did you mean --frames\?\)$" \
  simulate "${ok[@]}" --fames 3
expect_error "^mumloc simulate: unknown option '--colour'" simulate "${ok[@]}" --colour red
expect_error "^mumloc simulate: unexpected argument 'extra'" simulate "${ok[@]}" extra
expect_error "^mumloc simulate: missing --out FILE" simulate --frames 3 --size 8 --quiet
expect_error "^mumloc simulate: --out needs a value" simulate --out --frames 3
expect_error "^mumloc simulate: --frames needs a value" simulate "${ok[@]}" --frames
expect_error "^mumloc simulate: --quiet takes no value" simulate "${ok[@]}" --quiet=yes
expect_error "^mumloc simulate: --out 'movie.tif' and --truth 'movie.tif' name the same file: give each output its own file$" \
  simulate "${ok[@]}" --truth movie.tif

# Ranges: the library's messages, naming the option.
expect_error "^mumloc simulate: frames .*-3" simulate "${ok[@]}" --frames -3
expect_error "^mumloc simulate: frames " simulate "${ok[@]}" --frames 0
expect_error "^mumloc simulate: molecules .*-3" simulate "${ok[@]}" --molecules -3
expect_error "^mumloc simulate: (size|width|height) " simulate "${ok[@]}" --size 0x5
expect_error "^mumloc simulate: (size|width|height) " simulate "${ok[@]}" --size 100000x100000
expect_error "^mumloc simulate: threads " simulate "${ok[@]}" --threads -1
expect_error "^mumloc simulate: (weight|weight_min|weight-min)" simulate "${ok[@]}" --weight-min -1
expect_error "^mumloc simulate: (z|z_min|z-min|z range)" simulate "${ok[@]}" --z-min 900 --z-max 100

# Run-time failures: exit 1, the library's message naming the file.
EXPECT_RC=1 expect_error "^mumloc simulate: .*no-such-folder" \
  simulate "${ok[@]}" --out "$SCRATCH/no-such-folder/movie.tif"
EXPECT_RC=1 expect_error "^mumloc simulate: .*no-such-folder" \
  simulate "${ok[@]}" --truth "$SCRATCH/no-such-folder/truth.csv"
EXPECT_RC=1 expect_error "^mumloc simulate: --optics: .*missing-optics.json" \
  simulate "${ok[@]}" --optics missing-optics.json

# An existing folder that cannot be written to (root can write anywhere: skip then).
if [ "$(id -u)" -ne 0 ]; then
  mkdir "$SCRATCH/read-only"; chmod 555 "$SCRATCH/read-only"
  EXPECT_RC=1 expect_error "^mumloc simulate: .*read-only" \
    simulate "${ok[@]}" --out "$SCRATCH/read-only/movie.tif"
  [ -z "$(ls -A "$SCRATCH/read-only")" ] || fail "files left in the read-only folder"
  chmod 755 "$SCRATCH/read-only"
fi

# A bad optics file: parse errors are the library's, prefixed with the option.
echo '{"planes": 4, "colour": "red"}' >"$SCRATCH/bad-optics.json"
rc=0; "$MUMLOC" simulate "${ok[@]}" --out "$SCRATCH/o.tif" --optics "$SCRATCH/bad-optics.json" \
  2>"$SCRATCH/stderr" || rc=$?
[ "$rc" -ne 0 ] || fail "an optics file with an unknown field was accepted"
grep -q '^mumloc simulate: --optics: ' "$SCRATCH/stderr" || fail "optics error: $(cat "$SCRATCH/stderr")"
[ ! -e "$SCRATCH/o.tif" ] || fail "a bad optics file left a movie behind"
echo "ok: simulate errors"
