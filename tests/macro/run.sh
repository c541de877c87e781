#!/usr/bin/env bash
# ImageJ macro tests of the MUMLoc plugin, run against Debian's ImageJ in batch mode under Xvfb:
#   java -Dplugins.dir=<temp plugins folder with the plugin jar> -jar ij.jar -batch <macro> <arg>
# Each macro prints key=value lines; this script checks them and compares the files the plugin wrote
# with those of `mumloc simulate` for the same parameters (they must be byte-identical).
#
# Usage: tests/macro/run.sh TARGET_DIR MUMLOC_CLI     (e.g. tests/macro/run.sh target build/bin/mumloc)
# Exit status: 0 when every check passes; 1 otherwise, each failure named on stderr.
set -uo pipefail

target=${1:?usage: run.sh TARGET_DIR MUMLOC_CLI}
cli=${2:?usage: run.sh TARGET_DIR MUMLOC_CLI}
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
ij_jar=${IJ_JAR:-/usr/share/java/ij.jar}

die() { echo "macro tests: $*" >&2; exit 1; }
jar=$(ls "$target"/MUMLoc_-*.jar 2>/dev/null | head -n 1)
[ -n "$jar" ] || die "no plugin jar $target/MUMLoc_-*.jar (run: mvn -o -q -B -Dmaven.repo.local=/usr/share/maven-repo package)"
[ -x "$cli" ] || die "no mumloc CLI at $cli (run: make native)"
[ -f "$ij_jar" ] || die "no ImageJ at $ij_jar (apt install libij-java)"
command -v xvfb-run >/dev/null || die "xvfb-run not found (apt install xvfb xauth)"
command -v java >/dev/null || die "java not found (apt install openjdk-17-jdk-headless)"
cli=$(cd "$(dirname "$cli")" && pwd)/$(basename "$cli")
build_dir=$(dirname "$(dirname "$cli")")

work=$(mktemp -d "${TMPDIR:-/tmp}/mumloc-macro.XXXXXX") || die "cannot create a temporary directory"
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/plugins" "$work/home"
cp "$jar" "$work/plugins/"

failures=0
passes=0
fail() { echo "FAIL [$current] $*" >&2; failures=$((failures + 1)); }
pass() { passes=$((passes + 1)); }

# run_macro NAME ARG: runs tests/macro/NAME.ijm (or a path) in batch mode; output in $work/NAME.log
run_macro() {
    local macro=$1 arg=$2 name
    name=$(basename "$macro" .ijm)
    [ -f "$macro" ] || macro="$here/$macro.ijm"
    # A private home (ImageJ writes its preferences there); the plugin loads libmumloc.so from its jar.
    timeout 120 xvfb-run -a java -Xmx1g -Djava.awt.headless=false -Duser.home="$work/home" \
        -Dplugins.dir="$work/plugins" -jar "$ij_jar" -batch "$macro" "$arg" >"$work/$name.log" 2>&1
    local rc=$?
    [ $rc -eq 124 ] && fail "$name timed out"
    return 0
}

# expect NAME LINE: the macro printed exactly this line
expect() {
    if grep -qxF -- "$2" "$work/$1.log"; then pass; else
        fail "expected the line '$2'; got: $(grep -E "^${2%%=*}=" "$work/$1.log" | head -n 1)"
    fi
}
expect_text() { if grep -qF -- "$2" "$work/$1.log"; then pass; else fail "expected '$2' in the output"; fi; }
expect_no_text() { if grep -qF -- "$2" "$work/$1.log"; then fail "unexpected '$2' in the output"; else pass; fi; }
same_file() { # same_file A B WHAT
    if [ ! -f "$1" ]; then fail "$3: $1 missing"
    elif [ ! -f "$2" ]; then fail "$3: $2 missing"
    elif cmp -s "$1" "$2"; then pass
    else fail "$3: $1 and $2 differ"; fi
}
show_log() { echo "---- output of $1 ----" >&2; sed 's/^/    /' "$work/$1.log" | tail -n 40 >&2; }

# 1. Simulate with files, from a batch-mode macro; the in-memory movie must equal the file, and the
#    files must equal the CLI's.
current="simulate with files"
out="$work/files"; mkdir -p "$out"
run_macro simulate_files "$out"
before=$failures
expect simulate_files "title=plugin movie.tif"
expect simulate_files "width=32"
expect simulate_files "height=24"
expect simulate_files "channels=4"
expect simulate_files "slices=1"
expect simulate_files "frames=5"
expect simulate_files "bitDepth=32"
expect simulate_files "unit=microns"
expect simulate_files "pixelWidth=0.192000"
expect simulate_files "hasParameters=1"
expect simulate_files "memoryDimensions=32x24x4x1x5"
expect simulate_files "differentPixels=0"
expect simulate_files "done"
"$cli" simulate --out "$out/cli-movie.tif" --truth "$out/cli-truth.csv" --frames 5 --size 32x24 \
    --molecules 3 --seed 11 --sample uniform --noise physical --drift 48 --drift-step 24 --quiet \
    >"$work/cli.log" 2>&1 || fail "mumloc simulate failed: $(cat "$work/cli.log")"
same_file "$out/plugin movie.tif" "$out/cli-movie.tif" "movie"
same_file "$out/plugin-truth.csv" "$out/cli-truth.csv" "truth CSV"
same_file "$out/plugin-truth.drift.csv" "$out/cli-truth.drift.csv" "drift CSV (named beside the truth)"
if [ -f "$out/cli-truth.csv" ]; then
    rows=$(($(wc -l <"$out/cli-truth.csv") - 1))
    expect simulate_files "truthRows=$rows"
    [ "$rows" -eq 15 ] && pass || fail "the truth CSV should hold 5 frames x 3 molecules, has $rows rows"
    expect simulate_files 'truthHeadings=id|frame|x [nm]|y [nm]|z [nm]|intensity [photon]|weight'
    firstx=$(awk -F, 'NR == 2 { printf "%.4f", $3 }' "$out/cli-truth.csv")
    expect simulate_files "firstX=$firstx"
fi
[ $failures -gt $before ] && show_log simulate_files

# 2. A parameter out of range: the library's message, the macro stops, no file.
current="bad parameter"
out="$work/error"; mkdir -p "$out"
run_macro simulate_error "$out"
before=$failures
expect_text simulate_error "frames"
expect_no_text simulate_error "AFTER-THE-ERROR"
expect_no_text simulate_error "Exception"
[ ! -e "$out/bad.tif" ] && pass || fail "a file was written despite the error"
[ $failures -gt $before ] && show_log simulate_error

# 3. An unknown option: named, with the valid ones listed; the macro stops.
current="unknown option"
out="$work/typo"; mkdir -p "$out"
run_macro simulate_typo "$out"
before=$failures
expect_text simulate_typo "'frame'"
expect_text simulate_typo "drift_step"
expect_no_text simulate_typo "AFTER-THE-ERROR"
[ ! -e "$out/typo.tif" ] && pass || fail "a file was written despite the error"
[ $failures -gt $before ] && show_log simulate_typo

# 3b. No options at all under -batch: a dialog would wait forever; the command must say what it needs.
current="no options in -batch"
run_macro simulate_no_options ""
before=$failures
expect_text simulate_no_options "options must come from the macro"
expect_no_text simulate_no_options "AFTER-THE-ERROR"
[ $failures -gt $before ] && show_log simulate_no_options

# 4. Both TIFF layouts (one IFD per image; the single-IFD form ImageJ uses above 4 GiB) open identically.
current="TIFF layouts"
out="$work/layouts"; mkdir -p "$out"
before=$failures
if [ -f "$build_dir/lib/libmumloc_static.a" ] && command -v cc >/dev/null; then
    if cc -std=c11 -O2 -D_POSIX_C_SOURCE=200809L -I"$root/native/include" -I"$root/native/src" \
        "$here/tiff_layouts.c" "$build_dir/lib/libmumloc_static.a" -fopenmp -lm -o "$work/tiff_layouts" \
        >"$work/cc.log" 2>&1; then
        if "$work/tiff_layouts" "$out" >"$work/tiff_layouts.log" 2>&1; then
            last=$(sed -n 's/^lastPixel=//p' "$work/tiff_layouts.log")
            run_macro open_layouts "$out"
            expect open_layouts "multi=7x5x3x1x4 bitDepth=32"
            expect open_layouts "single=7x5x3x1x4 bitDepth=32"
            expect open_layouts "differentPixels=0"
            # ImageJ prints 4 decimals; compare the value, not the text
            got=$(sed -n 's/^lastPixel=//p' "$work/open_layouts.log")
            awk -v a="$got" -v b="$last" 'BEGIN { exit !(a != "" && (a - b) ^ 2 < 1e-6) }' && pass ||
                fail "last pixel of the single-IFD file: ImageJ reads '$got', written $last"
        else
            fail "tiff_layouts failed: $(cat "$work/tiff_layouts.log")"
        fi
    else
        fail "could not compile tiff_layouts.c: $(head -n 20 "$work/cc.log")"
    fi
else
    fail "no $build_dir/lib/libmumloc_static.a or C compiler to build the layout writer"
fi
[ $failures -gt $before ] && [ -f "$work/open_layouts.log" ] && show_log open_layouts

# 5. The demo macro users copy runs and writes its files.
current="demo macro"
out="$work/demo"
run_macro "$root/macros/simulate-demo.ijm" "$out"
before=$failures
expect_text simulate-demo "MUMLoc demo: done"
[ -s "$out/helix.tif" ] && [ -s "$out/helix-truth.csv" ] && pass || fail "the demo wrote no helix.tif / helix-truth.csv"
expect_no_text simulate-demo "Exception"
[ $failures -gt $before ] && show_log simulate-demo

# 6. The dialog, as from the menu, in a real (non-headless) ImageJ under Xvfb with the recorder on:
#    fields filled, OK pressed, the recorded run(...) line replayed gives the same movie.
current="dialog and recorder"
before=$failures
if [ -f "$target/test-classes/org/mumloc/fiji/DialogDriver.class" ]; then
    timeout 120 xvfb-run -a java -Xmx1g -Duser.home="$work/home" -Dplugins.dir="$work/plugins" \
        -cp "$ij_jar:$target/test-classes" org.mumloc.fiji.DialogDriver >"$work/dialog.log" 2>&1
    expect dialog "dialog=shown MUMLoc Simulate"
    expect dialog "fields MUMLoc Simulate=17 numbers, 6 texts, 2 choices"
    expect dialog "interactive=24x16x4x1x3 bitDepth=32"
    recorded=$(sed -n 's/^recorded=//p' "$work/dialog.log")
    case "$recorded" in 'run("MUMLoc Simulate", "'*) pass ;; *) fail "nothing recorded: '$recorded'" ;; esac
    for key in ' frames=3 ' ' size=24x16 ' ' molecules=4 ' ' molecules_min=0 ' ' seed=99 ' ' noise=physical ' ' drift_step=24 ' ' movie=[]'; do
        case " ${recorded#*\"MUMLoc Simulate\", \"}" in *"$key"*) pass ;; *) fail "the recorded line lacks '$key'" ;; esac
    done
    expect dialog "replayed=24x16x4x1x3 bitDepth=32"
    expect dialog "replayedIdentical=true"
    expect dialog "done"
else
    fail "no $target/test-classes/org/mumloc/fiji/DialogDriver.class (the Maven build compiles it)"
fi
[ $failures -gt $before ] && [ -f "$work/dialog.log" ] && show_log dialog

# 7. Import → Export: the library's CSV comes back byte for byte, with ThunderSTORM's header.
current="import and export"
out="$work/tables"; mkdir -p "$out"
before=$failures
"$cli" simulate --out "$out/m.tif" --truth "$out/truth.csv" --frames 4 --size 32 --molecules 5 --seed 5 \
    --quiet >"$work/cli-tables.log" 2>&1 || fail "mumloc simulate failed: $(cat "$work/cli-tables.log")"
run_macro tables_roundtrip "$out"
expect tables_roundtrip "rows=20"
expect tables_roundtrip "defaultRows=20"
expect tables_roundtrip 'headings=id|frame|x [nm]|y [nm]|z [nm]|intensity [photon]|weight'
firstx=$(awk -F, 'NR == 2 { printf "%.4f", $3 }' "$out/truth.csv")
expect tables_roundtrip "firstX=$firstx"
expect tables_roundtrip "done"
same_file "$out/truth.csv" "$out/exported copy.csv" "Import -> Export round trip"
same_file "$out/truth.csv" "$out/exported default.csv" "round trip through \"MUMLoc Results\""
if [ -f "$out/exported copy.csv" ]; then
    header=$(head -n 1 "$out/exported copy.csv")
    [ "$header" = '"id","frame","x [nm]","y [nm]","z [nm]","intensity [photon]","weight"' ] && pass ||
        fail "exported header is not ThunderSTORM's: $header"
    grep -qE '[0-9][eE][-+]?[0-9]' "$out/exported copy.csv" && fail "exponent notation in the CSV" || pass
    grep -q $'\r' "$out/exported copy.csv" && fail "CR line ends in the CSV" || pass
fi
[ $failures -gt $before ] && show_log tables_roundtrip

current="import errors"
before=$failures
run_macro tables_missing "$out"
expect_text tables_missing "MUMLoc Import"
expect_text tables_missing "no such file.csv"
expect_no_text tables_missing "AFTER-THE-ERROR"
expect_no_text tables_missing "Exception"
printf '"frame","x [nm]","y [nm]","z [nm]"\n1,10,20,30\n1,10,oops,30\n' >"$out/malformed.csv"
run_macro tables_malformed "$out"
expect_text tables_malformed "line 3"
expect_no_text tables_malformed "AFTER-THE-ERROR"
expect_no_text tables_malformed "Exception"
[ $failures -gt $before ] && { show_log tables_missing; show_log tables_malformed; }

# 8. Evaluate: truth vs itself, and vs a copy shifted by (+30, 0, -20) nm.
current="evaluate"
before=$failures
run_macro evaluate "$out"
expect evaluate "selfJaccard=1"
expect evaluate "selfScope=overall"
expect evaluate "shiftJaccard=1"
expect evaluate "biasX=30.000000"
expect evaluate "biasY=0.000000"
expect evaluate "biasZ=-20.000000"
expect evaluate "rmseXy=30.000000"
expect evaluate "binBiasZ=-20.000000"
expect evaluate "farTP=0"
expect evaluate "done"
expect_text evaluate "TP 20, FP 0, FN 0"
expect_no_text evaluate "Exception"
grep -q '"jaccard":1,' "$out/self.json" 2>/dev/null && pass || fail "self.json lacks \"jaccard\":1"
[ -s "$out/depth.png" ] && [ -s "$out/errors.png" ] && pass || fail "the plots were not written as PNG"
[ $failures -gt $before ] && show_log evaluate

# 9. Render a known table: size, calibration, and the colours of viridis' ends.
current="render"
before=$failures
run_macro render "$out"
expect render "size=10x5 bitDepth=24"
expect render "calibration=100 nm"
expect render "low=68,1,84"
expect render "high=253,231,37"
expect render "empty=0,0,0"
expect render "zstack=10x5x1x4x1"
expect render "done"
[ -s "$out/known.png" ] && [ -s "$out/known-z.tif" ] && pass || fail "known.png / known-z.tif not written"
[ $failures -gt $before ] && show_log render

# 9b. Drift correction of a table seen through a simulated stage drift: the tables, and files
#     byte-identical to `mumloc drift-correct` on the same CSV.
current="drift correction"
before=$failures
"$cli" simulate --out "$out/stage.tif" --truth "$out/stage.csv" --frames 1000 --molecules 5 --sample filaments \
    --size 48 --stage-drift 120 --noise none --quiet >/dev/null &&
    python3 "$root/tests/cli/drift_table.py" "$out/stage.csv" "$out/stage.stage-drift.csv" "$out/drifted.csv" ||
    fail "could not make the drifted table"
run_macro drift "$out"
expect drift "driftRows=1000"
expect drift "firstDx=0"
expect drift "correctedRows=5000"
expect_text drift "driftHeadings=frame"
expect_text drift "dz [nm]"
expect drift "done"
"$cli" drift-correct --in "$out/drifted.csv" --out "$out/cli-corrected.csv" --drift-out "$out/cli-drift.csv" \
    --plot "$out/cli-drift.png" --quiet >/dev/null || fail "mumloc drift-correct failed"
same_file "$out/plugin-corrected.csv" "$out/cli-corrected.csv" "corrected table"
same_file "$out/plugin-drift.csv" "$out/cli-drift.csv" "drift CSV"
same_file "$out/plugin-drift.png" "$out/cli-drift.png" "drift plot"
[ $failures -gt $before ] && show_log drift

# 10. The pipeline example users copy: simulate -> localize (bundled model) -> evaluate -> merge ->
#     filter -> render -> FRC -> export; the Jaccard of the bundled model on this sparse helix is far
#     above chance.
current="pipeline macro"
out="$work/pipeline"
run_macro "$root/macros/pipeline-demo.ijm" "$out"
before=$failures
grep -qE "MUMLoc pipeline: Jaccard (0\.[89]|1)" "$work/pipeline-demo.log" && pass ||
    fail "the pipeline's Jaccard is below 0.8: $(grep 'Jaccard' "$work/pipeline-demo.log")"
expect_text pipeline-demo "MUMLoc pipeline: done"
expect_no_text pipeline-demo "Exception"
for f in movie.tif truth.csv localizations.csv report.json merged.csv render.png frc.png exported.csv; do
    [ -s "$out/$f" ] && pass || fail "the pipeline wrote no $f"
done
[ $failures -gt $before ] && show_log pipeline-demo

# 11. "MUMLoc Import", "MUMLoc Export", "MUMLoc Render" and "MUMLoc Evaluate" from their dialogs
#     (menu): the fields, the recorded line, and its replay giving the same table or file.
current="table dialogs and recorder"
before=$failures
if [ -f "$target/test-classes/org/mumloc/fiji/TableDialogDriver.class" ]; then
    out="$work/table-dialogs"; mkdir -p "$out"
    timeout 120 xvfb-run -a java -Xmx1g -Duser.home="$work/home" -Dplugins.dir="$work/plugins" \
        -cp "$ij_jar:$target/test-classes" org.mumloc.fiji.TableDialogDriver "$work/tables/truth.csv" "$out" \
        >"$work/table-dialogs.log" 2>&1
    expect table-dialogs "dialog=shown MUMLoc Import"
    expect table-dialogs "fields MUMLoc Import=0 numbers, 2 texts, 0 choices"
    expect table-dialogs "recordedImport=run(\"MUMLoc Import\", \"file=$work/tables/truth.csv table=[Dialog truth]\");"
    expect table-dialogs "importedRows=20"
    expect table-dialogs "replayedImportIdentical=true"
    expect table-dialogs "dialog=shown MUMLoc Export"
    expect table-dialogs "fields MUMLoc Export=0 numbers, 2 texts, 0 choices"
    expect table-dialogs "recordedExport=run(\"MUMLoc Export\", \"table=[Dialog truth] file=[$out/dialog export.csv]\");"
    expect table-dialogs "exportedIdentical=true"
    expect table-dialogs "replayedExportIdentical=true"
    expect table-dialogs "dialog=shown MUMLoc Render"
    expect table-dialogs "fields MUMLoc Render=11 numbers, 5 texts, 5 choices"
    recorded=$(sed -n 's/^recordedRender=//p' "$work/table-dialogs.log")
    for key in ' results=[Dialog truth] ' ' pixel=20 ' ' in=[] ' " out=[$out/dialog render.png]"; do
        case " ${recorded#*\"MUMLoc Render\", \"}" in *"$key"*) pass ;; *) fail "the recorded line lacks '$key': $recorded" ;; esac
    done
    expect table-dialogs "renderShown=24-bit, 20.0 nm"
    expect table-dialogs "replayedRenderIdentical=true"
    expect table-dialogs "fields MUMLoc Evaluate=7 numbers, 8 texts, 0 choices"
    expect table-dialogs "dialog=shown MUMLoc Evaluate"
    recorded=$(sed -n 's/^recordedEvaluate=//p' "$work/table-dialogs.log")
    for key in ' results=[Dialog truth] ' ' ground_truth=[Dialog truth] ' ' tolerance=100 ' ' bin=400 ' " json=[$out/dialog report.json]"; do
        case " ${recorded#*\"MUMLoc Evaluate\", \"}" in *"$key"*) pass ;; *) fail "the recorded line lacks '$key': $recorded" ;; esac
    done
    expect table-dialogs "plotsShown=3"
    expect table-dialogs "jsonJaccard1=true"
    expect table-dialogs "jsonTolerance100=true"
    expect table-dialogs "replayedIdentical=true"
    expect table-dialogs "done"
else
    fail "no $target/test-classes/org/mumloc/fiji/TableDialogDriver.class (the Maven build compiles it)"
fi
[ $failures -gt $before ] && [ -f "$work/table-dialogs.log" ] && show_log table-dialogs

# 11b. "MUMLoc Merge", "MUMLoc Filter" and "MUMLoc Resolution (FRC)": from a batch-mode macro, and
#      from their dialogs (menu) with the recorded lines replayed to the same files.
current="merge, filter, FRC"
before=$failures
run_macro postprocess "$work/tables"
expect postprocess "mergedRows=20"
expect postprocess "detections=1"
expect postprocess "keptRows=10"
expect postprocess "frcCurve=1"
expect postprocess "done"
[ -s "$work/tables/pp merged.csv" ] && pass || fail "MUMLoc Merge wrote no out= file"
[ -s "$work/tables/pp frc.png" ] && pass || fail "MUMLoc Resolution (FRC) wrote no plot= file"
if [ -f "$target/test-classes/org/mumloc/fiji/PostprocessDialogDriver.class" ]; then
    out="$work/pp-dialogs"; mkdir -p "$out"
    timeout 120 xvfb-run -a java -Xmx1g -Duser.home="$work/home" -Dplugins.dir="$work/plugins" \
        -cp "$ij_jar:$target/test-classes" org.mumloc.fiji.PostprocessDialogDriver "$work/tables/truth.csv" "$out" \
        >"$work/pp-dialogs.log" 2>&1
    expect pp-dialogs "dialog=shown MUMLoc Merge"
    expect pp-dialogs "fields MUMLoc Merge=6 numbers, 4 texts, 0 choices"
    recorded=$(sed -n 's/^recordedMerge=//p' "$work/pp-dialogs.log")
    for key in ' distance=40 ' ' off_frames=1 ' ' output=[Dialog merged] ' " out=[$out/dialog merged.csv]"; do
        case " ${recorded#*\"MUMLoc Merge\", \"}" in *"$key"*) pass ;; *) fail "the recorded line lacks '$key': $recorded" ;; esac
    done
    expect pp-dialogs "replayedMergeIdentical=true"
    expect pp-dialogs "fields MUMLoc Filter=3 numbers, 5 texts, 1 choices"
    recorded=$(sed -n 's/^recordedFilter=//p' "$work/pp-dialogs.log")
    for key in ' results=[Dialog merged] ' ' expression=[intensity > 0 & z >= 0] ' ' density_3d=no '; do
        case " ${recorded#*\"MUMLoc Filter\", \"}" in *"$key"*) pass ;; *) fail "the recorded line lacks '$key': $recorded" ;; esac
    done
    expect pp-dialogs "replayedFilterIdentical=true"
    expect pp-dialogs "fields MUMLoc Resolution (FRC)=6 numbers, 4 texts, 1 choices"
    recorded=$(sed -n 's/^recordedFrc=//p' "$work/pp-dialogs.log")
    for key in ' block_frames=1 ' ' split=blocks ' " curve=[$out/dialog frc.csv]"; do
        case " ${recorded#*\"MUMLoc Resolution (FRC)\", \"}" in *"$key"*) pass ;; *) fail "the recorded line lacks '$key': $recorded" ;; esac
    done
    expect pp-dialogs "frcPlotShown=true"
    expect pp-dialogs "replayedFrcIdentical=true"
    expect pp-dialogs "done"
else
    fail "no $target/test-classes/org/mumloc/fiji/PostprocessDialogDriver.class (the Maven build compiles it)"
fi
[ $failures -gt $before ] && { show_log postprocess; [ -f "$work/pp-dialogs.log" ] && show_log pp-dialogs; }

# 12. "MUMLoc Localize" on the current image with a tiny trained model: the CSV is byte-identical to
#     `mumloc localize` on the same movie and model, with ThunderSTORM's header; errors end the macro.
current="localize"
out="$work/localize"; mkdir -p "$out"
before=$failures
"$cli" train --arch regression --out "$out/model.safetensors" --size 16 --steps 2 --batch 2 --molecules 2 \
    --validation-frames 2 --threads 1 --quiet >"$work/cli-train.log" 2>&1 ||
    fail "mumloc train failed: $(cat "$work/cli-train.log")"
run_macro localize "$out"
expect localize "image=movie.tif"
expect localize 'headings=id|frame|x [nm]|y [nm]|z [nm]|intensity [photon]|offset [photon]|bkgstd [photon]|uncertainty_xy [nm]|uncertainty_z [nm]|probability|unresolved'
expect localize "firstFrame=1"
expect localize "rangeFirstFrame=3"
expect localize "rendered=MUMLoc Render of movie.tif bitDepth=24"
expect_text localize "MUMLoc Localize: 3 frames, "
expect_text localize "missing-model.safetensors"
[ -s "$out/bundled.csv" ] && pass || fail "Localize without model= (the bundled model) wrote no bundled.csv"
expect_no_text localize "AFTER-THE-ERROR"
expect_no_text localize "Exception"
[ ! -e "$out/never.csv" ] && pass || fail "a CSV was written despite the error"
[ -s "$out/plugin.png" ] && pass || fail "no rendering plugin.png"
"$cli" localize --in "$out/movie.tif" --out "$out/cli.csv" --model "$out/model.safetensors" --quiet \
    >"$work/cli-localize.log" 2>&1 || fail "mumloc localize failed: $(cat "$work/cli-localize.log")"
same_file "$out/cli.csv" "$out/plugin.csv" "Localize CSV vs mumloc localize"
"$cli" localize --in "$out/movie.tif" --out "$out/cli3.csv" --model "$out/model.safetensors" --frames 3-3 \
    --quiet >>"$work/cli-localize.log" 2>&1
same_file "$out/cli3.csv" "$out/frame3.csv" "Localize first=3 last=3 vs --frames 3-3"
if [ -f "$out/plugin.csv" ]; then
    header=$(head -n 1 "$out/plugin.csv")
    [ "$header" = '"id","frame","x [nm]","y [nm]","z [nm]","intensity [photon]","offset [photon]","bkgstd [photon]","uncertainty_xy [nm]","uncertainty_z [nm]","probability","unresolved"' ] &&
        pass || fail "the Localize CSV header is not ThunderSTORM's: $header"
    rows=$(($(wc -l <"$out/plugin.csv") - 1))
    expect localize "rows=$rows"
    grep -qE '[0-9][eE][-+]?[0-9]' "$out/plugin.csv" && fail "exponent notation in the CSV" || pass
fi
[ $failures -gt $before ] && show_log localize

# 12a. "MUMLoc Localize" refine=drift: the localizations and the drift CSV byte-identical to
#      `mumloc localize --refine drift --drift-out`; the table "MUMLoc Drift" has a row per frame x plane.
current="localize: refine drift"
before=$failures
run_macro localize_refine "$out"
expect localize_refine "driftRows=12"
expect localize_refine 'driftHeadings=frame|plane|dx [nm]|dy [nm]|uncertainty_dx [nm]|uncertainty_dy [nm]|molecules'
expect localize_refine "lastRow=3,4"
expect_text localize_refine "refine=drift"
expect_no_text localize_refine "AFTER-THE-ERROR"
expect_no_text localize_refine "Exception"
[ ! -e "$out/never-drift.csv" ] && pass || fail "a drift CSV was written without refine=drift"
"$cli" localize --in "$out/movie.tif" --out "$out/cli-refine.csv" --model "$out/model.safetensors" --refine drift \
    --drift-out "$out/cli-refine-drift.csv" --threads 1 --quiet >"$work/cli-refine.log" 2>&1 ||
    fail "mumloc localize --refine drift failed: $(cat "$work/cli-refine.log")"
same_file "$out/cli-refine-drift.csv" "$out/refine-drift.csv" "Localize drift_csv vs --drift-out"
same_file "$out/cli-refine.csv" "$out/refine.csv" "Localize refine=drift CSV vs --refine drift"
if [ -f "$out/refine-drift.csv" ]; then
    [ "$(head -n 1 "$out/refine-drift.csv")" = '"frame","plane","dx [nm]","dy [nm]","uncertainty_dx [nm]","uncertainty_dy [nm]","molecules"' ] &&
        pass || fail "the drift CSV header: $(head -n 1 "$out/refine-drift.csv")"
    [ "$(wc -l <"$out/refine-drift.csv")" -eq 13 ] && pass || fail "the drift CSV should have 3 frames x 4 planes rows"
fi
[ $failures -gt $before ] && show_log localize_refine

# 12b. A movie recorded with other optics (160 nm pixels) than the bundled model's (192 nm), opened
#      in ImageJ: "MUMLoc Localize" refuses it naming both values, and writes nothing.
current="localize: other optics"
out="$work/other-optics"; mkdir -p "$out"
before=$failures
printf '{"pixel_nm": 160}\n' >"$out/pixel160.json"
"$cli" simulate --out "$out/other-optics.tif" --frames 2 --size 16 --molecules 2 --seed 4 \
    --optics "$out/pixel160.json" --quiet >"$work/cli-other.log" 2>&1 ||
    fail "mumloc simulate --optics failed: $(cat "$work/cli-other.log")"
run_macro localize_other_optics "$out"
expect localize_other_optics "opened=other-optics.tif"
expect_text localize_other_optics '"other-optics.tif" was recorded with other optics than the model'"'"'s'
expect_text localize_other_optics "pixel_nm 192 (model) vs 160"
expect_text localize_other_optics "a model trained for its optics"
expect_no_text localize_other_optics "AFTER-THE-ERROR"
expect_no_text localize_other_optics "Exception"
[ ! -e "$out/other-optics.csv" ] && pass || fail "a CSV was written for a movie with other optics"
[ $failures -gt $before ] && show_log localize_other_optics

# 13. The batch example: every movie of a folder -> CSV + PNG, the same tables as the CLI's.
current="batch localize macro"
out="$work/batch"; mkdir -p "$out/movies" "$out/results"
before=$failures
for s in 1 2; do
    "$cli" simulate --out "$out/movies/movie $s.tif" --frames 2 --size 16 --molecules 2 --seed $s --quiet \
        >>"$work/cli-batch.log" 2>&1 || fail "mumloc simulate failed"
done
run_macro "$root/macros/batch-localize.ijm" "$out/movies|$out/results|$work/localize/model.safetensors"
expect_text batch-localize "MUMLoc batch: done, 2 movies"
expect_no_text batch-localize "Exception"
for s in 1 2; do
    [ -s "$out/results/movie $s.png" ] && pass || fail "no movie $s.png"
    "$cli" localize --in "$out/movies/movie $s.tif" --out "$out/cli $s.csv" --model "$work/localize/model.safetensors" \
        --quiet >>"$work/cli-batch.log" 2>&1
    same_file "$out/cli $s.csv" "$out/results/movie $s.csv" "batch CSV of movie $s vs mumloc localize"
done
[ $failures -gt $before ] && show_log batch-localize
# The cluster form (scripts/slurm/fiji-localize-frames.sbatch): one movie file and a frame range per
# run, a part table with its sidecar; the parts merge (mumloc merge) into the CLI's whole table.
for range in 1-1 2-2; do
    run_macro "$root/macros/batch-localize.ijm" "$out/movies/movie 1.tif|$out/parts|$work/localize/model.safetensors|$range"
    expect_text batch-localize "MUMLoc batch: done, 1 movies"
    expect_no_text batch-localize "Exception"
    [ $failures -gt $before ] && show_log batch-localize
done
part="$out/parts/movie 1.part-000000002.csv"
"$cli" localize --in "$out/movies/movie 1.tif" --out "$out/cli part.csv" --frames 2-2 \
    --model "$work/localize/model.safetensors" --quiet >>"$work/cli-batch.log" 2>&1
same_file "$out/cli part.csv" "$part" "batch part (frames 2-2) vs mumloc localize --frames 2-2"
same_file "$out/cli part.csv.json" "$part.json" "the part's sidecar vs mumloc localize's"
"$cli" merge --out "$out/merged.csv" "$out/parts/movie 1.part-000000001.csv" "$part" --quiet \
    >>"$work/cli-batch.log" 2>&1 || fail "mumloc merge of the macro's parts: $(tail -n 1 "$work/cli-batch.log")"
same_file "$out/cli 1.csv" "$out/merged.csv" "merged macro parts vs mumloc localize of the whole movie"

# 14. "MUMLoc Train" from a macro: a tiny model the CLI can read, usable by "MUMLoc Localize".
current="train"
out="$work/train"; mkdir -p "$out"
before=$failures
run_macro train "$out"
expect train "trained=1"
expect train "localized=1"
expect_text train "MUMLoc Train: done, wrote $out/trained.safetensors"
expect_text train "out="
expect_no_text train "AFTER-THE-ERROR"
expect_no_text train "Exception"
"$cli" info "$out/trained.safetensors" >"$work/cli-info.log" 2>&1 && pass ||
    fail "mumloc info cannot read the trained model: $(cat "$work/cli-info.log")"
[ $failures -gt $before ] && show_log train

# 14b. The training example users copy: a model for other optics (160 nm pixels, saved beside it),
#      checked on a movie with those optics (accepted by the optics check).
current="train-for-optics macro"
out="$work/train-optics"; mkdir -p "$out"
before=$failures
printf '{"pixel_nm": 160}\n' >"$work/pixel160.json"
run_macro "$root/macros/train-for-optics.ijm" "$work/pixel160.json|$out|size=32 steps=2 batch=2 validation_frames=4 threads=1"
expect_text train-for-optics "MUMLoc train-for-optics: done"
expect_no_text train-for-optics "error"
expect_no_text train-for-optics "Exception"
for f in model.safetensors optics-used.json check.tif check-truth.csv check.csv check.json; do
    [ -s "$out/$f" ] && pass || fail "the training example wrote no $f"
done
grep -q '"pixel_nm": 160' "$out/optics-used.json" 2>/dev/null && pass || fail "optics-used.json lacks pixel_nm 160"
"$cli" info "$out/model.safetensors" 2>/dev/null | grep -q '"pixel_nm":160' && pass ||
    fail "the model was not trained for the optics file's 160 nm pixels"
[ $failures -gt $before ] && show_log train-for-optics

# 15. "MUMLoc Localize" and "MUMLoc Train" from their dialogs (menu): the fields, the recorded line
#     and its replay (the same CSV / model and optics files); the camera remembered.
current="localize and train dialogs"
before=$failures
if [ -f "$target/test-classes/org/mumloc/fiji/LocalizeTrainDialogDriver.class" ]; then
    out="$work/lt-dialogs"; mkdir -p "$out"
    timeout 180 xvfb-run -a java -Xmx1g -Duser.home="$work/home" -Dplugins.dir="$work/plugins" \
        -cp "$ij_jar:$target/test-classes" org.mumloc.fiji.LocalizeTrainDialogDriver \
        "$work/localize/model.safetensors" "$out" >"$work/lt-dialogs.log" 2>&1
    expect lt-dialogs "dialog=shown MUMLoc Localize"
    recorded=$(sed -n 's/^recordedLocalize=//p' "$work/lt-dialogs.log")
    for key in ' read_noise=2.5 ' " model=$work/localize/model.safetensors " " csv=$out/dialog.csv " ' planes=auto ' \
        ' refine=positions ' ' precision=auto '; do
        case " ${recorded#*\"MUMLoc Localize\", \"}" in *"$key"*) pass ;; *) fail "the recorded line lacks '$key': $recorded" ;; esac
    done
    expect lt-dialogs "resultsShown=true"
    expect lt-dialogs "csvWritten=true"
    expect lt-dialogs "rememberedReadNoise=2.5"
    expect lt-dialogs "fields MUMLoc Localize=14 numbers, 8 texts, 7 choices"
    expect lt-dialogs "replayedLocalizeIdentical=true"
    expect lt-dialogs "dialog=shown MUMLoc Train"
    expect lt-dialogs "fields MUMLoc Train=17 numbers, 6 texts, 3 choices"
    recorded=$(sed -n 's/^recordedTrain=//p' "$work/lt-dialogs.log")
    for key in ' steps=0 ' ' epochs=1 ' ' frames_per_epoch=6 ' ' batch=2 ' ' size=16 ' ' lr=0.001 ' ' device=auto ' \
        ' resume=[] ' ' optics=[] ' ' molecules_min=0 ' ' tune_threshold=no ' " save_optics=[$out/dialog optics.json] " " out=[$out/dialog model.safetensors]"; do
        case " ${recorded#*\"MUMLoc Train\", \"}" in *"$key"*) pass ;; *) fail "the recorded line lacks '$key': $recorded" ;; esac
    done
    expect lt-dialogs "modelWritten=true"
    expect lt-dialogs "opticsWritten=true"
    expect lt-dialogs "plotShown=true"
    expect lt-dialogs "replayedTrainIdentical=true"
    expect lt-dialogs "replayedOpticsIdentical=true"
    # 1 epoch of 6 frames in batches of 2: 3 steps
    "$cli" info "$out/dialog model.safetensors" 2>/dev/null | grep -qx 'train_step: 3' && pass ||
        fail "the dialog's schedule (1 epoch x 6 frames / 2) did not train 3 steps"
    expect lt-dialogs "done"
else
    fail "no $target/test-classes/org/mumloc/fiji/LocalizeTrainDialogDriver.class (the Maven build compiles it)"
fi
[ $failures -gt $before ] && [ -f "$work/lt-dialogs.log" ] && show_log lt-dialogs

# 16. Hostile files (issue 15): every command that reads a file, given an empty file, random bytes, a
#     TIFF whose IFD points to itself, one declaring 100000 x 100000 pixels, a truncated one, a folder
#     and a missing path, ends its macro with an error naming the file, and never hangs. First the
#     movies ImageJ's own opener hung or failed silently on, through ij.jar -batch itself; then the
#     whole matrix in one ImageJ (HostileFilesDriver, each case a batch-mode macro with a time limit).
current="hostile files"
out="$work/hostile"; mkdir -p "$out"
before=$failures
if [ -f "$target/test-classes/org/mumloc/HostileFiles.class" ]; then
    java -cp "$target/test-classes" org.mumloc.HostileFiles "$out/files" >"$work/hostile-files.log" 2>&1 ||
        fail "could not write the hostile files: $(cat "$work/hostile-files.log")"
    for name in empty random loop huge; do
        file=$(sed -n "s/^$name=//p" "$work/hostile-files.log")
        cp "$here/hostile.ijm" "$work/hostile-$name.ijm"
        run_macro "$work/hostile-$name.ijm" "MUMLoc Localize|in=[$file] threads=1 csv=[$out/never.csv]"
        expect_text "hostile-$name" "MUMLoc Localize: error: "
        expect_text "hostile-$name" "$(basename "$file")"
        expect_no_text "hostile-$name" "AFTER-THE-ERROR"
        expect_no_text "hostile-$name" "Exception"
        [ $failures -gt $before ] && show_log "hostile-$name" && before=$failures
    done
    "$cli" simulate --out "$out/valid.tif" --truth "$out/valid.csv" --frames 2 --size 16 --molecules 2 --seed 3 \
        --quiet >"$work/cli-hostile.log" 2>&1 || fail "mumloc simulate failed: $(cat "$work/cli-hostile.log")"
    timeout 900 xvfb-run -a java -Xmx1g -Duser.home="$work/home" -Dplugins.dir="$work/plugins" \
        -cp "$ij_jar:$target/test-classes" org.mumloc.fiji.HostileFilesDriver "$out" "$out/valid.tif" \
        "$out/valid.csv" >"$work/hostile-driver.log" 2>&1
    [ $? -eq 124 ] && fail "HostileFilesDriver timed out"
    grep '^FAIL ' "$work/hostile-driver.log" | while IFS= read -r line; do echo "FAIL [$current] ${line#FAIL }" >&2; done
    expect hostile-driver "failed=0"
    grep -q '^cases=[1-9]' "$work/hostile-driver.log" && pass || fail "no case ran"
    expect hostile-driver "done"
    ls "$out"/never* >/dev/null 2>&1 && fail "a file was written from a hostile input: $(ls "$out"/never*)" || pass
else
    fail "no $target/test-classes/org/mumloc/HostileFiles.class (the Maven build compiles it)"
fi
[ $failures -gt $before ] && show_log hostile-driver

echo "macro tests: $passes checks passed, $failures failed"
[ $failures -eq 0 ]
