// MUMLoc batch localization: every TIFF movie in a folder -> a ThunderSTORM CSV and a depth-coloured
// PNG per movie, written to an output folder.
//
// From Fiji: Plugins > Macros > Run... (the argument is empty: you choose the folders and the model).
// Headless, the argument is "input folder|output folder|model file":
//   fiji --headless -batch macros/batch-localize.ijm '/data/movies|/data/out|/data/model.safetensors'
//   xvfb-run -a java -jar ij.jar -batch macros/batch-localize.ijm '/data/movies|/data/out|/data/model.safetensors'
// Leave the model part empty to use the bundled default model (once one is installed).
// On a cluster (scripts/slurm/fiji-*.sbatch) the input may be one movie file instead of a folder, and
// a fourth part FIRST-LAST localizes only those frames into NAME.part-FIRST.csv (no PNG), for
// `mumloc merge`: 'movie.tif|/data/out|model.safetensors|1001-2000'. Every CSV gets its sidecar
// NAME.csv.json (what made it), as `mumloc localize` writes it.
// Camera values: edit the line below (offset in ADU, gain in ADU per electron, EM gain).

camera = "offset=0 gain=1 em_gain=1 read_noise=3";

frames = "";
arg = getArgument();
if (arg == "") {
    input = getDirectory("Folder with the movies");
    output = getDirectory("Folder for the tables and images");
    model = File.openDialog("Model file (Cancel: the bundled default)");
} else {
    parts = split(arg, "|");
    if (parts.length < 2) exit("batch-localize: the argument is 'input folder|output folder|model file'");
    input = parts[0];
    output = parts[1];
    model = "";
    if (parts.length > 2) model = parts[2];
    if (parts.length > 3) frames = parts[3];
}
files = newArray(0);
if (File.exists(input) && !File.isDirectory(input)) {  // one movie
    files = newArray(File.getName(input));
    input = File.getParent(input);
}
if (!endsWith(input, "/")) input = input + "/";
if (!endsWith(output, "/")) output = output + "/";
File.makeDirectory(output);
modelOption = "";
if (model != "") modelOption = " model=[" + model + "]";
setBatchMode(true);

if (files.length == 0) files = getFileList(input);
range = "";
suffix = "";
if (frames != "") {
    bounds = split(frames, "-");
    if (bounds.length != 2 || isNaN(parseInt(bounds[0])) || isNaN(parseInt(bounds[1])))
        exit("batch-localize: the frames part is FIRST-LAST, got '" + frames + "'");
    range = " first=" + bounds[0] + " last=" + bounds[1];
    suffix = ".part-" + IJ.pad(parseInt(bounds[0]), 9);
}
done = 0;
for (i = 0; i < files.length; i++) {
    name = files[i];
    lower = toLowerCase(name);
    if (!endsWith(lower, ".tif") && !endsWith(lower, ".tiff")) continue;
    base = substring(name, 0, lastIndexOf(name, "."));
    // in= reads the file itself (headless there is no current image); the planes axis is detected.
    if (suffix != "") {  // a part of the movie: the table only
        run("MUMLoc Localize", "in=[" + input + name + "]" + modelOption + " " + camera + range + " csv=["
            + output + base + suffix + ".csv]");
        print("MUMLoc batch: " + name + " frames " + frames + " -> " + base + suffix + ".csv");
        done++;
        continue;
    }
    run("MUMLoc Localize", "in=[" + input + name + "]" + modelOption + " " + camera + " csv=[" + output + base
        + ".csv] png=[" + output + base + ".png]");
    print("MUMLoc batch: " + name + " -> " + base + ".csv, " + base + ".png");
    done++;
}
print("MUMLoc batch: done, " + done + " movies");
