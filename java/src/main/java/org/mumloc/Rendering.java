package org.mumloc;

/**
 * A depth-coloured super-resolution image of a localization table, rendered by the library
 * ({@code mumloc_render_table}): the RGB canvas (image plus colour bar), optionally the z-stack, and
 * the files the library writes. Java only moves the pixels into ImageJ.
 */
public final class Rendering {
    /** The rendering methods' names, by value (the library's: histogram, gaussian, ash). */
    public static String[] methodNames() {
        return Mumloc.enumNames("render_method");
    }

    /** {@code mumloc_render_params}. */
    public static final class Params {
        public double pixelNm;
        public int method;
        public double sigmaNm;
        public double sigmaMinNm;
        public double sigmaMaxNm;
        public int ashShifts;
        public double fieldWidthNm;
        public double fieldHeightNm;
        public double zMinNm;
        public double zMaxNm;
        public boolean zFromData;
        public int colormap;
        public double saturationPercentile;
        public double saturationDensity;
        public boolean colorbar;
        public boolean zstack;
        public double zBinNm;

        /** The library's defaults. */
        public static Params defaults() {
            Mumloc.load();
            Params p = new Params();
            nDefaults(p);
            return p;
        }
    }

    /** The colour maps' names, by value ("viridis", "turbo"). */
    public static String[] colormapNames() {
        return Mumloc.enumNames("colormap");
    }

    public final int width;
    public final int height;
    public final int slices;
    public final int canvasWidth;
    public final int canvasHeight;
    public final double pixelNm;
    public final double zMinNm;
    public final double zMaxNm;
    public final double saturationDensity;
    public final long rendered;
    public final long outside;
    private final byte[] rgb;
    private final float[] zstack;

    /** Filled by the library, field by field (native/src/jni/Rendering.c). */
    private Rendering() {
        width = height = slices = canvasWidth = canvasHeight = 0;
        pixelNm = zMinNm = zMaxNm = saturationDensity = 0;
        rendered = outside = 0;
        rgb = null;
        zstack = null;
    }

    /**
     * Renders every row of the table (x, y, z in nm). imagePath (.png or .tif) and zstackPath (needs
     * params.zstack) are written by the library when not null.
     */
    public static Rendering render(Table table, Params params, String imagePath, String zstackPath) {
        Mumloc.load();
        if (table == null || params == null)
            throw new MumlocException(MumlocException.INVALID_ARGUMENT, "invalid argument",
                    "rendering needs a table and parameters");
        Rendering out = new Rendering();
        nRender(table, params, imagePath, zstackPath, out);
        return out;
    }

    /**
     * Renders a ThunderSTORM CSV file straight into files, streaming it in bounded memory (the table is
     * never held in Java): imagePath is required, zstackPath needs params.zstack. progress may be null;
     * returning true from it cancels, leaving no file. The result has no pixels ({@link #rgb()} is null).
     */
    public static Rendering renderFile(String csvPath, Params params, String imagePath, String zstackPath,
            ProgressListener progress) {
        Mumloc.load();
        if (params == null)
            throw new MumlocException(MumlocException.INVALID_ARGUMENT, "invalid argument", "rendering needs parameters");
        Rendering out = new Rendering();
        nRenderFile(csvPath, params, imagePath, zstackPath, progress, out);
        return out;
    }

    /** The canvas as RGB bytes, row-major (canvasWidth × canvasHeight × 3); null after renderFile. */
    public byte[] rgb() {
        return rgb;
    }

    /** The z-stack, slices × height × width floats, or null when not rendered. */
    public float[] zstack() {
        return zstack;
    }

    // native/src/jni/Rendering.c: Params and the result are read and written by field name.
    private static native void nDefaults(Params out);
    private static native void nRender(Table table, Params params, String imagePath, String zstackPath,
            Rendering out);
    private static native void nRenderFile(String csvPath, Params params, String imagePath, String zstackPath,
            ProgressListener progress, Rendering out);
}
