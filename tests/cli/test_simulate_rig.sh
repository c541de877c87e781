#!/usr/bin/env bash
# mumloc simulate --rig and --beads from the command line: every layout writes the files it promises
# (shapes read back), the files layout's per-camera names, the bead stack's shape, and the errors a
# user meets (camera options beside --rig, a bad rig file, beads that do not fit).
. "$(dirname "$0")/lib.sh"
HERE=$TESTS_CLI_DIR
cd "$SCRATCH"
run_ok() { "$@" >/dev/null || fail "$* failed"; }

cat > rig.json <<'JSON'
{"mumloc_rig": 1, "layout": "hyperstack", "width": 24, "height": 20,
 "optics": {"planes": 4, "plane_depth_nm": [200, 610, 1000, 1390]},
 "cameras": [{"to_camera": [1, 0, 0, 0, 1, 0]},
  {"to_camera": [-1.00996, -0.00881, 24.3, -0.00881, 1.00996, 0.7], "flip_x": 1, "offset_adu": 100},
  {"to_camera": [0.99, -0.005, 0.2, 0.005, 0.99, -0.4], "em_gain": 50},
  {"to_camera": [1.004, 0.003, -0.6, 0.003, -1.004, 20.1], "flip_y": 1, "adu_per_electron": 0.5}]}
JSON

shape() {
  python3 "$HERE/tiff_floats.py" "$1" --description > "$1.description"
  grep -E "^(images|channels|slices|frames)=" "$1.description" | tr '\n' ' '
}
size_of() { python3 - "$1" <<'PY'
import struct, sys
d = open(sys.argv[1], "rb").read()
off = struct.unpack_from("<I", d, 4)[0]
n = struct.unpack_from("<H", d, off)[0]
tags = {}
for i in range(n):
    tag, kind, cnt, val = struct.unpack_from("<HHII", d, off + 2 + 12 * i)
    tags[tag] = val & 0xFFFF if kind == 3 else val
print("%dx%d/%d" % (tags[256], tags[257], tags[258]))
PY
}

for layout in hyperstack files tiles2x2 tiles1x4 tiles4x1; do
  sed "s/\"hyperstack\"/\"$layout\"/" rig.json > "rig_$layout.json"
  run_ok "$MUMLOC" simulate --rig "rig_$layout.json" --out "m_$layout.tif" --truth "t_$layout.csv" \
    --frames 3 --molecules 3 --quiet
done
[ "$(size_of m_hyperstack.tif)" = "24x20/32" ] || fail "hyperstack frame is $(size_of m_hyperstack.tif)"
hyperstack_shape=$(shape m_hyperstack.tif)
[ "$hyperstack_shape" = "images=12 channels=4 slices=1 frames=3 " ] || fail "hyperstack: $hyperstack_shape"
for d in 1 2 3 4; do
  [ -f "m_files_cam$d.tif" ] || fail "files layout wrote no m_files_cam$d.tif"
  [ "$(size_of m_files_cam$d.tif)" = "24x20/32" ] || fail "camera $d file is $(size_of m_files_cam$d.tif)"
done
[ ! -e m_files.tif ] || fail "files layout also wrote m_files.tif"
[ "$(size_of m_tiles2x2.tif)" = "48x40/32" ] || fail "tiles2x2 chip is $(size_of m_tiles2x2.tif)"
[ "$(size_of m_tiles1x4.tif)" = "96x20/32" ] || fail "tiles1x4 chip is $(size_of m_tiles1x4.tif)"
[ "$(size_of m_tiles4x1.tif)" = "24x80/32" ] || fail "tiles4x1 chip is $(size_of m_tiles4x1.tif)"
cmp -s t_hyperstack.csv t_tiles2x2.csv || fail "the truth depends on the layout"

run_ok "$MUMLOC" simulate --rig rig.json --out m16.tif --bits 16 --frames 2 --quiet
[ "$(size_of m16.tif)" = "24x20/16" ] || fail "--bits 16 wrote $(size_of m16.tif)"

# bead z-stack: 16-bit, C = cameras, Z = steps
run_ok "$MUMLOC" simulate --rig rig.json --out beads.tif --truth beads.csv --beads 3 \
  --bead-spacing 1000 --z-step 100 --z-range 0:1600 --bead-drift 20 --quiet
[ "$(size_of beads.tif)" = "24x20/16" ] || fail "bead stack is $(size_of beads.tif)"
python3 "$HERE/tiff_floats.py" beads.tif --description > beads.description
grep -q "^slices=17$" beads.description || fail "bead stack: not 17 slices"
grep -q "^channels=4$" beads.description || fail "bead stack: not 4 channels"
[ "$(wc -l < beads.csv)" -eq 4 ] || fail "beads.csv has $(wc -l < beads.csv) lines, expected 4"
head -1 beads.scan.csv | grep -q '"slice","z \[nm\]","dx \[nm\]","dy \[nm\]"' || fail "scan header: $(head -1 beads.scan.csv)"
[ "$(wc -l < beads.scan.csv)" -eq 18 ] || fail "beads.scan.csv lacks 17 steps"
sed 's/"hyperstack"/"files"/' rig.json > rig_f.json
run_ok "$MUMLOC" simulate --rig rig_f.json --out bf.tif --beads 2 --bead-spacing 1000 --z-step 200 --quiet
for d in 1 2 3 4; do [ -f "bf_cam$d.tif" ] || fail "bead files layout wrote no bf_cam$d.tif"; done

# errors name the problem
expect_error "--offset cannot be used with --rig: the rig file holds each camera's model" \
  simulate --rig "$SCRATCH/rig.json" --out x.tif --offset 10
expect_error "--size cannot be used with --rig: the rig file gives the frame size" \
  simulate --rig "$SCRATCH/rig.json" --out x.tif --size 32
sed 's/"flip_x": 1, //' rig.json > noflip.json
expect_error "camera 2: flip_x 0, flip_y 0, quarter_turns 0 do not match .*flip_x 1, flip_y 0, quarter_turns 0 describe it" \
  simulate --rig "$SCRATCH/noflip.json" --out x.tif
sed 's/{"to_camera": \[1, 0, 0, 0, 1, 0\]},//' rig.json > three.json
EXPECT_RC=1 expect_error "lists 3 cameras but \"optics\" has 4 planes" simulate --rig "$SCRATCH/three.json" --out x.tif
expect_error "200 beads do not fit 2000 nm apart.*--beads" simulate --rig "$SCRATCH/rig.json" --out x.tif --beads 200
expect_error "--z-range expects FROM:TO" simulate --rig "$SCRATCH/rig.json" --out x.tif --beads 2 --z-range 5
expect_error "--bits 16 needs --rig" simulate --out x.tif --bits 16
echo "test_simulate_rig: all checks passed"
