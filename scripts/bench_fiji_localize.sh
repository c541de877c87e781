#!/usr/bin/env bash
# Time and peak memory of a headless Fiji localize ("MUMLoc Localize" with csv= and render=yes, as a
# macro runs it) of a 256x256x4 movie with many localizations, then the output half alone (results
# table, CSV, rendering of that table): the cost of moving the table between Java and the library.
# Usage: scripts/bench_fiji_localize.sh JAR MUMLOC_CLI OUT_DIR [FRAMES] [MOLECULES]
set -euo pipefail
jar=$(realpath "$1"); cli=$(realpath "$2"); out=$3; frames=${4:-200}; molecules=${5:-150}
mkdir -p "$out"; out=$(realpath "$out")
ij=/usr/share/maven-repo/net/imagej/ij/1.52i/ij-1.52i.jar
here=$(cd "$(dirname "$0")" && pwd)
movie=$out/movie.tif
[ -f "$movie" ] || "$cli" simulate --out "$movie" --size 256x256 --frames "$frames" --molecules "$molecules" \
    --seed 3 --quiet >/dev/null
mkdir -p "$out/classes"
javac -d "$out/classes" -cp "$jar:$ij" "$here/fiji_bench/FijiLocalize.java" "$here/fiji_bench/FijiOutput.java"
model=$(dirname "$here")/test-data/default-model.safetensors
options="in=[$movie] model=[$model] device=cpu refine=none csv=[$out/fiji.csv] render=yes png=[$out/fiji.png]"
/usr/bin/time -f "peak_rss_kb %M" java -Djava.awt.headless=true -Xmx4g -cp "$out/classes:$jar:$ij" FijiLocalize "$options" \
    2>&1 | grep -E "wall|peak_rss|localizations|rror"
# The output half alone (results table, CSV, rendering of the table just written), 5 times.
/usr/bin/time -f "output peak_rss_kb %M" java -Djava.awt.headless=true -Xmx4g -cp "$out/classes:$jar:$ij" FijiOutput \
    "$out/fiji.csv" "$out" 5 2>&1 | grep -E "rows|peak_rss|rror"
