package org.mumloc;

/**
 * Sample drift correction of a localization table (mumloc.h, "Sample drift correction"): the drift
 * per frame ("frame", "dx [nm]", "dy [nm]", "dz [nm]": how far the sample had moved since the first
 * frame) by redundant cross-correlation or fiducial beads, and the table with it subtracted from x, y
 * and z (every other column unchanged). All the work is the library's.
 */
public final class Drift {
    public static final int RCC = 0;
    public static final int FIDUCIAL = 1;
    /** Method names, indexed by the constants above (the CLI's --method values). */
    public static String[] methodNames() {
        return Mumloc.enumNames("drift_method");
    }

    /** mumloc_drift_options; {@link #defaults()} holds the library's defaults. */
    public static final class Options {
        public int method;
        public long segmentFrames;
        public double pixelNm;
        public double maxDriftNm;
        public int minSegmentLocalizations;
        public boolean correctZ;
        public double fiducialPresence;
        public double fiducialRadiusNm;

        public static Options defaults() {
            Mumloc.load();
            Options o = new Options();
            nDefaults(o);
            return o;
        }
    }

    /** The drift per frame. */
    public final Table drift;
    /** The input table with the drift subtracted. */
    public final Table corrected;
    /** RCC: segments, frames per segment, pairs and pairs used, lateral bin (nm). */
    public final int segments;
    public final long segmentFrames;
    public final int pairs;
    public final int pairsUsed;
    public final double pixelNm;
    /** Fiducial: beads tracked. */
    public final int beads;

    /** Filled by the library, field by field (native/src/jni/Drift.c). */
    private Drift() {
        drift = null;
        corrected = null;
        segments = 0;
        segmentFrames = 0;
        pairs = 0;
        pairsUsed = 0;
        pixelNm = 0;
        beads = 0;
    }

    /**
     * Estimates the drift of a table (frame, x, y and, with correctZ, z in nm) and subtracts it.
     * progress may be null; returning true from it cancels (a MumlocException that says so).
     */
    public static Drift correct(Table table, Options options, ProgressListener progress) {
        Mumloc.load();
        if (table == null || options == null)
            throw new MumlocException(MumlocException.INVALID_ARGUMENT, "invalid argument",
                    "drift correction needs a table and options");
        Drift out = new Drift();
        nCorrect(table, options, progress, out);
        return out;
    }

    /** Writes a drift table's plot (drift vs frame, dx red, dy green, dz blue) as PNG, atomically. */
    public static void writePlot(Table drift, String path) {
        Mumloc.load();
        nWritePlot(drift, path);
    }

    // native/src/jni/Drift.c: Options and the result are read and written by field name.
    private static native void nDefaults(Options out);
    private static native void nCorrect(Table table, Options options, ProgressListener progress, Drift out);
    private static native void nWritePlot(Table drift, String path);
}
