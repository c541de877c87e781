package org.mumloc;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import org.junit.jupiter.api.Test;

/**
 * Failures inside the native library reach Java as {@link MumlocException}s with the library's message,
 * and the JVM goes on: the hostile files of issue 15 through every reader of a file, and the library
 * running out of memory.
 */
class NativeFailuresTest {

    /** Every reader of a file Java can call, by what it reads. */
    private static final Map<String, Consumer<String>> READERS = Map.of(
            "movie", path -> Movie.open(path).close(),
            "model", path -> Model.load(path).close(),
            "table", path -> Table.readCsv(path, null),
            "optics", Optics::load,
            "render", path -> Rendering.renderFile(path, Rendering.Params.defaults(), path + ".png", null, null));

    @Test
    void hostileFilesThrowTheLibraryMessageFromEveryReader() throws Exception {
        Map<String, Path> files = HostileFiles.write(TestFiles.scratch("hostile"));
        List<String> problems = new ArrayList<>();
        for (Map.Entry<String, Path> file : files.entrySet())
            for (Map.Entry<String, Consumer<String>> reader : READERS.entrySet()) {
                String path = file.getValue().toString();
                String what = reader.getKey() + " of " + file.getKey();
                try {
                    reader.getValue().accept(path);
                    problems.add(what + ": no exception");
                } catch (MumlocException e) {
                    if (e.getStatus() == MumlocException.OK) problems.add(what + ": status OK");
                    if (!e.getMessage().contains(file.getValue().getFileName().toString()))
                        problems.add(what + ": the message does not name the file: " + e.getMessage());
                }
            }
        assertTrue(problems.isEmpty(), String.join("\n", problems));
        // the library still works
        assertEquals(4, Optics.defaults().planes);
    }

    @Test
    void theMovieReaderGivesTheSimulatorsFrames() throws Exception {
        Path dir = TestFiles.scratch("movie");
        SimParams p = SimParams.defaults();
        p.width = 12;
        p.height = 7;
        p.frames = 3;
        p.molecules = 2;
        p.seed = 9;
        String path = dir.resolve("m.tif").toString();
        Simulator.toFiles(p, path, null, null, null);
        float[] expected;
        try (Simulator sim = new Simulator(p)) {
            expected = sim.frames(0, 3);
        }
        try (Movie movie = Movie.open(path)) {
            assertEquals(12, movie.width);
            assertEquals(7, movie.height);
            assertEquals(12, movie.images);
            assertEquals(4, movie.channels); // the planes, as ImageJ's hyperstack channels
            assertEquals(1, movie.slices);
            assertEquals(3, movie.frames);
            assertTrue(movie.description.contains("mumloc="), movie.description);
            assertEquals(0.192, movie.pixelWidth, 1e-9); // the default optics' 192 nm, in microns
            float[] all = new float[expected.length];
            for (int i = 0; i < 12; i++) System.arraycopy(movie.read(i), 0, all, i * 12 * 7, 12 * 7);
            assertArrayEquals(expected, all);
            MumlocException e = assertThrows(MumlocException.class, () -> movie.read(12));
            assertEquals(MumlocException.INVALID_ARGUMENT, e.getStatus());
        }
    }

    @Test
    void runningOutOfMemoryInsideTheLibraryIsAnExceptionAndTheJvmGoesOn() throws Exception {
        String library = System.getProperty("mumloc.library");
        assumeTrue(library != null && new File(library).isFile(), "the built library is needed");
        Path dir = TestFiles.scratch("oom");
        String cp = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        List<String> cmd = new ArrayList<>(Arrays.asList("bash", "-c", "ulimit -v 1500000 && exec \"$@\"", "probe",
                Paths.get(System.getProperty("java.home"), "bin", "java").toString(),
                // a small JVM (about 0.5 GB of address space) so that the limit of 1.5 GB binds the library
                "-Xmx64m", "-Xss512k", "-XX:+UseSerialGC", "-XX:ReservedCodeCacheSize=32m",
                "-XX:CompressedClassSpaceSize=32m", "-XX:MaxMetaspaceSize=64m", "-XX:-UsePerfData",
                "-Djava.awt.headless=true", "-Djava.io.tmpdir=" + dir, "-Dmumloc.library=" + library,
                "-cp", cp, OutOfMemoryProbe.class.getName(), dir.toString()));
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().put("MALLOC_ARENA_MAX", "2");
        pb.environment().put("OMP_NUM_THREADS", "2");
        pb.redirectErrorStream(true);
        Path log = dir.resolve("probe.log");
        pb.redirectOutput(log.toFile());
        int rc = pb.start().waitFor();
        String out = new String(Files.readAllBytes(log), StandardCharsets.UTF_8);
        assertEquals(0, rc, out);
        for (String how : new String[] {"file", "table"}) {
            assertTrue(out.contains(how + ".status=" + MumlocException.OUT_OF_MEMORY), out);
            assertTrue(out.contains(how + ".message=render: out of memory"), out);
        }
        assertTrue(out.contains("after="), out);
        assertTrue(!new File(dir.toFile(), "huge.png").exists() && !new File(dir.toFile(), "huge.tif").exists(),
                "no file is left by the failed render");
    }
}
