// "MUMLoc Merge", "MUMLoc Filter" and "MUMLoc Resolution (FRC)" from a batch-mode macro on a table
// of 4 frames: merge with a distance no blink can reach (every row stays a molecule of 1 detection),
// filter by an expression, FRC with blocks of 1 frame. Argument: the folder of truth.csv.
dir = getArgument();
setBatchMode(true);
run("MUMLoc Import", "file=[" + dir + "/truth.csv] table=[PP]");
run("MUMLoc Merge", "results=[PP] distance=0.001 output=[PP merged] out=[" + dir + "/pp merged.csv]");
print("mergedRows=" + Table.size("PP merged"));
print("detections=" + Table.get("detections", 0, "PP merged"));
run("MUMLoc Filter", "results=[PP merged] expression=[frame <= 2] output=[PP kept]");
print("keptRows=" + Table.size("PP kept"));
run("MUMLoc Resolution (FRC)", "results=[PP] block_frames=1 plot=[" + dir + "/pp frc.png]");
print("frcCurve=" + (Table.size("MUMLoc FRC") > 100));
print("done");
