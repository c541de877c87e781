package org.mumloc;

/**
 * After localization, by the library: merging blinks ({@code mumloc_merge_blinks}), filtering by an
 * expression and/or density ({@code mumloc_filter_table}) and Fourier ring correlation
 * ({@code mumloc_frc_compute}); the same rules and numbers as {@code mumloc merge-blinks},
 * {@code mumloc filter} and {@code mumloc frc}. Tables need x, y (z) in nm (see {@link Table#toNm}).
 * progress may be null; returning true from it cancels (a cancelled {@link MumlocException}).
 */
public final class Postprocess {
    private Postprocess() {
    }

    /** {@code mumloc_blink_merge_options}: distances in nm (3D, or lateral and axial when both > 0). */
    public static final class MergeOptions {
        public double distanceNm;
        public double distanceXyNm;
        public double distanceZNm;
        public int offFrames;
        /** Most localizations per molecule; 0 = no limit. */
        public int maxFrames;

        public static MergeOptions defaults() {
            Mumloc.load();
            MergeOptions o = new MergeOptions();
            nMergeDefaults(o);
            return o;
        }
    }

    /** {@code mumloc_frc_options}. */
    public static final class FrcOptions {
        public static final String[] SPLITS = {"blocks", "random"};
        /** Histogram pixel in nm; 0 = automatic (5 nm, larger for fields over 4096 pixels). */
        public double pixelNm;
        /** Index in {@link #SPLITS}: alternate blocks of frames, or random rows. */
        public int split;
        public int blockFrames;
        public long seed;
        public double threshold;
        /** Moving-average half-width in rings; -1 = automatic. */
        public int smoothRings;

        public static FrcOptions defaults() {
            Mumloc.load();
            FrcOptions o = new FrcOptions();
            nFrcDefaults(o);
            return o;
        }
    }

    /** An FRC result: the resolution (NaN when the curve never crosses the threshold) and the curve. */
    public static final class Frc {
        public final double resolutionNm;
        public final double threshold;
        public final double pixelNm;
        public final int imageSize;
        public final int smoothRings;
        public final long rowsHalf1;
        public final long rowsHalf2;
        /** Spatial frequency (1/nm), FRC and smoothed FRC per ring. */
        public final double[] frequency;
        public final double[] curve;
        public final double[] smoothed;
        /** The library's one-line report and JSON (as {@code mumloc frc} prints them). */
        public final String text;
        public final String json;

        /** Filled by the library, field by field (native/src/jni/Postprocess.c). */
        private Frc() {
            resolutionNm = threshold = pixelNm = 0;
            imageSize = smoothRings = 0;
            rowsHalf1 = rowsHalf2 = 0;
            frequency = curve = smoothed = null;
            text = json = null;
        }
    }

    private static void need(Object o, String what) {
        if (o == null) throw new MumlocException(MumlocException.INVALID_ARGUMENT, "invalid argument", what + " is required");
    }

    /** The table with each blink merged into one row (a "detections" column counts them). */
    public static Table mergeBlinks(Table table, MergeOptions options, ProgressListener progress) {
        Mumloc.load();
        need(table, "a table");
        need(options, "merge options");
        return nMergeBlinks(table, options, progress);
    }

    /**
     * The rows that satisfy expression (null or "" = all) and, when densityRadiusNm > 0, have at least
     * densityMin neighbours within the radius (3D with density3d).
     */
    public static Table filter(Table table, String expression, double densityRadiusNm, int densityMin,
            boolean density3d, ProgressListener progress) {
        Mumloc.load();
        need(table, "a table");
        return nFilter(table, expression, densityRadiusNm, densityMin, density3d, progress);
    }

    /** FRC of the table; plotPath (PNG) and curvePath (CSV) are written when not null. */
    public static Frc frc(Table table, FrcOptions options, String plotPath, String curvePath, ProgressListener progress) {
        Mumloc.load();
        need(table, "a table");
        need(options, "FRC options");
        Frc out = new Frc();
        nFrc(table, options, plotPath, curvePath, progress, out);
        return out;
    }

    // native/src/jni/Postprocess.c: options and results are read and written by field name.
    private static native void nMergeDefaults(MergeOptions out);
    private static native void nFrcDefaults(FrcOptions out);
    private static native Table nMergeBlinks(Table table, MergeOptions options, ProgressListener progress);
    private static native Table nFilter(Table table, String expression, double densityRadiusNm, int densityMin,
            boolean density3d, ProgressListener progress);
    private static native void nFrc(Table table, FrcOptions options, String plotPath, String curvePath,
            ProgressListener progress, Frc out);
}
