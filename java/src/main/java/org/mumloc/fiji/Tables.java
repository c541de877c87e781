package org.mumloc.fiji;

import ij.measure.ResultsTable;

import java.io.File;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.WeakHashMap;
import java.util.concurrent.ConcurrentHashMap;

import org.mumloc.Table;

/**
 * ResultsTables ↔ library tables, and where the commands find and leave their tables.
 *
 * A ResultsTable's headings are the CSV header fields ("x [nm]", "frame"). The names and units of the
 * library's columns are kept beside each table made from one and carried back as they were, never
 * re-read from the heading: a name such as "a [x]" (no unit) is headed like name "a" with unit "x".
 * Only the headings of columns made elsewhere (added by hand, other plugins' tables) are split as
 * the library splits a CSV header field. Only numbers cross (text cells become NaN; the "Label"
 * column is not a number column and is left out).
 *
 * Headless there are no windows, so {@link ResultsTable#show} does nothing: tables published then are
 * kept here by title, and later commands of the same session find them (e.g. Import, then Evaluate).
 */
public final class Tables {
    private Tables() {
    }

    private static final Map<String, ResultsTable> HEADLESS = new ConcurrentHashMap<>();
    /** For each ResultsTable made from a library table: heading → {name, unit} of its columns. */
    private static final Map<ResultsTable, Map<String, String[]>> NAMES =
            Collections.synchronizedMap(new WeakHashMap<>());
    /**
     * The same by the title a table was published under: ImageJ's table windows hand back another
     * ResultsTable object than the one shown, so the title is what finds the record again.
     */
    private static final Map<String, Map<String, String[]>> NAMES_BY_TITLE = new ConcurrentHashMap<>();

    /** Shows a table under its title, or keeps it by title when headless. */
    public static void publish(ResultsTable rt, String title) {
        Map<String, String[]> names = NAMES.get(rt);
        if (names != null) NAMES_BY_TITLE.put(title, names);
        else NAMES_BY_TITLE.remove(title);
        if (Commands.isHeadless()) HEADLESS.put(title, rt);
        else rt.show(title);
    }

    /** The open table of that title, or null. */
    public static ResultsTable find(String title) {
        if (Commands.isHeadless()) return HEADLESS.get(title);
        if ("Results".equals(title)) {
            ResultsTable rt = ResultsTable.getResultsTable();
            return rt != null && rt.size() > 0 ? rt : null;
        }
        return ResultsTable.getResultsTable(title);
    }

    /**
     * The open table of that title, or a user error saying how to get one. fileKey: the option that
     * names a CSV file instead, or null.
     */
    public static ResultsTable require(String title, String key, String fileKey) {
        String instead = fileKey == null ? "" : ", or name a CSV file with " + fileKey + "=[path]";
        if (title == null || title.isEmpty())
            throw new UserError(key + ": give the title of a results table" + instead);
        ResultsTable rt = find(title);
        if (rt == null)
            throw new UserError("there is no table \"" + title + "\" (" + key + "=). Open one with MUMLoc Import"
                    + instead + (isHeadless() ? " (headless, only tables made by MUMLoc commands of this run exist)" : ""));
        return rt;
    }

    private static boolean isHeadless() {
        return Commands.isHeadless();
    }

    /** The numeric columns of the open table of that title as a library table (see {@link #require}). */
    public static Table tableTitled(String title, String key, String fileKey) {
        return toTable(require(title, key, fileKey), title);
    }

    /** The numeric columns of a ResultsTable as a library table. */
    public static Table toTable(ResultsTable rt) {
        return toTable(rt, null);
    }

    /** As above for a table found by this title (null: none): the record of the title if the table has none. */
    static Table toTable(ResultsTable rt, String title) {
        Map<String, String[]> known = NAMES.get(rt);
        if (known == null && title != null) known = NAMES_BY_TITLE.get(title);
        if (known == null) known = Collections.emptyMap();
        List<String> names = new ArrayList<>();
        List<String> units = new ArrayList<>();
        List<double[]> columns = new ArrayList<>();
        int rows = rt.size();
        for (int c = 0; c <= rt.getLastColumn(); c++) {
            if (!rt.columnExists(c)) continue;
            String heading = rt.getColumnHeading(c);
            if (heading == null) continue;
            double[] values = rt.getColumnAsDoubles(c);
            if (values == null) values = new double[0];
            if (values.length != rows) values = java.util.Arrays.copyOf(values, rows);
            String[] nameUnit = known.containsKey(heading) ? known.get(heading) : Table.splitHeading(heading);
            names.add(nameUnit[0]);
            units.add(nameUnit[1]);
            columns.add(values);
        }
        return new Table(names.toArray(new String[0]), units.toArray(new String[0]), columns.toArray(new double[0][]));
    }

    /** A ResultsTable with one column per table column, headed "name [unit]", without row numbers. */
    public static ResultsTable toResultsTable(Table t) {
        ResultsTable rt = new ResultsTable();
        rt.showRowNumbers(false);
        int rows = t.rows();
        int[] index = new int[t.columns()];
        Map<String, String[]> names = new HashMap<>();
        for (int c = 0; c < t.columns(); c++) {
            String heading = t.heading(c);
            if (rt.getColumnIndex(heading) != ResultsTable.COLUMN_NOT_FOUND)
                throw new UserError("two columns are both headed \"" + heading + "\"");
            index[c] = rt.getFreeColumn(heading);
            names.put(heading, new String[] {t.name(c), t.unit(c)});
        }
        NAMES.put(rt, names);
        double[][] columns = new double[index.length][];
        for (int c = 0; c < index.length; c++) columns[c] = t.column(c); // each read from the library once
        for (int r = 0; r < rows; r++) {
            rt.incrementCounter();
            for (int c = 0; c < index.length; c++) rt.addValue(index[c], columns[c][r]);
        }
        return rt;
    }

    /** An absolute path, or null for an empty text. */
    public static String pathOrNull(String s) {
        return s == null || s.isEmpty() ? null : new File(s).getAbsolutePath();
    }

    /**
     * A table from a CSV file (when path is not empty) or else from the open table of that title.
     * required: the columns the command needs (e.g. "x,y,z"), checked as the file is read so that the
     * library's message names the file (a foreign file otherwise reads as a table of other columns).
     */
    public static Table fromFileOrTable(String path, String pathKey, String title, String titleKey, String required) {
        String p = pathOrNull(path);
        if (p != null) return Table.readCsv(p, required);
        return tableTitled(title, titleKey, pathKey);
    }
}
