# A 1x1 movie is valid input: frames without localizations (the first one included) give a table
# with only its header. (Under the sanitizer build this once reported a null pointer plus offset
# and a memcpy from NULL in the localizer's record buffer.)
source "$(dirname "$0")/lib.sh"

cd "$SCRATCH"
"$MUMLOC" simulate --size 1 --frames 3 --molecules 2 --seed 5 --threads 1 --quiet \
  --out tiny.tif --truth tiny-truth.csv >/dev/null || fail "simulate --size 1 failed"
"$MUMLOC" localize --in tiny.tif --out tiny.csv --threads 1 --quiet >stdout 2>stderr ||
  fail "localize of a 1x1 movie failed: $(cat stderr)"
[ ! -s stderr ] || fail "localize printed to stderr: $(cat stderr)"
[ "$(wc -l <tiny.csv)" -eq 1 ] || fail "a 1x1 movie gave localizations: $(cat tiny.csv)"
head -n 1 tiny.csv | grep -q '^"id","frame","x \[nm\]"' || fail "header: $(head -n 1 tiny.csv)"
echo "ok: localize a 1x1 movie"
