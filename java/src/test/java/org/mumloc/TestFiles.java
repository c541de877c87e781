package org.mumloc;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;

/** Shared helpers of the Java tests: scratch directories and the CLI's location. */
public final class TestFiles {
    private TestFiles() {
    }

    /** A new empty directory under target/test-tmp (or the system temp dir). */
    public static Path scratch(String name) throws IOException {
        String base = System.getProperty("mumloc.test.tmp");
        Path root = base != null ? Paths.get(base) : Paths.get(System.getProperty("java.io.tmpdir"));
        Files.createDirectories(root);
        return Files.createTempDirectory(root, name + "-");
    }

    /** The mumloc CLI built beside the library, or null if absent. */
    public static File cli() {
        String path = System.getProperty("mumloc.cli");
        if (path == null) return null;
        File f = new File(path);
        return f.canExecute() ? f : null;
    }

    /** Runs a command, returns its exit code; output goes to the given file. */
    public static int run(File output, String... command) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.redirectErrorStream(true);
        pb.redirectOutput(output);
        return pb.start().waitFor();
    }
}
