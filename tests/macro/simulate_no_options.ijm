// run() without options from ImageJ's -batch mode (no window to answer a dialog): an error, no hang.
setBatchMode(true);
run("MUMLoc Simulate");
print("AFTER-THE-ERROR");
