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

    /** PSF model names, indexed as mumloc_psf_kind (the CLI's --psf values: gaussian, spline). */
    public static String[] psfNames() {
        return Mumloc.enumNames("psf");
    }

    /** Layout names, indexed as mumloc_rig_layout (the library's words, the CLI's --layout values). */
    public static String[] layoutNames() {
        return Mumloc.enumNames("rig_layout");
    }

    /** How to calibrate; a camera value is one number for every camera or one per camera. */
    public static final class Options {
        /** Stage step between images in nm (negative: the stage moved the other way). Required. */
        public double zStepNm;
        /** Camera 1's pixel in the sample, nm; 0 = the default optics' (192). */
        public double pixelNm;
        public int layout;
        public int minBeads = 5;
        /** Index into {@link #psfNames()}: the rig's PSF model (1 = spline, the measured PSF, as the CLI's default). */
        public int psf = 1;
        public double[] offsetAdu = {0};
        public double[] aduPerElectron = {1};
        public double[] emGain = {1};
        public double[] readNoiseE = {3};
        /** The PNG report to write, or null. */
        public String reportPath;
        /** What was read, kept in the rig's calibration record. */
        public String inputs = "";

        double[] numbers() {
            return new double[] {zStepNm, pixelNm, minBeads, layout, psf};
        }
    }

    /** Calibrates from files (one for hyperstack and tiles, one per camera for files); returns the summary. */
    public static String calibrateFiles(String[] paths, Options o, String rigPath) {
        Mumloc.load();
        return nCalibrate(paths, null, 0, 0, 0, 0, 0, o.numbers(), o.offsetAdu, o.aduPerElectron, o.emGain,
                o.readNoiseE, rigPath, o.reportPath, o.inputs);
    }

    /**
     * Calibrates from images in memory: channels x imagesPerChannel images of width x height in ImageJ's
     * order (channel fastest), bits 8/16 (saturation at 2^bits - 1) or 32; returns the summary.
     */
    public static String calibrateImages(float[] images, int width, int height, int channels, int imagesPerChannel,
            int bits, Options o, String rigPath) {
        Mumloc.load();
        return nCalibrate(null, images, width, height, channels, imagesPerChannel, bits, o.numbers(), o.offsetAdu,
                o.aduPerElectron, o.emGain, o.readNoiseE, rigPath, o.reportPath, o.inputs);
    }

    private static native String nCalibrate(String[] paths, float[] images, int width, int height, int channels,
            int imagesPerChannel, int bits, double[] numbers, double[] offset, double[] gain, double[] emGain,
            double[] readNoise, String rigPath, String reportPath, String inputs);
}
