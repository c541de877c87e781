// "MUMLoc Train" in batch mode: a few steps on 16x16 frames write a model file; then "MUMLoc Localize"
// uses it on a simulated movie. Argument: an output folder.
dir = getArgument();
setBatchMode(true);
run("MUMLoc Train", "arch=regression size=16 molecules=2 steps=3 batch=2 validation_frames=2 seed=4 threads=1 out=["
    + dir + "/trained.safetensors]");
print("trained=" + File.exists(dir + "/trained.safetensors"));
run("MUMLoc Simulate", "frames=2 size=16 molecules=2 seed=8");
run("MUMLoc Localize", "model=[" + dir + "/trained.safetensors] csv=[" + dir + "/trained.csv]");
print("localized=" + File.exists(dir + "/trained.csv"));
// Without out= the command says what it needs and ends the macro.
run("MUMLoc Train", "size=16 steps=1");
print("AFTER-THE-ERROR");
