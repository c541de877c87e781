package org.mumloc.fiji;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;


import java.awt.GraphicsEnvironment;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.mumloc.Model;
import org.mumloc.MumlocException;
import org.mumloc.Optics;
import org.mumloc.SimParams;
import org.mumloc.Training;
import org.mumloc.TestFiles;

/**
 * "MUMLoc Train" in a headless JVM: a few steps on 16x16 frames write a model the library loads; a stop
 * through the progress path (what Esc does) also leaves a loadable model; the schedule as epochs x
 * frames per epoch, resume, and the optics file loaded, trained for and saved.
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
    void aCountRangeAndATunedThresholdReachTheModel() throws Exception {
        Path out = dir.resolve("tuned.safetensors");
        String log = run("size=16 molecules=4 molecules_min=2 steps=2 batch=2 validation_frames=3 seed=5 threads=1 "
                + "tune_threshold=yes out=[" + out + "]");
        assertTrue(log.contains("MUMLoc Train: done, wrote " + out), log);
        try (Model m = Model.load(out.toString())) {
            String info = m.info();
            assertTrue(info.contains("\"molecules\":4") && info.contains("\"molecules_min\":2"), info);
            assertTrue(info.contains("threshold_sweep"), "the threshold sweep is recorded: " + info);
            assertTrue(info.contains("\"tune_threshold\":1"), info);
            assertTrue(m.threshold() >= 0.01 && m.threshold() <= 0.9, "tuned threshold " + m.threshold());
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
    void epochsTimesFramesPerEpochSetTheSteps() throws Exception {
        Path out = dir.resolve("epochs.safetensors");
        // steps=0: 2 epochs of 4 frames in batches of 2 = 2 x 2 steps, validated after each epoch.
        String log = run("size=16 molecules=2 steps=0 epochs=2 frames_per_epoch=4 batch=2 validation_frames=2 seed=5 "
                + "threads=1 out=[" + out + "]");
        assertTrue(log.contains("MUMLoc Train: done"), log);
        assertTrue(log.contains("validation at step 2:") && log.contains("validation at step 4:"), log);
        try (Model m = Model.load(out.toString())) {
            String info = m.info();
            assertTrue(info.contains("train_step: 4"), info);
            assertTrue(info.contains("\"epochs\":2") && info.contains("\"frames_per_epoch\":4"), info);
        }
    }

    @Test
    void resumingContinuesToTheModelOfAnUninterruptedRun() throws Exception {
        String common = "size=16 molecules=2 batch=2 validation_frames=2 seed=9 threads=1 device=cpu ";
        Path whole = dir.resolve("whole.safetensors"), half = dir.resolve("half.safetensors"),
                resumed = dir.resolve("resumed.safetensors");
        run(common + "steps=4 out=[" + whole + "]");
        // The first two steps of the same run (as Esc would leave them), then resumed to the end.
        Training.Options o = new Training.Options();
        o.width = 16;
        o.height = 16;
        o.molecules = 2;
        o.steps = 4;
        o.batch = 2;
        o.validationFrames = 2;
        o.seed = 9;
        o.threads = 1;
        o.device = "cpu";
        o.out = half.toString();
        assertFalse(Training.train(o, (step, steps, loss, lr, validated, vl, vj, vxy, vz, s) -> step == 2));
        String log = run(common + "steps=4 resume=[" + half + "] out=[" + resumed + "]");
        assertTrue(log.contains("resuming " + half), log);
        assertArrayEquals(Files.readAllBytes(whole), Files.readAllBytes(resumed),
                "the library's promise: the same options give the same model as uninterrupted training");
        String missing = run(common + "steps=4 resume=[" + dir.resolve("no such model.safetensors") + "] out=["
                + dir.resolve("never.safetensors") + "]");
        assertTrue(missing.contains("MUMLoc Train: error") && missing.contains("no such model"), missing);
        assertFalse(Files.exists(dir.resolve("never.safetensors")));
    }

    @Test
    void theOpticsFileIsTrainedForAndSaved() throws Exception {
        Optics pixel160 = Optics.defaults();
        pixel160.pixelNm = 160;
        pixel160.planeDepthNm[1] = 650;
        Path opticsFile = dir.resolve("pixel 160.json");
        pixel160.save(opticsFile.toString());
        Path out = dir.resolve("pixel 160.safetensors"), saved = dir.resolve("saved optics.json");
        String log = run("size=16 molecules=2 steps=1 batch=2 validation_frames=2 threads=1 optics=[" + opticsFile
                + "] save_optics=[" + saved + "] out=[" + out + "]");
        assertTrue(log.contains("MUMLoc Train: wrote the optics to " + saved), log);
        Optics back = Optics.load(saved.toString());
        assertEquals(160, back.pixelNm);
        assertEquals(650, back.planeDepthNm[1]);
        assertEquals(Optics.defaults().psfW0Nm, back.psfW0Nm);
        // The model was made for those optics: a movie recording them passes, one with the defaults does not.
        SimParams p = SimParams.defaults();
        String defaultRecord = "mumloc=" + p.toJson();
        p.optics = back;
        try (Model m = Model.load(out.toString())) {
            assertTrue(m.checkRecordedOptics("mumloc=" + p.toJson()));
            MumlocException e = assertThrows(MumlocException.class, () -> m.checkRecordedOptics(defaultRecord));
            assertTrue(e.getMessage().contains("pixel_nm 160 (model) vs 192"), e.getMessage());
            assertTrue(e.getMessage().contains("plane_depth_nm[1] 650 (model) vs 600"), e.getMessage());
        }
        // Without optics=, save_optics writes the defaults (science.md).
        Path defaults = dir.resolve("default optics.json");
        run("size=16 molecules=2 steps=1 batch=2 validation_frames=2 threads=1 save_optics=[" + defaults + "] out=["
                + dir.resolve("default.safetensors") + "]");
        assertEquals(Optics.defaults().toString(), Optics.load(defaults.toString()).toString());
        String badOptics = run("size=16 steps=1 optics=[" + dir.resolve("missing.json") + "] out=["
                + dir.resolve("never2.safetensors") + "]");
        assertTrue(badOptics.contains("MUMLoc Train: error") && badOptics.contains("missing.json"), badOptics);
    }

    @Test
    void aRigFileIsTrainedFor() throws Exception {
        // A rig with its own per-plane curves and transmissions and a camera model per camera.
        Path rig = dir.resolve("my rig.json");
        Files.write(rig, ("{\"mumloc_rig\": 1, \"width\": 32, \"height\": 32, \"optics\": {\"planes\": 4, "
                + "\"plane_depth_nm\": [200, 610, 1000, 1390], \"plane_psf\": ["
                + "{\"w0_nm\": 128, \"d_nm\": 290, \"A\": 0, \"B\": 0.11, \"transmission\": 1},"
                + "{\"w0_nm\": 141, \"d_nm\": 310, \"A\": 0, \"B\": 0.12, \"transmission\": 0.8},"
                + "{\"w0_nm\": 135, \"d_nm\": 300, \"A\": 0, \"B\": 0.13, \"transmission\": 1.2},"
                + "{\"w0_nm\": 150, \"d_nm\": 320, \"A\": 0, \"B\": 0.14, \"transmission\": 0.9}]},"
                + "\"cameras\": [{\"to_camera\": [1,0,0,0,1,0], \"offset_adu\": 100},"
                + "{\"to_camera\": [-1.01,0,32.2,0,1.01,0.3], \"flip_x\": 1, \"em_gain\": 30},"
                + "{\"to_camera\": [1,0,0.2,0,1,-0.4], \"adu_per_electron\": 0.5},"
                + "{\"to_camera\": [0.99,0,0.5,0,-0.99,31.5], \"flip_y\": 1}]}").getBytes("UTF-8"));
        Path out = dir.resolve("rig model.safetensors");
        String log = run("size=16 molecules=2 steps=1 batch=2 validation_frames=2 threads=1 rig=[" + rig + "] out=["
                + out + "]");
        assertTrue(log.contains("MUMLoc Train: done, wrote " + out), log);
        assertTrue(log.contains("for the rig " + rig), log);
        try (Model m = Model.load(out.toString())) {
            String info = m.info();
            assertTrue(info.contains("\"plane_psf\"") && info.contains("\"w0_nm\":141"), "the rig's optics: " + info);
            assertTrue(info.contains("\"em_gain\":30"), "the rig's cameras: " + info);
        }
        String both = run("size=16 steps=1 rig=[" + rig + "] optics=[" + rig + "] out=[" + dir.resolve("no.safetensors")
                + "]");
        assertTrue(both.contains("MUMLoc Train: error") && both.contains("rig="), both);
        String missing = run("size=16 steps=1 rig=[" + dir.resolve("no rig.json") + "] out=["
                + dir.resolve("no.safetensors") + "]");
        assertTrue(missing.contains("MUMLoc Train: error") && missing.contains("no rig.json"), missing);
        assertFalse(Files.exists(dir.resolve("no.safetensors")));
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
