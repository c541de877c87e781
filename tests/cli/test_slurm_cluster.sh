# A real single-node SLURM (Debian's slurm-wlm with munge): slurmctld and slurmd on localhost,
# started here as root from a generated slurm.conf (no cgroups: proctrack/linuxproc, task/none) with
# a fresh munge key, all state in a temporary folder that is removed afterwards with the daemons.
# scripts/slurm/submit-movie.sh submits a movie in 4 frame-range tasks and the dependent merge;
# the merged table must equal a single-process `mumloc localize` of the whole movie, byte for byte.
# Skipped (exit 77) only where SLURM cannot start: not root, not installed, or daemons that do not
# come up (their logs are printed).
source "$(dirname "$0")/lib.sh"
SKIP=77
skip() {
  echo "SKIP: SLURM cannot start here: $*"
  exit $SKIP
}
[ "$(id -u)" -eq 0 ] || skip "the daemons need root (run the tests as root, as CI does)"
for tool in munged slurmctld slurmd sbatch squeue scontrol; do
  command -v "$tool" >/dev/null || skip "$tool is not installed (scripts/install-deps.sh installs slurm-wlm and munge)"
done
REPO=$(cd "$TESTS_CLI_DIR/../.." && pwd)
STATE=$(mktemp -d /tmp/mumloc-slurm.XXXXXX) # short: munge's socket path must fit in sun_path
chmod 700 "$STATE"
pids=()
stop_cluster() {
  if [ -n "${SLURM_CONF:-}" ] && [ -f "$SLURM_CONF" ]; then
    scancel --quiet --user=root 2>/dev/null || true
  fi
  for ((i = ${#pids[@]} - 1; i >= 0; i--)); do kill "${pids[$i]}" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do
    for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$pid" 2>/dev/null || true
  done
  rm -rf "$STATE" "$SCRATCH"
}
trap stop_cluster EXIT
logs() {
  for f in "$STATE"/*.log; do echo "--- $f"; tail -n 30 "$f"; done
}
wait_for() {  # wait_for SECONDS WHAT COMMAND...: polls COMMAND every 0.2 s
  local seconds=$1 what=$2; shift 2
  for _ in $(seq $((seconds * 5))); do "$@" >/dev/null 2>&1 && return 0; sleep 0.2; done
  echo "timed out after $seconds s waiting for $what" >&2
  return 1
}

# munge: a private daemon with a fresh key and socket
head -c 1024 /dev/urandom >"$STATE/munge.key"
chmod 600 "$STATE/munge.key"
munged --force --key-file="$STATE/munge.key" --socket="$STATE/munge.sock" --pid-file="$STATE/munged.pid" \
  --log-file="$STATE/munged.log" --seed-file="$STATE/munged.seed" >"$STATE/munged.out.log" 2>&1 ||
  { logs; skip "munged did not start"; }
wait_for 10 "munged's pid file" test -s "$STATE/munged.pid" || { logs; skip "munged did not start"; }
pids+=("$(cat "$STATE/munged.pid")")

# slurm.conf: this host as controller and only node, free ports, no cgroups, no accounting
host=$(hostname -s)
read -r cpus memory < <(slurmd -C | awk '/^NodeName/ { for (i = 1; i <= NF; i++) { split($i, kv, "=");
  v[kv[1]] = kv[2] } print v["CPUs"], v["RealMemory"] }')
port=$((20000 + RANDOM % 20000))
mkdir -p "$STATE/ctld" "$STATE/spool"
export SLURM_CONF="$STATE/slurm.conf"
cat >"$SLURM_CONF" <<CONF
ClusterName=mumloc-test
SlurmctldHost=$host(127.0.0.1)
SlurmctldPort=$port
SlurmdPort=$((port + 1))
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
CredType=cred/munge
AuthInfo=socket=$STATE/munge.sock
StateSaveLocation=$STATE/ctld
SlurmdSpoolDir=$STATE/spool
SlurmctldPidFile=$STATE/slurmctld.pid
SlurmdPidFile=$STATE/slurmd.pid
SlurmctldLogFile=$STATE/slurmctld.log
SlurmdLogFile=$STATE/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
SchedulerType=sched/builtin
MpiDefault=none
SwitchType=switch/none
ReturnToService=2
MinJobAge=600
SlurmdTimeout=30
NodeName=$host NodeAddr=127.0.0.1 CPUs=$cpus RealMemory=$memory State=UNKNOWN
PartitionName=test Nodes=$host Default=YES MaxTime=INFINITE State=UP
CONF
slurmctld -D -i -f "$SLURM_CONF" >"$STATE/slurmctld.out.log" 2>&1 &
pids+=($!)
slurmd -D -f "$SLURM_CONF" -N "$host" >"$STATE/slurmd.out.log" 2>&1 &
pids+=($!)
idle() { sinfo -h -N -o %t | grep -qx idle; }
wait_for 30 "the node to come up idle" idle || { logs; skip "slurmctld and slurmd did not come up"; }
echo "SLURM $(sinfo --version | cut -d' ' -f2) up on $host ($cpus CPUs), port $port"

# the movie, and the single-process reference
cd "$SCRATCH"
"$MUMLOC" simulate --out movie.tif --truth truth.csv --frames 24 --size 32 --molecules 6 --seed 5 \
  --threads 1 --quiet >/dev/null
"$MUMLOC" localize --in movie.tif --out whole.csv --threads 1 --quiet >/dev/null || fail "localize"

# 4 tasks and the merge, through the shipped submit script
ids=$(MUMLOC="$MUMLOC" MUMLOC_SBATCH="--cpus-per-task=1" bash "$REPO/scripts/slurm/submit-movie.sh" movie.tif 24 4 \
  merged.csv | tail -n 1) || { logs; fail "submit-movie.sh failed"; }
read -r array merge <<<"$ids"
echo "array job $array, merge job $merge"
done_queue() { [ -z "$(squeue -h -o %i)" ]; }
wait_for 120 "the jobs to finish" done_queue || { squeue; logs; fail "jobs still queued or running"; }
states=$(scontrol show job "$array" | grep -o 'JobState=[A-Z]*' | sort | uniq -c | tr -s ' ')
scontrol show job "$merge" | grep -q 'JobState=COMPLETED' ||
  { cat mumloc-*.out 2>/dev/null; scontrol show job "$merge"; logs; fail "merge job: $(scontrol show job "$merge" | grep -o 'JobState=[A-Z]*')"; }
[ "$(echo "$states" | tr -d '\n')" = " 4 JobState=COMPLETED" ] || { cat mumloc-*.out; fail "array tasks: $states"; }
[ "$(ls merged.parts/*.csv | wc -l)" -eq 4 ] || fail "parts: $(ls merged.parts)"
cmp -s whole.csv merged.csv || fail "the merged table of 4 SLURM tasks differs from the single run"
python3 - merged.csv.json <<'PY' || fail "merged sidecar: $(cat merged.csv.json)"
import json, sys
parts = json.load(open(sys.argv[1]))["parts"]
assert [(p["first_frame"], p["last_frame"]) for p in parts] == [(1, 6), (7, 12), (13, 18), (19, 24)], parts
PY
echo "SLURM: 4 array tasks + dependent merge = single run ($(($(wc -l <whole.csv) - 1)) localizations)"
