// One command on one hostile file in -batch mode: it must end the macro with its error, never hang.
// Argument: "TITLE|OPTIONS".
args = split(getArgument(), "|");
setBatchMode(true);
run(args[0], args[1]);
print("AFTER-THE-ERROR");
