# The library's folders are floors: a file may include headers from its own floor and the floors
# below it, never from a floor above (no include circles between concerns). The order, lowest first:
floors=(core io optics rig table render postprocess simulate backend nn model fit decode cs localize
        train calibrate eval jni)
source "$(dirname "$0")/lib.sh"
root="$(cd "$(dirname "$0")/../.." && pwd)/native/src"
declare -A rank
for i in "${!floors[@]}"; do rank[${floors[$i]}]=$i; done
for dir in "$root"/*/; do
  name=$(basename "$dir")
  [ -n "${rank[$name]+x}" ] || fail "native/src/$name is on no floor: add it to tests/cli/test_source_floors.sh (and the README's Architecture)"
done
bad=0
while IFS= read -r -d '' file; do
  from=${file#"$root"/}; from=${from%%/*}
  while IFS= read -r target; do
    [ -n "${rank[$target]+x}" ] || continue
    if [ "${rank[$target]}" -gt "${rank[$from]}" ]; then
      echo "native/src/${file#"$root"/} ($from) includes a header of $target, a higher floor" >&2
      bad=1
    fi
  done < <(sed -n 's|^#include "\([a-z_]*\)/.*|\1|p' "$file" | sort -u)
done < <(find "$root" -type f \( -name '*.c' -o -name '*.h' -o -name '*.cu' -o -name '*.cuh' \) -print0)
[ $bad -eq 0 ] || fail "includes run from a lower floor to a higher one (see above)"
echo "test_source_floors: all checks passed"
