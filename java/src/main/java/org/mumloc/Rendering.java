package org.mumloc;

/**
 * A depth-coloured super-resolution image of a localization table, rendered by the library
 * ({@code mumloc_render_table}): the RGB canvas (image plus colour bar), optionally the z-stack, and
 * the files the library writes. Java only moves the pixels into ImageJ.
 */
public final class Rendering {
    /** Names of {@code mumloc_render_method}, by value. */
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
            double[] v = nDefaultParams();
            Params p = new Params();
            p.pixelNm = v[0];
            p.method = (int) v[1];
            p.sigmaNm = v[2];
            p.sigmaMinNm = v[3];
            p.sigmaMaxNm = v[4];
            p.ashShifts = (int) v[5];
            p.fieldWidthNm = v[6];
            p.fieldHeightNm = v[7];
            p.zMinNm = v[8];
            p.zMaxNm = v[9];
            p.zFromData = v[10] != 0;
            p.colormap = (int) v[11];
            p.saturationPercentile = v[12];
            p.saturationDensity = v[13];
            p.colorbar = v[14] != 0;
            p.zstack = v[15] != 0;
            p.zBinNm = v[16];
            return p;
        }

        double[] toArray() {
            return new double[] {pixelNm, method, sigmaNm, sigmaMinNm, sigmaMaxNm, ashShifts, fieldWidthNm,
                fieldHeightNm, zMinNm, zMaxNm, zFromData ? 1 : 0, colormap, saturationPercentile, saturationDensity,
                colorbar ? 1 : 0, zstack ? 1 : 0, zBinNm};
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

    private Rendering(Object[] r) {
        this((double[]) r[0], (byte[]) r[1], (float[]) r[2]);
    }

    private Rendering(double[] i, byte[] rgb, float[] zstack) {
        width = (int) i[0];
        height = (int) i[1];
        slices = (int) i[2];
        canvasWidth = (int) i[3];
        canvasHeight = (int) i[4];
        pixelNm = i[5];
        zMinNm = i[6];
        zMaxNm = i[7];
        saturationDensity = i[8];
        rendered = (long) i[9];
        outside = (long) i[10];
        this.rgb = rgb;
        this.zstack = zstack;
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
        return new Rendering(nRender(table.namesArray(), table.unitsArray(), table.columnsArray(), params.toArray(),
                imagePath, zstackPath));
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
        return new Rendering(nRenderFile(csvPath, params.toArray(), imagePath, zstackPath, progress), null, null);
    }

    /** The canvas as RGB bytes, row-major (canvasWidth × canvasHeight × 3); null after renderFile. */
    public byte[] rgb() {
        return rgb;
    }

    /** The z-stack, slices × height × width floats, or null when not rendered. */
    public float[] zstack() {
        return zstack;
    }

    private static native double[] nDefaultParams();
    private static native Object[] nRender(String[] names, String[] units, double[][] columns, double[] params,
            String imagePath, String zstackPath);
    private static native double[] nRenderFile(String csvPath, double[] params, String imagePath, String zstackPath,
            ProgressListener progress);
}
