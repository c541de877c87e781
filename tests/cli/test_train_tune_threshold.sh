# `mumloc train --tune-threshold`: the final validation is decoded at every threshold of the sweep,
# the model keeps the one with the highest Jaccard (ties: the higher threshold), and its recorded
# validation is that entry of the sweep. Checked against a run without tuning, which scores the same
# validation set at the model's own threshold through the single-threshold path.
source "$(dirname "$0")/lib.sh"
cd "$SCRATCH"

bundled="$TESTS_CLI_DIR/../../test-data/default-model.safetensors"
step=$("$MUMLOC" info "$bundled" | sed -n 's/^train_step: //p')
[ -n "$step" ] || fail "the bundled model has no train_step"
# Resumed at its own step: no training, only the final validation (a few seconds).
common=(--arch regression --resume "$bundled" --steps "$step" --molecules 5-50 --batch 4
        --validation-frames 12 --threads 1 --quiet)

"$MUMLOC" train "${common[@]}" --threshold 0.5 --out plain.safetensors >/dev/null 2>err1.txt ||
  fail "validation without tuning failed: $(cat err1.txt)"
"$MUMLOC" train "${common[@]}" --threshold 0.5 --tune-threshold --out tuned.safetensors \
  >/dev/null 2>err2.txt || fail "validation with --tune-threshold failed: $(cat err2.txt)"
"$MUMLOC" info --json plain.safetensors >plain.json || fail "info on the untuned model failed"
"$MUMLOC" info --json tuned.safetensors >tuned.json || fail "info on the tuned model failed"

python3 - plain.json tuned.json <<'PY' || fail "tuned threshold checks failed"
import json, sys
def meta(path):
    m = json.load(open(path))
    m = m.get("metadata", m)
    return {k: (json.loads(v) if isinstance(v, str) and v[:1] in "[{" else v) for k, v in m.items()}
plain, tuned = meta(sys.argv[1]), meta(sys.argv[2])
sweep = tuned["threshold_sweep"]
assert len(sweep) == 20, len(sweep)
ts = [e["threshold"] for e in sweep]
assert ts == sorted(ts) and ts[0] == 0.01 and ts[-1] == 0.9, ts
best = max(range(len(sweep)), key=lambda i: (sweep[i]["jaccard"], sweep[i]["threshold"]))
chosen = float(tuned["decode_threshold"])
assert chosen == sweep[best]["threshold"], (chosen, sweep[best])
val = tuned["validation"]
assert val["threshold"] == chosen and val["jaccard"] == sweep[best]["jaccard"], (val, sweep[best])
# The sweep's entry at 0.5 is what the single-threshold validation of the untuned run reports.
at_half = next(e for e in sweep if e["threshold"] == 0.5)
pv = plain["validation"]
assert float(plain["decode_threshold"]) == 0.5 and "threshold_sweep" not in plain
assert abs(at_half["jaccard"] - pv["jaccard"]) < 1e-12, (at_half, pv)
assert abs(at_half["recall"] - pv["recall"]) < 1e-12 and abs(at_half["precision"] - pv["precision"]) < 1e-12
assert val["jaccard"] >= pv["jaccard"]
print("tuned threshold", chosen, "validation Jaccard", val["jaccard"], "vs", pv["jaccard"], "at 0.5")
PY
echo "test_train_tune_threshold: ok"
