package org.mumloc;

import java.lang.ref.Cleaner;

/**
 * A localization table: a handle on the library's {@code mumloc_table} (named columns of doubles, each
 * with a unit, "nm", "photon", ... or "" for none, all of one length). The table stays in the library:
 * the localizer hands one over, and writing CSV, rendering, evaluation and post-processing use it where
 * it is; only the columns Java asks for ({@link #column}) are copied into Java arrays. Files are read and
 * written by the library ({@link #readCsv}, {@link #writeCsv}), the one ThunderSTORM CSV parser and
 * formatter, so Java never formats or parses a CSV itself. Tables are immutable.
 *
 * The native memory is freed by {@link #close()}, or when the table becomes unreachable. A closed table
 * throws {@link MumlocException} ("the table is closed") wherever it is used.
 */
public final class Table implements AutoCloseable {
    private static final Cleaner CLEANER = Cleaner.create();

    /** The mumloc_table; read by the natives of every class that takes a Table. 0 once closed. */
    private volatile long handle;
    private final Cleaner.Cleanable cleanable;

    /** Frees one native table, once (held by the cleaner: it must not refer to the Table). */
    private static final class Free implements Runnable {
        private final long handle;

        Free(long handle) {
            this.handle = handle;
        }

        @Override
        public void run() {
            nDestroy(handle);
        }
    }

    /** A table owning a native table (the natives hand tables over with this constructor). */
    private Table(long handle) {
        this.handle = handle;
        this.cleanable = CLEANER.register(this, new Free(handle));
    }

    /** A library table holding a copy of these columns (names, units: "" or null for none). */
    public Table(String[] names, String[] units, double[][] columns) {
        this(create(names, units, columns));
    }

    private static long create(String[] names, String[] units, double[][] columns) {
        if (names == null || units == null || columns == null || names.length != units.length
                || names.length != columns.length)
            throw new MumlocException(MumlocException.INVALID_ARGUMENT, "invalid argument",
                    "a table needs as many names, units and columns");
        int rows = columns.length == 0 || columns[0] == null ? 0 : columns[0].length;
        for (int c = 0; c < columns.length; c++)
            if (columns[c] == null || columns[c].length != rows || names[c] == null)
                throw new MumlocException(MumlocException.INVALID_ARGUMENT, "invalid argument",
                        "column " + (c + 1) + " of the table is missing or has another length");
        Mumloc.load();
        return nCreate(names, units, columns);
    }

    public int rows() {
        return Math.toIntExact(nRows(this));
    }

    public int columns() {
        return nColumns(this);
    }

    public String name(int column) {
        return nName(this, column);
    }

    /** The unit of a column, "" when it has none. */
    public String unit(int column) {
        return nUnit(this, column);
    }

    /** A copy of the values of a column, read from the library now: fetch it once, not per row. */
    public double[] column(int column) {
        return nColumn(this, column);
    }

    /** A copy of the values of the column with this name (any unit); MumlocException if none. */
    public double[] column(String name) {
        int c = find(name);
        if (c < 0)
            throw new MumlocException(MumlocException.INVALID_ARGUMENT, "invalid argument",
                    "the table has no column \"" + name + "\"");
        return column(c);
    }

    /** Index of the column with this name (any unit), or -1. */
    public int find(String name) {
        return nFind(this, name);
    }

    /** The header field as ThunderSTORM writes it, unquoted: "x [nm]", or "id" without unit. */
    public String heading(int column) {
        return heading(name(column), unit(column));
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

    /** Formats a number as mumloc's CSV files do (plain decimal, at most 9 significant digits). */
    public static String formatNumber(double value) {
        Mumloc.load();
        return nFormatNumber(value);
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
        nWriteCsv(this, path);
    }

    /** A new table with length columns in "um"/"px" converted to nm (mumloc_table_convert_to_nm). */
    public Table toNm(double pixelNm) {
        return nToNm(this, pixelNm);
    }

    /** Frees the native table now; using it afterwards throws MumlocException. */
    @Override
    public void close() {
        handle = 0;
        cleanable.clean();
    }

    // native/src/jni/Table.c. The instance natives take the Table itself, which keeps it reachable
    // (so not cleaned) while the library works on it.
    private static native long nCreate(String[] names, String[] units, double[][] columns);
    private static native void nDestroy(long handle);
    private static native long nRows(Table table);
    private static native int nColumns(Table table);
    private static native String nName(Table table, int column);
    private static native String nUnit(Table table, int column);
    private static native double[] nColumn(Table table, int column);
    private static native int nFind(Table table, String name);
    private static native Table nReadCsv(String path, String required);
    private static native void nWriteCsv(Table table, String path);
    private static native Table nToNm(Table table, double pixelNm);
    private static native String nHeading(String name, String unit);
    private static native String[] nSplitHeading(String heading);
    private static native String nFormatNumber(double value);
}
