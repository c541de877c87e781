# `mumloc train`: a tiny run writes a model and prints the final validation metrics; bad arguments
# give one line, exit 2 and no file; Ctrl-C (SIGINT) saves a valid model that --resume continues.
source "$(dirname "$0")/lib.sh"
cd "$SCRATCH"

tiny=(--arch regression --size 12 --molecules 3 --steps 3 --batch 2 --validation-frames 3 --threads 1)

"$MUMLOC" train "${tiny[@]}" --out model.safetensors >out.txt 2>err.txt ||
  fail "tiny training failed: $(cat err.txt)"
[ -s model.safetensors ] || fail "no model written"
grep -q "^mumloc train: regression model, 206704 parameters, 3 steps in .* s; wrote model.safetensors$" out.txt ||
  fail "unexpected summary: $(cat out.txt)"
grep -q '^validation: {"step":3,"frames":3,"threshold":0.5,"tolerance_nm":150,"loss":.*"jaccard":' out.txt ||
  fail "no final validation metrics: $(cat out.txt)"
grep -q "^mumloc train: step 3/3 epoch 1/1 loss .* | validation loss .* jaccard" err.txt ||
  fail "no progress line with validation: $(cat err.txt)"

# resuming to 5 steps continues from step 3
"$MUMLOC" train "${tiny[@]}" --steps 5 --resume model.safetensors --out resumed.safetensors \
  >out2.txt 2>err2.txt || fail "resume failed: $(cat err2.txt)"
grep -q "5 steps in" out2.txt || fail "resume summary: $(cat out2.txt)"
! grep -q "step [123]/5" err2.txt || fail "resume repeated steps: $(cat err2.txt)"

# errors
expect_error "^mumloc train: missing --arch" train --out m.safetensors
expect_error "^mumloc train: --arch expects one of regression, voxel; got 'unet'$" \
  train --arch unet --out m.safetensors
expect_error "^mumloc train: missing --out FILE" train --arch voxel
expect_error "^mumloc train: batch " train "${tiny[@]}" --out m.safetensors --batch -1
expect_error "^mumloc train: lr " train "${tiny[@]}" --out m.safetensors --lr -0.1
expect_error "^mumloc train: --steps expects an integer" train "${tiny[@]}" --out m.safetensors --steps x
EXPECT_RC=1 expect_error "^mumloc train: cannot open model 'nothing.safetensors'" \
  train "${tiny[@]}" --out m.safetensors --resume nothing.safetensors
# other optics fine-tune the model (tests/c/test_train_resume.c), but not another plane count
echo '{"planes": 3, "plane_depth_nm": [200, 600, 1000]}' > "$SCRATCH/optics.json"
expect_error "^mumloc train: the model's network takes 4 planes and these optics have 3" \
  train "${tiny[@]}" --out m.safetensors --resume "$SCRATCH/model.safetensors" \
  --optics "$SCRATCH/optics.json"

# Ctrl-C: exit 130, a valid model at the step reached
"$MUMLOC" train --arch regression --size 12 --molecules 3 --steps 100000 --batch 2 \
  --validation-frames 3 --threads 1 --log-every 1 --out stopped.safetensors >stop.out 2>stop.err &
pid=$!
for _ in $(seq 100); do
  grep -q "step" stop.err 2>/dev/null && break
  sleep 0.2
done
sleep 0.5
kill -INT "$pid"
rc=0
wait "$pid" || rc=$?
[ "$rc" -eq 130 ] || fail "Ctrl-C: exit code $rc, expected 130; stderr: $(cat stop.err)"
grep -q "interrupted; the model so far is saved in stopped.safetensors" stop.err ||
  fail "Ctrl-C message: $(cat stop.err)"
"$MUMLOC" info stopped.safetensors >stop.info || fail "the interrupted model does not load"
grep -Eq "^train_step: [1-9][0-9]*$" stop.info || fail "no step count: $(cat stop.info)"
echo "test_train_cli: ok"
