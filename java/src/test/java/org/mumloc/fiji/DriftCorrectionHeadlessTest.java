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
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.mumloc.Table;
import org.mumloc.TestFiles;

/**
 * "MUMLoc Drift Correction" in a headless JVM: a table of sites along curved filaments seen through a
 * known smooth 3D drift (10 nm / 25 nm localization noise) is corrected from a CSV file; the drift
 * table "MUMLoc Sample Drift" matches the true drift (≤ 5 nm RMS laterally, ≤ 10 nm axially, offset
 * removed), the files named by out=, drift_csv= and plot= are written, the corrected table keeps its
 * other columns; errors are logged naming what to change.
 */
class DriftCorrectionHeadlessTest {
    private static final int ROWS = 8000;
    private static final int FRAMES = 2000;
    private static Path dir;
    private static Path input;

    static double[] trueDrift(double frame) {
        double t = (frame - 1) / FRAMES;
        return new double[] {90 * Math.sin(5 * t) + 60 * t, -140 * t * t + 40 * Math.sin(3 * t + 1),
            60 * Math.sin(4 * t + 0.5) - 30 * t};
    }

    @BeforeAll
    static void setUp() throws IOException {
        assertTrue(GraphicsEnvironment.isHeadless(), "this test class runs in a headless JVM");
        dir = TestFiles.scratch("drift-command");
        Random r = new Random(3);
        int sites = 2000;
        double[][] site = new double[sites][3];
        for (int i = 0; i < sites; i++) {
            int f = i % 5;
            double u = r.nextDouble(), a = 0.7 * f + 0.3;
            double along = (u - 0.5) * 7000, bend = 800 * Math.sin(3 * u + f);
            site[i][0] = 4000 + along * Math.cos(a) - bend * Math.sin(a);
            site[i][1] = 4000 + along * Math.sin(a) + bend * Math.cos(a);
            site[i][2] = 800 + 500 * Math.sin(4 * u + 2 * f);
        }
        double[][] columns = new double[5][ROWS];
        for (int k = 0; k < ROWS; k++) {
            double frame = 1 + r.nextInt(FRAMES);
            double[] s = site[r.nextInt(sites)], d = trueDrift(frame);
            columns[0][k] = k + 1;
            columns[1][k] = frame;
            columns[2][k] = s[0] + d[0] + 10 * r.nextGaussian();
            columns[3][k] = s[1] + d[1] + 10 * r.nextGaussian();
            columns[4][k] = s[2] + d[2] + 25 * r.nextGaussian();
        }
        input = dir.resolve("drifted table.csv");
        new Table(new String[] {"id", "frame", "x", "y", "z"}, new String[] {"", "", "nm", "nm", "nm"}, columns)
                .writeCsv(input.toString());
    }

    @Test
    void correctsAKnownDrift() throws Exception {
        Path out = dir.resolve("corrected.csv");
        Path driftCsv = dir.resolve("drift.csv");
        Path plot = dir.resolve("drift.png");
        String log = HeadlessRun.run(new DriftCorrectionCommand(), "in=[" + input + "] results=[Corrected] out=[" + out
                + "] drift_csv=[" + driftCsv + "] plot=[" + plot + "]");
        assertTrue(log.contains("rcc, ") && log.contains("corrected " + ROWS + " localizations"), log);
        ResultsTable drift = Tables.find(DriftCorrectionCommand.DRIFT_TABLE);
        assertNotNull(drift, "the drift table is kept by title");
        assertEquals(FRAMES, drift.size());
        String[] axes = {"dx [nm]", "dy [nm]", "dz [nm]"};
        for (int a = 0; a < 3; a++) {
            double mean = 0, sq = 0;
            for (int k = 0; k < FRAMES; k++) mean += (drift.getValue(axes[a], k) - trueDrift(k + 1)[a]) / FRAMES;
            for (int k = 0; k < FRAMES; k++)
                sq += Math.pow(drift.getValue(axes[a], k) - trueDrift(k + 1)[a] - mean, 2) / FRAMES;
            assertTrue(Math.sqrt(sq) <= (a < 2 ? 5 : 10), axes[a] + " rms error " + Math.sqrt(sq));
        }
        assertEquals("\"frame\",\"dx [nm]\",\"dy [nm]\",\"dz [nm]\"",
                Files.readAllLines(driftCsv, StandardCharsets.UTF_8).get(0));
        ImagePlus png = new Opener().openImage(plot.toString());
        assertNotNull(png, "the plot is a PNG ImageJ opens");
        assertEquals(800, png.getWidth());
        // The corrected table: published under results=, written to out=, ids and frames unchanged.
        ResultsTable corrected = Tables.find("Corrected");
        assertEquals(ROWS, corrected.size());
        Table back = Table.readCsv(out.toString(), "id,frame,x,y,z");
        Table in = Table.readCsv(input.toString(), null);
        assertEquals(ROWS, back.rows());
        for (int k = 0; k < ROWS; k++) {
            assertEquals(in.column(0)[k], back.column(0)[k]);
            assertEquals(in.column(1)[k], back.column(1)[k]);
        }
        // Subtracting the drift of each row's frame is what moved x.
        int k = 17;
        int frame = (int) in.column(1)[k];
        assertEquals(in.column(2)[k] - drift.getValue("dx [nm]", frame - 1), back.column(2)[k], 1e-3);
    }

    @Test
    void errorsSayWhatToChange() throws Exception {
        String tooShort = HeadlessRun.run(new DriftCorrectionCommand(), "in=[" + input + "] results=[E] segment_frames=10");
        assertTrue(tooShort.contains("MUMLoc Drift Correction: error") && tooShort.contains("segment-frames larger than 10"),
                tooShort);
        String noBeads = HeadlessRun.run(new DriftCorrectionCommand(), "in=[" + input + "] results=[E] method=fiducial");
        assertTrue(noBeads.contains("fiducial-presence"), noBeads);
        assertFalse(Files.exists(dir.resolve("never.csv")));
        String badMethod = HeadlessRun.run(new DriftCorrectionCommand(), "in=[" + input + "] method=beads out=["
                + dir.resolve("never.csv") + "]");
        assertTrue(badMethod.contains("rcc") && badMethod.contains("fiducial"), badMethod);
        assertFalse(Files.exists(dir.resolve("never.csv")));
    }
}
