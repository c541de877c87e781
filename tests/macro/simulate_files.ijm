// "MUMLoc Simulate" from a batch-mode macro, writing files: prints what ImageJ sees, for run.sh to check.
// Argument: the output directory.
dir = getArgument();
setBatchMode(true);
options = "frames=5 size=32x24 molecules=3 seed=11 sample=uniform noise=physical drift=48 drift_step=24"
    + " movie=[" + dir + "/plugin movie.tif] truth=[" + dir + "/plugin-truth.csv]";
run("MUMLoc Simulate", options);
print("title=" + getTitle());
Stack.getDimensions(width, height, channels, slices, frames);
print("width=" + width);
print("height=" + height);
print("channels=" + channels);
print("slices=" + slices);
print("frames=" + frames);
print("bitDepth=" + bitDepth());
getPixelSize(unit, pw, ph);
print("unit=" + unit);
print("pixelWidth=" + d2s(pw, 6));
info = getMetadata("Info");
print("hasParameters=" + (indexOf(info, "\"seed\"") >= 0));
print("truthRows=" + Table.size("MUMLoc Ground Truth"));
selectWindow("MUMLoc Ground Truth");
print("truthHeadings=" + replace(Table.headings, "\t", "|"));
print("firstX=" + d2s(Table.get("x [nm]", 0), 4));
fileImage = getImageID();

// The same parameters without files: the movie simulated in memory must equal the file.
run("MUMLoc Simulate", "frames=5 size=32x24 molecules=3 seed=11 sample=uniform noise=physical drift=48 drift_step=24");
memoryImage = getImageID();
Stack.getDimensions(w2, h2, c2, s2, f2);
print("memoryDimensions=" + w2 + "x" + h2 + "x" + c2 + "x" + s2 + "x" + f2);
different = 0;
n = nSlices;
for (i = 1; i <= n; i++) {
    selectImage(fileImage);
    setSlice(i);
    a = newArray(width * height);
    for (y = 0; y < height; y++) for (x = 0; x < width; x++) a[y * width + x] = getPixel(x, y);
    selectImage(memoryImage);
    setSlice(i);
    for (y = 0; y < height; y++) for (x = 0; x < width; x++) if (getPixel(x, y) != a[y * width + x]) different++;
}
print("differentPixels=" + different);
print("done");
