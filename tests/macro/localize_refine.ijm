// "MUMLoc Localize" with refine=drift on a file movie: the drift table "MUMLoc Drift" (one row per
// frame and plane) and its CSV. Argument: a folder holding model.safetensors and movie.tif (3 frames,
// 4 planes); writes refine.csv and refine-drift.csv there.
dir = getArgument();
setBatchMode(true);
run("MUMLoc Localize", "in=[" + dir + "/movie.tif] model=[" + dir + "/model.safetensors] threads=1 refine=drift csv=["
    + dir + "/refine.csv] drift_csv=[" + dir + "/refine-drift.csv]");
print("driftRows=" + Table.size("MUMLoc Drift"));
print("driftHeadings=" + replace(Table.headings("MUMLoc Drift"), "\t", "|"));
print("lastRow=" + Table.get("frame", 11, "MUMLoc Drift") + "," + Table.get("plane", 11, "MUMLoc Drift"));
// A drift file without refine=drift: an error naming refine=drift; the macro ends there.
run("MUMLoc Localize", "in=[" + dir + "/movie.tif] model=[" + dir + "/model.safetensors] drift_csv=[" + dir
    + "/never-drift.csv]");
print("AFTER-THE-ERROR");
