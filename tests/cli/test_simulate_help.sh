# `mumloc simulate --help` documents every option, with its default, and exits 0.
source "$(dirname "$0")/lib.sh"

"$MUMLOC" simulate --help >"$SCRATCH/help"
"$MUMLOC" simulate --out x.tif -h | cmp -s - "$SCRATCH/help" || fail "-h differs from --help"

options=(out truth drift-file frames size molecules density seed sample filaments weight-min
         weight-max z-min z-max drift drift-step noise background read-noise em-gain gain offset
         optics threads quiet)
for name in "${options[@]}"; do
  line=$(grep -E -- "^  --$name( |$)" "$SCRATCH/help") || fail "--help does not document --$name"
  case $name in
    out) [[ "$line" == *"(required)"* ]] || fail "--out is not marked required: $line" ;;
    quiet) ;;
    *) [[ "$line" == *"(default "* ]] || fail "--$name shows no default: $line" ;;
  esac
done
grep -Eq -- '^  --noise physical\|none ' "$SCRATCH/help" || fail "--noise does not list its choices"
grep -Eq -- '^  --sample uniform\|helix\|filaments ' "$SCRATCH/help" ||
  fail "--sample does not list its choices"
grep -Eq -- '^  --size W\[xH\] .*\(default [0-9]+x[0-9]+\)' "$SCRATCH/help" ||
  fail "--size shows no WxH default"
grep -q 'plane_depth_nm' "$SCRATCH/help" || fail "--help does not describe the default optics"
grep -Eq '[0-9][eE][+-]?[0-9]' "$SCRATCH/help" && fail "--help prints a number in exponent notation"
echo "ok: simulate --help"
