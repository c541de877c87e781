# Same seed -> byte-identical movie, truth and drift files whatever the thread count; another seed
# -> different files.
source "$(dirname "$0")/lib.sh"

args=(--frames 12 --size 24x20 --molecules 8 --sample helix --em-gain 2 --noise physical --quiet)
run() {  # run NAME SEED THREADS
  "$MUMLOC" simulate --out "$SCRATCH/$1.tif" --truth "$SCRATCH/$1.csv" \
    --drift-file "$SCRATCH/$1.drift.csv" --seed "$2" --threads "$3" "${args[@]}" >/dev/null
}
run one 5 1
run two 5 2
run other 6 2
for ext in tif csv drift.csv; do
  [ -s "$SCRATCH/one.$ext" ] || fail "one.$ext is missing or empty"
  cmp -s "$SCRATCH/one.$ext" "$SCRATCH/two.$ext" ||
    fail "seed 5 gives different .$ext files with 1 and 2 threads"
done
cmp -s "$SCRATCH/one.tif" "$SCRATCH/other.tif" && fail "seeds 5 and 6 give the same movie"
cmp -s "$SCRATCH/one.csv" "$SCRATCH/other.csv" && fail "seeds 5 and 6 give the same truth"
cmp -s "$SCRATCH/one.drift.csv" "$SCRATCH/other.drift.csv" && fail "seeds 5 and 6 give the same drifts"

# Filaments, a Poisson molecule count and continuous drift: also thread-count independent.
args=(--frames 9 --size 30x18 --sample filaments --filaments 3 --density 1.5 --drift-step 0 --quiet)
run fil1 9 1
run fil2 9 2
for ext in tif csv drift.csv; do
  cmp -s "$SCRATCH/fil1.$ext" "$SCRATCH/fil2.$ext" ||
    fail "filaments: seed 9 gives different .$ext files with 1 and 2 threads"
done

# Without --drift-file the drifts land beside the truth: NAME.csv -> NAME.drift.csv.
args=(--frames 12 --size 24x20 --molecules 8 --sample helix --em-gain 2 --noise physical --quiet)
"$MUMLOC" simulate --out "$SCRATCH/beside.tif" --truth "$SCRATCH/beside.csv" --seed 5 --threads 2 \
  "${args[@]}" >/dev/null
cmp -s "$SCRATCH/one.drift.csv" "$SCRATCH/beside.drift.csv" || fail "default drift file differs"
echo "ok: simulate determinism"
