package org.mumloc.fiji;

import ij.ImagePlus;
import ij.ImageStack;
import ij.process.ImageProcessor;
import org.mumloc.MovieLayout;
import org.mumloc.MumlocException;

/**
 * Where the k focal planes of a movie are in an ImageJ stack, and how its frames are read out.
 *
 * <ul>
 * <li>channels: C = k; the frames are Z · T (z fastest), as the library reads a TIFF;</li>
 * <li>slices: C = 1 and either Z = k (frames = T), or a plain stack whose images are frame after frame,
 * k planes each (the planes interleaved).</li>
 * </ul>
 * In both, frame f (0-based) plane d (0-based) is stack image f · k + d + 1 (ImageJ's order: channel
 * fastest, then slice, then frame). Auto picks channels when C = k and slices when C = 1 and Z = k; a
 * plain stack of n · k images is the ambiguous case (the caller asks, or a macro names the axis).
 */
public final class PlaneLayout {
    /** The axes a dialog offers: the library's names (auto, channels, slices). */
    public static String[] axes() {
        return MovieLayout.axisNames();
    }

    public final String axis; // "channels" or "slices"
    public final int planes;
    public final int frames;

    private PlaneLayout(String axis, int planes, int frames) {
        this.axis = axis;
        this.planes = planes;
        this.frames = frames;
    }

    /**
     * The layout of a C × Z × T stack for k planes, by the library's rule (the CLI's --planes).
     * request: "auto", "channels" or "slices". Returns null when auto cannot decide but slices would
     * fit (a plain stack: the caller asks, or a macro names the axis); throws a user error with the
     * library's message when the image cannot hold k planes the way requested.
     */
    public static PlaneLayout detect(int c, int z, int t, int k, String request) {
        try {
            MovieLayout layout = MovieLayout.resolve(c, z, t, k, request, "the image");
            return new PlaneLayout(layout.axis, k, (int) layout.frames);
        } catch (MumlocException e) {
            if ("auto".equals(request) && slicesFit(c, z, t, k)) return null;
            throw new UserError(e.getMessage());
        }
    }

    private static boolean slicesFit(int c, int z, int t, int k) {
        try {
            MovieLayout.resolve(c, z, t, k, "slices", "the image");
            return true;
        } catch (MumlocException e) {
            return false;
        }
    }

    /** 1-based stack index of frame f, plane d (both 0-based). */
    public int stackIndex(int frame, int plane) {
        return frame * planes + plane + 1;
    }

    /**
     * Copies count frames from firstFrame (0-based) into out (frame, plane, row, column), as camera
     * values (8/16-bit as their raw numbers). Each image is read once through getProcessor, so a
     * virtual stack loads only these images.
     */
    public void read(ImageStack stack, int firstFrame, int count, float[] out) {
        int w = stack.getWidth(), h = stack.getHeight(), n = w * h;
        for (int f = 0; f < count; f++)
            for (int d = 0; d < planes; d++) {
                ImageProcessor ip = stack.getProcessor(stackIndex(firstFrame + f, d));
                float[] px = (float[]) (ip.getBitDepth() == 32 ? ip.getPixels() : ip.toFloat(0, null).getPixels());
                System.arraycopy(px, 0, out, (f * planes + d) * n, n);
            }
    }

    public static PlaneLayout of(ImagePlus imp, int k, String request) {
        return detect(imp.getNChannels(), imp.getNSlices(), imp.getNFrames(), k, request);
    }
}
