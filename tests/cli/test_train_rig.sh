# `mumloc train --rig`: a tiny run for a rig with per-plane optics records the rig's optics and its
# cameras' models in the model; --optics beside --rig is refused; resuming the model for the same rig
# works and for the papers' optics is refused (the optics differ).
source "$(dirname "$0")/lib.sh"
cd "$SCRATCH"

cat > rig.json <<'JSON'
{"mumloc_rig": 1, "layout": "files", "width": 64, "height": 64,
 "optics": {"planes": 4, "plane_depth_nm": [200, 610, 1000, 1390],
  "plane_psf": [{"w0_nm": 128, "d_nm": 290, "A": 0, "B": 0.11, "transmission": 1},
                {"w0_nm": 141, "d_nm": 310, "A": 0.002, "B": 0.12, "transmission": 0.8},
                {"w0_nm": 135, "d_nm": 300, "A": 0.004, "B": 0.13, "transmission": 1.2},
                {"w0_nm": 150, "d_nm": 320, "A": 0.006, "B": 0.14, "transmission": 0.9}]},
 "cameras": [{"to_camera": [1, 0, 0, 0, 1, 0], "offset_adu": 100, "adu_per_electron": 0.5},
  {"to_camera": [-1.01, 0, 64.2, 0, 1.01, 0.3], "flip_x": 1, "offset_adu": 90},
  {"to_camera": [1.0, 0.01, 0.2, -0.01, 1.0, -0.4], "em_gain": 30, "read_noise_e": 25},
  {"to_camera": [0.99, 0, 0.5, 0, -0.99, 63.5], "flip_y": 1, "offset_adu": 120}]}
JSON

tiny=(--arch regression --size 12 --molecules 3 --steps 2 --batch 2 --validation-frames 3 --threads 1)
"$MUMLOC" train "${tiny[@]}" --rig rig.json --out rig.safetensors >out.txt 2>err.txt ||
  fail "training for a rig failed: $(cat err.txt)"
"$MUMLOC" info rig.safetensors > info.txt || fail "mumloc info failed"
grep -q '"plane_psf"' info.txt || fail "the model does not record the rig's per-plane optics: $(cat info.txt)"
grep -q '"w0_nm":141' info.txt || fail "the model's optics are not the rig's: $(cat info.txt)"
grep -q 'rig: {"mumloc_rig":1,"cameras":\[{"offset_adu":100,"adu_per_electron":0.5' info.txt ||
  fail "the model does not record the rig's cameras: $(grep -i rig info.txt)"
"$MUMLOC" train "${tiny[@]}" --steps 3 --rig rig.json --resume rig.safetensors --out more.safetensors \
  >/dev/null 2>err2.txt || fail "resuming for the same rig failed: $(cat err2.txt)"

expect_error "^mumloc train: --optics cannot be used with --rig" \
  train "${tiny[@]}" --rig "$SCRATCH/rig.json" --optics "$SCRATCH/rig.json" --out m.safetensors
# a model made for other optics is fine-tuned for these (here back to the papers' optics)
"$MUMLOC" train "${tiny[@]}" --steps 3 --resume rig.safetensors --out tuned.safetensors \
  >/dev/null 2>err3.txt || fail "fine-tuning a rig model for other optics failed: $(cat err3.txt)"
"$MUMLOC" info tuned.safetensors >tuned.txt 2>&1 || fail "info of the fine-tuned model failed"
grep -q '"psf_w0_nm":133.05' tuned.txt || fail "the fine-tuned model keeps the rig's optics: $(cat tuned.txt)"
grep -q 'fine_tuned_from' tuned.txt || fail "the fine-tuned model does not say what it started from"
echo "test_train_rig: all checks passed"
