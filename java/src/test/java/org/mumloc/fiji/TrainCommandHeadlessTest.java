package org.mumloc.fiji;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;


import java.awt.GraphicsEnvironment;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.mumloc.Model;
import org.mumloc.Training;
import org.mumloc.TestFiles;

/**
 * "MUMLoc Train" in a headless JVM: a few steps on 16x16 frames write a model the library loads; a stop
 * through the progress path (what Esc does) also leaves a loadable model.
 */
class TrainCommandHeadlessTest {
    private static Path dir;

    @BeforeAll
    static void setUp() throws IOException {
        assertTrue(GraphicsEnvironment.isHeadless(), "this test class runs in a headless JVM");
        dir = TestFiles.scratch("train-command");
    }

    private static String run(String options) throws InterruptedException {
        return HeadlessRun.run(new TrainCommand(), options);
    }

    @Test
    void aFewStepsWriteALoadableModel() throws Exception {
        Path out = dir.resolve("tiny model.safetensors");
        String log = run("size=16 molecules=2 steps=3 batch=2 validation_frames=2 seed=5 threads=1 out=[" + out + "]");
        assertTrue(log.contains("MUMLoc Train: done, wrote " + out), log);
        assertTrue(log.contains("Jaccard"), "the final validation is reported: " + log);
        try (Model m = Model.load(out.toString())) {
            assertEquals("regression", m.arch());
            assertEquals(4, m.planes());
            assertTrue(m.info().contains("3"), m.info());
        }
    }

    @Test
    void stoppingThroughTheProgressPathLeavesALoadableModel() throws Exception {
        Training.Options o = new Training.Options();
        o.width = 16;
        o.height = 16;
        o.molecules = 2;
        o.steps = 50;
        o.batch = 2;
        o.validationFrames = 2;
        o.threads = 1;
        o.out = dir.resolve("stopped.safetensors").toString();
        AtomicLong calls = new AtomicLong();
        boolean complete = Training.train(o, (step, steps, loss, lr, validated, vl, vj, vxy, vz, s) -> {
            calls.incrementAndGet();
            assertEquals(50, steps);
            assertTrue(Double.isFinite(loss), "loss " + loss);
            return step == 2;
        });
        assertFalse(complete, "the listener stopped training");
        assertEquals(2, calls.get(), "no step after the stop");
        try (Model m = Model.load(o.out)) {
            assertEquals("regression", m.arch());
        }
    }

    @Test
    void userErrorsAreLogLines() throws Exception {
        String noOut = run("size=16 steps=1");
        assertTrue(noOut.contains("MUMLoc Train: error") && noOut.contains("out="), noOut);
        Path bad = dir.resolve("bad.safetensors");
        String badBatch = run("size=16 steps=1 batch=0 out=[" + bad + "]");
        assertTrue(badBatch.contains("MUMLoc Train: error") && badBatch.contains("batch"), badBatch);
        assertFalse(Files.exists(bad));
        String badSize = run("size=big out=[" + bad + "]");
        assertTrue(badSize.contains("size"), badSize);
    }
}
