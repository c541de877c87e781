// MUMLoc pipeline on a simulated movie: simulate -> import a table -> evaluate -> render -> export.
//
// Until "MUMLoc Localize" is in place the localizations are stood in for by the ground truth itself
// (so the evaluation reports Jaccard 1); replace the Import step by
//   run("MUMLoc Localize", ...)
// to score a real localizer. Every step reads and writes ThunderSTORM CSV through the library.
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
run("MUMLoc Simulate", "frames=20 size=64 sample=helix molecules=8 seed=1 noise=physical movie=[" + dir
    + "/movie.tif] truth=[" + dir + "/truth.csv]");

// 2. The localizations table "MUMLoc Results" (here: the ground truth file, imported).
run("MUMLoc Import", "file=[" + dir + "/truth.csv] table=[MUMLoc Results]");

// 3. Scores against the ground truth: the "MUMLoc Evaluation" table, the report in the Log, a JSON file
//    and the plots of errors vs depth and of the lateral errors.
run("MUMLoc Evaluate", "results=[MUMLoc Results] truth=[" + dir + "/truth.csv] tolerance=150 bin=200 json=["
    + dir + "/report.json] depth_plot=[" + dir + "/errors-vs-depth.png] histogram=[" + dir + "/lateral-errors.png]");

// 4. A depth-coloured rendering (10 nm pixels, Gaussian of 15 nm, turbo colours).
run("MUMLoc Render", "results=[MUMLoc Results] pixel=10 method=gaussian sigma=15 colormap=turbo out=[" + dir
    + "/render.png]");

// 5. The table as a ThunderSTORM CSV.
run("MUMLoc Export", "table=[MUMLoc Results] file=[" + dir + "/localizations.csv]");

// The Jaccard index, from the JSON report (the table is not kept when headless).
json = File.openAsString(dir + "/report.json");
at = indexOf(json, "\"jaccard\":");
jaccard = substring(json, at + 10, indexOf(json, ",", at));
print("MUMLoc pipeline: Jaccard " + jaccard);
setBatchMode("exit and display");
print("MUMLoc pipeline: wrote " + dir + "/movie.tif, truth.csv, report.json, errors-vs-depth.png, "
    + "lateral-errors.png, render.png, localizations.csv");
print("MUMLoc pipeline: done");
