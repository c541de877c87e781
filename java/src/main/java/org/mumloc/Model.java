package org.mumloc;

/**
 * A {@code mumloc_model}: one of the two networks with its weights, optics and normalisation, loaded
 * and validated by the library. Close it (it is {@link AutoCloseable}) to free the native memory;
 * methods called after {@link #close()} throw {@link IllegalStateException}.
 */
public final class Model implements AutoCloseable {
    private long handle;

    private Model(long handle) {
        this.handle = handle;
    }

    /** Loads a model file (safetensors); a bad file throws {@link MumlocException} naming it. */
    public static Model load(String path) {
        Mumloc.load();
        return new Model(nLoad(path));
    }

    /** A model with random weights for the default optics and camera ("regression" or "voxel"). */
    public static Model create(String arch, long seed) {
        Mumloc.load();
        return new Model(nCreate(arch, seed));
    }

    synchronized long handle() {
        if (handle == 0) throw new IllegalStateException("the model is closed");
        return handle;
    }

    /** Writes the model file atomically. */
    public synchronized void save(String path) {
        nSave(handle(), path);
    }

    /** The number of focal planes k of the model's optics. */
    public synchronized int planes() {
        return nPlanes(handle());
    }

    /** "regression" or "voxel". */
    public synchronized String arch() {
        return nArch(handle());
    }

    /** The model's default decoding threshold. */
    public synchronized double threshold() {
        return nThreshold(handle());
    }

    /** Everything about the model, one "key: value" line each (as {@code mumloc info}). */
    public synchronized String info() {
        return nInfoText(handle());
    }

    /**
     * Checks the optics a movie records against the model's. description: a TIFF ImageDescription or
     * ImageJ's "Info" text, which may hold mumloc's record ("mumloc={...}" with "optics", as
     * {@code mumloc simulate} writes it; null allowed). Returns false when it records no optics
     * (nothing to check), true when they equal the model's; throws {@link MumlocException} naming
     * every differing field with both values when they differ.
     */
    public synchronized boolean checkRecordedOptics(String description) {
        return nCheckRecordedOptics(handle(), description);
    }

    /**
     * Writes the sidecar {@code table + ".json"} of a table this model made from frames
     * [firstFrame, firstFrame + frameCount) (0-based) of the movie file (movieFrames frames), giving rows
     * rows: the model's SHA-256 and optics, the threshold (0 = the model's), the refinement ("none",
     * "positions", "drift"), the movie and the frames, as {@code mumloc localize} records them, so that
     * {@code mumloc merge} can check what it merges. Written atomically.
     */
    public synchronized void writeProvenance(String table, double threshold, String refine, String movie,
            long movieFrames, long firstFrame, long frameCount, long rows) {
        nWriteProvenance(handle(), table, threshold, refine, movie, movieFrames, firstFrame, frameCount, rows);
    }

    /** The path of a table's sidecar (what made it), by the library's naming rule. */
    public static String sidecarPath(String table) {
        Mumloc.load();
        return nSidecarPath(table);
    }

    @Override
    public synchronized void close() {
        if (handle != 0) nDestroy(handle);
        handle = 0;
    }

    private static native long nLoad(String path);
    private static native long nCreate(String arch, long seed);
    private static native void nSave(long handle, String path);
    private static native void nDestroy(long handle);
    private static native int nPlanes(long handle);
    private static native String nArch(long handle);
    private static native double nThreshold(long handle);
    private static native String nInfoText(long handle);
    private static native boolean nCheckRecordedOptics(long handle, String description);
    private static native void nWriteProvenance(long handle, String table, double threshold, String refine,
            String movie, long movieFrames, long firstFrame, long frameCount, long rows);
    private static native String nSidecarPath(String table);
}
