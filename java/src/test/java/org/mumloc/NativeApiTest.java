package org.mumloc;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Locale;

import org.junit.jupiter.api.Test;

/** The JNI binding: loading, defaults, errors as exceptions (never a crash), frames and truth. */
class NativeApiTest {

    @Test
    void libraryLoadsAndReportsItsVersion() {
        Mumloc.load();
        assertTrue(NativeLoader.isLoaded());
        // Built from the same tree: CMake's project version and the pom's version are both 0.1.0.
        assertEquals("0.1.0", Mumloc.version());
        assertEquals("invalid argument", MumlocException.statusString(MumlocException.INVALID_ARGUMENT));
    }

    @Test
    void idleThreadsSleepInTheJvmUnlessTheUserChose() {
        // The JVM links no OpenMP: the library's constructor runs before libgomp reads its settings.
        String chosen = System.getenv("OMP_WAIT_POLICY");
        String expected = chosen != null ? chosen
                : System.getenv("GOMP_SPINCOUNT") != null ? "spin, then sleep" : "passive";
        assertEquals(expected, Mumloc.ompWaitPolicy());
    }

    @Test
    void defaultsAreTheDocumentedOnes() {
        SimParams p = SimParams.defaults();
        // science.md §2–3 and mumloc.h
        assertEquals(4, p.optics.planes);
        assertEquals(192.0, p.optics.pixelNm);
        assertEquals(5.00e7, p.optics.psfAmplitude);
        assertEquals(133.05, p.optics.psfW0Nm);
        assertEquals(302.38, p.optics.psfDNm);
        assertEquals(7.37e-4, p.optics.psfA);
        assertEquals(0.1225, p.optics.psfB);
        assertArrayEquals(new double[] {200, 600, 1000, 1400}, java.util.Arrays.copyOf(p.optics.planeDepthNm, 4));
        assertEquals(10.0, p.camera.backgroundPhotons);
        assertEquals(3.0, p.camera.readNoiseE);
        assertEquals(1.0, p.camera.emGain);
        assertEquals(64, p.width);
        assertEquals(64, p.height);
        assertEquals(100, p.frames);
        assertEquals(1, p.seed);
        assertEquals(10, p.molecules);
        assertEquals(0.3, p.weightMin);
        assertEquals(1.0, p.weightMax);
        assertEquals(0.0, p.zMinNm);
        assertEquals(1600.0, p.zMaxNm);
        assertEquals(48.0, p.driftMaxNm);
        assertEquals(24.0, p.driftStepNm);
        p.validate();
        // w(0) = w0 by definition of the PSF model
        assertEquals(133.05, p.optics.psfWidthNm(0.0), 1e-9);
    }

    @Test
    void badParameterThrowsWithTheLibraryMessage() {
        SimParams p = SimParams.defaults();
        p.frames = 0;
        MumlocException e = assertThrows(MumlocException.class, p::validate);
        assertEquals(MumlocException.INVALID_ARGUMENT, e.getStatus());
        assertEquals("invalid argument", e.getStatusName());
        assertTrue(e.getMessage().toLowerCase(Locale.ROOT).contains("frames"), e.getMessage());

        SimParams q = SimParams.defaults();
        q.weightMin = 0.9;
        q.weightMax = 0.2;
        MumlocException e2 = assertThrows(MumlocException.class, () -> new Simulator(q));
        assertTrue(e2.getMessage().toLowerCase(Locale.ROOT).contains("weight"), e2.getMessage());
    }

    @Test
    void badInputsNeverReachTheLibrary() {
        SimParams p = SimParams.defaults();
        p.optics.planeDepthNm = null;
        assertThrows(MumlocException.class, p::validate);

        SimParams q = SimParams.defaults();
        q.optics.planeDepthNm = new double[2]; // planes is 4
        assertThrows(MumlocException.class, q::validate);

        SimParams r = SimParams.defaults();
        r.noise = 7;
        assertThrows(MumlocException.class, r::toJson);
        r.noise = SimParams.NOISE_NONE;
        r.camera = null;
        assertThrows(MumlocException.class, r::validate);

        assertThrows(MumlocException.class, () -> Simulator.toFiles(SimParams.defaults(), null, null, null, null));
        assertThrows(MumlocException.class, () -> Simulator.toFiles(null, "/tmp/x.tif", null, null, null));
        assertThrows(MumlocException.class, () -> Optics.load(null));
        SimParams noOptics = new SimParams();
        noOptics.optics = null;
        assertThrows(MumlocException.class, noOptics::validate);
        assertThrows(MumlocException.class, noOptics::toJson);
        // a mirror's array of the wrong length, and a closed table, are refused with a message
        Optics shortCurves = Optics.defaults();
        shortCurves.perPlane = true;
        shortCurves.planeW0Nm = new double[1];
        assertThrows(MumlocException.class, shortCurves::validate);
        Table t = new Table(new String[] {"x"}, new String[] {"nm"}, new double[][] {{1}});
        t.close();
        MumlocException closed = assertThrows(MumlocException.class, t::rows);
        assertTrue(closed.getMessage().contains("closed"), closed.getMessage());
    }

    private static SimParams small() {
        SimParams p = SimParams.defaults();
        p.width = 20;
        p.height = 12;
        p.frames = 6;
        p.molecules = 4;
        p.seed = 42;
        return p;
    }

    @Test
    void frameRequestsAreChecked() {
        Simulator sim = new Simulator(small());
        long frame = sim.frameSize();
        assertEquals(4L * 12 * 20, frame);
        float[] one = new float[(int) frame];
        assertThrows(MumlocException.class, () -> sim.frames(0, 2, one));          // too short
        assertThrows(MumlocException.class, () -> sim.frames(0, 1, one, 1));       // offset pushes past end
        assertThrows(MumlocException.class, () -> sim.frames(0, 1, one, -1));
        assertThrows(MumlocException.class, () -> sim.frames(5, 2, new float[(int) (2 * frame)])); // past the movie
        assertThrows(MumlocException.class, () -> sim.frames(-1, 1, one));
        assertThrows(MumlocException.class, () -> sim.frames(0, 1, null));
        assertThrows(MumlocException.class, () -> sim.truth(6));
        assertThrows(MumlocException.class, () -> sim.drift(-1));
        sim.frames(5, 1, one); // the last frame fits exactly
        sim.close();
        assertThrows(IllegalStateException.class, () -> sim.frames(0, 1, one));
        sim.close(); // idempotent
    }

    @Test
    void framesAreAPureFunctionOfSeedAndIndex() {
        SimParams p = small();
        float[] all;
        float[] pieces;
        try (Simulator sim = new Simulator(p)) {
            int frame = (int) sim.frameSize();
            all = sim.frames(0, 6);
            // the same frames in other batches, written at an offset
            pieces = new float[7 * frame];
            sim.frames(4, 2, pieces, 5 * frame);
            sim.frames(0, 4, pieces, frame);
            assertArrayEquals(all, java.util.Arrays.copyOfRange(pieces, frame, 7 * frame));
        }
        try (Simulator again = new Simulator(p)) {
            assertArrayEquals(all, again.frames(0, 6));
        }
        SimParams other = small();
        other.seed = 43;
        try (Simulator sim = new Simulator(other)) {
            assertFalse(java.util.Arrays.equals(all, sim.frames(0, 6)));
        }
        Mumloc.setThreads(1);
        try (Simulator sim = new Simulator(p)) {
            assertArrayEquals(all, sim.frames(0, 6));
        } finally {
            Mumloc.setThreads(0);
        }
    }

    @Test
    void truthAndDriftFollowTheParameters() {
        SimParams p = small();
        try (Simulator sim = new Simulator(p)) {
            assertTrue(sim.maxEmitters() >= 4);
            for (long f = 0; f < p.frames; f++) {
                Emitter[] truth = sim.truth(f);
                assertEquals(4, truth.length);
                for (Emitter e : truth) {
                    assertEquals(f, e.frame);
                    assertTrue(e.xNm >= 0 && e.xNm <= 20 * 192.0, e.toString());
                    assertTrue(e.yNm >= 0 && e.yNm <= 12 * 192.0, e.toString());
                    assertTrue(e.zNm >= 0 && e.zNm <= 1600.0, e.toString());
                    assertTrue(e.weight >= 0.3 && e.weight <= 1.0, e.toString());
                    // photons summed over all planes: k · c · a' / p²
                    assertEquals(4 * e.weight * 5.0e7 / (192.0 * 192.0), e.photons, 1e-9 * e.photons);
                }
                double[] drift = sim.drift(f);
                assertEquals(8, drift.length);
                assertEquals(0.0, drift[0]);
                assertEquals(0.0, drift[1]);
                for (int i = 2; i < 8; i++) {
                    assertTrue(Math.abs(drift[i]) <= 48.0, "drift " + drift[i]);
                    assertEquals(0.0, Math.IEEEremainder(drift[i], 24.0), 1e-9, "drift " + drift[i]);
                }
            }
            SimParams back = sim.params();
            assertEquals(20, back.width);
            assertEquals(42, back.seed);
        }
    }

    @Test
    void numbersAreFormattedAsInTheCsvFiles() {
        assertEquals("0.0001", Table.formatNumber(1e-4));
        assertEquals("12345678900", Table.formatNumber(1.23456789e10));
        assertEquals("2.5", Table.formatNumber(2.5));
        assertEquals("NaN", Table.formatNumber(Double.NaN));
        assertEquals("-Infinity", Table.formatNumber(Double.NEGATIVE_INFINITY));
    }

    @Test
    void jsonDescribesTheParameters() {
        String json = small().toJson();
        assertTrue(json.startsWith("{") && json.endsWith("}"), json);
        assertFalse(json.contains("\n") || json.contains("\\"), json);
        assertTrue(json.contains("42"), json);
        assertNotEquals(json, SimParams.defaults().toJson());
    }
}
