// MUMLoc: train a model for your microscope's optics, then check it on a simulated movie with the
// same optics: train -> simulate -> localize -> evaluate. The optics come from a JSON file with the
// fields of mumloc_optics (e.g. {"pixel_nm": 160, "plane_depth_nm": [200, 600, 1000, 1400]}; missing
// fields keep science.md's defaults); the optics used are saved beside the model.
//
// From Fiji: Plugins > Macros > Run... (the argument is empty: you choose the optics file and folder).
// Headless, the argument is "optics file|output folder[|MUMLoc Train options]"; the options default to
// 2000 steps of 50 frames (the papers train far longer: "steps=0" gives their 20 epochs of 100000):
//   fiji --headless -batch macros/train-for-optics.ijm '/data/optics.json|/data/out|steps=20000 batch=50'
//   xvfb-run -a java -jar ij.jar -batch macros/train-for-optics.ijm '/data/optics.json|/data/out'
// Esc (with a window) stops training and keeps the model so far; resume=[model file] continues it.

args = split(getArgument(), "|");
if (args.length >= 2) {
    optics = args[0];
    dir = args[1];
} else {
    optics = File.openDialog("Choose the optics file (JSON)");
    dir = getDirectory("Choose a folder for the model and the check's files");
}
training = "steps=2000 batch=50";
if (args.length >= 3) training = args[2];
if (endsWith(dir, "/")) dir = substring(dir, 0, lengthOf(dir) - 1);
File.makeDirectory(dir);
setBatchMode(true);

// 1. The model, trained on frames simulated with these optics; the optics used go beside it.
run("MUMLoc Train", "arch=regression optics=[" + optics + "] save_optics=[" + dir + "/optics-used.json] "
    + training + " out=[" + dir + "/model.safetensors]");

// 2. A movie with the same optics (its description records them), localized with the new model: the
//    plugin checks that the movie's optics are the model's.
run("MUMLoc Simulate", "frames=10 size=64 molecules=10 seed=7 optics=[" + optics + "] movie=[" + dir
    + "/check.tif] truth=[" + dir + "/check-truth.csv]");
run("MUMLoc Localize", "in=[" + dir + "/check.tif] model=[" + dir + "/model.safetensors] csv=[" + dir
    + "/check.csv]");

// 3. How well it does (the report in the Log and in check.json).
run("MUMLoc Evaluate", "in=[" + dir + "/check.csv] truth=[" + dir + "/check-truth.csv] json=[" + dir
    + "/check.json]");
// The Jaccard index, from the JSON report (the table is not kept when headless).
json = File.openAsString(dir + "/check.json");
at = indexOf(json, "\"jaccard\":");
print("MUMLoc train-for-optics: Jaccard " + substring(json, at + 10, indexOf(json, ",", at)));
print("MUMLoc train-for-optics: done; wrote " + dir + "/model.safetensors, optics-used.json, check.tif, "
    + "check-truth.csv, check.csv, check.json");
