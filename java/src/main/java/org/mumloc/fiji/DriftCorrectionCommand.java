package org.mumloc.fiji;

import ij.IJ;
import ij.gui.Plot;
import ij.plugin.PlugIn;

import java.awt.Color;

import org.mumloc.Drift;
import org.mumloc.Mumloc;
import org.mumloc.Table;

/**
 * Plugins › MUMLoc › "MUMLoc Drift Correction": estimates the sample drift of a results table (or a
 * CSV file) by redundant cross-correlation or fiducial beads, in x, y and z, and subtracts it (the
 * same library call as {@code mumloc drift-correct}). The corrected table replaces the results table
 * (or, from a CSV, appears under that title) and is written to {@code out=}; the drift per frame is
 * the table "MUMLoc Sample Drift" and {@code drift_csv=}; its plot is shown as an ImageJ plot and
 * written as PNG to {@code plot=}. Keys are the CLI's options ('_' for '-'):
 * {@code run("MUMLoc Drift Correction", "results=[MUMLoc Results] method=rcc segment_frames=0 plot=[/data/drift.png]")}.
 * Headless nothing is shown; the tables are kept by title for later commands.
 */
public class DriftCorrectionCommand implements PlugIn {
    public static final String TITLE = "MUMLoc Drift Correction";
    public static final String DRIFT_TABLE = "MUMLoc Sample Drift";

    @Override
    public void run(String arg) {
        Commands.run(TITLE, this::execute);
    }

    static OptionForm form(Drift.Options d) {
        OptionForm f = new OptionForm(TITLE);
        f.message("Localizations: an open table, or a CSV file");
        f.string("Results (table title; receives the corrected table)", ExportCommand.DEFAULT_TABLE, 20);
        f.file("In (CSV file; replaces the table as input)", "");
        f.message("Estimate");
        f.choice("Method (rcc: cross-correlation of segments; fiducial: beads)", Drift.methodNames(), Drift.methodNames()[d.method]);
        f.number("Segment_frames (rcc: frames per segment; 0 = automatic)", d.segmentFrames);
        f.number("Pixel (nm, rcc: histogram bin)", d.pixelNm);
        f.number("Max_drift (nm, rcc: search range)", d.maxDriftNm);
        f.number("Min_segment_localizations (rcc)", d.minSegmentLocalizations);
        f.choice("Z (estimate and correct z too)", RenderCommand.NO_YES, d.correctZ ? "yes" : "no");
        f.number("Fiducial_presence (share of frames a bead is seen in)", d.fiducialPresence);
        f.number("Fiducial_radius (nm, largest step of a bead between frames)", d.fiducialRadiusNm);
        f.number("Threads (0 = all cores)", 0);
        f.message("Files (optional)");
        f.file("Out (corrected table CSV)", "");
        f.file("Drift_csv (drift per frame CSV)", "");
        f.file("Plot (drift plot PNG)", "");
        return f;
    }

    private void execute() {
        Drift.Options o = Drift.Options.defaults();
        OptionForm f = form(o);
        if (!Forms.read(f, "results=[" + ExportCommand.DEFAULT_TABLE + "] method=rcc plot=[/path/drift.png]")) return;
        o.method = f.choiceIndex("method");
        o.segmentFrames = f.wholeNumber("segment_frames", 0, 1000000000L);
        o.pixelNm = f.number("pixel");
        o.maxDriftNm = f.number("max_drift");
        o.minSegmentLocalizations = f.integer("min_segment_localizations");
        o.correctZ = f.choiceIndex("z") == 1;
        o.fiducialPresence = f.number("fiducial_presence");
        o.fiducialRadiusNm = f.number("fiducial_radius");
        Mumloc.setThreads(f.integer("threads"));
        String out = Tables.pathOrNull(f.string("out"));
        String driftCsv = Tables.pathOrNull(f.string("drift_csv"));
        String plot = Tables.pathOrNull(f.string("plot"));
        String title = f.string("results");
        if (title.isEmpty()) throw new UserError("results: give the title the corrected table gets");

        Table t = Tables.fromFileOrTable(f.string("in"), "in", title, "results", o.correctZ ? "frame,x,y,z" : "frame,x,y");
        Commands.status(TITLE + ": estimating the drift of " + t.rows() + " localizations...");
        IJ.resetEscape();
        Drift d = Drift.correct(t, o, Commands.progress(TITLE));
        // Files first: a failure there leaves the tables as they were.
        if (driftCsv != null) d.drift.writeCsv(driftCsv);
        if (plot != null) Drift.writePlot(d.drift, plot);
        if (out != null) d.corrected.writeCsv(out);
        Tables.publish(Tables.toResultsTable(d.corrected), title);
        Tables.publish(Tables.toResultsTable(d.drift), DRIFT_TABLE);
        if (!Commands.isHeadless() && !Commands.isBatchMode()) plot(d.drift).show();
        String how = o.method == Drift.RCC
                ? "rcc, " + d.segments + " segments of " + d.segmentFrames + " frames, " + d.pairsUsed + " of " + d.pairs
                        + " pairs"
                : "fiducial, " + d.beads + " beads";
        Commands.status(TITLE + ": " + how + "; largest drift x " + IJ.d2s(largest(d.drift, "dx"), 1) + ", y "
                + IJ.d2s(largest(d.drift, "dy"), 1) + ", z " + IJ.d2s(largest(d.drift, "dz"), 1) + " nm; corrected "
                + d.corrected.rows() + " localizations" + (out != null ? ", wrote " + out : ""));
    }

    private static double largest(Table drift, String name) {
        double m = 0;
        for (double v : drift.column(drift.find(name))) m = Math.max(m, Math.abs(v));
        return m;
    }

    /** The drift against frame as an ImageJ plot: dx red, dy green, dz blue (as the PNG). */
    static Plot plot(Table drift) {
        double[] frame = drift.column(drift.find("frame"));
        Plot p = new Plot(TITLE + ": sample drift", "frame", "drift [nm]");
        String[] names = {"dx", "dy", "dz"};
        Color[] colours = {new Color(214, 39, 40), new Color(44, 160, 44), new Color(31, 119, 180)};
        for (int a = 0; a < 3; a++) {
            p.setColor(colours[a]);
            p.setLineWidth(2);
            p.addPoints(frame, drift.column(drift.find(names[a])), Plot.LINE);
        }
        p.setColor(Color.black);
        p.addLegend("dx\tdy\tdz");
        p.setLimitsToFit(false);
        return p;
    }
}
