# --device for train, bench and localize. MUMLOC_CUDA_LIBRARY names a missing object, so CUDA is
# unusable with a known reason on any machine: auto runs on the CPU and says why once on stderr
# (not an error, same results as cpu); an explicit cuda fails with exit 1 and one line giving the
# reason; text that is no device is a usage error (exit 2).
source "$(dirname "$0")/lib.sh"
cd "$SCRATCH"
export MUMLOC_CUDA_LIBRARY="$SCRATCH/no-cuda.so"
fallback="device: CPU: no CUDA device \(CUDA backend not found at .*no-cuda\.so"

# bench
"$MUMLOC" bench --arch regression --size 16 --seconds 0.05 --threads 1 >b.out 2>b.err ||
  fail "bench auto failed: $(cat b.err)"
[ "$(wc -l <b.err)" -eq 1 ] && grep -Eq "^mumloc bench: $fallback" b.err ||
  fail "bench auto: expected one device line, got: $(cat b.err)"
grep -q " device cpu: " b.out || fail "bench auto: $(cat b.out)"
"$MUMLOC" bench --arch regression --size 16 --seconds 0.05 --threads 1 --device cpu >/dev/null \
  2>b.err || fail "bench cpu failed: $(cat b.err)"
grep -q "^mumloc bench: device: CPU: requested$" b.err || fail "bench cpu: $(cat b.err)"
EXPECT_RC=1 expect_error "^mumloc bench: --device cuda: CUDA requested but unusable: CUDA backend not found at .*no-cuda\.so" \
  bench --arch regression --device cuda
EXPECT_RC=1 expect_error "^mumloc bench: --device cuda:2: CUDA requested but unusable: " \
  bench --arch regression --device cuda:2
expect_error "^mumloc bench: --device: device \"gpu\" not understood" bench --arch regression --device gpu

# train: the device line once, before the first progress line; auto and cpu write the same model
tiny=(--arch regression --size 12 --molecules 3 --steps 2 --batch 2 --validation-frames 2 --threads 1)
"$MUMLOC" train "${tiny[@]}" --out auto.safetensors >/dev/null 2>t.err ||
  fail "train auto failed: $(cat t.err)"
grep -Eq "^mumloc train: $fallback" <(head -n 1 t.err) || fail "train auto: first line: $(cat t.err)"
[ "$(grep -c "device:" t.err)" -eq 1 ] || fail "train auto: device line not once: $(cat t.err)"
"$MUMLOC" train "${tiny[@]}" --out cpu.safetensors --device cpu >/dev/null 2>t.err ||
  fail "train cpu failed: $(cat t.err)"
grep -q "^mumloc train: device: CPU: requested$" t.err || fail "train cpu: $(cat t.err)"
cmp -s auto.safetensors cpu.safetensors || fail "train: auto (CPU) and cpu models differ"
"$MUMLOC" train "${tiny[@]}" --out q.safetensors --quiet >/dev/null 2>t.err || fail "train quiet"
[ ! -s t.err ] || fail "train --quiet printed: $(cat t.err)"
EXPECT_RC=1 expect_error "^mumloc train: --device cuda: CUDA requested but unusable: " \
  train "${tiny[@]}" --out m.safetensors --device cuda
expect_error "^mumloc train: --device: " train "${tiny[@]}" --out m.safetensors --device cuda:x

# localize: the device line before the progress lines; auto and cpu write the same table
small_movie movie
"$MUMLOC" localize --in movie.tif --out auto.csv --model cpu.safetensors --threads 1 >/dev/null \
  2>l.err || fail "localize auto failed: $(cat l.err)"
grep -Eq "^mumloc localize: $fallback" <(head -n 1 l.err) || fail "localize auto: $(cat l.err)"
[ "$(grep -c "device:" l.err)" -eq 1 ] || fail "localize auto: device line not once: $(cat l.err)"
"$MUMLOC" localize --in movie.tif --out cpu.csv --model cpu.safetensors --threads 1 --device cpu \
  >/dev/null 2>l.err || fail "localize cpu failed: $(cat l.err)"
grep -q "^mumloc localize: device: CPU: requested$" l.err || fail "localize cpu: $(cat l.err)"
cmp -s auto.csv cpu.csv || fail "localize: auto (CPU) and cpu tables differ"
EXPECT_RC=1 expect_error "^mumloc localize: --device cuda:1: CUDA requested but unusable: " \
  localize --in movie.tif --out x.csv --model cpu.safetensors --device cuda:1
echo "test_device_cli: ok"
