#!/usr/bin/env bash
# Installs every Debian package mumloc's build, tests, demo and benchmarks need.
# Idempotent and quiet when everything is already there; called by the Makefile.
set -euo pipefail

PACKAGES=(
  build-essential cmake pkg-config            # C library, CLI, C tests
  zlib1g-dev libpng-dev                       # PNG output of renderings
  libdnnl-dev                                 # oneDNN: CPU convolutions (engine)
  default-jdk-headless maven                  # Fiji plugin build (offline Maven), JNI headers
  libij-java junit5                           # ImageJ 1.53t and JUnit 5 in /usr/share/maven-repo
  libmaven-compiler-plugin-java libsurefire-java
  libmaven-jar-plugin-java libmaven-resources-plugin-java
  xvfb xauth                                  # ImageJ batch-mode macro tests
  slurm-wlm munge                             # the single-node SLURM test (scripts/slurm/)
  clang libclang-rt-dev                       # sanitizer build and libFuzzer (make fuzz)
)

missing=()
for p in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

echo "install-deps: installing ${missing[*]}"
SUDO=""
[ "$(id -u)" -ne 0 ] && SUDO="sudo"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
