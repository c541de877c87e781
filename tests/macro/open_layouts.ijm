// Opens the same movie written in both TIFF layouts (one IFD per image, and the single-IFD form used
// above 4 GiB) and prints their dimensions and whether every pixel agrees.
dir = getArgument();
setBatchMode(true);
open(dir + "/multi.tif");
multi = getImageID();
Stack.getDimensions(w, h, c, s, f);
print("multi=" + w + "x" + h + "x" + c + "x" + s + "x" + f + " bitDepth=" + bitDepth());
open(dir + "/single.tif");
single = getImageID();
Stack.getDimensions(w2, h2, c2, s2, f2);
print("single=" + w2 + "x" + h2 + "x" + c2 + "x" + s2 + "x" + f2 + " bitDepth=" + bitDepth());
different = 0;
for (i = 1; i <= nSlices; i++) {
    selectImage(multi);
    setSlice(i);
    a = newArray(w * h);
    for (y = 0; y < h; y++) for (x = 0; x < w; x++) a[y * w + x] = getPixel(x, y);
    selectImage(single);
    setSlice(i);
    for (y = 0; y < h; y++) for (x = 0; x < w; x++) if (getPixel(x, y) != a[y * w + x]) different++;
}
print("differentPixels=" + different);
selectImage(single);
setSlice(nSlices);
print("lastPixel=" + getPixel(w - 1, h - 1));
print("done");
