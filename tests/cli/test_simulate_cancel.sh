# Progress lines go to stderr (none with --quiet); Ctrl-C cancels cleanly: exit 130, no files.
source "$(dirname "$0")/lib.sh"

"$MUMLOC" simulate --out "$SCRATCH/p.tif" --truth "$SCRATCH/p.csv" --frames 40 --size 16 \
  --molecules 4 --threads 1 >"$SCRATCH/stdout" 2>"$SCRATCH/stderr"
# At most one line per tenth of the work (the library reports per frame batch, so a small movie
# may get only the final line), the last one at 100 %.
lines=$(grep -c '^mumloc simulate: [0-9]\+% ([0-9]\+/[0-9]\+)$' "$SCRATCH/stderr" || true)
[ "$lines" -ge 1 ] && [ "$lines" -le 10 ] || fail "expected 1 to 10 progress lines, got: $(cat "$SCRATCH/stderr")"
[ "$(tail -n 1 "$SCRATCH/stderr")" = "mumloc simulate: 100% (40/40)" ] ||
  fail "the last progress line is not 100%: $(cat "$SCRATCH/stderr")"
[ "$(wc -l <"$SCRATCH/stderr")" -eq "$lines" ] || fail "stderr has more than progress: $(cat "$SCRATCH/stderr")"
grep -Eq '^mumloc simulate: 40 frames of 16x16x4, 160 molecules, [0-9.]+ s \([0-9]+ frames/s\); wrote .*p\.tif, .*p\.csv, .*p\.drift\.csv$' \
  "$SCRATCH/stdout" || fail "summary line: $(cat "$SCRATCH/stdout")"

"$MUMLOC" simulate --out "$SCRATCH/q.tif" --frames 40 --size 16 --quiet >/dev/null 2>"$SCRATCH/stderr"
[ ! -s "$SCRATCH/stderr" ] || fail "--quiet still printed: $(cat "$SCRATCH/stderr")"

# A movie long enough to interrupt: once it has started writing, send SIGINT; the library must
# stop at its next progress call (a KILL after 5 s keeps a broken build from filling the disk;
# MUMLOC_TEST_SLOWDOWN, set by the sanitizer stage, stretches the waits for its slower batches).
waits=$((50 * ${MUMLOC_TEST_SLOWDOWN:-1}))
mkdir "$SCRATCH/cancel"
"$MUMLOC" simulate --out "$SCRATCH/cancel/big.tif" --truth "$SCRATCH/cancel/big.csv" \
  --frames 100000 --size 32 --molecules 20 --threads 1 >"$SCRATCH/stdout" 2>"$SCRATCH/stderr" &
pid=$!
for _ in $(seq "$waits"); do
  [ -n "$(ls -A "$SCRATCH/cancel")" ] && break
  sleep 0.1
done
sleep 0.2
kill -INT "$pid"
for _ in $(seq "$waits"); do
  kill -0 "$pid" 2>/dev/null || break
  sleep 0.1
done
if kill -0 "$pid" 2>/dev/null; then
  kill -KILL "$pid"
  fail "simulate still running $((waits / 10)) s after SIGINT"
fi
rc=0; wait "$pid" || rc=$?
[ "$rc" -eq 130 ] || fail "interrupted simulate exited with $rc, expected 130; $(cat "$SCRATCH/stderr")"
grep -q '^mumloc simulate: interrupted; no files written$' "$SCRATCH/stderr" ||
  fail "no interruption message: $(cat "$SCRATCH/stderr")"
[ -z "$(ls -A "$SCRATCH/cancel")" ] || fail "interrupted simulate left files: $(ls -A "$SCRATCH/cancel")"
echo "ok: simulate progress and Ctrl-C"
