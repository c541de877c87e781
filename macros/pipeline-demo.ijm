// MUMLoc pipeline on a simulated movie: simulate -> localize with the bundled model -> sample drift
// correction -> evaluate -> merge blinks -> filter -> render -> resolution (FRC) -> export. Every step reads and writes ThunderSTORM CSV through the library.
//
// From Fiji: Plugins > Macros > Run... (the argument is empty: files go to a folder you choose).
// Headless, writing files only (the argument is the output folder):
//   fiji --headless -batch macros/pipeline-demo.ijm /path/to/folder
//   xvfb-run -a java -jar ij.jar -batch macros/pipeline-demo.ijm /path/to/folder   (plain ImageJ)

dir = getArgument();
if (dir == "") dir = getDirectory("Choose a folder for the pipeline's files");
if (endsWith(dir, "/")) dir = substring(dir, 0, lengthOf(dir) - 1);
File.makeDirectory(dir);
setBatchMode(true);

// 1. A quad-plane movie of a helix, with its ground truth.
run("MUMLoc Simulate", "frames=60 size=64 sample=helix molecules=8 seed=1 noise=physical movie=[" + dir
    + "/movie.tif] truth=[" + dir + "/truth.csv]");

// 2. The localizations: the table "MUMLoc Results" and its CSV, with the model bundled in the plugin
//    (add model=[/path/model.safetensors] to use one of your own).
run("MUMLoc Localize", "in=[" + dir + "/movie.tif] csv=[" + dir + "/localizations.csv]");

// 2b. Sample drift correction by redundant cross-correlation of 3 segments of 20 frames: the corrected
//     table replaces "MUMLoc Results", the drift goes to "MUMLoc Sample Drift", its CSV and its plot.
//     (This short movie has no stage drift: the estimate stays near 0; real movies of thousands of
//     frames use the automatic segments, segment_frames=0.)
run("MUMLoc Drift Correction", "results=[MUMLoc Results] method=rcc segment_frames=20 min_segment_localizations=100 z=yes drift_csv=["
    + dir + "/sample-drift.csv] plot=[" + dir + "/sample-drift.png]");

// 3. Scores against the ground truth: the "MUMLoc Evaluation" table, the report in the Log, a JSON file
//    and the plots of errors vs depth and of the lateral errors.
run("MUMLoc Evaluate", "results=[MUMLoc Results] truth=[" + dir + "/truth.csv] tolerance=150 bin=200 json=["
    + dir + "/report.json] depth_plot=[" + dir + "/errors-vs-depth.png] histogram=[" + dir + "/lateral-errors.png]");

// 3b. After localization: a blink's localizations in consecutive frames merged into one molecule,
//     then only the precise ones kept (both replace "MUMLoc Results", as in ThunderSTORM).
run("MUMLoc Merge", "results=[MUMLoc Results] distance=50 off_frames=1 out=[" + dir + "/merged.csv]");
run("MUMLoc Filter", "results=[MUMLoc Results] expression=[uncertainty_xy < 30]");

// 4. A depth-coloured rendering (10 nm pixels, Gaussian of 15 nm, turbo colours).
run("MUMLoc Render", "results=[MUMLoc Results] pixel=10 method=gaussian sigma=15 colormap=turbo out=[" + dir
    + "/render.png]");

// 4b. The resolution by Fourier ring correlation: the report in the Log, the curve as "MUMLoc FRC",
//     the plot as PNG (halves: alternate blocks of 10 frames of this short movie).
run("MUMLoc Resolution (FRC)", "results=[MUMLoc Results] block_frames=10 plot=[" + dir + "/frc.png]");

// 5. The table as a ThunderSTORM CSV again (MUMLoc Export writes any results table).
run("MUMLoc Export", "table=[MUMLoc Results] file=[" + dir + "/exported.csv]");

// The Jaccard index, from the JSON report (the table is not kept when headless).
json = File.openAsString(dir + "/report.json");
at = indexOf(json, "\"jaccard\":");
jaccard = substring(json, at + 10, indexOf(json, ",", at));
print("MUMLoc pipeline: Jaccard " + jaccard);
setBatchMode("exit and display");
print("MUMLoc pipeline: wrote " + dir + "/movie.tif, truth.csv, localizations.csv, sample-drift.csv, sample-drift.png, report.json, "
    + "errors-vs-depth.png, lateral-errors.png, merged.csv, render.png, frc.png, exported.csv");
print("MUMLoc pipeline: done");
