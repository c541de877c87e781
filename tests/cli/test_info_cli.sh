# `mumloc info` and `mumloc bench`: metadata of a model file (text and JSON) including the
# parameter count; clear errors for missing and foreign files; bench prints its figures.
source "$(dirname "$0")/lib.sh"
cd "$SCRATCH"

"$MUMLOC" train --arch voxel --size 4 --molecules 1 --steps 1 --batch 1 --validation-frames 1 \
  --threads 1 --quiet --out voxel.safetensors >/dev/null 2>err.txt || fail "training: $(cat err.txt)"
"$MUMLOC" info voxel.safetensors >info.txt || fail "info failed"
for line in "format: mumloc-model" "format_version: 1" "architecture: voxel" \
            "parameter_count: 265632" "planes: 4" "depth_slices: 32" "voxel_size_nm: [24,24,50]" \
            "input_background_photons: 10" "decode_threshold: 0.1" "train_step: 1"; do
  grep -qxF "$line" info.txt || fail "info lacks '$line': $(cat info.txt)"
done
grep -q '^optics: {"planes":4,"plane_depth_nm":\[200,600,1000,1400\],"pixel_nm":192' info.txt ||
  fail "info lacks the optics"
grep -q '^training: {"architecture":"voxel",' info.txt || fail "info lacks the recipe"
"$MUMLOC" info --json voxel.safetensors >info.json || fail "info --json failed"
python3 - info.json <<'PY' || fail "info --json is not the expected JSON: $(cat info.json)"
import json, sys
d = json.load(open(sys.argv[1]))
assert d["parameter_count"] == "265632" and d["architecture"] == "voxel"
assert d["optics"]["pixel_nm"] == 192 and d["validation"]["frames"] == 1
PY

echo "not a model" > foreign.safetensors
EXPECT_RC=1 expect_error "^mumloc info: '$SCRATCH/foreign.safetensors' is not a safetensors model file" \
  info "$SCRATCH/foreign.safetensors"
EXPECT_RC=1 expect_error "^mumloc info: cannot open model 'missing.safetensors'" info missing.safetensors
expect_error "^mumloc info: missing MODEL" info

"$MUMLOC" bench --arch regression --size 16 --threads 1 --seconds 0.2 --device cpu >bench.txt ||
  fail "bench failed"
grep -Eq "^mumloc bench: regression inference 16x16x4 batch 1 threads 1 device cpu: [0-9.]+ ms/frame, [0-9.]+ frames/s, [0-9.]+ GFLOP/s \(best of [0-9]+ calls" bench.txt ||
  fail "bench output: $(cat bench.txt)"
"$MUMLOC" bench --arch voxel --size 4 --batch 2 --train --threads 1 --seconds 0 >bench2.txt ||
  fail "bench --train failed"
grep -q "voxel training 4x4x4 batch 2" bench2.txt || fail "bench --train output: $(cat bench2.txt)"
expect_error "^mumloc bench: --arch expects one of regression, voxel" bench --arch big
expect_error "^mumloc bench: benchmark needs batch" bench --arch voxel --batch 0
MUMLOC_CUDA_LIBRARY="$SCRATCH/none.so" EXPECT_RC=1 expect_error \
  "^mumloc bench: --device cuda: CUDA requested but unusable: .*none\.so" bench --arch voxel --device cuda
echo "test_info_cli: ok"
