package org.mumloc.fiji;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ij.gui.Plot;
import ij.measure.ResultsTable;

import org.junit.jupiter.api.Test;

/** The loss plot of "MUMLoc Train", fed by the progress path: every step a point, validations apart. */
class TrainProgressTest {
    @Test
    void everyStepIsPlottedAndValidationsSeparately() {
        TrainCommand.Progress p = new TrainCommand.Progress(true); // quiet: log lines, no window
        double nan = Double.NaN;
        assertFalse(p.step(1, 4, 5.0, 1e-3, false, nan, nan, nan, nan, 0.1));
        assertFalse(p.step(2, 4, 4.0, 1e-3, true, 4.5, 0.25, 80, 120, 0.2));
        assertFalse(p.step(3, 4, 3.0, 1e-3, false, nan, nan, nan, nan, 0.3));
        assertFalse(p.step(4, 4, 2.0, 1e-3, true, 2.5, 0.5, 60, 90, 0.4));
        assertEquals(4, p.lastStep);
        assertTrue(p.validationSummary().contains("step 4") && p.validationSummary().contains("Jaccard 0.500"),
                p.validationSummary());
        Plot plot = p.plot();
        ResultsTable rt = plot.getResultsTable();
        // Columns: steps and training losses, then validation steps and losses.
        assertEquals(4, rt.size());
        double[] losses = rt.getColumnAsDoubles(1);
        assertEquals(5.0, losses[0]);
        assertEquals(2.0, losses[3]);
        double[] valSteps = rt.getColumnAsDoubles(2);
        assertEquals(2.0, valSteps[0]);
        assertEquals(4.0, valSteps[1]);
        assertEquals(2.5, rt.getColumnAsDoubles(3)[1]);
    }

    @Test
    void sizesAreWOrWxH() {
        assertEquals(64, TrainCommand.parseSize("64")[1]);
        assertEquals(32, TrainCommand.parseSize("64x32")[1]);
        assertEquals(64, TrainCommand.parseSize(" 64 X 32 ")[0]);
    }
}
