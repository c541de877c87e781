#!/bin/bash
# Submits one movie to SLURM in TASKS frame ranges (localize-frames.sbatch) and the merge that runs
# when all of them succeeded (merge.sbatch): OUT.csv (and OUT.csv.json) in the end, the parts in
# OUT.parts/.
#
#   scripts/slurm/submit-movie.sh MOVIE FRAMES TASKS OUT.csv [mumloc localize options]
#
# $MUMLOC_SBATCH holds sbatch options for the localization tasks, e.g. "--partition=gpu
# --gres=gpu:1 --cpus-per-task=4" (one GPU per task; pass --device cuda to mumloc); sbatch's own
# environment variables (SBATCH_ACCOUNT, SBATCH_TIMELIMIT, ...) apply to every job. Prints the two job ids ("ARRAY_ID MERGE_ID") on its last line.
set -euo pipefail
usage="usage: $0 MOVIE FRAMES TASKS OUT.csv [mumloc localize options]"
movie=${1:?$usage}
frames=${2:?$usage}
tasks=${3:?$usage}
out=${4:?$usage}
shift 4
[[ $frames =~ ^[1-9][0-9]*$ && $tasks =~ ^[1-9][0-9]*$ ]] || { echo "$usage (FRAMES, TASKS: positive integers)" >&2; exit 2; }
[ -f "$movie" ] || { echo "$0: no such movie: $movie" >&2; exit 2; }
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
movie=$(realpath "$movie")
out=$(realpath -m "$out")
parts=${out%.csv}.parts
mkdir -p "$parts"
array=$(sbatch --parsable --array=0-$((tasks - 1)) ${MUMLOC_SBATCH:-} "$here/localize-frames.sbatch" "$movie" "$frames" \
  "$parts" "$@")
array=${array%%;*}
merge=$(sbatch --parsable --dependency=afterok:"$array" "$here/merge.sbatch" "$out" "$parts")
echo "$array ${merge%%;*}"
