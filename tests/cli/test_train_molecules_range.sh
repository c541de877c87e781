# `mumloc train --molecules A-B`, and resuming a fixed-count model with a range (how the bundled
# model goes on from 50 molecules to 5-50): the resumed run continues from the saved step and the
# model's recipe becomes the new run's. Malformed ranges give one line naming the option.
source "$(dirname "$0")/lib.sh"
cd "$SCRATCH"

tiny=(--arch regression --size 12 --batch 2 --validation-frames 3 --threads 1 --quiet)

"$MUMLOC" train "${tiny[@]}" --molecules 5 --steps 2 --out fixed.safetensors >out.txt 2>err.txt ||
  fail "fixed-count training failed: $(cat err.txt)"
"$MUMLOC" info --json fixed.safetensors >fixed.json || fail "info on the fixed model failed"
grep -q '"molecules":5,.*"molecules_min":0}' fixed.json ||
  fail "the fixed model's recipe does not record 5 molecules: $(cat fixed.json)"

"$MUMLOC" train "${tiny[@]}" --resume fixed.safetensors --molecules 2-5 --steps 4 \
  --out ranged.safetensors >out2.txt 2>err2.txt || fail "resume with a range failed: $(cat err2.txt)"
grep -q "4 steps in" out2.txt || fail "resumed summary: $(cat out2.txt)"
"$MUMLOC" info --json ranged.safetensors >ranged.json || fail "info on the resumed model failed"
grep -q '"molecules":5,.*"molecules_min":2}' ranged.json ||
  fail "the resumed model's recipe does not record the range 2-5: $(cat ranged.json)"
grep -q '"train_step":"4"\|"train_step": *"\?4' ranged.json ||
  fail "the resumed model is not at step 4: $(cat ranged.json)"

# The bundled model (trained with a fixed 50 molecules when this was written) continues with 5-50
# for one step of one frame.
bundled="$TESTS_CLI_DIR/../../test-data/default-model.safetensors"
step=$("$MUMLOC" info "$bundled" | sed -n 's/^train_step: //p')
[ -n "$step" ] || fail "the bundled model has no train_step"
"$MUMLOC" train --arch regression --resume "$bundled" --molecules 5-50 --steps $((step + 1)) \
  --batch 1 --validation-frames 2 --threads 1 --quiet --out bundled.safetensors >out3.txt 2>err3.txt ||
  fail "resuming the bundled model with --molecules 5-50 failed: $(cat err3.txt)"
"$MUMLOC" info --json bundled.safetensors | grep -c '"molecules":50,.*"molecules_min":5}' >/dev/null ||
  fail "the resumed bundled model's recipe does not record 5-50"
grep -q "$((step + 1)) steps in" out3.txt || fail "resumed bundled summary: $(cat out3.txt)"

expect_error "^mumloc train: --molecules range A-B needs 1 <= A <= B .*got '9-3'$" \
  train "${tiny[@]}" --out m.safetensors --molecules 9-3
expect_error "^mumloc train: --molecules expects an integer M or a range A-B.*got '3-'$" \
  train "${tiny[@]}" --out m.safetensors --molecules 3-
echo "test_train_molecules_range: ok"
