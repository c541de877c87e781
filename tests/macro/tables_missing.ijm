// Importing a file that does not exist ends the macro with the library's message (no stack trace).
dir = getArgument();
setBatchMode(true);
run("MUMLoc Import", "file=[" + dir + "/no such file.csv]");
print("AFTER-THE-ERROR");
