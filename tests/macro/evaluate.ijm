// "MUMLoc Evaluate": the truth against itself (Jaccard 1), then against a copy shifted by
// (+30, 0, -20) nm (bias = the shift). Argument: a directory holding truth.csv.
dir = getArgument();
setBatchMode(true);
run("MUMLoc Import", "file=[" + dir + "/truth.csv] table=[Truth]");
run("MUMLoc Evaluate", "results=[Truth] ground_truth=[Truth] json=[" + dir + "/self.json]");
print("selfJaccard=" + Table.get("jaccard", 0, "MUMLoc Evaluation"));
print("selfScope=" + Table.getString("Label", 0, "MUMLoc Evaluation"));
run("MUMLoc Import", "file=[" + dir + "/truth.csv] table=[Shifted]");
n = Table.size("Shifted");
for (i = 0; i < n; i++) {
    Table.set("x [nm]", i, Table.get("x [nm]", i, "Shifted") + 30, "Shifted");
    Table.set("z [nm]", i, Table.get("z [nm]", i, "Shifted") - 20, "Shifted");
}
Table.update("Shifted");
run("MUMLoc Evaluate", "results=[Shifted] truth=[" + dir + "/truth.csv] tolerance=100 bin=400 depth_plot=["
    + dir + "/depth.png] histogram=[" + dir + "/errors.png]");
print("shiftJaccard=" + Table.get("jaccard", 0, "MUMLoc Evaluation"));
print("biasX=" + d2s(Table.get("bias_x_nm", 0, "MUMLoc Evaluation"), 6));
print("biasY=" + d2s(Table.get("bias_y_nm", 0, "MUMLoc Evaluation"), 6));
print("biasZ=" + d2s(Table.get("bias_z_nm", 0, "MUMLoc Evaluation"), 6));
print("rmseXy=" + d2s(Table.get("rmse_xy_nm", 0, "MUMLoc Evaluation"), 6));
print("binRows=" + (Table.size("MUMLoc Evaluation") - 1));
print("binBiasZ=" + d2s(Table.get("bias_z_nm", 1, "MUMLoc Evaluation"), 6));
// A tolerance below the shift: nothing matches.
run("MUMLoc Evaluate", "results=[Shifted] ground_truth=[Truth] tolerance=10");
print("farTP=" + Table.get("tp", 0, "MUMLoc Evaluation"));
print("done");
