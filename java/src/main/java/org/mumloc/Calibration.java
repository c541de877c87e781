package org.mumloc;

/**
 * Rig calibration from a bead z-stack (mumloc.h, "Rig calibration from a bead z-stack"): registers
 * every camera onto camera 1 (flips, quarter turns, affine map), fits each plane's focal depth,
 * PSF width curve and transmission, and writes the rig file. All the work is the library's; the
 * result is the library's summary text (one line per camera and plane, then "warning:" lines).
 */
public final class Calibration {
    private Calibration() {
    }

    /** mumloc_psf_kind's spline: the measured PSF ({@link #psfNames()}). */
    public static final int PSF_SPLINE = 1;

    /** PSF model names, indexed as mumloc_psf_kind (the CLI's --psf values: gaussian, spline). */
    public static String[] psfNames() {
        return Mumloc.enumNames("psf");
    }

    /** Layout names, indexed as mumloc_rig_layout (the library's words, the CLI's --layout values). */
    public static String[] layoutNames() {
        return Mumloc.enumNames("rig_layout");
    }

    /**
     * How to calibrate ({@code mumloc_calibrate_options}; the natives read these fields by name), the
     * library's defaults when made. A camera value is one number for every camera or one per camera.
     */
    public static final class Options {
        /** Stage step between images in nm (negative: the stage moved the other way). Required. */
        public double zStepNm;
        /** Camera 1's pixel in the sample, nm; 0 = the default optics'. */
        public double pixelNm;
        /** Index in {@link #layoutNames()}. */
        public int layout;
        public int minBeads;
        /**
         * Index into {@link #psfNames()}: the rig's PSF model. Spline (the measured PSF) by default, as the
         * CLI's --psf; the library's own default stays gaussian so that older callers keep its behaviour.
         */
        public int psf;
        public double[] offsetAdu;
        public double[] aduPerElectron;
        public double[] emGain;
        public double[] readNoiseE;
        /** The PNG report to write, or null. */
        public String reportPath;
        /** What was read, kept in the rig's calibration record. */
        public String inputs = "";

        /** The library's defaults, with the measured PSF (see {@link #psf}). */
        public Options() {
            Mumloc.load();
            nDefaults(this);
            psf = PSF_SPLINE;
        }
    }

    /** Calibrates from files (one for hyperstack and tiles, one per camera for files); returns the summary. */
    public static String calibrateFiles(String[] paths, Options o, String rigPath) {
        Mumloc.load();
        return nCalibrate(paths, null, 0, 0, 0, 0, 0, o, rigPath);
    }

    /**
     * Calibrates from images in memory: channels x imagesPerChannel images of width x height in ImageJ's
     * order (channel fastest), bits 8/16 (saturation at 2^bits - 1) or 32; returns the summary.
     */
    public static String calibrateImages(float[] images, int width, int height, int channels, int imagesPerChannel,
            int bits, Options o, String rigPath) {
        Mumloc.load();
        return nCalibrate(null, images, width, height, channels, imagesPerChannel, bits, o, rigPath);
    }

    /** native/src/jni/Calibration.c: the Options are read and written by field name. */
    private static native void nDefaults(Options out);
    private static native String nCalibrate(String[] paths, float[] images, int width, int height, int channels,
            int imagesPerChannel, int bits, Options options, String rigPath);
}
