package org.mumloc.fiji;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ij.ImagePlus;
import ij.io.Opener;
import ij.plugin.FileInfoVirtualStack;
import ij.measure.ResultsTable;
import ij.plugin.PlugIn;

import java.awt.GraphicsEnvironment;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Map;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.mumloc.Device;
import org.mumloc.HostileFiles;
import org.mumloc.Model;
import org.mumloc.Mumloc;
import org.mumloc.SimParams;
import org.mumloc.Simulator;
import org.mumloc.Table;
import org.mumloc.TestFiles;

/**
 * "MUMLoc Localize" in a JVM started with -Djava.awt.headless=true: options from the macro, the movie
 * from in=, files written, no HeadlessException, and the CSV byte-identical to `mumloc localize` on the
 * same movie and model (with refine=drift also the drift CSV, byte-identical to {@code --drift-out}); a movie
 * recorded with other optics than the model's is refused.
 */
class LocalizeCommandHeadlessTest {
    private static final String HEADER = "\"id\",\"frame\",\"x [nm]\",\"y [nm]\",\"z [nm]\",\"intensity [photon]\","
            + "\"offset [photon]\",\"bkgstd [photon]\",\"uncertainty_xy [nm]\",\"uncertainty_z [nm]\",\"probability\",\"unresolved\"";
    private static final String DRIFT_HEADER = "\"frame\",\"plane\",\"dx [nm]\",\"dy [nm]\",\"uncertainty_dx [nm]\","
            + "\"uncertainty_dy [nm]\",\"molecules\"";
    private static Path dir;
    private static Path movie;
    private static Path model;

    @BeforeAll
    static void setUp() throws IOException {
        assertTrue(GraphicsEnvironment.isHeadless(), "this test class runs in a headless JVM");
        dir = TestFiles.scratch("localize-command");
        SimParams p = SimParams.defaults();
        p.width = 24;
        p.height = 20;
        p.frames = 4;
        p.molecules = 3;
        p.seed = 21;
        movie = dir.resolve("tiny movie.tif");
        Simulator.toFiles(p, movie.toString(), null, null, null);
        model = dir.resolve("random model.safetensors");
        try (Model m = Model.create("regression", 7)) {
            m.save(model.toString());
        }
    }

    private static String run(PlugIn command, String options) throws InterruptedException {
        return HeadlessRun.run(command, options);
    }

    @Test
    void writesTheCliTableAndARendering() throws Exception {
        Path csv = dir.resolve("plugin locs.csv");
        Path png = dir.resolve("plugin render.png");
        String log = run(new LocalizeCommand(), "in=[" + movie + "] model=[" + model + "] csv=[" + csv
                + "] png=[" + png + "] threads=1");
        assertTrue(log.contains("MUMLoc Localize: 4 frames, "), log);
        assertTrue(log.contains(" on CPU: ") || log.contains(" on CUDA:"), log);
        assertTrue(Files.size(png) > 0, "the rendering was written");
        String[] lines = new String(Files.readAllBytes(csv), StandardCharsets.UTF_8).split("\n");
        assertEquals(HEADER, lines[0]);
        ResultsTable rt = Tables.find(LocalizeCommand.RESULTS);
        assertNotNull(rt, "headless, the results table is kept by title");
        assertEquals(lines.length - 1, rt.size());
        assertTrue(rt.size() > 0, "a random network finds voxels above its default threshold");
        String[] headings = rt.getHeadings();
        assertEquals(HEADER.replace("\"", ""), String.join(",", headings));
        File cli = TestFiles.cli();
        if (cli != null) {
            Path cliCsv = dir.resolve("cli locs.csv");
            int rc = TestFiles.run(dir.resolve("cli.log").toFile(), cli.getPath(), "localize", "--in", movie.toString(),
                    "--out", cliCsv.toString(), "--model", model.toString(), "--threads", "1",
                    "--quiet");
            assertEquals(0, rc, () -> readLog(dir.resolve("cli.log")));
            assertArrayEquals(Files.readAllBytes(cliCsv), Files.readAllBytes(csv), "the CLI's table, byte for byte");
        }
    }

    @Test
    void aRigOfIdentityCamerasGivesTheRegisteredTable() throws Exception {
        // Four cameras that see the reference exactly: rig= reads in= through the library in the
        // rig's layout, and its table (refine=none becomes positions) is the plain one with positions.
        Path rig = dir.resolve("identity rig.json");
        StringBuilder cameras = new StringBuilder();
        for (int d = 0; d < 4; d++)
            cameras.append(d == 0 ? "" : ", ").append("{\"to_camera\": [1, 0, 0, 0, 1, 0]}");
        Files.write(rig, ("{\"mumloc_rig\": 1, \"layout\": \"hyperstack\", \"width\": 24, \"height\": 20, "
                + "\"optics\": {}, \"cameras\": [" + cameras + "]}").getBytes(StandardCharsets.UTF_8));
        Path viaRig = dir.resolve("rig locs.csv"), plain = dir.resolve("plain locs.csv");
        String log = run(new LocalizeCommand(), "in=[" + movie + "] rig=[" + rig + "] model=[" + model + "] csv=["
                + viaRig + "] threads=1");
        assertTrue(log.contains("localizations from the rig's raw data"), log);
        run(new LocalizeCommand(), "in=[" + movie + "] model=[" + model + "] csv=[" + plain
                + "] refine=positions threads=1");
        assertArrayEquals(Files.readAllBytes(plain), Files.readAllBytes(viaRig), "the registered table, byte for byte");
        ResultsTable rt = Tables.find(LocalizeCommand.RESULTS);
        assertEquals(new String(Files.readAllBytes(viaRig), StandardCharsets.UTF_8).split("\n").length - 1, rt.size());
        // layout= needs rig=; a layout that does not fit the file is the library's error naming both sizes
        String err = run(new LocalizeCommand(), "in=[" + movie + "] model=[" + model + "] layout=tiles2x2");
        assertTrue(err.contains("layout: describes a rig's raw data"), err);
        err = run(new LocalizeCommand(), "in=[" + movie + "] rig=[" + rig + "] layout=tiles2x2 model=[" + model + "]");
        assertTrue(err.contains("48x40"), err);
    }

    @Test
    void methodCsNeedsNoModelAndGivesTheCliTable() throws Exception {
        Path csv = dir.resolve("plugin cs.csv");
        String log = run(new LocalizeCommand(), "in=[" + movie + "] method=cs csv=[" + csv + "] threads=1");
        assertTrue(log.contains("MUMLoc Localize: 4 frames, "), log);
        assertTrue(log.contains("compressed sensing"), log);
        String[] lines = new String(Files.readAllBytes(csv), StandardCharsets.UTF_8).split("\n");
        assertEquals(HEADER, lines[0]);
        assertTrue(lines.length > 1, "the solver finds the simulated molecules");
        File cli = TestFiles.cli();
        if (cli != null) {
            Path cliCsv = dir.resolve("cli cs.csv");
            int rc = TestFiles.run(dir.resolve("cli-cs.log").toFile(), cli.getPath(), "localize", "--in",
                    movie.toString(), "--out", cliCsv.toString(), "--method", "cs", "--threads", "1", "--quiet");
            assertEquals(0, rc, () -> readLog(dir.resolve("cli-cs.log")));
            assertArrayEquals(Files.readAllBytes(cliCsv), Files.readAllBytes(csv), "the CLI's table, byte for byte");
        }
        String withModel = run(new LocalizeCommand(), "in=[" + movie + "] method=cs model=[" + model + "]");
        assertTrue(withModel.contains("model: method=cs uses no model"), withModel);
    }

    @Test
    void refineDriftWritesTheCliDriftTableAndLocalizations() throws Exception {
        Path csv = dir.resolve("drift locs.csv");
        Path drift = dir.resolve("plugin drift.csv");
        String log = run(new LocalizeCommand(), "in=[" + movie + "] model=[" + model + "] refine=drift csv=[" + csv
                + "] drift_csv=[" + drift + "] threads=1");
        assertTrue(log.contains("wrote " + drift), log);
        String[] lines = new String(Files.readAllBytes(drift), StandardCharsets.UTF_8).split("\n");
        assertEquals(DRIFT_HEADER, lines[0]);
        assertEquals(1 + 4 * 4, lines.length, "one row per frame and plane (4 frames x 4 planes)");
        for (int r = 1; r < lines.length; r++) { // frame-major, planes 1..4, both 1-based
            String[] cells = lines[r].split(",");
            assertEquals((r - 1) / 4 + 1, Integer.parseInt(cells[0]), lines[r]);
            assertEquals((r - 1) % 4 + 1, Integer.parseInt(cells[1]), lines[r]);
        }
        ResultsTable rt = Tables.find(LocalizeCommand.DRIFT);
        assertNotNull(rt, "the drift table, kept by title when headless");
        assertEquals(16, rt.size());
        assertEquals(DRIFT_HEADER.replace("\"", ""), String.join(",", rt.getHeadings()));
        File cli = TestFiles.cli();
        if (cli != null) {
            Path cliCsv = dir.resolve("cli drift locs.csv");
            Path cliDrift = dir.resolve("cli drift.csv");
            int rc = TestFiles.run(dir.resolve("cli-drift.log").toFile(), cli.getPath(), "localize", "--in",
                    movie.toString(), "--out", cliCsv.toString(), "--model", model.toString(), "--refine", "drift",
                    "--drift-out", cliDrift.toString(), "--threads", "1", "--quiet");
            assertEquals(0, rc, () -> readLog(dir.resolve("cli-drift.log")));
            assertArrayEquals(Files.readAllBytes(cliDrift), Files.readAllBytes(drift), "the CLI's drift, byte for byte");
            assertArrayEquals(Files.readAllBytes(cliCsv), Files.readAllBytes(csv), "the CLI's refined table");
        }
        // The drift needs refine=drift: a drift file asked for otherwise is an error, and nothing is written.
        Path never = dir.resolve("never drift.csv");
        String wrong = run(new LocalizeCommand(), "in=[" + movie + "] model=[" + model + "] refine=positions drift_csv=["
                + never + "]");
        assertTrue(wrong.contains("MUMLoc Localize: error") && wrong.contains("refine=drift"), wrong);
        assertFalse(Files.exists(never));
        String typo = run(new LocalizeCommand(), "in=[" + movie + "] model=[" + model + "] refine=drfit");
        assertTrue(typo.contains("none, positions, drift"), typo);
    }

    @Test
    void driftWindowGivesTheCliWindowedDrift() throws Exception {
        // drift_window= implies refine=drift; drift_out= is the CLI's --drift-out; both equal the CLI's files
        Path csv = dir.resolve("window locs.csv");
        Path drift = dir.resolve("window drift.csv");
        String log = run(new LocalizeCommand(), "in=[" + movie + "] model=[" + model + "] drift_window=2 csv=[" + csv
                + "] drift_out=[" + drift + "] threads=1");
        assertTrue(log.contains("wrote " + drift), log);
        String[] lines = new String(Files.readAllBytes(drift), StandardCharsets.UTF_8).split("\n");
        assertEquals(DRIFT_HEADER, lines[0]);
        assertEquals(1 + 4 * 4, lines.length, "one row per frame and plane (4 frames x 4 planes)");
        File cli = TestFiles.cli();
        if (cli != null) {
            Path cliCsv = dir.resolve("cli window locs.csv");
            Path cliDrift = dir.resolve("cli window drift.csv");
            int rc = TestFiles.run(dir.resolve("cli-window.log").toFile(), cli.getPath(), "localize", "--in",
                    movie.toString(), "--out", cliCsv.toString(), "--model", model.toString(), "--drift-window", "2",
                    "--drift-out", cliDrift.toString(), "--threads", "1", "--quiet");
            assertEquals(0, rc, () -> readLog(dir.resolve("cli-window.log")));
            assertArrayEquals(Files.readAllBytes(cliDrift), Files.readAllBytes(drift), "the CLI's drift, byte for byte");
            assertArrayEquals(Files.readAllBytes(cliCsv), Files.readAllBytes(csv), "the CLI's refined table");
        }
        String wrong = run(new LocalizeCommand(), "in=[" + movie + "] model=[" + model + "] refine=positions drift_window=5");
        assertTrue(wrong.contains("drift_window: only refine=drift"), wrong);
    }

    @Test
    void aFrameRangeKeepsTheMovieFrameNumbers() throws Exception {
        Path csv = dir.resolve("range.csv");
        run(new LocalizeCommand(), "in=[" + movie + "] model=[" + model + "] first=2 last=3 csv=[" + csv + "]");
        ResultsTable rt = Tables.find(LocalizeCommand.RESULTS);
        Path sidecar = Paths.get(csv + ".json");
        String record = new String(Files.readAllBytes(sidecar), StandardCharsets.UTF_8);
        assertTrue(record.contains("\"movie_frames\":4,\"first_frame\":2,\"last_frame\":3,\"rows\":" + rt.size() + ","),
                record);
        assertTrue(rt.size() > 0);
        for (int r = 0; r < rt.size(); r++) {
            double frame = rt.getValue("frame", r);
            assertTrue(frame == 2 || frame == 3, "frame " + frame);
        }
        File cli = TestFiles.cli();
        if (cli != null) {
            Path cliCsv = dir.resolve("cli range.csv");
            assertEquals(0, TestFiles.run(dir.resolve("cli2.log").toFile(), cli.getPath(), "localize", "--in",
                    movie.toString(), "--out", cliCsv.toString(), "--model", model.toString(),
                    "--frames", "2-3", "--quiet"));
            assertArrayEquals(Files.readAllBytes(cliCsv), Files.readAllBytes(csv));
            // the same record of what made it, so that mumloc merge takes Fiji's parts as the CLI's
            assertArrayEquals(Files.readAllBytes(Paths.get(cliCsv + ".json")), Files.readAllBytes(sidecar),
                    "the CLI's sidecar, byte for byte");
        }
    }

    @Test
    void aVirtualStackFedInSmallBatchesGivesTheSameTable() throws Exception {
        ImagePlus imp = FileInfoVirtualStack.openVirtual(movie.toString());
        assertNotNull(imp);
        assertTrue(imp.getStack().isVirtual());
        // Batches of 3 frames (3 + 1). The virtual stack may come without hyperstack dimensions: the planes are then named.
        PlaneLayout layout = PlaneLayout.of(imp, 4, imp.getNChannels() == 4 ? "auto" : "slices");
        assertEquals(4, layout.frames);
        Table table;
        try (Model m = Model.load(model.toString())) {
            table = LocalizeCommand.localize(imp.getStack(), layout, m, new double[] {0, 1, 1, 3}, 0, 1, 3, 0, 4,
                    Device.resolve("cpu"), true);
        }
        Path virtualCsv = dir.resolve("virtual.csv");
        table.writeCsv(virtualCsv.toString());
        Path csv = dir.resolve("in memory.csv");
        run(new LocalizeCommand(), "in=[" + movie + "] model=[" + model + "] device=cpu csv=[" + csv + "]");
        assertArrayEquals(Files.readAllBytes(csv), Files.readAllBytes(virtualCsv));
    }

    @Test
    void hostileMoviesAreRefusedByTheLibraryReader() throws Exception {
        Path csv = dir.resolve("hostile.csv");
        for (Map.Entry<String, Path> file : HostileFiles.write(dir.resolve("hostile")).entrySet()) {
            String log = HeadlessRun.start(new LocalizeCommand(), "in=[" + file.getValue() + "] model=[" + model
                    + "] csv=[" + csv + "]").finish(60_000);
            assertTrue(log.contains("MUMLoc Localize: error: ") && log.contains(file.getValue().getFileName().toString()),
                    file.getKey() + ": " + log);
        }
        assertFalse(Files.exists(csv));
    }

    @Test
    void theLibraryReaderGivesImageJTheMoviesDimensionsAndRecord() {
        ImagePlus imp = LocalizeCommand.movie(movie.toString());
        try {
            assertEquals(4, imp.getNChannels());
            assertEquals(1, imp.getNSlices());
            assertEquals(4, imp.getNFrames());
            assertTrue(imp.getStack().isVirtual());
            assertEquals(32, imp.getBitDepth());
            assertEquals(0.192, imp.getCalibration().pixelWidth, 1e-9);
            assertTrue(String.valueOf(imp.getProperty("Info")).contains("mumloc="));
            ImagePlus byImageJ = new Opener().openImage(movie.toString());
            for (int i = 1; i <= imp.getStackSize(); i++)
                assertArrayEquals((float[]) byImageJ.getStack().getProcessor(i).convertToFloat().getPixels(),
                        (float[]) imp.getStack().getProcessor(i).getPixels(), "image " + i);
        } finally {
            MovieStack.closeIfMovie(imp);
        }
    }

    @Test
    void modelByArchitectureName() throws Exception {
        Path bundled = dir.resolve("by default.csv"), named = dir.resolve("by name.csv");
        run(new LocalizeCommand(), "in=[" + movie + "] csv=[" + bundled + "] threads=1");
        String log = run(new LocalizeCommand(), "in=[" + movie + "] model=regression csv=[" + named + "] threads=1");
        assertFalse(log.contains("error"), log);
        assertArrayEquals(Files.readAllBytes(bundled), Files.readAllBytes(named), "model=regression is the default");
        Path voxel = dir.resolve("voxel.csv");
        String voxelLog = run(new LocalizeCommand(), "in=[" + movie + "] model=voxel csv=[" + voxel + "] threads=1");
        if (LocalizeCommand.class.getResource(LocalizeCommand.BUNDLED_FOLDER + "voxel-model.safetensors") == null) {
            assertTrue(voxelLog.contains("no bundled voxel model is installed"), voxelLog);
            assertFalse(Files.exists(voxel), voxelLog);
        } else {
            assertFalse(voxelLog.contains("error"), voxelLog);
            assertTrue(Files.exists(voxel), voxelLog);
        }
    }

    @Test
    void userErrorsAreLogLinesAndNoFile() throws Exception {
        Path csv = dir.resolve("never.csv");
        Path bundledCsv = dir.resolve("bundled.csv");
        String bundled = run(new LocalizeCommand(), "in=[" + movie + "] csv=[" + bundledCsv + "]");
        assertFalse(bundled.contains("error"), "without model= the bundled default model is used: " + bundled);
        assertTrue(Files.readAllLines(bundledCsv).get(0).startsWith("\"id\",\"frame\",\"x [nm]\""), bundled);
        String noModel = run(new LocalizeCommand(),
                "in=[" + movie + "] model=[" + dir.resolve("missing.safetensors") + "] csv=[" + csv + "]");
        assertTrue(noModel.contains("MUMLoc Localize: error") && noModel.contains("missing.safetensors"), noModel);
        String noImage = run(new LocalizeCommand(), "model=[" + model + "]");
        assertTrue(noImage.contains("in=["), noImage);
        String wrongAxis = run(new LocalizeCommand(), "in=[" + movie + "] model=[" + model + "] planes=slices");
        assertTrue(wrongAxis.contains("C=4"), wrongAxis);
        String badModel = run(new LocalizeCommand(), "in=[" + movie + "] model=[" + movie + "]");
        assertTrue(badModel.contains("MUMLoc Localize: error") && badModel.contains("tiny movie.tif"), badModel);
        String late = run(new LocalizeCommand(), "in=[" + movie + "] model=[" + model + "] first=9");
        assertTrue(late.contains("4 frames"), late);
        String noOptions = run(new LocalizeCommand(), null);
        assertTrue(noOptions.contains("options must come from the macro"), noOptions);
        assertFalse(Files.exists(csv));
    }

    @Test
    void aMovieRecordedWithOtherOpticsIsRefusedNamingBoth() throws Exception {
        SimParams p = SimParams.defaults();
        p.width = 24;
        p.height = 20;
        p.frames = 2;
        p.molecules = 2;
        p.seed = 5;
        p.optics.pixelNm = 160; // the bundled model's optics are the defaults: 192 nm
        Path other = dir.resolve("pixel 160.tif");
        Simulator.toFiles(p, other.toString(), null, null, null);
        Path csv = dir.resolve("other optics.csv");
        ResultsTable before = Tables.find(LocalizeCommand.RESULTS);
        String log = run(new LocalizeCommand(), "in=[" + other + "] csv=[" + csv + "]");
        assertTrue(log.contains("MUMLoc Localize: error: \"pixel 160.tif\" was recorded with other optics"), log);
        assertTrue(log.contains("pixel_nm 192 (model) vs 160"), "both values named: " + log);
        assertTrue(log.contains("trained for its optics"), "what to do: " + log);
        assertFalse(Files.exists(csv), "no CSV");
        assertSame(before, Tables.find(LocalizeCommand.RESULTS), "no results table");

        // "MUMLoc Simulate"'s in-memory movie carries the record in its Info: checked the same way.
        ImagePlus mem = SimulateCommand.simulate(p);
        try (Model m = Model.create("regression", 1)) {
            UserError e = assertThrows(UserError.class, () -> LocalizeCommand.checkOptics(mem, m));
            assertTrue(e.getMessage().contains("pixel_nm 192 (model) vs 160"), e.getMessage());
            // ... and a large movie, opened as a virtual stack, through its TIFF description.
            ImagePlus virtual = FileInfoVirtualStack.openVirtual(other.toString());
            e = assertThrows(UserError.class, () -> LocalizeCommand.checkOptics(virtual, m));
            assertTrue(e.getMessage().contains("pixel_nm 192 (model) vs 160"), e.getMessage());
            p.optics.pixelNm = 192;
            ImagePlus same = SimulateCommand.simulate(p);
            LocalizeCommand.checkOptics(same, m); // equal optics: no error
            assertTrue(m.checkRecordedOptics((String) same.getProperty("Info")));
            assertFalse(m.checkRecordedOptics("ImageJ=1.53t\nimages=8\nchannels=4"), "a foreign movie is trusted");
            assertFalse(m.checkRecordedOptics(null));
        }
    }

    private static String readLog(Path p) {
        try {
            return new String(Files.readAllBytes(p), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return e.toString();
        }
    }
}
