package org.mumloc.fiji;

import ij.IJ;
import ij.ImagePlus;
import ij.gui.Plot;
import ij.io.FileSaver;
import ij.measure.Calibration;
import ij.measure.ResultsTable;
import ij.plugin.LutLoader;
import ij.plugin.PlugIn;
import ij.process.FloatProcessor;

import java.awt.Color;
import java.util.ArrayList;
import java.util.List;

import org.mumloc.Evaluation;
import org.mumloc.Table;

/**
 * Plugins › MUMLoc › "MUMLoc Evaluate": localizations scored against ground truth by the library
 * (the same numbers as {@code mumloc evaluate}). Sources are open tables ("MUMLoc Results" and "MUMLoc
 * Ground Truth" by default) or CSV files ({@code in=}, {@code truth=}, as the CLI's options). Outputs:
 * the table "MUMLoc Evaluation" (one row overall, one per depth bin; columns named as the library's
 * JSON report), the library's text report in the Log, optionally the JSON report ({@code json=}), a
 * plot of RMSE (lateral, axial) and Jaccard against depth and a 2D histogram of the lateral errors of
 * the matched pairs. The plots are shown unless headless or in batch mode; they are written as PNG
 * when {@code depth_plot=} / {@code histogram=} name files.
 */
public class EvaluateCommand implements PlugIn {
    public static final String TITLE = "MUMLoc Evaluate";
    /** The columns both tables need (mumloc_evaluate). */
    private static final String NEEDS = "frame,x,y,z";
    public static final String TABLE = "MUMLoc Evaluation";
    public static final String DEPTH_PLOT = "MUMLoc Evaluation: errors vs depth";
    public static final String HISTOGRAM = "MUMLoc Evaluation: lateral errors";

    @Override
    public void run(String arg) {
        Commands.run(TITLE, this::execute);
    }

    /** The sub-pixel histogram (counts of x and y per phase bin) as an ImageJ plot. */
    static ij.gui.Plot subpixelPlot(Evaluation.Subpixel h) {
        int bins = h.bins;
        double[] phase = new double[bins], x = new double[bins], y = new double[bins];
        for (int b = 0; b < bins; b++) {
            phase[b] = (b + 0.5) / bins;
            x[b] = h.x[b];
            y[b] = h.y[b];
        }
        ij.gui.Plot plot = new ij.gui.Plot("MUMLoc Sub-pixel positions", "phase within a pixel", "localizations");
        plot.setColor(java.awt.Color.BLUE);
        plot.addPoints(phase, x, ij.gui.Plot.CONNECTED_CIRCLES);
        plot.setLabel(-1, "x");
        plot.setColor(java.awt.Color.RED);
        plot.addPoints(phase, y, ij.gui.Plot.CONNECTED_CIRCLES);
        plot.setLabel(-1, "y");
        plot.addLegend(null);
        plot.setLimits(0, 1, 0, Double.NaN);
        return plot;
    }

    static OptionForm form(Evaluation.Options d) {
        OptionForm f = new OptionForm(TITLE);
        f.message("Localizations: an open table, or a CSV file");
        f.string("Results (table title)", ExportCommand.DEFAULT_TABLE, 20);
        f.file("In (CSV file; replaces the table)", "");
        f.message("Ground truth: an open table, or a CSV file");
        f.string("Ground_truth (table title)", SimulateCommand.TRUTH_TABLE, 20);
        f.file("Truth (CSV file; replaces the table)", "");
        f.message("Matching (one-to-one per frame)");
        f.number("Tolerance (nm, 3D)", d.toleranceNm);
        f.number("Tolerance_xy (nm, with tolerance_z; 0 = 3D)", d.toleranceXyNm);
        f.number("Tolerance_z (nm)", d.toleranceZNm);
        f.number("Bin (nm, depth bins of the true z)", d.binNm);
        f.number("Pixel_size (nm, for columns in px; 0 = none)", 0);
        f.message("Files (optional)");
        f.file("Json (report file)", "");
        f.file("Depth_plot (PNG: errors vs depth)", "");
        f.file("Histogram (PNG: lateral errors)", "");
        f.number("Histogram_bin (nm)", 5);
        f.file("Subpixel_out (CSV: histogram of the sub-pixel positions, pixel-locking check)", "");
        f.number("Subpixel_bins", 10);
        return f;
    }

    private void execute() {
        OptionForm f = form(Evaluation.Options.defaults());
        if (!Forms.read(f, "truth=[/path/truth.csv] in=[/path/localizations.csv] json=[/path/report.json]")) return;
        Evaluation.Options o = Evaluation.Options.defaults();
        o.toleranceNm = f.number("tolerance");
        o.toleranceXyNm = f.number("tolerance_xy");
        o.toleranceZNm = f.number("tolerance_z");
        o.binNm = f.number("bin");
        double pixel = f.number("pixel_size");
        double histBin = f.number("histogram_bin");
        if (!(histBin > 0)) throw new UserError("histogram_bin: a bin width > 0 nm is expected");
        String json = Tables.pathOrNull(f.string("json"));
        String plotPath = Tables.pathOrNull(f.string("depth_plot"));
        String histPath = Tables.pathOrNull(f.string("histogram"));

        Table locs = Tables.fromFileOrTable(f.string("in"), "in", f.string("results"), "results", NEEDS)
                .toNm(pixel);
        Table truth = Tables.fromFileOrTable(f.string("truth"), "truth", f.string("ground_truth"), "ground_truth", NEEDS)
                .toNm(pixel);
        IJ.resetEscape();
        Evaluation e = Evaluation.evaluate(truth, locs, o, json, Commands.progress(TITLE));

        for (String line : e.text().split("\n")) IJ.log(line);
        Tables.publish(metricsTable(e), TABLE);

        boolean show = !Commands.isHeadless() && !Commands.isBatchMode();
        String subpixelPath = Tables.pathOrNull(f.string("subpixel_out"));
        if (show || subpixelPath != null) {
            int bins = (int) f.wholeNumber("subpixel_bins", 2, 100);
            double pixelNm = pixel > 0 ? pixel : org.mumloc.Optics.defaults().pixelNm;
            Evaluation.Subpixel h = Evaluation.subpixel(locs, pixelNm, bins, subpixelPath);
            IJ.log(String.format(java.util.Locale.ROOT, "%s: sub-pixel positions (%d rows, %d bins of a %s nm pixel; "
                    + "flat = no pixel locking): x chi2 %.1f (p %.3g), max deviation %.1f%%; y chi2 %.1f (p %.3g), "
                    + "max deviation %.1f%%", TITLE, h.count, bins, java.math.BigDecimal.valueOf(pixelNm).stripTrailingZeros().toPlainString(), h.chi2X, h.pX,
                    100 * h.maxDeviationX, h.chi2Y, h.pY, 100 * h.maxDeviationY));
            if (subpixelPath != null) IJ.log(TITLE + ": wrote " + subpixelPath);
            if (show) subpixelPlot(h).show();
        }
        if (show || plotPath != null) {
            ImagePlus plot = depthPlot(e).getImagePlus();
            if (plotPath != null) save(plot, plotPath);
            if (show) plot.show();
        }
        if (show || histPath != null) {
            double range = o.toleranceXyNm > 0 && !Double.isInfinite(o.toleranceXyNm) ? o.toleranceXyNm : o.toleranceNm;
            ImagePlus hist = lateralHistogram(e, truth, locs, range, histBin);
            if (histPath != null) save(hist, histPath);
            if (show) hist.show();
        }
        Commands.status(TITLE + ": Jaccard " + IJ.d2s(e.overall().jaccard(), 4) + ", RMSE lateral "
                + IJ.d2s(e.overall().rmseXyNm(), 2) + " nm, axial " + IJ.d2s(e.overall().rmseZNm(), 2) + " nm");
    }

    /** One row "overall", then one per depth bin; columns z_min_nm, z_max_nm and the metrics. */
    static ResultsTable metricsTable(Evaluation e) {
        ResultsTable rt = new ResultsTable();
        rt.showRowNumbers(false);
        addRow(rt, "overall", Double.NaN, Double.NaN, e.overall());
        for (Evaluation.Bin b : e.bins()) addRow(rt, "bin", b.zMinNm, b.zMaxNm, b.metrics);
        return rt;
    }

    private static void addRow(ResultsTable rt, String label, double zMin, double zMax, Evaluation.Metrics m) {
        rt.incrementCounter();
        rt.addLabel(label);
        rt.addValue("z_min_nm", zMin);
        rt.addValue("z_max_nm", zMax);
        for (int i = 0; i < Evaluation.Metrics.NAMES.length; i++) rt.addValue(Evaluation.Metrics.NAMES[i], m.get(i));
    }

    /** RMSE lateral and axial (nm) and Jaccard (%) per depth bin, at the bins' centres. */
    static Plot depthPlot(Evaluation e) {
        List<double[]> xy = new ArrayList<>(), z = new ArrayList<>(), jac = new ArrayList<>();
        for (Evaluation.Bin b : e.bins()) {
            double centre = 0.5 * (b.zMinNm + b.zMaxNm);
            if (!Double.isNaN(b.metrics.rmseXyNm())) xy.add(new double[] {centre, b.metrics.rmseXyNm()});
            if (!Double.isNaN(b.metrics.rmseZNm())) z.add(new double[] {centre, b.metrics.rmseZNm()});
            if (!Double.isNaN(b.metrics.jaccard())) jac.add(new double[] {centre, 100 * b.metrics.jaccard()});
        }
        Plot plot = new Plot(DEPTH_PLOT, "true z (nm)", "RMSE (nm) / Jaccard (%)");
        StringBuilder legend = new StringBuilder();
        add(plot, xy, new Color(0, 90, 181), "RMSE lateral (nm)", legend);
        add(plot, z, new Color(220, 50, 32), "RMSE axial (nm)", legend);
        add(plot, jac, Color.darkGray, "Jaccard (%)", legend);
        if (legend.length() > 0) plot.addLegend(legend.toString());
        Evaluation.Bin[] bins = e.bins();
        if (bins.length > 0) {
            double top = 0;
            for (List<double[]> series : List.of(xy, z, jac))
                for (double[] pt : series) top = Math.max(top, pt[1]);
            plot.setLimits(bins[0].zMinNm, bins[bins.length - 1].zMaxNm, 0, top > 0 ? 1.1 * top : 1);
        }
        return plot;
    }

    private static void add(Plot plot, List<double[]> points, Color color, String label, StringBuilder legend) {
        if (points.isEmpty()) return;
        float[] x = new float[points.size()], y = new float[points.size()];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) points.get(i)[0];
            y[i] = (float) points.get(i)[1];
        }
        plot.setColor(color);
        plot.addPoints(x, y, null, Plot.CONNECTED_CIRCLES, label);
        if (legend.length() > 0) legend.append('\t');
        legend.append(label);
    }

    /**
     * Counts of the matched pairs' lateral errors (localization − truth), in bins of bin nm over
     * [−range, range]²; calibrated so that the image's coordinates are dx, dy in nm.
     */
    static ImagePlus lateralHistogram(Evaluation e, Table truth, Table locs, double range, double bin) {
        int n = (int) Math.min(1001, Math.max(1, Math.ceil(2 * range / bin)));
        double half = 0.5 * n * bin;
        FloatProcessor fp = new FloatProcessor(n, n);
        double[] lx = locs.column(locs.find("x")), ly = locs.column(locs.find("y"));
        double[] tx = truth.column(truth.find("x")), ty = truth.column(truth.find("y"));
        long[] match = e.localizationMatches();
        for (int i = 0; i < match.length; i++) {
            if (match[i] < 0) continue;
            int j = (int) match[i];
            int col = (int) Math.floor((lx[i] - tx[j] + half) / bin);
            int row = (int) Math.floor((ly[i] - ty[j] + half) / bin);
            if (col >= 0 && col < n && row >= 0 && row < n) fp.setf(col, row, fp.getf(col, row) + 1);
        }
        fp.setColorModel(LutLoader.getLut("fire"));
        fp.resetMinAndMax();
        ImagePlus imp = new ImagePlus(HISTOGRAM, fp);
        Calibration cal = imp.getCalibration();
        cal.pixelWidth = bin;
        cal.pixelHeight = bin;
        cal.setUnit("nm");
        cal.xOrigin = half / bin;
        cal.yOrigin = half / bin;
        return imp;
    }

    private static void save(ImagePlus imp, String path) {
        boolean ok = path.toLowerCase(java.util.Locale.ROOT).endsWith(".tif")
                ? new FileSaver(imp).saveAsTiff(path) : new FileSaver(imp).saveAsPng(path);
        if (!ok) throw new UserError("could not write " + path);
    }
}
