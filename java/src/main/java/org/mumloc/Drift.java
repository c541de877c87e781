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
            double[] v = nDefaultOptions();
            Options o = new Options();
            o.method = (int) v[0];
            o.segmentFrames = (long) v[1];
            o.pixelNm = v[2];
            o.maxDriftNm = v[3];
            o.minSegmentLocalizations = (int) v[4];
            o.correctZ = v[5] != 0;
            o.fiducialPresence = v[6];
            o.fiducialRadiusNm = v[7];
            return o;
        }

        double[] toArray() {
            return new double[] {method, segmentFrames, pixelNm, maxDriftNm, minSegmentLocalizations, correctZ ? 1 : 0,
                fiducialPresence, fiducialRadiusNm};
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

    private Drift(Object[] r) {
        drift = (Table) r[0];
        corrected = (Table) r[1];
        double[] info = (double[]) r[2];
        segments = (int) info[0];
        segmentFrames = (long) info[1];
        pairs = (int) info[2];
        pairsUsed = (int) info[3];
        pixelNm = info[4];
        beads = (int) info[5];
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
        return new Drift(nCorrect(table.namesArray(), table.unitsArray(), table.columnsArray(), options.toArray(),
                progress));
    }

    /** Writes a drift table's plot (drift vs frame, dx red, dy green, dz blue) as PNG, atomically. */
    public static void writePlot(Table drift, String path) {
        Mumloc.load();
        nWritePlot(drift.namesArray(), drift.unitsArray(), drift.columnsArray(), path);
    }

    private static native double[] nDefaultOptions();
    private static native Object[] nCorrect(String[] names, String[] units, double[][] columns, double[] options,
            ProgressListener progress);
    private static native void nWritePlot(String[] names, String[] units, double[][] columns, String path);
}
