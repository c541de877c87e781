package org.mumloc.fiji;

import ij.measure.ResultsTable;
import ij.plugin.PlugIn;

import org.mumloc.Table;

/**
 * Plugins › MUMLoc › "MUMLoc Import": a ThunderSTORM CSV file into a results table, read by the
 * library's parser. Column headings are the file's header fields ("x [nm]", "frame", ...).
 * {@code run("MUMLoc Import", "file=[/data/locs.csv] table=[MUMLoc Results]")}. Headless, the table is
 * kept for the following MUMLoc commands of the session (Export, Evaluate, Render) under its title.
 */
public class ImportCommand implements PlugIn {
    public static final String TITLE = "MUMLoc Import";

    @Override
    public void run(String arg) {
        Commands.run(TITLE, this::execute);
    }

    static OptionForm form() {
        OptionForm f = new OptionForm(TITLE);
        f.file("File (ThunderSTORM CSV)", "");
        f.string("Table (title of the results table)", ExportCommand.DEFAULT_TABLE, 20);
        return f;
    }

    private void execute() {
        OptionForm f = form();
        if (!Forms.read(f, "file=[/path/localizations.csv]")) return;
        String path = Tables.pathOrNull(f.string("file"));
        if (path == null) throw new UserError("file: give the CSV file to import");
        String title = f.string("table");
        if (title.isEmpty()) throw new UserError("table: give a title for the results table");
        Table t = Table.readCsv(path, null);
        ResultsTable rt = Tables.toResultsTable(t);
        Tables.publish(rt, title);
        Commands.status(TITLE + ": " + t.rows() + " rows, " + t.columns() + " columns from " + path + " into \""
                + title + "\"");
    }
}
