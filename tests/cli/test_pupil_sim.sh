# The test-data tool pupil_sim (tools/pupil_sim.c): --help, clear errors, a bead stack's shape, a
# truth table with `mumloc simulate`'s columns, and photon conservation of a noise-free bead.
source "$(dirname "$0")/lib.sh"
PUPIL="$(dirname "$MUMLOC")/pupil_sim"
[ -x "$PUPIL" ] || fail "pupil_sim is not built beside mumloc"
cd "$SCRATCH"

"$PUPIL" --help >help
for name in planes plane-depths pixel na astig astig45 coma-x coma-y spherical transmission \
            oversample window frames molecules z-range beads z-step bead-photons noise; do
  grep -Eq -- "--$name( |$)" help || fail "--help does not document --$name"
done

set +e
"$PUPIL" movie --out m.tif --astig 1,2 2>err; rc=$?
set -e
[ $rc -eq 2 ] && grep -q "one per plane" err || fail "per-plane list of the wrong length: rc $rc, $(cat err)"
set +e
"$PUPIL" movie --out m.tif --bogus 1 2>err; rc=$?
set -e
[ $rc -eq 2 ] && grep -q "unknown option --bogus" err || fail "unknown option: rc $rc"
[ ! -e m.tif ] || fail "a failed run left a file"

# Bead stack: channels = planes, slices = steps: 3 planes × 5 steps = 15 images.
"$PUPIL" beads --out b.tif --truth b.csv --planes 3 --beads 2 --z-range 0:400 --z-step 100 \
  --width 40 --height 20 --astig 30 --window 6
python3 "$TESTS_CLI_DIR/tiff_floats.py" b.tif | grep -q "images=15 width=40 height=20" ||
  fail "bead stack shape: $(python3 "$TESTS_CLI_DIR/tiff_floats.py" b.tif)"
[ "$(wc -l <b.csv)" -eq 11 ] || fail "bead truth should hold 2 beads × 5 steps"

# Truth columns are mumloc simulate's.
"$MUMLOC" simulate --out s.tif --truth s.csv --frames 1 --size 16x16 --molecules 2 --quiet >/dev/null
"$PUPIL" movie --out m.tif --truth t.csv --frames 2 --molecules 2 --width 16 --height 16 --window 4
[ "$(head -1 t.csv)" = "$(head -1 s.csv)" ] || fail "truth header $(head -1 t.csv) is not simulate's"

# One noise-free in-focus bead, one plane, in a field larger than its ±12-pixel window: the pixels
# hold its photons but for the Airy tail outside that window (about 3 % at NA 1.4).
"$PUPIL" beads --out one.tif --planes 1 --plane-depths 200 --beads 1 --z-range 200:200 --z-step 10 \
  --width 40 --height 40 --window 12 --noise none --background 0 --bead-photons 10000
python3 - one.tif <<'PY' || fail "photon sum of a bead"
import struct, sys
data = open(sys.argv[1], "rb").read()
total = sum(struct.unpack_from("<%df" % (40 * 40), data, 8))
print("bead photons in the window: %.1f of 10000" % total)
sys.exit(0 if 9600 <= total <= 10000 else 1)
PY
echo "ok: pupil_sim"
