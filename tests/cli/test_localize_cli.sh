# mumloc localize: a table with ThunderSTORM's exact header and a summary line; one-line errors with
# exit 2 (bad options, no bundled model, frames past the end) and no file left; Ctrl-C leaves no
# table. The model is a one-step training run (random-like weights: the table's content is not
# the point here, the plumbing is).
source "$(dirname "$0")/lib.sh"
cd "$SCRATCH"
"$MUMLOC" train --arch regression --out model.safetensors --steps 1 --batch 1 --size 16 \
  --validation-frames 1 --threads 1 --quiet >/dev/null
small_movie movie
MODEL="$SCRATCH/model.safetensors"
MOVIE="$SCRATCH/movie.tif"

"$MUMLOC" localize --in movie.tif --out loc.csv --model model.safetensors --threads 1 \
  >"$SCRATCH/stdout" 2>"$SCRATCH/stderr" || fail "localize failed: $(cat "$SCRATCH/stderr")"
expected='"id","frame","x [nm]","y [nm]","z [nm]","intensity [photon]","offset [photon]","bkgstd [photon]","uncertainty_xy [nm]","uncertainty_z [nm]","probability","unresolved"'
[ "$(head -n 1 loc.csv)" = "$expected" ] || fail "header: $(head -n 1 loc.csv)"
rows=$(($(wc -l <loc.csv) - 1))
[ "$rows" -gt 0 ] || fail "no localizations"
grep -Eq "^mumloc localize: 6 frames of 20x16x4 \(planes as channels\), $rows localizations, [0-9.]+ s \([0-9.]+ frames/s; [0-9]+% outside the network\); wrote loc.csv$" \
  "$SCRATCH/stdout" || fail "summary: $(cat "$SCRATCH/stdout")"
[ "$(tail -n 1 "$SCRATCH/stderr")" = "mumloc localize: 100% (6/6)" ] || fail "progress: $(cat "$SCRATCH/stderr")"
# every row: id = row number, frame 1..6, 12 fields
awk -F, 'NR > 1 && ($1 != NR - 1 || $2 < 1 || $2 > 6 || NF != 12) { bad = 1 } END { exit bad }' loc.csv ||
  fail "rows are not numbered 1..n with frames 1..6"

# a frame range keeps the movie's frame numbers
"$MUMLOC" localize --in movie.tif --out part.csv --model model.safetensors --frames 2-3 --quiet \
  --threads 1 >/dev/null
awk -F, 'NR > 1 && ($2 < 2 || $2 > 3) { bad = 1 } END { exit bad }' part.csv || fail "--frames 2-3 rows"
[ "$(awk -F, 'NR > 1 && ($2 == 2 || $2 == 3)' loc.csv | cut -d, -f2- | md5sum)" = \
  "$(tail -n +2 part.csv | cut -d, -f2- | md5sum)" ] || fail "--frames 2-3 differs from the whole run's frames 2-3"

expect_error "^mumloc localize: missing --in FILE" localize --out x.csv --model "$MODEL"
expect_error "^mumloc localize: --planes expects" localize --in "$MOVIE" --out x.csv --model "$MODEL" --planes z
expect_error "^mumloc localize: --frames expects FIRST-LAST" localize --in "$MOVIE" --out x.csv --model "$MODEL" --frames 3-1
expect_error "^mumloc localize: the first frame to localize \(9\) is past the movie's end: .* frames 1\.\.6$" \
  localize --in "$MOVIE" --out x.csv --model "$MODEL" --frames 9-
expect_error "^mumloc localize: .*C=1 and Z=4.*planes=channels" localize --in "$MOVIE" --out x.csv --model "$MODEL" --planes slices
# The same 24 images described as C=1, Z=3, T=8 (a plain stack whose Z is not the plane count):
# planes=slices reads them plane by plane, frame after frame, as MUMLoc Localize does (one rule,
# mumloc_plane_layout), so the table equals the hyperstack's; auto asks for planes=slices.
python3 - "$MOVIE" plain.tif <<'PY'
import sys
data = open(sys.argv[1], "rb").read()
old, new = b"channels=4\nslices=1\nframes=6", b"channels=1\nslices=3\nframes=8"
assert data.count(old) >= 1, "no ImageJ dimensions in the movie's description"
open(sys.argv[2], "wb").write(data.replace(old, new))
PY
"$MUMLOC" localize --in plain.tif --out plain.csv --model model.safetensors --planes slices \
  --threads 1 --quiet >/dev/null || fail "planes=slices on a C=1, Z=3, T=8 stack"
cmp -s loc.csv plain.csv || fail "a plain stack read as slices differs from the same images as channels"
expect_error "^mumloc localize: .*neither C nor Z is 4.*pass planes=slices" \
  localize --in "$SCRATCH/plain.tif" --out x.csv --model "$MODEL"
expect_error "^mumloc localize: threshold must be in \[0, 1\)" localize --in "$MOVIE" --out x.csv --model "$MODEL" --threshold 1.5
MUMLOC_DEFAULT_MODEL="$SCRATCH/none.safetensors" expect_error \
  "^mumloc localize: no bundled model is installed \(looked for .*none\.safetensors\); pass --model FILE$" \
  localize --in "$MOVIE" --out x.csv
MUMLOC_CUDA_LIBRARY="$SCRATCH/none.so" EXPECT_RC=1 expect_error \
  "^mumloc localize: --device cuda: CUDA requested but unusable: .*none\.so" \
  localize --in "$MOVIE" --out x.csv --model "$MODEL" --device cuda
EXPECT_RC=1 expect_error "^mumloc localize: cannot open .*missing\.tif" localize --in missing.tif --out x.csv --model "$MODEL"

# Ctrl-C: a longer movie, one frame per batch; after the first progress line, SIGINT
"$MUMLOC" simulate --out long.tif --frames 100 --size 48 --molecules 10 --threads 1 --quiet >/dev/null
mkdir cancel
"$MUMLOC" localize --in long.tif --out cancel/t.csv --model model.safetensors --batch 1 --threads 1 \
  >"$SCRATCH/stdout" 2>"$SCRATCH/stderr" &
pid=$!
for _ in $(seq 100); do
  [ -s "$SCRATCH/stderr" ] && break
  sleep 0.05
done
kill -INT "$pid"
for _ in $(seq 50); do
  kill -0 "$pid" 2>/dev/null || break
  sleep 0.1
done
if kill -0 "$pid" 2>/dev/null; then
  kill -KILL "$pid"
  fail "localize still running 5 s after SIGINT"
fi
rc=0; wait "$pid" || rc=$?
[ "$rc" -eq 130 ] || fail "interrupted localize exited with $rc, expected 130; $(cat "$SCRATCH/stderr")"
grep -q '^mumloc localize: interrupted; no table written$' "$SCRATCH/stderr" ||
  fail "no interruption message: $(cat "$SCRATCH/stderr")"
[ -z "$(ls -A cancel)" ] || fail "interrupted localize left files: $(ls -A cancel)"
echo "ok: localize CLI"
