# --precision: a bad value is a usage error naming the choices; fp32 and bf16 both localize (bf16
# only where the CPU has it, else a run-time error naming what is missing); the sidecar records
# what ran; --verbose prints a line per stage; with oneDNN capped below AVX512_BF16, auto runs fp32.
source "$(dirname "$0")/lib.sh"

cd "$SCRATCH"
small_movie m --size 40x36 --molecules 6
expect_error "precision.*(auto|fp32|bf16)" localize --in "$SCRATCH/m.tif" --out x.csv --precision fp16

"$MUMLOC" localize --in m.tif --out fp32.csv --threads 1 --precision fp32 --verbose >out32 2>err32 ||
  fail "fp32 failed: $(cat err32)"
grep -q '"precision":"fp32"' fp32.csv.json || fail "sidecar: $(cat fp32.csv.json)"
grep -q 'stages (precision fp32' out32 || fail "--verbose: $(cat out32)"
for stage in "read movie" "to photons" "network" "decode" "photometry+CRLB" "write rows"; do
  grep -q "^  $stage " out32 || fail "--verbose lacks '$stage': $(cat out32)"
done

if grep -qw avx512_bf16 /proc/cpuinfo; then
  "$MUMLOC" localize --in m.tif --out bf16.csv --threads 1 --precision bf16 --quiet >/dev/null 2>err ||
    fail "bf16 failed on a CPU with AVX512_BF16: $(cat err)"
  grep -q '"precision":"bf16"' bf16.csv.json || fail "sidecar: $(cat bf16.csv.json)"
  [ "$(wc -l <bf16.csv)" -eq "$(wc -l <fp32.csv)" ] || fail "bf16 found another number of molecules"
else
  echo "note: this CPU lacks AVX512_BF16; only the refusal is checked"
fi
# a CPU without bf16 (oneDNN capped): explicit bf16 fails saying why, auto falls back to fp32
export ONEDNN_MAX_CPU_ISA=AVX512_CORE DNNL_MAX_CPU_ISA=AVX512_CORE
EXPECT_RC=1 expect_error "bf16 inference needs a CPU with AVX512_BF16.*fp32" \
  localize --in "$SCRATCH/m.tif" --out x.csv --threads 1 --precision bf16 --quiet
"$MUMLOC" localize --in m.tif --out auto.csv --threads 1 --quiet >/dev/null 2>err ||
  fail "auto on a capped CPU failed: $(cat err)"
grep -q '"precision":"fp32"' auto.csv.json || fail "auto on a capped CPU: $(cat auto.csv.json)"
cmp -s auto.csv fp32.csv || fail "auto on a capped CPU differs from fp32"
echo "ok: localize --precision"
