#!/bin/bash
# Submits every movie of a folder to SLURM, one task each (localize-folder.sbatch): OUT/NAME.csv
# per movie. With --merge ALL.csv, a job after them all merges the tables into one, with a "movie"
# column (mumloc merge --movies column; the sidecar ALL.csv.json says which movie is which).
#
#   scripts/slurm/submit-folder.sh [--merge ALL.csv] IN OUT [mumloc localize options]
#
# $MUMLOC_SBATCH holds sbatch options for the localization tasks (e.g. "--partition=gpu
# --gres=gpu:1"); sbatch's environment variables (SBATCH_ACCOUNT, SBATCH_TIMELIMIT, ...) apply to
# every job. Prints the job ids ("ARRAY_ID [MERGE_ID]") on its last line.
set -euo pipefail
usage="usage: $0 [--merge ALL.csv] IN OUT [mumloc localize options]"
all=""
if [ "${1:-}" = "--merge" ]; then
  all=${2:?$usage}
  shift 2
fi
in=${1:?$usage}
out=${2:?$usage}
shift 2
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
shopt -s nullglob
movies=("$in"/*.tif "$in"/*.tiff)
((${#movies[@]} > 0)) || { echo "$0: no TIFF movies (*.tif, *.tiff) in $in" >&2; exit 2; }
in=$(realpath "$in")
out=$(realpath -m "$out")
mkdir -p "$out"
array=$(sbatch --parsable --array=0-$((${#movies[@]} - 1)) ${MUMLOC_SBATCH:-} "$here/localize-folder.sbatch" "$in" \
  "$out" "$@")
array=${array%%;*}
if [ -n "$all" ]; then
  merge=$(sbatch --parsable --dependency=afterok:"$array" "$here/merge.sbatch" "$(realpath -m "$all")" \
    "$out" --movies column)
  echo "$array ${merge%%;*}"
else
  echo "$array"
fi
