#!/usr/bin/env bash
# Stages the plugin jar's native libraries: the given libraries (libmumloc.so, libmumloc_cuda.so when
# built) and every library they need that is not part of glibc, found with ldd (so whatever this
# machine resolves is what travels), copied under their sonames beside each other. libmumloc.so's
# RPATH $ORIGIN makes the loader find them there. Writes natives.list (version, glibc floor, and
# each file's name, size, SHA-256), which the Java loader reads to extract and check its cache.
#
# Usage: scripts/bundle-natives.sh OUT_DIR VERSION LIBRARY... [--optional LIBRARY...]
#        (libraries after --optional are skipped when absent, e.g. a CUDA backend not built yet)
# Left to the user: glibc itself, and the NVIDIA driver and cuDNN (libcuda, libcudnn*), which must
# match the user's GPU and driver.
set -euo pipefail
out=${1:?usage: bundle-natives.sh OUT_DIR VERSION LIBRARY...}
version=${2:?usage: bundle-natives.sh OUT_DIR VERSION LIBRARY...}
shift 2
[ $# -gt 0 ] || { echo "bundle-natives.sh: no library given" >&2; exit 2; }

# glibc's own objects (always the user's: they must match the system's ld.so) and the GPU stack.
is_users() {
    case "$1" in
        linux-vdso.so.*|ld-linux*.so.*|libc.so.*|libm.so.*|libdl.so.*|librt.so.*|libpthread.so.*) return 0 ;;
        libresolv.so.*|libutil.so.*|libanl.so.*|libmvec.so.*) return 0 ;;
        libcuda.so.*|libcudnn*.so*|libnvidia-*.so*) return 0 ;;
    esac
    return 1
}

# One staging at a time (libmumloc.so and libmumloc_cuda.so may finish linking together).
mkdir -p "$(dirname "$out")"
exec 9>"$out.lock"
flock 9
staging="$out.tmp.$$"
rm -rf "$staging"
mkdir -p "$staging"
trap 'rm -rf "$staging"' EXIT
optional=0
for lib in "$@"; do
    if [ "$lib" = "--optional" ]; then optional=1; continue; fi
    if [ ! -f "$lib" ]; then
        [ $optional -eq 1 ] && continue
        echo "bundle-natives.sh: no such library: $lib" >&2
        exit 1
    fi
    cp -L "$lib" "$staging/$(basename "$lib")"
    # ldd lists the whole closure: "soname => path (address)" or "soname => not found"
    while read -r name arrow path _; do
        [ "$arrow" = "=>" ] || continue
        is_users "$name" && continue
        if [ "$path" = "not" ]; then
            echo "bundle-natives.sh: $lib needs $name, which this machine does not have" >&2
            exit 1
        fi
        [ -e "$staging/$name" ] || cp -L "$path" "$staging/$name"
    done < <(ldd "$lib")
done

# The oldest glibc these run on: the newest GLIBC_x.y symbol version any of them asks for.
glibc=$(objdump -T "$staging"/* | grep -o 'GLIBC_[0-9][0-9.]*' | sed 's/GLIBC_//' | sort -uV | tail -n 1)
list=$(mktemp)
{
    echo "# The plugin's native libraries (scripts/bundle-natives.sh): file NAME SIZE SHA-256"
    echo "version $version"
    echo "glibc $glibc"
    for f in "$staging"/*; do
        echo "file $(basename "$f") $(stat -c %s "$f") $(sha256sum "$f" | cut -d ' ' -f 1)"
    done
} >"$list"
mv "$list" "$staging/natives.list"
rm -rf "$out"
mv "$staging" "$out"
trap - EXIT
echo "bundle-natives.sh: $(ls "$out" | grep -vc '^natives.list$') libraries in $out ($(du -sh "$out" | cut -f 1)), glibc >= $glibc"
