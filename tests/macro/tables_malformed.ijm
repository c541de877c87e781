// A malformed row ends the macro with the library's message naming the line.
dir = getArgument();
setBatchMode(true);
run("MUMLoc Import", "file=[" + dir + "/malformed.csv] table=[Bad]");
print("AFTER-THE-ERROR");
