// MUMLoc demo: simulate a quad-plane movie of blinking emitters along a 3D helix, with its ground truth.
//
// From Fiji: Plugins > Macros > Run... and pick this file. The movie opens as a hyperstack (the four
// focal planes are channels, 400 nm apart in depth) and the ground truth as the "MUMLoc Ground Truth"
// table.
// From the command line, writing files instead (the argument is an output folder):
//   fiji --headless -batch macros/simulate-demo.ijm /path/to/folder
//   xvfb-run -a java -jar ij.jar -batch macros/simulate-demo.ijm /path/to/folder   (plain ImageJ)
// The same movie from the CLI: mumloc simulate --out movie.tif --truth truth.csv --frames 200 --size 64
//   --sample helix --molecules 8 --seed 1

frames = 200;
options = "frames=" + frames + " size=64 sample=helix molecules=8 seed=1 noise=physical";
dir = getArgument();
if (dir != "") {
    File.makeDirectory(dir);
    options = options + " movie=[" + dir + "/helix.tif] truth=[" + dir + "/helix-truth.csv]";
}
setBatchMode(true);
run("MUMLoc Simulate", options);
if (nImages > 0) {
    Stack.getDimensions(width, height, channels, slices, frameCount);
    print("MUMLoc demo: " + frameCount + " frames of " + channels + " planes, " + width + "x" + height
        + " pixels, " + Table.size("MUMLoc Ground Truth") + " molecules in the ground truth");
    setBatchMode("exit and display");
}
if (dir != "") print("MUMLoc demo: wrote " + dir + "/helix.tif and " + dir + "/helix-truth.csv");
print("MUMLoc demo: done");
