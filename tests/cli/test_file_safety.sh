# Files are compared by what they are, not how they are spelled: every command refuses, before any
# work and with exit 2, an output that is one of its inputs (through "./", "sub/..", a symbolic link
# or a hard link) or another output, an existing directory as output, and a FIFO, device or
# directory as input; the inputs are left untouched. `--resume` may still name `--out`.
source "$(dirname "$0")/lib.sh"

# Every call ends within 30 s: a reader blocked on a FIFO fails the test (exit 124), never hangs it.
REAL_MUMLOC=$MUMLOC
printf '#!/bin/sh\nexec timeout 30 "%s" "$@"\n' "$REAL_MUMLOC" >"$SCRATCH/mumloc-with-timeout"
chmod +x "$SCRATCH/mumloc-with-timeout"
MUMLOC="$SCRATCH/mumloc-with-timeout"

IN="$SCRATCH/in"
mkdir -p "$IN/sub" "$IN/dir.png" "$IN/dir.tif" "$IN/dir.csv" "$IN/dir.json" "$IN/dir.safetensors"
small_movie "$IN/mv"
cp "$TESTS_CLI_DIR/../../test-data/default-model.safetensors" "$IN/model.safetensors"
printf '{"planes": 4}\n' >"$IN/optics.json"
ln -s mv.tif "$IN/link.tif"
ln "$IN/mv.tif" "$IN/hard.tif"
ln "$IN/mv.csv" "$IN/table-link.png"
ln -s mv.csv "$IN/table-link.tif"
mkfifo "$IN/fifo"
mkdir "$SCRATCH/pristine"
cp "$IN/mv.tif" "$IN/mv.csv" "$IN/model.safetensors" "$IN/optics.json" "$SCRATCH/pristine/"
M="$IN/model.safetensors"

# An output that is an input, however named.
same="is the same file as"
expect_error "^mumloc localize: --out '$IN/./mv.tif' $same --in '$IN/mv.tif': writing it would destroy the input" \
  localize --in "$IN/mv.tif" --out "$IN/./mv.tif" --model "$M"
expect_error "^mumloc localize: --out '$IN/mv.tif' $same --in '$IN/link.tif'" \
  localize --in "$IN/link.tif" --out "$IN/mv.tif" --model "$M"
expect_error "^mumloc localize: --out '$IN/hard.tif' $same --in '$IN/mv.tif'" \
  localize --in "$IN/mv.tif" --out "$IN/hard.tif" --model "$M"
expect_error "^mumloc localize: --out '$IN/sub/../model.safetensors' $same --model '$M'" \
  localize --in "$IN/mv.tif" --out "$IN/sub/../model.safetensors" --model "$M"
expect_error "^mumloc localize: --drift-out '$IN/link.tif' $same --in '$IN/mv.tif'" \
  localize --in "$IN/mv.tif" --out x.csv --model "$M" --refine drift --drift-out "$IN/link.tif"
expect_error "^mumloc evaluate: --out '$IN/./mv.csv' $same --truth '$IN/mv.csv'" \
  evaluate --truth "$IN/mv.csv" --in "$IN/mv.csv" --out "$IN/./mv.csv"
expect_error "^mumloc render: --out '$IN/table-link.png' $same --in '$IN/mv.csv'" \
  render --in "$IN/mv.csv" --out "$IN/table-link.png"
expect_error "^mumloc render: --zstack '$IN/table-link.tif' $same --in '$IN/mv.csv'" \
  render --in "$IN/mv.csv" --out x.png --zstack "$IN/table-link.tif"
expect_error "^mumloc simulate: --truth '$IN/./optics.json' $same --optics '$IN/optics.json'" \
  simulate --optics "$IN/optics.json" --out x.tif --truth "$IN/./optics.json" --frames 1 --size 8
expect_error "^mumloc train: --out '$IN/./optics.json' $same --optics '$IN/optics.json'" \
  train --arch voxel --optics "$IN/optics.json" --out "$IN/./optics.json" --steps 1
expect_error "^mumloc train: --checkpoint '$IN/optics.json' $same --optics '$IN/optics.json'" \
  train --arch voxel --optics "$IN/optics.json" --out x.safetensors --checkpoint "$IN/optics.json"
# Two outputs that are one file, though neither exists yet.
expect_error "^mumloc simulate: --out '$IN/new.tif' and --truth '$IN/sub/../new.tif' name the same file" \
  simulate --out "$IN/new.tif" --truth "$IN/sub/../new.tif" --frames 1 --size 8
for f in mv.tif mv.csv model.safetensors optics.json; do
  cmp -s "$IN/$f" "$SCRATCH/pristine/$f" || fail "$f was changed"
done
[ ! -e "$IN/new.tif" ] || fail "simulate wrote new.tif"

# Anything but a regular file as input: refused at once (a FIFO would block the reader forever).
fifo="'$IN/fifo' is a FIFO \(named pipe\), not a regular file"
expect_error "^mumloc localize: --in $fifo" localize --in "$IN/fifo" --out x.csv --model "$M"
expect_error "^mumloc localize: --model $fifo" localize --in "$IN/mv.tif" --out x.csv --model "$IN/fifo"
expect_error "^mumloc evaluate: --truth $fifo" evaluate --truth "$IN/fifo" --in "$IN/mv.csv"
expect_error "^mumloc evaluate: --in $fifo" evaluate --truth "$IN/mv.csv" --in "$IN/fifo"
expect_error "^mumloc render: --in $fifo" render --in "$IN/fifo" --out x.png
expect_error "^mumloc info: MODEL $fifo" info "$IN/fifo"
expect_error "^mumloc simulate: --optics $fifo" simulate --optics "$IN/fifo" --out x.tif
expect_error "^mumloc train: --optics $fifo" train --arch voxel --optics "$IN/fifo" --out x.safetensors
expect_error "^mumloc train: --resume $fifo" train --arch voxel --resume "$IN/fifo" --out x.safetensors
expect_error "^mumloc localize: --in '/dev/zero' is a character device" \
  localize --in /dev/zero --out x.csv --model "$M"
expect_error "^mumloc render: --in '/dev/zero' is a character device" render --in /dev/zero --out x.png
expect_error "^mumloc info: MODEL '$IN' is a directory, not a regular file" info "$IN"

# An existing directory as output: refused before the work (no progress line), not after it.
dir="is a directory: give the name of a regular file to write"
expect_error "^mumloc localize: --out '$IN/dir.csv' $dir" \
  localize --in "$IN/mv.tif" --out "$IN/dir.csv" --model "$M" --threads 1
expect_error "^mumloc render: --out '$IN/dir.png' $dir" render --in "$IN/mv.csv" --out "$IN/dir.png"
expect_error "^mumloc simulate: --out '$IN/dir.tif' $dir" simulate --out "$IN/dir.tif" --frames 2 --size 8
expect_error "^mumloc evaluate: --out '$IN/dir.json' $dir" \
  evaluate --truth "$IN/mv.csv" --in "$IN/mv.csv" --out "$IN/dir.json"
expect_error "^mumloc train: --out '$IN/dir.safetensors' $dir" \
  train --arch voxel --size 4 --steps 1 --out "$IN/dir.safetensors"
# a FIFO (or device) as output would be replaced by a plain file: refused, left as it was
expect_error "^mumloc render: --out '$IN/fifo' is a FIFO \(named pipe\): give the name of a regular file" \
  render --in "$IN/mv.csv" --out "$IN/fifo"
[ -p "$IN/fifo" ] || fail "the FIFO was replaced"

# --resume may name --out (read whole before training, replaced at the end): no false alarm.
tiny=(--arch voxel --size 4 --molecules 1 --batch 1 --validation-frames 1 --threads 1 --quiet)
"$MUMLOC" train "${tiny[@]}" --steps 1 --out "$IN/tiny.safetensors" >/dev/null ||
  fail "tiny training failed"
"$MUMLOC" train "${tiny[@]}" --steps 2 --resume "$IN/tiny.safetensors" --out "$IN/./tiny.safetensors" \
  >/dev/null 2>"$SCRATCH/err" || fail "resuming in place failed: $(cat "$SCRATCH/err")"
"$MUMLOC" info "$IN/tiny.safetensors" | grep -cx "train_step: 2" >/dev/null || fail "the resumed model is not at step 2"
echo "test_file_safety: ok"
