// "MUMLoc Localize" on a movie simulated with other optics (160 nm pixels) than the bundled model's
// (192 nm), opened in ImageJ as a user would: the error names both values and says what to do; the
// macro ends there, with no CSV. Argument: a folder holding other-optics.tif.
dir = getArgument();
setBatchMode(true);
open(dir + "/other-optics.tif");
print("opened=" + getTitle());
run("MUMLoc Localize", "threads=1 csv=[" + dir + "/other-optics.csv]");
print("AFTER-THE-ERROR");
