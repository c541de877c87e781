# The top level of `mumloc`: --help, --version, unknown commands and options.
source "$(dirname "$0")/lib.sh"

"$MUMLOC" --help >"$SCRATCH/help"
grep -q '^Usage: mumloc <command>' "$SCRATCH/help" || fail "mumloc --help has no usage line"
grep -Eq '^  simulate +[a-z]' "$SCRATCH/help" || fail "mumloc --help does not list simulate"

version=$("$MUMLOC" --version)
[[ "$version" =~ ^mumloc\ [0-9]+\.[0-9]+\.[0-9]+ ]] || fail "unexpected --version output: $version"

# OpenMP's idle threads sleep rather than spin (the CLI re-executes itself with the policy set),
# unless the user chose a policy.
policy=$(env -u OMP_WAIT_POLICY -u GOMP_SPINCOUNT "$MUMLOC" --version)
grep -q 'OpenMP wait policy: passive$' <<<"$policy" || fail "default wait policy not passive: $policy"
policy=$(OMP_WAIT_POLICY=active "$MUMLOC" --version)
grep -q 'OpenMP wait policy: active$' <<<"$policy" || fail "the user's wait policy was overridden: $policy"

help=$("$MUMLOC" help simulate) # whole, not piped into grep -q (a broken pipe under pipefail)
grep -q "^Usage: mumloc simulate" <<<"$help" || fail "mumloc help simulate"

expect_error "unknown command 'frobnicate'; commands are: .*simulate" frobnicate
expect_error "missing command; commands are: .*simulate"
expect_error "unknown option '--frobnicate'" --frobnicate
echo "ok: dispatch"
