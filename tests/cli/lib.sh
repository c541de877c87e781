# Shared by the CLI tests (sourced, not run): a scratch folder removed on exit, and checks that
# print what went wrong before failing. The test scripts take the mumloc binary as $1.
set -euo pipefail

MUMLOC=${1:?usage: bash $0 PATH_TO_MUMLOC}
[ -f "$MUMLOC" ] && [ -x "$MUMLOC" ] || { echo "not an executable: $MUMLOC" >&2; exit 1; }
MUMLOC="$(cd "$(dirname "$MUMLOC")" && pwd)/$(basename "$MUMLOC")"  # the tests change folders
SCRATCH=$(mktemp -d "${TMPDIR:-/tmp}/mumloc-cli-test.XXXXXX")
trap 'rm -rf "$SCRATCH"' EXIT
TESTS_CLI_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)

fail() {
  echo "FAIL: $*" >&2
  exit 1
}

# A small, quick movie; extra arguments are appended (later options win).
small_movie() {  # small_movie OUT_PREFIX [options...]
  local prefix=$1; shift
  "$MUMLOC" simulate --out "$prefix.tif" --truth "$prefix.csv" --drift-file "$prefix.drift.csv" \
    --frames 6 --size 20x16 --molecules 5 --seed 11 --threads 1 --quiet "$@" >/dev/null
}

# Runs mumloc with the given arguments in an empty folder and checks the failure: exit code
# 2 (or $EXPECT_RC), exactly one line on stderr that matches PATTERN (extended regex), nothing on
# stdout, no file left behind.
expect_error() {  # expect_error PATTERN ARGS...
  local pattern=$1; shift
  local dir="$SCRATCH/error-case"
  rm -rf "$dir"; mkdir "$dir"
  local rc=0
  (cd "$dir" && "$MUMLOC" "$@" >"$SCRATCH/stdout" 2>"$SCRATCH/stderr") || rc=$?
  local expected_rc=${EXPECT_RC:-2}
  [ "$rc" -eq "$expected_rc" ] ||
    fail "mumloc $* exited with $rc, expected $expected_rc; stderr: $(cat "$SCRATCH/stderr")"
  [ "$(wc -l <"$SCRATCH/stderr")" -eq 1 ] ||
    fail "mumloc $* should print exactly one error line, printed: $(cat "$SCRATCH/stderr")"
  grep -Eq -- "$pattern" "$SCRATCH/stderr" ||
    fail "mumloc $*: error '$(cat "$SCRATCH/stderr")' does not match /$pattern/"
  [ ! -s "$SCRATCH/stdout" ] || fail "mumloc $* printed to stdout: $(cat "$SCRATCH/stdout")"
  [ -z "$(ls -A "$dir")" ] || fail "mumloc $* left files behind: $(ls -A "$dir")"
}
