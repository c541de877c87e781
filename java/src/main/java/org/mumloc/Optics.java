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

    /** The library's defaults (science.md). */
    public static Optics defaults() {
        Optics o = new Optics();
        Mumloc.opticsDefault(o);
        return o;
    }

    /** Reads an optics JSON file; missing fields keep the defaults. */
    public static Optics load(String path) {
        Optics o = new Optics();
        Mumloc.opticsLoad(path, o);
        return o;
    }

    public void save(String path) {
        Mumloc.opticsSave(path, this);
    }

    /** Throws a {@link MumlocException} naming the first bad field. */
    public void validate() {
        Mumloc.opticsValidate(this);
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
        return o;
    }

    @Override
    public String toString() {
        return "Optics[planes=" + planes + ", depths=" + Arrays.toString(planeDepthNm) + ", pixel="
                + pixelNm + " nm, a'=" + psfAmplitude + ", w0=" + psfW0Nm + ", d=" + psfDNm + ", A="
                + psfA + ", B=" + psfB + "]";
    }
}
