# Big-file forms of a movie give the same table as the classic TIFF, byte for byte: the movie
# rewritten as BigTIFF, and split into a 3-file OME-TIFF series as Micro-Manager writes it (read
# from its first file). A missing part is a one-line error naming it. The converter
# (tiff_convert.py) is an independent writer.
source "$(dirname "$0")/lib.sh"
cd "$SCRATCH"
small_movie movie
"$MUMLOC" localize --in movie.tif --out classic.csv --threads 1 --quiet ||
  fail "localize of the classic TIFF failed"
[ "$(wc -l <classic.csv)" -gt 1 ] || fail "the classic movie gave no localizations"

python3 "$TESTS_CLI_DIR/tiff_convert.py" bigtiff movie.tif big.tif
[ "$(head -c 4 big.tif | od -An -tx1 | tr -d ' ')" = "49492b00" ] || fail "big.tif is not a BigTIFF"
"$MUMLOC" localize --in big.tif --out big.csv --threads 1 --quiet || fail "localize of a BigTIFF failed"
cmp -s classic.csv big.csv || fail "BigTIFF table differs: $(diff classic.csv big.csv | head -5)"
echo "ok: a BigTIFF movie localizes like the classic TIFF"

mkdir series
python3 "$TESTS_CLI_DIR/tiff_convert.py" ome-series movie.tif series 3
[ -f series/movie_MMStack_Pos0_2.ome.tif ] || fail "the series has no third file"
"$MUMLOC" localize --in series/movie_MMStack_Pos0.ome.tif --out series.csv --threads 2 --quiet ||
  fail "localize of the OME-TIFF series failed"
cmp -s classic.csv series.csv || fail "series table differs: $(diff classic.csv series.csv | head -5)"
echo "ok: a 3-file OME-TIFF series localizes like the single-file movie"

rm series/movie_MMStack_Pos0_1.ome.tif
EXPECT_RC=1 expect_error "'movie_MMStack_Pos0_1\.ome\.tif' listed by the OME-XML of .* is missing next to it" \
  localize --in "$SCRATCH/series/movie_MMStack_Pos0.ome.tif" --out x.csv --threads 1 --quiet
echo "ok: a missing part of the series is named"
