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
            double[] v = nMergeDefaults();
            MergeOptions o = new MergeOptions();
            o.distanceNm = v[0];
            o.distanceXyNm = v[1];
            o.distanceZNm = v[2];
            o.offFrames = (int) v[3];
            o.maxFrames = (int) v[4];
            return o;
        }

        double[] toArray() {
            return new double[] {distanceNm, distanceXyNm, distanceZNm, offFrames, maxFrames};
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
            double[] v = nFrcDefaults();
            FrcOptions o = new FrcOptions();
            o.pixelNm = v[0];
            o.split = (int) v[1];
            o.blockFrames = (int) v[2];
            o.seed = (long) v[3];
            o.threshold = v[4];
            o.smoothRings = (int) v[5];
            return o;
        }

        double[] toArray() {
            return new double[] {pixelNm, split, blockFrames, seed, threshold, smoothRings};
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

        Frc(Object[] r) {
            double[] s = (double[]) r[0];
            resolutionNm = s[0];
            threshold = s[1];
            pixelNm = s[2];
            imageSize = (int) s[3];
            smoothRings = (int) s[5];
            rowsHalf1 = (long) s[6];
            rowsHalf2 = (long) s[7];
            frequency = (double[]) r[1];
            curve = (double[]) r[2];
            smoothed = (double[]) r[3];
            text = (String) r[4];
            json = (String) r[5];
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
        return nMergeBlinks(table.namesArray(), table.unitsArray(), table.columnsArray(), options.toArray(), progress);
    }

    /**
     * The rows that satisfy expression (null or "" = all) and, when densityRadiusNm > 0, have at least
     * densityMin neighbours within the radius (3D with density3d).
     */
    public static Table filter(Table table, String expression, double densityRadiusNm, int densityMin,
            boolean density3d, ProgressListener progress) {
        Mumloc.load();
        need(table, "a table");
        return nFilter(table.namesArray(), table.unitsArray(), table.columnsArray(), expression, densityRadiusNm,
                densityMin, density3d, progress);
    }

    /** FRC of the table; plotPath (PNG) and curvePath (CSV) are written when not null. */
    public static Frc frc(Table table, FrcOptions options, String plotPath, String curvePath, ProgressListener progress) {
        Mumloc.load();
        need(table, "a table");
        need(options, "FRC options");
        return new Frc(nFrc(table.namesArray(), table.unitsArray(), table.columnsArray(), options.toArray(), plotPath,
                curvePath, progress));
    }

    private static native double[] nMergeDefaults();
    private static native double[] nFrcDefaults();
    private static native Table nMergeBlinks(String[] names, String[] units, double[][] columns, double[] options,
            ProgressListener progress);
    private static native Table nFilter(String[] names, String[] units, double[][] columns, String expression,
            double densityRadiusNm, int densityMin, boolean density3d, ProgressListener progress);
    private static native Object[] nFrc(String[] names, String[] units, double[][] columns, double[] options,
            String plotPath, String curvePath, ProgressListener progress);
}
