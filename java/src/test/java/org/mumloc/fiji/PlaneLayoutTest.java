package org.mumloc.fiji;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ij.ImagePlus;
import ij.ImageStack;
import ij.process.FloatProcessor;
import ij.process.ShortProcessor;

import org.junit.jupiter.api.Test;

/**
 * Hyperstack layouts → frames in the library's order (frame, plane, row, column). Every image of the
 * test stacks is filled with a value naming its frame and plane as the layout is defined by ImageJ's
 * own C/Z/T position (ImagePlus.getStackIndex), so the expectation does not use PlaneLayout's formula.
 */
class PlaneLayoutTest {
    private static final int W = 3, H = 2, K = 4;

    /** A C×Z×T hyperstack whose image at (c, z, t) holds value(c, z, t) everywhere. */
    private interface Value {
        float at(int c, int z, int t);
    }

    private static ImagePlus hyperstack(int c, int z, int t, Value v) {
        ImageStack stack = new ImageStack(W, H);
        for (int i = 0; i < c * z * t; i++) stack.addSlice(new FloatProcessor(W, H));
        ImagePlus imp = new ImagePlus("test", stack);
        imp.setDimensions(c, z, t);
        for (int ti = 1; ti <= t; ti++)
            for (int zi = 1; zi <= z; zi++)
                for (int ci = 1; ci <= c; ci++) {
                    float[] px = (float[]) stack.getPixels(imp.getStackIndex(ci, zi, ti));
                    java.util.Arrays.fill(px, v.at(ci, zi, ti));
                }
        return imp;
    }

    private static float[] read(ImagePlus imp, PlaneLayout layout, int first, int count) {
        float[] out = new float[count * K * W * H];
        layout.read(imp.getStack(), first, count, out);
        return out;
    }

    private static float code(int frame, int plane) {
        return 100 * frame + plane; // 0-based frame, 0-based plane
    }

    @Test
    void channelsAreThePlanesAndFramesRunOverZThenT() {
        // C = 4 planes, Z = 2, T = 3: the library's frames are z fastest (frame = (t-1)*Z + (z-1)).
        ImagePlus imp = hyperstack(K, 2, 3, (c, z, t) -> code((t - 1) * 2 + (z - 1), c - 1));
        PlaneLayout layout = PlaneLayout.of(imp, K, "auto");
        assertEquals("channels", layout.axis);
        assertEquals(6, layout.frames);
        float[] frames = read(imp, layout, 1, 5); // frames 2..6
        for (int f = 0; f < 5; f++)
            for (int d = 0; d < K; d++)
                for (int i = 0; i < W * H; i++)
                    assertEquals(code(f + 1, d), frames[(f * K + d) * W * H + i], "frame " + f + " plane " + d);
    }

    @Test
    void slicesAreThePlanesWhenThereIsOneChannel() {
        ImagePlus imp = hyperstack(1, K, 5, (c, z, t) -> code(t - 1, z - 1));
        PlaneLayout layout = PlaneLayout.of(imp, K, "auto");
        assertEquals("slices", layout.axis);
        assertEquals(5, layout.frames);
        float[] frames = read(imp, layout, 0, 5);
        for (int f = 0; f < 5; f++)
            for (int d = 0; d < K; d++) assertEquals(code(f, d), frames[(f * K + d) * W * H]);
    }

    @Test
    void aPlainStackIsAmbiguousUntilSlicesAreNamed() {
        // 3 frames x 4 planes as 12 plain slices, planes interleaved.
        ImagePlus imp = hyperstack(1, 12, 1, (c, z, t) -> code((z - 1) / K, (z - 1) % K));
        assertNull(PlaneLayout.of(imp, K, "auto"));
        PlaneLayout layout = PlaneLayout.of(imp, K, "slices");
        assertEquals(3, layout.frames);
        float[] frames = read(imp, layout, 2, 1);
        for (int d = 0; d < K; d++) assertEquals(code(2, d), frames[d * W * H]);
    }

    @Test
    void aStackWhoseZIsNotThePlaneCountFollowsTheLibrarysRule() {
        // C = 1, Z = 2, T = 2 with k = 4: one frame as slices (the CLI's --planes slices reads it the
        // same way); auto cannot decide; channels does not fit.
        ImagePlus imp = hyperstack(1, 2, 2, (c, z, t) -> code(0, (t - 1) * 2 + (z - 1)));
        assertNull(PlaneLayout.of(imp, K, "auto"));
        PlaneLayout layout = PlaneLayout.of(imp, K, "slices");
        assertEquals(1, layout.frames);
        float[] frame = read(imp, layout, 0, 1);
        for (int d = 0; d < K; d++) assertEquals(code(0, d), frame[d * W * H]);
        assertThrows(UserError.class, () -> PlaneLayout.of(imp, K, "channels"));
    }

    @Test
    void wrongLayoutsAreUserErrorsNamingTheDimensions() {
        ImagePlus three = hyperstack(3, 1, 2, (c, z, t) -> 0);
        UserError e = assertThrows(UserError.class, () -> PlaneLayout.of(three, K, "auto"));
        assertTrue(e.getMessage().contains("C=3"), e.getMessage());
        assertThrows(UserError.class, () -> PlaneLayout.of(three, K, "channels"));
        ImagePlus odd = hyperstack(1, 7, 1, (c, z, t) -> 0);
        assertThrows(UserError.class, () -> PlaneLayout.of(odd, K, "slices"));
        ImagePlus four = hyperstack(K, 1, 2, (c, z, t) -> 0);
        assertThrows(UserError.class, () -> PlaneLayout.of(four, K, "slices"));
        assertThrows(UserError.class, () -> PlaneLayout.of(four, K, "sideways"));
    }

    @Test
    void sixteenBitValuesArePassedAsTheirNumbers() {
        ImageStack stack = new ImageStack(W, H);
        for (int i = 0; i < K; i++) {
            ShortProcessor sp = new ShortProcessor(W, H);
            sp.set(1000 + 10000 * i);
            stack.addSlice(sp);
        }
        ImagePlus imp = new ImagePlus("u16", stack);
        imp.setDimensions(K, 1, 1);
        float[] frames = read(imp, PlaneLayout.of(imp, K, "auto"), 0, 1);
        for (int d = 0; d < K; d++) assertEquals(1000 + 10000 * d, frames[d * W * H]);
    }
}
