// A bad parameter must end the macro with the library's message (no stack trace, no file).
dir = getArgument();
setBatchMode(true);
run("MUMLoc Simulate", "frames=0 size=16 movie=[" + dir + "/bad.tif]");
print("AFTER-THE-ERROR");
