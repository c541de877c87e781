// "MUMLoc Localize" on the current image (a movie made by "MUMLoc Simulate") with a tiny model.
// Argument: a folder holding model.safetensors; writes movie.tif, plugin.csv and plugin.png there.
dir = getArgument();
setBatchMode(true);
run("MUMLoc Simulate", "frames=3 size=16 molecules=2 seed=3 sample=uniform movie=[" + dir + "/movie.tif]");
print("image=" + getTitle());
run("MUMLoc Localize", "model=[" + dir + "/model.safetensors] threads=1 csv=[" + dir + "/plugin.csv] png=["
    + dir + "/plugin.png]");
print("rows=" + Table.size("MUMLoc Results"));
print("headings=" + replace(Table.headings("MUMLoc Results"), "\t", "|"));
print("firstFrame=" + Table.get("frame", 0, "MUMLoc Results"));
// A frame range keeps the movie's frame numbers.
// render=yes shows the MUMLoc Render image of the table (it becomes the current image).
run("MUMLoc Localize", "model=[" + dir + "/model.safetensors] first=3 last=3 render=yes csv=[" + dir + "/frame3.csv]");
print("rangeFirstFrame=" + Table.get("frame", 0, "MUMLoc Results"));
print("rendered=" + getTitle() + " bitDepth=" + bitDepth());
selectImage("movie.tif");
// No model= : the default model bundled in the plugin jar.
run("MUMLoc Localize", "threads=1 csv=[" + dir + "/bundled.csv]");
print("bundledRows=" + Table.size("MUMLoc Results"));
// A model file that does not exist: the library's message; the macro ends there.
run("MUMLoc Localize", "model=[" + dir + "/missing-model.safetensors] csv=[" + dir + "/never.csv]");
print("AFTER-THE-ERROR");
