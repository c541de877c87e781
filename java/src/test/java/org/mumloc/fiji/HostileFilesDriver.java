package org.mumloc.fiji;

import ij.IJ;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Map;

import org.mumloc.HostileFiles;

/**
 * Every MUMLoc command that reads a file, given each hostile file of issue 15 (empty, random bytes, a
 * TIFF whose IFD points to itself, one declaring 100000 x 100000 pixels, a truncated one, a folder, a
 * missing path), as a batch-mode macro in a real (not headless) ImageJ without its window, as
 * {@code ij.jar -batch} runs: each must end its macro with the error named and the file named, within a
 * minute (ImageJ's own opener waited forever on an error dialog or looped). Run by tests/macro/run.sh as
 * {@code xvfb-run java -Dplugins.dir=... -cp ij.jar:target/test-classes org.mumloc.fiji.HostileFilesDriver
 * DIR MOVIE.tif TABLE.csv} (a valid movie and table for the other inputs); prints "ok CASE" or "FAIL CASE:
 * why" per case, then "cases=N", "failed=M" and "done". Only ImageJ's API and the commands' titles are used:
 * the plugin is loaded from the plugins folder.
 */
public final class HostileFilesDriver {
    private HostileFilesDriver() {
    }

    private static final long LIMIT_MS = 60_000;

    public static void main(String[] args) throws Exception {
        Path dir = Paths.get(args[0]);
        String movie = args[1], table = args[2], out = dir.toString();
        Map<String, Path> files = HostileFiles.write(dir.resolve("hostile"));
        String train = "size=16 steps=1 batch=2 validation_frames=2 threads=1 out=[" + out + "/never.safetensors]";
        // title, key, options with %s where the hostile path goes
        String[][] cases = {
            {LocalizeCommand.TITLE, "in", "in=[%s] threads=1 csv=[" + out + "/never.csv]"},
            {LocalizeCommand.TITLE, "model", "in=[" + movie + "] model=[%s] threads=1 csv=[" + out + "/never.csv]"},
            {RenderCommand.TITLE, "in", "in=[%s] out=[" + out + "/never.png]"},
            {EvaluateCommand.TITLE, "in", "in=[%s] truth=[" + table + "]"},
            {EvaluateCommand.TITLE, "truth", "in=[" + table + "] truth=[%s]"},
            {ImportCommand.TITLE, "file", "file=[%s] table=[Hostile]"},
            {TrainCommand.TITLE, "optics", "optics=[%s] " + train},
            {TrainCommand.TITLE, "resume", "resume=[%s] " + train},
            {SimulateCommand.TITLE, "optics", "optics=[%s] frames=1 size=16 movie=[" + out + "/never-sim.tif]"},
        };
        int failed = 0, count = 0;
        for (String[] c : cases)
            for (Map.Entry<String, Path> file : files.entrySet()) {
                // The first line of a TIFF up to its first NUL byte ("II*") is a valid CSV header of
                // an empty table: Import (which needs no column) may accept the TIFFs.
                if (c[0].equals(ImportCommand.TITLE) && HostileFiles.TIFFS.contains(file.getKey())) continue;
                String name = c[0] + " " + c[1] + "=" + file.getKey();
                String why = check(c[0], String.format(c[2], file.getValue()), file.getValue());
                count++;
                if (why != null) failed++;
                System.out.println(why == null ? "ok " + name : "FAIL " + name + ": " + why);
                if (why != null && why.startsWith("hung")) {
                    System.out.println("cases=" + count + "\nfailed=" + failed);
                    System.exit(1); // the hung macro holds ImageJ: nothing more can be checked
                }
            }
        System.out.println("cases=" + count + "\nfailed=" + failed);
        System.out.println("done");
        System.exit(0);
    }

    /** Runs one case; null when the macro ended with the command's error naming the file, else why not. */
    private static String check(String title, String options, Path file) throws InterruptedException {
        String macro = "setBatchMode(true);\nrun(\"" + title + "\", \"" + options + "\");\nprint(\"AFTER-THE-ERROR\");\n";
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        PrintStream old = System.out;
        System.setOut(new PrintStream(captured, true));
        Thread t = new Thread(() -> IJ.runMacro(macro), "hostile macro");
        t.start();
        t.join(LIMIT_MS);
        System.setOut(old);
        String log = new String(captured.toByteArray(), StandardCharsets.UTF_8).replace('\n', '|');
        if (t.isAlive()) return "hung (no end within " + LIMIT_MS / 1000 + " s): " + log;
        if (log.contains("AFTER-THE-ERROR")) return "the macro went on: " + log;
        if (!log.contains(title + ": error: ")) return "no error line: " + log;
        if (!log.contains(file.getFileName().toString())) return "the message does not name the file: " + log;
        if (log.contains("Exception")) return "an exception: " + log;
        return null;
    }
}
