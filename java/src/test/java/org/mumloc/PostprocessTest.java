package org.mumloc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

/**
 * The Java mirror of merging, filtering and FRC (JNI) on hand-made tables, and progress with
 * cancellation for them and for evaluation.
 */
class PostprocessTest {
    /** Molecule A in frames 1, 2 and 4 (uncertainties 10, 20, 10 nm), B once in frame 2. */
    private static Table blinks() {
        return new Table(new String[] {"frame", "x", "y", "uncertainty_xy"}, new String[] {"", "nm", "nm", "nm"},
                new double[][] {{1, 2, 2, 4}, {100, 110, 300, 104}, {0, 0, 0, 0}, {10, 20, 10, 10}});
    }

    @Test
    void mergeWeightsByInverseVariance() {
        Postprocess.MergeOptions o = Postprocess.MergeOptions.defaults();
        assertEquals(20, o.distanceNm);
        assertEquals(1, o.offFrames);
        Table m = Postprocess.mergeBlinks(blinks(), o, null);
        assertEquals(2, m.rows());
        int x = m.find("x"), det = m.find("detections"), u = m.find("uncertainty_xy");
        // weights 1/100, 1/400, 1/100: x = (100/100 + 110/400 + 104/100) / (9/400) = 102.666...
        assertEquals((1.0 + 110.0 / 400 + 1.04) / (9.0 / 400), m.column(x)[0], 1e-9);
        assertEquals(1 / Math.sqrt(9.0 / 400), m.column(u)[0], 1e-12);
        assertEquals(3, m.column(det)[0]);
        o.offFrames = 0;
        assertEquals(3, Postprocess.mergeBlinks(blinks(), o, null).rows());
    }

    @Test
    void filterKeepsRowsAndNamesColumnsOnError() {
        Table kept = Postprocess.filter(blinks(), "x > 105 | frame = 1", 0, 0, false, null);
        assertEquals(3, kept.rows());
        MumlocException e = assertThrows(MumlocException.class,
                () -> Postprocess.filter(blinks(), "photons > 1", 0, 0, false, null));
        assertTrue(e.getMessage().contains("no column \"photons\"") && e.getMessage().contains("frame, x, y"),
                e.getMessage());
        assertEquals(3, Postprocess.filter(blinks(), null, 12, 1, false, null).rows());
    }

    @Test
    void frcGivesTheCurveAndCancels() {
        int n = 4000;
        double[] frame = new double[n], x = new double[n], y = new double[n];
        java.util.Random random = new java.util.Random(5);
        for (int i = 0; i < n; i++) {
            frame[i] = 1 + i % 100;
            x[i] = 1000 * random.nextDouble() + (i % 2) * 0.5;
            y[i] = 1000 * random.nextDouble();
        }
        Table t = new Table(new String[] {"frame", "x", "y"}, new String[] {"", "nm", "nm"}, new double[][] {frame, x, y});
        Postprocess.FrcOptions o = Postprocess.FrcOptions.defaults();
        o.blockFrames = 10;
        Postprocess.Frc r = Postprocess.frc(t, o, null, null, null);
        assertEquals(5, r.pixelNm);
        assertEquals(256, r.imageSize);
        assertEquals(129, r.frequency.length);
        assertEquals(2000, r.rowsHalf1);
        assertNotNull(r.json);
        AtomicInteger calls = new AtomicInteger();
        MumlocException e = assertThrows(MumlocException.class,
                () -> Postprocess.frc(t, o, null, null, (done, total) -> calls.incrementAndGet() > 0));
        assertTrue(e.isCancelled());
        assertEquals(1, calls.get());
    }

    @Test
    void evaluationReportsProgressOnLargeTables() {
        int n = 100000;
        double[] frame = new double[n], x = new double[n], y = new double[n], z = new double[n];
        for (int i = 0; i < n; i++) {
            frame[i] = 1 + i / 50;
            x[i] = 1000 * (i % 50);
        }
        Table t = new Table(new String[] {"frame", "x", "y", "z"}, new String[] {"", "nm", "nm", "nm"},
                new double[][] {frame, x, y, z});
        AtomicInteger calls = new AtomicInteger();
        Evaluation e = Evaluation.evaluate(t, t, Evaluation.Options.defaults(), null, (done, total) -> {
            assertEquals(2L * n, total);
            calls.incrementAndGet();
            return false;
        });
        assertEquals(n, e.overall().tp());
        assertTrue(calls.get() >= 2);
        MumlocException cancelled = assertThrows(MumlocException.class,
                () -> Evaluation.evaluate(t, t, Evaluation.Options.defaults(), null, (done, total) -> true));
        assertTrue(cancelled.isCancelled());
    }
}
