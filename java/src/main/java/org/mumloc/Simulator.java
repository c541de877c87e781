package org.mumloc;

/**
 * A {@code mumloc_simulator}: the movie defined by a {@link SimParams}, frame by frame. Close it (it is
 * {@link AutoCloseable}) to free the native memory; methods called after {@link #close()} throw
 * {@link IllegalStateException}. Calls are serialised on the instance.
 */
public final class Simulator implements AutoCloseable {
    private long handle;
    private final SimParams params;

    /** Validates the parameters and builds the sample (throws {@link MumlocException}). */
    public Simulator(SimParams params) {
        this.params = params.copy();
        Mumloc.load();
        this.handle = nCreate(this.params);
    }

    private long handle() {
        if (handle == 0) throw new IllegalStateException("the simulator is closed");
        return handle;
    }

    /** A copy of the parameters the simulator uses. */
    public synchronized SimParams params() {
        SimParams p = new SimParams();
        nParams(handle(), p);
        return p;
    }

    public int planes() {
        return params.optics.planes;
    }

    public int width() {
        return params.width;
    }

    public int height() {
        return params.height;
    }

    public long frames() {
        return params.frames;
    }

    /** Floats in one frame: planes · height · width. */
    public long frameSize() {
        return (long) planes() * height() * width();
    }

    /** Upper bound on the molecules of any single frame. */
    public synchronized int maxEmitters() {
        return nMaxEmitters(handle());
    }

    /** Ground truth of frame {@code frame} (0-based). */
    public synchronized Emitter[] truth(long frame) {
        return nTruth(handle(), frame);
    }

    /** Drift of every plane of frame {@code frame}: dx, dy of plane d at [2d], [2d + 1]. */
    public synchronized double[] drift(long frame) {
        return nDrift(handle(), frame);
    }

    /** Simulates frames [first, first + count) into out (from index 0). */
    public void frames(long first, long count, float[] out) {
        frames(first, count, out, 0);
    }

    /** Simulates frames [first, first + count) into out starting at offset. */
    public synchronized void frames(long first, long count, float[] out, int offset) {
        nFrames(handle(), first, count, out, offset);
    }

    /** Simulates frames [first, first + count) into a new array. */
    public float[] frames(long first, long count) {
        long n = count * frameSize();
        if (count < 0 || n > Integer.MAX_VALUE - 8)
            throw new MumlocException(MumlocException.INVALID_ARGUMENT, "invalid argument",
                    count + " frames of " + frameSize() + " pixels do not fit in one Java array; "
                            + "simulate fewer frames at a time");
        float[] out = new float[(int) n];
        frames(first, count, out, 0);
        return out;
    }

    @Override
    public synchronized void close() {
        if (handle != 0) {
            nDestroy(handle);
            handle = 0;
        }
    }

    /**
     * Simulates the whole movie to files (the CLI's code path): a TIFF hyperstack, and optionally the
     * ground truth and drift CSVs (null to skip). On failure or cancellation no file is left behind.
     */
    public static void toFiles(SimParams params, String moviePath, String truthPath, String driftPath,
            ProgressListener progress) {
        Mumloc.load();
        nToFiles(params, moviePath, truthPath, driftPath, progress);
    }

    // native/src/jni/Simulator.c
    private static native long nCreate(SimParams params);
    private static native void nDestroy(long handle);
    private static native void nParams(long handle, SimParams out);
    private static native int nMaxEmitters(long handle);
    private static native Emitter[] nTruth(long handle, long frame);
    private static native double[] nDrift(long handle, long frame);
    private static native void nFrames(long handle, long first, long count, float[] out, int offset);
    private static native void nToFiles(SimParams params, String moviePath, String truthPath, String driftPath,
            ProgressListener progress);
}
