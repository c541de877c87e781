package org.mumloc.fiji;

import ij.IJ;
import ij.plugin.PlugIn;

import org.mumloc.Postprocess;
import org.mumloc.Table;

/**
 * Plugins › MUMLoc › "MUMLoc Filter": keeps the localizations that satisfy a condition on their
 * columns (ThunderSTORM's filter expressions: {@code intensity > 500 & uncertainty_xy < 20}) and/or
 * have at least N neighbours within a radius, by the library (as {@code mumloc filter}). Reads the
 * "MUMLoc Results" table (results=) or a CSV (in=); the kept rows replace the table named by output=
 * and are written to out= when given:
 * {@code run("MUMLoc Filter", "expression=[intensity > 500 & z > 100] density_radius=50 density_min=3")}.
 */
public class FilterCommand implements PlugIn {
    public static final String TITLE = "MUMLoc Filter";
    static final String[] NO_YES = {"no", "yes"};

    @Override
    public void run(String arg) {
        Commands.run(TITLE, this::execute);
    }

    static OptionForm form() {
        OptionForm f = new OptionForm(TITLE);
        f.message("Localizations: an open table, or a CSV file");
        f.string("Results (table title)", ExportCommand.DEFAULT_TABLE, 20);
        f.file("In (CSV file; replaces the table)", "");
        f.number("Pixel_size (nm, for columns in px; 0 = none)", 0);
        f.message("Condition: column names without units, & | !, < <= > >= = !=, + - * / ^, abs() sqrt() ...");
        f.string("Expression (empty = keep all)", "", 40);
        f.message("Density: at least N neighbours within the radius (0 = off)");
        f.number("Density_radius (nm)", 0);
        f.number("Density_min (neighbours)", 0);
        f.choice("Density_3d (3D distance)", NO_YES, "no");
        f.message("Output");
        f.string("Output (table title)", ExportCommand.DEFAULT_TABLE, 20);
        f.file("Out (CSV file; optional)", "");
        return f;
    }

    private void execute() {
        OptionForm f = form();
        if (!Forms.read(f, "expression=[intensity > 500 & uncertainty_xy < 20] out=[/path/filtered.csv]")) return;
        String expression = f.string("expression").trim();
        double radius = f.number("density_radius");
        int min = f.integer("density_min");
        if (expression.isEmpty() && radius == 0 && min == 0)
            throw new UserError("give an expression and/or density_radius with density_min");
        Table t = Tables.fromFileOrTable(f.string("in"), "in", f.string("results"), "results", null).toNm(f.number("pixel_size"));
        IJ.resetEscape();
        Commands.status(TITLE + ": filtering " + t.rows() + " localizations...");
        Table kept = Postprocess.filter(t, expression.isEmpty() ? null : expression, radius, min,
                f.choiceIndex("density_3d") == 1, Commands.progress(TITLE));
        PostprocessOutput.publish(TITLE, kept, f.string("output"), f.string("out"));
        Commands.status(TITLE + ": kept " + kept.rows() + " of " + t.rows() + " localizations");
    }
}
