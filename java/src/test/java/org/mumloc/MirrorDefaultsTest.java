package org.mumloc;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * Options mirrors take their defaults from the library when made (no default written in Java as well):
 * the documented values (the 2020 paper's training set-up, the CS and calibration defaults of
 * mumloc.h), and a Table is a handle whose columns are read by name.
 */
class MirrorDefaultsTest {
    @Test
    void trainingOptionsAreTheRegressionDefaultsButFijisSteps() {
        Training.Options o = new Training.Options();
        assertEquals("regression", o.arch);
        assertEquals(64, o.width);
        assertEquals(64, o.height);
        assertEquals(50, o.molecules);
        assertEquals(50, o.batch);
        assertEquals(1e-3, o.lr);
        assertEquals(1, o.seed);
        assertEquals(500, o.validationFrames);
        assertEquals("auto", o.device);
        assertEquals(0, o.epochs, "0 = the architecture's");
        assertEquals(0, o.framesPerEpoch, "0 = the architecture's");
        assertEquals(Training.FIJI_STEPS, o.steps);
        assertEquals(Camera.defaults().readNoiseE, o.camera.readNoiseE);
    }

    @Test
    void localizeAndCalibrateOptionsAreTheLibrarys() {
        Localizer.Options l = new Localizer.Options();
        assertEquals(800, l.csMinPhotons);
        assertEquals(1, l.csFrames);
        assertEquals(0, l.csKnownCount);
        assertEquals("auto", l.device);
        assertTrue(java.util.Arrays.asList(Localizer.refineNames()).contains(l.refine), l.refine);
        Calibration.Options c = new Calibration.Options();
        assertEquals(5, c.minBeads);
        assertArrayEquals(new double[] {0}, c.offsetAdu);
        assertArrayEquals(new double[] {1}, c.aduPerElectron);
        assertArrayEquals(new double[] {1}, c.emGain);
        assertArrayEquals(new double[] {3}, c.readNoiseE);
    }

    @Test
    void aTableIsReadByNameAndRefusedOnceClosed() {
        Table t = new Table(new String[] {"frame", "x"}, new String[] {"", "nm"}, new double[][] {{1, 2}, {10, 20}});
        assertArrayEquals(new double[] {10, 20}, t.column("x"));
        double[] copy = t.column("x");
        copy[0] = 99; // a copy: the table keeps its values
        assertArrayEquals(new double[] {10, 20}, t.column(1));
        assertEquals(-1, t.find("y"));
        assertThrows(MumlocException.class, () -> t.column("y"));
        assertThrows(MumlocException.class, () -> t.column(2));
        t.close();
        t.close(); // twice is harmless
        assertThrows(MumlocException.class, () -> t.writeCsv("/tmp/never.csv"));
    }
}
