// "MUMLoc Drift Correction" of a CSV table seen through a simulated stage drift, in batch mode: the
// drift table, the corrected table under results=, and the files (compared by run.sh with the CLI's).
// Argument: the output directory holding drifted.csv.
dir = getArgument();
setBatchMode(true);
run("MUMLoc Drift Correction", "in=[" + dir + "/drifted.csv] results=[Corrected] method=rcc segment_frames=0 z=yes out=[" + dir + "/plugin-corrected.csv] drift_csv=[" + dir + "/plugin-drift.csv] plot=[" + dir + "/plugin-drift.png]");
selectWindow("MUMLoc Sample Drift");
print("driftRows=" + Table.size);
print("firstDx=" + Table.get("dx [nm]", 0));
headings = Table.headings;
print("driftHeadings=" + headings);
selectWindow("Corrected");
print("correctedRows=" + Table.size);
print("done");
