package org.mumloc.fiji;

import ij.plugin.PlugIn;

import org.mumloc.Table;

/**
 * Plugins › MUMLoc › "MUMLoc Export": a results table to a ThunderSTORM CSV file, written by the
 * library's formatter (quoted "name [unit]" header, plain decimals, atomically).
 * {@code run("MUMLoc Export", "table=[MUMLoc Results] file=[/data/locs.csv]")}.
 */
public class ExportCommand implements PlugIn {
    public static final String TITLE = "MUMLoc Export";
    public static final String DEFAULT_TABLE = "MUMLoc Results";

    @Override
    public void run(String arg) {
        Commands.run(TITLE, this::execute);
    }

    static OptionForm form() {
        OptionForm f = new OptionForm(TITLE);
        f.string("Table (title of the results table)", DEFAULT_TABLE, 20);
        f.file("File (ThunderSTORM CSV to write)", "");
        return f;
    }

    private void execute() {
        OptionForm f = form();
        if (!Forms.read(f, "table=[" + DEFAULT_TABLE + "] file=[/path/localizations.csv]")) return;
        String path = Tables.pathOrNull(f.string("file"));
        if (path == null) throw new UserError("file: give the CSV file to write");
        Table t = Tables.tableTitled(f.string("table"), "table", null);
        t.writeCsv(path);
        Commands.status(TITLE + ": wrote " + t.rows() + " rows to " + path);
    }
}
