#!/usr/bin/env bash
# The plugin jar alone, on a system without the libraries it carries: in a private mount namespace the
# system's copies of libdnnl, libpng16, libgomp and libOpenCL are bound over by empty files, then a
# headless JVM with only ImageJ and the jar on its class path runs MUMLoc Simulate -> Localize ->
# Render (tests/jar/SelfContainedRun.java). Also checked there: the build's own libmumloc.so, which
# uses the system's copies, fails with a message naming the missing library; two JVMs starting at once
# share one cache folder; and, with libstdc++, libgcc_s and libz hidden too (a program that needs none
# of them: Debian's JVM itself does), every library resolves inside the cache folder and OpenMP's
# idle threads still sleep (tests/runtime/test_omp_wait_policy.c on the extracted copy).
#
# Usage: tests/jar/test_self_contained.sh TARGET_DIR BUILD_DIR   (e.g. target build)
# Needs root for unshare --mount; skipped (exit 0, with a message saying why) where that is refused.
set -uo pipefail

here=$(cd "$(dirname "$0")" && pwd)
if [ "${1:-}" = "--inside" ]; then inside=1; shift; else inside=0; fi
target=${1:?usage: test_self_contained.sh TARGET_DIR BUILD_DIR}
build=${2:?usage: test_self_contained.sh TARGET_DIR BUILD_DIR}
ij_jar=${IJ_JAR:-/usr/share/java/ij.jar}
die() { echo "self-contained jar test: $*" >&2; exit 1; }

if [ $inside -eq 0 ]; then
    jar=$(ls "$target"/MUMLoc_-*.jar 2>/dev/null | head -n 1)
    [ -n "$jar" ] || die "no plugin jar $target/MUMLoc_-*.jar (run: make jar)"
    [ -f "$ij_jar" ] || die "no ImageJ at $ij_jar (apt install libij-java)"
    [ -f "$build/lib/libmumloc.so" ] || die "no $build/lib/libmumloc.so (run: make native)"
    if [ "$(id -u)" -ne 0 ] || ! unshare --mount --propagation private true 2>/dev/null; then
        echo "self-contained jar test SKIPPED: hiding the system libraries needs 'unshare --mount' as root," \
             "which this machine refuses (user $(id -un))"
        exit 0
    fi
    exec unshare --mount --propagation private -- bash "$0" --inside "$(cd "$target" && pwd)" "$(cd "$build" && pwd)"
fi

# --- inside the private mount namespace ---------------------------------------------------------------
jar=$(ls "$target"/MUMLoc_-*.jar | head -n 1)
work=$(mktemp -d "${TMPDIR:-/tmp}/mumloc-jar.XXXXXX") || die "cannot create a temporary directory"
[ -n "${KEEP_WORK:-}" ] && echo "keeping $work" || trap 'rm -rf "$work"' EXIT
: >"$work/empty"
failures=0
passes=0
fail() { echo "FAIL [$current] $*" >&2; failures=$((failures + 1)); }
pass() { passes=$((passes + 1)); }
show() { echo "---- $1 ----" >&2; sed 's/^/    /' "$1" | tail -n 30 >&2; }

# hide SONAME...: binds an empty file over the system's copy (the file its ldconfig link points to)
hide() {
    local name path
    for name in "$@"; do
        path=$(ldconfig -p | awk -v n="$name" '$1 == n && /x86-64/ { print $NF; exit }')
        [ -n "$path" ] || { echo "  ($name is not installed here: nothing to hide)"; continue; }
        mount --bind "$work/empty" "$(readlink -f "$path")" || die "cannot hide $path"
        echo "  hidden: $path"
    done
}
jvm() { # jvm LOG CLASSPATH ARGS...: the driver in a headless JVM with a private home
    local log=$1 cp=$2; shift 2
    env -u OMP_WAIT_POLICY -u GOMP_SPINCOUNT timeout 300 java -Xmx1g -Djava.awt.headless=true -Duser.home="$work/home" -cp "$cp" \
        "$here/SelfContainedRun.java" "$@" >"$log" 2>&1
}

echo "hiding the libraries the JVM does not need itself:"
hide libdnnl.so.2 libpng16.so.16 libgomp.so.1 libOpenCL.so.1
mkdir -p "$work/home"

# 1. The build's libmumloc.so (which uses the system's libraries) no longer loads, and the loader's
#    message names the library it misses. The jar's classes without its natives, to see that failure.
current="hidden libraries are missed"
mkdir -p "$work/classes"
(cd "$work/classes" && jar xf "$jar" && rm -rf natives) || die "cannot unpack $jar"
timeout 300 java -Xmx256m -Djava.awt.headless=true -Duser.home="$work/home" -Dmumloc.library="$build/lib/libmumloc.so" \
    -cp "$ij_jar:$work/classes" "$here/SelfContainedRun.java" load >"$work/missing.log" 2>&1
rc=$?
[ $rc -eq 3 ] && pass || fail "the build's library loaded (exit $rc) although its libraries are hidden"
grep -qE '=> the library (libdnnl\.so\.2|libpng16\.so\.16|libgomp\.so\.1|libOpenCL\.so\.1) found on this system is damaged' \
    "$work/missing.log" && pass || { fail "the failure does not name the hidden library"; show "$work/missing.log"; }

# 2. Simulate -> Localize -> Render from the jar alone.
current="pipeline from the jar"
out="$work/out"; mkdir -p "$out"
XDG_CACHE_HOME="$work/cache" jvm "$work/pipeline.log" "$ij_jar:$jar" pipeline "$out"
rc=$?
before=$failures
[ $rc -eq 0 ] && pass || fail "the pipeline JVM failed (exit $rc)"
grep -qx 'done' "$work/pipeline.log" && pass || fail "the pipeline did not finish"
grep -q "^loadedFrom=plugin jar (natives/linux64/, extracted to $work/cache/mumloc/0" "$work/pipeline.log" && pass ||
    fail "not loaded from the jar's copy in \$XDG_CACHE_HOME/mumloc: $(grep loadedFrom "$work/pipeline.log")"
grep -qx 'ompWaitPolicy=passive' "$work/pipeline.log" && pass ||
    fail "OpenMP's pool is not passive in the JVM (the library's constructor did not run first)"
grep -q 'Exception' "$work/pipeline.log" && fail "an exception was logged" || pass
[ -s "$out/movie.tif" ] && [ -s "$out/truth.csv" ] && pass || fail "Simulate wrote no movie.tif / truth.csv"
rows=$(($(wc -l <"$out/localizations.csv" 2>/dev/null || echo 0) - 1))
[ "$rows" -gt 0 ] && pass || fail "Localize found nothing (rows: $rows)"
[ "$(head -c 8 "$out/render.png" 2>/dev/null | od -An -tx1 | tr -d ' \n')" = 89504e470d0a1a0a ] && pass ||
    fail "render.png is not a PNG"
[ $failures -gt $before ] && show "$work/pipeline.log"
folder=$(ls -d "$work/cache/mumloc"/0* 2>/dev/null | head -n 1)

# 3. Two JVMs at once with an empty cache: both load, one folder, no temporary leftovers.
current="two JVMs at once"
before=$failures
XDG_CACHE_HOME="$work/cache2" jvm "$work/first.log" "$ij_jar:$jar" load & first=$!
XDG_CACHE_HOME="$work/cache2" jvm "$work/second.log" "$ij_jar:$jar" load & second=$!
wait $first && pass || fail "the first JVM failed"
wait $second && pass || fail "the second JVM failed"
[ "$(grep loadedFrom "$work/first.log")" = "$(grep loadedFrom "$work/second.log")" ] && pass ||
    fail "they loaded from different places"
left=$(ls -A "$work/cache2/mumloc" 2>/dev/null | tr '\n' ' ')
[ "$left" = "$(basename "$folder") " ] && pass || fail "the cache holds '$left', expected one folder $(basename "$folder")"
[ $failures -gt $before ] && { show "$work/first.log"; show "$work/second.log"; }

# 4. Everything the libraries need resolves inside the cache folder, with the C++ runtime and zlib
#    hidden as well; the OpenMP pool of the extracted copy still sleeps (its -z initfirst constructor).
current="closure inside the cache folder"
before=$failures
if [ -z "$folder" ]; then
    fail "no cache folder to check"
elif [ ! -x "$build/bin/test_omp_wait_policy" ]; then
    fail "no $build/bin/test_omp_wait_policy (run: make native)"
else
    unshare --mount -- bash -c '
        empty=$1; shift
        for name in libstdc++.so.6 libgcc_s.so.1 libz.so.1; do
            path=$(ldconfig -p | awk -v n="$name" "\$1 == n && /x86-64/ { print \$NF; exit }")
            [ -n "$path" ] && mount --bind "$empty" "$(readlink -f "$path")"
        done
        # libmumloc.so is the entry point: the others are loaded through it (its RPATH $ORIGIN)
        echo "== ldd"; ldd "$0/libmumloc.so"
        echo "== omp"
        env -u OMP_WAIT_POLICY -u GOMP_SPINCOUNT "$1" "$0/libmumloc.so"
    ' "$folder" "$work/empty" "$build/bin/test_omp_wait_policy" >"$work/closure.log" 2>&1
    rc=$?
    [ $rc -eq 0 ] && pass || fail "test_omp_wait_policy on the extracted libmumloc.so failed (exit $rc)"
    grep -E 'not found|error while loading' "$work/closure.log" && fail "a library is not found" || pass
    outside=$(grep '=>' "$work/closure.log" | grep -v "=> $folder/" |
        grep -vE '^\s*(libc|libm|libdl|librt|libpthread|ld-linux[^ ]*|linux-vdso)\.so' |
        sort -u)
    [ -z "$outside" ] && pass || fail "resolved outside the cache folder: $outside"
    grep -q '^policy passive' "$work/closure.log" && pass || fail "the bundled libgomp did not start passive"
    [ $failures -gt $before ] && show "$work/closure.log"
fi

echo "self-contained jar test: $passes checks passed, $failures failed"
[ $failures -eq 0 ]
