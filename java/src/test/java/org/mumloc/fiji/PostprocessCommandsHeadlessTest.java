package org.mumloc.fiji;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ij.ImagePlus;
import ij.io.Opener;
import ij.measure.ResultsTable;

import java.awt.GraphicsEnvironment;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.mumloc.Table;
import org.mumloc.TestFiles;

/**
 * "MUMLoc Merge", "MUMLoc Filter" and "MUMLoc Resolution (FRC)" headless: options from the macro,
 * tables by title between commands, files written where named, errors logged with the library's
 * message.
 */
class PostprocessCommandsHeadlessTest {
    private static Path dir;
    private static Path blinks;

    @BeforeAll
    static void setUp() throws IOException {
        assertTrue(GraphicsEnvironment.isHeadless(), "this test class runs in a headless JVM");
        dir = TestFiles.scratch("postprocess-commands");
        // Molecule A blinks in frames 1, 2 and 4; B once in frame 2, 200 nm away.
        blinks = dir.resolve("blinks.csv");
        new Table(new String[] {"id", "frame", "x", "y", "z", "intensity"}, new String[] {"", "", "nm", "nm", "nm", "photon"},
                new double[][] {{1, 2, 3, 4}, {1, 2, 2, 4}, {100, 102, 300, 104}, {100, 100, 100, 100},
                    {500, 500, 500, 500}, {1000, 1000, 600, 1000}}).writeCsv(blinks.toString());
    }

    @Test
    void mergeThenFilterByTitle() throws Exception {
        Path merged = dir.resolve("merged.csv");
        String log = HeadlessRun.run(new MergeCommand(), "in=[" + blinks + "] distance=50 output=[Merged] out=[" + merged + "]");
        assertTrue(log.contains("4 localizations -> 2 molecules"), log);
        ResultsTable rt = Tables.find("Merged");
        assertNotNull(rt);
        assertEquals(2, rt.size());
        assertEquals(3.0, rt.getValue("detections", 0));
        assertEquals(102.0, rt.getValue("x [nm]", 0), 1e-9); // equal weights (intensity 1000 each)
        assertEquals(3000.0, rt.getValue("intensity [photon]", 0), 1e-9);
        assertTrue(Files.exists(merged));

        log = HeadlessRun.run(new FilterCommand(), "results=[Merged] expression=[intensity > 2000 & detections >= 3] output=[Kept]");
        assertTrue(log.contains("kept 1 of 2"), log);
        assertEquals(1, Tables.find("Kept").size());

        log = HeadlessRun.run(new FilterCommand(), "results=[Merged] expression=[intensty > 2000] output=[Bad]");
        assertTrue(log.contains("MUMLoc Filter: error") && log.contains("no column \"intensty\""), log);
        assertFalse(Tables.find("Bad") != null);
        log = HeadlessRun.run(new FilterCommand(), "in=[" + blinks + "] density_radius=5 density_min=1 output=[Dense]");
        assertEquals(3, Tables.find("Dense").size(), log);
    }

    @Test
    void frcReportsAndWritesThePlot() throws Exception {
        // 3000 emitters in 5 µm, 10 localizations each (sigma 15 nm), alternating blocks of 50 frames.
        Random random = new Random(3);
        int n = 30000;
        double[] frame = new double[n], x = new double[n], y = new double[n];
        for (int m = 0, i = 0; m < 3000; m++) {
            double ex = 5000 * random.nextDouble(), ey = 5000 * random.nextDouble();
            for (int k = 0; k < 10; k++, i++) {
                frame[i] = 1 + k * 50 + m % 50;
                x[i] = ex + 15 * random.nextGaussian();
                y[i] = ey + 15 * random.nextGaussian();
            }
        }
        Path csv = dir.resolve("structure.csv");
        new Table(new String[] {"frame", "x", "y"}, new String[] {"", "nm", "nm"}, new double[][] {frame, x, y})
                .writeCsv(csv.toString());
        Path png = dir.resolve("frc.png"), curve = dir.resolve("frc.csv");
        String log = HeadlessRun.run(new FrcCommand(), "in=[" + csv + "] pixel=5 plot=[" + png + "] curve=[" + curve + "]");
        assertTrue(log.contains("FRC resolution: "), log);
        ResultsTable rt = Tables.find(FrcCommand.TABLE);
        assertNotNull(rt);
        assertEquals(513, rt.size()); // 5 µm at 5 nm: a 1024-pixel image, 513 rings
        ImagePlus plot = new Opener().openImage(png.toString());
        assertNotNull(plot, "the plot is a PNG ImageJ opens");
        assertTrue(Files.size(curve) > 1000);
        String empty = HeadlessRun.run(new FrcCommand(), "in=[" + blinks + "]");
        assertTrue(empty.contains("one half of the table is empty"), empty);
    }
}
