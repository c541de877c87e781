package org.mumloc;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The Java mirrors of the library's tables, evaluation and rendering (JNI), against hand-made data. */
class TableEvaluationRenderingTest {
    private static Path dir;

    @BeforeAll
    static void setUp() throws IOException {
        dir = TestFiles.scratch("tables");
    }

    /** Three molecules in two frames, in nm. */
    private static Table truth(double dx, double dy, double dz) {
        return new Table(new String[] {"frame", "x", "y", "z"}, new String[] {"", "nm", "nm", "nm"},
                new double[][] {{1, 1, 2}, {100 + dx, 900 + dx, 500 + dx}, {200 + dy, 300 + dy, 700 + dy},
                    {150 + dz, 850 + dz, 1450 + dz}});
    }

    @Test
    void writtenCsvHasThunderStormHeaderAndReadsBack() throws IOException {
        Table t = new Table(new String[] {"id", "frame", "x", "intensity"}, new String[] {"", "", "nm", "photon"},
                new double[][] {{1, 2}, {1, 1}, {0.5, 1234567.25}, {Double.NaN, 3e-7}});
        Path csv = dir.resolve("written.csv");
        t.writeCsv(csv.toString());
        List<String> lines = Files.readAllLines(csv, StandardCharsets.UTF_8);
        assertEquals("\"id\",\"frame\",\"x [nm]\",\"intensity [photon]\"", lines.get(0));
        assertEquals("1,1,0.5,NaN", lines.get(1));
        assertEquals("2,1,1234567.25,0.0000003", lines.get(2)); // plain decimals, never exponents
        String raw = new String(Files.readAllBytes(csv), StandardCharsets.UTF_8);
        assertFalse(raw.contains("\r"));
        Table back = Table.readCsv(csv.toString(), null);
        assertEquals(4, back.columns());
        assertEquals("intensity", back.name(3));
        assertEquals("photon", back.unit(3));
        assertEquals("", back.unit(0));
        assertEquals(1234567.25, back.column(2)[1]);
        assertTrue(Double.isNaN(back.column(3)[0]));
        assertEquals(3e-7, back.column(3)[1], 1e-20);
    }

    @Test
    void headingsSplitAsTheCsvReaderDoes() {
        assertArrayEquals(new String[] {"x", "nm"}, Table.splitHeading("x [nm]"));
        assertArrayEquals(new String[] {"weight", ""}, Table.splitHeading("weight"));
        assertArrayEquals(new String[] {"a [b] c", ""}, Table.splitHeading("a [b] c"));
        assertArrayEquals(new String[] {"uncertainty_xy", "nm"}, Table.splitHeading("uncertainty_xy[nm]"));
        assertEquals("z [nm]", Table.heading("z", "nm"));
        assertEquals("frame", Table.heading("frame", ""));
        // A name that reads like "name [unit]" is headed with an empty unit group, and every heading
        // splits back into its name and unit.
        assertEquals("a [x] []", Table.heading("a [x]", ""));
        String[][] columns = {{"a [x]", ""}, {"a", "x"}, {"x", "nm"}, {"a [x][]", ""}, {"[nm]", ""}, {"id", ""}};
        for (String[] c : columns) assertArrayEquals(c, Table.splitHeading(Table.heading(c[0], c[1])), c[0]);
    }

    @Test
    void readErrorsCarryTheLibraryMessage() throws IOException {
        MumlocException missing = assertThrows(MumlocException.class,
                () -> Table.readCsv(dir.resolve("nope.csv").toString(), null));
        assertEquals(MumlocException.IO, missing.getStatus());
        assertTrue(missing.getMessage().contains("nope.csv"), missing.getMessage());
        Path bad = dir.resolve("bad.csv");
        Files.write(bad, "\"frame\",\"x [nm]\"\n1,2\n3,abc\n".getBytes(StandardCharsets.UTF_8));
        MumlocException malformed = assertThrows(MumlocException.class, () -> Table.readCsv(bad.toString(), null));
        assertEquals(MumlocException.FORMAT, malformed.getStatus());
        assertTrue(malformed.getMessage().contains("line 3"), malformed.getMessage());
        MumlocException required = assertThrows(MumlocException.class,
                () -> Table.readCsv(bad.toString(), "frame,z"));
        assertTrue(required.getMessage().contains("z"), required.getMessage());
    }

    @Test
    void badTablesAreRejectedBeforeTheLibrary() {
        assertThrows(MumlocException.class, () -> new Table(new String[] {"a"}, new String[] {""},
                new double[][] {null}));
        assertThrows(MumlocException.class, () -> new Table(new String[] {"a", "b"}, new String[] {"", ""},
                new double[][] {{1}, {1, 2}}));
        // a name no CSV can hold: the library table refuses it when made, so no file can follow
        MumlocException e = assertThrows(MumlocException.class,
                () -> new Table(new String[] {"a\"b"}, new String[] {""}, new double[][] {{1}}));
        assertEquals(MumlocException.INVALID_ARGUMENT, e.getStatus());
        assertTrue(e.getMessage().contains("a\"b"), e.getMessage());
    }

    @Test
    void unitsConvertToNm() {
        Table um = new Table(new String[] {"x", "y"}, new String[] {"um", "px"}, new double[][] {{1.5}, {2}});
        Table nm = um.toNm(100);
        assertEquals("nm", nm.unit(0));
        assertEquals(1500, nm.column(0)[0], 1e-9);
        assertEquals(200, nm.column(1)[0], 1e-9);
        assertEquals(1.5, um.column(0)[0]); // the original is unchanged
    }

    @Test
    void truthAgainstItselfIsPerfect() {
        Evaluation e = Evaluation.evaluate(truth(0, 0, 0), truth(0, 0, 0), Evaluation.Options.defaults(), null);
        assertEquals(1.0, e.overall().jaccard());
        assertEquals(3, e.overall().tp());
        assertEquals(0, e.overall().fp());
        assertEquals(0.0, e.overall().rmseXyNm());
        assertArrayEquals(new long[] {0, 1, 2}, e.localizationMatches());
        assertTrue(e.text().contains("TP 3, FP 0, FN 0"), e.text());
        assertTrue(e.json().startsWith("{\"tolerance\":{\"mode\":\"3d\""), e.json());
    }

    @Test
    void shiftedCopyHasTheShiftAsBias() throws IOException {
        Evaluation.Options o = Evaluation.Options.defaults();
        o.binNm = 500;
        Path json = dir.resolve("report.json");
        Evaluation e = Evaluation.evaluate(truth(0, 0, 0), truth(12, -7, 40), o, json.toString());
        assertEquals(12, e.overall().biasXNm(), 1e-9);
        assertEquals(-7, e.overall().biasYNm(), 1e-9);
        assertEquals(40, e.overall().biasZNm(), 1e-9);
        assertEquals(Math.sqrt(12 * 12 + 7 * 7), e.overall().rmseXyNm(), 1e-9);
        assertEquals(40, e.overall().rmseZNm(), 1e-9);
        // true z 150, 850, 1450 in bins [0, 500), [500, 1000), [1000, 1500): one molecule per bin
        Evaluation.Bin[] bins = e.bins();
        assertEquals(3, bins.length);
        for (Evaluation.Bin b : bins) assertEquals(1, b.metrics.tp());
        assertEquals(0, bins[0].zMinNm, 1e-9);
        assertEquals(1500, bins[2].zMaxNm, 1e-9);
        String written = new String(Files.readAllBytes(json), StandardCharsets.UTF_8);
        assertEquals(e.json() + "\n", written);
        // beyond the tolerance nothing matches
        o.toleranceNm = 10;
        Evaluation far = Evaluation.evaluate(truth(0, 0, 0), truth(12, -7, 40), o, null);
        assertEquals(0, far.overall().tp());
        assertArrayEquals(new long[] {-1, -1, -1}, far.truthMatches());
    }

    @Test
    void evaluationErrorsNameTheProblem() {
        Table noZ = new Table(new String[] {"frame", "x", "y"}, new String[] {"", "nm", "nm"},
                new double[][] {{1}, {1}, {1}});
        MumlocException e = assertThrows(MumlocException.class,
                () -> Evaluation.evaluate(truth(0, 0, 0), noZ, Evaluation.Options.defaults(), null));
        assertTrue(e.getMessage().contains("z"), e.getMessage());
        Evaluation.Options bad = Evaluation.Options.defaults();
        bad.toleranceNm = -1;
        assertThrows(MumlocException.class, () -> Evaluation.evaluate(truth(0, 0, 0), truth(0, 0, 0), bad, null));
    }

    @Test
    void renderingOfAKnownTable() throws IOException {
        Rendering.Params p = Rendering.Params.defaults();
        assertEquals(10, p.pixelNm, 1e-12);
        assertEquals(List.of("viridis", "turbo"), List.of(Rendering.colormapNames()));
        p.pixelNm = 100;
        p.fieldWidthNm = 1000;
        p.fieldHeightNm = 500;
        p.colorbar = false;
        p.zstack = true;
        p.zBinNm = 400;
        // one localization at z = 0 in pixel (2, 1); z range [0, 1600]
        Table t = new Table(new String[] {"x", "y", "z"}, new String[] {"nm", "nm", "nm"},
                new double[][] {{250}, {150}, {0}});
        Path png = dir.resolve("r.png");
        Rendering r = Rendering.render(t, p, png.toString(), null);
        assertEquals(10, r.width);
        assertEquals(5, r.height);
        assertEquals(10, r.canvasWidth);
        assertEquals(1, r.rendered);
        assertEquals(4, r.slices);
        byte[] rgb = r.rgb();
        int at = 3 * (1 * 10 + 2);
        // viridis at t = 0, full brightness: dark blue-purple (r, g small, b larger)
        int red = rgb[at] & 0xff, green = rgb[at + 1] & 0xff, blue = rgb[at + 2] & 0xff;
        assertTrue(blue > red && blue > green && blue > 60, red + "," + green + "," + blue);
        assertEquals(0, rgb[0] | rgb[1] | rgb[2]); // an empty pixel is black
        float[] z = r.zstack();
        assertNotNull(z);
        assertEquals(1f, z[0 * 50 + 1 * 10 + 2]);
        assertTrue(Files.size(png) > 0);
        // Streaming the same table from its CSV gives the same PNG.
        Path csv = dir.resolve("known.csv");
        t.writeCsv(csv.toString());
        Path streamed = dir.resolve("streamed.png");
        Rendering s = Rendering.renderFile(csv.toString(), p, streamed.toString(), null, (done, total) -> false);
        assertEquals(1, s.rendered);
        assertNull(s.rgb());
        assertArrayEquals(Files.readAllBytes(png), Files.readAllBytes(streamed));
        MumlocException noFile = assertThrows(MumlocException.class,
                () -> Rendering.renderFile(dir.resolve("none.csv").toString(), p, dir.resolve("x.png").toString(), null, null));
        assertTrue(noFile.getMessage().contains("none.csv"), noFile.getMessage());
        assertFalse(Files.exists(dir.resolve("x.png")));
        p.zstack = false;
        assertNull(Rendering.render(t, p, null, null).zstack());
        p.pixelNm = -1;
        assertThrows(MumlocException.class, () -> Rendering.render(t, p, null, null));
    }
}
