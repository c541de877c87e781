# mumloc merge and the tables' sidecars: a movie localized in four frame ranges, merged in any
# order, equals the single run byte for byte (ids renumbered, frames in order); the sidecar records
# the model's SHA-256 (as sha256sum computes it), the movie and the frame range; merge refuses
# overlapping parts, tables without or with a stale sidecar, another model, and several movies
# without --movies (one error line, exit 2, no file), lets them through with --force (a warning),
# and reports frames no table covers. Several movies: a "movie" column, or frames offset.
source "$(dirname "$0")/lib.sh"
cd "$SCRATCH"
model="$TESTS_CLI_DIR/../../test-data/default-model.safetensors"
[ -f "$model" ] || fail "the bundled model $model is missing"
"$MUMLOC" simulate --out movie.tif --truth truth.csv --frames 40 --size 32 --molecules 5 --seed 3 \
  --threads 1 --quiet >/dev/null
"$MUMLOC" simulate --out other.tif --truth other-truth.csv --frames 30 --size 32 --molecules 5 \
  --seed 4 --threads 1 --quiet >/dev/null
loc() {  # loc MOVIE OUT [options...]
  local movie=$1 out=$2; shift 2
  "$MUMLOC" localize --in "$movie" --out "$out" --model "$model" --threads 1 --quiet "$@" >/dev/null ||
    fail "localize $movie $*"
}
loc movie.tif whole.csv
loc other.tif other.csv
for r in 1-10 11-20 21-30 31-40; do loc movie.tif "part-$r.csv" --frames "$r"; done
[ "$(wc -l <whole.csv)" -gt 20 ] || fail "too few localizations to test a merge: $(wc -l <whole.csv)"

# the sidecar of a part
python3 - part-11-20.csv.json "$(sha256sum "$model" | cut -c1-64)" "$(stat -c %s movie.tif)" \
  "$(realpath movie.tif)" "$(($(wc -l <part-11-20.csv) - 1))" <<'PY' || fail "part sidecar: $(cat part-11-20.csv.json)"
import json, sys
record = json.load(open(sys.argv[1]))
assert record["mumloc_table"] == 1 and record["movies"] == "one", record
assert record["rows"] == int(sys.argv[5]), record["rows"]
[part] = record["parts"]
assert part["model_sha256"] == sys.argv[2], part["model_sha256"]
assert part["movie_bytes"] == int(sys.argv[3]) and part["movie"] == sys.argv[4], part
assert (part["movie_frames"], part["first_frame"], part["last_frame"]) == (40, 11, 20), part
assert part["optics"]["planes"] == 4 and part["refine"] == "positions" and part["threshold"] > 0, part
PY

# four parts in any order → the whole run, byte for byte
"$MUMLOC" merge --out merged.csv part-31-40.csv part-11-20.csv part-1-10.csv part-21-30.csv \
  >"$SCRATCH/stdout" 2>"$SCRATCH/stderr" || fail "merge: $(cat "$SCRATCH/stderr")"
cmp -s whole.csv merged.csv || fail "the merged parts differ from the single run"
[ ! -s "$SCRATCH/stderr" ] || fail "merge warned: $(cat "$SCRATCH/stderr")"
rows=$(($(wc -l <whole.csv) - 1))
grep -qx "mumloc merge: 4 tables of 1 movie, $rows localizations; wrote merged.csv" "$SCRATCH/stdout" ||
  fail "summary: $(cat "$SCRATCH/stdout")"
python3 - merged.csv.json "$rows" <<'PY' || fail "merged sidecar: $(cat merged.csv.json)"
import json, sys
record = json.load(open(sys.argv[1]))
assert record["rows"] == int(sys.argv[2])
ranges = [(p["first_frame"], p["last_frame"]) for p in record["parts"]]
assert ranges == [(1, 10), (11, 20), (21, 30), (31, 40)], ranges
assert sum(p["rows"] for p in record["parts"]) == record["rows"]
PY
# a merged table merges again (its parts are listed)
"$MUMLOC" merge --out again.csv merged.csv --quiet || fail "merging a merged table"
cmp -s whole.csv again.csv || fail "re-merging changed the table"

# refusals: one line, exit 2, no file
cp part-1-10.csv bare.csv
expect_error "^mumloc merge: '.*/bare\.csv' has no sidecar '.*/bare\.csv\.json' .*--force" merge \
  --out x.csv "$SCRATCH/part-11-20.csv" "$SCRATCH/bare.csv"
cp part-1-10.csv stale.csv && cp part-11-20.csv.json stale.csv.json
expect_error "^mumloc merge: '.*/stale\.csv' has [0-9]+ rows but its sidecar records [0-9]+" merge \
  --out x.csv "$SCRATCH/stale.csv"
loc movie.tif wide.csv --frames 5-25
expect_error "^mumloc merge: frames 5\.\.10 of '.*movie\.tif' are in more than one table" merge \
  --out x.csv "$SCRATCH/part-1-10.csv" "$SCRATCH/wide.csv"
"$MUMLOC" train --arch regression --out other-model.safetensors --steps 1 --batch 1 --size 16 \
  --validation-frames 1 --threads 1 --quiet >/dev/null
"$MUMLOC" localize --in movie.tif --out foreign.csv --model other-model.safetensors --frames 11-20 \
  --threads 1 --quiet >/dev/null || fail "localize with another model"
expect_error "^mumloc merge: '.*foreign\.csv' was made by another model" merge --out x.csv \
  "$SCRATCH/part-1-10.csv" "$SCRATCH/foreign.csv"
expect_error "^mumloc merge: the tables come from 2 movies .*--movies column .*--movies offset" merge \
  --out x.csv "$SCRATCH/whole.csv" "$SCRATCH/other.csv"
expect_error "^mumloc merge: --out '.*/\./whole\.csv' is the same file as TABLE '.*/whole\.csv'" merge \
  --out "$SCRATCH/./whole.csv" "$SCRATCH/whole.csv"
expect_error "^mumloc merge: missing TABLE" merge --out x.csv

# --force: merged, with a warning; overlapping rows are all there
"$MUMLOC" merge --out forced.csv --force part-1-10.csv wide.csv >/dev/null 2>"$SCRATCH/stderr" ||
  fail "forced merge: $(cat "$SCRATCH/stderr")"
grep -q "^mumloc merge: warning: --force let 1 problem through; the first: frames 5\.\.10" \
  "$SCRATCH/stderr" || fail "forced merge warning: $(cat "$SCRATCH/stderr")"
[ "$(($(wc -l <forced.csv) - 1))" -eq "$(($(wc -l <part-1-10.csv) + $(wc -l <wide.csv) - 2))" ] ||
  fail "a forced merge lost rows"
awk -F, 'NR > 1 && ($1 != NR - 1 || (NR > 2 && $2 < prev)) { bad = 1 } { prev = $2 } END { exit bad }' \
  forced.csv || fail "forced merge: ids not 1..n or frames out of order"

# a missing range is reported (frames 11..30)
"$MUMLOC" merge --out gap.csv part-1-10.csv part-31-40.csv >/dev/null 2>"$SCRATCH/stderr" ||
  fail "merge with a gap: $(cat "$SCRATCH/stderr")"
grep -q "^mumloc merge: warning: 20 frames of the movie are in no table" "$SCRATCH/stderr" ||
  fail "gap warning: $(cat "$SCRATCH/stderr")"

# several movies: a movie column (1 = the first movie named), or frames offset by the earlier movies
"$MUMLOC" merge --out both.csv --movies column other.csv part-1-10.csv part-11-20.csv part-21-30.csv \
  part-31-40.csv --quiet || fail "merge --movies column"
head -1 both.csv | grep -q ',"unresolved","movie"$' || fail "no movie column: $(head -1 both.csv)"
[ "$(awk -F, 'NR > 1 && $NF == 1' both.csv | cut -d, -f2-12)" = "$(tail -n +2 other.csv | cut -d, -f2-)" ] ||
  fail "movie 1 of the column merge is not other.csv's rows"
[ "$(awk -F, 'NR > 1 && $NF == 2' both.csv | cut -d, -f2-12)" = "$(tail -n +2 whole.csv | cut -d, -f2-)" ] ||
  fail "movie 2 of the column merge is not movie.tif's rows"
"$MUMLOC" merge --out offset.csv --movies offset whole.csv other.csv --quiet || fail "merge --movies offset"
[ "$(awk -F, 'NR > 1 && $2 > 40 { $2 -= 40; print }' OFS=, offset.csv | cut -d, -f2-)" = \
  "$(tail -n +2 other.csv | cut -d, -f2-)" ] || fail "other.csv's frames are not offset by movie.tif's 40"
python3 - offset.csv.json <<'PY' || fail "offset sidecar: $(cat offset.csv.json)"
import json, sys
record = json.load(open(sys.argv[1]))
assert record["movies"] == "offset"
assert [(p["movie_index"], p["frame_offset"]) for p in record["parts"]] == [(1, 0), (2, 40)], record
PY
echo "merge: $rows localizations from 4 parts equal the single run"
