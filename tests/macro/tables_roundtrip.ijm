// "MUMLoc Import" then "MUMLoc Export" from a batch-mode macro: the CSV written by the library must come
// back byte for byte. Argument: a directory holding truth.csv (written by `mumloc simulate`).
dir = getArgument();
setBatchMode(true);
run("MUMLoc Import", "file=[" + dir + "/truth.csv] table=[Imported truth]");
print("rows=" + Table.size("Imported truth"));
selectWindow("Imported truth");
print("headings=" + replace(Table.headings, "\t", "|"));
print("firstX=" + d2s(Table.get("x [nm]", 0, "Imported truth"), 4));
run("MUMLoc Export", "table=[Imported truth] file=[" + dir + "/exported copy.csv]");
// The default table title is "MUMLoc Results" both ways.
run("MUMLoc Import", "file=[" + dir + "/truth.csv]");
print("defaultRows=" + Table.size("MUMLoc Results"));
run("MUMLoc Export", "file=[" + dir + "/exported default.csv]");
print("done");
