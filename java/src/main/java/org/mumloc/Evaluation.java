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
            double[] v = nDefaultOptions();
            Options o = new Options();
            o.toleranceNm = v[0];
            o.toleranceXyNm = v[1];
            o.toleranceZNm = v[2];
            o.binNm = v[3];
            return o;
        }
    }

    /** {@code mumloc_eval_metrics}. */
    public static final class Metrics {
        /** The field names of the library's JSON report, in this order. */
        public static final String[] NAMES = {"truths", "localizations", "tp", "fp", "fn", "jaccard", "recall",
            "precision", "rmse_xy_nm", "rmse_z_nm", "bias_x_nm", "bias_y_nm", "bias_z_nm", "crlb_xy_median_nm",
            "crlb_z_median_nm", "crlb_rmse_xy_nm", "crlb_rmse_z_nm"};
        private final double[] values;

        Metrics(double[] all, int offset) {
            values = java.util.Arrays.copyOfRange(all, offset, offset + NAMES.length);
        }

        /** The value of a field by its index in {@link #NAMES}. */
        public double get(int i) {
            return values[i];
        }

        public long truths() { return (long) values[0]; }
        public long localizations() { return (long) values[1]; }
        public long tp() { return (long) values[2]; }
        public long fp() { return (long) values[3]; }
        public long fn() { return (long) values[4]; }
        public double jaccard() { return values[5]; }
        public double recall() { return values[6]; }
        public double precision() { return values[7]; }
        public double rmseXyNm() { return values[8]; }
        public double rmseZNm() { return values[9]; }
        public double biasXNm() { return values[10]; }
        public double biasYNm() { return values[11]; }
        public double biasZNm() { return values[12]; }
        public double crlbXyMedianNm() { return values[13]; }
        public double crlbZMedianNm() { return values[14]; }
        /** The RMSE an efficient estimator would reach on the matched pairs (lateral: both axes). */
        public double crlbRmseXyNm() { return values[15]; }
        public double crlbRmseZNm() { return values[16]; }
    }

    /** One depth bin: [zMinNm, zMaxNm) of true z and its metrics. */
    public static final class Bin {
        public final double zMinNm;
        public final double zMaxNm;
        public final Metrics metrics;

        Bin(double zMin, double zMax, Metrics m) {
            zMinNm = zMin;
            zMaxNm = zMax;
            metrics = m;
        }
    }

    private final Metrics overall;
    private final Bin[] bins;
    private final long[] localizationMatches;
    private final long[] truthMatches;
    private final String text;
    private final String json;

    private Evaluation(Object[] r) {
        overall = new Metrics((double[]) r[0], 0);
        double[] b = (double[]) r[1];
        int per = Metrics.NAMES.length + 2;
        bins = new Bin[b.length / per];
        for (int i = 0; i < bins.length; i++)
            bins[i] = new Bin(b[i * per], b[i * per + 1], new Metrics(b, i * per + 2));
        localizationMatches = (long[]) r[2];
        truthMatches = (long[]) r[3];
        text = (String) r[4];
        json = (String) r[5];
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
        double[] o = {options.toleranceNm, options.toleranceXyNm, options.toleranceZNm, options.binNm};
        return new Evaluation(nEvaluate(truth.namesArray(), truth.unitsArray(), truth.columnsArray(),
                localizations.namesArray(), localizations.unitsArray(), localizations.columnsArray(), o, jsonPath,
                progress));
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
     * The pixel-locking check: the histogram of the sub-pixel phases of x and y (columns in nm) in
     * bins of a pixelNm camera pixel, with its flatness ({@code mumloc_subpixel_histogram_of});
     * csvPath (or null) also gets it as the CLI's {@code evaluate --subpixel-out} writes it.
     * Returns {count, chi2_x, p_x, max_deviation_x, chi2_y, p_y, max_deviation_y, x counts..., y counts...}.
     */
    public static double[] subpixel(Table localizations, double pixelNm, int bins, String csvPath) {
        Mumloc.load();
        return nSubpixel(localizations.namesArray(), localizations.unitsArray(), localizations.columnsArray(),
                pixelNm, bins, csvPath);
    }

    private static native double[] nSubpixel(String[] names, String[] units, double[][] columns, double pixelNm,
            int bins, String csvPath);
    private static native double[] nDefaultOptions();
    private static native Object[] nEvaluate(String[] tNames, String[] tUnits, double[][] tColumns, String[] lNames,
            String[] lUnits, double[][] lColumns, double[] options, String jsonPath, ProgressListener progress);
}
