#!/usr/bin/env bash
# mumloc vs PyTorch on the CPU, same machine, same run, same thread count (issue 3 "Speed").
# Usage: bench/torch_compare.sh MUMLOC [THREADS (default 2)] [SECONDS per case (default 3)]
#
# Inference: ../shared/bench/torch_reference.py (beside the repository, as CI has it) against
# `mumloc bench` for every case that script measures; training: bench/torch_train.py against
# `mumloc bench --train` at the papers' input sizes (batch 8). Both sides report their best call
# (other processes on a shared machine stall multithreaded calls). Needs Debian's python3-torch with
# libopenblas0-pthread: installed here with apt-get when missing (root only; this is the bench path,
# never the tests).
set -uo pipefail
mumloc=${1:?usage: bench/torch_compare.sh MUMLOC [THREADS] [SECONDS]}
threads=${2:-2}
seconds=${3:-3}
here=$(cd "$(dirname "$0")" && pwd)
reference_dir=$(cd "$here/.." && cd ../shared/bench 2>/dev/null && pwd)
fma_peak=695   # GFLOP/s, register-only AVX-512 FMA loop, 2 threads (measured on these machines)

if [ -z "$reference_dir" ] || [ ! -f "$reference_dir/torch_reference.py" ]; then
  echo "  skipped: ../shared/bench/torch_reference.py not found beside the repository"
  exit 0
fi
missing=()
for pkg in python3-torch libopenblas0-pthread; do
  dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg")
done
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ]; then
    echo "  installing ${missing[*]} (apt-get; a few minutes the first time)"
    apt-get install -y "${missing[@]}" >/dev/null 2>&1 ||
      { apt-get update >/dev/null 2>&1 && apt-get install -y "${missing[@]}" >/dev/null 2>&1; } ||
      { echo "  skipped: could not install ${missing[*]}"; exit 0; }
  else
    echo "  skipped: ${missing[*]} not installed (apt-get install -y ${missing[*]} as root)"
    exit 0
  fi
fi

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export OMP_NUM_THREADS=$threads
echo "\$ /usr/bin/python3 $reference_dir/torch_reference.py --threads $threads --min-time $seconds"
/usr/bin/python3 "$reference_dir/torch_reference.py" --threads "$threads" --min-time "$seconds" \
  > "$tmp/torch.txt" 2>&1 || { sed 's/^/  /' "$tmp/torch.txt"; echo "  skipped: PyTorch failed"; exit 0; }
sed 's/^/  /' "$tmp/torch.txt"

# torch_reference.py rows: net, "WxH", "x4", batch, fps(med), fps(best), ...
printf '\n  %-11s %9s %5s %12s %12s %9s %9s %6s\n' network input batch "mumloc fps" "torch fps" ratio GFLOP/s peak
awk '$1 == "regression" || $1 == "voxel2021" { print $1, $2 $3, $4, $6 }' "$tmp/torch.txt" |
while read -r net input batch torch_fps; do
  arch=${net%2021}
  size=${input%%x*}
  line=$("$mumloc" bench --arch "$arch" --size "$size" --batch "$batch" --threads "$threads" \
         --seconds "$seconds" 2>&1) || { echo "  $line"; continue; }
  fps=$(sed -n 's/.* \([0-9.]*\) frames\/s.*/\1/p' <<<"$line")
  gflops=$(sed -n 's/.* \([0-9.]*\) GFLOP\/s.*/\1/p' <<<"$line")
  awk -v a="$arch" -v i="$input" -v b="$batch" -v m="$fps" -v t="$torch_fps" -v g="$gflops" -v p="$fma_peak" \
    'BEGIN { printf "  %-11s %9s %5d %12.1f %12.1f %8.2fx %9.1f %5.0f%%\n", a, i, b, m, t, m / t, g, 100 * g / p }'
done

echo
echo "  training steps (forward, loss, backward, Adam), batch 8, papers' input sizes"
echo "\$ /usr/bin/python3 $here/torch_train.py --reference $reference_dir --threads $threads --min-time $seconds"
printf '  %-11s %9s %5s %12s %12s %9s %9s\n' network input batch "mumloc fps" "torch fps" ratio GFLOP/s
/usr/bin/python3 "$here/torch_train.py" --reference "$reference_dir" --threads "$threads" \
  --min-time "$seconds" > "$tmp/train.txt" 2>&1 || sed 's/^/  /' "$tmp/train.txt"
# Each training case twice: the default (Winograd kernels for the 3x3 layers) and (row "A direct")
# the direct convolutions only, MUMLOC_CPU_WINOGRAD=0 (backend/cpu/cpu_backend.h).
while read -r arch size batch torch_fps; do
  [ "$arch" = regression ] || [ "$arch" = voxel ] || continue
  for winograd in 1 0; do
    line=$(MUMLOC_CPU_WINOGRAD=$winograd "$mumloc" bench --arch "$arch" --size "$size" \
           --batch "$batch" --train --threads "$threads" --seconds "$seconds" 2>&1) ||
      { echo "  $line"; continue; }
    fps=$(sed -n 's/.* \([0-9.]*\) frames\/s.*/\1/p' <<<"$line")
    gflops=$(sed -n 's/.* \([0-9.]*\) GFLOP\/s.*/\1/p' <<<"$line")
    name=$arch; [ $winograd = 0 ] && name="$arch direct"
    awk -v a="$name" -v s="$size" -v b="$batch" -v m="$fps" -v t="$torch_fps" -v g="$gflops" \
      'BEGIN { printf "  %-16s %4s %5d %12.1f %12.1f %8.2fx %9.1f\n", a, s "x" s "x4", b, m, t, m / t, g }'
  done
done < "$tmp/train.txt"
echo "  (mumloc rows: [MUMLOC_CPU_WINOGRAD=0 for \"direct\"] $mumloc bench --arch A --size S --batch B"
echo "   [--train] --threads $threads --seconds $seconds; ratio = mumloc / PyTorch best-call frames/s;"
echo "   peak = fraction of the $fma_peak GFLOP/s FMA peak; training GFLOP/s count 3x the forward's direct"
echo "   multiply-adds, also for Winograd, which does fewer)"
