package org.mumloc.fiji;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ij.IJ;
import ij.measure.ResultsTable;

import java.awt.GraphicsEnvironment;
import java.awt.event.KeyEvent;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.mumloc.Model;
import org.mumloc.Mumloc;
import org.mumloc.SimParams;
import org.mumloc.Simulator;
import org.mumloc.TestFiles;

/**
 * Esc while "MUMLoc Localize" and "MUMLoc Train" run (headless): pressed as ImageJ's key handler does
 * ({@code IJ.setKeyDown(VK_ESCAPE)}, which is what {@code IJ.escapePressed()} polls) once the command
 * has reported its first progress. The command must stop before the end of its work and leave things
 * consistent: Localize writes no CSV and no results table and says "cancelled"; Train saves a valid
 * model of the steps done and says so. No timing is asserted; the join limit only guards against a hang.
 */
class EscapeCancelsHeadlessTest {
    private static final long HANG_GUARD_MS = 300_000;

    @BeforeAll
    static void headless() {
        assertTrue(GraphicsEnvironment.isHeadless(), "this test class runs in a headless JVM");
    }

    @AfterEach
    void releaseEscape() {
        IJ.resetEscape();
    }

    private static List<String> filesIn(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().collect(Collectors.toList());
        }
    }

    @Test
    void escStopsLocalizeWithoutATableOrFile() throws Exception {
        Path dir = TestFiles.scratch("escape-localize");
        SimParams p = SimParams.defaults();
        p.width = 64;
        p.height = 64;
        p.frames = 120;
        p.molecules = 10;
        p.seed = 2;
        Path movie = dir.resolve("long movie.tif");
        Simulator.toFiles(p, movie.toString(), null, null, null);
        Path csv = dir.resolve("never.csv");
        ResultsTable before = Tables.find(LocalizeCommand.RESULTS);

        // One frame per batch: the command polls Esc after each; the bundled model (default optics).
        HeadlessRun run = HeadlessRun.start(new LocalizeCommand(),
                "in=[" + movie + "] batch=1 threads=1 device=cpu csv=[" + csv + "]");
        assertTrue(run.awaitLog("MUMLoc Localize: 0 %"), "the first batch was reported: " + run.log());
        IJ.setKeyDown(KeyEvent.VK_ESCAPE);
        String log = run.finish(HANG_GUARD_MS);

        Matcher m = Pattern.compile("MUMLoc Localize: cancelled \\(Esc\\) after (\\d+) of 120 frames; no table or file "
                + "was written").matcher(log);
        assertTrue(m.find(), log);
        System.err.println("EscapeCancelsHeadlessTest: " + m.group());
        assertTrue(Integer.parseInt(m.group(1)) < 120, "stopped before the end: " + log);
        assertFalse(log.contains("localizations in"), "no summary of a finished run: " + log);
        assertFalse(log.contains("error"), log);
        assertEquals(List.of("long movie.tif"), filesIn(dir), "no CSV, not even a temporary one");
        assertSame(before, Tables.find(LocalizeCommand.RESULTS), "the results table is untouched");
    }

    @Test
    void escStopsTrainLeavingAValidModel() throws Exception {
        Path dir = TestFiles.scratch("escape-train");
        Path out = dir.resolve("stopped.safetensors");
        HeadlessRun run = HeadlessRun.start(new TrainCommand(), "size=16 molecules=2 steps=1000000 batch=2 "
                + "validation_frames=2 seed=3 threads=1 device=cpu out=[" + out + "]");
        assertTrue(run.awaitLog("MUMLoc Train: 0 % (step 1,"), "the first step was reported: " + run.log());
        IJ.setKeyDown(KeyEvent.VK_ESCAPE);
        String log = run.finish(HANG_GUARD_MS);

        Matcher m = Pattern.compile("MUMLoc Train: stopped \\(Esc\\) at step (\\d+) of 1000000; the model so far is "
                + "saved").matcher(log);
        assertTrue(m.find(), log);
        long step = Long.parseLong(m.group(1));
        System.err.println("EscapeCancelsHeadlessTest: " + m.group());
        assertTrue(step >= 1 && step < 1000000, log);
        assertEquals(List.of("stopped.safetensors"), filesIn(dir), "the model and no temporary file");
        try (Model model = Model.load(out.toString())) {
            assertTrue(model.info().contains("train_step: " + step + "\n"), model.info());
        }
    }
}
