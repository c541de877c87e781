// "MUMLoc Render" of a known table: two localizations at the ends of the default z range [0, 1600] nm,
// 100 nm pixels in a 1000 x 500 nm field without colour bar: 10 x 5 pixels, coloured viridis' first and
// last colours (matplotlib: #440154 and #FDE725) at full brightness. Argument: an output directory.
dir = getArgument();
setBatchMode(true);
Table.create("Known");
Table.set("frame", 0, 1);
Table.set("x [nm]", 0, 250);
Table.set("y [nm]", 0, 150);
Table.set("z [nm]", 0, 0);
Table.set("frame", 1, 1);
Table.set("x [nm]", 1, 750);
Table.set("y [nm]", 1, 350);
Table.set("z [nm]", 1, 1600);
Table.update();
run("MUMLoc Render", "results=[Known] pixel=100 field=1000x500 colorbar=off out=[" + dir + "/known.png]");
print("size=" + getWidth() + "x" + getHeight() + " bitDepth=" + bitDepth());
getPixelSize(unit, pw, ph);
print("calibration=" + pw + " " + unit);
v = getPixel(2, 1);
print("low=" + ((v >> 16) & 255) + "," + ((v >> 8) & 255) + "," + (v & 255));
v = getPixel(7, 3);
print("high=" + ((v >> 16) & 255) + "," + ((v >> 8) & 255) + "," + (v & 255));
v = getPixel(0, 0);
print("empty=" + ((v >> 16) & 255) + "," + ((v >> 8) & 255) + "," + (v & 255));
// With the colour bar and the z-stack hyperstack (4 slices of 400 nm).
run("MUMLoc Render", "results=[Known] pixel=100 field=1000x500 slices=yes z_bin=400 zstack=[" + dir + "/known-z.tif]");
Stack.getDimensions(w, h, c, s, f);
print("zstack=" + w + "x" + h + "x" + c + "x" + s + "x" + f);
print("done");
