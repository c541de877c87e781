package org.mumloc.fiji;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ij.ImagePlus;
import ij.io.Opener;
import ij.measure.ResultsTable;
import ij.plugin.PlugIn;

import java.awt.GraphicsEnvironment;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.mumloc.Table;
import org.mumloc.TestFiles;

/**
 * "MUMLoc Import", "MUMLoc Export", "MUMLoc Evaluate" and "MUMLoc Render" in a JVM started with
 * -Djava.awt.headless=true: no dialog or window, options from the macro, outputs to the files named
 * there, tables kept by title between commands, errors logged (never thrown).
 */
class TableCommandsHeadlessTest {
    private static Path dir;
    private static Path truth;

    @BeforeAll
    static void setUp() throws IOException {
        assertTrue(GraphicsEnvironment.isHeadless(), "this test class runs in a headless JVM");
        dir = TestFiles.scratch("table-commands");
        // A truth file written by the library (two frames, z spread over the slab).
        truth = dir.resolve("truth file.csv");
        new Table(new String[] {"id", "frame", "x", "y", "z", "intensity"}, new String[] {"", "", "nm", "nm", "nm", "photon"},
                new double[][] {{1, 2, 3, 4}, {1, 1, 2, 2}, {1000.5, 2500.25, 1800, 3000.125},
                    {900, 1200.75, 2000, 400.5}, {100, 700.5, 1100, 1500.25}, {5000, 4000.5, 3000, 6000}})
                .writeCsv(truth.toString());
    }

    /** Runs a command as run("...", options) from a macro would; returns what it logged. */
    private static String run(PlugIn command, String options) throws InterruptedException {
        return HeadlessRun.run(command, options);
    }

    @Test
    void importThenExportIsByteIdentical() throws Exception {
        run(new ImportCommand(), "file=[" + truth + "] table=[Imported]");
        ResultsTable rt = Tables.find("Imported");
        assertNotNull(rt, "headless, the table is kept by title");
        assertEquals(4, rt.size());
        assertEquals("x [nm]", rt.getColumnHeading(rt.getColumnIndex("x [nm]")));
        assertEquals(2500.25, rt.getValue("x [nm]", 1));
        Path out = dir.resolve("exported.csv");
        run(new ExportCommand(), "table=[Imported] file=[" + out + "]");
        assertArrayEquals(Files.readAllBytes(truth), Files.readAllBytes(out));
        // Later commands of the run find the table by its title.
        String log = run(new EvaluateCommand(), "results=[Imported] ground_truth=[Imported]");
        assertTrue(log.contains("TP 4, FP 0, FN 0"), log);
        String missing = run(new EvaluateCommand(), "results=[Imported]");
        assertTrue(missing.contains("MUMLoc Ground Truth") && missing.contains("truth=[path]"), missing);
    }

    @Test
    void importErrorsCarryTheLibraryMessage() throws Exception {
        String missing = run(new ImportCommand(), "file=[" + dir.resolve("missing.csv") + "] table=[X]");
        assertTrue(missing.contains("MUMLoc Import: error") && missing.contains("missing.csv"), missing);
        Path bad = dir.resolve("malformed.csv");
        Files.write(bad, "\"frame\",\"x [nm]\"\n1,2\n1,2,3\n".getBytes(StandardCharsets.UTF_8));
        String malformed = run(new ImportCommand(), "file=[" + bad + "] table=[Y]");
        assertTrue(malformed.contains("line 3"), malformed);
        assertNull(Tables.find("Y"));
        String noOptions = run(new ExportCommand(), null);
        assertTrue(noOptions.contains("options must come from the macro"), noOptions);
        String unknown = run(new ExportCommand(), "table=[Imported] files=[x.csv]");
        assertTrue(unknown.contains("'files'") && unknown.contains("table, file"), unknown);
        String noTable = run(new ExportCommand(), "table=[Nothing] file=[" + dir.resolve("n.csv") + "]");
        assertTrue(noTable.contains("Nothing"), noTable);
        assertFalse(Files.exists(dir.resolve("n.csv")));
    }

    @Test
    void evaluateWritesReportAndPlots() throws Exception {
        Path json = dir.resolve("report.json");
        Path plot = dir.resolve("depth.png");
        Path hist = dir.resolve("hist.png");
        String log = run(new EvaluateCommand(), "truth=[" + truth + "] in=[" + truth + "] bin=500 json=[" + json
                + "] depth_plot=[" + plot + "] histogram=[" + hist + "]");
        assertTrue(log.contains("TP 4, FP 0, FN 0"), log);
        String report = new String(Files.readAllBytes(json), StandardCharsets.UTF_8);
        assertTrue(report.contains("\"jaccard\":1,"), report);
        ResultsTable rt = Tables.find(EvaluateCommand.TABLE);
        assertEquals(1.0, rt.getValue("jaccard", 0));
        assertEquals("overall", rt.getLabel(0));
        assertEquals(1 + 4, rt.size()); // overall + bins [0, 500) ... [1500, 2000) of true z 100 ... 1500.25
        ImagePlus p = new Opener().openImage(plot.toString());
        assertNotNull(p, "the depth plot is a PNG ImageJ opens");
        assertTrue(p.getWidth() > 100);
        ImagePlus h = new Opener().openImage(hist.toString());
        assertNotNull(h);
        assertEquals(60, h.getWidth()); // ±150 nm in 5 nm bins
        // the pixel-locking check: the CLI's --subpixel-out file and its flatness line
        Path subpixel = dir.resolve("subpixel.csv");
        String sub = run(new EvaluateCommand(), "truth=[" + truth + "] in=[" + truth + "] subpixel_out=[" + subpixel
                + "] subpixel_bins=4");
        assertTrue(sub.contains("sub-pixel positions (4 rows, 4 bins of a 192 nm pixel") && sub.contains("chi2"), sub);
        String[] lines = new String(Files.readAllBytes(subpixel), StandardCharsets.UTF_8).split("\n");
        assertEquals("\"bin\",\"phase\",\"x\",\"y\"", lines[0]);
        assertEquals(1 + 4, lines.length);
    }

    @Test
    void renderWritesTheImage() throws Exception {
        Path png = dir.resolve("render.png");
        Path zs = dir.resolve("render-z.tif");
        String log = run(new RenderCommand(), "in=[" + truth + "] pixel=100 field=4000 colorbar=off out=[" + png
                + "] zstack=[" + zs + "] z_bin=400");
        assertTrue(log.contains("4 localizations"), log);
        ImagePlus imp = new Opener().openImage(png.toString());
        assertNotNull(imp);
        assertEquals(40, imp.getWidth());
        assertEquals(40, imp.getHeight());
        int[] rgb = imp.getPixel(10, 9); // x 1000.5, y 900 → pixel (10, 9)
        assertTrue(rgb[0] + rgb[1] + rgb[2] > 0, "the localization's pixel is lit");
        assertEquals(0, imp.getPixel(0, 0)[0] + imp.getPixel(0, 0)[1] + imp.getPixel(0, 0)[2]);
        ImagePlus z = new Opener().openImage(zs.toString());
        assertNotNull(z);
        assertEquals(4, z.getNSlices());

        String noOut = run(new RenderCommand(), "in=[" + truth + "]");
        assertTrue(noOut.contains("out="), noOut);
    }
    @Test
    void namesAndUnitsCrossResultsTablesAsTheLibraryGaveThem() {
        // "a [x]" without unit is headed like "a" in x: the heading alone cannot tell them apart.
        Table t = new Table(new String[] {"a [x]", "b", "c"}, new String[] {"", "x", ""},
                new double[][] {{1, 2}, {3, 4}, {5, 6}});
        ResultsTable rt = Tables.toResultsTable(t);
        rt.setValue("d [px]", 0, 7); // a column added by hand: its heading is split as a CSV header field
        Tables.publish(rt, "Bracketed names");
        // ImageJ's table window hands back a copy of the table shown: found again by its title.
        ResultsTable fromWindow = (ResultsTable) rt.clone();
        String[][] expected = {{"a [x]", ""}, {"b", "x"}, {"c", ""}, {"d", "px"}};
        for (Table back : new Table[] {Tables.toTable(rt), Tables.toTable(fromWindow, "Bracketed names")}) {
            assertEquals(4, back.columns());
            for (int c = 0; c < 4; c++) {
                assertEquals(expected[c][0], back.name(c), "name of column " + c);
                assertEquals(expected[c][1], back.unit(c), "unit of column " + c);
            }
            assertArrayEquals(new double[] {3, 4}, back.column(1));
        }
    }

    @Test
    void importExportImportKeepsABracketedName() throws Exception {
        // The name "a [x]" without unit, as the header field "a [x][]" (issue 15): the library reads it
        // so; Fiji must keep it through its results table.
        Path file = dir.resolve("bracketed.csv");
        Files.write(file, "\"a [x][]\",\"b [nm]\"\n1,2\n".getBytes(StandardCharsets.UTF_8));
        Table direct = Table.readCsv(file.toString(), null);
        assertEquals("a [x]", direct.name(0));
        assertEquals("", direct.unit(0));
        run(new ImportCommand(), "file=[" + file + "] table=[Bracketed]");
        Path exported = dir.resolve("bracketed exported.csv");
        run(new ExportCommand(), "table=[Bracketed] file=[" + exported + "]");
        Table back = Table.readCsv(exported.toString(), null);
        assertEquals("a [x]", back.name(0));
        assertEquals("", back.unit(0));
        assertEquals("b", back.name(1));
        assertEquals("nm", back.unit(1));
    }

    @Test
    void aMessageNamesTheFileOnce() throws Exception {
        Path random = org.mumloc.HostileFiles.write(dir.resolve("hostile")).get("random");
        String log = run(new ImportCommand(), "file=[" + random + "] table=[Random]");
        assertTrue(log.contains("MUMLoc Import: error: "), log);
        String path = random.toString();
        assertEquals(log.indexOf(path), log.lastIndexOf(path), "the file is named once: " + log);
        assertNull(Tables.find("Random"));
    }
}
