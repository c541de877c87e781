# `mumloc simulate --molecules A-B`: each frame's count lies in [A, B] and reaches both ends, the
# movie records the range, the result does not depend on the thread count, A-A is the fixed count
# A, and malformed ranges give one line naming the option.
source "$(dirname "$0")/lib.sh"
cd "$SCRATCH"

per_frame_counts() {  # per_frame_counts TRUTH.csv FRAMES: one count per frame, empty frames as 0
  awk -F, -v frames="$2" 'NR > 1 { n[$2]++ } END { for (f = 1; f <= frames; f++) print n[f] + 0 }' "$1"
}

small_movie range --frames 80 --molecules 2-6 --threads 1
counts=$(per_frame_counts range.csv 80)
lowest=$(sort -n <<<"$counts" | head -1)
highest=$(sort -n <<<"$counts" | tail -1)
# 80 frames of 5 equally likely counts: each end is missed with probability (4/5)^80 < 2e-7
[ "$lowest" -eq 2 ] && [ "$highest" -eq 6 ] ||
  fail "--molecules 2-6: per-frame counts span $lowest..$highest, expected 2..6"
grep -aq '"molecules":6,' range.tif && grep -aq '"molecules_min":2}' range.tif ||
  fail "the movie description does not record the range"

small_movie threads --frames 80 --molecules 2-6 --threads 2
cmp -s range.tif threads.tif && cmp -s range.csv threads.csv ||
  fail "--molecules 2-6 differs between 1 and 2 threads"

small_movie fixed --molecules 4
small_movie same --molecules 4-4
cmp -s fixed.csv same.csv || fail "--molecules 4-4 is not the fixed count 4"
cmp -s <(grep -av molecules fixed.tif) <(grep -av molecules same.tif) ||
  fail "--molecules 4-4 gives other pixels than --molecules 4"
[ "$(per_frame_counts fixed.csv 6 | sort -u)" = 4 ] || fail "--molecules 4: not 4 per frame"

"$MUMLOC" simulate --help | grep -c -- "--molecules M|A-B .*A-B: uniform per frame" >/dev/null ||
  fail "--help does not describe --molecules ranges"

ok=(--out movie.tif --frames 3 --size 8 --quiet)
for bad in 5- -5-7 a-b 2-x 1-2-3 "5 - 7" 5--7 x5; do
  expect_error "^mumloc simulate: --molecules expects an integer M or a range A-B of integers \(e\.g\. 50 or 5-50\), got '$bad'$" \
    simulate "${ok[@]}" --molecules "$bad"
done
expect_error "^mumloc simulate: --molecules expects M\|A-B, got an empty value$" \
  simulate "${ok[@]}" --molecules ""
expect_error "^mumloc simulate: --molecules range A-B needs 1 <= A <= B .*got '7-5'$" \
  simulate "${ok[@]}" --molecules 7-5
expect_error "^mumloc simulate: --molecules range A-B needs 1 <= A <= B .*got '0-5'$" \
  simulate "${ok[@]}" --molecules 0-5
expect_error "^mumloc simulate: molecules must be between 0 and 100000 \(got 200000\)$" \
  simulate "${ok[@]}" --molecules 2-200000
echo "test_simulate_molecules_range: ok"
