package org.mumloc.fiji;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.mumloc.MumlocException;
import org.mumloc.SimParams;

/** Macro options → simulation parameters, without any window. */
class OptionFormTest {

    @Test
    void macroOptionsAreSplitAsImageJWritesThem() {
        Map<String, String> m = MacroOptions.parse("frames=5 movie=[/tmp/a b/[x].tif] noise=none read_noise=2.5 "
                + "truth='/t q.csv' flag FRAMES=9");
        assertEquals("5", m.get("frames"), "a repeated key keeps its first value");
        assertEquals("/tmp/a b/[x].tif", m.get("movie"));
        assertEquals("none", m.get("noise"));
        assertEquals("2.5", m.get("read_noise"));
        assertEquals("/t q.csv", m.get("truth"));
        assertEquals("true", m.get("flag"));
        assertThrows(UserError.class, () -> MacroOptions.parse("movie=[/tmp/x"));
    }

    @Test
    void keysAreTheCliOptionNames() {
        List<String> keys = SimulateCommand.form(SimParams.defaults()).keys();
        // `mumloc simulate --help`: every simulation option, '_' for '-', plus the movie path; molecules_min is
        // the A of --molecules A-B (a dialog number field holds one number).
        List<String> expected = Arrays.asList("frames", "size", "sample", "molecules", "molecules_min", "density",
                "filaments",
                "weight_min", "weight_max", "z_min", "z_max", "seed", "drift", "drift_step", "noise", "background",
                "read_noise", "em_gain", "gain", "offset", "optics", "threads", "movie", "truth", "drift_file");
        assertEquals(expected, keys);
    }

    @Test
    void optionsBecomeLibraryParameters() {
        OptionForm f = SimulateCommand.form(SimParams.defaults());
        // "noise" must not pick up read_noise's value, nor "gain" em_gain's (ImageJ's own lookup would).
        f.readOptions("read_noise=2.5 em_gain=100 frames=7 size=40x30 molecules=3 seed=18446744073709551615 "
                + "noise=NONE sample=helix drift=24 drift_step=12 background=4 gain=2 offset=100 z_min=100 "
                + "z_max=1500 weight_min=0.5 weight_max=0.9 density=0 filaments=3 threads=1 out=[m.tif]");
        SimulateCommand.Request r = SimulateCommand.request(f);
        SimParams p = r.params;
        assertEquals(7, p.frames);
        assertEquals(40, p.width);
        assertEquals(30, p.height);
        assertEquals(3, p.molecules);
        assertEquals(-1L, p.seed, "2^64 - 1 kept exactly");
        assertEquals(SimParams.NOISE_NONE, p.noise);
        assertEquals(SimParams.SAMPLE_HELIX, p.sample);
        assertEquals(24.0, p.driftMaxNm);
        assertEquals(12.0, p.driftStepNm);
        assertEquals(4.0, p.camera.backgroundPhotons);
        assertEquals(2.5, p.camera.readNoiseE);
        assertEquals(100.0, p.camera.emGain);
        assertEquals(2.0, p.camera.aduPerElectron);
        assertEquals(100.0, p.camera.offsetAdu);
        assertEquals(100.0, p.zMinNm);
        assertEquals(1500.0, p.zMaxNm);
        assertEquals(0.5, p.weightMin);
        assertEquals(0.9, p.weightMax);
        assertEquals(3, p.filaments);
        assertEquals(1, r.threads);
        assertTrue(r.moviePath.endsWith("/m.tif") && r.moviePath.startsWith("/"), "absolute: " + r.moviePath);
        assertNull(r.truthPath);
        assertNull(r.driftPath);
    }

    @Test
    void missingKeysKeepTheLibraryDefaults() {
        OptionForm f = SimulateCommand.form(SimParams.defaults());
        f.readOptions("truth=[/x/t.csv] movie=[/x/m.tif]");
        SimulateCommand.Request r = SimulateCommand.request(f);
        SimParams d = SimParams.defaults();
        assertEquals(d.frames, r.params.frames);
        assertEquals(d.width, r.params.width);
        assertEquals(d.seed, r.params.seed);
        assertEquals(d.camera.readNoiseE, r.params.camera.readNoiseE);
        assertEquals(d.toJson(), r.params.toJson());
        assertEquals("/x/t.drift.csv", r.driftPath, "as the CLI: the drift file goes beside the truth file");
    }

    @Test
    void mistakesAreNamed() {
        UserError unknown = assertThrows(UserError.class,
                () -> SimulateCommand.form(SimParams.defaults()).readOptions("frame=5"));
        assertTrue(unknown.getMessage().contains("'frame'") && unknown.getMessage().contains("frames"),
                unknown.getMessage());
        UserError choice = assertThrows(UserError.class,
                () -> SimulateCommand.form(SimParams.defaults()).readOptions("noise=gaussian"));
        assertTrue(choice.getMessage().contains("physical"), choice.getMessage());
        UserError number = assertThrows(UserError.class,
                () -> SimulateCommand.form(SimParams.defaults()).readOptions("frames=many"));
        assertTrue(number.getMessage().startsWith("frames"), number.getMessage());

        OptionForm half = SimulateCommand.form(SimParams.defaults());
        half.readOptions("frames=2.5");
        assertThrows(UserError.class, () -> SimulateCommand.request(half));
        OptionForm size = SimulateCommand.form(SimParams.defaults());
        size.readOptions("size=64y3");
        assertThrows(UserError.class, () -> SimulateCommand.request(size));
        OptionForm seed = SimulateCommand.form(SimParams.defaults());
        seed.readOptions("seed=-1");
        assertThrows(UserError.class, () -> SimulateCommand.request(seed));
        OptionForm same = SimulateCommand.form(SimParams.defaults());
        same.readOptions("movie=[/x/a] truth=[/x/a]");
        assertThrows(UserError.class, () -> SimulateCommand.request(same));

        // Ranges are the library's: its message names the option.
        OptionForm range = SimulateCommand.form(SimParams.defaults());
        range.readOptions("molecules=-3");
        MumlocException e = assertThrows(MumlocException.class, () -> SimulateCommand.request(range));
        assertTrue(e.getMessage().contains("molecules"), e.getMessage());
    }

    @Test
    void opticsFileIsReadByTheLibrary() throws Exception {
        java.nio.file.Path dir = org.mumloc.TestFiles.scratch("optics");
        java.nio.file.Path file = dir.resolve("optics.json");
        java.nio.file.Files.write(file, "{\"pixel_nm\": 100, \"planes\": 2, \"plane_depth_nm\": [300, 700]}"
                .getBytes(java.nio.charset.StandardCharsets.UTF_8));
        OptionForm f = SimulateCommand.form(SimParams.defaults());
        f.readOptions("optics=[" + file + "] frames=2 size=16 z_max=1000");
        SimParams p = SimulateCommand.request(f).params;
        assertEquals(100.0, p.optics.pixelNm);
        assertEquals(2, p.optics.planes);
        assertEquals(300.0, p.optics.planeDepthNm[0]);
        assertEquals(700.0, p.optics.planeDepthNm[1]);
        assertEquals(SimParams.defaults().optics.psfW0Nm, p.optics.psfW0Nm, "missing fields keep their defaults");
        ij.ImagePlus imp = SimulateCommand.simulate(p);
        assertEquals(2, imp.getNChannels());
        assertEquals(2, imp.getNFrames());
        assertEquals(0.1, imp.getCalibration().pixelWidth, 1e-12);

        OptionForm missing = SimulateCommand.form(SimParams.defaults());
        missing.readOptions("optics=[" + dir.resolve("none.json") + "]");
        MumlocException e = assertThrows(MumlocException.class, () -> SimulateCommand.request(missing));
        assertTrue(e.getMessage().contains("none.json"), e.getMessage());

        java.nio.file.Path bad = dir.resolve("bad.json");
        java.nio.file.Files.write(bad, "{\"pixel_size\": 100}".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        OptionForm unknown = SimulateCommand.form(SimParams.defaults());
        unknown.readOptions("optics=[" + bad + "]");
        MumlocException e2 = assertThrows(MumlocException.class, () -> SimulateCommand.request(unknown));
        assertTrue(e2.getMessage().contains("pixel_size"), e2.getMessage());
    }

    @Test
    void sizeAcceptsOneOrTwoNumbers() {
        assertArrayEquals(new int[] {64, 64}, SimulateCommand.parseSize("64"));
        assertArrayEquals(new int[] {128, 32}, SimulateCommand.parseSize("128x32"));
        assertArrayEquals(new int[] {128, 32}, SimulateCommand.parseSize(" 128 X 32 "));
    }

    @Test
    void batchesBoundMemoryAndGiveProgress() {
        assertEquals(5, SimulateCommand.batchFrames(16384, 100));   // 20 progress steps
        assertEquals(1, SimulateCommand.batchFrames(16384, 3));
        assertEquals(16, SimulateCommand.batchFrames(256 * 256 * 4, 100000)); // 4 Mi floats
        assertEquals(1, SimulateCommand.batchFrames(1 << 24, 1000));
    }
}
