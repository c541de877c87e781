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
        this.handle = Mumloc.simulatorCreate(this.params);
    }

    private long handle() {
        if (handle == 0) throw new IllegalStateException("the simulator is closed");
        return handle;
    }

    /** A copy of the parameters the simulator uses. */
    public synchronized SimParams params() {
        SimParams p = new SimParams();
        Mumloc.simulatorParams(handle(), p);
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
        return Mumloc.simulatorMaxEmitters(handle());
    }

    /** Ground truth of frame {@code frame} (0-based). */
    public synchronized Emitter[] truth(long frame) {
        return Mumloc.simulateTruth(handle(), frame);
    }

    /** Drift of every plane of frame {@code frame}: dx, dy of plane d at [2d], [2d + 1]. */
    public synchronized double[] drift(long frame) {
        return Mumloc.simulateDrift(handle(), frame);
    }

    /** Simulates frames [first, first + count) into out (from index 0). */
    public void frames(long first, long count, float[] out) {
        frames(first, count, out, 0);
    }

    /** Simulates frames [first, first + count) into out starting at offset. */
    public synchronized void frames(long first, long count, float[] out, int offset) {
        Mumloc.simulateFrames(handle(), first, count, out, offset);
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
            Mumloc.simulatorDestroy(handle);
            handle = 0;
        }
    }
}
