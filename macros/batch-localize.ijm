// MUMLoc batch localization: every TIFF movie in a folder -> a ThunderSTORM CSV and a depth-coloured
// PNG per movie, written to an output folder.
//
// From Fiji: Plugins > Macros > Run... (the argument is empty: you choose the folders and the model).
// Headless, the argument is "input folder|output folder|model file":
//   fiji --headless -batch macros/batch-localize.ijm '/data/movies|/data/out|/data/model.safetensors'
//   xvfb-run -a java -jar ij.jar -batch macros/batch-localize.ijm '/data/movies|/data/out|/data/model.safetensors'
// Leave the model part empty to use the bundled default model (once one is installed).
// Camera values: edit the line below (offset in ADU, gain in ADU per electron, EM gain).

camera = "offset=0 gain=1 em_gain=1 read_noise=3";

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
}
if (!endsWith(input, "/")) input = input + "/";
if (!endsWith(output, "/")) output = output + "/";
File.makeDirectory(output);
modelOption = "";
if (model != "") modelOption = " model=[" + model + "]";
setBatchMode(true);

files = getFileList(input);
done = 0;
for (i = 0; i < files.length; i++) {
    name = files[i];
    lower = toLowerCase(name);
    if (!endsWith(lower, ".tif") && !endsWith(lower, ".tiff")) continue;
    base = substring(name, 0, lastIndexOf(name, "."));
    // in= reads the file itself (headless there is no current image); the planes axis is detected.
    run("MUMLoc Localize", "in=[" + input + name + "]" + modelOption + " " + camera + " csv=[" + output + base
        + ".csv] png=[" + output + base + ".png]");
    print("MUMLoc batch: " + name + " -> " + base + ".csv, " + base + ".png");
    done++;
}
print("MUMLoc batch: done, " + done + " movies");
