package org.mumloc;

import java.util.Arrays;

/**
 * A localization table ({@code mumloc_table} of mumloc.h) held in Java: named columns of doubles, each
 * with a unit ("nm", "photon", ... or "" for none), all of one length. Files are read and written by the
 * library ({@link #readCsv}, {@link #writeCsv}): the one ThunderSTORM CSV parser and formatter, so Java
 * never formats or parses a CSV itself. Instances are immutable views; the arrays are not copied.
 */
public final class Table {
    private final String[] names;
    private final String[] units;
    private final double[][] columns;

    /** Called from JNI as well: keep the signature ([Ljava/lang/String;[Ljava/lang/String;[[D)V. */
    public Table(String[] names, String[] units, double[][] columns) {
        if (names == null || units == null || columns == null || names.length != units.length
                || names.length != columns.length)
            throw new MumlocException(MumlocException.INVALID_ARGUMENT, "invalid argument",
                    "a table needs as many names, units and columns");
        int rows = columns.length == 0 ? 0 : lengthOf(columns[0]);
        for (int c = 0; c < columns.length; c++)
            if (columns[c] == null || columns[c].length != rows || names[c] == null)
                throw new MumlocException(MumlocException.INVALID_ARGUMENT, "invalid argument",
                        "column " + (c + 1) + " of the table is missing or has another length");
        this.names = names;
        this.units = units;
        this.columns = columns;
    }

    private static int lengthOf(double[] column) {
        return column == null ? -1 : column.length;
    }

    public int rows() {
        return columns.length == 0 ? 0 : columns[0].length;
    }

    public int columns() {
        return names.length;
    }

    public String name(int column) {
        return names[column];
    }

    /** The unit of a column, "" when it has none. */
    public String unit(int column) {
        return units[column] == null ? "" : units[column];
    }

    /** The values of a column (not a copy). */
    public double[] column(int column) {
        return columns[column];
    }

    /** Index of the column with this name (any unit), or -1. */
    public int find(String name) {
        for (int c = 0; c < names.length; c++)
            if (names[c].equals(name)) return c;
        return -1;
    }

    /** The header field as ThunderSTORM writes it, unquoted: "x [nm]", or "id" without unit. */
    public String heading(int column) {
        return heading(names[column], unit(column));
    }

    /**
     * The header field of a column as the library writes it (mumloc_table_heading): "x [nm]", "id",
     * or "a [x] []" for a name without unit that would otherwise read as name "a", unit "x".
     */
    public static String heading(String name, String unit) {
        Mumloc.load();
        return nHeading(name, unit == null ? "" : unit);
    }

    /**
     * Splits a column heading into {name, unit} by the library's rule for CSV header fields
     * (mumloc_table_split_heading), the inverse of {@link #heading(String, String)}. Only for headings
     * made outside the library: a library table's names and units are carried as they are.
     */
    public static String[] splitHeading(String heading) {
        Mumloc.load();
        return nSplitHeading(heading);
    }

    /**
     * Reads a ThunderSTORM CSV with the library's parser. required: null, or comma-separated column
     * names that must exist and hold finite numbers (e.g. "frame,x,y,z"). Errors carry the library's
     * message naming the file and line.
     */
    public static Table readCsv(String path, String required) {
        Mumloc.load();
        return nReadCsv(path, required);
    }

    /** Writes the table as ThunderSTORM CSV with the library's formatter, atomically. */
    public void writeCsv(String path) {
        Mumloc.load();
        nWriteCsv(names, units, columns, path);
    }

    /** A copy with length columns in "um"/"px" converted to nm (mumloc_table_convert_to_nm). */
    public Table toNm(double pixelNm) {
        Mumloc.load();
        return nToNm(names, units, columns, pixelNm);
    }

    String[] namesArray() {
        return names;
    }

    String[] unitsArray() {
        String[] u = Arrays.copyOf(units, units.length);
        for (int i = 0; i < u.length; i++)
            if (u[i] == null) u[i] = "";
        return u;
    }

    double[][] columnsArray() {
        return columns;
    }

    private static native Table nReadCsv(String path, String required);
    private static native void nWriteCsv(String[] names, String[] units, double[][] columns, String path);
    private static native String nHeading(String name, String unit);
    private static native String[] nSplitHeading(String heading);
    private static native Table nToNm(String[] names, String[] units, double[][] columns, double pixelNm);
}
