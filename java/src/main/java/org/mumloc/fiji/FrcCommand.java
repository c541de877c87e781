package org.mumloc.fiji;

import ij.IJ;
import ij.gui.Plot;
import ij.measure.ResultsTable;
import ij.plugin.PlugIn;

import java.awt.Color;

import org.mumloc.Postprocess;
import org.mumloc.Table;

/**
 * Plugins › MUMLoc › "MUMLoc Resolution (FRC)": the resolution of a localization table by Fourier
 * ring correlation, computed by the library (the same numbers as {@code mumloc frc}). Reads the
 * "MUMLoc Results" table (results=) or a CSV (in=). Outputs: the library's report in the Log, the
 * curve as the table "MUMLoc FRC", an ImageJ plot (unless headless or in batch mode), and the
 * library's PNG plot (plot=) and CSV curve (curve=) when named:
 * {@code run("MUMLoc Resolution (FRC)", "pixel=5 split=blocks block_frames=50 plot=[/data/frc.png]")}.
 */
public class FrcCommand implements PlugIn {
    public static final String TITLE = "MUMLoc Resolution (FRC)";
    public static final String TABLE = "MUMLoc FRC";

    @Override
    public void run(String arg) {
        Commands.run(TITLE, this::execute);
    }

    static OptionForm form(Postprocess.FrcOptions d) {
        OptionForm f = new OptionForm(TITLE);
        f.message("Localizations: an open table, or a CSV file");
        f.string("Results (table title)", ExportCommand.DEFAULT_TABLE, 20);
        f.file("In (CSV file; replaces the table)", "");
        f.number("Pixel_size (nm, for columns in px; 0 = none)", 0);
        f.message("Fourier ring correlation of two halves of the table");
        f.number("Pixel (nm, histogram; 0 = automatic, 5 nm)", d.pixelNm);
        f.choice("Split (halves)", Postprocess.FrcOptions.SPLITS, Postprocess.FrcOptions.SPLITS[d.split]);
        f.number("Block_frames (frames per block)", d.blockFrames);
        f.number("Seed (random split)", d.seed);
        f.number("Threshold", d.threshold);
        f.number("Smooth (rings; -1 = automatic)", d.smoothRings);
        f.message("Files (optional)");
        f.file("Plot (PNG of the curve)", "");
        f.file("Curve (CSV)", "");
        return f;
    }

    private void execute() {
        OptionForm f = form(Postprocess.FrcOptions.defaults());
        if (!Forms.read(f, "in=[/path/localizations.csv] pixel=5 plot=[/path/frc.png]")) return;
        Postprocess.FrcOptions o = Postprocess.FrcOptions.defaults();
        o.pixelNm = f.number("pixel");
        o.split = f.choiceIndex("split");
        o.blockFrames = f.integer("block_frames");
        o.seed = f.wholeNumber("seed", 0, 1L << 53);
        o.threshold = f.number("threshold");
        o.smoothRings = f.integer("smooth");
        Table t = Tables.fromFileOrTable(f.string("in"), "in", f.string("results"), "results", null).toNm(f.number("pixel_size"));
        IJ.resetEscape();
        Commands.status(TITLE + ": " + t.rows() + " localizations...");
        Postprocess.Frc r = Postprocess.frc(t, o, Tables.pathOrNull(f.string("plot")), Tables.pathOrNull(f.string("curve")),
                Commands.progress(TITLE));
        IJ.log(r.text);
        Tables.publish(curveTable(r), TABLE);
        if (!Commands.isHeadless() && !Commands.isBatchMode()) plot(r).show();
        Commands.status(TITLE + ": " + (Double.isNaN(r.resolutionNm) ? "no crossing of the threshold"
                : "resolution " + IJ.d2s(r.resolutionNm, 1) + " nm"));
    }

    static ResultsTable curveTable(Postprocess.Frc r) {
        ResultsTable rt = new ResultsTable();
        rt.showRowNumbers(false);
        for (int i = 0; i < r.frequency.length; i++) {
            rt.incrementCounter();
            rt.addValue("frequency [1/nm]", r.frequency[i]);
            rt.addValue("frc", r.curve[i]);
            rt.addValue("frc_smoothed", r.smoothed[i]);
        }
        return rt;
    }

    /** The raw and smoothed curves and the threshold, as an ImageJ plot. */
    static Plot plot(Postprocess.Frc r) {
        String title = Double.isNaN(r.resolutionNm) ? "FRC: no crossing of the threshold"
                : "FRC resolution " + IJ.d2s(r.resolutionNm, 1) + " nm";
        Plot plot = new Plot(TITLE + ": " + title, "spatial frequency (1/nm)", "FRC");
        double top = r.frequency[r.frequency.length - 1];
        plot.setLimits(0, top, -0.2, 1.05);
        plot.setColor(new Color(170, 190, 230));
        plot.addPoints(r.frequency, r.curve, Plot.LINE);
        plot.setColor(new Color(0, 90, 181));
        plot.setLineWidth(2);
        plot.addPoints(r.frequency, r.smoothed, Plot.LINE);
        plot.setColor(new Color(220, 50, 32));
        plot.setLineWidth(1);
        plot.drawDottedLine(0, r.threshold, top, r.threshold, 3);
        plot.setColor(Color.black);
        plot.addLegend("FRC\tFRC smoothed");
        return plot;
    }
}
