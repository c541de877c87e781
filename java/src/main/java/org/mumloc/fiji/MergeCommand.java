package org.mumloc.fiji;

import ij.IJ;
import ij.plugin.PlugIn;

import org.mumloc.Postprocess;
import org.mumloc.Table;

/**
 * Plugins › MUMLoc › "MUMLoc Merge": joins the localizations of one blinking molecule in consecutive
 * frames into one row, by the library (the same rules and numbers as {@code mumloc merge-blinks}):
 * positions weighted by the uncertainties, intensity summed, a "detections" column. Reads the
 * "MUMLoc Results" table (results=) or a CSV (in=); the merged table replaces the table named by
 * output= (by default "MUMLoc Results", as ThunderSTORM does) and is written to out= when given:
 * {@code run("MUMLoc Merge", "distance=30 off_frames=1 out=[/data/merged.csv]")}.
 */
public class MergeCommand implements PlugIn {
    public static final String TITLE = "MUMLoc Merge";

    @Override
    public void run(String arg) {
        Commands.run(TITLE, this::execute);
    }

    static OptionForm form(Postprocess.MergeOptions d) {
        OptionForm f = new OptionForm(TITLE);
        f.message("Localizations: an open table, or a CSV file");
        f.string("Results (table title)", ExportCommand.DEFAULT_TABLE, 20);
        f.file("In (CSV file; replaces the table)", "");
        f.number("Pixel_size (nm, for columns in px; 0 = none)", 0);
        f.message("Merging (a molecule's localizations in consecutive frames)");
        f.number("Distance (nm, 3D, to the molecule's merged position)", d.distanceNm);
        f.number("Distance_xy (nm, with distance_z; 0 = 3D)", d.distanceXyNm);
        f.number("Distance_z (nm)", d.distanceZNm);
        f.number("Off_frames (dark frames allowed in a trace)", d.offFrames);
        f.number("Max_frames (localizations per molecule; 0 = no limit)", d.maxFrames);
        f.message("Output");
        f.string("Output (table title)", ExportCommand.DEFAULT_TABLE, 20);
        f.file("Out (CSV file; optional)", "");
        return f;
    }

    private void execute() {
        OptionForm f = form(Postprocess.MergeOptions.defaults());
        if (!Forms.read(f, "in=[/path/localizations.csv] distance=30 out=[/path/merged.csv]")) return;
        Postprocess.MergeOptions o = Postprocess.MergeOptions.defaults();
        o.distanceNm = f.number("distance");
        o.distanceXyNm = f.number("distance_xy");
        o.distanceZNm = f.number("distance_z");
        o.offFrames = f.integer("off_frames");
        o.maxFrames = f.integer("max_frames");
        Table t = Tables.fromFileOrTable(f.string("in"), "in", f.string("results"), "results", null).toNm(f.number("pixel_size"));
        IJ.resetEscape();
        Commands.status(TITLE + ": merging " + t.rows() + " localizations...");
        Table merged = Postprocess.mergeBlinks(t, o, Commands.progress(TITLE));
        PostprocessOutput.publish(TITLE, merged, f.string("output"), f.string("out"));
        Commands.status(TITLE + ": " + t.rows() + " localizations -> " + merged.rows() + " molecules");
    }
}
