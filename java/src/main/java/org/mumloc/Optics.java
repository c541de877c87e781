package org.mumloc;

import java.util.Arrays;

/**
 * Mirror of {@code mumloc_optics}: field names follow the C struct (JNI reads them by name). Get the
 * documented defaults from {@link #defaults()}, never by repeating the numbers.
 */
public final class Optics {
    /** MUMLOC_MAX_PLANES. */
    public static final int MAX_PLANES = 8;

    public int planes;
    /** Depth each plane images, nm; length {@link #MAX_PLANES}, the first {@link #planes} used. */
    public double[] planeDepthNm = new double[MAX_PLANES];
    public double pixelNm;
    public double psfAmplitude;
    public double psfW0Nm;
    public double psfDNm;
    public double psfA;
    public double psfB;
    /**
     * false (the papers' model, the default): every plane uses psfW0Nm, psfDNm, psfA, psfB and an
     * equal share of the photons; true: plane d uses planeW0Nm[d], planeDNm[d], planeA[d], planeB[d]
     * and receives the share planeTransmission[d] / (sum over the planes) of a molecule's photons.
     */
    public boolean perPlane;
    /** Per-plane PSF curve and relative transmission (C's plane_psf[d]); length {@link #MAX_PLANES}. */
    public double[] planeW0Nm = new double[MAX_PLANES];
    public double[] planeDNm = new double[MAX_PLANES];
    public double[] planeA = new double[MAX_PLANES];
    public double[] planeB = new double[MAX_PLANES];
    public double[] planeTransmission = new double[MAX_PLANES];

    /** The library's defaults (science.md). */
    public static Optics defaults() {
        Mumloc.load();
        Optics o = new Optics();
        nDefaults(o);
        return o;
    }

    /** Reads an optics JSON file; missing fields keep the defaults. */
    public static Optics load(String path) {
        Mumloc.load();
        Optics o = new Optics();
        nLoad(path, o);
        return o;
    }

    public void save(String path) {
        Mumloc.load();
        nSave(path, this);
    }

    /** Throws a {@link MumlocException} naming the first bad field. */
    public void validate() {
        Mumloc.load();
        nValidate(this);
    }

    /** The optics a movie's description records (mumloc's "mumloc={...}" record), or null. */
    public static Optics recorded(String description) {
        Mumloc.load();
        Optics out = new Optics();
        return nRecorded(description, out) ? out : null;
    }

    /** PSF standard deviation w(dz) in nm (these optics are validated first). */
    public double psfWidthNm(double dzNm) {
        Mumloc.load();
        return nPsfWidthNm(this, dzNm);
    }

    public Optics copy() {
        Optics o = new Optics();
        o.planes = planes;
        o.planeDepthNm = planeDepthNm == null ? null : planeDepthNm.clone();
        o.pixelNm = pixelNm;
        o.psfAmplitude = psfAmplitude;
        o.psfW0Nm = psfW0Nm;
        o.psfDNm = psfDNm;
        o.psfA = psfA;
        o.psfB = psfB;
        o.perPlane = perPlane;
        o.planeW0Nm = clone(planeW0Nm);
        o.planeDNm = clone(planeDNm);
        o.planeA = clone(planeA);
        o.planeB = clone(planeB);
        o.planeTransmission = clone(planeTransmission);
        return o;
    }

    private static double[] clone(double[] values) {
        return values == null ? null : values.clone();
    }

    @Override
    public String toString() {
        String common = "Optics[planes=" + planes + ", depths=" + Arrays.toString(planeDepthNm)
                + ", pixel=" + pixelNm + " nm, a'=" + psfAmplitude + ", w0=" + psfW0Nm + ", d="
                + psfDNm + ", A=" + psfA + ", B=" + psfB;
        if (!perPlane) return common + "]";
        return common + ", per plane: w0=" + Arrays.toString(planeW0Nm) + ", d="
                + Arrays.toString(planeDNm) + ", A=" + Arrays.toString(planeA) + ", B="
                + Arrays.toString(planeB) + ", transmission=" + Arrays.toString(planeTransmission)
                + "]";
    }

    // The natives (native/src/jni/Optics.c) read and write the fields above by name.
    private static native void nDefaults(Optics out);
    private static native void nValidate(Optics optics);
    private static native void nLoad(String path, Optics out);
    private static native boolean nRecorded(String description, Optics out);
    private static native void nSave(String path, Optics optics);
    private static native double nPsfWidthNm(Optics optics, double dzNm);
}
