# localize --model regression|voxel|PATH: an architecture's name picks its bundled model
# (mumloc_bundled_model_file, in test-data/ beside the executable's ../..), a path still works,
# and a missing bundled model is a one-line usage error naming where it was looked for. Runs a copy
# of the executable in a scratch tree so that what is "installed" is the test's choice.
source "$(dirname "$0")/lib.sh"
cd "$SCRATCH"
mkdir -p tree/build/bin tree/build/lib tree/test-data
cp "$MUMLOC" tree/build/bin/mumloc
cp -P "$(dirname "$MUMLOC")"/../lib/libmumloc.so* tree/build/lib/
copy="$SCRATCH/tree/build/bin/mumloc"
cp "$TESTS_CLI_DIR/../../test-data/default-model.safetensors" tree/test-data/
small_movie movie
MUMLOC_DEFAULT_MODEL= "$copy" localize --in movie.tif --out none.csv --threads 1 --quiet >/dev/null
MUMLOC_DEFAULT_MODEL= "$copy" localize --in movie.tif --out regression.csv --model regression \
  --threads 1 --quiet >/dev/null
cmp -s none.csv regression.csv || fail "--model regression is not the bundled default model"
sha=$(sha256sum tree/test-data/default-model.safetensors | cut -d' ' -f1)
grep -q "\"model_sha256\":\"$sha\"" regression.csv.json || fail "--model regression: $(cat regression.csv.json)"

# no voxel model installed in this tree
MUMLOC="$copy" expect_error \
  "^mumloc localize: no bundled voxel model is installed \(looked for .*/test-data/voxel-model\.safetensors\); pass --model FILE$" \
  localize --in "$SCRATCH/movie.tif" --out x.csv --model voxel

# a voxel model installed: --model voxel is that file, as --model PATH gives it
"$MUMLOC" train --arch voxel --out voxel-trained.safetensors --steps 1 --batch 1 --size 16 \
  --validation-frames 1 --threads 1 --quiet >/dev/null
cp voxel-trained.safetensors tree/test-data/voxel-model.safetensors
"$copy" localize --in movie.tif --out by-name.csv --model voxel --threshold 0.001 --refine none \
  --no-measure --threads 1 --quiet >/dev/null
"$copy" localize --in movie.tif --out by-path.csv --model voxel-trained.safetensors \
  --threshold 0.001 --refine none --no-measure --threads 1 --quiet >/dev/null
cmp -s by-name.csv by-path.csv || fail "--model voxel differs from --model PATH of the same file"
sha=$(sha256sum voxel-trained.safetensors | cut -d' ' -f1)
grep -q "\"model_sha256\":\"$sha\"" by-name.csv.json ||
  fail "the sidecar's model is not the installed voxel model: $(cat by-name.csv.json)"

# a file named like an architecture is reached by a path
cp voxel-trained.safetensors voxel
"$copy" localize --in movie.tif --out dot.csv --model ./voxel --threshold 0.001 --refine none \
  --no-measure --threads 1 --quiet >/dev/null
cmp -s dot.csv by-path.csv || fail "--model ./voxel is not the file"
echo "bundled models: --model regression = default, --model voxel = test-data/voxel-model.safetensors"
