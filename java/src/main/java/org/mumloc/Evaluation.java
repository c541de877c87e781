package org.mumloc;

/**
 * Scoring of localizations against ground truth by the library ({@code mumloc_evaluate}): the optimal
 * one-to-one matching per frame within a tolerance, the metrics overall and per depth bin, the matches,
 * and the library's text and JSON reports (the same the CLI prints). Java computes none of it.
 */
public final class Evaluation {
    /** Matching tolerances and depth bins ({@code mumloc_eval_options}). */
    public static final class Options {
        public double toleranceNm;
        public double toleranceXyNm;
        public double toleranceZNm;
        public double binNm;

        /** The library's defaults. */
        public static Options defaults() {
            Mumloc.load();
            Options o = new Options();
            nDefaults(o);
            return o;
        }
    }

    /** {@code mumloc_eval_metrics}, filled by the library field by field. */
    public static final class Metrics {
        /** The field names of the library's JSON report, in the order of {@link #get}. */
        public static final String[] NAMES = {"truths", "localizations", "tp", "fp", "fn", "jaccard", "recall",
            "precision", "rmse_xy_nm", "rmse_z_nm", "bias_x_nm", "bias_y_nm", "bias_z_nm", "crlb_xy_median_nm",
            "crlb_z_median_nm", "crlb_rmse_xy_nm", "crlb_rmse_z_nm"};
        private long truths, localizations, tp, fp, fn;
        private double jaccard, recall, precision, rmseXyNm, rmseZNm, biasXNm, biasYNm, biasZNm;
        private double crlbXyMedianNm, crlbZMedianNm, crlbRmseXyNm, crlbRmseZNm;

        private Metrics() {
        }

        /** The value of a field by its index in {@link #NAMES}. */
        public double get(int i) {
            double[] v = {truths, localizations, tp, fp, fn, jaccard, recall, precision, rmseXyNm, rmseZNm, biasXNm,
                biasYNm, biasZNm, crlbXyMedianNm, crlbZMedianNm, crlbRmseXyNm, crlbRmseZNm};
            return v[i];
        }

        public long truths() { return truths; }
        public long localizations() { return localizations; }
        public long tp() { return tp; }
        public long fp() { return fp; }
        public long fn() { return fn; }
        public double jaccard() { return jaccard; }
        public double recall() { return recall; }
        public double precision() { return precision; }
        public double rmseXyNm() { return rmseXyNm; }
        public double rmseZNm() { return rmseZNm; }
        public double biasXNm() { return biasXNm; }
        public double biasYNm() { return biasYNm; }
        public double biasZNm() { return biasZNm; }
        public double crlbXyMedianNm() { return crlbXyMedianNm; }
        public double crlbZMedianNm() { return crlbZMedianNm; }
        /** The RMSE an efficient estimator would reach on the matched pairs (lateral: both axes). */
        public double crlbRmseXyNm() { return crlbRmseXyNm; }
        public double crlbRmseZNm() { return crlbRmseZNm; }
    }

    /** One depth bin: [zMinNm, zMaxNm) of true z and its metrics (filled by the library). */
    public static final class Bin {
        public final double zMinNm;
        public final double zMaxNm;
        public final Metrics metrics;

        private Bin() {
            zMinNm = zMaxNm = 0;
            metrics = null;
        }
    }

    // Filled by the library, field by field (native/src/jni/Evaluation.c).
    private Metrics overall;
    private Bin[] bins;
    private long[] localizationMatches;
    private long[] truthMatches;
    private String text;
    private String json;

    private Evaluation() {
    }

    /**
     * Scores localizations against the truth. Both tables need frame, x, y, z in nm (see
     * {@link Table#toNm}). jsonPath: also write the JSON report there (atomically), or null.
     */
    public static Evaluation evaluate(Table truth, Table localizations, Options options, String jsonPath) {
        return evaluate(truth, localizations, options, jsonPath, null);
    }

    /**
     * As {@link #evaluate(Table, Table, Options, String)}, reporting the rows matched to progress (may
     * be null; called for tables of more than 65,536 rows); returning true cancels (a cancelled
     * {@link MumlocException}, no report file).
     */
    public static Evaluation evaluate(Table truth, Table localizations, Options options, String jsonPath,
            ProgressListener progress) {
        Mumloc.load();
        if (truth == null || localizations == null || options == null)
            throw new MumlocException(MumlocException.INVALID_ARGUMENT, "invalid argument",
                    "evaluation needs the ground truth, the localizations and the options");
        Evaluation out = new Evaluation();
        nEvaluate(truth, localizations, options, jsonPath, progress, out);
        return out;
    }

    public Metrics overall() {
        return overall;
    }

    public Bin[] bins() {
        return bins.clone();
    }

    /** For each localization row, the truth row it is paired with, or -1. */
    public long[] localizationMatches() {
        return localizationMatches.clone();
    }

    /** For each truth row, the localization row it is paired with, or -1. */
    public long[] truthMatches() {
        return truthMatches.clone();
    }

    /** The library's report as text (several lines). */
    public String text() {
        return text;
    }

    /** The library's report as one JSON object. */
    public String json() {
        return json;
    }

    /**
     * The pixel-locking check ({@code mumloc_subpixel_histogram_of}): the histogram of the sub-pixel
     * phases of x and y in bins of a camera pixel, with its flatness (filled by the library).
     */
    public static final class Subpixel {
        public double pixelNm;
        public int bins;
        /** Rows counted. */
        public long count;
        /** Counts per phase bin (bin 0: phase [0, 1/bins)). */
        public long[] x, y;
        /** Pearson chi-square against a flat histogram, and P(chi-square this large | flat). */
        public double chi2X, chi2Y, pX, pY;
        /** The largest |count / expected - 1| over the bins. */
        public double maxDeviationX, maxDeviationY;
    }

    /**
     * The sub-pixel histogram of localizations (x and y in nm) for a pixelNm camera pixel in bins
     * (2 to 100) bins; csvPath (or null) also gets it as the CLI's {@code evaluate --subpixel-out}
     * writes it.
     */
    public static Subpixel subpixel(Table localizations, double pixelNm, int bins, String csvPath) {
        Mumloc.load();
        Subpixel out = new Subpixel();
        nSubpixel(localizations, pixelNm, bins, csvPath, out);
        return out;
    }

    private static native void nSubpixel(Table localizations, double pixelNm, int bins, String csvPath,
            Subpixel out);
    private static native void nDefaults(Options out);
    private static native void nEvaluate(Table truth, Table localizations, Options options, String jsonPath,
            ProgressListener progress, Evaluation out);
}
