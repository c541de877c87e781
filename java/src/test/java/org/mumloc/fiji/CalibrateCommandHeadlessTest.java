package org.mumloc.fiji;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ij.ImagePlus;
import ij.ImageStack;
import ij.io.FileSaver;
import ij.process.ShortProcessor;

import java.awt.GraphicsEnvironment;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.mumloc.TestFiles;

/**
 * "MUMLoc Calibrate" in a headless JVM: a 2-camera bead hyperstack (camera 2 mirrored in x and
 * shifted; planes 400 nm apart; drawn here with a Gaussian PSF sampled at pixel centres and Poisson
 * noise) saved by ImageJ is calibrated from its file: the rig file names the mirror, its affine maps
 * the beads within 0.05 pixel, plane 2's focus lies 400 nm below plane 1's (within 15 nm), the report
 * PNG is written and the summary logged; errors (no out=, a layout the stack does not fit) are logged
 * naming what to change and write nothing.
 */
class CalibrateCommandHeadlessTest {
    private static final int W = 64, STEPS = 31;
    private static Path dir;
    private static Path stack;

    @BeforeAll
    static void setUp() throws Exception {
        assertTrue(GraphicsEnvironment.isHeadless(), "this test class runs in a headless JVM");
        dir = TestFiles.scratch("calibrate-command");
        Random r = new Random(5);
        int beads = 10;
        double[][] xy = new double[beads][2];
        for (int b = 0; b < beads; b++) {
            boolean far;
            do {
                xy[b][0] = 8 + 48 * r.nextDouble();
                xy[b][1] = 8 + 48 * r.nextDouble();
                far = true;
                for (int o = 0; o < b; o++) far &= Math.hypot(xy[o][0] - xy[b][0], xy[o][1] - xy[b][1]) > 14;
            } while (!far);
        }
        double[] depth = {200, 600};
        ImageStack s = new ImageStack(W, W);
        for (int i = 0; i < STEPS; i++) {
            double z = -500 + 50 * i;
            for (int cam = 0; cam < 2; cam++) {
                short[] px = new short[W * W];
                double[] mu = new double[W * W];
                java.util.Arrays.fill(mu, 10);
                for (double[] p : xy) {
                    double u = cam == 0 ? p[0] : W - p[0] + 1.5, v = cam == 0 ? p[1] : p[1] - 0.8;
                    double t = (depth[cam] - z) / 300, w = 1.1 * Math.sqrt(1 + t * t + 0.12 * t * t * t * t);
                    for (int y = 0; y < W; y++)
                        for (int x = 0; x < W; x++) {
                            double dx = x + 0.5 - u, dy = y + 0.5 - v;
                            mu[y * W + x] += 4000 / (2 * Math.PI * w * w) * Math.exp(-(dx * dx + dy * dy) / (2 * w * w));
                        }
                }
                for (int k = 0; k < W * W; k++) px[k] = (short) (100 + 2 * poisson(r, mu[k]));
                s.addSlice(new ShortProcessor(W, W, px, null));
            }
        }
        ImagePlus imp = new ImagePlus("beads", s);
        imp.setDimensions(2, STEPS, 1);
        imp.setOpenAsHyperStack(true);
        stack = dir.resolve("bead stack.tif");
        assertTrue(new FileSaver(imp).saveAsTiff(stack.toString()));
    }

    private static int poisson(Random r, double mean) {
        if (mean > 50) return (int) Math.max(0, Math.round(mean + Math.sqrt(mean) * r.nextGaussian()));
        double l = Math.exp(-mean), p = 1;
        int k = 0;
        do {
            k++;
            p *= r.nextDouble();
        } while (p > l);
        return k - 1;
    }

    @Test
    void calibratesABeadStackFile() throws Exception {
        Path rig = dir.resolve("rig.json"), png = dir.resolve("rig.png");
        String log = HeadlessRun.run(new CalibrateCommand(), "beads=[" + stack + "] z_step=50 offset=100 gain=2 "
                + "pixel_size=100 out=[" + rig + "] report=[" + png + "]");
        assertTrue(log.contains("camera 2: 10 beads found, 10 in the affine fit, mirror x"), log);
        assertTrue(Files.exists(png), log);
        String json = new String(Files.readAllBytes(rig), StandardCharsets.UTF_8);
        assertTrue(json.contains("\"flip_x\": 1") || json.contains("\"flip_x\":1"), json);
        double focus2 = Double.parseDouble(json.replaceAll("(?s).*\"plane_depth_nm\":\\s*\\[\\s*200\\s*,\\s*([-0-9.e]+).*", "$1"));
        assertEquals(600, focus2, 15, json);
        // psf=spline (the default): the measured PSF beside the rig file, named by it
        assertTrue(Files.exists(dir.resolve("rig.psf.safetensors")), log);
        assertTrue(json.contains("\"psf\": {\"model\": \"spline\", \"file\": \"rig.psf.safetensors\""), json);
        Path gauss = dir.resolve("gauss.json");
        String log2 = HeadlessRun.run(new CalibrateCommand(), "beads=[" + stack + "] z_step=50 offset=100 gain=2 "
                + "pixel_size=100 psf=gaussian out=[" + gauss + "]");
        assertFalse(new String(Files.readAllBytes(gauss), StandardCharsets.UTF_8).contains("\"psf\":"), log2);
        assertFalse(Files.exists(dir.resolve("gauss.psf.safetensors")), log2);
    }

    @Test
    void errorsSayWhatToChange() throws Exception {
        String noOut = HeadlessRun.run(new CalibrateCommand(), "beads=[" + stack + "] z_step=50");
        assertTrue(noOut.contains("out: give the rig file"), noOut);
        Path never = dir.resolve("never.json");
        String tiles = HeadlessRun.run(new CalibrateCommand(), "beads=[" + stack + "] layout=tiles2x2 z_step=50 out=["
                + never + "]");
        assertTrue(tiles.contains("does not fit layout tiles2x2"), tiles);
        assertFalse(Files.exists(never));
    }
}
