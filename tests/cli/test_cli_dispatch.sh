# The top level of `mumloc`: --help, --version, unknown commands and options.
source "$(dirname "$0")/lib.sh"

"$MUMLOC" --help >"$SCRATCH/help"
grep -q '^Usage: mumloc <command>' "$SCRATCH/help" || fail "mumloc --help has no usage line"
grep -Eq '^  simulate +[a-z]' "$SCRATCH/help" || fail "mumloc --help does not list simulate"

version=$("$MUMLOC" --version)
[[ "$version" =~ ^mumloc\ [0-9]+\.[0-9]+\.[0-9]+ ]] || fail "unexpected --version output: $version"

"$MUMLOC" help simulate | grep -q '^Usage: mumloc simulate' || fail "mumloc help simulate"

expect_error "unknown command 'frobnicate'; commands are: .*simulate" frobnicate
expect_error "missing command; commands are: .*simulate"
expect_error "unknown option '--frobnicate'" --frobnicate
echo "ok: dispatch"
