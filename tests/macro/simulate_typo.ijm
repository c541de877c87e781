// An unknown option must end the macro, naming the option and listing the valid ones.
dir = getArgument();
setBatchMode(true);
run("MUMLoc Simulate", "frame=3 size=16 movie=[" + dir + "/typo.tif]");
print("AFTER-THE-ERROR");
