package org.mumloc.fiji;

import org.mumloc.Table;

/** Where Merge and Filter leave their table: a results table by title and, optionally, a CSV file. */
final class PostprocessOutput {
    private PostprocessOutput() {
    }

    static void publish(String title, Table table, String output, String outPath) {
        String path = Tables.pathOrNull(outPath);
        if (path != null) table.writeCsv(path);
        if (output == null || output.trim().isEmpty()) {
            if (path == null) throw new UserError("give output=[table title] and/or out=[CSV file] for the result");
            return;
        }
        Tables.publish(Tables.toResultsTable(table), output.trim());
    }
}
