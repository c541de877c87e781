package org.mumloc.fiji;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ij.Macro;

import java.awt.GraphicsEnvironment;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.mumloc.TestFiles;

/**
 * "MUMLoc Simulate" in a JVM started with -Djava.awt.headless=true (surefire's headless-test execution):
 * it must build no dialog or window, take its options from the macro, and write exactly the files
 * `mumloc simulate` writes for the same parameters.
 */
class SimulateCommandHeadlessTest {
    private static Path dir;

    @BeforeAll
    static void setUp() throws IOException {
        assertTrue(GraphicsEnvironment.isHeadless(), "this test class runs in a headless JVM");
        dir = TestFiles.scratch("headless");
    }

    /** Runs the command as ImageJ's run("MUMLoc Simulate", options) would; returns what it logged. */
    private static String runCommand(String options, boolean asMacro) throws InterruptedException {
        AtomicReference<Throwable> failure = new AtomicReference<>();
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        PrintStream old = System.out;
        System.setOut(new PrintStream(captured, true));
        try {
            // ImageJ hands macro options only to threads whose name starts with "Run$_".
            Thread t = new Thread(() -> {
                if (options != null) Macro.setOptions(options);
                try {
                    new SimulateCommand().run("");
                } finally {
                    Macro.setOptions(null);
                }
            }, asMacro ? "Run$_headless-test" : "headless-test");
            t.setUncaughtExceptionHandler((th, e) -> failure.set(e));
            t.start();
            t.join();
        } finally {
            System.setOut(old);
        }
        String log = new String(captured.toByteArray(), StandardCharsets.UTF_8);
        assertNull(failure.get(), () -> "the command threw " + failure.get());
        return log;
    }

    @Test
    void writesTheCliFilesWithoutAnyWindow() throws Exception {
        Path movie = dir.resolve("plugin movie.tif"); // a space in the path
        Path truth = dir.resolve("plugin-truth.csv");
        Path drift = dir.resolve("plugin-drift.csv");
        String common = "frames=6 size=32x24 molecules=5 seed=77 sample=helix noise=physical drift=24 drift_step=12 "
                + "background=5 read_noise=2 em_gain=4 gain=1.5 offset=100";
        runCommand(common + " movie=[" + movie + "] truth=[" + truth + "] drift_file=[" + drift + "]", true);
        assertTrue(Files.size(movie) > 6 * 4 * 32 * 24 * 4, "movie written");
        assertTrue(Files.exists(truth));
        assertTrue(Files.exists(drift));

        File cli = TestFiles.cli();
        assumeTrue(cli != null, "mumloc CLI not built: byte comparison skipped");
        Path cm = dir.resolve("cli-movie.tif");
        Path ct = dir.resolve("cli-truth.csv");
        Path cd = dir.resolve("cli-drift.csv");
        int rc = TestFiles.run(dir.resolve("cli.log").toFile(), cli.getPath(), "simulate", "--out", cm.toString(),
                "--truth", ct.toString(), "--drift-file", cd.toString(), "--frames", "6", "--size", "32x24",
                "--molecules", "5", "--seed", "77", "--sample", "helix", "--noise", "physical", "--drift", "24",
                "--drift-step", "12", "--background", "5", "--read-noise", "2", "--em-gain", "4", "--gain", "1.5",
                "--offset", "100", "--quiet");
        assertEquals(0, rc, () -> "mumloc simulate failed: " + read(dir.resolve("cli.log")));
        assertArrayEquals(Files.readAllBytes(cm), Files.readAllBytes(movie), "movie identical to the CLI's");
        assertArrayEquals(Files.readAllBytes(ct), Files.readAllBytes(truth), "truth identical to the CLI's");
        assertArrayEquals(Files.readAllBytes(cd), Files.readAllBytes(drift), "drift identical to the CLI's");
    }

    @Test
    void aMoleculeCountRangeMatchesTheCli() throws Exception {
        Path movie = dir.resolve("range-movie.tif");
        Path truth = dir.resolve("range-truth.csv");
        runCommand("frames=8 size=16 molecules=6 molecules_min=2 seed=31 movie=[" + movie + "] truth=[" + truth + "]",
                true);
        File cli = TestFiles.cli();
        assumeTrue(cli != null, "mumloc CLI not built");
        Path ct = dir.resolve("range-cli-truth.csv");
        int rc = TestFiles.run(dir.resolve("range-cli.log").toFile(), cli.getPath(), "simulate", "--out",
                dir.resolve("range-cli.tif").toString(), "--truth", ct.toString(), "--frames", "8", "--size", "16",
                "--molecules", "2-6", "--seed", "31", "--quiet");
        assertEquals(0, rc, () -> read(dir.resolve("range-cli.log")));
        assertArrayEquals(Files.readAllBytes(ct), Files.readAllBytes(truth), "truth identical to --molecules 2-6");
        assertArrayEquals(Files.readAllBytes(dir.resolve("range-cli.tif")), Files.readAllBytes(movie));
    }

    @Test
    void defaultsMatchTheCliDefaults() throws Exception {
        Path movie = dir.resolve("d-movie.tif");
        runCommand("frames=2 movie=[" + movie + "]", true);
        File cli = TestFiles.cli();
        assumeTrue(cli != null, "mumloc CLI not built");
        Path cm = dir.resolve("d-cli.tif");
        int rc = TestFiles.run(dir.resolve("d-cli.log").toFile(), cli.getPath(), "simulate", "--out", cm.toString(),
                "--frames", "2", "--quiet");
        assertEquals(0, rc, () -> read(dir.resolve("d-cli.log")));
        assertArrayEquals(Files.readAllBytes(cm), Files.readAllBytes(movie));
    }

    @Test
    void errorsAreLoggedNotThrown() throws Exception {
        String noMovie = runCommand("frames=2", true);
        assertTrue(noMovie.contains("MUMLoc Simulate") && noMovie.contains("movie="), noMovie);

        String noOptions = runCommand(null, false);
        assertTrue(noOptions.contains("macro"), noOptions);

        Path movie = dir.resolve("bad-movie.tif");
        String bad = runCommand("frames=0 movie=[" + movie + "]", true);
        assertTrue(bad.contains("frames"), "the library's message names the option: " + bad);
        assertFalse(bad.contains("Exception"), "no stack trace: " + bad);
        assertFalse(Files.exists(movie));

        String typo = runCommand("frame=3 movie=[" + movie + "]", true);
        assertTrue(typo.contains("'frame'"), typo);
        assertFalse(Files.exists(movie));
    }

    private static String read(Path p) {
        try {
            return new String(Files.readAllBytes(p), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(" + e + ")";
        }
    }
}
