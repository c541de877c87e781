package org.mumloc.fiji;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ij.IJ;
import ij.ImagePlus;
import ij.ImageStack;
import ij.measure.Calibration;
import ij.measure.ResultsTable;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.mumloc.Emitter;
import org.mumloc.MumlocException;
import org.mumloc.SimParams;
import org.mumloc.Simulator;
import org.mumloc.TestFiles;

/**
 * The files the library writes (the CLI's code path), opened by ImageJ itself, against the frames the
 * library simulates in memory (the plugin's code path): they must be the same movie.
 */
class SimulateFilesTest {
    private static Path dir;

    @BeforeAll
    static void setUp() throws IOException {
        dir = TestFiles.scratch("simulate-files");
    }

    private static SimParams params() {
        SimParams p = SimParams.defaults();
        p.width = 24;   // not square: a transposition would show
        p.height = 17;
        p.frames = 5;
        p.molecules = 6;
        p.seed = 2024;
        p.sample = SimParams.SAMPLE_UNIFORM;
        return p;
    }

    private static float[] pixelsOf(ImagePlus imp) {
        ImageStack stack = imp.getStack();
        int plane = imp.getWidth() * imp.getHeight();
        float[] all = new float[stack.getSize() * plane];
        for (int i = 0; i < stack.getSize(); i++)
            System.arraycopy((float[]) stack.getProcessor(i + 1).getPixels(), 0, all, i * plane, plane);
        return all;
    }

    @Test
    void imagejOpensTheMovieAsTheLibrarySimulatesIt() throws IOException {
        SimParams p = params();
        Path movie = dir.resolve("movie.tif");
        Path truth = dir.resolve("truth.csv");
        Path drift = dir.resolve("drift.csv");
        long[] lastProgress = {-1, -1};
        org.mumloc.Simulator.toFiles(p, movie.toString(), truth.toString(), drift.toString(), (done, total) -> {
            assertTrue(done >= lastProgress[0] && done <= total, done + "/" + total);
            lastProgress[0] = done;
            lastProgress[1] = total;
            return false;
        });
        assertEquals(lastProgress[1], lastProgress[0], "progress ends at its total");

        ImagePlus imp = IJ.openImage(movie.toString());
        assertNotNull(imp, "ImageJ opens the movie");
        assertEquals(24, imp.getWidth());
        assertEquals(17, imp.getHeight());
        assertEquals(4, imp.getNChannels());
        assertEquals(1, imp.getNSlices());
        assertEquals(5, imp.getNFrames());
        assertEquals(32, imp.getBitDepth());
        assertTrue(imp.isHyperStack());
        Calibration cal = imp.getCalibration();
        assertEquals(0.192, cal.pixelWidth, 1e-9);
        assertEquals(0.192, cal.pixelHeight, 1e-9);
        assertTrue(cal.getUnit().equals("micron") || cal.getUnit().equals("µm"), cal.getUnit());
        String description = imp.getOriginalFileInfo().description;
        assertNotNull(description);
        assertTrue(description.contains(p.toJson()), "the description records the parameters: " + description);

        float[] expected;
        try (Simulator sim = new Simulator(p)) {
            expected = sim.frames(0, 5);
        }
        assertArrayEquals(expected, pixelsOf(imp));

        // The plugin's in-memory movie is the same hyperstack.
        ImagePlus mem = SimulateCommand.simulate(p);
        assertNotNull(mem);
        assertEquals(4, mem.getNChannels());
        assertEquals(1, mem.getNSlices());
        assertEquals(5, mem.getNFrames());
        assertEquals(32, mem.getBitDepth());
        assertEquals(0.192, mem.getCalibration().pixelWidth, 1e-9);
        assertEquals("micron", mem.getCalibration().getUnit());
        assertEquals("mumloc=" + p.toJson(), mem.getProperty("Info"));
        assertArrayEquals(expected, pixelsOf(mem));
        // ... and so is the movie the command opens after writing the files.
        assertArrayEquals(expected, pixelsOf(SimulateCommand.openMovie(movie.toString(), p)));
    }

    @Test
    void truthCsvAndTableHoldTheLibraryTruth() throws IOException {
        SimParams p = params();
        Path movie = dir.resolve("t-movie.tif");
        Path truth = dir.resolve("t-truth.csv");
        Path drift = dir.resolve("t-drift.csv");
        org.mumloc.Simulator.toFiles(p, movie.toString(), truth.toString(), drift.toString(), null);

        List<String> lines = Files.readAllLines(truth, StandardCharsets.UTF_8);
        assertEquals("\"id\",\"frame\",\"x [nm]\",\"y [nm]\",\"z [nm]\",\"intensity [photon]\",\"weight\"",
                lines.get(0));
        assertEquals(1 + 5 * 6, lines.size(), "one line per molecule");
        String raw = new String(Files.readAllBytes(truth), StandardCharsets.UTF_8);
        assertFalse(raw.contains("\r"), "\\n line ends");
        assertFalse(raw.matches("(?s).*\\d[eE][-+]?\\d.*"), "no exponent notation");

        ResultsTable rt = SimulateCommand.truthTable(p);
        assertEquals(30, rt.size());
        for (String column : SimulateCommand.TRUTH_COLUMNS) assertTrue(rt.columnExists(column), column);
        String[] header = lines.get(0).split(",");
        try (Simulator sim = new Simulator(p)) {
            int row = 0;
            for (long f = 0; f < 5; f++) {
                for (Emitter e : sim.truth(f)) {
                    String[] v = lines.get(row + 1).split(",");
                    double[] expected = {row + 1, f + 1, e.xNm, e.yNm, e.zNm, e.photons, e.weight};
                    for (int c = 0; c < 7; c++) {
                        assertEquals("\"" + SimulateCommand.TRUTH_COLUMNS[c] + "\"", header[c]);
                        double csv = Double.parseDouble(v[c]);
                        assertEquals(expected[c], csv, 1e-8 * Math.max(1, Math.abs(expected[c])),
                                "CSV row " + (row + 1) + " column " + header[c]);
                        assertEquals(expected[c], rt.getValue(SimulateCommand.TRUTH_COLUMNS[c], row), 0.0,
                                "table row " + row + " column " + header[c]);
                    }
                    row++;
                }
            }
        }

        List<String> d = Files.readAllLines(drift, StandardCharsets.UTF_8);
        assertEquals("\"frame\",\"plane\",\"dx [nm]\",\"dy [nm]\"", d.get(0));
        assertEquals(1 + 5 * 4, d.size());
        try (Simulator sim = new Simulator(p)) {
            for (int i = 1; i < d.size(); i++) {
                String[] v = d.get(i).split(",");
                int frame = Integer.parseInt(v[0]);
                int plane = Integer.parseInt(v[1]);
                assertEquals((i - 1) / 4 + 1, frame);
                assertEquals((i - 1) % 4 + 1, plane);
                double[] dd = sim.drift(frame - 1);
                assertEquals(dd[2 * (plane - 1)], Double.parseDouble(v[2]), 1e-9);
                assertEquals(dd[2 * (plane - 1) + 1], Double.parseDouble(v[3]), 1e-9);
            }
        }
    }

    @Test
    void cancellingLeavesNoFiles() throws IOException {
        SimParams p = params();
        p.frames = 50;
        Path movie = dir.resolve("c-movie.tif");
        Path truth = dir.resolve("c-truth.csv");
        MumlocException e = assertThrows(MumlocException.class, () -> org.mumloc.Simulator.toFiles(p,
                movie.toString(), truth.toString(), null, (done, total) -> done > 0));
        assertTrue(e.isCancelled(), e.getStatusName());
        assertFalse(Files.exists(movie));
        assertFalse(Files.exists(truth));

        // An exception thrown by the listener stops the run and reaches the caller as is.
        IllegalStateException thrown = assertThrows(IllegalStateException.class, () ->
                org.mumloc.Simulator.toFiles(p, movie.toString(), null, null, (done, total) -> {
                    throw new IllegalStateException("from the listener");
                }));
        assertEquals("from the listener", thrown.getMessage());
        assertFalse(Files.exists(movie));
        try (java.util.stream.Stream<Path> left = Files.list(dir)) {
            assertFalse(left.anyMatch(x -> x.getFileName().toString().startsWith("c-")), "no temporary files left");
        }
    }

    @Test
    void escapeCancelsLeavingNothing() throws IOException {
        SimParams p = params();
        p.frames = 40;
        Path movie = dir.resolve("esc-movie.tif");
        IJ.setKeyDown(java.awt.event.KeyEvent.VK_ESCAPE);
        try {
            assertTrue(IJ.escapePressed());
            assertNull(SimulateCommand.simulate(p), "no half-made image");
            MumlocException e = assertThrows(MumlocException.class, () -> org.mumloc.Simulator.toFiles(p,
                    movie.toString(), null, null, Commands.progress(SimulateCommand.TITLE)));
            assertTrue(e.isCancelled());
            assertFalse(Files.exists(movie));
        } finally {
            IJ.resetEscape();
        }
        assertNotNull(SimulateCommand.simulate(p));
    }

    @Test
    void unwritablePathIsAnIoError() {
        MumlocException e = assertThrows(MumlocException.class, () -> org.mumloc.Simulator.toFiles(params(),
                dir.resolve("no/such/dir/movie.tif").toString(), null, null, null));
        assertEquals(MumlocException.IO, e.getStatus());
        assertTrue(e.getMessage().contains("no/such/dir"), e.getMessage());
    }
}
